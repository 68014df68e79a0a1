/**
 * Small files made by hand for the forensics tests, where the trove generator does not reach:
 * legacy Office files (written by test/support/generator/ole2-build.ts: property sets and a Word
 * header per [MS-OLEPS] and [MS-DOC] in a container written by the `cfb` package), an OpenDocument
 * text, an RTF file, a PNG with text chunks, a JPEG with an XMP packet, and a PDF 1.5 with an
 * object stream and a cross-reference stream.
 */
import { deflateSync } from 'node:zlib';
import { oleFile, propertySetStream, wordDocumentStream, type PropertyInput } from '../support/generator/ole2-build.ts';
import { buildZip } from '../support/generator/zip-build.ts';

export { oleFile, propertySetStream, type PropertyInput };

/** A legacy Word document (Word 2007 FIB, install language `lid`) with summary properties. */
export function legacyWord(summary: PropertyInput[], docSummary: PropertyInput[] = [], codepage = 1252, lid = 0x040c): Buffer {
  return oleFile({
    '\u0005SummaryInformation': propertySetStream('summary', summary, codepage),
    '\u0005DocumentSummaryInformation': propertySetStream('docSummary', docSummary, codepage),
    WordDocument: wordDocumentStream(lid, 2007, ''),
  });
}

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ODF_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"';

/** An OpenDocument text with meta.xml, declared fonts and one tracked change. */
export async function odt(meta: { generator: string; initialCreator: string; creator: string; created: string; modified: string; duration: string; change?: { author: string; date: string } }): Promise<Buffer> {
  const change = meta.change
    ? `<text:tracked-changes><text:changed-region text:id="ct1"><text:insertion><office:change-info><dc:creator>${meta.change.author}</dc:creator><dc:date>${meta.change.date}</dc:date></office:change-info></text:insertion></text:changed-region></text:tracked-changes>`
    : '';
  return buildZip([
    { path: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text'), store: true },
    { path: 'meta.xml', data: Buffer.from(`${XML}<office:document-meta ${ODF_NS}><office:meta><meta:generator>${meta.generator}</meta:generator><meta:initial-creator>${meta.initialCreator}</meta:initial-creator><dc:creator>${meta.creator}</dc:creator><meta:creation-date>${meta.created}</meta:creation-date><dc:date>${meta.modified}</dc:date><meta:editing-duration>${meta.duration}</meta:editing-duration><meta:editing-cycles>3</meta:editing-cycles></office:meta></office:document-meta>`) },
    { path: 'content.xml', data: Buffer.from(`${XML}<office:document-content ${ODF_NS}><office:font-face-decls><style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"/><style:font-face style:name="Calibri" svg:font-family="Calibri"/></office:font-face-decls><office:body><office:text>${change}<text:p>Bonjour.</text:p></office:text></office:body></office:document-content>`) },
  ]);
}

/** An RTF file with an \info group as Word writes it. */
export function rtf(info: { author: string; operator: string; created: [number, number, number, number, number]; revised: [number, number, number, number, number]; edmins: number }): Buffer {
  const t = ([yr, mo, dy, hr, min]: [number, number, number, number, number]): string => `\\yr${yr}\\mo${mo}\\dy${dy}\\hr${hr}\\min${min}`;
  return Buffer.from(
    `{\\rtf1\\ansi\\ansicpg1251\\deff0\\deflang1049{\\fonttbl{\\f0\\froman\\fcharset204 Times New Roman;}{\\f1\\fswiss\\fcharset0 Calibri;}}` +
    `{\\*\\generator Riched20 10.0.19041}{\\info{\\author ${info.author}}{\\operator ${info.operator}}{\\creatim${t(info.created)}}{\\revtim${t(info.revised)}}{\\edmins${info.edmins}}}` +
    '\\pard Bonjour.\\par}',
    'latin1',
  );
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  // The CRC is not checked by the reader; a real one is not needed here.
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

/** A 1×1 PNG with tEXt, iTXt (XMP) and tIME chunks. */
export function png(text: Record<string, string>, xmp?: string): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const chunks = [pngChunk('IHDR', ihdr)];
  for (const [k, v] of Object.entries(text)) chunks.push(pngChunk('tEXt', Buffer.concat([Buffer.from(k, 'latin1'), Buffer.from([0]), Buffer.from(v, 'latin1')])));
  if (xmp) chunks.push(pngChunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(xmp, 'utf8')])));
  chunks.push(pngChunk('tIME', Buffer.from([0x07, 0xe1, 5, 3, 10, 20, 30])));
  chunks.push(pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))), pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

/** An XMP packet with dates, a creator tool and an edit history. */
export function xmpPacket(fields: { created: string; modified: string; tool: string; history: { action: string; when: string; agent: string }[] }): string {
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:CreateDate="${fields.created}" xmp:CreatorTool="${fields.tool}">` +
    `<xmp:ModifyDate>${fields.modified}</xmp:ModifyDate><dc:creator><rdf:Seq><rdf:li>Thomas Brière</rdf:li></rdf:Seq></dc:creator>` +
    `<xmpMM:History><rdf:Seq>${fields.history.map((h, i) => (i % 2 ? `<rdf:li rdf:parseType="Resource"><stEvt:action>${h.action}</stEvt:action><stEvt:when>${h.when}</stEvt:when><stEvt:softwareAgent>${h.agent}</stEvt:softwareAgent></rdf:li>` : `<rdf:li stEvt:action="${h.action}" stEvt:when="${h.when}" stEvt:softwareAgent="${h.agent}"/>`)).join('')}</rdf:Seq></xmpMM:History>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
}

/** A JPEG with an XMP packet in APP1, inserted after SOI. */
export function withXmp(jpeg: Buffer, packet: string): Buffer {
  const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(packet, 'utf8')]);
  const head = Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), head, payload, jpeg.subarray(2)]);
}

/**
 * A PDF 1.5 whose objects sit in an object stream, with a cross-reference stream (PNG Up predictor,
 * as Acrobat and qpdf write them) and an Info dictionary in the object stream.
 */
export function pdfWithObjectStreams(info: { producer: string; created: string }): Buffer {
  const objs: [number, string][] = [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>'],
    [5, '<< /Type /Font /Subtype /TrueType /BaseFont /QWERTY+Cambria#20Math >>'],
    [6, `<< /Producer (${info.producer}) /CreationDate (${info.created}) >>`],
  ];
  const inStream = objs.filter(([n]) => n !== 4);
  let body = '';
  const header: string[] = [];
  for (const [n, text] of inStream) {
    header.push(`${n} ${body.length}`);
    body += text + '\n';
  }
  const first = header.join(' ').length + 1;
  const objstm = deflateSync(Buffer.from(header.join(' ') + '\n' + body, 'latin1'));
  const content = Buffer.from('BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n', 'latin1');
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = parts[0]!.length;
  const offsets = new Map<number, number>();
  const push = (n: number, b: Buffer): void => {
    offsets.set(n, pos);
    parts.push(b);
    pos += b.length;
  };
  push(4, Buffer.concat([Buffer.from(`4 0 obj\n<< /Length ${content.length} >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream\nendobj\n', 'latin1')]));
  push(7, Buffer.concat([Buffer.from(`7 0 obj\n<< /Type /ObjStm /N ${inStream.length} /First ${first} /Filter /FlateDecode /Length ${objstm.length} >>\nstream\n`, 'latin1'), objstm, Buffer.from('\nendstream\nendobj\n', 'latin1')]));
  const xrefAt = pos;
  // Rows: type (1 byte), field 2 (2 bytes), field 3 (1 byte), for objects 0..8.
  const rows: number[][] = [[0, 0, 0, 255]];
  for (let n = 1; n <= 8; n++) {
    if (n === 4 || n === 7) rows.push([1, (offsets.get(n)! >> 8) & 0xff, offsets.get(n)! & 0xff, 0]);
    else if (n === 8) rows.push([1, (xrefAt >> 8) & 0xff, xrefAt & 0xff, 0]);
    else rows.push([2, 0, 7, inStream.findIndex(([m]) => m === n)]);
  }
  // PNG Up predictor: each row prefixed with filter 2 and stored as the difference from the row above.
  const raw: number[] = [];
  let prev = [0, 0, 0, 0];
  for (const r of rows) {
    raw.push(2, ...r.map((v, i) => (v - (prev[i] as number) + 256) & 0xff));
    prev = r;
  }
  const xref = deflateSync(Buffer.from(raw));
  push(8, Buffer.concat([Buffer.from(`8 0 obj\n<< /Type /XRef /Size 9 /W [1 2 1] /Root 1 0 R /Info 6 0 R /Filter /FlateDecode /DecodeParms << /Columns 4 /Predictor 12 >> /Length ${xref.length} >>\nstream\n`, 'latin1'), xref, Buffer.from('\nendstream\nendobj\n', 'latin1')]));
  parts.push(Buffer.from(`startxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}
