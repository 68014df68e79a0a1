/**
 * Key recovery for one (domain, selector): the RSA public key computed from the trove's own
 * signatures, confirmed against the signatures it came from, then every message of the selector
 * checked under it by the DKIM engine (repairs included). Message bytes come through `read`, so the
 * caller decides where they live; nothing here writes anything.
 *
 * A recovered key proves less than a published one: the messages it verifies were signed by one key
 * holder and not changed since, but a forger signing fakes with a key of their own would get that
 * key "recovered" too. The messages of the selector that do not verify under it are the interesting
 * ones, and are returned.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { parseKeyRecord, type ParsedKeyRecord } from '../keys/key-record.ts';
import type { SignatureStatus } from './result.ts';
import { RECOVERED_KEY_SOURCE } from './verdict.ts';
import { bigFromBytes, bitLength, gcdOfPair, modulusBitRange, narrowBySignature, RSA_PUBLIC_EXPONENT, stripSmallFactors } from './recover-modulus.ts';
import { readSample, type SignatureSample } from './recover-samples.ts';
import { verifyMessage } from './verify-message.ts';
import type { KeyLookup } from './verify.ts';

/** Full gcds tried per selector before giving up: each costs about 15 s (native GMP) to a minute (WebAssembly) per 1024 bits of key. */
export const MAX_GCD_ATTEMPTS = 3;
/** Further signatures used to strip a cofactor from the gcd (each one is cheap). */
const MAX_NARROWING_SIGNATURES = 8;
/**
 * A gcd this much longer than a modulus is not n times a small cofactor (which has a few bits, rarely
 * dozens): narrowing it would cost minutes of BigInt work for nothing, so the pair is dropped.
 */
const MAX_COFACTOR_BITS = 4096;

export type RecoveryPhase = 'reading' | 'power' | 'gcd' | 'checking';

export interface RecoveryProgress {
  phase: RecoveryPhase;
  /** Messages read or checked so far (reading, checking), of `total`. */
  done: number;
  total: number;
  /** The key size being recovered, once known. */
  modulusBits: number | null;
  /** Which gcd attempt (1-based) of at most MAX_GCD_ATTEMPTS. */
  attempt: number;
  /** How long raising the two signatures to e took: the gcd takes a stable multiple of it. */
  powerMs: number | null;
}

export interface RecoveryRequest {
  domain: string;
  selector: string;
  /** The messages that carry a signature of this selector, by SHA-256. */
  messages: string[];
  read: (sha256: string) => Uint8Array;
  /** For the engine's x= report only (never fatal). */
  asOf: Date;
  onProgress?: (p: RecoveryProgress) => void;
}

/** A message of the selector that does not pass under the recovered key, with the engine's words. */
export interface MessageCheck {
  sha256: string;
  status: SignatureStatus | 'not-checked';
  reason: string;
}

export interface RecoveredKey {
  /** The TXT record a DNS publisher would have served: `v=DKIM1; k=rsa; p=...`. */
  record: string;
  /** p=: base64 of the DER SubjectPublicKeyInfo. */
  p: string;
  bits: number;
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex (as key-record.ts computes it for every key). */
  fingerprint: string;
}

export type RecoveryResult =
  | {
      ok: true;
      domain: string;
      selector: string;
      key: RecoveredKey;
      /** The signatures the key was computed and confirmed from (the gcd pair first). */
      used: string[];
      /** Messages whose signature passes under the key (headers and body). */
      verified: string[];
      notVerifying: MessageCheck[];
      gcdAttempts: number;
    }
  | {
      ok: false;
      domain: string;
      selector: string;
      code: 'needs-two-signatures' | 'ed25519' | 'no-common-key';
      reason: string;
      /** Messages that could not give a sample, and why. */
      unusable: MessageCheck[];
      gcdAttempts: number;
    };

const b64url = (n: bigint): string => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
};

function publicKeyOf(n: bigint): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(BigInt(RSA_PUBLIC_EXPONENT)) }, format: 'jwk' });
}

const HASH = { 'rsa-sha256': 'sha256', 'rsa-sha1': 'sha1' } as const;

function signs(key: KeyObject, s: SignatureSample): boolean {
  try {
    return cryptoVerify(HASH[s.algorithm], Buffer.from(s.data, 'latin1'), key, s.signature);
  } catch {
    return false;
  }
}

/** Pairs of indexes to try, in order: disjoint pairs first (one bad signature spoils one pair only), then the others. */
function* pairOrder(count: number): Generator<[number, number]> {
  const tried = new Set<string>();
  for (let i = 0; i + 1 < count; i += 2) {
    tried.add(`${i},${i + 1}`);
    yield [i, i + 1];
  }
  for (let j = 1; j < count; j++) {
    for (let i = 0; i < j; i++) if (!tried.has(`${i},${j}`)) yield [i, j];
  }
}

interface Candidate {
  n: bigint;
  used: string[];
}

/**
 * The modulus from one pair, narrowed by further signatures of the same length; null when the pair
 * was not signed by one key (or one of its messages was altered).
 */
function narrow(g: bigint, pair: [SignatureSample, SignatureSample], others: SignatureSample[]): Candidate | null {
  const { min, max } = modulusBitRange(pair[0].signature.length);
  if (bitLength(g) < min || bitLength(g) > max + MAX_COFACTOR_BITS) return null;
  let m = stripSmallFactors(g);
  const used = [pair[0].sha256, pair[1].sha256];
  for (const s of others) {
    if (bitLength(m) <= max || used.length >= 2 + MAX_NARROWING_SIGNATURES) break;
    const next = stripSmallFactors(narrowBySignature(m, s.signature, s.encoded));
    // A signature by another key (or of an altered message) collapses the gcd: it is not used.
    if (bitLength(next) < min) continue;
    m = next;
    used.push(s.sha256);
  }
  if (bitLength(m) < min || bitLength(m) > max) return null;
  const biggest = [pair[0], pair[1]].reduce((x, s) => (bigFromBytes(s.signature) > x ? bigFromBytes(s.signature) : x), 0n);
  if (m <= biggest) return null;
  return { n: m, used };
}

/** Recovers the key of one selector, or says why it cannot. */
export async function recoverKey(req: RecoveryRequest): Promise<RecoveryResult> {
  const { domain, selector } = req;
  const progress: RecoveryProgress = { phase: 'reading', done: 0, total: req.messages.length, modulusBits: null, attempt: 0, powerMs: null };
  const report = (): void => req.onProgress?.({ ...progress });
  report();
  const samples: SignatureSample[] = [];
  const unusable: MessageCheck[] = [];
  const seen = new Set<string>();
  let ed25519 = 0;
  for (const sha256 of req.messages) {
    const bytes = req.read(sha256);
    const r = readSample(sha256, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1'), domain, selector);
    // A message sent twice with the same signed headers carries the same signature: as a pair it
    // would give s^e - EM itself, millions of bits, so only the first copy is a sample.
    if (r.ok) {
      const b = r.sample.signature.toString('base64');
      if (!seen.has(b)) samples.push(r.sample);
      seen.add(b);
    } else {
      if (r.kind === 'ed25519') ed25519++;
      unusable.push({ sha256, status: 'not-checked', reason: r.reason });
    }
    progress.done++;
    if (progress.done % 64 === 0) report();
  }
  const fail = (code: 'needs-two-signatures' | 'ed25519' | 'no-common-key', reason: string, attempts = 0): RecoveryResult => ({ ok: false, domain, selector, code, reason, unusable, gcdAttempts: attempts });
  if (samples.length === 0 && ed25519 > 0) return fail('ed25519', 'the selector signs with Ed25519, whose public keys cannot be computed from signatures');

  // Signatures of one key are all as long as its modulus: the most common length is tried first.
  const byLength = new Map<number, SignatureSample[]>();
  for (const s of samples) byLength.set(s.signature.length, [...(byLength.get(s.signature.length) ?? []), s]);
  const groups = [...byLength.values()].filter((g) => g.length >= 2).sort((x, y) => y.length - x.length);
  if (groups.length === 0) {
    return fail('needs-two-signatures', `needs at least two different readable RSA signatures of one key length; the ${req.messages.length} messages carry ${samples.length}`);
  }

  let attempts = 0;
  let best: { key: RecoveredKey; used: string[]; verified: string[]; notVerifying: MessageCheck[] } | null = null;
  for (const group of groups) {
    // Signatures no repair can change go first: a damaged one would spoil a whole gcd.
    const pool = [...group.filter((s) => s.stable), ...group.filter((s) => !s.stable)];
    progress.modulusBits = pool[0]!.signature.length * 8;
    let found: bigint[] = [];
    for (const [i, j] of pairOrder(pool.length)) {
      if (attempts >= MAX_GCD_ATTEMPTS) break;
      const a = pool[i]!;
      const b = pool[j]!;
      if (found.some((n) => signs(publicKeyOf(n), a) || signs(publicKeyOf(n), b))) continue; // already explained
      attempts++;
      progress.attempt = attempts;
      const g = await gcdOfPair({ a, b }, (phase, powerMs) => {
        progress.phase = phase;
        progress.powerMs = phase === 'gcd' ? powerMs : null;
        report();
      });
      const candidate = narrow(g, [a, b], pool.filter((s) => s !== a && s !== b));
      if (!candidate) continue;
      const key = publicKeyOf(candidate.n);
      const usedSamples = candidate.used.map((sha) => pool.find((s) => s.sha256 === sha)!);
      if (!usedSamples.every((s) => signs(key, s))) continue;
      found = [...found, candidate.n];

      const checked = checkMessages(req, key, progress, report);
      if (!best || checked.verified.length > best.verified.length) best = { ...checked, used: candidate.used };
      // Stop once the key explains most of the selector; otherwise the majority may be another key
      // (a forger's pair can come first) and the remaining attempts look for it.
      if (checked.verified.length * 2 >= samples.length) break;
    }
    if (best) break;
  }
  if (!best) {
    return fail(
      'no-common-key',
      `${attempts} pair${attempts === 1 ? '' : 's'} of signatures gave no common key: they were not all made with one RSA key (a rotated or a forger's key), or their signed headers were changed`,
      attempts,
    );
  }
  const reported = new Set([...best.verified, ...best.notVerifying.map((m) => m.sha256)]);
  const notVerifying = [...best.notVerifying, ...unusable.filter((m) => !reported.has(m.sha256))];
  return { ok: true, domain, selector, key: best.key, used: best.used, verified: best.verified, notVerifying, gcdAttempts: attempts };
}

/** Every message of the selector through the engine, with the candidate as the only key on record. */
function checkMessages(req: RecoveryRequest, key: KeyObject, progress: RecoveryProgress, report: () => void): { key: RecoveredKey; verified: string[]; notVerifying: MessageCheck[] } {
  const spki = key.export({ type: 'spki', format: 'der' });
  const record = `v=DKIM1; k=rsa; p=${spki.toString('base64')}`;
  const parsed = parseKeyRecord(record);
  if (!parsed.ok) throw new Error(`a recovered key does not parse as a key record: ${parsed.reason}`);
  const rec: ParsedKeyRecord = parsed.record;
  const lookup: KeyLookup = (d, s) =>
    d === req.domain && s === req.selector ? [{ id: 'recovered-candidate', record: rec, source: 'recovered from the trove', sourceKind: RECOVERED_KEY_SOURCE }] : [];
  progress.phase = 'checking';
  progress.done = 0;
  report();
  const verified: string[] = [];
  const notVerifying: MessageCheck[] = [];
  for (const sha256 of req.messages) {
    const v = verifyMessage(req.read(sha256), { keys: lookup, asOf: req.asOf });
    const sig = v.signatures.find((r) => r.domain === req.domain && r.selector === req.selector && r.key !== null) ?? v.signatures.find((r) => r.domain === req.domain && r.selector === req.selector);
    if (sig?.status === 'pass') verified.push(sha256);
    else if (sig) notVerifying.push({ sha256, status: sig.status, reason: sig.reason });
    progress.done++;
    if (progress.done % 64 === 0) report();
  }
  return { key: { record, p: rec.p, bits: rec.bits ?? 0, fingerprint: rec.fingerprint ?? '' }, verified, notVerifying };
}
