/**
 * The user's path through DKIM, end to end in child processes, on a generated trove: ingest (which
 * verifies), nothing provable without keys, `keys import` re-checks exactly the affected messages,
 * and every verdict equals the generator's ground truth (tampered messages included).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateTrove } from '../support/generator/index.ts';
import type { ManifestMessage } from '../support/generator/manifest.ts';
import { runCli, tempDir } from '../support/case.ts';

interface ReportLine {
  kind: string;
  paths: string[];
  verdict: string | null;
  summary: string | null;
  dkim: { domain: string; status: string; repairs: string[]; keySource: string | null }[] | null;
}

test('ingest, import keys, verify: every verdict matches the ground truth', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  await generateTrove(join(dir, 'g'), { messages: 160, seed: 3, layout: 'mixed' });
  const caseDir = join(dir, 'case');
  const ingest = await runCli(['ingest', join(dir, 'g', 'leak'), '--case', caseDir]);
  assert.equal(ingest.code, 0, ingest.stderr);
  assert.match(ingest.stdout, /Verified 160 emails \(DKIM, offline\): (\d+ (key-unavailable|unsigned)(, )?){2}\. Import keys/);

  const imported = await runCli(['keys', 'import', join(dir, 'g', 'keys.zone'), '--case', caseDir]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /Read \d+ keys from .*keys\.zone \(zone\): \d+ new, 0 already in the key store\./);
  assert.match(imported.stdout, /Re-verified the \d+ messages these keys affect/);

  const report = (await runCli(['report', '--format', 'jsonl', '--case', caseDir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as ReportLine);
  const byPath = new Map<string, ReportLine>();
  for (const item of report) for (const p of item.paths) byPath.set(p, item);
  const manifest = readFileSync(join(dir, 'g', 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string }).filter((l): l is ManifestMessage => l.type === 'message');
  assert.equal(manifest.length, 160);
  const mismatches: string[] = [];
  const seen = new Set<string>();
  for (const m of manifest) {
    const item = byPath.get(m.path);
    if (!item) {
      mismatches.push(`${m.path}: not in the report`);
      continue;
    }
    seen.add(m.expect);
    if (item.verdict !== m.expect) mismatches.push(`${m.path}: ${item.verdict}, expected ${m.expect} (tampered: ${m.tampered}; ${item.summary})`);
  }
  assert.deepEqual(mismatches, []);
  assert.ok(seen.has('authentic') && seen.has('unsigned'), `the trove covers several verdicts: ${[...seen].join(', ')}`);
  for (const item of report.filter((i) => i.verdict === 'authentic')) assert.match(item.summary!, /unchanged since/);
  const documentVerdicts = ['authentic-by-provenance', 'altered-copy', 'suspicious', 'unproven'];
  for (const item of report.filter((i) => i.kind !== 'email')) assert.ok(documentVerdicts.includes(item.verdict!), `${item.paths[0]}: ${item.verdict}`);

  const keys = JSON.parse((await runCli(['keys', 'list', '--json', '--case', caseDir])).stdout) as { verifies: number; description: string }[];
  assert.ok(keys.length > 0 && keys.every((k) => k.description === 'imported from keys.zone'));
  assert.ok(keys.some((k) => k.verifies > 0));

  // Importing the same file again changes nothing and re-verifies nothing.
  const again = await runCli(['keys', 'import', join(dir, 'g', 'keys.zone'), '--case', caseDir]);
  assert.match(again.stdout, /0 new/);
  assert.doesNotMatch(again.stdout, /Re-verified/);
});

test('`trove keys fetch` without a reachable DNS server fails fast with a clear message', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  await generateTrove(join(dir, 'g'), { messages: 20, seed: 4, layout: 'eml' });
  const caseDir = join(dir, 'case');
  await runCli(['ingest', join(dir, 'g'), '--case', caseDir, '--quiet']);
  const started = Date.now();
  const r = await runCli(['keys', 'fetch', '--server', '127.0.0.1:9', '--case', caseDir]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /DNS does not answer from this machine .*import keys from a file instead/);
  assert.ok(Date.now() - started < 20_000, 'no hang');
});
