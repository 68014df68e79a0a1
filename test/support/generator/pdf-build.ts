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

/** A PDF: text pages (lines of text each) and/or scanned pages (baseline JPEG bytes). */
export interface PdfOptions extends PdfInfo {
  pages: ({ lines: string[] } | { jpeg: Buffer; widthPx: number; heightPx: number })[];
  /** Flate-compress text content streams (default true, as every modern producer does). */
  compress?: boolean;
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
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
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
