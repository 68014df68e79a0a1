/**
 * The two GMP backends of key recovery's gcd (src/dkim/recover-modulus.ts): the native addon
 * (native/gmp-gcd, an optional dependency) and gmp-wasm give the same numbers on the same inputs,
 * TROVE_GMP picks one, the addon rejects bad arguments with exceptions, and a worker waiting on a
 * native gcd can still be terminated at once (Ctrl-C). The native tests are skipped when the addon
 * was not built (no compiler or libgmp-dev at npm ci).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { bigFromBytes, gcdOfPair, GMP_BACKEND_ENV, gmpBackend, MAX_SIGNATURE_BYTES, modPow, type GmpBackend, type PowerPair } from '../../src/dkim/recover-modulus.ts';

const native: GmpBackend | null = await gmpBackend('native').catch(() => null);
const skipNative = native ? false : 'the native addon @trove/gmp-gcd is not built (no C compiler or libgmp-dev at npm ci)';

/** Deterministic bytes of a given length (an empty array is the number 0). */
const bytes = (seed: string, length: number): Buffer => createHash('sha512').update(seed).digest().subarray(0, length);
const num = (...b: number[]): Uint8Array => Uint8Array.from(b);
const pairOf = (s1: Uint8Array, em1: Uint8Array, s2: Uint8Array, em2: Uint8Array): PowerPair => ({ a: { signature: s1, encoded: em1 }, b: { signature: s2, encoded: em2 } });

/**
 * Raw RSA with a 48-bit modulus (two Mersenne primes; e = 65537 is prime to both p - 1 and q - 1):
 * s^e - m has 3 million bits, so a gcd takes a fraction of a second where a 512-bit key's takes 10 to
 * 30 s (whole recoveries with real keys run on both backends in recover-key.test.ts with TROVE_GMP).
 */
const P = 2n ** 17n - 1n;
const Q = 2n ** 31n - 1n;
const N = P * Q;
const D = inverse(65537n, (P - 1n) * (Q - 1n));

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, t0, t1] = [m, a % m, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, t0, t1] = [r1, r0 - q * r1, t1, t0 - q * t1];
  }
  return ((t0 % m) + m) % m;
}

function toBytes(n: bigint): Uint8Array {
  const hex = n.toString(16);
  return n === 0n ? num() : Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** A raw RSA signature of a message number below N, and that number, as bytes. */
function rawSignature(seed: string, modulus = N, d = D): { signature: Uint8Array; encoded: Uint8Array } {
  const m = bigFromBytes(bytes(seed, 8)) % modulus;
  return { signature: toBytes(modPow(m, d, modulus)), encoded: toBytes(m) };
}

test('native and wasm GMP give the same gcd on the same inputs', { skip: skipNative, timeout: 300_000 }, async () => {
  const wasm = await gmpBackend('wasm');
  const p2 = 2n ** 19n - 1n;
  const otherKey = { n: P * p2, d: inverse(65537n, (P - 1n) * (p2 - 1n)) };
  const cases: [string, PowerPair][] = [
    ['two signatures of one key', { a: rawSignature('one'), b: rawSignature('two') }],
    ['signatures of two keys sharing the prime p', { a: rawSignature('one'), b: rawSignature('three', otherKey.n, otherKey.d) }],
    // s^e - EM negative or zero: the gcd is still the non-negative one.
    ['small numbers', pairOf(num(12), num(0), num(18), num(0))],
    ['s^e below EM', pairOf(num(1), num(5), num(2), num(0x01, 0x02))],
    ['both zero', pairOf(num(), num(), num(), num())],
    ['one zero', pairOf(num(), num(), num(7), num(3))],
    ['a Uint8Array view with an offset', pairOf(bytes('s1', 9).subarray(3), bytes('m1', 9).subarray(1, 5), bytes('s2', 5), bytes('m2', 5))],
    ...Array.from({ length: 4 }, (_, i): [string, PowerPair] => [`random ${i}`, pairOf(bytes(`s1 ${i}`, 2 + i), bytes(`m1 ${i}`, 4), bytes(`s2 ${i}`, 4), bytes(`m2 ${i}`, 1 + i))]),
  ];
  const results = new Map<string, bigint>();
  for (const [name, pair] of cases) {
    const phases: [string, string][] = [];
    const viaNative = await gcdOfPair(pair, (phase, _ms, backend) => phases.push([phase, backend.name]), native!);
    const viaWasm = await gcdOfPair(pair, (phase, _ms, backend) => phases.push([phase, backend.name]), wasm);
    assert.equal(viaNative, viaWasm, name);
    assert.deepEqual(phases, [['power', 'native'], ['gcd', 'native'], ['power', 'wasm'], ['gcd', 'wasm']], name);
    results.set(name, viaNative);
  }
  assert.equal(results.get('two signatures of one key')! % N, 0n, 'n divides the gcd of two signatures of its key');
  assert.equal(results.get('signatures of two keys sharing the prime p')! % P, 0n);
  assert.notEqual(results.get('signatures of two keys sharing the prime p')! % N, 0n);
  assert.equal(results.get('small numbers'), 6n ** 65537n, 'gcd(12^e, 18^e) = 6^e');
  assert.equal(results.get('both zero'), 0n);
  assert.equal(results.get('one zero'), 7n ** 65537n - 3n);

});

test('TROVE_GMP picks the backend: native, wasm, or unset for native when the addon loads', async () => {
  assert.equal((await gmpBackend('wasm')).name, 'wasm');
  assert.equal((await gmpBackend('auto')).name, native ? 'native' : 'wasm');
  await assert.rejects(gmpBackend('fast'), { code: 'bad-gmp-backend', message: /TROVE_GMP is "fast": set it to native, wasm, or leave it unset/ });
  if (!native) await assert.rejects(gmpBackend('native'), { code: 'gmp-native-unavailable', message: /libgmp-dev/ });
  const saved = process.env[GMP_BACKEND_ENV];
  try {
    process.env[GMP_BACKEND_ENV] = 'wasm';
    assert.equal((await gmpBackend()).name, 'wasm');
    delete process.env[GMP_BACKEND_ENV];
    assert.equal((await gmpBackend()).name, native ? 'native' : 'wasm');
  } finally {
    if (saved === undefined) delete process.env[GMP_BACKEND_ENV];
    else process.env[GMP_BACKEND_ENV] = saved;
  }
});

test('a signature longer than an 8192-bit key is refused before any work', async () => {
  const long = Buffer.alloc(MAX_SIGNATURE_BYTES + 1, 1);
  await assert.rejects(gcdOfPair(pairOf(long, num(1), num(2), num(3)), () => assert.fail('no phase starts')), RangeError);
});

test('the native addon rejects bad arguments with exceptions', { skip: skipNative }, () => {
  const addon = createRequire(import.meta.url)('@trove/gmp-gcd') as { start: (...a: unknown[]) => object; poll: (job: unknown) => unknown };
  const ok = num(5);
  assert.throws(() => addon.start('5', ok, ok, ok, 65537), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 's1 must be a Buffer or Uint8Array' });
  assert.throws(() => addon.start(ok, ok, ok, new Uint16Array(2), 65537), { name: 'TypeError', message: 'em2 must be a Buffer or Uint8Array' });
  assert.throws(() => addon.start(ok, Buffer.alloc(1025), ok, ok, 65537), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: /em1 is 1025 bytes; at most 1024/ });
  for (const e of [2, 3.5, 65539, '65537', -1, Number.NaN]) assert.throws(() => addon.start(ok, ok, ok, ok, e), { name: 'RangeError', message: /e must be a whole number/ }, String(e));
  assert.throws(() => addon.start(ok, ok, ok, ok), { name: 'TypeError', code: 'ERR_MISSING_ARGS' });
  for (const job of [{}, 1, null, undefined]) assert.throws(() => addon.poll(job), { name: 'TypeError', message: 'poll takes a job returned by start()' }, String(job));
});

test('a worker waiting on a native gcd is terminated at once, and the abandoned gcd does not crash the process', { skip: skipNative, timeout: 60_000 }, async () => {
  // In a process of its own whose only user of the addon is the worker: Node unloads the addon when
  // that worker stops, while the abandoned thread is still inside GMP (it must stay loaded).
  const worker = `
    const { parentPort } = require('node:worker_threads');
    const addon = require('node:module').createRequire(${JSON.stringify(import.meta.url)})('@trove/gmp-gcd');
    const random = (seed) => require('node:crypto').createHash('sha512').update(seed).digest();
    // Two 33-million-bit numbers: seconds of native work that terminate() must not wait for.
    const job = addon.start(random('a'), random('b'), random('c'), random('d'), 65537);
    const timer = setInterval(() => { if (addon.poll(job) === 'gcd') { clearInterval(timer); parentPort.postMessage('gcd'); } }, 5);`;
  const main = `
    const { Worker } = require('node:worker_threads');
    const worker = new Worker(${JSON.stringify(worker)}, { eval: true });
    worker.once('message', async () => {
      const started = performance.now();
      await worker.terminate();
      console.log(Math.round(performance.now() - started));
      setTimeout(() => console.log('alive'), 1_000);
    });`;
  const child = spawnSync(process.execPath, ['-e', main], { encoding: 'utf8', timeout: 50_000 });
  assert.equal(child.status, 0, `${child.signal ?? ''} ${child.stderr}`);
  const [ms, alive] = child.stdout.trim().split('\n');
  assert.ok(Number(ms) < 2_000, `terminated in ${ms} ms`);
  assert.equal(alive, 'alive');
});
