/**
 * Every format trove recognises, one line each (STYLE.md §2). Detection asks each module to score
 * the first bytes and the name, and takes the best: magic bytes beat structure, structure beats the
 * extension. A new format is one module and one line here.
 */
import { emailFormat } from './email.ts';
import { SNIFF_BYTES, type FormatModule } from './format.ts';
import { gifFormat, jpegFormat, pngFormat, tiffFormat, webpFormat } from './image.ts';
import { odpFormat, odsFormat, odtFormat } from './odf.ts';
import { docFormat, msgFormat, ole2Format, pptFormat, xlsFormat } from './ole2.ts';
import { docxFormat, pptxFormat, xlsxFormat } from './ooxml.ts';
import { pdfFormat } from './pdf.ts';
import { csvFormat, htmlFormat, rtfFormat, textFormat } from './text.ts';
import { tnefFormat } from './tnef.ts';
import { zipFormat } from './zip.ts';
import { mboxFormat } from '../sources/mbox.ts';

export const FORMATS: readonly FormatModule[] = [
  emailFormat,
  mboxFormat,
  zipFormat,
  tnefFormat,
  docxFormat,
  xlsxFormat,
  pptxFormat,
  odtFormat,
  odsFormat,
  odpFormat,
  ole2Format,
  docFormat,
  xlsFormat,
  pptFormat,
  msgFormat,
  pdfFormat,
  rtfFormat,
  jpegFormat,
  pngFormat,
  gifFormat,
  tiffFormat,
  webpFormat,
  htmlFormat,
  csvFormat,
  textFormat,
];

/** What an item is when nothing recognises it: kept, hashed, listed, never opened. */
export const UNKNOWN_FORMAT: FormatModule = {
  name: 'unknown',
  class: 'document',
  mimeTypes: ['application/octet-stream'],
  extensions: [],
  sniff: () => 0,
};

/** The best-scoring format for these first bytes and this name. */
export function detectFormat(head: Uint8Array, name: string): FormatModule {
  const sample = head.length > SNIFF_BYTES ? head.subarray(0, SNIFF_BYTES) : head;
  let best = UNKNOWN_FORMAT;
  let bestScore = 0;
  for (const f of FORMATS) {
    const score = f.sniff(sample, name);
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

export function formatByName(name: string): FormatModule {
  return FORMATS.find((f) => f.name === name) ?? UNKNOWN_FORMAT;
}
