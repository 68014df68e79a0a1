import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEmailDate } from '../../src/extract/email-date.ts';

test('RFC 5322 dates keep the sender offset and give the instant in UTC', () => {
  assert.deepEqual(parseEmailDate('Thu, 2 Mar 2017 14:03:11 +0100'), { ok: true, iso: '2017-03-02T13:03:11.000Z', tzOffsetMinutes: 60 });
  assert.deepEqual(parseEmailDate('Fri, 05 May 2017 18:45:00 -0500'), { ok: true, iso: '2017-05-05T23:45:00.000Z', tzOffsetMinutes: -300 });
});

test('obsolete forms seen in real archives are read (RFC 5322 §4.3)', () => {
  assert.equal(parseEmailDate('2 Mar 17 14:03 GMT').ok, true);
  const est = parseEmailDate('Mon, 6 Mar 2017 09:00:00 EST');
  assert.ok(est.ok && est.tzOffsetMinutes === -300 && est.iso === '2017-03-06T14:00:00.000Z');
  const comment = parseEmailDate('Tue, 7 Mar 2017 10:00:00 +0100 (CET)');
  assert.ok(comment.ok && comment.tzOffsetMinutes === 60);
  const two = parseEmailDate('1 Jan 99 00:00:00 +0000');
  assert.ok(two.ok && two.iso.startsWith('1999-'));
});

test('"-0000" means the offset is unknown, not UTC (RFC 5322 §3.3)', () => {
  const r = parseEmailDate('Thu, 2 Mar 2017 14:03:11 -0000');
  assert.ok(r.ok && r.tzOffsetMinutes === null && r.iso === '2017-03-02T14:03:11.000Z');
});

test('unreadable dates give a reason instead of a guess', () => {
  for (const raw of ['le 3 mars, vers midi', '', '31 Feb 2017 10:00:00 +0100', '2 Mar 2017 25:00:00 +0100', '2 Foo 2017 10:00:00 +0100']) {
    const r = parseEmailDate(raw);
    assert.equal(r.ok, false, raw);
    assert.ok(!r.ok && r.reason.length > 0);
  }
});
