/**
 * What a PDF says about itself (ISO 32000-1): the document Info dictionary (§14.3.3) and the XMP
 * metadata stream (§14.3.2) side by side, every revision (§7.5.6 incremental updates, see
 * pdf-file.ts) with the Info it carries and what it changed, and the names of the fonts it uses
 * (/BaseFont of font dictionaries, /FontName of font descriptors, the `ABCDEF+` subset prefix of
 * §9.6.4 removed).
 *
 * What a revision changed is told by the kinds of objects it redefines: page content (a content
 * stream, or a page whose /Contents now points elsewhere, or a new page), annotations, form fields,
 * signatures, fonts, images, the Info dictionary, the XMP metadata. Adding a comment, filling a form
 * or signing also rewrites the page or catalog object; only a change of what is drawn counts as
 * content.
 */
import { pdfDateToIso } from '../../extract/readers/metadata-date.ts';
import { PdfFile } from './pdf-file.ts';
import { asDict, asName, asNumber, asRef, textOf, type PdfDict, type PdfValue } from './pdf-syntax.ts';
import { readXmp, type XmpFacts } from './xmp-packet.ts';

/** Objects of one revision looked at to tell what it changed. */
const MAX_CLASSIFIED_OBJECTS = 20_000;
/** Pages walked to find content streams. */
const MAX_PAGES = 20_000;
/** Font names kept. */
const MAX_FONTS = 500;
/** Longest Info value kept. */
const MAX_INFO_CHARS = 1000;

const INFO_KEYS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate', 'Trapped'] as const;
const ANNOTATION_SUBTYPES = new Set(['Text', 'Link', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'Squiggly', 'StrikeOut', 'Stamp', 'Caret', 'Ink', 'Popup', 'FileAttachment', 'Sound', 'Movie', 'Widget', 'Screen', 'PrinterMark', 'TrapNet', 'Watermark', 'Redact', '3D']);

/** Info dictionary fields: text as written, and the dates also as ISO 8601. */
export interface PdfInfo {
  Title?: string;
  Author?: string;
  Subject?: string;
  Keywords?: string;
  Creator?: string;
  Producer?: string;
  CreationDate?: string;
  ModDate?: string;
  /** ISO 8601 forms of CreationDate and ModDate (null when not a date). */
  created?: string | null;
  modified?: string | null;
}

/** Kinds of objects a revision (re)defines, counted. */
export type ChangeKind = 'content' | 'page-added' | 'page' | 'annotation' | 'form' | 'signature' | 'font' | 'image' | 'info' | 'metadata' | 'catalog' | 'structure' | 'other';

export interface PdfRevision {
  /** 1-based, in file order. */
  number: number;
  /** Byte offset just past its %%EOF. */
  end: number;
  /** Objects (re)defined by this revision. */
  objects: number;
  /** The Info dictionary, when this revision wrote one. */
  info: PdfInfo | null;
  /** What it changed (later revisions only). */
  changes: Partial<Record<ChangeKind, number>>;
  /** Fonts whose dictionaries this revision (re)defined (later revisions only). */
  fonts: string[];
  problem: string | null;
}

export interface PdfFacts {
  reader: 'pdf';
  version: string | null;
  encrypted: boolean;
  linearized: boolean;
  /** `%%EOF` markers in the file (a linearized file has one more than it has revisions). */
  eofMarkers: number;
  revisions: PdfRevision[];
  /** The Info dictionary in force (the last revision's trailer). */
  info: PdfInfo | null;
  xmp: XmpFacts | null;
  fonts: string[];
  pages: number | null;
  lang: string | null;
  problems: string[];
}

function readInfo(file: PdfFile, dict: PdfDict | null, encrypted: boolean): PdfInfo | null {
  if (!dict) return null;
  const info: PdfInfo = {};
  for (const key of INFO_KEYS) {
    const v = textOf(file.resolve(dict.v.get(key)));
    if (v === null || v.trim() === '') continue;
    // Strings of an encrypted file are ciphertext; only what is plainly readable is kept.
    if (encrypted && [...v].some((c) => c.charCodeAt(0) < 0x09 || (c.charCodeAt(0) > 0x0d && c.charCodeAt(0) < 0x20) || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f))) continue;
    (info as Record<string, string>)[key] = v.trim().slice(0, MAX_INFO_CHARS);
  }
  if (info.CreationDate !== undefined) info.created = pdfDateToIso(info.CreationDate);
  if (info.ModDate !== undefined) info.modified = pdfDateToIso(info.ModDate);
  return Object.keys(info).length > 0 ? info : null;
}

/** A font name without its subset tag (`ABCDEF+Calibri-Bold` -> `Calibri-Bold`). */
export function fontNameOf(raw: string): string {
  return raw.replace(/^[A-Z]{6}\+/, '').trim();
}

function classify(dict: PdfDict | null): ChangeKind {
  if (!dict) return 'other';
  const type = asName(dict.v.get('Type'));
  const subtype = asName(dict.v.get('Subtype'));
  if (type === 'Page') return 'page';
  if (type === 'Pages' || type === 'Catalog') return 'catalog';
  if (type === 'Sig' || type === 'DocTimeStamp' || dict.v.has('ByteRange')) return 'signature';
  if (type === 'Annot' || (subtype && ANNOTATION_SUBTYPES.has(subtype) && dict.v.has('Rect'))) return 'annotation';
  if (dict.v.has('FT') || dict.v.has('Fields') || (dict.v.has('T') && dict.v.has('Kids'))) return 'form';
  if (type === 'Metadata') return 'metadata';
  if (type === 'Font' || type === 'FontDescriptor' || dict.v.has('Length1') || dict.v.has('Length2') || subtype === 'Type1C' || subtype === 'CIDFontType0C' || subtype === 'OpenType') return 'font';
  if (subtype === 'Image') return 'image';
  if (type === 'XRef' || type === 'ObjStm') return 'structure';
  // Form XObjects added by an update are appearance streams of annotations and form fields.
  if (subtype === 'Form' || type === 'XObject') return 'annotation';
  return 'other';
}

/** Content stream numbers referenced by the pages of revision k, and the page objects' /Contents as text. */
function pagesOf(file: PdfFile, k: number): { contents: Set<number>; pageContents: Map<number, string> } {
  const entries = file.entriesAt(k);
  const contents = new Set<number>();
  const pageContents = new Map<number, string>();
  const root = asDict(file.resolve(file.trailerOf(k)?.v.get('Root'), k, entries));
  const start = asRef(root?.v.get('Pages'));
  const queue: number[] = start ? [start.num] : [];
  const seen = new Set<number>();
  while (queue.length > 0 && seen.size < MAX_PAGES) {
    const num = queue.shift() as number;
    if (seen.has(num)) continue;
    seen.add(num);
    const dict = asDict(file.object(num, k, entries)?.value);
    if (!dict) continue;
    const kids = file.resolve(dict.v.get('Kids'), k, entries);
    if (Array.isArray(kids)) for (const kid of kids) {
      const r = asRef(kid);
      if (r) queue.push(r.num);
    }
    if (asName(dict.v.get('Type')) === 'Page' || dict.v.has('Contents')) {
      const c = dict.v.get('Contents');
      const list = Array.isArray(c) ? c : [c];
      const resolved = asRef(c) ? file.resolve(c, k, entries) : undefined;
      // /Contents may be a reference to an array of references.
      const refs = Array.isArray(resolved) ? resolved : list;
      for (const x of refs) {
        const r = asRef(x as PdfValue);
        if (r) contents.add(r.num);
      }
      pageContents.set(num, JSON.stringify(refs.map((x) => asRef(x as PdfValue)?.num ?? null)));
    }
  }
  return { contents, pageContents };
}

/** Font names from /BaseFont and /FontName entries in the file and its object streams. */
function fontsOf(file: PdfFile): string[] {
  const names = new Set<string>();
  const re = /\/(?:BaseFont|FontName)\s*\/([^\s/[\]<>(){}%]+)/g;
  const scan = (bytes: Uint8Array): void => {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    for (let m = re.exec(text); m && names.size < MAX_FONTS; m = re.exec(text)) {
      const raw = m[1]!.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      const name = fontNameOf(raw);
      if (name) names.add(name);
    }
  };
  scan(file.bytes);
  for (const data of file.objectStreamsData()) scan(data);
  return [...names].sort();
}

/** The facts of a PDF, or null when it is not one. */
export async function readPdfFacts(bytes: Uint8Array): Promise<PdfFacts | null> {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  const version = /%PDF-(\d\.\d)/.exec(head)?.[1] ?? null;
  if (version === null && !head.includes('%PDF')) return null;
  const file = new PdfFile(bytes);
  const last = file.revisions.length - 1;
  const trailer = file.trailerOf(last);
  const encrypted = file.revisions.some((r) => r.sections.some((s) => s.trailer.v.has('Encrypt')));
  const facts: PdfFacts = {
    reader: 'pdf', version, encrypted, linearized: file.linearized, eofMarkers: file.eofMarkers,
    revisions: [], info: null, xmp: null, fonts: [], pages: null, lang: null, problems: [...file.problems],
  };

  // The Info in force: the last trailer that names one.
  let infoRef = null;
  for (let k = last; k >= 0 && !infoRef; k--) infoRef = asRef(file.trailerOf(k)?.v.get('Info'));
  facts.info = readInfo(file, asDict(file.resolve(infoRef ?? undefined)), encrypted);

  let previousPages: Map<number, string> | null = null;
  for (let k = 0; k <= last; k++) {
    const rev = file.revisions[k]!;
    const defined = file.definedIn(k);
    const entry: PdfRevision = { number: k + 1, end: rev.end, objects: defined.size, info: null, changes: {}, fonts: [], problem: rev.problem };
    const revInfo = asRef(file.trailerOf(k)?.v.get('Info'));
    if (revInfo && defined.has(revInfo.num)) entry.info = readInfo(file, asDict(file.object(revInfo.num, k)?.value), encrypted);
    if (k > 0 && defined.size > 0) {
      const pages = pagesOf(file, k);
      const entries = file.entriesAt(k);
      let n = 0;
      for (const num of defined) {
        if (n++ >= MAX_CLASSIFIED_OBJECTS) break;
        const obj = file.object(num, k, entries);
        const dict = asDict(obj?.value);
        let kind: ChangeKind = classify(dict);
        if (revInfo && num === revInfo.num) kind = 'info';
        else if (pages.contents.has(num)) kind = 'content';
        else if (kind === 'page') {
          const before = previousPages?.get(num);
          if (before === undefined) kind = 'page-added';
          else if (before !== pages.pageContents.get(num)) kind = 'content';
        }
        if (kind === 'font' && dict) {
          const name = asName(dict.v.get('BaseFont')) ?? asName(dict.v.get('FontName'));
          if (name && entry.fonts.length < 50) entry.fonts.push(fontNameOf(name));
        }
        entry.changes[kind] = (entry.changes[kind] ?? 0) + 1;
      }
      previousPages = pages.pageContents;
    } else if (k === 0) {
      previousPages = pagesOf(file, 0).pageContents;
    }
    facts.revisions.push(entry);
  }

  const root = asDict(file.resolve(trailer?.v.get('Root')));
  if (root) {
    const pagesDict = asDict(file.resolve(root.v.get('Pages')));
    facts.pages = asNumber(pagesDict?.v.get('Count'));
    facts.lang = textOf(file.resolve(root.v.get('Lang')));
    const meta = asDict(file.resolve(root.v.get('Metadata')));
    const data = meta && !encrypted ? file.streamData(meta) : null;
    if (data) facts.xmp = await readXmp(data);
  }
  facts.fonts = fontsOf(file);
  if (file.revisions.length === 0) facts.problems.push('no cross-reference section was found (no startxref before %%EOF)');
  return facts;
}
