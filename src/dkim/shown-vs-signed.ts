/**
 * What is shown is what was signed? Relaxed body canonicalization (RFC 6376 §3.4.4) ignores whitespace
 * changes, but some of them change what a mail program decodes: a space after a quoted-printable soft
 * line break ("=" at a line end) turns the break into a visible "=" and a hard line break, so "1000=
 * ⏎0 euros" is shown while "10000 euros" was signed. For a message that verifies under relaxed
 * canonicalization, the stored body and the canonical signed body are both decoded and compared.
 */
import { createHash } from 'node:crypto';
import { parseEmail, type ParsedEmail } from '../extract/email.ts';
import { canonicalizeBody } from './canonicalize.ts';
import type { MessageVerification } from './result.ts';

/** Whitespace a reader cannot see is not a difference, nor is where lines wrap (format=flowed). */
function visible(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * What relaxed canonicalization erases but a decoder may not: whitespace after a quoted-printable
 * soft line break ("=" at the end of a line). RFC 2045 §6.7 tells decoders to drop it; many keep it
 * and show "=" and a hard break instead. Base64 ignores whitespace, and elsewhere whitespace runs
 * and line-end spaces do not change the decoded text beyond what `visible` folds away.
 */
const HIDDEN_BY_RELAXED = /=[ \t]+\r?\n/;

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const clip = (s: string): string => JSON.stringify(s.slice(Math.max(0, i - 20), i + 30));
  return `shown ${clip(a)}, signed ${clip(b)}`;
}

function partDigest(e: ParsedEmail): string[] {
  return e.parts.map((p) => `${p.filename}:${createHash('sha256').update(p.bytes).digest('hex')}`);
}

export async function compareShownWithSigned(bytes: Uint8Array, v: MessageVerification): Promise<string[]> {
  if (!v.signatures.some((s) => s.status === 'pass' && s.bodyCanon === 'relaxed' && s.repairs.length === 0)) return [];
  const message = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const crlf = message.indexOf('\r\n\r\n');
  const lf = message.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : message.length;
  const body = message.slice(end);
  // The check decodes the message twice; most bodies cannot hide anything and skip it.
  if (!HIDDEN_BY_RELAXED.test(body)) return [];
  const signedBody = canonicalizeBody(body, 'relaxed');
  let shown: ParsedEmail;
  let signed: ParsedEmail;
  try {
    shown = await parseEmail(bytes);
    signed = await parseEmail(Buffer.from(message.slice(0, end) + signedBody, 'latin1'));
  } catch {
    return [];
  }
  const out: string[] = [];
  const text = [visible(shown.text), visible(signed.text)] as const;
  if (text[0] !== text[1]) out.push(`The text a mail program shows differs from the text that was signed (${firstDifference(text[0], text[1])}).`);
  const html = [visible(shown.html), visible(signed.html)] as const;
  if (html[0] !== html[1]) out.push(`The HTML a mail program shows differs from the HTML that was signed (${firstDifference(html[0], html[1])}).`);
  if (partDigest(shown).join() !== partDigest(signed).join()) out.push('The attachments decode differently from the signed ones.');
  return out;
}
