/**
 * The PDF thread's entry point (started by pdf-reader.ts): reads one PDF per message with
 * pdf-text.ts and answers with its text and metadata, or with the reason it could not.
 */
import { parentPort } from 'node:worker_threads';
import { ExtractError } from '../extract-document.ts';
import { extractPdf } from './pdf-text.ts';

/** What the PDF thread answers to a request `{ id, bytes }`. */
export type PdfThreadAnswer = { id: number; result: Awaited<ReturnType<typeof extractPdf>> } | { id: number; error: string };

// pdf.js prefetches objects it may never await (Catalog.getPageDict puts `xref.fetchAsync` promises in a
// cache); on a damaged file those reject with nobody listening. In this thread, which runs nothing but
// pdf.js, such a rejection is noise, not a crash: the document's own outcome is reported by its request.
process.on('unhandledRejection', () => {});

parentPort?.on('message', async ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  let answer: PdfThreadAnswer;
  try {
    answer = { id, result: await extractPdf(bytes) };
  } catch (err) {
    answer = { id, error: err instanceof ExtractError ? err.message : `pdf.js failed on this file (${(err as Error)?.message ?? String(err)})` };
  }
  parentPort?.postMessage(answer);
});
