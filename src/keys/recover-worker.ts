/**
 * Worker thread entry for `trove keys recover`: recovers one selector's key (src/dkim/recover-key.ts)
 * off the main thread, posting progress as it goes and the result at the end. The gcd inside runs in
 * native GMP on a thread of its own, polled from here (or, without the addon, as one long WebAssembly
 * call); cancelling is `worker.terminate()`, which stops at once and leaves nothing behind (this
 * thread writes nothing).
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { recoverKey, type RecoveryProgress, type RecoveryResult } from '../dkim/recover-key.ts';
import { BlobStore } from '../store/blob-store.ts';

/** What the main thread gives a recovery worker. */
export interface RecoverJob {
  blobsDir: string;
  domain: string;
  selector: string;
  messages: string[];
  asOf: string;
}

export type RecoverWorkerMessage = { type: 'progress'; progress: RecoveryProgress } | { type: 'result'; result: RecoveryResult };

const job = workerData as RecoverJob;
const blobs = new BlobStore(job.blobsDir);
const post = (m: RecoverWorkerMessage): void => parentPort!.postMessage(m);

const result = await recoverKey({
  domain: job.domain,
  selector: job.selector,
  messages: job.messages,
  read: (sha256) => readFileSync(blobs.pathOf(sha256)),
  asOf: new Date(job.asOf),
  onProgress: (progress) => post({ type: 'progress', progress }),
});
post({ type: 'result', result });
