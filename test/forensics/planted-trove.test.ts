/**
 * The generator's planted forgeries (test/support/generator/forensic-plants.ts): opt-in, with their
 * ground truth in the manifest, reproducible, and leaving the rest of the trove byte for byte as it
 * is without them (other tests and benchmarks rely on those bytes).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fakesPerClass, generateTrove, GeneratorError, PLANTED_SIGNALS, readManifest, type ManifestDocument, type ManifestLine } from '../support/generator/index.ts';

const root = mkdtempSync(join(tmpdir(), 'trove-plants-'));
after(() => rmSync(root, { recursive: true, force: true }));

function lines(dir: string): ManifestLine[] {
  return readFileSync(join(dir, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ManifestLine);
}

describe('planted forgeries in a generated trove', () => {
  it('are off by default and leave every other file of the trove unchanged when on', async () => {
    await generateTrove(join(root, 'plain'), { messages: 60, seed: 9 });
    await generateTrove(join(root, 'planted'), { messages: 60, seed: 9, forgeries: true });
    const plain = lines(join(root, 'plain'));
    const planted = lines(join(root, 'planted'));
    assert.equal(plain.some((l) => l.type === 'document' && 'forgery' in l), false, 'no ground-truth field without plants');
    const body = (ls: ManifestLine[]): string[] => ls.filter((l) => l.type !== 'header' && !(l.type === 'document' && 'forgery' in l)).map((l) => JSON.stringify(l));
    assert.deepEqual(body(planted), body(plain), 'the same messages and documents, in the same order, with the same hashes');
    for (const l of plain) {
      if (l.type !== 'document' || l.path.includes('.zip/')) continue;
      const hash = (dir: string): string => createHash('sha256').update(readFileSync(join(root, dir, l.path))).digest('hex');
      assert.equal(hash('planted'), hash('plain'), l.path);
    }
  });

  it('plant every class with its ground truth, and more genuine documents than fakes', async () => {
    const planted = lines(join(root, 'planted')).filter((l): l is ManifestDocument => l.type === 'document' && 'forgery' in l);
    const fakes = planted.filter((d) => d.forgery);
    assert.deepEqual([...new Set(fakes.map((d) => d.forgery!.signal))].sort(), [...PLANTED_SIGNALS].sort());
    for (const signal of PLANTED_SIGNALS) assert.ok(fakes.filter((d) => d.forgery!.signal === signal).length >= fakesPerClass(60), signal);
    assert.ok(planted.length - fakes.length >= fakes.length);
    assert.ok(fakes.every((d) => d.forgery!.how.length > 10));
    const header = readManifest(join(root, 'planted')).header;
    assert.equal(header.options.forgeries, true);
  });

  it('are reproducible, and refused outside the mixed layout', async () => {
    await generateTrove(join(root, 'again'), { messages: 60, seed: 9, forgeries: true });
    assert.equal(readFileSync(join(root, 'again', 'manifest.jsonl'), 'utf8'), readFileSync(join(root, 'planted', 'manifest.jsonl'), 'utf8'));
    await assert.rejects(generateTrove(join(root, 'eml'), { messages: 5, seed: 9, layout: 'eml', forgeries: true }), (err: unknown) => err instanceof GeneratorError && err.code === 'bad-forgeries');
  });
});
