import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { writeReport } from '../../src/report/write-report.ts';
import { email, ingestInto, makeZip, runCli, tempDir, writeTree } from '../support/case.ts';

async function collect(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  await run(out);
  return text;
}

test('the report has one entry per distinct item with all its paths, verdicts null until verified', async (t) => {
  const dir = tempDir(t);
  const a = email('From: a@campagne-exemple.fr\nSubject: Budget\nDate: Thu, 2 Mar 2017 10:00:00 +0100\nMessage-ID: <r1@x>\n\nTexte.\n');
  writeTree(join(dir, 'leak'), { 'a.eml': a, 'copy/a.eml': a, 'z.zip': await makeZip({ 'in/a.eml': a, 'note.txt': 'note' }) });
  const { c } = await ingestInto(join(dir, 'case'), [join(dir, 'leak')]);
  t.after(() => c.store.close());
  const doc = JSON.parse(await collect((out) => writeReport(c.store, 'json', out, new Date('2026-01-01T00:00:00Z'))));
  assert.equal(doc.generatedAt, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(doc.trove, { items: 3, emails: 1, documents: 1, attachments: 0, containers: 1, errors: 0 });
  assert.equal(doc.items.length, 3);
  const mail = doc.items.find((i: { kind: string }) => i.kind === 'email');
  assert.deepEqual(mail.paths, ['leak/a.eml', 'leak/copy/a.eml', 'leak/z.zip/in/a.eml']);
  assert.equal(mail.messageId, '<r1@x>');
  assert.equal(mail.subject, 'Budget');
  for (const field of ['verdict', 'signals', 'dkim', 'provenance']) assert.equal(mail[field], null, field);
  for (const item of doc.items) {
    assert.match(item.sha256, /^[0-9a-f]{64}$/);
    assert.equal(item.id, item.sha256.slice(0, 16));
  }

  const lines = (await collect((out) => writeReport(c.store, 'jsonl', out))).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, doc.items);

  const csv = (await collect((out) => writeReport(c.store, 'csv', out))).split('\r\n');
  assert.equal(csv[0], 'id,sha256,kind,format,size,verdict,summary,date,from,subject,messageId,thread,dkim,error,paths');
  assert.equal(csv.length, 3 + 2, 'header, three rows, and the empty string after the last CRLF');
  const mailRow = csv.find((l) => l.startsWith(mail.id))!;
  assert.ok(mailRow.endsWith(',leak/a.eml | leak/copy/a.eml | leak/z.zip/in/a.eml'));
});

test('`trove report`, `show` and `stats` work from the command line, and say what to do without a case', async (t) => {
  const dir = tempDir(t);
  writeTree(join(dir, 'leak'), { 'a.eml': email('From: a@x.fr\nSubject: Réunion\nDate: Thu, 2 Mar 2017 10:00:00 +0100\n\nBonjour\n') });
  const caseDir = join(dir, 'case');
  assert.equal((await runCli(['ingest', join(dir, 'leak'), '--case', caseDir])).code, 0);
  const report = await runCli(['report', '--format', 'jsonl', '--case', caseDir]);
  const item = JSON.parse(report.stdout.trim());
  const shown = await runCli(['show', item.id.slice(0, 8), '--case', caseDir]);
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /Subject {3}Réunion/);
  assert.match(shown.stdout, /sender's clock at UTC\+01:00/);
  const json = JSON.parse((await runCli(['show', item.id, '--json', '--case', caseDir])).stdout);
  assert.equal(json.sha256, item.sha256);
  const missing = await runCli(['stats', '--case', join(dir, 'nowhere')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No trove case at .*Run `trove ingest PATH` first/);
  const onFile = await runCli(['stats', '--case', join(dir, 'leak', 'a.eml')]);
  assert.equal(onFile.code, 1);
  assert.match(onFile.stderr, /is a file, not a case directory/);
  const unknown = await runCli(['show', 'ffffffff', '--case', caseDir]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No item ffffffff/);
});
