/**
 * Text of OpenDocument files (ODF 1.2, ISO/IEC 26300): `content.xml` in reading order, the same
 * walk for text documents, spreadsheets and presentations.
 * - Paragraphs and headings one per line; white space collapsed as ODF says (Part 1 §6.1.2), with
 *   `text:s`, `text:tab` and `text:line-break` giving back the spaces, tabs and breaks they stand for.
 * - Tables (and spreadsheets) row by row, cells separated by tabs, each cell's text as displayed
 *   (a spreadsheet's formatted numbers, `412,80 €`); a cell or row that says it repeats
 *   (`number-columns-repeated`, `number-rows-repeated`) is written that many times when it holds
 *   text, up to MAX_REPEATS, and not at all when empty (spreadsheets pad to a million empty rows).
 * - Each sheet's name on a line before it; each presentation page after an empty line.
 * - Footnotes and comments (annotations) after the body, as a reader finds them at the page foot;
 *   tracked deletions (`text:tracked-changes`) left out, as LibreOffice shows them only on request.
 *
 * Metadata, from `meta.xml` (ODF 1.2 Part 1 §4.3), by element name: generator, title, description,
 * subject, keyword (string[]), initial-creator, creator, printed-by, language, editing-duration
 * (ISO 8601 duration as written, `PT1H2M3S`), editing-cycles (number); dates (ISO 8601, see
 * metadata-date.ts): creation-date, date, print-date; document-statistic (its attributes:
 * `{ 'page-count': 3, 'word-count': 512, ... }`, numbers); template (`{ href, title, date }`).
 * `unreadableParts` lists meta.xml when it is present but damaged.
 */
import type { ExtractedDocument } from '../extract-document.ts';
import { ExtractError } from '../extract-document.ts';
import { isoDate, setDate } from './metadata-date.ts';
import { ZipPackage } from './package-zip.ts';
import { readerResult } from './reader-result.ts';
import { TextSink } from './text-sink.ts';
import { STOP_WALK, attr, fieldCollector, walkOptionalPart, walkXml, type XmlAttributes, type XmlVisitor } from './xml-walk.ts';

/** A repeated cell or row with text is written at most this many times. */
export const MAX_REPEATS = 100;
/** `text:s c="n"` gives at most this many spaces. */
const MAX_SPACES = 100;

/** Elements whose content is not part of the text as shown. */
const ODF_HIDDEN = new Set(['tracked-changes', 'note-citation', 'sequence-decls', 'variable-decls', 'user-field-decls', 'forms', 'scripts']);
/** Elements that hold text directly. */
const ODF_PARAGRAPHS = new Set(['p', 'h']);
/**
 * Elements that start a text flow of their own inside a paragraph: shapes and frames (whose
 * `svg:title` and `svg:desc` are not shown), notes and annotations (whose `dc:creator` and
 * `dc:date` are not text either). Inside them, only their own paragraphs count.
 */
const ODF_FLOWS = new Set(['note-body', 'annotation', 'frame', 'custom-shape', 'rect', 'ellipse', 'circle', 'line', 'polyline', 'polygon', 'regular-polygon', 'path', 'connector', 'caption', 'measure', 'control', 'g']);

function repeatCount(a: XmlAttributes, name: string): number {
  const n = Number.parseInt(attr(a, name) ?? '1', 10);
  return Number.isFinite(n) && n > 1 ? n : 1;
}

/** The content.xml walk; footnotes and annotations are collected into `after`. */
function odfVisitor(sink: TextSink, after: string[], sheetNames: boolean): XmlVisitor {
  let hidden = 0;
  let paragraphs = 0;
  let cells = 0;
  let pendingSpace = false;
  /** Paragraph depth and pending space outside each open flow element. */
  const flows: { paragraphs: number; pendingSpace: boolean }[] = [];
  /** Held-apart text: cells and rows to repeat, notes and annotations to move after the body. */
  const held: { kind: 'cell' | 'row' | 'note'; repeat: number }[] = [];
  const hold = (kind: 'cell' | 'row' | 'note', repeat: number): void => {
    held.push({ kind, repeat });
    sink.begin();
  };
  const add = (text: string): void => {
    if (pendingSpace) sink.add(' ');
    pendingSpace = false;
    sink.add(text);
  };
  return {
    open(name, a) {
      if (hidden > 0 || ODF_HIDDEN.has(name)) {
        hidden++;
        return;
      }
      if (ODF_FLOWS.has(name)) {
        flows.push({ paragraphs, pendingSpace });
        paragraphs = 0;
        if (name === 'note-body' || name === 'annotation') hold('note', 1);
      } else if (ODF_PARAGRAPHS.has(name)) {
        paragraphs++;
        pendingSpace = false;
      } else if (paragraphs > 0 && name === 's') add(' '.repeat(Math.min(repeatCount(a, 'c'), MAX_SPACES)));
      else if (paragraphs > 0 && name === 'tab') add('\t');
      else if (paragraphs > 0 && name === 'line-break') sink.line();
      else if (name === 'table-cell' || name === 'covered-table-cell') {
        cells++;
        hold('cell', repeatCount(a, 'number-columns-repeated'));
      } else if (name === 'table-row') hold('row', repeatCount(a, 'number-rows-repeated'));
      else if (name === 'table' && sheetNames && cells === 0) {
        sink.block();
        sink.add(attr(a, 'name') ?? '');
        sink.line();
      } else if (name === 'page') sink.block();
    },
    text(t) {
      if (hidden > 0 || paragraphs === 0) return;
      // ODF white space (Part 1 §6.1.2): a run of space, tab, CR and LF is one space.
      const collapsed = t.replace(/[ \t\r\n]+/g, ' ');
      const body = collapsed.trim();
      if (collapsed.startsWith(' ')) pendingSpace = true;
      if (body === '') return;
      add(body);
      if (collapsed.endsWith(' ')) pendingSpace = true;
    },
    close(name) {
      if (hidden > 0) {
        hidden--;
        return;
      }
      if (ODF_PARAGRAPHS.has(name)) {
        paragraphs--;
        pendingSpace = false;
        // Paragraphs inside a cell stay on the row's line.
        if (cells > 0) sink.add(' ');
        else sink.endLine();
        if (sink.full && held.length === 0) throw STOP_WALK;
        return;
      }
      if (ODF_FLOWS.has(name)) ({ paragraphs, pendingSpace } = flows.pop() ?? { paragraphs: 0, pendingSpace: false });
      const kind = name === 'table-cell' || name === 'covered-table-cell' ? 'cell' : name === 'table-row' ? 'row' : name === 'note-body' || name === 'annotation' ? 'note' : null;
      if (kind === null || held.at(-1)?.kind !== kind) return;
      const { repeat } = held.pop() as { repeat: number };
      const text = sink.end().trim();
      if (kind === 'cell') cells--;
      if (text === '') return;
      if (kind === 'note') after.push(text);
      else if (kind === 'cell') for (let i = 0; i < Math.min(repeat, MAX_REPEATS); i++) sink.add(text + '\t');
      else {
        for (let i = 0; i < Math.min(repeat, MAX_REPEATS); i++) {
          sink.add(text);
          sink.line();
        }
        if (sink.full && held.length === 0) throw STOP_WALK;
      }
    },
  };
}

/** meta.xml fields, named as ODF names them. */
async function readOdfMetadata(pkg: ZipPackage, problems: string[]): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  const keywords: string[] = [];
  await walkOptionalPart(
    pkg,
    'meta.xml',
    fieldCollector(3, (name, value, a) => {
      if (name === 'creation-date' || name === 'date' || name === 'print-date') setDate(fields, name, value, isoDate(value));
      else if (name === 'keyword') {
        if (value !== '') keywords.push(value);
      } else if (name === 'editing-cycles') fields[name] = /^\d{1,15}$/.test(value) ? Number(value) : value;
      else if (name === 'document-statistic') {
        const stats: Record<string, number | string> = {};
        for (const [k, v] of Object.entries(a)) stats[k.slice(k.indexOf(':') + 1)] = /^\d{1,15}$/.test(v) ? Number(v) : v;
        fields[name] = stats;
      } else if (name === 'template') {
        fields[name] = { href: attr(a, 'href') ?? null, title: attr(a, 'title') ?? null, date: attr(a, 'date') ?? null };
      } else if (['generator', 'title', 'description', 'subject', 'initial-creator', 'creator', 'printed-by', 'language', 'editing-duration'].includes(name) && value !== '') {
        fields[name] = value;
      }
    }),
    problems,
  );
  if (keywords.length > 0) fields.keyword = keywords;
  return fields;
}

/** True when the manifest says the parts are encrypted (a password-protected file, ODF 1.2 Part 3 §4.8). */
async function isEncrypted(pkg: ZipPackage): Promise<boolean> {
  try {
    const manifest = await pkg.read('META-INF/manifest.xml');
    return manifest !== null && manifest.includes('encryption-data');
  } catch {
    return false;
  }
}

async function readOdf(bytes: Uint8Array, sheetNames: boolean): Promise<ExtractedDocument> {
  const pkg = await ZipPackage.open(bytes, 'OpenDocument');
  try {
    const problems: string[] = [];
    const sink = new TextSink();
    const after: string[] = [];
    const content = await pkg.stream('content.xml');
    if (!content) throw new ExtractError('the package has no content.xml part: it is not an OpenDocument file');
    try {
      await walkXml(content, 'content.xml', odfVisitor(sink, after, sheetNames));
    } catch (err) {
      if (err instanceof ExtractError && (await isEncrypted(pkg))) {
        throw new ExtractError('the document is password-protected: its content is encrypted and cannot be read without the password');
      }
      throw err;
    }
    for (const note of after) {
      sink.block();
      sink.add(note);
    }
    return readerResult(sink.toString(), await readOdfMetadata(pkg, problems), problems);
  } finally {
    pkg.close();
  }
}

/** An OpenDocument text's (odt) text and metadata. */
export function readOdt(bytes: Uint8Array): Promise<ExtractedDocument> {
  return readOdf(bytes, false);
}

/** An OpenDocument spreadsheet's (ods) text, each sheet under its name, and metadata. */
export function readOds(bytes: Uint8Array): Promise<ExtractedDocument> {
  return readOdf(bytes, true);
}

/** An OpenDocument presentation's (odp) text, page by page with its notes, and metadata. */
export function readOdp(bytes: Uint8Array): Promise<ExtractedDocument> {
  return readOdf(bytes, false);
}
