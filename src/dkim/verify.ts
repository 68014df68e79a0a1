/**
 * DKIM verification (RFC 6376 §6, RFC 8463): pure. Bytes, a key lookup and an "as of" time in; a
 * result per signature out. The body hash and the header signature are judged separately, so "the
 * headers are genuine but the body was altered" is a result of its own.
 */
import { createHash, verify as cryptoVerify } from 'node:crypto';
import type { ParsedKeyRecord } from '../keys/key-record.ts';
import { canonicalBodyParts, canonicalizeHeader, canonicalizeSignatureField, type CanonicalBody } from './canonicalize.ts';
import { selectSignedHeaders, splitMessage, type HeaderField, type SplitMessage } from './message-split.ts';
import type { CheckResult, KeyEvidence, SignatureResult, SignatureStatus } from './result.ts';
import { parseSignatureField, type DkimSignature } from './signature-field.ts';

/** A key the store holds for a (domain, selector), with where it came from. */
export interface KeyCandidate {
  id: string;
  record: ParsedKeyRecord;
  /** Plain words: "imported from keys.zone", "DNS lookup on 2026-11-26", "recovered from the trove". */
  source: string;
  sourceKind: string;
}

export type KeyLookup = (domain: string, selector: string) => KeyCandidate[];

export interface VerifyOptions {
  keys: KeyLookup;
  /** The moment against which x= expiry is reported (never fatal). */
  asOf: Date;
}

/** The header fields that carry DKIM signatures, Gmail's internal one included. */
export const SIGNATURE_FIELDS = ['dkim-signature', 'x-google-dkim-signature'] as const;

/** RSA keys shorter than this are forgeable today (RFC 8301 §3.2 requires at least 1024 bits). */
export const MIN_RSA_BITS = 1024;

/** Headers a mail client shows or uses to render: an unsigned or duplicated one matters. */
export const DISPLAYED_HEADERS = ['from', 'sender', 'reply-to', 'to', 'cc', 'subject', 'date', 'message-id', 'content-type', 'content-transfer-encoding', 'mime-version'];
/** Of those, the ones whose extra, unsigned instance changes what a reader sees. */
const CRITICAL_HEADERS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'subject', 'date', 'content-type', 'content-transfer-encoding']);

const HASH_OF = { 'rsa-sha256': 'sha256', 'rsa-sha1': 'sha1', 'ed25519-sha256': 'sha256' } as const;

/** The domain of the (first, displayed) From: address, lower-cased. */
export function fromDomainOf(headers: HeaderField[]): string | null {
  const from = headers.find((h) => h.key === 'from');
  if (!from) return null;
  const value = from.raw.slice(from.raw.indexOf(':') + 1).replace(/\r?\n/g, '');
  const angle = /<([^<>]*)>/.exec(value);
  const addr = (angle ? angle[1]! : value).trim();
  const at = addr.lastIndexOf('@');
  return at < 0 ? null : addr.slice(at + 1).replace(/[>\s;,"]+$/, '').toLowerCase() || null;
}

/** d= aligns with the From: domain when they are equal or one is a subdomain of the other. */
export function isAligned(d: string, fromDomain: string | null): boolean {
  if (!fromDomain) return false;
  return fromDomain === d || fromDomain.endsWith(`.${d}`) || d.endsWith(`.${fromDomain}`);
}

function keyEvidence(k: KeyCandidate): KeyEvidence {
  return { id: k.id, type: k.record.keyType, bits: k.record.bits, source: k.source, sourceKind: k.sourceKind, fingerprint: k.record.fingerprint, testing: k.record.testing };
}

/** How many times each header name occurs, computed once per message. */
function headerCounts(headers: HeaderField[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const h of headers) counts.set(h.key, (counts.get(h.key) ?? 0) + 1);
  return counts;
}

/** Computes body hashes once per (canonicalization, l=, hash) for all signatures of a message. */
export class BodyHasher {
  readonly #cache = new Map<string, { hash: Buffer; canonicalLength: number }>();
  readonly #canon = new Map<string, CanonicalBody>();
  readonly #body: string;
  constructor(body: string) {
    this.#body = body;
  }
  get(sig: DkimSignature): { hash: Buffer; canonicalLength: number } {
    const key = `${sig.bodyCanon}|${sig.bodyLength}|${sig.algorithm}`;
    let r = this.#cache.get(key);
    if (!r) {
      let canonical = this.#canon.get(sig.bodyCanon);
      if (canonical === undefined) {
        canonical = canonicalBodyParts(this.#body, sig.bodyCanon);
        this.#canon.set(sig.bodyCanon, canonical);
      }
      const hash = createHash(HASH_OF[sig.algorithm]);
      const length = canonical.text.length + canonical.end.length;
      // The canonical body is text + end; hashing the two pieces avoids copying the whole body.
      if (sig.bodyLength === null || sig.bodyLength >= length) hash.update(canonical.text, 'latin1').update(canonical.end, 'latin1');
      else if (sig.bodyLength <= canonical.text.length) hash.update(canonical.text.slice(0, sig.bodyLength), 'latin1');
      else hash.update(canonical.text, 'latin1').update(canonical.end.slice(0, sig.bodyLength - canonical.text.length), 'latin1');
      r = { hash: hash.digest(), canonicalLength: length };
      this.#cache.set(key, r);
    }
    return r;
  }
}

function checkHeaderSignature(sig: DkimSignature, data: string, record: ParsedKeyRecord): boolean {
  if (!record.key) return false;
  try {
    if (sig.algorithm === 'ed25519-sha256') {
      // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the canonicalized header data.
      return cryptoVerify(null, createHash('sha256').update(data, 'latin1').digest(), record.key, sig.signature);
    }
    return cryptoVerify(HASH_OF[sig.algorithm], Buffer.from(data, 'latin1'), record.key, sig.signature);
  } catch {
    return false;
  }
}

/** Verifies one signature field of an already split message. */
export function verifySignature(
  split: SplitMessage, field: HeaderField, body: BodyHasher, options: VerifyOptions,
  counts: Map<string, number> = headerCounts(split.headers), fromDomain: string | null = fromDomainOf(split.headers),
): SignatureResult {
  const parsed = parseSignatureField(field.raw.slice(field.raw.indexOf(':') + 1));
  const base: SignatureResult = {
    field: field.key, domain: null, selector: null, algorithm: null, headerCanon: null, bodyCanon: null,
    status: 'malformed', reason: '', bodyHash: 'not-checked', signature: 'not-checked', key: null,
    signedHeaders: [], unsignedHeaders: [], extraInstances: [], bodyLength: null, unsignedBodyBytes: 0,
    timestamp: null, expiration: null, expired: false, aligned: false, fromDomain, weakKey: false,
    weakAlgorithm: false, repairs: [],
  };
  if (!parsed.ok) return { ...base, domain: parsed.domain, selector: parsed.selector, reason: `The signature cannot be read: ${parsed.reason}.` };
  const sig = parsed.signature;
  const result: SignatureResult = {
    ...base,
    domain: sig.domain,
    selector: sig.selector,
    algorithm: sig.algorithm,
    headerCanon: sig.headerCanon,
    bodyCanon: sig.bodyCanon,
    signedHeaders: sig.signedHeaders,
    unsignedHeaders: DISPLAYED_HEADERS.filter((h) => !sig.signedHeaders.includes(h) && counts.has(h)),
    extraInstances: [...new Set(sig.signedHeaders)].filter((h) => (counts.get(h) ?? 0) > sig.signedHeaders.filter((x) => x === h).length),
    bodyLength: sig.bodyLength,
    timestamp: sig.timestamp === null ? null : new Date(sig.timestamp * 1000).toISOString(),
    expiration: sig.expiration === null ? null : new Date(sig.expiration * 1000).toISOString(),
    expired: sig.expiration !== null && sig.expiration * 1000 < options.asOf.getTime(),
    aligned: isAligned(sig.domain, fromDomain),
    weakAlgorithm: sig.algorithm === 'rsa-sha1',
  };

  const { hash, canonicalLength } = body.get(sig);
  let bodyHash: CheckResult = hash.equals(sig.bodyHash) ? 'pass' : 'fail';
  let bodyReason = '';
  if (sig.bodyLength !== null) {
    if (sig.bodyLength > canonicalLength) {
      bodyHash = 'fail';
      bodyReason = ` The body is shorter (${canonicalLength} bytes) than the ${sig.bodyLength} bytes l= says were signed: part of it was removed.`;
    } else result.unsignedBodyBytes = canonicalLength - sig.bodyLength;
  }
  result.bodyHash = bodyHash;

  const candidates = options.keys(sig.domain, sig.selector);
  if (candidates.length === 0) {
    return { ...result, status: 'key-unavailable', reason: `No key for selector ${sig.selector} of ${sig.domain} in the key store: the signature cannot be checked (this is not evidence of forgery).` };
  }
  const usable = candidates.filter((k) => !k.record.revoked);
  if (usable.length === 0) {
    return { ...result, status: 'key-revoked', key: keyEvidence(candidates[0]!), reason: `The key for selector ${sig.selector} of ${sig.domain} is published as revoked (empty p=): the signature cannot be checked.` };
  }
  const wantType = sig.algorithm === 'ed25519-sha256' ? 'ed25519' : 'rsa';
  const fitting = usable.filter((k) => k.record.keyType === wantType && (!k.record.hashes || k.record.hashes.includes(HASH_OF[sig.algorithm])));
  if (fitting.length === 0) {
    return { ...result, status: 'key-invalid', key: keyEvidence(usable[0]!), reason: `The key on record for ${sig.selector}._domainkey.${sig.domain} cannot be used with ${sig.algorithm}.` };
  }

  const others = split.headers.filter((h) => h !== field);
  let data = '';
  for (const f of selectSignedHeaders(others, sig.signedHeaders)) if (f) data += canonicalizeHeader(f.raw, sig.headerCanon);
  data += canonicalizeSignatureField(field.raw, sig.headerCanon);

  const good = fitting.find((k) => checkHeaderSignature(sig, data, k.record));
  const used = good ?? fitting[0]!;
  result.key = keyEvidence(used);
  result.weakKey = used.record.keyType === 'rsa' && (used.record.bits ?? 0) < MIN_RSA_BITS;
  result.signature = good ? 'pass' : 'fail';
  let status: SignatureStatus;
  let reason: string;
  if (!good) {
    status = 'headers-modified';
    reason = `The header signature does not verify with ${fitting.length === 1 ? 'the key' : `any of the ${fitting.length} keys`} on record: the signed headers were changed, or the signature was forged.`;
  } else if (bodyHash === 'fail') {
    status = 'body-modified';
    reason = `The signed headers are intact, but the body no longer matches the signed body hash: the body was altered after signing.${bodyReason}`;
  } else {
    status = 'pass';
    reason = 'The headers and body match the signature.';
  }
  const critical = result.extraInstances.filter((h) => CRITICAL_HEADERS.has(h));
  if (good && critical.length > 0) {
    status = 'headers-modified';
    reason = `The signature verifies, but the message carries ${critical.map((h) => `an extra ${h}:`).join(', ')} header that the signature does not cover; mail programs may show the unsigned one.`;
  }
  return { ...result, status, reason };
}

/** Verifies every signature of a message (latin1 string of its bytes). */
export function verifySignatures(message: string, options: VerifyOptions): SignatureResult[] {
  const split = splitMessage(message);
  const fields = split.headers.filter((h) => (SIGNATURE_FIELDS as readonly string[]).includes(h.key));
  if (fields.length === 0) return [];
  const body = new BodyHasher(split.body);
  const counts = headerCounts(split.headers);
  const fromDomain = fromDomainOf(split.headers);
  return fields.map((field) => verifySignature(split, field, body, options, counts, fromDomain));
}
