/**
 * Emails (RFC 5322 / MIME), parsed with postal-mime. We keep the raw header block byte for byte
 * (latin1), decode what an investigator reads, and hand every attachment, inline part and nested
 * message back as a child item with its own bytes.
 */
import PostalMime, { type Address, type Email } from 'postal-mime';
import type { AddressRecord, EmailRecord } from '../store/store.ts';
import { parseEmailDate } from './email-date.ts';
import { SCORE_EXTENSION, SCORE_STRUCTURE, type FormatModule } from './format.ts';

/** MIME nesting deeper than this is refused (postal-mime's own guard, made explicit). */
export const MAX_MIME_DEPTH = 200;
/** Header bytes across all parts; a message over this is recorded as malformed, not parsed. */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** Header names that, at the top of a file, make it an email. */
const TELLTALE_HEADERS = /^(received|from|to|date|subject|message-id|return-path|delivered-to|mime-version|x-[a-z0-9-]+|dkim-signature|reply-to|cc|sender|content-type|x-mailer|user-agent|references|in-reply-to|thread-index|arc-seal):/im;
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

/** True when the first bytes read as an RFC 5322 header block. */
export function looksLikeEmail(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 4096)).toString('latin1');
  const lines = text.split(/\r?\n/, 40);
  if (lines.length === 0 || !HEADER_LINE.test(lines[0]!)) return false;
  let headers = 0;
  let telltale = 0;
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) continue;
    if (!HEADER_LINE.test(line)) return false;
    headers++;
    if (TELLTALE_HEADERS.test(line)) telltale++;
  }
  return headers >= 2 && telltale >= 2;
}

export const emailFormat: FormatModule = {
  name: 'email',
  class: 'email',
  mimeTypes: ['message/rfc822'],
  extensions: ['eml', 'msg822', 'mht'],
  sniff(head, name) {
    if (looksLikeEmail(head)) return SCORE_STRUCTURE + (/\.eml$/i.test(name) ? 10 : 0);
    return /\.eml$/i.test(name) && head.length > 0 ? SCORE_EXTENSION : 0;
  },
};

/** A part of an email that becomes an item of its own. */
export interface EmailPart {
  /** File name as the sender gave it, or a made-up `part-N` for nameless parts. */
  filename: string;
  named: boolean;
  mimeType: string;
  disposition: string | null;
  contentId: string | null;
  bytes: Uint8Array;
}

export type ParsedEmail = Omit<EmailRecord, 'sha256'> & {
  /** The header block exactly as stored, decoded as latin1 so that every byte survives. */
  rawHeaders: string;
  parts: EmailPart[];
  warnings: string[];
};

/** Offset of the blank line ending the header block, and the length of that separator. */
function headerEnd(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return bytes.length;
  if (crlf === -1) return lf;
  if (lf === -1) return crlf;
  return Math.min(crlf, lf);
}

function addresses(value: Address | Address[] | undefined): AddressRecord[] {
  if (!value) return [];
  const out: AddressRecord[] = [];
  for (const a of Array.isArray(value) ? value : [value]) {
    if (a.group) for (const m of a.group) out.push({ name: m.name.trim(), address: m.address.trim().toLowerCase() });
    else out.push({ name: a.name.trim(), address: (a.address ?? '').trim().toLowerCase() });
  }
  return out.filter((a) => a.address !== '' || a.name !== '');
}

function firstHeader(email: Email, key: string): string | null {
  const h = email.headers.find((x) => x.key === key);
  return h ? h.value.trim() : null;
}

function messageIds(value: string | null | undefined): string[] {
  return value ? (value.match(/<[^<>\s]+>/g) ?? []) : [];
}

/**
 * postal-mime reads unencoded parts line by line and rejoins them with LF plus one LF at the end. A
 * message/rfc822 part is always unencoded (RFC 2046 §5.2.1), and its bytes are evidence (a forwarded
 * message can carry its own DKIM signature): drop the added LF and restore the parent's CRLF endings,
 * which gives back the exact bytes whenever the parent's line endings are consistent.
 */
export function restoreLineEndings(bytes: Uint8Array, crlf: boolean): Uint8Array {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  return Buffer.from(crlf ? text.replace(/\r?\n/g, '\r\n') : text, 'latin1');
}

/** Parses one email. Throws only when the bytes cannot be read as a message at all. */
export async function parseEmail(bytes: Uint8Array): Promise<ParsedEmail> {
  const end = headerEnd(bytes);
  const rawHeaders = Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1');
  const email = await PostalMime.parse(bytes, {
    forceRfc822Attachments: true,
    attachmentEncoding: 'arraybuffer',
    maxNestingDepth: MAX_MIME_DEPTH,
    maxHeadersSize: MAX_HEADER_BYTES,
  });
  const warnings: string[] = [];
  const crlf = rawHeaders.includes('\r\n');
  const dateRaw = firstHeader(email, 'date');
  let date: string | null = null;
  let tz: number | null = null;
  let dateError: string | null = null;
  if (dateRaw === null) dateError = 'no Date header';
  else {
    const parsed = parseEmailDate(dateRaw);
    if (parsed.ok) {
      date = parsed.iso;
      tz = parsed.tzOffsetMinutes;
    } else dateError = parsed.reason;
  }
  const used = new Set<string>();
  const parts: EmailPart[] = email.attachments.map((a, i) => {
    let filename = (a.filename ?? '').replace(/[\\/]/g, '_').trim();
    const named = filename !== '';
    if (!named) filename = `part-${i + 1}${a.mimeType === 'message/rfc822' ? '.eml' : ''}`;
    // Two parts with one name stay two places: the second becomes "name (2)".
    let unique = filename;
    for (let n = 2; used.has(unique); n++) unique = `${filename} (${n})`;
    used.add(unique);
    const content = a.content;
    let partBytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content instanceof Uint8Array ? content : new Uint8Array(content);
    if (a.mimeType === 'message/rfc822') partBytes = restoreLineEndings(partBytes, crlf);
    return { filename: unique, named, mimeType: a.mimeType, disposition: a.disposition, contentId: a.contentId ?? null, bytes: partBytes };
  });
  const messageId = firstHeader(email, 'message-id');
  return {
    messageId: messageId ? (messageIds(messageId)[0] ?? messageId) : null,
    dateRaw,
    date,
    tzOffsetMinutes: tz,
    dateError,
    from: addresses(email.from),
    sender: addresses(email.sender),
    replyTo: addresses(email.replyTo),
    to: addresses(email.to),
    cc: addresses(email.cc),
    bcc: addresses(email.bcc),
    subject: email.subject ?? null,
    subjectRaw: firstHeader(email, 'subject'),
    inReplyTo: messageIds(email.inReplyTo)[0] ?? null,
    references: messageIds(email.references),
    text: email.text ?? null,
    html: email.html ?? null,
    rawHeaders,
    attachmentCount: parts.length,
    parts,
    warnings,
  };
}
