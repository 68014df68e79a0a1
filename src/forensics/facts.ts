/**
 * The forensic facts of a document, read by an ingest worker from its bytes: what its metadata,
 * revisions, fonts and embedded thumbnails say about how and when it was made. Kept as JSON with the
 * item (`extracted.facts`); the signals are judged later, against the whole trove
 * (store/sqlite/sqlite-forensics.ts). Readers must never throw on bad input: a fact that cannot be
 * read is simply absent, and the reason is kept (`unreadable`).
 *
 * One reader per family of formats, listed once in READERS (readers/*.ts). Each bounds its own work
 * (parts, objects, segments, inflated bytes, decoded pixels), so that no input makes it hang.
 */
import { readImageFacts } from './readers/image-facts.ts';
import { readOdfFacts } from './readers/odf-facts.ts';
import { readOle2Facts } from './readers/ole2-facts.ts';
import { readOoxmlFacts } from './readers/ooxml-facts.ts';
import { readPdfFacts } from './readers/pdf-facts.ts';
import { readRtfFacts } from './readers/rtf-facts.ts';

/** Bumped when a reader adds or changes facts; stored in every facts object. */
export const FACTS_VERSION = 1;

type FactsReader = (bytes: Uint8Array, format: string) => Promise<object | null> | object | null;

const ooxml: FactsReader = (b) => readOoxmlFacts(b);
const odf: FactsReader = (b) => readOdfFacts(b);
const ole2: FactsReader = (b) => readOle2Facts(b);
const image: FactsReader = (b, f) => readImageFacts(f, b);

/** Format name (extract/registry.ts) to its facts reader; formats not listed have none (text, csv, html). */
const READERS: Record<string, FactsReader> = {
  docx: ooxml,
  xlsx: ooxml,
  pptx: ooxml,
  odt: odf,
  ods: odf,
  odp: odf,
  ole2,
  doc: ole2,
  xls: ole2,
  ppt: ole2,
  msg: ole2,
  pdf: (b) => readPdfFacts(b),
  rtf: (b) => readRtfFacts(b),
  jpeg: image,
  png: image,
  gif: image,
  tiff: image,
  webp: image,
};

/** Names of the reader families, for `unreadable` facts. */
const FAMILY: Record<string, string> = { docx: 'ooxml', xlsx: 'ooxml', pptx: 'ooxml', odt: 'odf', ods: 'odf', odp: 'odf', doc: 'ole2', xls: 'ole2', ppt: 'ole2', msg: 'ole2', jpeg: 'image', png: 'image', gif: 'image', tiff: 'image', webp: 'image' };

/** Facts about a document of this format, or null when there is nothing to read. Never throws. */
export async function readFacts(format: string, bytes: Uint8Array): Promise<Record<string, unknown> | null> {
  const reader = READERS[format];
  if (!reader || bytes.length === 0) return null;
  try {
    const facts = await reader(bytes, format);
    return facts ? { ...(facts as Record<string, unknown>), factsVersion: FACTS_VERSION } : null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { reader: FAMILY[format] ?? format, factsVersion: FACTS_VERSION, unreadable: message.slice(0, 500) };
  }
}
