/**
 * The engine on messages signed by our generator's signer (an independent implementation in
 * test/support/generator/dkim-sign.ts): passes, each kind of alteration, missing keys, l=, x=, extra
 * headers, and repairs in both directions.
 */
import assert from 'node:assert/strict';
import { createHash, createSign } from 'node:crypto';
import { test } from 'node:test';
import { verifyMessage } from '../../src/dkim/verify-message.ts';
import type { KeyCandidate, KeyLookup } from '../../src/dkim/verify.ts';
import { parseKeyRecord } from '../../src/keys/key-record.ts';
import { deriveDkimKey, dkimRecord, type GeneratedKey } from '../support/generator/dkim-keys.ts';
import { canonicalizeBody as canonicalizeBodyRef, parseHeaderFields, relaxedHeader, signEmail, splitMessage, type DkimSignOptions } from '../support/generator/dkim-sign.ts';

const RSA = deriveDkimKey(7, 'campagne-exemple.fr', 'mars2017', 'rsa-sha256', 2048);
const ED = deriveDkimKey(7, 'acme-conseil.fr', 'ed1', 'ed25519-sha256');
const WEAK = deriveDkimKey(7, 'old-mailer.example', 'legacy', 'rsa-sha256', 512);
const AS_OF = new Date('2026-11-26T00:00:00Z');

function lookup(...keys: GeneratedKey[]): KeyLookup {
  return (domain, selector) =>
    keys.filter((k) => k.domain === domain && k.selector === selector).map((k): KeyCandidate => {
      const parsed = parseKeyRecord(dkimRecord(k));
      assert.ok(parsed.ok);
      return { id: `${k.selector}.${k.domain}`, record: parsed.record, source: 'imported from test keys', sourceKind: 'file' };
    });
}

function message(from = 'François <francois@campagne-exemple.fr>', body = 'Bonjour,\r\n\r\nVoici le budget révisé.\r\nFrom now on, use this one.\r\n'): Buffer {
  return Buffer.from(
    `From: ${from}\r\nTo: bob@acme-conseil.fr\r\nCc: carol@acme-conseil.fr\r\nSubject: Budget\r\nDate: Thu, 2 Mar 2017 14:03:11 +0100\r\n` +
      `Message-ID: <b1@campagne-exemple.fr>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`,
    'utf8',
  );
}

const sign = (m: Buffer, key: GeneratedKey = RSA, o: DkimSignOptions = {}): Buffer => signEmail(m, key, { timestamp: 1488459791, ...o });
/** Strings are latin1: one char per byte, as the engine reads messages. */
const verify = (m: Buffer | string, ...keys: GeneratedKey[]) => verifyMessage(typeof m === 'string' ? Buffer.from(m, 'latin1') : m, { keys: lookup(...(keys.length ? keys : [RSA, ED, WEAK])), asOf: AS_OF });

test('valid signatures pass for every algorithm and canonicalization', () => {
  for (const c of ['relaxed/relaxed', 'simple/simple', 'relaxed/simple', 'simple/relaxed'] as const) {
    const r = verify(sign(message(), RSA, { canonicalization: c }));
    assert.equal(r.verdict, 'authentic', c);
    assert.equal(r.signatures[0]!.bodyHash, 'pass');
    assert.equal(r.signatures[0]!.signature, 'pass');
  }
  const ed = verify(sign(message('a@acme-conseil.fr'), ED));
  assert.equal(ed.verdict, 'authentic');
  assert.equal(ed.signatures[0]!.key?.type, 'ed25519');
  assert.match(verify(sign(message())).summary, /^Signed by campagne-exemple\.fr with key mars2017 \(2048-bit RSA, imported from test keys\)\. Headers and body match the signature: this message is unchanged since campagne-exemple\.fr sent it on 2 Mar 2017\./);
});

test('header signature and body hash are judged separately', () => {
  const signed = sign(message()).toString('latin1');
  const body = verify(signed.replace('Voici le budget', 'Voici le gros budget'));
  assert.equal(body.verdict, 'body-modified');
  assert.deepEqual([body.signatures[0]!.signature, body.signatures[0]!.bodyHash], ['pass', 'fail']);
  const header = verify(signed.replace('Subject: Budget', 'Subject: Budget secret'));
  assert.equal(header.verdict, 'headers-modified');
  assert.deepEqual([header.signatures[0]!.signature, header.signatures[0]!.bodyHash], ['fail', 'pass']);
});

test('a missing key is key-unavailable, never a forgery', () => {
  const r = verify(sign(message()), ED);
  assert.equal(r.verdict, 'key-unavailable');
  assert.equal(r.signatures[0]!.bodyHash, 'pass', 'the body hash is still reported');
  assert.match(r.summary, /cannot be checked yet/);
});

test('a revoked key is reported as such', () => {
  const r = verifyMessage(sign(message()), {
    keys: () => [{ id: 'r', record: (parseKeyRecord('v=DKIM1; k=rsa; p=') as { ok: true; record: never }).record, source: 'test', sourceKind: 'file' }],
    asOf: AS_OF,
  });
  assert.equal(r.signatures[0]!.status, 'key-revoked');
  assert.equal(r.verdict, 'key-unavailable');
});

test('a third-party signer and a weak key get their own verdicts', () => {
  assert.equal(verify(sign(message('someone@elsewhere.example'))).verdict, 'authentic-third-party');
  const weak = verify(sign(message('x@old-mailer.example'), WEAK));
  assert.equal(weak.verdict, 'weak-key');
  assert.equal(weak.signatures[0]!.weakKey, true);
  assert.equal(weak.signatures[0]!.key?.bits, 512);
});

test('an extra From: added above the signed one does not pass unnoticed', () => {
  const signed = sign(message()).toString('latin1');
  const r = verify(`From: Président <president@elysee.example>\r\n${signed}`);
  assert.equal(r.verdict, 'headers-modified');
  assert.deepEqual(r.signatures[0]!.extraInstances, ['from']);
  assert.equal(r.signatures[0]!.signature, 'pass', 'the signature itself still verifies: the evidence says why it is not authentic');
  assert.match(r.summary, /an extra from: header/);
});

test('unsigned headers and l= coverage are in the evidence', () => {
  const r = verify(sign(message(), RSA, { headers: ['from', 'subject', 'date', 'message-id'] }));
  assert.equal(r.verdict, 'authentic');
  assert.deepEqual(r.signatures[0]!.unsignedHeaders, ['to', 'cc', 'content-type', 'mime-version']);
});

test('x= expiry is reported, never fatal', () => {
  const r = verify(sign(message(), RSA, { expiration: 1488459791 + 86400 }));
  assert.equal(r.verdict, 'authentic');
  assert.equal(r.signatures[0]!.expired, true);
});

test('repairs undo transport damage and name it', () => {
  const signed = sign(message());
  const lf = verify(signed.toString('latin1').replace(/\r\n/g, '\n'));
  assert.equal(lf.verdict, 'authentic');
  assert.deepEqual(lf.signatures[0]!.repairs, ['crlf-line-endings']);
  const quoted = verify(signed.toString('latin1').replace('\r\nFrom now on', '\r\n>From now on'));
  assert.deepEqual([quoted.verdict, quoted.signatures[0]!.repairs], ['authentic', ['mbox-from-unquote']]);
  const prepended = verify(`From francois@campagne-exemple.fr Thu Mar  2 14:03:11 2017\r\n${signed.toString('latin1')}`);
  // A prepended mbox separator is not a header field, so it never enters the hash: no repair needed.
  assert.deepEqual([prepended.verdict, prepended.signatures[0]!.repairs], ['authentic', []]);
  const both = verify(`From x Thu Mar  2 14:03:11 2017\n${signed.toString('latin1').replace(/\r\n/g, '\n').replace('\nFrom now on', '\n>From now on')}`);
  assert.deepEqual([both.verdict, both.signatures[0]!.repairs], ['authentic', ['crlf-line-endings', 'mbox-from-unquote']]);
  const refolded = verify(signed.toString('latin1').replace(/\r\n\t/g, '\r\n    '));
  assert.equal(refolded.verdict, 'authentic', 'relaxed header canonicalization ignores folding whitespace');
  const simpleSigned = sign(message(), RSA, { canonicalization: 'simple/simple' }).toString('latin1');
  const simpleRefolded = verify(simpleSigned.replace(/\r\n\t/g, '\r\n '));
  assert.deepEqual([simpleRefolded.verdict, simpleRefolded.signatures[0]!.repairs], ['authentic', ['header-fold-tab']]);
  const padded = verify(`${signed.toString('latin1')}\r\n\r\n   \r\n`);
  assert.equal(padded.verdict, 'authentic');
  assert.match(lf.summary, /after undoing transport damage: line endings converted to bare LF/);
});

test('a repair never turns a real edit into a pass', () => {
  const signed = sign(message()).toString('latin1');
  const edited = signed.replace('budget', 'bidget').replace(/\r\n/g, '\n');
  const r = verify(edited);
  assert.equal(r.verdict, 'body-modified');
  assert.deepEqual(r.signatures[0]!.repairs, []);
  const header = verify(`From x Thu Mar  2 14:03:11 2017\n${signed.replace('Subject: Budget', 'Subject: Budgets')}`);
  assert.equal(header.verdict, 'headers-modified');
});

test('undoing transport damage can show that only the body was altered', () => {
  // simple/simple and bare LFs: the header signature fails until CRLF is restored; then the edited
  // body still fails. Found on a generated trove: the verdict is body-modified, with the repair named.
  const signed = sign(message(), RSA, { canonicalization: 'simple/simple' }).toString('latin1');
  const r = verify(signed.replace('Voici le budget', 'Voici le gros budget').replace(/\r\n/g, '\n'));
  assert.equal(r.verdict, 'body-modified');
  assert.deepEqual(r.signatures[0]!.repairs, ['crlf-line-endings']);
  assert.deepEqual([r.signatures[0]!.signature, r.signatures[0]!.bodyHash], ['pass', 'fail']);
});

test('every signature is evaluated and the strongest decides', () => {
  const both = sign(sign(message('a@acme-conseil.fr'), RSA), ED);
  const r = verify(both);
  assert.equal(r.signatures.length, 2);
  assert.equal(r.verdict, 'authentic');
  assert.deepEqual(r.signatures.map((s) => s.domain).sort(), ['acme-conseil.fr', 'campagne-exemple.fr']);
  const onlyEsp = verify(both, RSA);
  assert.equal(onlyEsp.verdict, 'authentic-third-party');
});

test("Gmail's X-Google-DKIM-Signature is evaluated like any other", () => {
  // Signed under its own field name, as Gmail does, with the generator's independent canonicalization.
  const m = message();
  const { header, body } = splitMessage(m);
  const bh = createHash('sha256').update(canonicalizeBodyRef(body, 'relaxed')).digest('base64');
  const field = `X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=campagne-exemple.fr; s=mars2017; h=from:subject; bh=${bh}; b=`;
  const fields = parseHeaderFields(header);
  const data = ['from', 'subject'].map((n) => relaxedHeader(fields.find((f) => f.name === n)!.raw)).join('') + relaxedHeader(`${field}\r\n`).slice(0, -2);
  const b = createSign('sha256').update(data, 'latin1').sign(RSA.privateKey, 'base64');
  const r = verify(Buffer.concat([Buffer.from(`${field}${b}\r\n`, 'latin1'), m]));
  assert.equal(r.signatures.length, 1);
  assert.equal(r.signatures[0]!.field, 'x-google-dkim-signature');
  assert.equal(r.verdict, 'authentic');
});

test('malformed signatures get a precise reason', () => {
  const signed = sign(message()).toString('latin1');
  const cases: [RegExp, string, RegExp][] = [
    [/a=rsa-sha256/, 'a=rsa-md5', /a=rsa-md5 is not a known signing algorithm/],
    [/s=mars2017; /, '', /required tag s= is missing/],
    [/v=1/, 'v=2', /v=2 is not a supported version/],
    [/h=from:/, 'h=', /h=.*does not include From/],
  ];
  for (const [find, replace, reason] of cases) {
    const r = verify(signed.replace(find, replace));
    assert.equal(r.verdict, 'malformed', String(find));
    assert.match(r.signatures[0]!.reason, reason);
  }
  assert.equal(verify(message()).verdict, 'unsigned');
});
