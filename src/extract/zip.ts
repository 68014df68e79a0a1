/** Zip archives (PKWARE APPNOTE): a container; `src/sources/zip.ts` reads its entries. */
import { SCORE_EXTENSION, SCORE_MAGIC, startsWithBytes, type FormatModule } from './format.ts';

export function isZipMagic(head: Uint8Array): boolean {
  // Local file header, or an empty archive's end-of-central-directory record.
  return startsWithBytes(head, 'PK\x03\x04') || startsWithBytes(head, 'PK\x05\x06') || startsWithBytes(head, 'PK\x07\x08');
}

export const zipFormat: FormatModule = {
  name: 'zip',
  class: 'container',
  mimeTypes: ['application/zip', 'application/x-zip-compressed'],
  extensions: ['zip'],
  sniff(head, name) {
    if (isZipMagic(head)) return SCORE_MAGIC;
    return /\.zip$/i.test(name) && head.length > 0 ? SCORE_EXTENSION - 10 : 0;
  },
};
