/**
 * The provenance pass alone, for `bench:provenance`, on a copy of a verified case:
 *
 *   node bench/provenance-pass.ts reset CASE [--fingerprints]
 *       forget what a pass wrote (near-duplicates, assessments, provenance) and VACUUM: the case is as
 *       `trove verify` found it before its first pass. With --fingerprints, forget the MinHash
 *       signatures too (ingest computes them; without them the pass computes them itself, as for a
 *       case ingested by a trove that did not).
 *   node bench/provenance-pass.ts run CASE [--once]
 *       time `store.runProvenance()` in this process, stage by stage (from its progress callback),
 *       then once more as a re-run (what every later `verify` or `keys import` costs), then the LSH
 *       step alone. --once: the first pass only.
 *
 * `run` prints one JSON line (PassRun). The reset is a separate process so that its VACUUM is in
 * neither the timing nor the peak RSS of the run.
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { candidatePairs, signatureFromBytes } from '../src/provenance/minhash.ts';
import { openCase } from '../src/store/case-dir.ts';
import type { ProvenanceProgress, ProvenanceSummary } from '../src/store/sqlite/sqlite-provenance.ts';

export interface PassEvent extends ProvenanceProgress {
  /** Milliseconds since the pass started. */
  t: number;
  /** Resident memory now, and the process's high-water mark so far (VmHWM), in MB. */
  rssMB: number;
  hwmMB: number;
}

/** Stage times in milliseconds, from the progress events (see `stagesOf`). */
export interface PassStages {
  /** Hash propagation: start to the `examining` event (or, without one, to the start of fingerprinting). */
  propagating: number;
  /** Forensic signals, and listing the documents to fingerprint: to the first batch's start (estimated from the batch rate). */
  examining: number;
  fingerprinting: number;
  /** Reading every signature back from the database. */
  loadingSignatures: number;
  /** LSH candidates, similarity estimates and writing `near_duplicates`. */
  comparing: number;
  judging: number;
}

export interface OnePass {
  wallMs: number;
  cpuMs: number;
  stages: PassStages;
  /** True when fingerprinting reported a single batch, so what came before it could not be told apart from it. */
  stagesEstimated: boolean;
  /** The process's memory high-water mark (MB) when each stage ended: which stage made the peak. */
  hwmAfterStageMB: Partial<Record<ProvenanceProgress['stage'] | 'end', number>>;
  events: PassEvent[];
  summary: ProvenanceSummary;
}

export interface PassRun {
  documents: number;
  rssBeforeMB: number;
  /** The process's peak resident memory (VmHWM) after the first pass: node, the open case and the pass. */
  peakRssMB: number;
  first: OnePass;
  rerun: OnePass | null;
  lsh: { loadMs: number; candidatesMs: number; signatures: number; candidatePairs: number; skippedBuckets: number };
}

const MB = 1e6;

/** Splits a pass into stages from its progress events (stage boundaries are where the events change). */
export function stagesOf(events: PassEvent[], endMs: number): { stages: PassStages; estimated: boolean } {
  const fp = events.filter((e) => e.stage === 'fingerprinting');
  const c0 = events.find((e) => e.stage === 'comparing' && e.done === 0);
  const c1 = events.findLast((e) => e.stage === 'comparing');
  const j0 = events.find((e) => e.stage === 'judging');
  const examining = events.find((e) => e.stage === 'examining');
  const fpEnd = fp.at(-1)?.t ?? c0?.t ?? 0;
  let fpStart = fpEnd;
  let estimated = false;
  if (fp.length >= 2) {
    const first = fp[0]!;
    const last = fp.at(-1)!;
    const msPerDoc = (last.t - first.t) / Math.max(1, last.done - first.done);
    fpStart = Math.max(0, first.t - first.done * msPerDoc);
  } else if (fp.length === 1) {
    fpStart = examining?.t ?? 0;
    estimated = true;
  }
  const compareStart = c0?.t ?? fpEnd;
  const judgeStart = c1?.t ?? j0?.t ?? compareStart;
  const examineStart = Math.min(fpStart, examining?.t ?? fpStart);
  return {
    stages: {
      propagating: Math.round(examineStart),
      examining: Math.round(fpStart - examineStart),
      fingerprinting: Math.round(fpEnd - fpStart),
      loadingSignatures: Math.round(compareStart - fpEnd),
      comparing: Math.round(judgeStart - compareStart),
      judging: Math.round(endMs - judgeStart),
    },
    estimated,
  };
}

function reset(caseDir: string, fingerprints: boolean): void {
  const db = new DatabaseSync(join(caseDir, 'case.db'));
  if (fingerprints) db.exec('UPDATE extracted SET minhash = NULL');
  db.exec('DELETE FROM near_duplicates; DELETE FROM assessments; DELETE FROM provenance;');
  db.exec('VACUUM');
  db.close();
}

function memory(): { rssMB: number; hwmMB: number } {
  return { rssMB: Math.round(process.memoryUsage.rss() / MB), hwmMB: Math.round((process.resourceUsage().maxRSS * 1024) / MB) };
}

async function onePass(run: (onProgress: (p: ProvenanceProgress) => void) => Promise<ProvenanceSummary>): Promise<OnePass> {
  const events: PassEvent[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await run((p) => events.push({ t: Math.round((performance.now() - t0) * 10) / 10, ...p, ...memory() }));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const { stages, estimated } = stagesOf(events, wallMs);
  // A stage's last event, or the next stage's first, says how high memory had gone by its end.
  const hwmAfterStageMB: OnePass['hwmAfterStageMB'] = {};
  events.forEach((e, i) => {
    const next = events[i + 1];
    if (!next || next.stage !== e.stage) hwmAfterStageMB[e.stage] = next ? next.hwmMB : e.hwmMB;
  });
  hwmAfterStageMB.end = memory().hwmMB;
  return { wallMs: Math.round(wallMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000), stages, stagesEstimated: estimated, hwmAfterStageMB, events, summary };
}

function lshAlone(caseDir: string): PassRun['lsh'] {
  const db = new DatabaseSync(join(caseDir, 'case.db'), { readOnly: true });
  const t0 = performance.now();
  const sigs: Uint32Array[] = [];
  // The same query as the pass's compare step.
  for (const r of db.prepare(
    `SELECT x.minhash FROM extracted x JOIN items i ON i.sha256 = x.sha256
     WHERE i.class <> 'email' AND length(x.minhash) > 0 ORDER BY x.sha256`,
  ).iterate() as Iterable<{ minhash: Uint8Array }>) sigs.push(signatureFromBytes(r.minhash));
  const t1 = performance.now();
  const { pairs, skippedBuckets } = candidatePairs(sigs);
  const t2 = performance.now();
  db.close();
  return { loadMs: Math.round(t1 - t0), candidatesMs: Math.round(t2 - t1), signatures: sigs.length, candidatePairs: pairs.length, skippedBuckets };
}

async function run(caseDir: string, once: boolean): Promise<PassRun> {
  const count = new DatabaseSync(join(caseDir, 'case.db'), { readOnly: true });
  const documents = Number((count.prepare("SELECT count(*) AS n FROM items WHERE class <> 'email'").get() as { n: number }).n);
  count.close();
  const c = openCase(caseDir, { create: false });
  const rssBeforeMB = process.memoryUsage.rss() / MB;
  const first = await onePass((cb) => c.store.runProvenance(cb));
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;
  const rerun = once ? null : await onePass((cb) => c.store.runProvenance(cb));
  await c.store.close();
  return { documents, rssBeforeMB: Math.round(rssBeforeMB), peakRssMB: Math.round(peakRssMB), first, rerun, lsh: lshAlone(caseDir) };
}

async function main(): Promise<void> {
  const [command, caseDir, ...flags] = process.argv.slice(2);
  const known = command === 'reset' ? ['--fingerprints'] : ['--once'];
  if (!caseDir || (command !== 'reset' && command !== 'run') || flags.some((f) => !known.includes(f))) {
    console.error('usage: node bench/provenance-pass.ts reset CASE [--fingerprints] | run CASE [--once]');
    process.exit(1);
  }
  if (command === 'reset') reset(caseDir, flags.includes('--fingerprints'));
  else console.log(JSON.stringify(await run(caseDir, flags.includes('--once'))));
}

if (import.meta.main) await main();
