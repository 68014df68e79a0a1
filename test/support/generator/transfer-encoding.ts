/**
 * MIME content transfer encodings (RFC 2045 §6.7 quoted-printable, §6.8 base64) and the plain-text
 * wrapping mailers apply before them (RFC 3676 format=flowed). Output lines end in CRLF.
 */

/** Longest encoded line, soft break included (RFC 2045 §6.7 rule 5). */
const QP_MAX_LINE = 76;
/** Base64 line length used by Outlook, Gmail and Thunderbird. */
const BASE64_LINE = 76;

const QP_HEX: string[] = [];
for (let b = 0; b < 256; b++) QP_HEX.push('=' + b.toString(16).toUpperCase().padStart(2, '0'));

/**
 * Quoted-printable of `bytes`, whose lines are separated by LF (a CR before the LF is dropped).
 * Lines starting with "From " are left alone on purpose: mbox writers must quote them.
 */
export function encodeQuotedPrintable(bytes: Uint8Array): string {
  const out: string[] = [];
  let line = '';
  let len = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] === 0x0a)) {
      if (b === 0x0d) i++;
      out.push(line, '\r\n');
      line = '';
      len = 0;
      continue;
    }
    let token: string;
    if (b >= 33 && b <= 126 && b !== 61) token = String.fromCharCode(b);
    else if (b === 32 || b === 9) {
      const next = bytes[i + 1];
      // Whitespace before a line break (or the end) would be stripped in transit: encode it.
      token = next === undefined || next === 0x0a || next === 0x0d ? (QP_HEX[b] as string) : String.fromCharCode(b);
    } else token = QP_HEX[b] as string;
    if (len + token.length > QP_MAX_LINE - 1) {
      out.push(line, '=\r\n');
      line = '';
      len = 0;
    }
    line += token;
    len += token.length;
  }
  if (line) out.push(line);
  return out.join('');
}

/** Base64 of `bytes` in CRLF-terminated lines of 76 characters. */
export function encodeBase64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const parts: string[] = [];
  for (let i = 0; i < b64.length; i += BASE64_LINE) parts.push(b64.slice(i, i + BASE64_LINE));
  return parts.join('\r\n') + '\r\n';
}

/** Text with CRLF line endings; `wrapAt` hard-wraps long lines at spaces (0 = never). */
export function toCrlfLines(text: string, wrapAt = 0, flowed = false): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  for (const raw of lines) {
    const pieces = wrapAt > 0 && raw.length > wrapAt && !raw.startsWith('>') ? wrapLine(raw, wrapAt) : [raw];
    for (let k = 0; k < pieces.length; k++) {
      let piece = pieces[k] as string;
      if (flowed) {
        if (k < pieces.length - 1) piece += ' ';
        // A hard line break has no trailing space, except the "-- " signature separator (§4.3).
        else if (piece !== '-- ') piece = piece.replace(/ +$/, '');
        // RFC 3676 §4.4: space-stuff lines that start with a space or "From " (">" is a quote).
        if (piece.startsWith(' ') || piece.startsWith('From ')) piece = ' ' + piece;
      }
      out.push(piece);
    }
  }
  return out.join('\r\n');
}

function wrapLine(line: string, width: number): string[] {
  const words = line.split(' ');
  const out: string[] = [];
  let current = '';
  for (const word of words) {
    if (current && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else current = current ? current + ' ' + word : word;
  }
  out.push(current);
  return out;
}
