/**
 * Test DKIM keys derived from the seed, so that a trove (signatures included) is byte-identical
 * for the same seed: RSA primes are searched from seeded candidates with OpenSSL's primality test
 * (`checkPrimeSync`), Ed25519 keys are a seeded 32-byte secret (RFC 8032 §5.1.5). These keys are
 * public knowledge by construction: anyone with the seed can sign. Test use only.
 */
import { checkPrimeSync, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Prng, hashSeed } from './prng.ts';
import type { DkimAlgorithm, DkimSigningKey } from './dkim-sign.ts';

/** A generated key with what the zone file and the key store need. */
export interface GeneratedKey extends DkimSigningKey {
  privateKey: KeyObject;
  bits: number;
  /** The `p=` value: base64 SubjectPublicKeyInfo for RSA, the raw 32-byte key for Ed25519 (RFC 8463 §4.2). */
  publicKeyDns: string;
}

const SMALL_PRIMES: bigint[] = [];
for (let n = 3; SMALL_PRIMES.length < 300; n += 2) {
  if (SMALL_PRIMES.every((p) => n % Number(p) !== 0)) SMALL_PRIMES.push(BigInt(n));
}
const E = 65537n;

function randomBigInt(prng: Prng, bits: number): bigint {
  const hex = prng.hex(bits / 4);
  return BigInt('0x' + hex);
}

/** A `bits`-bit prime with its two top bits set (so p*q has exactly 2*bits bits) and gcd(e, p-1) = 1. */
function derivePrime(prng: Prng, bits: number): bigint {
  const top = 3n << BigInt(bits - 2);
  let candidate = randomBigInt(prng, bits) | top | 1n;
  for (;;) {
    if (SMALL_PRIMES.every((p) => candidate % p !== 0n) && (candidate - 1n) % E !== 0n && checkPrimeSync(candidate, { checks: 32 })) {
      return candidate;
    }
    candidate += 2n;
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function b64url(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** PKCS#8 wrapper of a raw Ed25519 secret (RFC 8410 §7). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** Length of the SPKI prefix before the raw Ed25519 public key. */
const ED25519_SPKI_PREFIX_LENGTH = 12;

/** A key for `domain`/`selector`, the same for the same seed. */
export function deriveDkimKey(seed: number, domain: string, selector: string, algorithm: DkimAlgorithm, bits = 2048): GeneratedKey {
  const prng = new Prng(hashSeed(seed, 'dkim-key', domain, selector, algorithm, bits));
  if (algorithm === 'ed25519-sha256') {
    const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, prng.bytes(32)]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    return { domain, selector, algorithm, privateKey, bits: 256, publicKeyDns: spki.subarray(ED25519_SPKI_PREFIX_LENGTH).toString('base64') };
  }
  let p: bigint;
  let q: bigint;
  do {
    p = derivePrime(prng, bits / 2);
    q = derivePrime(prng, bits / 2);
  } while (p === q);
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(E, lambda);
  const jwk = {
    kty: 'RSA',
    n: b64url(n),
    e: b64url(E),
    d: b64url(d),
    p: b64url(p),
    q: b64url(q),
    dp: b64url(d % (p - 1n)),
    dq: b64url(d % (q - 1n)),
    qi: b64url(modInverse(q, p)),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { domain, selector, algorithm, privateKey, bits, publicKeyDns: spki.toString('base64') };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Longest character-string in a TXT record (RFC 1035 §3.3). */
const TXT_STRING_MAX = 255;

/** The DKIM TXT record text (RFC 6376 §3.6.1): `v=DKIM1; k=rsa; p=...`. */
export function dkimRecord(key: GeneratedKey): string {
  return `v=DKIM1; k=${key.algorithm === 'rsa-sha256' ? 'rsa' : 'ed25519'}; p=${key.publicKeyDns}`;
}

/** One zone-file line, the record split into quoted strings of at most 255 characters. */
export function zoneLine(key: GeneratedKey): string {
  const record = dkimRecord(key);
  const strings: string[] = [];
  for (let i = 0; i < record.length; i += TXT_STRING_MAX) strings.push(`"${record.slice(i, i + TXT_STRING_MAX)}"`);
  return `${key.selector}._domainkey.${key.domain}. 3600 IN TXT ${strings.join(' ')}`;
}
