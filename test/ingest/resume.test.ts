/**
 * Crash safety: a child process is killed (SIGKILL) mid-ingest, several times, at different points;
 * running the same command again finishes the case, which then holds exactly what a clean run holds:
 * every item once, every placement once, nothing lost.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, email, ingestInto, makeZip, runCli, snapshot, tempDir, writeTree } from '../support/case.ts';

function message(n: number): string {
  const filler = `Ligne ${n} du compte rendu de la réunion budgétaire. `.repeat(8 + (n % 13));
  return email(`From: User ${n % 37} <user${n % 37}@campagne-exemple.fr>\nTo: team@acme-conseil.fr\nSubject: Point ${n}\n` +
    `Date: Thu, 2 Mar 2017 10:${String(n % 60).padStart(2, '0')}:00 +0100\nMessage-ID: <r${n}@campagne-exemple.fr>\n\n${filler}\n`).toString();
}

function mbox(from: number, to: number): string {
  let s = '';
  for (let n = from; n < to; n++) s += `From user@campagne-exemple.fr Thu Mar  2 10:00:00 2017\n${message(n)}\n`;
  return s;
}

async function buildLeak(root: string): Promise<void> {
  const emls: Record<string, string> = {};
  for (let n = 0; n < 600; n++) emls[`eml/${String(n).padStart(4, '0')}.eml`] = message(100_000 + n);
  const zipped: Record<string, string> = { 'boxes/archive.mbox': mbox(50_000, 51_500) };
  for (let n = 0; n < 1500; n++) zipped[`mail/${n}.eml`] = message(60_000 + n);
  writeTree(root, { 'a-big.mbox': mbox(0, 4000), 'b-archive.zip': await makeZip(zipped), ...emls, 'c-dup.mbox': mbox(0, 300) });
}

function itemCount(caseDir: string): number {
  const file = join(caseDir, 'case.db');
  if (!existsSync(file)) return 0;
  try {
    const db = new DatabaseSync(file, { readOnly: true, timeout: 1000 });
    try {
      return Number((db.prepare('SELECT count(*) AS n FROM placements').get() as { n: number }).n);
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Starts an ingest and kills it with SIGKILL once `killAt` placements are committed. */
async function ingestAndKill(leak: string, caseDir: string, killAt: number): Promise<NodeJS.Signals | number | null> {
  const child = spawn(process.execPath, [CLI, 'ingest', leak, '--case', caseDir, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && itemCount(caseDir) < killAt) await sleep(5);
  child.kill('SIGKILL');
  return exited;
}

test('an ingest killed with SIGKILL at several points resumes to exactly the clean result', { timeout: 180_000 }, async (t) => {
  const dir = tempDir(t);
  const leak = join(dir, 'leak');
  await buildLeak(leak);

  const ref = join(dir, 'reference');
  (await ingestInto(ref, [leak], 2)).c.store.close();
  const expected = snapshot(ref);
  const total = expected.placements.length;
  assert.ok(total > 7000, `the trove is big enough to be killed mid-way (${total} placements)`);

  const caseDir = join(dir, 'killed');
  for (const fraction of [0.05, 0.3, 0.55, 0.8]) {
    const outcome = await ingestAndKill(leak, caseDir, Math.floor(total * fraction));
    assert.equal(outcome, 'SIGKILL', `the run was still going at ${fraction * 100}% and was killed`);
  }
  const finish = await runCli(['ingest', leak, '--case', caseDir, '--quiet']);
  assert.equal(finish.code, 0, finish.stderr + finish.stdout);
  assert.deepEqual(snapshot(caseDir), expected);

  // Once finished, running again changes nothing.
  const again = await runCli(['ingest', leak, '--case', caseDir, '--quiet']);
  assert.equal(again.code, 0);
  assert.deepEqual(snapshot(caseDir), expected);
  const stats = JSON.parse((await runCli(['stats', '--json', '--case', caseDir])).stdout) as { pending: number; messageIdConflicts: number };
  assert.equal(stats.pending, 0);
});
