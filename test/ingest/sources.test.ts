/**
 * Every source kind, nested the way leaks nest them: directories, eml, maildir, mbox, zip (in zip),
 * attachments, nested messages and winmail.dat, with every place an item was found.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256Of } from '../../src/store/blob-store.ts';
import { email, ingestInto, makeZip, snapshot, tempDir, writeTree } from '../support/case.ts';
import { writeTnef } from '../support/tnef-writer.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const DOCX_LIKE = await makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });

function message(n: number, extra = ''): Buffer {
  return email(`From: Alice <alice@campagne-exemple.fr>\nTo: bob@acme-conseil.fr\nSubject: Message ${n}\n` +
    `Date: Thu, ${n} Mar 2017 10:00:00 +0100\nMessage-ID: <m${n}@campagne-exemple.fr>\n${extra}\nCorps du message ${n}.\n`);
}

function withAttachments(): Buffer {
  const tnef = writeTnef({ attachments: [{ name: 'BUDGET~1.XLS', longName: 'budget prévisionnel.xls', bytes: Buffer.from('legacy excel bytes') }] });
  return email(
    'From: Alice <alice@campagne-exemple.fr>\nTo: bob@acme-conseil.fr\nSubject: Devis\nDate: Fri, 3 Mar 2017 10:00:00 +0100\n' +
    'Message-ID: <att@campagne-exemple.fr>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="zz"\n\n' +
    '--zz\nContent-Type: text/plain; charset=utf-8\n\nCi-joint le devis.\n' +
    `--zz\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="devis.pdf"\nContent-Transfer-Encoding: base64\n\n${PDF.toString('base64')}\n` +
    `--zz\nContent-Type: application/ms-tnef\nContent-Disposition: attachment; filename="winmail.dat"\nContent-Transfer-Encoding: base64\n\n${Buffer.from(tnef).toString('base64')}\n` +
    '--zz\nContent-Type: message/rfc822\n\n' + message(20).toString() + '\n--zz--\n');
}

test('a leak with every source kind is ingested with every path of every item', async (t) => {
  const dir = tempDir(t);
  const mbox = Buffer.from(
    `From alice@campagne-exemple.fr Thu Mar  2 14:03:11 2017\n${message(2).toString()}` +
    `>From the archive: this line was quoted by the mbox writer\n\n` +
    `From bob@acme-conseil.fr Thu Mar  4 14:03:11 2017\n${message(4).toString()}\n`, 'latin1');
  const inner = await makeZip({ 'deep/note.txt': 'dans le zip du zip' });
  writeTree(join(dir, 'leak'), {
    'eml/devis.eml': withAttachments(),
    'eml/plain.eml': message(1),
    'alice/Maildir/cur/1488463391.M1P2.host:2,RS': message(5),
    'alice/Maildir/new/1488463392.M3P4.host': message(6),
    'alice/Maildir/tmp/.keep': '',
    'bob/inbox.mbox': mbox,
    'documents/devis-copie.pdf': PDF,
    'documents/rapport.docx': DOCX_LIKE,
    'archive.zip': await makeZip({ 'mail/copy.mbox': mbox, 'inner.zip': inner, 'docs/devis.pdf': PDF, 'mail/seven.eml': message(7) }),
  });
  const { result, c } = await ingestInto(join(dir, 'case'), [join(dir, 'leak')], 0);
  const store = c.store;
  const item = async (bytes: Uint8Array) => (await store.item(sha256Of(bytes)))!;

  // The attachment of an email and its loose copies are one item with every place listed.
  const pdf = await item(PDF);
  assert.equal(pdf.kind, 'attachment');
  assert.equal(pdf.format, 'pdf');
  assert.deepEqual(pdf.paths, ['leak/archive.zip/docs/devis.pdf', 'leak/documents/devis-copie.pdf', 'leak/eml/devis.eml/devis.pdf']);

  // mbox messages are numbered, found both in the loose mbox and in its copy inside the zip.
  const m2 = await item(Buffer.concat([message(2), Buffer.from('From the archive: this line was quoted by the mbox writer\n')]));
  assert.deepEqual(m2.paths, ['leak/archive.zip/mail/copy.mbox#1', 'leak/bob/inbox.mbox#1']);
  assert.equal(m2.notes?.mboxUnquoted, 1);
  assert.equal(m2.email?.subject, 'Message 2');
  const m4 = await item(message(4));
  assert.deepEqual(m4.paths, ['leak/archive.zip/mail/copy.mbox#2', 'leak/bob/inbox.mbox#2']);

  // Maildir files are emails, with their flags kept.
  const m5 = await item(message(5));
  assert.equal(m5.kind, 'email');
  assert.deepEqual(m5.notes?.maildirFlags, ['replied', 'seen']);
  assert.equal((await item(message(6))).kind, 'email');

  // Zip inside zip, opened recursively.
  const note = await item(Buffer.from('dans le zip du zip'));
  assert.deepEqual(note.paths, ['leak/archive.zip/inner.zip/deep/note.txt']);
  assert.equal(note.kind, 'document');
  assert.equal((await item(message(7))).paths[0], 'leak/archive.zip/mail/seven.eml');

  // Attachments: the nested message and winmail.dat's content are child items of the email.
  const devis = await item(withAttachments());
  assert.equal(devis.email?.attachmentCount, 3);
  const names = devis.children.map((ch) => ch.name).sort();
  assert.deepEqual(names, ['/devis.pdf', '/part-3.eml', '/winmail.dat']);
  const nested = await item(message(20));
  assert.equal(nested.kind, 'email');
  assert.equal(nested.email?.subject, 'Message 20');
  const xls = await item(Buffer.from('legacy excel bytes'));
  assert.deepEqual(xls.paths, ['leak/eml/devis.eml/winmail.dat/budget prévisionnel.xls']);
  assert.equal(xls.kind, 'attachment');

  // Formats are detected by content.
  assert.equal((await item(DOCX_LIKE)).format, 'docx');

  const stats = await store.stats();
  assert.equal(stats.pending, 0);
  assert.equal(stats.byKind.email, 9); // messages 1, 2, 4, 5, 6, 7, 20 and the devis email... and tmp/.keep is not an email
  assert.ok(result.items >= stats.items);
  await store.close();
});

test('re-ingesting the same leak adds nothing, and with worker threads gives the same case', async (t) => {
  const dir = tempDir(t);
  writeTree(join(dir, 'leak'), {
    'a.eml': withAttachments(),
    'box.mbox': `From a@b Thu Mar  2 14:03:11 2017\n${message(1).toString()}\nFrom a@b Thu Mar  2 14:03:11 2017\n${message(2).toString()}\n`,
    'z.zip': await makeZip({ 'x/b.eml': message(3), 'x/devis.pdf': PDF }),
  });
  const one = join(dir, 'one');
  (await ingestInto(one, [join(dir, 'leak')], 0)).c.store.close();
  const first = snapshot(one);
  const again = await ingestInto(one, [join(dir, 'leak')], 0);
  await again.c.store.close();
  assert.equal(again.result.skippedSources, 3, 'every source file is recognised as already ingested');
  assert.deepEqual(snapshot(one), first);

  const threaded = join(dir, 'threaded');
  (await ingestInto(threaded, [join(dir, 'leak')], 2)).c.store.close();
  assert.deepEqual(snapshot(threaded), first);
});

test('two different messages with one Message-ID are both kept and both flagged', async (t) => {
  const dir = tempDir(t);
  const a = message(1);
  const b = Buffer.from(a.toString().replace('Corps du message 1.', 'Corps du message 1, modifié.'));
  writeTree(join(dir, 'leak'), { 'a.eml': a, 'b.eml': b, 'copy-of-a.eml': a });
  const { c } = await ingestInto(join(dir, 'case'), [join(dir, 'leak')]);
  const va = (await c.store.item(sha256Of(a)))!;
  const vb = (await c.store.item(sha256Of(b)))!;
  assert.deepEqual(va.messageIdConflicts, [vb.sha256]);
  assert.deepEqual(vb.messageIdConflicts, [va.sha256]);
  assert.deepEqual(va.paths, ['leak/a.eml', 'leak/copy-of-a.eml']);
  const stats = await c.store.stats();
  assert.equal(stats.messageIdConflicts, 1);
  assert.equal(stats.duplicateItems, 1);
  await c.store.close();
});

test('originals are stored byte for byte under their SHA-256', async (t) => {
  const dir = tempDir(t);
  const bytes = withAttachments();
  writeTree(join(dir, 'leak'), { 'a.eml': bytes });
  const { c } = await ingestInto(join(dir, 'case'), [join(dir, 'leak')]);
  const { readFileSync } = await import('node:fs');
  assert.deepEqual(readFileSync(c.blobs.pathOf(sha256Of(bytes))), bytes);
  assert.deepEqual(readFileSync(c.blobs.pathOf(sha256Of(PDF))), PDF);
  await c.store.close();
});
