/**
 * Key recovery's pieces on messages signed by the generator's signer (an independent implementation):
 * EM is what RSA signing really encodes, the sample's data is what was really signed, a cofactor is
 * stripped by further signatures and trial division, and a whole recovery finds the signer's key even
 * when a forger's signature comes first. Keys are 512 bits here (the smallest that holds an
 * EMSA-PKCS1-v1_5 SHA-256 encoding), so that a recovery takes seconds, not a minute.
 */
import assert from 'node:assert/strict';
import { constants, createHash, createPublicKey, publicDecrypt, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { test } from 'node:test';
import { recoverKey } from '../../src/dkim/recover-key.ts';
import { bigFromBytes, bitLength, narrowBySignature, stripSmallFactors } from '../../src/dkim/recover-modulus.ts';
import { encodePkcs1v15, readSample, type SignatureSample } from '../../src/dkim/recover-samples.ts';
import { deriveDkimKey, type GeneratedKey } from '../support/generator/dkim-keys.ts';
import { signEmail, type DkimSignOptions } from '../support/generator/dkim-sign.ts';

const KEY = deriveDkimKey(11, 'example.org', 'sel1', 'rsa-sha256', 512);
const FORGER = deriveDkimKey(12, 'example.org', 'sel1', 'rsa-sha256', 512);
const ED = deriveDkimKey(11, 'example.org', 'ed1', 'ed25519-sha256');
const AS_OF = new Date('2026-11-26T00:00:00Z');

function message(i: number, lineEnd = '\r\n'): Buffer {
  return Buffer.from(
    [`From: Alice <alice@example.org>`, `To: bob@example.com`, `Subject: Budget ${i}`, `Date: Thu, 2 Mar 2017 14:0${i % 10}:11 +0100`, `Message-ID: <m${i}@example.org>`, '', `Hello ${i}`, ''].join(lineEnd),
    'latin1',
  );
}

const signed = (i: number, key: GeneratedKey = KEY, o: DkimSignOptions = {}): Buffer => signEmail(message(i), key, { timestamp: 1488459791, ...o });

function sample(bytes: Buffer, selector = 'sel1'): SignatureSample {
  const r = readSample(createHash('sha256').update(bytes).digest('hex'), bytes.toString('latin1'), 'example.org', selector);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.sample;
}

function modulusOf(key: GeneratedKey): bigint {
  const jwk = createPublicKey(key.privateKey).export({ format: 'jwk' });
  return bigFromBytes(Buffer.from(jwk.n!, 'base64url'));
}

test('EM is exactly what RSA PKCS#1 v1.5 signing encodes (RFC 8017 §9.2), for SHA-256 and SHA-1', () => {
  const pub = createPublicKey(KEY.privateKey);
  for (const hash of ['sha256', 'sha1'] as const) {
    const data = Buffer.from(`some header data ${hash}`);
    const s = cryptoSign(hash, data, KEY.privateKey);
    // s^e mod n, without unpadding: the encoded message the signer signed.
    const em = publicDecrypt({ key: pub, padding: constants.RSA_NO_PADDING }, s);
    assert.deepEqual(encodePkcs1v15(hash, createHash(hash).update(data).digest(), s.length), em, hash);
  }
  assert.equal(encodePkcs1v15('sha256', Buffer.alloc(32), 61), null, 'too short for SHA-256 with 8 bytes of padding');
});

test('a sample holds the data the signer signed, and whether transport repairs could change it', () => {
  for (const canonicalization of ['relaxed/relaxed', 'simple/simple'] as const) {
    const s = sample(signed(1, KEY, { canonicalization }));
    assert.ok(cryptoVerify('sha256', Buffer.from(s.data, 'latin1'), createPublicKey(KEY.privateKey), s.signature), canonicalization);
    assert.equal(s.stable, true, canonicalization);
    assert.equal(s.signature.length, 64);
  }
  // Bare LF line endings under simple header canonicalization: the engine would try CRLF as a repair,
  // which changes the signed data, so this message is not used to build a recovery on.
  const lf = Buffer.from(signed(2, KEY, { canonicalization: 'simple/simple' }).toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  assert.equal(sample(lf).stable, false);
  const lfRelaxed = Buffer.from(signed(2).toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  assert.equal(sample(lfRelaxed).stable, true, 'relaxed canonicalization ignores line endings in headers');

  const ed = signEmail(message(3), ED);
  const r = readSample('x', ed.toString('latin1'), 'example.org', 'ed1');
  assert.ok(!r.ok && r.kind === 'ed25519');
  const absent = readSample('x', ed.toString('latin1'), 'example.org', 'other');
  assert.ok(!absent.ok && absent.kind === 'absent');
});

test('a cofactor is stripped by a further signature (modulo the gcd) and by trial division', () => {
  const n = modulusOf(KEY);
  const s3 = sample(signed(3));
  // A large prime cofactor (2^127 - 1): only another signature of the same key removes it.
  const withPrime = n * (2n ** 127n - 1n);
  assert.equal(narrowBySignature(withPrime, s3.signature, s3.encoded), n);
  assert.equal(stripSmallFactors(n * 3n * 3n * 65521n), n);
  // A signature by another key shares nothing with n: the gcd collapses.
  const forged = sample(signed(4, FORGER));
  assert.ok(bitLength(narrowBySignature(n, forged.signature, forged.encoded)) < 64);
});

test('recoverKey finds the signer\'s key when a forger\'s signature comes first, and reports the forged message', { timeout: 300_000 }, async () => {
  const messages = new Map<string, Buffer>([
    ['forged', signed(9, FORGER)],
    ['a', signed(1)],
    ['b', signed(2, KEY, { canonicalization: 'simple/simple' })],
    ['c', signed(3)],
  ]);
  const phases = new Set<string>();
  const r = await recoverKey({
    domain: 'example.org',
    selector: 'sel1',
    messages: [...messages.keys()],
    read: (id) => messages.get(id)!,
    asOf: AS_OF,
    onProgress: (p) => phases.add(p.phase),
  });
  assert.ok(r.ok, r.ok ? '' : r.reason);
  assert.equal(r.key.p, KEY.publicKeyDns, 'the recovered p= is the real key\'s SubjectPublicKeyInfo');
  assert.equal(r.key.bits, 512);
  assert.equal(r.key.fingerprint, createHash('sha256').update(Buffer.from(KEY.publicKeyDns, 'base64')).digest('hex'));
  assert.equal(r.gcdAttempts, 2, 'the pair with the forged signature gives nothing; the next pair gives the key');
  assert.deepEqual(r.verified.sort(), ['a', 'b', 'c']);
  assert.deepEqual(r.notVerifying.map((m) => [m.sha256, m.status]), [['forged', 'headers-modified']]);
  assert.ok(r.used.length >= 2 && !r.used.includes('forged'));
  assert.deepEqual([...phases], ['reading', 'power', 'gcd', 'checking']);
});

test('recoverKey refuses without two RSA signatures, and for Ed25519, without computing anything', async () => {
  const one = new Map([['a', signed(1)]]);
  const r1 = await recoverKey({ domain: 'example.org', selector: 'sel1', messages: ['a'], read: (id) => one.get(id)!, asOf: AS_OF });
  assert.ok(!r1.ok && r1.code === 'needs-two-signatures' && /needs at least two/.test(r1.reason));
  const eds = new Map([['a', signEmail(message(1), ED)], ['b', signEmail(message(2), ED)]]);
  const r2 = await recoverKey({ domain: 'example.org', selector: 'ed1', messages: ['a', 'b'], read: (id) => eds.get(id)!, asOf: AS_OF });
  assert.ok(!r2.ok && r2.code === 'ed25519' && r2.gcdAttempts === 0);
});
