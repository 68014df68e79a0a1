/**
 * Canonicalization, RFC 6376 §3.4. Strings are latin1 (one char per byte); WSP is SP or HTAB.
 */
import type { Canonicalization } from './signature-field.ts';

/** §3.4.1 simple: the field exactly as it is. §3.4.2 relaxed: lower-case name, unfold, squeeze WSP. */
export function canonicalizeHeader(raw: string, canon: Canonicalization): string {
  if (canon === 'simple') return `${raw}\r\n`;
  const colon = raw.indexOf(':');
  const name = (colon < 0 ? raw : raw.slice(0, colon)).replace(/[ \t]+$/, '').toLowerCase();
  const value = colon < 0 ? '' : raw.slice(colon + 1).replace(/\r?\n/g, '').replace(/[ \t]+/g, ' ').trim();
  return `${name}:${value}\r\n`;
}

/** A canonical body as two pieces, `text + end`, so that callers can hash it without joining. */
export interface CanonicalBody {
  text: string;
  end: '' | '\r\n';
}

/** Trailing CRLFs reduced to exactly one; one added when there is none (§3.4.3). */
function oneTrailingCrlf(s: string): CanonicalBody {
  let end = s.length;
  while (end >= 2 && s.charCodeAt(end - 1) === 10 && s.charCodeAt(end - 2) === 13) end -= 2;
  return { text: end === s.length ? s : s.slice(0, end), end: '\r\n' };
}

/**
 * §3.4.3 simple: trailing empty lines reduced to one CRLF (one added when missing).
 * §3.4.4 relaxed: WSP before line ends removed, then WSP runs squeezed to one SP (the order fixed by
 * RFC 4871 erratum 1384), trailing empty lines reduced, and a body that is only a CRLF is empty.
 */
export function canonicalBodyParts(body: string, canon: Canonicalization): CanonicalBody {
  if (canon === 'simple') return oneTrailingCrlf(body);
  const relaxed = oneTrailingCrlf(body.replace(/[ \t]+\r\n/g, '\r\n').replace(/[ \t]+/g, ' '));
  return relaxed.text === '' ? { text: '', end: '' } : relaxed;
}

export function canonicalizeBody(body: string, canon: Canonicalization): string {
  const c = canonicalBodyParts(body, canon);
  return c.text + c.end;
}

/**
 * The signature's own field as it enters the header hash (§3.7): the b= value emptied, canonicalized,
 * without a trailing CRLF.
 */
export function canonicalizeSignatureField(raw: string, canon: Canonicalization): string {
  const colon = raw.indexOf(':');
  const emptied = raw.slice(0, colon + 1) + raw.slice(colon + 1).replace(/((?:^|;)[ \t\r\n]*b[ \t\r\n]*=)[^;]*/, '$1');
  return canonicalizeHeader(emptied, canon).slice(0, -2);
}
