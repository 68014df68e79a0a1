/**
 * Reads what a document says (its text) and what it says about itself (its metadata), by format.
 * One reader per format, listed once in READERS; runs in an ingest worker, on bytes already in
 * memory. A reader throws ExtractError with a plain reason when the file is damaged; that becomes an
 * error on the item (the original stays stored) and the run goes on.
 */
import { plainTextOf } from './plain-text.ts';
import { readOdp, readOds, readOdt } from './readers/odf-text.ts';
import { readDocx, readPptx, readXlsx } from './readers/ooxml-text.ts';
import { readPdf } from './readers/pdf-reader.ts';
import { readRtf } from './readers/rtf-text.ts';

export interface ExtractedDocument {
  /** The text a reader sees, as lines; null when the format has none (an image). */
  text: string | null;
  /** Fields as the format names them; null when the format has none. */
  metadata: Record<string, unknown> | null;
}

/** A document that cannot be read: the message says why, in plain words. */
export class ExtractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractError';
  }
}

type Reader = (bytes: Uint8Array) => Promise<ExtractedDocument | null> | ExtractedDocument | null;

const plain = (format: string): Reader => (bytes) => {
  const text = plainTextOf(format, bytes);
  return text === null ? null : { text, metadata: null };
};

/**
 * Format name (registry.ts) to its reader. Legacy Word, Excel and PowerPoint (doc, xls, ppt: OLE2)
 * have none: no library on npm reads them both maintained and safe on hostile files.
 */
const READERS: Record<string, Reader> = {
  text: plain('text'),
  csv: plain('csv'),
  html: plain('html'),
  docx: readDocx,
  xlsx: readXlsx,
  pptx: readPptx,
  odt: readOdt,
  ods: readOds,
  odp: readOdp,
  pdf: readPdf,
  rtf: readRtf,
};

/** The text and metadata of a document of this format, or null when trove has no reader for it. */
export async function extractDocument(format: string, bytes: Uint8Array): Promise<ExtractedDocument | null> {
  const reader = READERS[format];
  return reader ? await reader(bytes) : null;
}
