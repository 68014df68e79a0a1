/**
 * One RFC 5322 / MIME message as bytes (CRLF line endings): headers in a chosen order, a text
 * part, an optional HTML alternative (RFC 2046 §5.1.4) and attachments in multipart/mixed
 * (RFC 2183 dispositions, RFC 2231 or RFC 2047 file names). Tests use it to craft exact emails.
 */
import { createHash } from 'node:crypto';
import { encodeText, isAscii } from './charsets.ts';
import type { Charset } from './charsets.ts';
import { formatRfc5322Date } from './date-format.ts';
import { foldHeader, foldUnstructured, formatAddress, formatParam } from './header-encoding.ts';
import type { Address, ParamStyle, WordEncoding } from './header-encoding.ts';
import { encodeBase64Lines, encodeQuotedPrintable, toCrlfLines } from './transfer-encoding.ts';

export type { Address, WordEncoding, ParamStyle } from './header-encoding.ts';
export type { Charset } from './charsets.ts';

/** A file attached to a message. */
export interface AttachmentSpec {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  /** How the file name is written; default RFC 2231 when non-ASCII, a quoted string otherwise. */
  filenameStyle?: ParamStyle;
  /** `Content-Disposition: inline` instead of `attachment`. */
  inline?: boolean;
}

/** Transfer encoding of the text parts. */
export type TextEncoding = 'quoted-printable' | '8bit' | 'base64';

/** Everything `buildEmail` needs; only from, to, subject, date and messageId are required. */
export interface EmailOptions {
  from: Address;
  to: Address[];
  cc?: Address[];
  replyTo?: Address;
  subject: string;
  /** An instant (rendered with `zoneOffsetMinutes`) or a `Date:` value written verbatim. */
  date: Date | number | string;
  zoneOffsetMinutes?: number;
  /** With or without angle brackets. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  text?: string;
  html?: string;
  attachments?: AttachmentSpec[];
  /** Display-name encoding (default UTF-8 B). */
  nameEncoding?: WordEncoding;
  /** Quote every display name (`"Durand, Hélène"`), as Outlook does. */
  quoteNames?: boolean;
  /** Subject encoding when non-ASCII (default UTF-8 B). */
  subjectEncoding?: WordEncoding;
  /** Charset of the text and HTML parts (default UTF-8; falls back to UTF-8 when it cannot hold the text). */
  bodyCharset?: Charset;
  /** Charset label as written in Content-Type (`utf-8`, `"UTF-8"` ...); defaults to the charset name. */
  bodyCharsetLabel?: string;
  /** Transfer encoding of text parts (default quoted-printable; 7bit is used for pure ASCII). */
  textEncoding?: TextEncoding;
  /** RFC 3676 format=flowed plain text, wrapped at 72. */
  flowed?: boolean;
  /** Hard-wrap plain text at this width (0 = no wrapping). */
  wrapAt?: number;
  /** Extra header lines, `[name, already-encoded value]`. */
  extraHeaders?: [string, string][];
  /** Lower-case header names in the order the mailer writes them; others follow. */
  headerOrder?: string[];
  /** Text before the first boundary of a multipart message (Thunderbird's "This is a multi-part ..."). */
  preamble?: string;
  /** Boundary stem; nested boundaries add a suffix. Default: derived from the Message-ID. */
  boundary?: string;
}

const DEFAULT_ENCODING: WordEncoding = { charset: 'UTF-8', encoding: 'B' };
const DEFAULT_ORDER = ['from', 'to', 'cc', 'reply-to', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'mime-version', 'content-type'];

function angle(id: string): string {
  return id.startsWith('<') ? id : `<${id}>`;
}

type Chunk = string | Buffer;

interface Part {
  headers: string[];
  body: Chunk[];
}

function textPart(subtype: 'plain' | 'html', text: string, opts: EmailOptions): Part {
  const charset: Charset = opts.bodyCharset ?? 'UTF-8';
  let label = opts.bodyCharsetLabel ?? charset;
  const flowed = subtype === 'plain' && opts.flowed === true;
  const crlf = subtype === 'plain' ? toCrlfLines(text, flowed ? 72 : (opts.wrapAt ?? 0), flowed) : toCrlfLines(text);
  let bytes = encodeText(crlf, charset);
  if (bytes === null) {
    label = opts.bodyCharsetLabel && /utf-?8/i.test(opts.bodyCharsetLabel) ? opts.bodyCharsetLabel : 'UTF-8';
    bytes = Buffer.from(crlf, 'utf8');
  }
  const requested = opts.textEncoding ?? 'quoted-printable';
  // A pure-ASCII text with short lines needs no encoding: mailers then say 7bit.
  const longest = crlf.split('\r\n').reduce((m, l) => Math.max(m, l.length), 0);
  const cte = isAscii(crlf) && longest <= 998 && requested !== 'base64' ? '7bit' : requested;
  const headers = [
    `Content-Type: text/${subtype}; charset=${label}${flowed ? '; format=flowed' : ''}`,
    `Content-Transfer-Encoding: ${cte}`,
  ];
  let body: Chunk;
  if (cte === 'quoted-printable') body = encodeQuotedPrintable(bytes);
  else if (cte === 'base64') body = encodeBase64Lines(bytes);
  else body = bytes;
  return { headers, body: [body, '\r\n'] };
}

function attachmentPart(att: AttachmentSpec, enc: WordEncoding): Part {
  const style = att.filenameStyle ?? (isAscii(att.filename) ? 'plain' : 'rfc2231');
  const nameParam = formatParam('name', att.filename, style === 'rfc2231' ? 'rfc2047' : style, enc);
  return {
    headers: [
      `Content-Type: ${att.contentType}${nameParam}`,
      `Content-Disposition: ${att.inline ? 'inline' : 'attachment'}${formatParam('filename', att.filename, style, enc)}`,
      'Content-Transfer-Encoding: base64',
    ],
    body: [encodeBase64Lines(att.bytes)],
  };
}

function multipart(subtype: string, boundary: string, parts: Part[]): Part {
  const body: Chunk[] = [];
  for (const p of parts) {
    body.push(`--${boundary}\r\n`, p.headers.join('\r\n'), '\r\n\r\n', ...p.body);
  }
  body.push(`--${boundary}--\r\n`);
  return { headers: [`Content-Type: multipart/${subtype};\r\n\tboundary="${boundary}"`], body };
}

/** The message as bytes, CRLF line endings, ready to be signed or written. */
export function buildEmail(opts: EmailOptions): Buffer {
  const nameEnc = opts.nameEncoding ?? DEFAULT_ENCODING;
  const subjectEnc = opts.subjectEncoding ?? DEFAULT_ENCODING;
  const quote = opts.quoteNames === true;
  const addrList = (name: string, list: Address[]): string =>
    foldHeader(name, list.map((a) => formatAddress(a, nameEnc, quote)), ', ');

  const std = new Map<string, string>();
  std.set('from', addrList('From', [opts.from]));
  if (opts.to.length > 0) std.set('to', addrList('To', opts.to));
  if (opts.cc && opts.cc.length > 0) std.set('cc', addrList('Cc', opts.cc));
  if (opts.replyTo) std.set('reply-to', addrList('Reply-To', [opts.replyTo]));
  std.set('subject', foldUnstructured('Subject', opts.subject, subjectEnc));
  const date = typeof opts.date === 'string' ? opts.date : formatRfc5322Date(+opts.date, opts.zoneOffsetMinutes ?? 0);
  std.set('date', `Date: ${date}`);
  std.set('message-id', `Message-ID: ${angle(opts.messageId)}`);
  if (opts.inReplyTo) std.set('in-reply-to', `In-Reply-To: ${angle(opts.inReplyTo)}`);
  if (opts.references && opts.references.length > 0) std.set('references', foldHeader('References', opts.references.map(angle), ' '));
  std.set('mime-version', 'MIME-Version: 1.0');

  const stem = opts.boundary ?? '=_' + createHash('sha256').update(opts.messageId).digest('hex').slice(0, 24);
  const bodyParts: Part[] = [];
  const text = opts.text ?? '';
  if (opts.html !== undefined) {
    bodyParts.push(multipart('alternative', opts.attachments?.length ? `${stem}_alt` : stem, [textPart('plain', text, opts), textPart('html', opts.html, opts)]));
  } else bodyParts.push(textPart('plain', text, opts));
  let root = bodyParts[0] as Part;
  if (opts.attachments && opts.attachments.length > 0) {
    root = multipart('mixed', stem, [root, ...opts.attachments.map((a) => attachmentPart(a, nameEnc))]);
  }
  // The root part's own headers (Content-Type, Content-Transfer-Encoding) are message headers.
  std.set('content-type', root.headers.join('\r\n'));

  const extras = opts.extraHeaders ?? [];
  const order = opts.headerOrder ?? DEFAULT_ORDER;
  const lines: string[] = [];
  const usedExtra = new Set<number>();
  const emitted = new Set<string>();
  for (const name of order) {
    const line = std.get(name);
    if (line !== undefined) {
      lines.push(line);
      emitted.add(name);
      continue;
    }
    extras.forEach(([n, v], i) => {
      if (!usedExtra.has(i) && n.toLowerCase() === name) {
        lines.push(`${n}: ${v}`);
        usedExtra.add(i);
      }
    });
  }
  for (const [name, line] of std) if (!emitted.has(name)) lines.push(line);
  extras.forEach(([n, v], i) => {
    if (!usedExtra.has(i)) lines.push(`${n}: ${v}`);
  });

  const chunks: Chunk[] = [lines.join('\r\n'), '\r\n\r\n'];
  if (opts.preamble && root.headers[0]?.startsWith('Content-Type: multipart')) chunks.push(opts.preamble, '\r\n\r\n');
  chunks.push(...root.body);
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
}
