/**
 * Office Open XML (ECMA-376): docx, xlsx, pptx are zips whose parts name the family (`word/`, `xl/`,
 * `ppt/`). Writers put `[Content_Types].xml` or the family folder early, so the first bytes tell.
 */
import { extensionOf, SCORE_MAGIC, type FormatModule } from './format.ts';
import { isZipMagic } from './zip.ts';

function ooxml(name: string, folder: string, mime: string): FormatModule {
  const marker = Buffer.from(`${folder}/`);
  return {
    name,
    class: 'document',
    mimeTypes: [mime],
    extensions: [name, `${name.slice(0, -1)}m`],
    sniff(head, fileName) {
      if (!isZipMagic(head)) return 0;
      if (Buffer.from(head.buffer, head.byteOffset, head.length).includes(marker)) return SCORE_MAGIC + 20;
      return this.extensions.includes(extensionOf(fileName)) ? SCORE_MAGIC + 10 : 0;
    },
  };
}

export const docxFormat = ooxml('docx', 'word', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
export const xlsxFormat = ooxml('xlsx', 'xl', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
export const pptxFormat = ooxml('pptx', 'ppt', 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
