/**
 * `trove keys recover` without the command line: which selectors of a case can have their key
 * recovered, the recoveries themselves on worker threads (one selector per worker, as many workers
 * as asked), and each recovered key stored the moment it is confirmed.
 *
 * Crash and Ctrl-C safety: a worker writes nothing; the main thread first forgets the verifications
 * the new key affects, then stores the key (each one transaction). Stopped between the two, the
 * emails are simply verified again without it; stopped after, `trove verify` checks them with it.
 * An interrupted recovery leaves no trace.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { RecoveryProgress, RecoveryResult } from '../dkim/recover-key.ts';
import { RECOVERED_KEY_SOURCE } from '../dkim/verdict.ts';
import type { Case } from '../store/case-dir.ts';
import { idOf, type Store, type StoredKey } from '../store/store.ts';
import type { RecoverJob, RecoverWorkerMessage } from './recover-worker.ts';

/** A selector to recover, with the messages that carry its signatures. */
export interface SelectorPlan {
  domain: string;
  selector: string;
  messages: string[];
}

export interface RecoveryPlan {
  /** Selectors without a key that sign at least two messages. */
  recover: SelectorPlan[];
  /** Selectors without a key that sign one message only: nothing to pair it with. */
  single: SelectorPlan[];
}

/** Every (domain, selector) that signs something in the case and has no key in the store. */
export async function planRecovery(store: Store): Promise<RecoveryPlan> {
  const keyed = new Set((await store.allKeys()).map((k) => `${k.domain}|${k.selector}`));
  const plan: RecoveryPlan = { recover: [], single: [] };
  for (const s of await store.signers()) {
    if (keyed.has(`${s.domain}|${s.selector}`)) continue;
    const messages = await store.messagesSignedBy(s.domain, s.selector);
    (messages.length >= 2 ? plan.recover : plan.single).push({ domain: s.domain, selector: s.selector, messages });
  }
  return plan;
}

/**
 * A recovered key's id: distinct from the id the same key gets when imported from a dated source, so
 * that a later import adds a key of its own (and upgrades the verdicts) instead of merging into this one.
 */
export function recoveredKeyId(domain: string, selector: string, p: string): string {
  return createHash('sha256').update(`${domain}\0${selector}\0${RECOVERED_KEY_SOURCE}\0${p}`).digest('hex').slice(0, 16);
}

/** The key-store record of a recovered key; `source` names the messages it was computed from. */
export function recoveredStoredKey(result: Extract<RecoveryResult, { ok: true }>, now: Date): StoredKey {
  return {
    id: recoveredKeyId(result.domain, result.selector, result.key.p),
    domain: result.domain,
    selector: result.selector,
    record: result.key.record,
    sourceKind: RECOVERED_KEY_SOURCE,
    source: `${result.used.length} signatures: ${result.used.map(idOf).join(', ')}`,
    firstSeen: null,
    lastSeen: null,
    importedAt: now.toISOString(),
  };
}

export type SelectorOutcome =
  | { plan: SelectorPlan; state: 'done'; result: RecoveryResult; keyId: string | null; elapsedMs: number }
  | { plan: SelectorPlan; state: 'failed'; error: string; elapsedMs: number }
  | { plan: SelectorPlan; state: 'not-started' | 'cancelled'; elapsedMs: number };

export interface CaseRecoveryProgress {
  /** Selectors finished (recovered or not), of `total`. */
  done: number;
  total: number;
  /** What each running worker is doing. */
  running: { plan: SelectorPlan; progress: RecoveryProgress | null; startedMs: number; phaseStartedMs: number }[];
}

export interface RecoverCaseOptions {
  workers: number;
  asOf: Date;
  signal?: AbortSignal;
  onProgress?: (p: CaseRecoveryProgress) => void;
  /** Called when a selector is finished (for output as it happens). */
  onOutcome?: (o: SelectorOutcome) => void;
}

export interface CaseRecovery {
  outcomes: SelectorOutcome[];
  /** Keys stored by this run. */
  stored: StoredKey[];
  cancelled: boolean;
}

class Cancelled extends Error {}

function runWorker(job: RecoverJob, signal: AbortSignal | undefined, onProgress: (p: RecoveryProgress) => void): Promise<RecoveryResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./recover-worker.ts', import.meta.url), { workerData: job });
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      f();
    };
    const abort = (): void => {
      settle(() => reject(new Cancelled()));
      void worker.terminate();
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (m: RecoverWorkerMessage) => {
      if (m.type === 'progress') onProgress(m.progress);
      else settle(() => resolve(m.result));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the recovery worker stopped (exit code ${code})`))));
  });
}

/** Recovers every planned selector, storing each key as soon as it is confirmed. */
export async function recoverCase(c: Case, plans: SelectorPlan[], options: RecoverCaseOptions): Promise<CaseRecovery> {
  const outcomes: SelectorOutcome[] = plans.map((plan) => ({ plan, state: 'not-started', elapsedMs: 0 }));
  const recovery: CaseRecovery = { outcomes, stored: [], cancelled: false };
  const progress: CaseRecoveryProgress = { done: 0, total: plans.length, running: [] };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < plans.length && !options.signal?.aborted) {
      const index = next++;
      const plan = plans[index]!;
      const started = Date.now();
      const slot: CaseRecoveryProgress['running'][number] = { plan, progress: null, startedMs: started, phaseStartedMs: started };
      progress.running.push(slot);
      options.onProgress?.(progress);
      const job: RecoverJob = { blobsDir: c.blobs.root, domain: plan.domain, selector: plan.selector, messages: plan.messages, asOf: options.asOf.toISOString() };
      let outcome: SelectorOutcome;
      try {
        const result = await runWorker(job, options.signal, (p) => {
          if (p.phase !== slot.progress?.phase || p.attempt !== slot.progress.attempt) slot.phaseStartedMs = Date.now();
          slot.progress = p;
          options.onProgress?.(progress);
        });
        let keyId: string | null = null;
        if (result.ok) {
          const key = recoveredStoredKey(result, new Date());
          await c.store.invalidateVerifications([{ domain: key.domain, selector: key.selector }]);
          await c.store.putKeys([key]);
          recovery.stored.push(key);
          keyId = key.id;
        }
        outcome = { plan, state: 'done', result, keyId, elapsedMs: Date.now() - started };
      } catch (err) {
        if (err instanceof Cancelled) outcome = { plan, state: 'cancelled', elapsedMs: Date.now() - started };
        else outcome = { plan, state: 'failed', error: (err as Error).message, elapsedMs: Date.now() - started };
      }
      outcomes[index] = outcome;
      progress.running.splice(progress.running.indexOf(slot), 1);
      if (outcome.state !== 'cancelled') {
        progress.done++;
        options.onOutcome?.(outcome);
      }
      options.onProgress?.(progress);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, plans.length)) }, lane));
  recovery.cancelled = options.signal?.aborted ?? false;
  return recovery;
}
