/**
 * What one DKIM signature gives key recovery: the signature s, and EM, the EMSA-PKCS1-v1_5 encoding
 * (RFC 8017 §9.2) of the hash of exactly the data the engine hashes for the header signature
 * (RFC 6376 §3.7). For the signer's RSA key, s^e mod n = EM. Pure: bytes in, sample out.
 */
import { createHash } from 'node:crypto';
import { canonicalizeHeader, canonicalizeSignatureField } from './canonicalize.ts';
import { selectSignedHeaders, splitMessage, type HeaderField, type SplitMessage } from './message-split.ts';
import { parseSignatureField, type DkimSignature } from './signature-field.ts';
import { SIGNATURE_FIELDS } from './verify.ts';

/** DER DigestInfo prefixes, RFC 8017 §9.2 note 1: the hash's algorithm identifier before the hash. */
const DIGEST_INFO = {
  sha1: Buffer.from('3021300906052b0e03021a05000414', 'hex'),
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
} as const;

export type RsaHash = keyof typeof DIGEST_INFO;

/** RFC 8017 §9.2: EM = 0x00 || 0x01 || PS (0xff ...) || 0x00 || DigestInfo || H, emLen bytes; null when too short. */
export function encodePkcs1v15(hash: RsaHash, digest: Buffer, emLen: number): Buffer | null {
  const t = Buffer.concat([DIGEST_INFO[hash], digest]);
  // "intended encoded message length too short": PS needs at least 8 bytes.
  if (emLen < t.length + 11) return null;
  const em = Buffer.alloc(emLen, 0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[emLen - t.length - 1] = 0x00;
  t.copy(em, emLen - t.length);
  return em;
}

/**
 * The header-hash input of one signature (RFC 6376 §3.7), assembled from the engine's own pieces the
 * way verifySignature assembles it: the signed fields (§5.4.2 selection), then the signature field
 * with b= emptied.
 */
export function signedHeaderData(split: SplitMessage, field: HeaderField, sig: DkimSignature): string {
  const others = split.headers.filter((h) => h !== field);
  let data = '';
  for (const f of selectSignedHeaders(others, sig.signedHeaders)) if (f) data += canonicalizeHeader(f.raw, sig.headerCanon);
  return data + canonicalizeSignatureField(field.raw, sig.headerCanon);
}

/** One RSA signature of the (domain, selector) being recovered. */
export interface SignatureSample {
  /** The message, by the SHA-256 of its bytes. */
  sha256: string;
  algorithm: 'rsa-sha256' | 'rsa-sha1';
  /** b=, as many bytes as the modulus. */
  signature: Buffer;
  /** The header-hash input as stored (latin1). */
  data: string;
  /** EM of `data`, as long as the signature. */
  encoded: Buffer;
  /**
   * No visible transport damage changes `data` (bare LF line endings under simple header
   * canonicalization): a recovery is built on such signatures first, as one damaged signature
   * spoils a whole gcd.
   */
  stable: boolean;
}

export type SampleRead =
  | { ok: true; sample: SignatureSample }
  | { ok: false; kind: 'absent' | 'unreadable' | 'ed25519' | 'too-short'; reason: string };

interface Located {
  sig: DkimSignature;
  data: string;
}

/** The first readable signature of (domain, selector) in a message, with its header-hash input. */
function locate(message: string, domain: string, selector: string): Located | { reason: string } | null {
  const split = splitMessage(message);
  let unreadable: string | null = null;
  for (const field of split.headers) {
    if (!(SIGNATURE_FIELDS as readonly string[]).includes(field.key)) continue;
    const parsed = parseSignatureField(field.raw.slice(field.raw.indexOf(':') + 1));
    if (!parsed.ok) {
      if (parsed.domain === domain && parsed.selector === selector) unreadable ??= parsed.reason;
      continue;
    }
    if (parsed.signature.domain !== domain || parsed.signature.selector !== selector) continue;
    return { sig: parsed.signature, data: signedHeaderData(split, field, parsed.signature) };
  }
  return unreadable === null ? null : { reason: unreadable };
}

const BARE_LF = /(?:^|[^\r])\n/;

/** The header block of a message and its blank line. */
function headerBlock(message: string): string {
  const crlf = message.indexOf('\r\n\r\n');
  const lf = message.indexOf('\n\n');
  const end = crlf < 0 ? (lf < 0 ? message.length : lf + 2) : lf < 0 || crlf < lf ? crlf + 4 : lf + 2;
  return message.slice(0, end);
}

/** Reads the signature of (domain, selector) in a message (latin1 string of its bytes). */
export function readSample(sha256: string, message: string, domain: string, selector: string): SampleRead {
  const found = locate(message, domain, selector);
  if (found === null) return { ok: false, kind: 'absent', reason: `the message carries no signature of ${selector}._domainkey.${domain}` };
  if (!('sig' in found)) return { ok: false, kind: 'unreadable', reason: `its signature cannot be read: ${found.reason}` };
  const { sig, data } = found;
  if (sig.algorithm === 'ed25519-sha256') {
    return { ok: false, kind: 'ed25519', reason: 'an Ed25519 signature: Ed25519 public keys cannot be computed from signatures' };
  }
  const hash: RsaHash = sig.algorithm === 'rsa-sha1' ? 'sha1' : 'sha256';
  const encoded = encodePkcs1v15(hash, createHash(hash).update(data, 'latin1').digest(), sig.signature.length);
  if (encoded === null) return { ok: false, kind: 'too-short', reason: `its signature is only ${sig.signature.length} bytes: too short for any RSA key` };
  // Bare LFs are the one header damage visible in the bytes (re-folding is not): under simple
  // canonicalization they change the signed data, and the engine would restore CRLF before checking.
  const stable = sig.headerCanon === 'relaxed' || !BARE_LF.test(headerBlock(message));
  return { ok: true, sample: { sha256, algorithm: sig.algorithm, signature: sig.signature, data, encoded, stable } };
}
