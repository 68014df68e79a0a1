import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseKeyFile } from '../../src/keys/import-formats.ts';
import { keyId, prepareImport } from '../../src/keys/import-keys.ts';
import { parseKeyRecord } from '../../src/keys/key-record.ts';

const P1 = 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB';

test('zone files: split strings joined, parentheses, comments, other records ignored', () => {
  const zone = `$ORIGIN example.fr.
@ IN SOA ns1 hostmaster 1 2 3 4 5
; the 2017 key
mars2017._domainkey.campagne-exemple.fr. 3600 IN TXT "v=DKIM1; k=rsa; p=${P1.slice(0, 100)}" "${P1.slice(100)}"
old._domainkey.campagne-exemple.fr. IN TXT ( "v=DKIM1; k=rsa; "   ; comment inside
   "p=${P1}" )
www IN A 192.0.2.1
bad.domainkey.campagne-exemple.fr. IN TXT "v=DKIM1; p=${P1}"
`;
  const r = parseKeyFile(zone);
  assert.equal(r.format, 'zone');
  assert.deepEqual(r.keys.map((k) => `${k.selector}/${k.domain}`), ['mars2017/campagne-exemple.fr', 'old/campagne-exemple.fr']);
  assert.equal(r.keys[0]!.record, `v=DKIM1; k=rsa; p=${P1}`);
  assert.equal(r.keys[1]!.record, `v=DKIM1; k=rsa; p=${P1}`);
  assert.equal(r.rejected.length, 1);
  assert.match(r.rejected[0]!.reason, /not a selector\._domainkey\.domain name/);
});

test('dig output: the answer section, dated by its WHEN line', () => {
  const dig = `; <<>> DiG 9.18.28 <<>> txt 20161025._domainkey.gmail.com
;; global options: +cmd
;; ANSWER SECTION:
20161025._domainkey.gmail.com. 300 IN	TXT	"k=rsa; p=${P1.slice(0, 200)}" "${P1.slice(200)}"

;; Query time: 20 msec
;; WHEN: Thu Mar 02 14:03:11 UTC 2017
`;
  const r = parseKeyFile(dig);
  assert.equal(r.format, 'dig');
  assert.equal(r.keys.length, 1);
  assert.equal(r.keys[0]!.firstSeen, '2017-03-02T14:03:11.000Z');
  assert.equal(prepareImport(dig, 'gmail.dig', new Date()).keys[0]!.sourceKind, 'dns');
});

test('JSON keys: several keys per selector over time, with dates', () => {
  const json = JSON.stringify({ keys: [
    { domain: 'Mail.Example.', selector: 's1', p: P1, firstSeen: '2015-01-01', lastSeen: '2016-06-30' },
    { domain: 'mail.example', selector: 's1', record: 'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=' },
    { selector: 'nodomain', p: P1 },
  ] });
  const r = parseKeyFile(json);
  assert.equal(r.keys.length, 2);
  assert.equal(r.keys[0]!.domain, 'mail.example');
  assert.equal(r.keys[0]!.firstSeen, '2015-01-01T00:00:00.000Z');
  assert.deepEqual(r.rejected, [{ where: 'entry 3', reason: 'needs "domain" and "selector" strings' }]);
});

test('invalid records are refused with the reason; revoked keys are kept and marked', () => {
  const r = prepareImport(`a._domainkey.x.example. IN TXT "v=DKIM1; k=dsa; p=${P1}"\nb._domainkey.x.example. IN TXT "v=DKIM1; p="\nc._domainkey.x.example. IN TXT "v=DKIM1; p=!!!"`, 'k.zone', new Date());
  assert.deepEqual(r.keys.map((k) => k.selector), ['b']);
  assert.deepEqual(r.rejected.map((x) => x.reason), ['k=dsa is not a known key type', 'p= is not valid base64']);
  const revoked = parseKeyRecord('v=DKIM1; p=');
  assert.ok(revoked.ok && revoked.record.revoked);
});

test('a key has the same id whatever file or formatting it came from', () => {
  assert.equal(keyId('x.example', 's', `v=DKIM1; k=rsa; p=${P1}`), keyId('x.example', 's', `k=rsa;p=${P1.slice(0, 10)} ${P1.slice(10)}`));
  assert.notEqual(keyId('x.example', 's', `p=${P1}`), keyId('x.example', 't', `p=${P1}`));
});

test('key records: sizes, Ed25519 raw keys, fingerprints, flags', () => {
  const rsa = parseKeyRecord(`v=DKIM1; k=rsa; t=y:s; h=sha256; p=${P1}`);
  assert.ok(rsa.ok);
  assert.equal(rsa.record.bits, 1024);
  assert.equal(rsa.record.testing, true);
  assert.equal(rsa.record.strictIdentity, true);
  assert.deepEqual(rsa.record.hashes, ['sha256']);
  assert.match(rsa.record.fingerprint!, /^[0-9a-f]{64}$/);
  const ed = parseKeyRecord('v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=');
  assert.ok(ed.ok && ed.record.keyType === 'ed25519' && ed.record.bits === 256);
  assert.deepEqual(parseKeyRecord('v=DKIM2; p=x'), { ok: false, reason: 'v=DKIM2 is not DKIM1' });
  assert.equal(parseKeyRecord(`v=DKIM1; s=web; p=${P1}`).ok, false);
});
