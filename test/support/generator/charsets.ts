/**
 * Text to bytes in the charsets real 2016-2017 mailers used: UTF-8, ISO-8859-1 (Outlook's default
 * in France), windows-1252 (the same plus œ, €, ’, … in 0x80-0x9F) and KOI8-R (Russian).
 * Node only decodes the legacy ones, so the encode tables are built by inverting its decoder
 * (WHATWG's "iso-8859-1" label means windows-1252, so ISO-8859-1 is done as the identity on U+00xx).
 */

/** The charsets the generator can write. Names are written as given into MIME headers. */
export type Charset = 'UTF-8' | 'ISO-8859-1' | 'windows-1252' | 'koi8-r';

const tables = new Map<string, Map<number, number>>();
// eslint-disable-next-line no-control-regex
const LATIN1_ONLY = /^[\u0000-\u00ff]*$/;

/** Code point -> byte for the upper half of a single-byte charset, from WHATWG decoding. */
function upperHalfTable(label: string): Map<number, number> {
  let table = tables.get(label);
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder(label);
    for (let b = 0x80; b <= 0xff; b++) {
      const ch = decoder.decode(Uint8Array.of(b));
      const cp = ch.codePointAt(0);
      if (cp !== undefined && cp !== 0xfffd && !table.has(cp)) table.set(cp, b);
    }
    tables.set(label, table);
  }
  return table;
}

/** Bytes of `text` in `charset`, or null when a character has no byte in that charset. */
export function encodeText(text: string, charset: Charset): Buffer | null {
  if (charset === 'UTF-8') return Buffer.from(text, 'utf8');
  // Fast paths: Node's latin1 encoder is the identity on U+0000-U+00FF.
  if (charset === 'ISO-8859-1') return LATIN1_ONLY.test(text) ? Buffer.from(text, 'latin1') : null;
  if (isAscii(text)) return Buffer.from(text, 'latin1');
  const out = Buffer.allocUnsafe(text.length);
  const table = upperHalfTable(charset);
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (cp < 0x80) out[i] = cp;
    else {
      const b = table.get(cp);
      if (b === undefined) return null;
      out[i] = b;
    }
  }
  return out;
}

/** True when every character of `text` is 7-bit ASCII. */
export function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}
