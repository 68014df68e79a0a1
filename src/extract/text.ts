/** Plain text, HTML and RTF: no magic number, so structure and extension decide. */
import { extensionOf, SCORE_EXTENSION, SCORE_MAGIC, SCORE_STRUCTURE, startsWithBytes, type FormatModule } from './format.ts';

/** Share of bytes that may be control characters before a file stops being text. */
const MAX_BINARY_SHARE = 0.02;

export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control / head.length <= MAX_BINARY_SHARE;
}

export const htmlFormat: FormatModule = {
  name: 'html',
  class: 'document',
  mimeTypes: ['text/html'],
  extensions: ['html', 'htm'],
  sniff(head, name) {
    const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 512)).toString('latin1').trimStart().toLowerCase();
    if (start.startsWith('<!doctype html') || start.startsWith('<html')) return SCORE_STRUCTURE + 10;
    return this.extensions.includes(extensionOf(name)) && looksLikeText(head) ? SCORE_EXTENSION + 5 : 0;
  },
};

export const rtfFormat: FormatModule = {
  name: 'rtf',
  class: 'document',
  mimeTypes: ['application/rtf', 'text/rtf'],
  extensions: ['rtf'],
  sniff: (head) => (startsWithBytes(head, '{\\rtf') ? SCORE_MAGIC : 0),
};

export const csvFormat: FormatModule = {
  name: 'csv',
  class: 'document',
  mimeTypes: ['text/csv'],
  extensions: ['csv', 'tsv'],
  sniff(head, name) {
    return this.extensions.includes(extensionOf(name)) && looksLikeText(head) ? SCORE_EXTENSION + 5 : 0;
  },
};

export const textFormat: FormatModule = {
  name: 'text',
  class: 'document',
  mimeTypes: ['text/plain'],
  extensions: ['txt', 'text', 'log', 'md'],
  sniff(head, name) {
    if (!looksLikeText(head)) return 0;
    return this.extensions.includes(extensionOf(name)) ? SCORE_EXTENSION + 2 : SCORE_EXTENSION - 5;
  },
};
