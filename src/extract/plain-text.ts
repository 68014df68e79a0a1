/**
 * Text for the search index from formats that are text already: plain text, CSV and HTML (files, and
 * emails that have only an HTML part). Richer formats (office files, PDF) get their own extractors.
 * Nothing here runs or fetches anything: HTML is read as characters, never rendered.
 */

/** Characters of text kept for the index per item; the original is always whole in the blob store. */
export const MAX_INDEXED_TEXT_CHARS = 2_000_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes to text: UTF-16 when a byte-order mark says so; UTF-8 (with or without a byte-order mark)
 * when the bytes are valid UTF-8; else the charset the file declares (`declared`: an HTML page's
 * `<meta charset>`) when it is one TextDecoder knows; else the 8-bit charset guessed by
 * guessSingleByteCharset.
 */
export function decodeText(bytes: Uint8Array, declared: string | null = null): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    if (declared !== null) {
      try {
        return new TextDecoder(declared).decode(bytes);
      } catch {
        // A label TextDecoder does not know: guess as if nothing were declared.
      }
    }
    return new TextDecoder(guessSingleByteCharset(bytes)).decode(bytes);
  }
}

/** Bytes looked at to guess a charset: enough letters to decide, bounded work on large files. */
const CHARSET_SAMPLE_BYTES = 64 * 1024;
/** Letters seen before a guess other than Windows-1252 is made. */
const MIN_LETTERS_TO_GUESS = 20;

/**
 * The 8-bit charset of text that is not UTF-8: Windows-1252 (Western office files, a superset of
 * ISO-8859-1 for printable text) unless the letters say Cyrillic. In Western languages the bytes
 * 0xC0-0xFF are accented letters among ASCII ones (French: ~4% of letters); in Russian,
 * Ukrainian or Bulgarian text nearly every letter is such a byte. Then the case tells the two
 * Cyrillic charsets apart: running text is mostly lower case, which Windows-1251 puts at
 * 0xE0-0xFF and KOI8-R at 0xC0-0xDF. Other scripts with 8-bit charsets (Greek, Hebrew, Arabic)
 * stay unreadable either way; they are not told apart here.
 */
export function guessSingleByteCharset(bytes: Uint8Array): 'windows-1252' | 'windows-1251' | 'koi8-r' {
  let ascii = 0;
  let lowHalf = 0;
  let highHalf = 0;
  const end = Math.min(bytes.length, CHARSET_SAMPLE_BYTES);
  for (let i = 0; i < end; i++) {
    const b = bytes[i] as number;
    if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) ascii++;
    else if (b >= 0xc0 && b <= 0xdf) lowHalf++;
    else if (b >= 0xe0) highHalf++;
  }
  const high = lowHalf + highHalf;
  if (high < MIN_LETTERS_TO_GUESS || high < ascii) return 'windows-1252';
  return highHalf >= lowHalf ? 'windows-1251' : 'koi8-r';
}

/** How far into an HTML page a `<meta charset>` is looked for (the WHATWG prescan's 1024 bytes). */
const HTML_PRESCAN_BYTES = 1024;

/** The charset an HTML page declares in a `<meta>` near its start, or null. */
export function declaredHtmlCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HTML_PRESCAN_BYTES)).toString('latin1');
  const m = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})/i.exec(head);
  return m ? (m[1] as string).toLowerCase() : null;
}

/** The first `max` bytes, cut back to the start of a UTF-8 character so that valid UTF-8 stays valid. */
function cutBytes(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  // Continuation bytes are 10xxxxxx; a character is at most 4 bytes.
  while (end > max - 3 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
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
  const text = decodeText(cutBytes(bytes, MAX_INDEXED_TEXT_CHARS * 4), format === 'html' ? declaredHtmlCharset(bytes) : null);
  return clip(format === 'html' ? htmlToText(text) : text);
}

export function clip(text: string): string {
  return text.length > MAX_INDEXED_TEXT_CHARS ? text.slice(0, MAX_INDEXED_TEXT_CHARS) : text;
}
