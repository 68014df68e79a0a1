/**
 * PDF 1.4 files written by hand (ISO 32000-1 §7.5: header, numbered objects, a cross-reference
 * table with exact byte offsets, trailer with /Info and /ID). Text pages use the standard
 * Helvetica font with WinAnsiEncoding, so French accents render; a "scan" page is one JPEG image
 * (DCTDecode), as office copiers produce.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { encodeText } from './charsets.ts';
import { formatPdfDate } from './date-format.ts';

/** Metadata of the document Info dictionary (§14.3.3). */
export interface PdfInfo {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  /** Authoring application (`Microsoft® Word 2013`). */
  creator?: string;
  /** Converter (`Microsoft® Word 2013`, `LibreOffice 5.2`, `Acrobat Distiller 11.0 (Windows)`). */
  producer?: string;
  created: number;
  modified: number;
  /** UTC offset written in the dates. */
  offsetMinutes?: number;
}

/** The XMP metadata stream (§14.3.2); each field defaults to the Info value (consistent, as writers make it). */
export interface PdfXmp {
  created?: number;
  modified?: number;
  producer?: string;
  creatorTool?: string;
  author?: string;
}

/** A PDF: text pages (lines of text each) and/or scanned pages (baseline JPEG bytes). */
export interface PdfOptions extends PdfInfo {
  pages: ({ lines: string[] } | { jpeg: Buffer; widthPx: number; heightPx: number })[];
  /** Flate-compress text content streams (default true, as every modern producer does). */
  compress?: boolean;
  /** Write an XMP metadata stream too (default: none). */
  xmp?: PdfXmp;
  /** The text font's /BaseFont (default the standard Helvetica; `ABCDEF+Calibri` names an embedded subset). */
  fontName?: string;
}

/** XMP date: `2017-03-02T14:03:11+01:00`. */
function formatXmpDate(utcMs: number, offsetMinutes: number): string {
  const d = new Date(Math.floor(utcMs / 1000) * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${d}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const xmlText = (t: string): string => t.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));

/** An XMP packet as Office and Acrobat write it into PDFs. */
function xmpPacket(info: PdfInfo, xmp: PdfXmp, off: number): Buffer {
  const producer = xmp.producer ?? info.producer;
  const tool = xmp.creatorTool ?? info.creator;
  const author = xmp.author ?? info.author;
  const id = createHash('md5').update(`${info.title ?? ''}${info.created}`).digest('hex');
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  const body =
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">' +
    (producer ? `<pdf:Producer>${xmlText(producer)}</pdf:Producer>` : '') +
    (tool ? `<xmp:CreatorTool>${xmlText(tool)}</xmp:CreatorTool>` : '') +
    `<xmp:CreateDate>${formatXmpDate(xmp.created ?? info.created, off)}</xmp:CreateDate><xmp:ModifyDate>${formatXmpDate(xmp.modified ?? info.modified, off)}</xmp:ModifyDate>` +
    (author ? `<dc:creator><rdf:Seq><rdf:li>${xmlText(author)}</rdf:li></rdf:Seq></dc:creator>` : '') +
    (info.title ? `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(info.title)}</rdf:li></rdf:Alt></dc:title>` : '') +
    `<xmpMM:DocumentID>uuid:${uuid}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:${uuid}</xmpMM:InstanceID></rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>`;
  return Buffer.from(body, 'utf8');
}

/** A4 in points. */
const PAGE_W = 595;
const PAGE_H = 842;

/** A PDF literal string in WinAnsiEncoding bytes: `( \ )` escaped, non-ASCII as octal. */
function pdfString(text: string): string {
  const bytes = encodeText(text, 'windows-1252') ?? Buffer.from(text.replace(/[^\x20-\x7e]/g, '?'), 'latin1');
  let s = '(';
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) s += '\\' + String.fromCharCode(b);
    else if (b < 0x20 || b > 0x7e) s += '\\' + b.toString(8).padStart(3, '0');
    else s += String.fromCharCode(b);
  }
  return s + ')';
}

/** A text string for the Info dictionary: PDFDocEncoding-compatible when possible, else UTF-16BE. */
function infoString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return pdfString(text);
  const utf16 = Buffer.from('\ufeff' + text, 'utf16le').swap16();
  return '<' + utf16.toString('hex').toUpperCase() + '>';
}

/** A .pdf file. */
export function buildPdf(opts: PdfOptions): Buffer {
  const objects: Buffer[] = [];
  const add = (body: string | Buffer): number => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };
  const stream = (dict: string, data: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);

  // Object numbers are fixed up front: 1 catalog, 2 pages, 3 font, then per page.
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('');
  add(`<< /Type /Font /Subtype /${opts.fontName ? 'TrueType' : 'Type1'} /BaseFont /${opts.fontName ?? 'Helvetica'} /Encoding /WinAnsiEncoding >>`);
  const pageIds: number[] = [];
  for (const page of opts.pages) {
    let content: Buffer;
    let resources: string;
    if ('jpeg' in page) {
      const img = add(stream(`/Type /XObject /Subtype /Image /Width ${page.widthPx} /Height ${page.heightPx} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode`, page.jpeg));
      content = Buffer.from(`q\n${PAGE_W} 0 0 ${PAGE_H} 0 0 cm\n/Im0 Do\nQ\n`, 'latin1');
      resources = `<< /XObject << /Im0 ${img} 0 R >> /ProcSet [/PDF /ImageC] >>`;
    } else {
      const ops = ['BT', '/F1 11 Tf', '14 TL', `72 ${PAGE_H - 72} Td`];
      page.lines.forEach((line, i) => {
        if (i === 0) ops.push('/F1 16 Tf', `${pdfString(line)} Tj`, '/F1 11 Tf', 'T*', 'T*');
        else ops.push(`${pdfString(line)} Tj`, 'T*');
      });
      ops.push('ET');
      content = Buffer.from(ops.join('\n') + '\n', 'latin1');
      resources = '<< /Font << /F1 3 0 R >> /ProcSet [/PDF /Text] >>';
    }
    const compress = opts.compress !== false && !('jpeg' in page);
    const contentId = add(compress ? stream('/Filter /FlateDecode', deflateSync(content)) : stream('', content));
    pageIds.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources ${resources} /Contents ${contentId} 0 R >>`));
  }
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`, 'latin1');
  const off = opts.offsetMinutes ?? 60;
  const info: string[] = [];
  if (opts.title) info.push(`/Title ${infoString(opts.title)}`);
  if (opts.author) info.push(`/Author ${infoString(opts.author)}`);
  if (opts.subject) info.push(`/Subject ${infoString(opts.subject)}`);
  if (opts.keywords) info.push(`/Keywords ${infoString(opts.keywords)}`);
  if (opts.creator) info.push(`/Creator ${infoString(opts.creator)}`);
  if (opts.producer) info.push(`/Producer ${infoString(opts.producer)}`);
  info.push(`/CreationDate (${formatPdfDate(opts.created, off)})`, `/ModDate (${formatPdfDate(opts.modified, off)})`);
  const infoId = add(`<< ${info.join(' ')} >>`);
  if (opts.xmp) {
    const data = xmpPacket(opts, opts.xmp, off);
    const metaId = add(stream('/Type /Metadata /Subtype /XML', data));
    objects[0] = Buffer.from(`<< /Type /Catalog /Pages 2 0 R /Metadata ${metaId} 0 R >>`, 'latin1');
  }

  // Header with a binary comment line (§7.5.2) so transfer tools treat the file as binary.
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = (parts[0] as Buffer).length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pos);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    pos += chunk.length;
  });
  const id = createHash('md5').update(Buffer.concat(parts)).digest('hex').toUpperCase();
  // Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, CR LF (§7.5.4).
  const xref = ['xref', `0 ${objects.length + 1}`, '0000000000 65535 f\r', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r`)].join('\n') + '\n';
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoId} 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${pos}\n%%EOF\n`;
  parts.push(Buffer.from(xref + trailer, 'latin1'));
  return Buffer.concat(parts);
}

/** What an incremental update (§7.5.6) appended to a PDF changes. */
export interface PdfRevisionOptions {
  /** `content` redraws the first page with `lines`; `annotation` adds a comment; `signature` adds a signature field; `metadata` only rewrites the Info dictionary. */
  kind: 'content' | 'annotation' | 'signature' | 'metadata';
  modified: number;
  offsetMinutes?: number;
  producer?: string;
  author?: string;
  /** For `content`: the first page's new lines. */
  lines?: string[];
  /** When the PDF has an XMP packet, rewrite it from this Info with the new modification date (as Acrobat does). */
  updateXmp?: PdfInfo;
}

/**
 * Appends an incremental update to a PDF made by buildPdf, as Acrobat, PDFsharp or iText write one:
 * the changed objects, a cross-reference section for them alone, and a trailer with /Prev.
 */
export function appendPdfRevision(base: Buffer, opts: PdfRevisionOptions): Buffer {
  const text = base.toString('latin1');
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size (\d+)/.exec(trailer)?.[1]);
  const root = Number(/\/Root (\d+) 0 R/.exec(trailer)?.[1]);
  const infoNum = Number(/\/Info (\d+) 0 R/.exec(trailer)?.[1]);
  const id = /\/ID \[<([0-9A-F]+)>/.exec(trailer)?.[1] ?? '';
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const page = /(\d+) 0 obj\n<< \/Type \/Page \/Parent 2 0 R (\/MediaBox \[[^\]]*\] \/Resources .*?) \/Contents (\d+) 0 R >>\nendobj/.exec(text);
  const oldInfo = new RegExp(`\\n${infoNum} 0 obj\\n<< (.*?) >>\\nendobj`).exec(text)?.[1] ?? '';
  if (!size || !root || !infoNum || !page || !prev) throw new Error('appendPdfRevision: not a PDF made by buildPdf');
  const off = opts.offsetMinutes ?? 60;
  const objects: [number, Buffer][] = [];
  let next = size;
  const pageNum = Number(page[1]);
  if (opts.kind === 'content') {
    const ops = ['BT', '/F1 11 Tf', '14 TL', `72 ${PAGE_H - 72} Td`, ...(opts.lines ?? []).flatMap((l) => [`${pdfString(l)} Tj`, 'T*']), 'ET'];
    const data = deflateSync(Buffer.from(ops.join('\n') + '\n', 'latin1'));
    const contentNum = next++;
    objects.push([contentNum, Buffer.concat([Buffer.from(`<< /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')])]);
    objects.push([pageNum, Buffer.from(`<< /Type /Page /Parent 2 0 R ${page[2]} /Contents ${contentNum} 0 R >>`, 'latin1')]);
  } else if (opts.kind === 'annotation') {
    const annot = next++;
    objects.push([annot, Buffer.from(`<< /Type /Annot /Subtype /Text /Rect [500 780 520 800] /Contents ${pdfString('Vu.')} /T ${infoString(opts.author ?? 'Relecteur')} /M (${formatPdfDate(opts.modified, off)}) >>`, 'latin1')]);
    objects.push([pageNum, Buffer.from(`<< /Type /Page /Parent 2 0 R ${page[2]} /Contents ${page[3]} 0 R /Annots [${annot} 0 R] >>`, 'latin1')]);
  } else if (opts.kind === 'signature') {
    const sig = next++;
    const field = next++;
    objects.push([sig, Buffer.from(`<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 0 0 0] /Contents <${'0'.repeat(64)}> /M (${formatPdfDate(opts.modified, off)}) >>`, 'latin1')]);
    objects.push([field, Buffer.from(`<< /FT /Sig /T (Signature1) /V ${sig} 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P ${pageNum} 0 R >>`, 'latin1')]);
    const catalog = new RegExp(`\\n${root} 0 obj\\n<< (.*?) >>\\nendobj`).exec(text)?.[1] ?? '/Type /Catalog /Pages 2 0 R';
    objects.push([root, Buffer.from(`<< ${catalog} /AcroForm << /Fields [${field} 0 R] /SigFlags 3 >> >>`, 'latin1')]);
  }
  // A careful writer (Acrobat) rewrites the XMP packet with the new modification date; PDFsharp does not.
  const metadata = Number(/\/Metadata (\d+) 0 R/.exec(text)?.[1]);
  if (opts.updateXmp && metadata) {
    const data = xmpPacket(opts.updateXmp, { modified: opts.modified, producer: opts.producer ?? opts.updateXmp.producer }, off);
    objects.push([metadata, Buffer.concat([Buffer.from(`<< /Type /Metadata /Subtype /XML /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')])]);
  }
  const PRODUCER = /\/Producer (?:\([^)]*\)|<[0-9A-F]*>)/;
  const AUTHOR = /\/Author (?:\([^)]*\)|<[0-9A-F]*>)/;
  let entries = oldInfo.replace(/\/ModDate \([^)]*\)/, '');
  if (opts.producer) entries = `${entries.replace(PRODUCER, '')} /Producer ${infoString(opts.producer)}`;
  if (opts.author) entries = `${entries.replace(AUTHOR, '')} /Author ${infoString(opts.author)}`;
  const newInfo = `${entries.replace(/\s+/g, ' ').trim()} /ModDate (${formatPdfDate(opts.modified, off)})`;
  objects.push([infoNum, Buffer.from(`<< ${newInfo} >>`, 'latin1')]);
  objects.sort((a, b) => a[0] - b[0]);

  const parts: Buffer[] = [base];
  let pos = base.length;
  const offsets = new Map<number, number>();
  for (const [num, body] of objects) {
    offsets.set(num, pos);
    const chunk = Buffer.concat([Buffer.from(`${num} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    pos += chunk.length;
  }
  const lines = ['xref'];
  for (const [num] of objects) lines.push(`${num} 1`, `${String(offsets.get(num)).padStart(10, '0')} 00000 n\r`);
  const newId = createHash('md5').update(Buffer.concat(parts)).digest('hex').toUpperCase();
  const tail = `${lines.join('\n')}\ntrailer\n<< /Size ${next} /Root ${root} 0 R /Info ${infoNum} 0 R /Prev ${prev} /ID [<${id}> <${newId}>] >>\nstartxref\n${pos}\n%%EOF\n`;
  parts.push(Buffer.from(tail, 'latin1'));
  return Buffer.concat(parts);
}
