/**
 * The RSA modulus from signatures alone. With e = 65537, s^e - EM is a multiple of n for every
 * signature s of an encoded message EM (RFC 8017 §8.2.2), so n divides gcd(s1^e - EM1, s2^e - EM2);
 * the cofactor gcd(k1, k2) is almost always small and is stripped with further signatures (cheap:
 * they are reduced modulo the gcd first) and trial division.
 *
 * The cost is the first gcd: for a 2048-bit key both numbers are e × 2048 ≈ 134 million bits. A
 * plain Euclid on BigInt is quadratic (measured: 25 s for 400,000 bits, so about a week here), so
 * the power and the gcd run in GMP's subquadratic half-gcd: native GMP through the optional addon
 * native/gmp-gcd when it was built at install, else GMP compiled to WebAssembly (gmp-wasm), about
 * three times slower (bench/README.md, bench:recover). TROVE_GMP=native|wasm forces one.
 * Everything after it works on numbers of the modulus's size, in BigInt.
 */
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import gmpWasm, { type GMPLib } from 'gmp-wasm';
import { UserError } from '../errors.ts';

/** The public exponent every DKIM signer uses in practice (F4); recovery assumes it. */
export const RSA_PUBLIC_EXPONENT = 65537;
const E = BigInt(RSA_PUBLIC_EXPONENT);
/**
 * Small primes are divided out of the gcd up to this bound. A real RSA modulus has no prime factor
 * this small; a cofactor keeps a prime above it with probability about 1/(B ln B), one in a million.
 */
export const TRIAL_DIVISION_BOUND = 1 << 16;
/**
 * Longest signature (or EM) whose key is recovered: 1024 bytes, an 8192-bit key. s^e has e × 8 bits
 * per byte (67 MB here), and the gcd would take most of an hour; the native addon enforces the same.
 */
export const MAX_SIGNATURE_BYTES = 1024;
/** The environment variable that forces a GMP backend: `native`, `wasm`, or unset (native when it loads). */
export const GMP_BACKEND_ENV = 'TROVE_GMP';

export type GmpBackendName = 'native' | 'wasm';

/** Which GMP computes the gcd, for progress, JSON output and benchmark results. */
export interface GmpBackend {
  name: GmpBackendName;
  /** E.g. `native GMP 6.2.1 (@trove/gmp-gcd)`. */
  label: string;
  /** gcd(s1^e - EM1, s2^e - EM2) as big-endian bytes; onPowersDone is called before the gcd starts. */
  powSubGcd: (pair: PowerPair, onPowersDone: () => void) => Promise<Uint8Array>;
}

/** What native/gmp-gcd/gmp-gcd.c exports: a gcd on a thread of its own, polled. */
interface NativeGmp {
  start: (s1: Uint8Array, em1: Uint8Array, s2: Uint8Array, em2: Uint8Array, e: number) => object;
  poll: (job: object) => 'power' | 'gcd' | Buffer;
  gmpVersion: string;
}

/**
 * How often the native job is polled. The thread calling it is free between polls, so that
 * worker.terminate() (Ctrl-C) takes effect at once: GMP itself cannot be interrupted.
 */
const NATIVE_POLL_MS = 20;

let nativeAddon: { ok: true; addon: NativeGmp } | { ok: false; reason: string } | null = null;

/** The addon, loaded once; an optional dependency, so absent when npm ci had no compiler or libgmp-dev. */
function loadNative(): { ok: true; addon: NativeGmp } | { ok: false; reason: string } {
  if (nativeAddon) return nativeAddon;
  try {
    const addon = createRequire(import.meta.url)('@trove/gmp-gcd') as NativeGmp;
    if (typeof addon.start !== 'function' || typeof addon.poll !== 'function') throw new Error('it does not export start and poll');
    nativeAddon = { ok: true, addon };
  } catch (err) {
    nativeAddon = { ok: false, reason: (err as Error).message.split('\n')[0]! };
  }
  return nativeAddon;
}

function nativeBackend(addon: NativeGmp): GmpBackend {
  return {
    name: 'native',
    label: `native GMP ${addon.gmpVersion} (@trove/gmp-gcd)`,
    powSubGcd: async (pair, onPowersDone) => {
      const job = addon.start(pair.a.signature, pair.a.encoded, pair.b.signature, pair.b.encoded, RSA_PUBLIC_EXPONENT);
      let phase: 'power' | 'gcd' = 'power';
      for (;;) {
        const state = addon.poll(job);
        // Both phases are reported even when the gcd ends between two polls.
        if (state !== 'power' && phase === 'power') {
          phase = 'gcd';
          onPowersDone();
        }
        if (typeof state !== 'string') return state;
        await sleep(NATIVE_POLL_MS);
      }
    },
  };
}

function wasmBackend(lib: GMPLib, note: string): GmpBackend {
  const g = lib.binding;
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex') || '0';
  return {
    name: 'wasm',
    label: `GMP in WebAssembly (gmp-wasm)${note}`,
    powSubGcd: async (pair, onPowersDone) => {
      const values = Array.from({ length: 5 }, () => {
        const p = g.mpz_t();
        g.mpz_init(p);
        return p;
      });
      const [s, m, a, b, r] = values as [number, number, number, number, number];
      try {
        for (const [target, side] of [[a, pair.a], [b, pair.b]] as const) {
          g.mpz_set_string(s, hex(side.signature), 16);
          g.mpz_set_string(m, hex(side.encoded), 16);
          g.mpz_pow_ui(target, s, RSA_PUBLIC_EXPONENT);
          g.mpz_sub(target, target, m);
        }
        onPowersDone();
        g.mpz_gcd(r, a, b);
        const digits = g.mpz_to_string(r, 16);
        return Buffer.from(digits.length % 2 ? `0${digits}` : digits, 'hex');
      } finally {
        for (const p of values) {
          g.mpz_clear(p);
          g.mpz_t_free(p);
        }
      }
    },
  };
}

let wasmLibrary: Promise<GMPLib> | null = null;

/** One WebAssembly instance per thread: its memory grows to the numbers' size and never shrinks. */
function initWasm(): Promise<GMPLib> {
  wasmLibrary ??= gmpWasm.init();
  return wasmLibrary;
}

const backends = new Map<string, Promise<GmpBackend>>();

/**
 * The GMP backend to use: `native` (the addon; throws if it is not built), `wasm`, or `auto`
 * (native when it loads, else wasm). Defaults to $TROVE_GMP, else auto. Loaded once per choice.
 */
export function gmpBackend(choice: string = process.env[GMP_BACKEND_ENV] || 'auto'): Promise<GmpBackend> {
  let backend = backends.get(choice);
  if (!backend) {
    backend = selectBackend(choice);
    backends.set(choice, backend);
  }
  return backend;
}

async function selectBackend(choice: string): Promise<GmpBackend> {
  if (choice !== 'auto' && choice !== 'native' && choice !== 'wasm') {
    throw new UserError('bad-gmp-backend', `${GMP_BACKEND_ENV} is "${choice}": set it to native, wasm, or leave it unset (native GMP when its addon is built).`);
  }
  if (choice === 'wasm') return wasmBackend(await initWasm(), '');
  const native = loadNative();
  if (native.ok) return nativeBackend(native.addon);
  if (choice === 'native') {
    throw new UserError(
      'gmp-native-unavailable',
      `${GMP_BACKEND_ENV}=native, but the native GMP addon @trove/gmp-gcd does not load (${native.reason}). npm ci builds it when a C compiler, python3 and libgmp-dev are installed (Debian: apt-get install build-essential python3 libgmp-dev, then npm ci again); or unset ${GMP_BACKEND_ENV} to use gmp-wasm.`,
    );
  }
  return wasmBackend(await initWasm(), ', as the native addon @trove/gmp-gcd did not load');
}

export function bigFromBytes(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')}`);
}

export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** The two signatures of a recovery pair: s and EM as big-endian bytes. */
export interface PowerPair {
  a: { signature: Uint8Array; encoded: Uint8Array };
  b: { signature: Uint8Array; encoded: Uint8Array };
}

/** Called when the expensive steps start: raising both signatures to e, then the gcd (with how long the powers took, and which GMP runs them). */
export type PairPhase = (phase: 'power' | 'gcd', powerMs: number, backend: GmpBackend) => void;

/**
 * gcd(s1^e - EM1, s2^e - EM2), computed in GMP: about 40 s for a 2048-bit key natively, 2 minutes in
 * gmp-wasm (bench:recover). gmp-wasm blocks the calling thread; the native addon computes on a thread
 * of its own, polled, so that terminating the worker is not held up.
 */
export async function gcdOfPair(pair: PowerPair, onPhase: PairPhase = () => {}, backend?: GmpBackend): Promise<bigint> {
  for (const side of [pair.a, pair.b]) {
    if (side.signature.length > MAX_SIGNATURE_BYTES || side.encoded.length > MAX_SIGNATURE_BYTES) {
      throw new RangeError(`a signature of ${side.signature.length} bytes: keys longer than ${MAX_SIGNATURE_BYTES * 8} bits are not recovered`);
    }
  }
  const gmp = backend ?? (await gmpBackend());
  onPhase('power', 0, gmp);
  const started = performance.now();
  const g = await gmp.powSubGcd(pair, () => onPhase('gcd', performance.now() - started, gmp));
  return bigFromBytes(g);
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Bits a modulus of `bytes` bytes can have: a signature is as long as the modulus (RFC 8017 §8.2.1). */
export function modulusBitRange(bytes: number): { min: number; max: number } {
  return { min: bytes * 8 - 7, max: bytes * 8 };
}

/**
 * gcd(m, s^e - EM) computed modulo m, so that a further signature costs a modular power of the
 * modulus's size instead of another gcd of millions of bits.
 */
export function narrowBySignature(m: bigint, signature: Uint8Array, encoded: Uint8Array): bigint {
  const r = (modPow(bigFromBytes(signature), E, m) - bigFromBytes(encoded)) % m;
  return gcd(m, r < 0n ? r + m : r);
}

let smallPrimes: number[] | null = null;

function primesBelow(bound: number): number[] {
  const sieve = new Uint8Array(bound);
  const out: number[] = [];
  for (let i = 2; i < bound; i++) {
    if (sieve[i]) continue;
    out.push(i);
    for (let j = i * i; j < bound; j += i) sieve[j] = 1;
  }
  return out;
}

/** Divides out every prime below TRIAL_DIVISION_BOUND. */
export function stripSmallFactors(m: bigint): bigint {
  smallPrimes ??= primesBelow(TRIAL_DIVISION_BOUND);
  let n = m;
  for (const p of smallPrimes) {
    const bp = BigInt(p);
    while (n > bp && n % bp === 0n) n /= bp;
  }
  return n;
}
