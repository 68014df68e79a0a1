/**
 * Word documents (ECMA-376 WordprocessingML) as Word 2010-2016 saves them: the usual parts in
 * Word's member order, revision-save ids (rsids), statistics in app.xml, optionally an inline JPEG
 * picture. Valid packages that Word and LibreOffice open.
 */
import { createHash } from 'node:crypto';
import { CT, REL, XML_DECLARATION, appPropsXml, contentTypesXml, corePropsXml, escapeXml, packageRelsXml, relationshipsXml } from './ooxml-parts.ts';
import type { OfficeMetadata } from './ooxml-parts.ts';
import { buildZip } from './zip-build.ts';

/** One paragraph of body text. */
export interface DocxParagraph {
  text: string;
  style?: 'Title' | 'Heading1' | 'Normal';
  bold?: boolean;
}

/** A Word document: metadata, paragraphs and an optional picture (JPEG bytes). */
export interface DocxOptions extends OfficeMetadata {
  paragraphs: (DocxParagraph | string)[];
  image?: { jpeg: Buffer; widthPx: number; heightPx: number };
  /** Proofing language (`fr-FR`, `en-US`). */
  language?: string;
  /** Fonts of word/fontTable.xml (default: Calibri, Times New Roman, Calibri Light, as Word 2013-2016 writes). */
  fonts?: string[];
  /** The app.xml heading Word writes in its interface language (default `Titre`: a French Word). */
  headingLabel?: string;
  /** Tracked insertions appended as paragraphs (`w:ins` with author and date, ms since epoch). */
  trackedChanges?: { author: string; date: number; text: string }[];
}

const W_NS =
  'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14 wp14"';

/** English Microsoft Word counts 914400 EMU per inch; pictures are placed at 96 dpi. */
const EMU_PER_PX = 9525;

/** Eight hex digits per revision-save id, derived from the content so the file is reproducible. */
function rsids(seedText: string, count: number): string[] {
  const hex = createHash('sha256').update(seedText).digest('hex').repeat(2).toUpperCase();
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push('00' + hex.slice(i * 6, i * 6 + 6));
  return out;
}

function documentXml(opts: DocxOptions, ids: string[]): string {
  const lang = opts.language ?? 'fr-FR';
  const paras = opts.paragraphs.map((p, i) => {
    const para = typeof p === 'string' ? { text: p } : p;
    const rsid = ids[i % ids.length] as string;
    const pPr = para.style && para.style !== 'Normal' ? `<w:pPr><w:pStyle w:val="${para.style}"/></w:pPr>` : '';
    const rPr = para.bold ? `<w:rPr><w:b/><w:lang w:val="${lang}"/></w:rPr>` : '';
    return `<w:p w:rsidR="${rsid}" w:rsidRDefault="${ids[0]}">${pPr}<w:r${para.bold ? '' : ` w:rsidRPr="${rsid}"`}>${rPr}<w:t xml:space="preserve">${escapeXml(para.text)}</w:t></w:r></w:p>`;
  });
  for (const [k, c] of (opts.trackedChanges ?? []).entries()) {
    // Word writes w:date in local time marked Z; the generator writes UTC.
    const date = new Date(Math.floor(c.date / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    paras.push(`<w:p w:rsidR="${ids[0]}" w:rsidRDefault="${ids[0]}"><w:ins w:id="${k + 1}" w:author="${escapeXml(c.author)}" w:date="${date}"><w:r><w:t xml:space="preserve">${escapeXml(c.text)}</w:t></w:r></w:ins></w:p>`);
  }
  if (opts.image) {
    const cx = opts.image.widthPx * EMU_PER_PX;
    const cy = opts.image.heightPx * EMU_PER_PX;
    paras.push(
      `<w:p w:rsidR="${ids[0]}" w:rsidRDefault="${ids[0]}"><w:r><w:rPr><w:noProof/></w:rPr><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="1" name="Image 1"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="image1.jpeg"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId4"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
    );
  }
  return (
    XML_DECLARATION +
    `<w:document ${W_NS}><w:body>${paras.join('')}` +
    `<w:sectPr w:rsidR="${ids[0]}"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr></w:body></w:document>`
  );
}

function stylesXml(lang: string): string {
  const style = (id: string, name: string, extra: string): string =>
    `<w:style w:type="paragraph"${id === 'Normal' ? ' w:default="1"' : ''} w:styleId="${id}"><w:name w:val="${name}"/>${id === 'Normal' ? '' : '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'}<w:qFormat/>${extra}</w:style>`;
  return (
    XML_DECLARATION +
    `<w:styles xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">` +
    `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="${lang}" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    style('Normal', 'Normal', '') +
    style('Title', 'Title', '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:contextualSpacing/></w:pPr><w:rPr><w:rFonts w:asciiTheme="majorHAnsi" w:hAnsiTheme="majorHAnsi"/><w:spacing w:val="-10"/><w:kern w:val="28"/><w:sz w:val="56"/><w:szCs w:val="56"/></w:rPr>') +
    style('Heading1', 'heading 1', '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="0"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:asciiTheme="majorHAnsi" w:hAnsiTheme="majorHAnsi"/><w:color w:val="2E74B5" w:themeColor="accent1" w:themeShade="BF"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>') +
    '</w:styles>'
  );
}

function settingsXml(ids: string[], lang: string): string {
  return (
    XML_DECLARATION +
    `<w:settings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:proofState w:spelling="clean" w:grammar="clean"/><w:defaultTabStop w:val="708"/><w:hyphenationZone w:val="425"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
    `<w:rsids><w:rsidRoot w:val="${ids[0]}"/>${ids.map((id) => `<w:rsid w:val="${id}"/>`).join('')}</w:rsids>` +
    `<w:themeFontLang w:val="${lang}"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>`
  );
}

const FONT_TABLE =
  XML_DECLARATION +
  '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="Calibri"><w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="Calibri Light"><w:panose1 w:val="020F0302020204030204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>';

/** A font table naming `fonts` (without panose data). */
function fontTableXml(fonts: string[]): string {
  return XML_DECLARATION + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts.map((f) => `<w:font w:name="${escapeXml(f)}"><w:charset w:val="00"/><w:pitch w:val="variable"/></w:font>`).join('')}</w:fonts>`;
}

/** A .docx file. */
export async function buildDocx(opts: DocxOptions): Promise<Buffer> {
  const lang = opts.language ?? 'fr-FR';
  const texts = opts.paragraphs.map((p) => (typeof p === 'string' ? p : p.text));
  const ids = rsids(texts.join('\n') + opts.creator + opts.created, Math.min(8, 2 + Math.floor(texts.length / 3)));
  const words = texts.reduce((n, t) => n + t.split(/\s+/).filter(Boolean).length, 0);
  const chars = texts.reduce((n, t) => n + t.replace(/\s/g, '').length, 0);
  const charsWithSpaces = texts.reduce((n, t) => n + t.length, 0);
  const lines = texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 90)), 0);
  const stats =
    `<Pages>${Math.max(1, Math.ceil(lines / 46))}</Pages><Words>${words}</Words><Characters>${chars}</Characters>{APPLICATION}` +
    `<DocSecurity>0</DocSecurity><Lines>${lines}</Lines><Paragraphs>${texts.length}</Paragraphs><ScaleCrop>false</ScaleCrop>` +
    `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>${escapeXml(opts.headingLabel ?? 'Titre')}</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>${escapeXml(opts.title ?? '')}</vt:lpstr></vt:vector></TitlesOfParts>` +
    `<CharactersWithSpaces>${charsWithSpaces}</CharactersWithSpaces>`;

  const docRels: [string, string, string][] = [
    ['rId3', REL.fontTable, 'fontTable.xml'],
    ['rId2', REL.settings, 'settings.xml'],
    ['rId1', REL.styles, 'styles.xml'],
  ];
  if (opts.image) docRels.push(['rId4', REL.image, 'media/image1.jpeg']);
  const W = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
  const members = [
    {
      path: '[Content_Types].xml',
      data: Buffer.from(
        contentTypesXml(
          [['rels', CT.rels], ['xml', CT.xml], ...(opts.image ? ([['jpeg', CT.jpeg]] as [string, string][]) : [])],
          [
            ['/word/document.xml', `${W}.document.main+xml`],
            ['/word/styles.xml', `${W}.styles+xml`],
            ['/word/settings.xml', `${W}.settings+xml`],
            ['/word/fontTable.xml', `${W}.fontTable+xml`],
            ['/docProps/core.xml', CT.core],
            ['/docProps/app.xml', CT.app],
          ],
        ),
      ),
    },
    { path: '_rels/.rels', data: Buffer.from(packageRelsXml('word/document.xml')) },
    { path: 'word/_rels/document.xml.rels', data: Buffer.from(relationshipsXml(docRels)) },
    { path: 'word/document.xml', data: Buffer.from(documentXml(opts, ids)) },
    ...(opts.image ? [{ path: 'word/media/image1.jpeg', data: opts.image.jpeg, store: true }] : []),
    { path: 'word/settings.xml', data: Buffer.from(settingsXml(ids, lang)) },
    { path: 'word/styles.xml', data: Buffer.from(stylesXml(lang)) },
    { path: 'word/fontTable.xml', data: Buffer.from(opts.fonts ? fontTableXml(opts.fonts) : FONT_TABLE) },
    { path: 'docProps/core.xml', data: Buffer.from(corePropsXml(opts)) },
    { path: 'docProps/app.xml', data: Buffer.from(appPropsXml(opts, 'Microsoft Office Word', stats)) },
  ];
  return buildZip(members);
}
