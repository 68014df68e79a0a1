/**
 * OpenDocument (ISO/IEC 26300 part 3 §3.3): the first zip entry is an uncompressed `mimetype` file,
 * so its content sits at byte 38 of the archive.
 */
import { SCORE_MAGIC, startsWithBytes, type FormatModule } from './format.ts';

function odf(name: string, mime: string): FormatModule {
  return {
    name,
    class: 'document',
    mimeTypes: [mime],
    extensions: [name],
    sniff(head) {
      return startsWithBytes(head, 'PK\x03\x04') && startsWithBytes(head, 'mimetype', 30) && startsWithBytes(head, mime, 38)
        ? SCORE_MAGIC + 20
        : 0;
    },
  };
}

export const odtFormat = odf('odt', 'application/vnd.oasis.opendocument.text');
export const odsFormat = odf('ods', 'application/vnd.oasis.opendocument.spreadsheet');
export const odpFormat = odf('odp', 'application/vnd.oasis.opendocument.presentation');
