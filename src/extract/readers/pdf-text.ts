/**
 * PDF (ISO 32000): the text layer, page by page, read with Mozilla's pdf.js (pdfjs-dist). This
 * module runs inside the PDF thread (pdf-thread.ts, started by pdf-reader.ts), with pdf.js's
 * "fake worker" in that same thread. Pages are separated by an empty line; within a page, text
 * comes in content-stream order with the line ends pdf.js infers. A scanned page has no text layer
 * and gives nothing (no OCR).
 *
 * Safety: the document is parsed from bytes in memory only. Nothing is fetched, run or rendered:
 * no URL is given, pdf.js 6 has no `eval` path (PostScript functions are interpreted), PDF
 * JavaScript and XFA are never run (no scripting sandbox is loaded, `enableXfa` is off), fonts
 * are not loaded as font faces, WebAssembly image decoders are off, and the only files read are
 * the CMaps bundled with pdfjs-dist (for CJK text). Reading stops after MAX_PDF_PAGES pages,
 * PDF_READING_SECONDS seconds, or MAX_INDEXED_TEXT_CHARS characters; what was read is kept.
 *
 * Metadata: the Info dictionary (§14.3.3) under its own key names, strings: Title, Author, Subject,
 * Keywords, Creator, Producer, Trapped and any custom key; CreationDate and ModDate as ISO 8601
 * (or null), with the PDF date as written in CreationDateRaw / ModDateRaw (see metadata-date.ts).
 * Also: PDFFormatVersion (the header's `1.4`), Pages (page count), PagesRead (pages whose text was
 * read), Encrypted (true when the file is encrypted, which needs no password to read when only
 * an owner password is set), Linearized, AcroForm, Signatures (booleans, present when true).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ExtractedDocument } from '../extract-document.ts';
import { ExtractError } from '../extract-document.ts';
import { pdfDateToIso, setDate } from './metadata-date.ts';
import { readerResult } from './reader-result.ts';
import { TextSink } from './text-sink.ts';
import { MAX_METADATA_FIELD_CHARS } from './xml-walk.ts';

/** Pages read per document. */
export const MAX_PDF_PAGES = 5_000;
/** Time spent reading one document's pages before the rest are left unread (the text so far is kept). */
export const PDF_READING_SECONDS = 60;

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | null = null;

/** pdf.js is loaded on the first PDF only: ~150 ms and ~60 MB that most workers never need. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

const PDFJS_ROOT = join(dirname(fileURLToPath(import.meta.resolve('pdfjs-dist/legacy/build/pdf.mjs'))), '..', '..');
/** Predefined CMaps (CJK encodings) shipped with pdfjs-dist, read from disk, never fetched. */
const CMAP_DIR = join(PDFJS_ROOT, 'cmaps') + '/';
const STANDARD_FONT_DIR = join(PDFJS_ROOT, 'standard_fonts') + '/';

class Timeout extends Error {}

/** Rejects with Timeout once `deadline` (performance.now()) passes; pdf.js yields every 20 ms, so the timer gets its turn. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const INFO_KEYS_SKIPPED = new Set(['PDFFormatVersion', 'Language', 'EncryptFilterName', 'IsLinearized', 'IsAcroFormPresent', 'IsXFAPresent', 'IsCollectionPresent', 'IsSignaturesPresent', 'Custom']);

/** Info dictionary fields (strings cut at MAX_METADATA_FIELD_CHARS), dates as ISO 8601 with the raw kept. */
function infoFields(info: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (typeof info.PDFFormatVersion === 'string') fields.PDFFormatVersion = info.PDFFormatVersion;
  const entries = Object.entries(info).filter(([k]) => !INFO_KEYS_SKIPPED.has(k));
  if (info.Custom && typeof info.Custom === 'object') entries.push(...Object.entries(info.Custom as Record<string, unknown>));
  for (const [key, value] of entries) {
    const text = typeof value === 'string' ? value : typeof value === 'object' && value !== null && 'name' in value ? String((value as { name: unknown }).name) : null;
    if (text === null || text === '' || key in fields) continue;
    if (key === 'CreationDate' || key === 'ModDate') setDate(fields, key, text, pdfDateToIso(text));
    else fields[key] = text.slice(0, MAX_METADATA_FIELD_CHARS);
  }
  if (typeof info.EncryptFilterName === 'string') fields.Encrypted = true;
  if (info.IsLinearized === true) fields.Linearized = true;
  if (info.IsAcroFormPresent === true) fields.AcroForm = true;
  if (info.IsSignaturesPresent === true) fields.Signatures = true;
  return fields;
}

/** Plain words for what pdf.js says of a file it cannot open. */
function describePdfError(err: unknown): string {
  const e = err as { name?: string; message?: string };
  if (e?.name === 'PasswordException') return 'the PDF is encrypted with a password, which is needed to read it';
  if (e?.name === 'InvalidPDFException') return 'the file is not a readable PDF (no valid PDF structure was found)';
  return `the PDF could not be opened (${e?.message ?? String(err)})`;
}

/** A PDF's text layer and Info metadata, read in the calling thread (the PDF thread). */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractedDocument> {
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  const deadline = performance.now() + PDF_READING_SECONDS * 1000;
  const task = getDocument({
    // pdf.js transfers (detaches) the buffer it is given.
    data: bytes,
    verbosity: VerbosityLevel.ERRORS,
    stopAtErrors: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWasm: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    cMapUrl: CMAP_DIR,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONT_DIR,
  });
  try {
    let doc;
    try {
      doc = await beforeDeadline(task.promise, deadline);
    } catch (err) {
      throw new ExtractError(err instanceof Timeout ? `the PDF took more than ${PDF_READING_SECONDS} s (PDF_READING_SECONDS) to open` : describePdfError(err));
    }
    const fields: Record<string, unknown> = {};
    const problems: string[] = [];
    try {
      const { info } = await beforeDeadline(doc.getMetadata(), deadline);
      Object.assign(fields, infoFields(info as Record<string, unknown>));
    } catch (err) {
      problems.push(`the Info dictionary could not be read (${err instanceof Timeout ? 'time limit' : (err as Error).message})`);
    }
    fields.Pages = doc.numPages;
    const sink = new TextSink();
    let read = 0;
    let failed = 0;
    for (let p = 1; p <= Math.min(doc.numPages, MAX_PDF_PAGES) && !sink.full; p++) {
      try {
        const page = await beforeDeadline(doc.getPage(p), deadline);
        const content = await beforeDeadline(page.getTextContent(), deadline);
        for (const item of content.items) {
          if (!('str' in item)) continue;
          sink.add(item.str);
          if (item.hasEOL) sink.line();
        }
        page.cleanup();
        sink.block();
        read++;
      } catch (err) {
        if (err instanceof Timeout) {
          problems.push(`pages from ${p} on were not read: the PDF took more than ${PDF_READING_SECONDS} s (PDF_READING_SECONDS)`);
          break;
        }
        failed++;
        if (failed <= 3) problems.push(`page ${p} could not be read (${(err as Error).message})`);
      }
    }
    if (read === 0 && failed > 0) throw new ExtractError(`no page could be read: ${problems.join('; ')}`);
    fields.PagesRead = read;
    return readerResult(sink.toString(), fields, problems);
  } finally {
    await task.destroy();
  }
}
