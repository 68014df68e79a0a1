/**
 * Examples typed from the RFCs. RFC 8463 Appendix A.3 signs RFC 6376's example message twice (Ed25519
 * and RSA) with the keys of A.2; RFC 6376 §3.4.5 gives canonicalization examples. (RFC 6376
 * Appendix A.2's own signature does not verify as printed, a known problem of the document, so
 * its message is exercised through RFC 8463's signatures instead.)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalizeBody, canonicalizeHeader } from '../../src/dkim/canonicalize.ts';
import { verifyMessage } from '../../src/dkim/verify-message.ts';
import { buildKeyLookup } from '../../src/keys/key-lookup.ts';
import { prepareImport } from '../../src/keys/import-keys.ts';

const RFC8463_ZONE = `; RFC 8463 Appendix A.2
brisbane._domainkey.football.example.com. IN TXT (
 "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")

test._domainkey.football.example.com. IN TXT (
 "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
 "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC"
 "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3"
 "Ip3G+2kryOTIKT+l/K4w3QIDAQAB")
`;

const RFC8463_MESSAGE = `DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;
 d=football.example.com; i=@football.example.com;
 q=dns/txt; s=brisbane; t=1528637909; h=from : to :
 subject : date : message-id : from : subject : date;
 bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
 b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus
 Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
 d=football.example.com; i=@football.example.com;
 q=dns/txt; s=test; t=1528637909; h=from : to : subject :
 date : message-id : from : subject : date;
 bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
 b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3
 DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz
 dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=
From: Joe SixPack <joe@football.example.com>
To: Suzie Q <suzie@shopping.example.net>
Subject: Is dinner ready?
Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)
Message-ID: <20030712040037.46341.5F8J@football.example.com>

Hi.

We lost the game.  Are you hungry yet?

Joe.
`.replace(/\n/g, '\r\n');

const keys = buildKeyLookup(prepareImport(RFC8463_ZONE, 'rfc8463.zone', new Date('2026-01-01')).keys);
const asOf = new Date('2026-11-26T00:00:00Z');

test('RFC 8463 A.3: both the Ed25519 and the RSA signature verify with the A.2 keys', () => {
  const r = verifyMessage(Buffer.from(RFC8463_MESSAGE, 'latin1'), { keys, asOf });
  assert.equal(r.signatures.length, 2);
  assert.deepEqual(r.signatures.map((s) => [s.algorithm, s.status, s.bodyHash, s.signature]), [
    ['ed25519-sha256', 'pass', 'pass', 'pass'],
    ['rsa-sha256', 'pass', 'pass', 'pass'],
  ]);
  assert.equal(r.signatures[1]!.key?.bits, 1024);
  assert.equal(r.verdict, 'authentic');
  // h= over-signs from, subject and date: adding one more of them breaks the signature.
  const added = verifyMessage(Buffer.from(RFC8463_MESSAGE.replace('Subject: Is dinner ready?', 'Subject: Is dinner ready?\r\nSubject: Dinner cancelled'), 'latin1'), { keys, asOf });
  assert.deepEqual(added.signatures.map((s) => s.signature), ['fail', 'fail']);
});

test('RFC 8463 A.3: the Ed25519 signature alone detects a one-character change of the body', () => {
  const r = verifyMessage(Buffer.from(RFC8463_MESSAGE.replace('We lost the game', 'We won the game'), 'latin1'), { keys, asOf });
  assert.deepEqual(r.signatures.map((s) => s.status), ['body-modified', 'body-modified']);
});

test('RFC 6376 §3.4.5: the canonicalization examples', () => {
  // Header fields "A: X" and "B : Y<HTAB><CRLF><SP>Z  "
  assert.equal(canonicalizeHeader('A: X', 'relaxed') + canonicalizeHeader('B : Y\t\r\n\tZ  ', 'relaxed'), 'a:X\r\nb:Y Z\r\n');
  assert.equal(canonicalizeHeader('A: X', 'simple') + canonicalizeHeader('B : Y\t\r\n\tZ  ', 'simple'), 'A: X\r\nB : Y\t\r\n\tZ  \r\n');
  const body = ' C \r\nD \t E\r\n\r\n\r\n';
  assert.equal(canonicalizeBody(body, 'relaxed'), ' C\r\nD E\r\n');
  assert.equal(canonicalizeBody(body, 'simple'), ' C \r\nD \t E\r\n');
});

test('RFC 6376 §3.4.3/§3.4.4: empty bodies hash as the RFC says', () => {
  const b64 = (s: string): string => createHash('sha256').update(s, 'latin1').digest('base64');
  // simple: an empty body is one CRLF; relaxed: it stays empty.
  assert.equal(b64(canonicalizeBody('', 'simple')), 'frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=');
  assert.equal(b64(canonicalizeBody('', 'relaxed')), '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  assert.equal(canonicalizeBody('\r\n\r\n', 'relaxed'), '');
});
