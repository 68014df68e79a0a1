import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeEmail, parseEmail } from '../../src/extract/email.ts';

const crlf = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'latin1');

test('subjects in windows-1252, iso-8859-15, koi8-r and UTF-8 are decoded (RFC 2047)', async () => {
  const cases: [string, string][] = [
    ['=?windows-1252?Q?Re=3A_devis_=80_r=E9vis=E9?=', 'Re: devis € révisé'],
    ['=?iso-8859-15?Q?Co=FBt_=A4_100?=', 'Coût € 100'],
    ['=?koi8-r?B?8NLJ18XU?=', 'Привет'],
    ['=?UTF-8?B?w4lseXPDqWU=?= =?UTF-8?Q?_et_Matignon?=', 'Élysée et Matignon'],
  ];
  for (const [raw, decoded] of cases) {
    const e = await parseEmail(crlf(`From: a@example.com\nSubject: ${raw}\nDate: Thu, 2 Mar 2017 14:03:11 +0100\n\nbody\n`));
    assert.equal(e.subject, decoded, raw);
    assert.equal(e.subjectRaw, raw);
  }
});

test('addresses are normalised: decoded names, lower-case addresses, groups flattened', async () => {
  const e = await parseEmail(crlf(
    'From: =?ISO-8859-1?Q?Fran=E7ois_L=E9ger?= <Francois.Leger@Campagne-Exemple.FR>\n' +
    'To: "Bob" <BOB@example.org>, carol@example.org\n' +
    'Cc: Équipe: dan@example.org, eve@example.org;\n' +
    'Bcc: hidden@example.org\nReply-To: replies@example.org\n' +
    'Subject: x\nDate: Thu, 2 Mar 2017 14:03:11 +0100\nMessage-ID: <abc@x>\n\nhi\n'));
  assert.deepEqual(e.from, [{ name: 'François Léger', address: 'francois.leger@campagne-exemple.fr' }]);
  assert.deepEqual(e.to.map((a) => a.address), ['bob@example.org', 'carol@example.org']);
  assert.deepEqual(e.cc.map((a) => a.address), ['dan@example.org', 'eve@example.org']);
  assert.deepEqual(e.bcc.map((a) => a.address), ['hidden@example.org']);
  assert.deepEqual(e.replyTo.map((a) => a.address), ['replies@example.org']);
  assert.equal(e.messageId, '<abc@x>');
});

test('raw headers are kept byte for byte, including 8-bit bytes', async () => {
  const bytes = Buffer.concat([crlf('From: a@example.com\nSubject: caf'), Buffer.from([0xe9]), crlf('\nDate: x\n\nbody\n')]);
  const e = await parseEmail(bytes);
  assert.equal(Buffer.from(e.rawHeaders, 'latin1').equals(bytes.subarray(0, bytes.indexOf('\r\n\r\n'))), true);
  assert.equal(e.dateRaw, 'x');
  assert.equal(e.date, null);
  assert.match(e.dateError!, /not an RFC 5322 date/);
});

test('attachments, inline parts and nested messages become parts with their bytes', async () => {
  const pdf = Buffer.from('%PDF-1.4\n%fake\n');
  const msg = crlf(
    'From: a@example.com\nTo: b@example.com\nSubject: pieces jointes\nDate: Thu, 2 Mar 2017 14:03:11 +0100\n' +
    'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n' +
    '--b1\nContent-Type: multipart/alternative; boundary="b2"\n\n' +
    '--b2\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nVoici le devis r=C3=A9vis=C3=A9.\n' +
    '--b2\nContent-Type: text/html; charset=utf-8\n\n<p>Voici le devis</p>\n--b2--\n' +
    `--b1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''devis%20r%C3%A9vis%C3%A9.pdf\nContent-Transfer-Encoding: base64\n\n${pdf.toString('base64')}\n` +
    '--b1\nContent-Type: message/rfc822\n\nFrom: c@example.com\nSubject: transfert\nDate: Wed, 1 Mar 2017 09:00:00 +0100\n\ninner body\n' +
    '--b1\nContent-Type: application/octet-stream\n\nno name here\n--b1--\n');
  const e = await parseEmail(msg);
  assert.equal(e.text?.trim(), 'Voici le devis révisé.');
  assert.match(e.html ?? '', /<p>Voici le devis<\/p>/);
  assert.equal(e.parts.length, 3);
  const [att, nested, nameless] = e.parts;
  assert.equal(att!.filename, 'devis révisé.pdf');
  assert.deepEqual(Buffer.from(att!.bytes), pdf);
  assert.equal(nested!.mimeType, 'message/rfc822');
  assert.match(Buffer.from(nested!.bytes).toString('latin1'), /^From: c@example.com/);
  assert.equal(nameless!.named, false);
  assert.equal(nameless!.filename, 'part-3');
  assert.equal(e.attachmentCount, 3);
});

test('two parts with the same file name stay two distinct names', async () => {
  const part = (body: string): string => `--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename="notes.txt"\n\n${body}\n`;
  const e = await parseEmail(crlf(`From: a@x\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n${part('one')}${part('two')}--b--\n`));
  assert.deepEqual(e.parts.map((p) => p.filename), ['notes.txt', 'notes.txt (2)']);
});

test('looksLikeEmail accepts header blocks and rejects prose and binaries', () => {
  assert.equal(looksLikeEmail(crlf('Return-Path: <a@x>\nReceived: from x\nFrom: a@x\n\nhi')), true);
  assert.equal(looksLikeEmail(Buffer.from('Dear Sir: thank you for your letter.\nRegards')), false);
  assert.equal(looksLikeEmail(Buffer.from([0x50, 0x4b, 3, 4, 0, 0])), false);
  assert.equal(looksLikeEmail(Buffer.alloc(0)), false);
});
