/**
 * Text for the search index from formats that are text already: plain text, CSV and HTML (files, and
 * emails that have only an HTML part). Richer formats (office files, PDF) get their own extractors.
 * Nothing here runs or fetches anything: HTML is read as characters, never rendered.
 */

/** Characters of text kept for the index per item; the original is always whole in the blob store. */
export const MAX_INDEXED_TEXT_CHARS = 2_000_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const win1252 = new TextDecoder('windows-1252');

/**
 * Bytes to text: UTF-8 (with or without a byte-order mark) when the bytes are valid UTF-8, UTF-16
 * when a byte-order mark says so, else Windows-1252, the usual 8-bit charset of Western office files
 * (a superset of ISO-8859-1 for printable text).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return win1252.decode(bytes);
  }
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', eacute: 'é', egrave: 'è', ecirc: 'ê',
  agrave: 'à', acirc: 'â', ccedil: 'ç', ocirc: 'ô', ucirc: 'û', ugrave: 'ù', icirc: 'î', iuml: 'ï', euml: 'ë',
  Eacute: 'É', Egrave: 'È', Agrave: 'À', Ccedil: 'Ç', laquo: '«', raquo: '»', euro: '€', rsquo: '’', lsquo: '‘',
  rdquo: '”', ldquo: '“', hellip: '…', ndash: '–', mdash: '—', oelig: 'œ', OElig: 'Œ', deg: '°', copy: '©',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[name] ?? whole;
  });
}

/** What a reader sees of an HTML page, as lines of text: no scripts, styles, comments or tags. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<(script|style|head|title|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
    .replace(/<(?:br|\/p|\/div|\/tr|\/li|\/h[1-6]|\/table|\/blockquote)\b[^<>]*>/gi, '\n')
    .replace(/<\/?(?:td|th)\b[^<>]*>/gi, '\t')
    .replace(/<[^<>]*>/g, '');
  return decodeEntities(text)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[ \n]*/g, '\n')
    .trim();
}

/** The text of an item of a plain-text format, or null for any other format. */
export function plainTextOf(format: string, bytes: Uint8Array): string | null {
  if (format !== 'text' && format !== 'csv' && format !== 'html') return null;
  const text = decodeText(bytes.length > MAX_INDEXED_TEXT_CHARS * 4 ? bytes.subarray(0, MAX_INDEXED_TEXT_CHARS * 4) : bytes);
  return clip(format === 'html' ? htmlToText(text) : text);
}

export function clip(text: string): string {
  return text.length > MAX_INDEXED_TEXT_CHARS ? text.slice(0, MAX_INDEXED_TEXT_CHARS) : text;
}
