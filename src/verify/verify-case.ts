/**
 * `trove verify`: every email of the case not verified yet (new, or affected by a key import) is
 * checked by the DKIM engine on the worker threads, against a snapshot of the case's key store, and
 * its verdict and evidence stored. Reading and verification overlap; results are committed in batches.
 */
import { WorkerPool } from '../ingest/worker-pool.ts';
import type { Case } from '../store/case-dir.ts';
import { emptyBatch, type VerificationRecord } from '../store/store.ts';
import type { VerifyOutcome } from '../ingest/worker-tasks.ts';

/** Emails per request to a worker: large enough to amortise messaging, small enough to spread work. */
const BATCH = 64;
const IN_FLIGHT_PER_WORKER = 4;

export interface VerifyProgress {
  done: number;
  total: number;
  elapsedMs: number;
  byVerdict: Record<string, number>;
  failed: number;
}

export interface VerifyOptions {
  workers: number;
  asOf: Date;
  onProgress?: (p: VerifyProgress) => void;
}

export function toRecord(o: VerifyOutcome): VerificationRecord {
  const v = o.verification!;
  return {
    sha256: o.sha256,
    verdict: v.verdict,
    summary: v.summary,
    result: v,
    signers: v.signatures.filter((s) => s.domain && s.selector).map((s) => ({ domain: s.domain!, selector: s.selector!, status: s.status, keyId: s.key?.id ?? null })),
  };
}

export async function verifyCase(c: Case, options: VerifyOptions): Promise<VerifyProgress> {
  const started = Date.now();
  const todo = await c.store.emailsToVerify();
  const progress: VerifyProgress = { done: 0, total: todo.length, elapsedMs: 0, byVerdict: {}, failed: 0 };
  if (todo.length === 0) return progress;
  const pool = new WorkerPool(options.workers, c.blobs);
  try {
    pool.broadcast({ type: 'keys', keys: await c.store.allKeys() });
    const inFlight = new Set<Promise<void>>();
    const limit = Math.max(1, options.workers) * IN_FLIGHT_PER_WORKER;
    let lastReport = 0;
    for (let i = 0; i < todo.length; i += BATCH) {
      while (inFlight.size >= limit) await Promise.race(inFlight);
      const p = pool.run({ type: 'verify', sha256s: todo.slice(i, i + BATCH), asOf: options.asOf.toISOString() }).then(async (outcomes) => {
        const records: VerificationRecord[] = [];
        const failures = emptyBatch();
        for (const o of outcomes) {
          if (!o.verification) {
            progress.failed++;
            const path = (await c.store.item(o.sha256))?.paths[0] ?? o.sha256;
            failures.errors.push({ path, sha256: o.sha256, code: 'verify-failed', message: `The message could not be verified: ${o.error}.` });
            continue;
          }
          records.push(toRecord(o));
          progress.byVerdict[o.verification.verdict] = (progress.byVerdict[o.verification.verdict] ?? 0) + 1;
        }
        await c.store.writeVerifications(records);
        if (failures.errors.length > 0) await c.store.write(failures);
        progress.done += outcomes.length;
        const now = Date.now();
        if (now - lastReport > 200) {
          lastReport = now;
          options.onProgress?.({ ...progress, elapsedMs: now - started });
        }
      });
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  progress.elapsedMs = Date.now() - started;
  options.onProgress?.(progress);
  return progress;
}
