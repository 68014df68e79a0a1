/**
 * A small pool of worker threads for the CPU-heavy part of ingest (hashing, MIME parsing). With
 * `size` 0 the work runs on the calling thread (tests, debugging). A worker that dies or exceeds
 * `MAX_JOB_SECONDS` fails only the jobs it held; it is replaced and the run goes on.
 */
import { Worker } from 'node:worker_threads';
import type { BlobStore } from '../store/blob-store.ts';
import { processBuffer, type BufferJob, type JobResult } from './process-buffer.ts';

/** A single item may take this long to parse before its worker is stopped and the item failed. */
export const MAX_JOB_SECONDS = 300;

interface Pending {
  resolve: (r: JobResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #blobs: BlobStore;
  #nextId = 0;
  #closed = false;

  constructor(size: number, blobs: BlobStore) {
    this.#blobs = blobs;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: { blobsDir: this.#blobs.root } });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (msg: { id: number; result?: JobResult; error?: string }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.result) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'worker failed'));
    });
    const die = (reason: string): void => {
      for (const p of slot.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(reason));
      }
      slot.pending.clear();
      if (!this.#closed) {
        const at = this.#slots.indexOf(slot);
        if (at >= 0) this.#slots[at] = this.#spawn();
      }
    };
    worker.on('error', (err) => die(`the worker crashed: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.#closed) die(`the worker exited (code ${code})`);
    });
    return slot;
  }

  get size(): number {
    return this.#slots.length;
  }

  async run(job: BufferJob): Promise<JobResult> {
    if (this.#slots.length === 0) return processBuffer(job, this.#blobs);
    let slot = this.#slots[0]!;
    for (const s of this.#slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.#nextId++;
    // Transfer instead of copy when the bytes own their whole buffer.
    const own = job.bytes.byteOffset === 0 && job.bytes.byteLength === job.bytes.buffer.byteLength && job.bytes.buffer instanceof ArrayBuffer;
    const bytes = own ? job.bytes : new Uint8Array(job.bytes);
    return new Promise<JobResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        const target = slot;
        void target.worker.terminate();
        reject(new Error(`parsing took longer than ${MAX_JOB_SECONDS} s (MAX_JOB_SECONDS)`));
      }, MAX_JOB_SECONDS * 1000);
      timer.unref();
      slot.pending.set(id, { resolve, reject, timer });
      slot.worker.postMessage({ id, job: { ...job, bytes } }, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
