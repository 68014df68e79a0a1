/**
 * Forensics end to end through the real CLI: a generated trove with planted fakes of every signal
 * class (and more genuine loose documents) is ingested and its keys imported; the planted fakes come
 * out with the right signal (high ones `suspicious`), `trove show` says why in words, `trove search
 * 'signal:CODE'` finds them, the report carries the signals, and no genuine document is suspicious.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli } from '../support/case.ts';
import { generateTrove, PLANTED_SIGNALS, type ManifestDocument, type ManifestLine } from '../support/generator/index.ts';

interface ReportItem {
  id: string;
  sha256: string;
  verdict: string;
  signals: { code: string; severity: string; message: string }[] | null;
}

describe('forensics on an ingested trove with planted fakes', () => {
  let caseDir = '';
  let fakes: ManifestDocument[] = [];
  let genuine: ManifestDocument[] = [];
  const report = new Map<string, ReportItem>();

  before(async () => {
    const root = mkdtempSync(join(tmpdir(), 'trove-forensics-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    await generateTrove(join(root, 'g'), { messages: 150, seed: 7, layout: 'mixed', forgeries: true });
    const lines = readFileSync(join(root, 'g', 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ManifestLine);
    const docs = lines.filter((l): l is ManifestDocument => l.type === 'document');
    fakes = docs.filter((d) => d.forgery);
    genuine = docs.filter((d) => d.forgery === null);
    caseDir = join(root, 'case');
    const ingest = await runCli(['ingest', join(root, 'g', 'leak'), '--case', caseDir, '--quiet']);
    assert.ok(ingest.code === 0 || ingest.code === 2, ingest.stderr);
    const keys = await runCli(['keys', 'import', join(root, 'g', 'keys.zone'), '--case', caseDir]);
    assert.equal(keys.code, 0, keys.stderr);
    const r = await runCli(['report', '--format', 'jsonl', '--case', caseDir]);
    for (const line of r.stdout.trim().split('\n')) {
      const item = JSON.parse(line) as ReportItem;
      report.set(item.sha256, item);
    }
  });

  it('plants every signal class, with more genuine documents than fakes', () => {
    assert.deepEqual([...new Set(fakes.map((f) => f.forgery!.signal))].sort(), [...PLANTED_SIGNALS].sort());
    assert.ok(genuine.length >= fakes.length);
  });

  it('flags every planted fake with its signal, and makes the high ones suspicious', () => {
    for (const f of fakes) {
      const item = report.get(f.sha256);
      assert.ok(item, `${f.path} is in the report`);
      const got = item.signals?.find((s) => s.code === f.forgery!.signal);
      assert.ok(got, `${f.path} (${f.forgery!.how}) has ${f.forgery!.signal}; it has ${JSON.stringify(item.signals?.map((s) => s.code))}`);
      if (got.severity === 'high') assert.equal(item.verdict, 'suspicious', f.path);
    }
  });

  it('leaves every genuine loose document unsuspected', () => {
    for (const g of genuine) assert.notEqual(report.get(g.sha256)?.verdict, 'suspicious', `${g.path}: ${JSON.stringify(report.get(g.sha256)?.signals)}`);
  });

  it('reads the legacy Office (OLE2) plants: the Macron-style spreadsheet is suspicious for its Cyrillic editor and Russian Excel', () => {
    const legacy = (d: ManifestDocument): boolean => /\.(?:doc|xls|ppt)$/.test(d.path);
    const legacyFakes = fakes.filter(legacy);
    assert.deepEqual(
      [...new Set(legacyFakes.map((f) => f.forgery!.signal))].sort(),
      ['date-after-cutoff', 'edit-time-exceeds-span', 'editing-burst', 'foreign-language-tool', 'foreign-script-author', 'modified-before-created', 'software-anachronism'],
    );
    assert.ok(genuine.filter(legacy).length >= 4, 'genuine .doc, .xls and .ppt files among the genuine ones');
    const macron = legacyFakes.find((f) => f.forgery!.signal === 'foreign-script-author' && f.path.endsWith('.xls'))!;
    const item = report.get(macron.sha256)!;
    assert.equal(item.verdict, 'suspicious');
    assert.match(item.signals!.find((s) => s.code === 'foreign-script-author')!.message, /^Last saved by "Рошка Георгий Петрович" \(Cyrillic script\)/);
    assert.match(item.signals!.find((s) => s.code === 'foreign-language-tool')!.message, /^Saved by a Russian version of the software \(the document statistics heading "Листы"; its metadata is written in the Cyrillic Windows code page, 1251\)/);
  });

  it('shows the signals in plain words with `trove show`', async () => {
    const fake = fakes.find((f) => f.forgery!.signal === 'foreign-script-author')!;
    const shown = await runCli(['show', report.get(fake.sha256)!.id, '--case', caseDir]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /VERDICT {3}SUSPICIOUS/);
    assert.match(shown.stdout, /• \[high\] foreign-script-author: Last saved by "[А-Яа-я .]+" \(Cyrillic script\), a name found in no email and no other document of the trove/);
  });

  it('finds planted fakes with `trove search signal:CODE`', async () => {
    for (const code of ['editing-burst', 'pdf-content-revised', 'thumbnail-mismatch']) {
      const r = JSON.parse((await runCli(['search', `signal:${code}`, '--case', caseDir, '--json', '--limit', '100'])).stdout) as { total: number; hits: { id: string }[] };
      const planted = fakes.filter((f) => f.forgery!.signal === code).map((f) => report.get(f.sha256)!.id);
      assert.ok(planted.every((id) => r.hits.some((h) => h.id === id)), `${code}: ${r.total} hits`);
    }
  });
});
