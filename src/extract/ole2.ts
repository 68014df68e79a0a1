/**
 * OLE2 compound files ([MS-CFB]): legacy Word, Excel, PowerPoint and Outlook .msg share one magic
 * number; the extension picks the family until a reader looks inside.
 */
import { extensionOf, SCORE_MAGIC, startsWithBytes, type FormatModule } from './format.ts';

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

function ole2(name: string, extensions: string[], mime: string, bonus: number): FormatModule {
  return {
    name,
    class: 'document',
    mimeTypes: [mime],
    extensions,
    sniff(head, fileName) {
      if (!startsWithBytes(head, OLE2_MAGIC)) return 0;
      return extensions.includes(extensionOf(fileName)) ? SCORE_MAGIC + bonus : SCORE_MAGIC;
    },
  };
}

export const ole2Format = ole2('ole2', [], 'application/x-ole-storage', 0);
export const docFormat = ole2('doc', ['doc', 'dot'], 'application/msword', 10);
export const xlsFormat = ole2('xls', ['xls', 'xlt'], 'application/vnd.ms-excel', 10);
export const pptFormat = ole2('ppt', ['ppt', 'pps'], 'application/vnd.ms-powerpoint', 10);
export const msgFormat = ole2('msg', ['msg'], 'application/vnd.ms-outlook', 10);
