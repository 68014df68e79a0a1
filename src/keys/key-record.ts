/**
 * DKIM key records (RFC 6376 §3.6.1, RFC 8463 §4): the TXT text published at
 * `selector._domainkey.domain`. Parsing is pure; the public key becomes a node:crypto KeyObject.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { parseTagList, stripWhitespace } from '../dkim/tag-list.ts';

export type KeyType = 'rsa' | 'ed25519';

export interface ParsedKeyRecord {
  keyType: KeyType;
  /** The p= value as published (base64, whitespace removed); '' means revoked (§3.6.1). */
  p: string;
  revoked: boolean;
  /** h=: hash algorithms the key may be used with, or null for any. */
  hashes: string[] | null;
  /** t=y: the domain is testing DKIM; t=s: i= must be exactly d=. */
  testing: boolean;
  strictIdentity: boolean;
  /** Present unless revoked. */
  key: KeyObject | null;
  /** RSA modulus bits, or 256 for Ed25519. */
  bits: number | null;
  /** SHA-256 of the SubjectPublicKeyInfo (DER), hex: what a user compares with key archives. */
  fingerprint: string | null;
}

export type KeyRecordParse = { ok: true; record: ParsedKeyRecord } | { ok: false; reason: string };

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function toKeyObject(keyType: KeyType, der: Buffer): KeyObject {
  if (keyType === 'ed25519') {
    // RFC 8463 §4.2: p= is the raw 32-byte public key, not an SPKI.
    if (der.length !== 32) throw new Error(`an Ed25519 key is 32 bytes, this one is ${der.length}`);
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: 'der', type: 'spki' });
  }
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    // Some publishers put a bare PKCS#1 RSAPublicKey in p=; accepted, as most verifiers do.
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

export function parseKeyRecord(text: string): KeyRecordParse {
  const parsed = parseTagList(text);
  if (!parsed.ok) return { ok: false, reason: `unreadable key record: ${parsed.reason}` };
  const t = parsed.tags;
  const v = t.get('v');
  if (v !== undefined && v !== 'DKIM1') return { ok: false, reason: `v=${v} is not DKIM1` };
  const k = (t.get('k') ?? 'rsa').toLowerCase();
  if (k !== 'rsa' && k !== 'ed25519') return { ok: false, reason: `k=${k} is not a known key type` };
  if (!t.has('p')) return { ok: false, reason: 'the key record has no p= tag' };
  const p = stripWhitespace(t.get('p')!);
  const s = t.get('s');
  if (s !== undefined && !s.split(':').some((x) => ['*', 'email'].includes(x.trim().toLowerCase()))) {
    return { ok: false, reason: `s=${s}: the key is not for email` };
  }
  const flags = (t.get('t') ?? '').split(':').map((x) => x.trim().toLowerCase());
  const hashes = t.has('h') ? t.get('h')!.split(':').map((x) => x.trim().toLowerCase()) : null;
  const base = { keyType: k as KeyType, p, hashes, testing: flags.includes('y'), strictIdentity: flags.includes('s') };
  if (p === '') return { ok: true, record: { ...base, revoked: true, key: null, bits: null, fingerprint: null } };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(p)) return { ok: false, reason: 'p= is not valid base64' };
  let key: KeyObject;
  try {
    key = toKeyObject(k as KeyType, Buffer.from(p, 'base64'));
  } catch (err) {
    return { ok: false, reason: `p= does not hold a usable ${k} public key: ${(err as Error).message}` };
  }
  const spki = key.export({ type: 'spki', format: 'der' });
  const bits = k === 'ed25519' ? 256 : (key.asymmetricKeyDetails?.modulusLength ?? null);
  return { ok: true, record: { ...base, revoked: false, key, bits, fingerprint: createHash('sha256').update(spki).digest('hex') } };
}
