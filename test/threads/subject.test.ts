import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseSubject, isGenericSubject } from '../../src/threads/subject.ts';

test('English reply and forward prefixes are removed, repeated or not (RFC 5256 §2.1)', () => {
  for (const raw of ['Re: Budget', 'RE: Budget', 're:Budget', 'Fwd: Budget', 'FW: Budget', 'Fw: Re: Fwd: RE: Budget', 'Re: Re: Re:   Budget']) {
    assert.deepEqual(baseSubject(raw), { base: 'Budget', key: 'budget', isReplyOrForward: true }, raw);
  }
});

test('French Outlook prefixes, with the space before the colon', () => {
  for (const raw of ['RE : Budget', 'TR : Budget', 'TR: RE : Budget', 'Réf. : Budget', 'RÉF : Budget', 'Ref: Budget']) {
    assert.equal(baseSubject(raw).base, 'Budget', raw);
    assert.equal(baseSubject(raw).isReplyOrForward, true, raw);
  }
});

test('German and other mailers: AW:, WG:, SV:, counters such as Re[2]:', () => {
  for (const raw of ['AW: Budget', 'WG: AW: Budget', 'SV: Budget', 'Re[2]: Budget', 'Re(3): Budget', 'Re^2: Budget', '回复：Budget']) {
    assert.equal(baseSubject(raw).base, 'Budget', raw);
  }
});

test('list tags go, before or after a prefix, but a subject that is only a tag stays', () => {
  assert.equal(baseSubject('[equipe-campagne] Re: Budget').base, 'Budget');
  assert.equal(baseSubject('Re: [equipe-campagne] Budget').base, 'Budget');
  assert.equal(baseSubject('[equipe-campagne] Budget').base, 'Budget');
  assert.equal(baseSubject('[equipe-campagne] Budget').isReplyOrForward, false);
  assert.equal(baseSubject('[urgent]').base, '[urgent]');
});

test('forward trailers and wrappers (RFC 5256 §2.1 steps 2 and 6)', () => {
  assert.deepEqual(baseSubject('Budget (fwd)'), { base: 'Budget', key: 'budget', isReplyOrForward: true });
  assert.equal(baseSubject('[Fwd: Re: Budget]').base, 'Budget');
});

test('whitespace and case: collapsed for display, folded for the key', () => {
  const s = baseSubject('  RE :\t Réunion   du\u00a0LUNDI ');
  assert.equal(s.base, 'Réunion du LUNDI');
  assert.equal(s.key, 'réunion du lundi');
  // NFC and NFD spellings of "é" give the same key.
  assert.equal(baseSubject('Re: R\u0065\u0301union').key, baseSubject('Réunion').key);
});

test('words that merely start like a prefix are kept', () => {
  for (const raw of ['Rebel: news', 'Trésorerie: état', 'Antwerp: trip', 'Ref 42 is late', 'Re-org plan']) {
    assert.deepEqual(baseSubject(raw), { base: raw, key: raw.toLowerCase(), isReplyOrForward: false }, raw);
  }
});

test('null, empty and prefix-only subjects give an empty base', () => {
  assert.equal(baseSubject(null).base, '');
  assert.equal(baseSubject('   ').base, '');
  assert.equal(baseSubject('Re:').base, '');
  assert.equal(baseSubject('RE : TR :').base, '');
});

test('generic subjects are recognised; real ones are not', () => {
  for (const raw of [null, '', 'Re:', '(no subject)', 'Sans objet', 'RE : Bonjour', 'TR: PJ', '???', '--']) {
    assert.equal(isGenericSubject(baseSubject(raw).key), true, String(raw));
  }
  for (const raw of ['Budget 2017', 'RE : Meeting with Acme', 'Q3']) {
    assert.equal(isGenericSubject(baseSubject(raw).key), false, raw);
  }
});
