/** PDF (ISO 32000): the header `%PDF-` may follow up to 1 KB of junk, which readers tolerate. */
import { SCORE_EXTENSION, SCORE_MAGIC, type FormatModule } from './format.ts';

export const pdfFormat: FormatModule = {
  name: 'pdf',
  class: 'document',
  mimeTypes: ['application/pdf'],
  extensions: ['pdf'],
  sniff(head, name) {
    const at = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 1024)).indexOf('%PDF-');
    if (at === 0) return SCORE_MAGIC;
    if (at > 0) return SCORE_MAGIC - 10;
    return /\.pdf$/i.test(name) && head.length > 0 ? SCORE_EXTENSION - 10 : 0;
  },
};
