import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareShownWithSigned } from '../../src/dkim/shown-vs-signed.ts';
import { verifyMessage } from '../../src/dkim/verify-message.ts';
import { buildKeyLookup } from '../../src/keys/key-lookup.ts';
import { prepareKeys } from '../../src/keys/import-keys.ts';
import { deriveDkimKey, dkimRecord } from '../support/generator/dkim-keys.ts';
import { signEmail } from '../support/generator/dkim-sign.ts';

const KEY = deriveDkimKey(11, 'campagne-exemple.fr', 'qp', 'rsa-sha256', 1024);
const keys = buildKeyLookup(prepareKeys([{ domain: KEY.domain, selector: KEY.selector, record: dkimRecord(KEY), firstSeen: null, lastSeen: null }], { kind: 'file', name: 'test' }, new Date()));

function signed(body: string): string {
  const m = Buffer.from('From: a@campagne-exemple.fr\r\nTo: b@acme-conseil.fr\r\nSubject: Virement\r\nDate: Thu, 2 Mar 2017 14:03:11 +0100\r\n' +
    `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}`, 'latin1');
  return signEmail(m, KEY, { canonicalization: 'relaxed/relaxed', timestamp: 1488459791 }).toString('latin1');
}

async function check(message: string): Promise<{ verdict: string; shown: string[] }> {
  const bytes = Buffer.from(message, 'latin1');
  const v = verifyMessage(bytes, { keys, asOf: new Date('2026-01-01') });
  return { verdict: v.verdict, shown: await compareShownWithSigned(bytes, v) };
}

test('a space after a quoted-printable soft line break passes relaxed DKIM but changes what is shown', async () => {
  const original = signed('Montant du virement : 1000=\r\n0 euros.\r\n');
  assert.deepEqual(await check(original), { verdict: 'authentic', shown: [] });
  const tampered = original.replace('1000=\r\n', '1000= \r\n');
  const r = await check(tampered);
  assert.equal(r.verdict, 'authentic', 'the signature still verifies: relaxed canonicalization ignores the space');
  assert.equal(r.shown.length, 1);
  assert.match(r.shown[0]!, /The text a mail program shows differs from the text that was signed .*1000=.*10000 euros/);
});

test('whitespace changes that do not change the decoded text are not reported', async () => {
  const original = signed('Bonjour  Bob,\r\nLe budget   est prêt.\r\n');
  assert.deepEqual(await check(original.replace('Le budget   est', 'Le budget est \t')), { verdict: 'authentic', shown: [] });
});
