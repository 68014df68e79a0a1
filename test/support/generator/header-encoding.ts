/**
 * Header text as mailers write it: RFC 2047 encoded words (B and Q, any charset), RFC 5322 address
 * lists and folding (§2.2.3, lines under 78 characters), RFC 2231 parameter values with
 * continuations. Pure string functions; CRLF line endings.
 */
import { encodeText, isAscii } from './charsets.ts';
import type { Charset } from './charsets.ts';

/** How a phrase with non-ASCII characters is written. `lowerHex` mimics Thunderbird's `=c3=a9`. */
export interface WordEncoding {
  charset: Charset;
  encoding: 'B' | 'Q';
  /** Charset label as written (`utf-8`, `UTF-8`, `iso-8859-1` ...); defaults to `charset`. */
  label?: string;
  lowerHex?: boolean;
}

/** A mailbox: `Hélène Durand <helene.durand@campagne-exemple.fr>`. */
export interface Address {
  name?: string;
  address: string;
}

/** RFC 2047 §2: an encoded word is at most 75 characters. */
const MAX_ENCODED_WORD = 75;
/** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters. */
const FOLD_AT = 78;

/** Characters a Q-encoded word may carry literally in a phrase (RFC 2047 §5 rule 3). */
const Q_SAFE = /[A-Za-z0-9!*+\-/]/;

function qEncodeBytes(bytes: Uint8Array, lowerHex: boolean): string {
  let s = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (b === 0x20) s += '_';
    else if (b < 0x80 && Q_SAFE.test(ch)) s += ch;
    else {
      const hex = b.toString(16).padStart(2, '0');
      s += '=' + (lowerHex ? hex : hex.toUpperCase());
    }
  }
  return s;
}

/**
 * `text` as one or more encoded words of at most 75 characters each, split between characters
 * (never inside a UTF-8 sequence). Falls back to UTF-8 when the charset cannot hold the text.
 */
export function encodeWords(text: string, enc: WordEncoding): string[] {
  let charset = enc.charset;
  let label = enc.label ?? charset;
  if (encodeText(text, charset) === null) {
    charset = 'UTF-8';
    label = 'UTF-8';
  }
  const prefix = `=?${label}?${enc.encoding}?`;
  const room = MAX_ENCODED_WORD - prefix.length - 2;
  const lowerHex = enc.lowerHex === true;
  const words: string[] = [];
  let chunk: number[] = [];
  let qLength = 0;
  const render = (bytes: number[]): string => (enc.encoding === 'B' ? Buffer.from(bytes).toString('base64') : qEncodeBytes(Uint8Array.from(bytes), lowerHex));
  for (const ch of text) {
    const bytes = encodeText(ch, charset) as Buffer;
    // Encoded length of the chunk with this character added: 4 per 3 bytes (B), 1 or 3 per byte (Q).
    const added = enc.encoding === 'Q' ? qEncodeBytes(bytes, lowerHex).length : 0;
    const length = enc.encoding === 'B' ? 4 * Math.ceil((chunk.length + bytes.length) / 3) : qLength + added;
    if (chunk.length > 0 && length > room) {
      words.push(prefix + render(chunk) + '?=');
      chunk = [];
      qLength = 0;
    }
    for (const b of bytes) chunk.push(b);
    qLength += added;
  }
  if (chunk.length > 0 || words.length === 0) words.push(prefix + render(chunk) + '?=');
  return words;
}

/** RFC 5322 specials that force a display name into a quoted string. */
const PHRASE_SPECIALS = /[()<>[\]:;@\\,."]/;

/** A display name as a phrase: bare atoms, a quoted string, or encoded words when non-ASCII. */
export function encodePhrase(name: string, enc: WordEncoding, alwaysQuote = false): string {
  if (!isAscii(name)) return encodeWords(name, enc).join(' ');
  if (alwaysQuote || PHRASE_SPECIALS.test(name)) return '"' + name.replace(/(["\\])/g, '\\$1') + '"';
  return name;
}

/** `Name <addr>` with the name encoded as needed; a bare address when there is no name. */
export function formatAddress(addr: Address, enc: WordEncoding, alwaysQuote = false): string {
  if (!addr.name) return addr.address;
  return `${encodePhrase(addr.name, enc, alwaysQuote)} <${addr.address}>`;
}

/**
 * A header line folded before 78 characters: `tokens` are joined by `separator`, and a line is
 * broken (CRLF + one space) between tokens, never inside one. Returns the text without final CRLF.
 */
export function foldHeader(name: string, tokens: readonly string[], separator = ' '): string {
  const trimmedSep = separator.replace(/\s+$/, '');
  let out = name + ':';
  let lineLen = out.length;
  tokens.forEach((token, i) => {
    const sep = i === 0 ? ' ' : separator;
    if (i > 0 && lineLen + sep.length + token.length > FOLD_AT) {
      out += trimmedSep + '\r\n ' + token;
      lineLen = 1 + token.length;
    } else {
      out += sep + token;
      lineLen += sep.length + token.length;
    }
  });
  return out;
}

/** An unstructured header (Subject, Thread-Topic): plain words, or encoded words when non-ASCII. */
export function foldUnstructured(name: string, text: string, enc: WordEncoding): string {
  const tokens = isAscii(text) ? text.split(' ') : encodeWords(text, enc);
  return foldHeader(name, tokens, ' ');
}

/** RFC 2231 §7 attribute-char, kept literal in an extended value. */
const ATTRIBUTE_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
/** Longest continuation segment, leaving room for `filename*12*=` on a folded line. */
const RFC2231_SEGMENT = 60;

/** How a file name parameter is written: plain quoted, RFC 2231 extended, or RFC 2047 inside quotes. */
export type ParamStyle = 'plain' | 'rfc2231' | 'rfc2047';

/**
 * `; name="value"` parameter text (leading `;` included, folded onto continuation lines as mailers
 * do). RFC 2231 values longer than a line are split into `name*0*`, `name*1*` ... segments.
 */
export function formatParam(name: string, value: string, style: ParamStyle, enc?: WordEncoding): string {
  if (style === 'plain' || (style !== 'rfc2231' && isAscii(value))) {
    return `;\r\n\t${name}="${value.replace(/(["\\])/g, '\\$1')}"`;
  }
  if (style === 'rfc2047') {
    const words = encodeWords(value, enc ?? { charset: 'UTF-8', encoding: 'B' });
    return `;\r\n\t${name}="${words.join('\r\n\t')}"`;
  }
  let encoded = '';
  for (const b of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(b);
    encoded += b < 0x80 && ATTRIBUTE_CHAR.test(ch) ? ch : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  const full = "UTF-8''" + encoded;
  if (full.length <= RFC2231_SEGMENT) return `;\r\n\t${name}*=${full}`;
  const segments: string[] = [];
  let rest = full;
  while (rest.length > 0) {
    let cut = Math.min(RFC2231_SEGMENT, rest.length);
    // Never split a %XX triplet.
    const pct = rest.lastIndexOf('%', cut - 1);
    if (pct >= 0 && pct > cut - 3 && cut < rest.length) cut = pct;
    segments.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return segments.map((seg, i) => `;\r\n\t${name}*${i}*=${seg}`).join('');
}
