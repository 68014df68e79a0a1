/**
 * A small DKIM signer on node:crypto (RFC 6376 §3.4 canonicalization, §3.5 tags, §3.7 hashes;
 * RFC 8463 ed25519-sha256). It writes the DKIM-Signature header the way production signers fold
 * it, so that verifiers meet the same whitespace they meet in real mail.
 */
import { createHash, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** The two algorithms a 2017 signer could use. */
export type DkimAlgorithm = 'rsa-sha256' | 'ed25519-sha256';
/** `header/body` canonicalization (RFC 6376 §3.4). */
export type Canonicalization = 'relaxed/relaxed' | 'simple/simple' | 'relaxed/simple' | 'simple/relaxed';

/** A signing key and the tags that go with it. */
export interface DkimSigningKey {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  /** RSA or Ed25519 private key (KeyObject or PEM). */
  privateKey: KeyObject | string;
}

/** Signer choices that vary between real deployments. */
export interface DkimSignOptions {
  canonicalization?: Canonicalization;
  /** Header names to sign, in order; names absent from the message are still listed (over-signing). */
  headers?: string[];
  /** Signature timestamp `t=` in seconds; omitted when undefined. */
  timestamp?: number;
  /** Expiry `x=` in seconds; omitted when undefined. */
  expiration?: number;
  /** Fold with this string after CRLF (OpenDKIM: a tab; Gmail: eight spaces). */
  foldIndent?: string;
  /** Tag order as written; the default is OpenDKIM's. */
  tagOrder?: string[];
  /** `i=` agent or user identifier. */
  identity?: string;
}

/** What a signer puts in `h=` by default: the five RFC 6376 §5.4.1 essentials plus threading and MIME. */
export const DEFAULT_SIGNED_HEADERS = ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'mime-version', 'content-type'];

const CRLF = '\r\n';

/** Splits a message into its header block (with final CRLF of the last field) and body. */
export function splitMessage(message: Buffer): { header: string; body: Buffer } {
  const idx = message.indexOf('\r\n\r\n');
  if (idx < 0) return { header: message.toString('latin1'), body: Buffer.alloc(0) };
  return { header: message.subarray(0, idx + 2).toString('latin1'), body: message.subarray(idx + 4) };
}

/** Header fields in order, each with its exact text including folding and final CRLF. */
export function parseHeaderFields(header: string): { name: string; raw: string }[] {
  const fields: { name: string; raw: string }[] = [];
  const lines = header.split(CRLF);
  for (const line of lines) {
    if (line === '') continue;
    const last = fields[fields.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) last.raw += line + CRLF;
    else fields.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), raw: line + CRLF });
  }
  return fields;
}

/** RFC 6376 §3.4.2 relaxed header canonicalization of one field (with its CRLF). */
export function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim().toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}${CRLF}`;
}

/** RFC 6376 §3.4.3 simple and §3.4.4 relaxed body canonicalization. */
export function canonicalizeBody(body: Buffer, mode: 'simple' | 'relaxed'): Buffer {
  let text = body.toString('latin1');
  if (mode === 'relaxed') {
    text = text.replace(/[ \t]+\r\n/g, CRLF).replace(/[ \t]+/g, ' ');
    // A trailing line without CRLF also loses its trailing whitespace.
    text = text.replace(/[ \t]+$/, '');
  }
  // Trailing empty lines go; a non-empty body ends with exactly one CRLF.
  text = text.replace(/(\r\n)+$/, '');
  if (text.length > 0 || mode === 'simple') text += CRLF;
  return Buffer.from(text, 'latin1');
}

/** The header fields selected by `h=`, bottom-up for repeated names (RFC 6376 §5.4.2). */
function selectHeaders(fields: { name: string; raw: string }[], names: string[]): string[] {
  const used = new Set<number>();
  const out: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    for (let i = fields.length - 1; i >= 0; i--) {
      if (!used.has(i) && (fields[i] as { name: string }).name === lower) {
        used.add(i);
        out.push((fields[i] as { raw: string }).raw);
        break;
      }
    }
  }
  return out;
}

/** Base64 of the signature folded into lines of about 72 characters, as OpenDKIM and Gmail do. */
function foldValue(value: string, indent: string, firstRoom: number): string {
  const LINE = 72;
  const parts: string[] = [value.slice(0, firstRoom)];
  for (let i = firstRoom; i < value.length; i += LINE) parts.push(value.slice(i, i + LINE));
  return parts.join(`${CRLF}${indent} `);
}

/**
 * Returns `message` with a DKIM-Signature header prepended. `message` must use CRLF line endings.
 * `key.privateKey` signs `sha256(canonical headers)` directly for Ed25519, as RFC 8463 §3 says.
 */
export function signEmail(message: Buffer, key: DkimSigningKey, options: DkimSignOptions = {}): Buffer {
  const canon = options.canonicalization ?? 'relaxed/relaxed';
  const [headerCanon, bodyCanon] = canon.split('/') as ['simple' | 'relaxed', 'simple' | 'relaxed'];
  const indent = options.foldIndent ?? '\t';
  const { header, body } = splitMessage(message);
  const fields = parseHeaderFields(header);
  const present = new Set(fields.map((f) => f.name));
  const wanted = (options.headers ?? DEFAULT_SIGNED_HEADERS).filter((h) => options.headers !== undefined || present.has(h));

  const bh = createHash('sha256').update(canonicalizeBody(body, bodyCanon)).digest('base64');
  const tags = new Map<string, string>([
    ['v', '1'],
    ['a', key.algorithm],
    ['c', canon],
    ['d', key.domain],
    ['s', key.selector],
  ]);
  if (options.identity) tags.set('i', options.identity);
  if (options.timestamp !== undefined) tags.set('t', String(options.timestamp));
  if (options.expiration !== undefined) tags.set('x', String(options.expiration));
  tags.set('h', wanted.join(':'));
  tags.set('bh', bh);
  const order = options.tagOrder ?? ['v', 'a', 'c', 'd', 's', 'i', 't', 'x', 'h', 'bh', 'b'];

  // Lay the tags out as OpenDKIM and Gmail do: short tags packed, `h=`, `bh=` and `b=` each
  // starting a line; `b=` comes last and stays empty while signing (§3.5).
  const lines: string[] = [];
  let cur = 'DKIM-Signature:';
  const add = (token: string, space: boolean, newLine = false): void => {
    if (newLine || cur.length + (space ? 1 : 0) + token.length > 78) {
      lines.push(cur);
      cur = indent + token;
    } else cur += (space ? ' ' : '') + token;
  };
  for (const tag of order) {
    const value = tags.get(tag);
    if (tag === 'b' || value === undefined) continue;
    if (tag === 'h') {
      const names = value.split(':');
      names.forEach((n, i) => add((i === 0 ? 'h=' : '') + n + (i === names.length - 1 ? ';' : ':'), i === 0, i === 0));
    } else add(`${tag}=${value};`, true, tag === 'bh');
  }
  lines.push(cur);
  const text = lines.join(CRLF) + `${CRLF}${indent}b=`;
  const lineLen = indent.length + 2;

  const signed = selectHeaders(fields, wanted).map((raw) => (headerCanon === 'relaxed' ? relaxedHeader(raw) : raw));
  const own = headerCanon === 'relaxed' ? relaxedHeader(text + CRLF).slice(0, -2) : text;
  const data = Buffer.from(signed.join('') + own, 'latin1');
  const signature =
    key.algorithm === 'rsa-sha256'
      ? sign('sha256', data, key.privateKey)
      : sign(null, createHash('sha256').update(data).digest(), key.privateKey);
  const b = foldValue(signature.toString('base64'), indent, Math.max(8, 76 - lineLen));
  return Buffer.concat([Buffer.from(text + b + CRLF, 'latin1'), message]);
}
