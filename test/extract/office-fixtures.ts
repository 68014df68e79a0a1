/**
 * Small office documents written by hand for the reader tests, where the generators (docx-build,
 * xlsx-build) do not reach: Word tables, headers, footnotes and tracked changes; PowerPoint slides
 * and notes; OpenDocument text, spreadsheet and presentation. Each is a minimal but valid package
 * (the parts and relationships Office and LibreOffice need), zipped with yazl through zip-build.ts.
 */
import { buildZip, type ZipMember } from '../support/generator/zip-build.ts';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

const member = (path: string, text: string): ZipMember => ({ path, data: Buffer.from(text, 'utf8') });

function rels(list: [string, string, string][]): string {
  return `${XML}<Relationships xmlns="${PKG_REL}">${list.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('')}</Relationships>`;
}

export const wordParagraph = (text: string): string => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

const CORE_XML =
  `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
  '<dc:title>Présentation</dc:title><dc:creator>Élise Martin</dc:creator><cp:lastModifiedBy>Рошка Георгий Петрович</cp:lastModifiedBy><cp:revision>7</cp:revision>' +
  '<cp:lastPrinted>2017-04-28T08:00:00Z</cp:lastPrinted><dcterms:created xsi:type="dcterms:W3CDTF">2017-04-27T09:15:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">yesterday</dcterms:modified></cp:coreProperties>';

/**
 * A Word document from raw WordprocessingML: `body` goes inside `<w:body>`; `parts` adds parts
 * related from document.xml (`header`, `footer`, `footnotes` ... with their XML), in order.
 */
export async function handDocx(body: string, parts: { type: string; name: string; xml: string }[] = [], documentXml?: string): Promise<Buffer> {
  const docRels = parts.map((p, i): [string, string, string] => [`rId${i + 10}`, `${REL}/${p.type}`, p.name]);
  return buildZip([
    member('[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`),
    member('_rels/.rels', rels([['rId1', `${REL}/officeDocument`, 'word/document.xml'], ['rId2', `${PKG_REL}/metadata/core-properties`, 'docProps/core.xml']])),
    member('word/_rels/document.xml.rels', rels(docRels)),
    member('word/document.xml', documentXml ?? `${XML}<w:document ${W_NS}><w:body>${body}<w:sectPr/></w:body></w:document>`),
    ...parts.map((p) => member(`word/${p.name}`, p.xml)),
    member('docProps/core.xml', CORE_XML),
  ]);
}

/** A header, footer, footnotes or comments part wrapping `inner` in its root element. */
export function wordPart(root: 'hdr' | 'ftr' | 'footnotes' | 'endnotes' | 'comments', inner: string): string {
  return `${XML}<w:${root} ${W_NS}>${inner}</w:${root}>`;
}

const A_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';

/** A slide (or notes) shape tree with one text box per entry, each entry's lines as paragraphs. */
function shapes(root: 'sld' | 'notes', boxes: string[][]): string {
  const sp = boxes.map((lines, i) => `<p:sp><p:nvSpPr><p:cNvPr id="${i + 2}" name="Text ${i}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>${lines.map((l) => `<a:p><a:r><a:rPr lang="fr-FR"/><a:t>${l}</a:t></a:r></a:p>`).join('')}</p:txBody></p:sp>`);
  return `${XML}<p:${root} ${A_NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${sp.join('')}</p:spTree></p:cSld></p:${root}>`;
}

/**
 * A presentation; slides are stored as `slide<file>.xml` but listed in the given order, so that a
 * reader which sorts file names instead of following `p:sldIdLst` gets them wrong. With
 * `brokenSlideList`, the list names relationships that do not exist.
 */
export async function handPptx(slides: { file: number; boxes: string[][]; notes?: string[] }[], brokenSlideList = false): Promise<Buffer> {
  const presRels = slides.map((s, i): [string, string, string] => [`rId${i + 2}`, `${REL}/slide`, `slides/slide${s.file}.xml`]);
  const members: ZipMember[] = [
    member('[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`),
    member('_rels/.rels', rels([['rId1', `${REL}/officeDocument`, 'ppt/presentation.xml'], ['rId2', `${PKG_REL}/metadata/core-properties`, 'docProps/core.xml']])),
    member('ppt/presentation.xml', `${XML}<p:presentation ${A_NS}><p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${brokenSlideList ? 900 + i : i + 2}"/>`).join('')}</p:sldIdLst></p:presentation>`),
    member('ppt/_rels/presentation.xml.rels', rels(presRels)),
    member('docProps/core.xml', CORE_XML),
  ];
  for (const s of slides) {
    members.push(member(`ppt/slides/slide${s.file}.xml`, shapes('sld', s.boxes)));
    if (s.notes) {
      members.push(member(`ppt/slides/_rels/slide${s.file}.xml.rels`, rels([['rId1', `${REL}/notesSlide`, `../notesSlides/notesSlide${s.file}.xml`]])));
      members.push(member(`ppt/notesSlides/notesSlide${s.file}.xml`, shapes('notes', [s.notes])));
    }
  }
  return buildZip(members);
}

const ODF_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2"';

export const ODF_MIME = {
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
} as const;

const ODF_META =
  `${XML}<office:document-meta ${ODF_NS}><office:meta><meta:generator>LibreOffice/5.2.3.3$Windows_X86_64 LibreOffice_project/d54a8868f08a7b39642414cf2c8ef2f228f780cf</meta:generator>` +
  '<dc:title>Procès-verbal</dc:title><meta:initial-creator>Zoé Lefèvre</meta:initial-creator><dc:creator>Jean Dupont</dc:creator><meta:creation-date>2017-03-01T10:20:30.123456789</meta:creation-date>' +
  '<dc:date>2017-05-04T18:00:00</dc:date><meta:editing-cycles>12</meta:editing-cycles><meta:editing-duration>PT2H10M5S</meta:editing-duration><meta:keyword>budget</meta:keyword><meta:keyword>campagne</meta:keyword>' +
  '<meta:document-statistic meta:page-count="2" meta:word-count="40"/></office:meta></office:document-meta>';

/**
 * An OpenDocument package: `mimetype` stored first (so the registry recognises it), then
 * content.xml with `body` inside `<office:body>`, meta.xml and the manifest.
 */
export async function handOdf(kind: keyof typeof ODF_MIME, body: string, content?: string): Promise<Buffer> {
  const mime = ODF_MIME[kind];
  return buildZip([
    { path: 'mimetype', data: Buffer.from(mime), store: true },
    member('content.xml', content ?? `${XML}<office:document-content ${ODF_NS}><office:body>${body}</office:body></office:document-content>`),
    member('meta.xml', ODF_META),
    member('META-INF/manifest.xml', `${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mime}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>`),
  ]);
}

/** A minimal RTF as Word 2016 writes it (French, code page 1252), with accents three ways and a Cyrillic font. */
export const FRENCH_RTF = Buffer.from(
  '{\\rtf1\\adeflang1025\\ansi\\ansicpg1252\\uc1\\adeff31507\\deff0\\deflang1036\\deflangfe1036' +
    '{\\fonttbl{\\f0\\fbidi \\froman\\fcharset0\\fprq2{\\*\\panose 02020603050405020304}Times New Roman;}{\\f1\\fswiss\\fcharset204\\fprq2 Arial Cyr;}}' +
    '{\\colortbl;\\red0\\green0\\blue0;}{\\stylesheet{\\ql \\f0 Normal;}}' +
    '{\\*\\generator Microsoft Word 16.0;}' +
    '{\\info{\\title Communiqu\\\'e9}{\\author Zo\\\'e9 Lef\\\'e8vre}{\\operator \\u1056\\\'3f\\u1086\\\'3f\\u1096\\\'3f\\u1082\\\'3f\\u1072\\\'3f}' +
    '{\\creatim\\yr2017\\mo5\\dy3\\hr9\\min41}{\\revtim\\yr2017\\mo5\\dy5\\hr18\\min2}{\\printim\\yr0\\mo0\\dy0\\hr0\\min0}{\\version3}{\\edmins47}{\\nofpages1}{\\nofwords23}{\\*\\company En Marche}}' +
    '{\\*\\xmlnstbl {\\xmlns1 http://schemas.microsoft.com/office/word/2003/wordml}}' +
    '\\paperw11906\\paperh16838\\margl1417\\margr1417 \\pard\\plain \\ql \\f0\\fs24 ' +
    '{\\pict\\wmetafile8\\picw100\\pich100 010009000003a7}' +
    'Le pr\\\'e9sident a \\u233\\\'e9t\\u233\\\'e9 \\\'e9lu \\\'e0 \\u201\\\'c9vry.\\par ' +
    '{\\field{\\*\\fldinst {HYPERLINK "http://example.org/"}}{\\fldrslt {\\ul Lien vers le site}}}\\par ' +
    '{\\listtext\\pard\\plain \\f0 \\\'b7\\tab}Point un{\\v  (texte cach\\\'e9)}\\par ' +
    '\\trowd \\cellx3000\\cellx6000 Nom\\cell Montant\\cell \\row ' +
    '\\trowd \\cellx3000\\cellx6000 D\\\'e9placements\\cell 1 234,50 \\u8364\\\'80\\cell \\row ' +
    '{\\f1 \\\'cf\\\'f0\\\'e8\\\'e2\\\'e5\\\'f2 \\\'ec\\\'e8\\\'f0}\\par ' +
    '{\\*\\bkmkstart signet}{\\*\\bkmkend signet}Fin du texte\\line ligne suivante.\\par }',
  'latin1',
);
