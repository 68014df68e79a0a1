/**
 * Bad input is normal input: every hostile or broken item gets a recorded error with a clear reason,
 * the rest of the run goes on, and nothing is written outside the case.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { MAX_NESTING_DEPTH } from '../../src/ingest/limits.ts';
import { sha256Of } from '../../src/store/blob-store.ts';
import type { ErrorView } from '../../src/store/store.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ingestInto, makeZip, runCli, tempDir, writeTree } from '../support/case.ts';
import * as hostile from '../support/hostile.ts';

async function errorsOf(store: SqliteStore): Promise<ErrorView[]> {
  const out: ErrorView[] = [];
  for await (const e of store.errors()) out.push(e);
  return out;
}

async function pathsOfAll(store: SqliteStore): Promise<string[]> {
  const out: string[] = [];
  for await (const v of store.items()) out.push(...v.paths);
  return out.sort();
}

async function ingestFixture(t: TestContext, write: (dir: string) => Promise<{ path: string }>) {
  const dir = tempDir(t);
  const leak = join(dir, 'leak');
  mkdirSync(leak);
  const fx = await write(leak);
  writeTree(leak, { 'witness.txt': 'a normal file next to the bad one' });
  const { result, c } = await ingestInto(join(dir, 'case'), [leak]);
  t.after(() => c.store.close());
  // The run went on: the normal file beside the bad one is there.
  assert.ok(await c.store.item(sha256Of(Buffer.from('a normal file next to the bad one'))), 'the witness file was ingested');
  return { dir, fx, result, store: c.store, errors: await errorsOf(c.store), paths: await pathsOfAll(c.store) };
}

test('a truncated zip is recorded as such, and its complete entries are salvaged', async (t) => {
  const { errors, paths, store, fx } = await ingestFixture(t, hostile.writeTruncatedZip);
  const f = fx as hostile.TruncatedZipFixture;
  const archive = errors.find((e) => e.code === 'truncated-archive')!;
  assert.match(archive.message, /cut short.*1 entry was recovered from their local headers/);
  // The first entry lies wholly before the cut; the second is cut in the middle.
  assert.ok(paths.includes(`leak/truncated.zip/${f.entryNames[0]}`), paths.join('\n'));
  const cut = errors.find((e) => e.code === 'truncated-entry')!;
  assert.equal(cut.path, `leak/truncated.zip/${f.entryNames[1]}`);
  assert.ok(!paths.some((p) => p.endsWith(f.entryNames[1]!)));
  for await (const v of store.items()) if (v.paths[0]?.endsWith(f.entryNames[0]!)) assert.equal(v.notes?.salvaged, true);
});

test('salvage checks each recovered entry against its CRC-32', async (t) => {
  const { errors } = await ingestFixture(t, async (dir) => {
    const zip = await makeZip({ 'a.txt': 'Le compte rendu. '.repeat(40), 'b.txt': 'Deuxième fichier. '.repeat(40) });
    // Damage a byte in the middle of a.txt's data, then cut the archive before its central directory.
    const aData = zip.indexOf('a.txt') + 5;
    const bHeader = zip.indexOf(Buffer.from('PK\x03\x04', 'latin1'), aData);
    const middle = Math.floor((aData + bHeader) / 2) + 8;
    zip[middle] = zip[middle]! ^ 0x55;
    const path = join(dir, 'damaged.zip');
    writeFileSync(path, zip.subarray(0, zip.indexOf(Buffer.from('PK\x01\x02', 'latin1'))));
    return { path };
  });
  const codes = errors.map((e) => `${basename(e.path)}:${e.code}`).sort();
  assert.deepEqual(codes, ['a.txt:corrupt-entry', 'damaged.zip:truncated-archive']);
});

test('a zip bomb entry is refused by its ratio; the other entries are read', async (t) => {
  const { fx, errors, paths } = await ingestFixture(t, hostile.writeZipBomb);
  const bomb = errors.find((e) => e.code === 'zip-bomb');
  assert.ok(bomb, JSON.stringify(errors));
  assert.ok(bomb.path.endsWith((fx as hostile.ZipBombFixture).bombEntry));
  assert.match(bomb.message, /MAX_COMPRESSION_RATIO/);
  assert.ok(paths.some((p) => p.endsWith((fx as hostile.ZipBombFixture).smallEntry)));
});

test('an entry whose real size differs from its declared size is caught', async (t) => {
  const { fx, errors, paths } = await ingestFixture(t, hostile.writeLyingSizeZip);
  const f = fx as hostile.LyingSizeZipFixture;
  const bad = errors.find((e) => e.path.endsWith(f.lyingEntry));
  assert.equal(bad?.code, 'corrupt-entry', JSON.stringify(errors));
  assert.ok(paths.some((p) => p.endsWith(f.honestEntry)));
  assert.ok(!paths.some((p) => p.endsWith(f.lyingEntry)), 'no partial item for the lying entry');
});

test('entry names with ../ or absolute paths are data and never written outside the case', async (t) => {
  const { dir, fx, paths } = await ingestFixture(t, hostile.writeTraversalZip);
  for (const name of (fx as hostile.ZipEntriesFixture).entryNames) {
    assert.ok(paths.some((p) => p.endsWith(`.zip/${name}`)), `${name} is listed as a path`);
  }
  assert.deepEqual(readdirSync(dir).sort(), ['case', 'leak']);
  assert.equal(existsSync(join(dir, 'outside.txt')), false);
  assert.equal(existsSync(join(dir, '..', 'outside.txt')), false);
});

test('encrypted entries are recorded as encrypted; plain entries are read', async (t) => {
  const { fx, errors, paths } = await ingestFixture(t, hostile.writeEncryptedEntryZip);
  const f = fx as hostile.EncryptedZipFixture;
  assert.deepEqual(errors.map((e) => e.code), ['encrypted']);
  assert.ok(errors[0]!.path.endsWith(f.encryptedEntry));
  assert.ok(paths.some((p) => p.endsWith(f.plainEntry)));
});

test('zip64 archives are read', async (t) => {
  const { fx, errors, paths } = await ingestFixture(t, hostile.writeZip64);
  assert.deepEqual(errors, []);
  for (const name of (fx as hostile.ZipEntriesFixture).entryNames) assert.ok(paths.some((p) => p.endsWith(`/${name}`)), name);
});

test('nesting deeper than MAX_NESTING_DEPTH is stopped and reported', async (t) => {
  const { errors, paths } = await ingestFixture(t, (d) => hostile.writeNestedZips(d, MAX_NESTING_DEPTH + 4));
  assert.deepEqual(errors.map((e) => e.code), ['too-deep']);
  assert.match(errors[0]!.message, /MAX_NESTING_DEPTH/);
  assert.ok(!paths.some((p) => p.endsWith('deep.txt')));
});

test('CP437 and UTF-8 entry names are decoded', async (t) => {
  const { fx, paths } = await ingestFixture(t, hostile.writeCp437NameZip);
  for (const e of (fx as hostile.Cp437ZipFixture).entries) assert.ok(paths.some((p) => p.endsWith(`/${e.name}`)), e.name);
});

test('empty and garbage files get errors that say what is wrong', async (t) => {
  const { errors, store, fx } = await ingestFixture(t, hostile.writeEmptyAndGarbageFiles);
  const byFile = Object.fromEntries(errors.map((e) => [basename(e.path), e.code]));
  assert.equal(byFile['empty.eml'], 'empty');
  assert.equal(byFile['garbage.eml'], 'not-an-email');
  assert.equal(byFile['notreally.zip'], 'not-an-archive');
  // An .mbox without separators whose content is one email is read as that email.
  const nofrom = (fx as hostile.HostileFileSet).files.find((f) => f.path.endsWith('nofrom.mbox'))!;
  const { readFileSync } = await import('node:fs');
  assert.equal((await store.item(sha256Of(readFileSync(nofrom.path))))?.kind, 'email');
});

test('broken emails are kept and read as far as they go', async (t) => {
  const { store, fx, errors } = await ingestFixture(t, hostile.writeBrokenEmails);
  const { readFileSync } = await import('node:fs');
  for (const f of (fx as hostile.HostileFileSet).files) {
    const v = await store.item(sha256Of(readFileSync(f.path)));
    assert.equal(v?.kind, 'email', `${f.description}: kept as an email`);
    assert.ok(v.email, `${f.description}: parsed`);
  }
  const dated = (fx as hostile.HostileFileSet).files.find((f) => f.path.endsWith('unparseable-date.eml'))!;
  const d = (await store.item(sha256Of(readFileSync(dated.path))))!.email!;
  assert.equal(d.dateRaw, 'le 3 mars, vers midi');
  assert.equal(d.date, null);
  assert.match(d.dateError!, /not an RFC 5322 date/);
  // The emails themselves read; only an attachment whose broken base64 is not a readable PDF is reported.
  assert.deepEqual(errors.map((e) => [basename(e.path), e.code]), [['contrat.pdf', 'unreadable-document']]);
});

test('the CLI exits 2 when items failed and `trove errors --json` lists them', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'leak'));
  await hostile.writeEncryptedEntryZip(join(dir, 'leak'));
  await hostile.writeEmptyAndGarbageFiles(join(dir, 'leak'));
  const caseDir = join(dir, 'case');
  const run = await runCli(['ingest', join(dir, 'leak'), '--case', caseDir]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stdout, /Errors: 4 items could not be read fully/);
  const listed = await runCli(['errors', '--json', '--case', caseDir]);
  assert.equal(listed.code, 0);
  const errs = JSON.parse(listed.stdout) as ErrorView[];
  assert.deepEqual(errs.map((e) => e.code).sort(), ['empty', 'encrypted', 'not-an-archive', 'not-an-email']);
  for (const e of errs) assert.ok(e.message.length > 20 && e.path.startsWith('leak/'));
});
