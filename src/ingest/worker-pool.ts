/**
 * A small pool of worker threads for the CPU-heavy work (hashing and MIME parsing at ingest, DKIM at
 * verification). With `size` 0 the work runs on the calling thread (tests, debugging). A worker that
 * dies or exceeds `MAX_JOB_SECONDS` fails only the jobs it held; it is replaced and the run goes on.
 */
import { Worker } from 'node:worker_threads';
import type { BlobStore } from '../store/blob-store.ts';
import { handleRequest, type WorkerRequest, type WorkerResponse } from './worker-tasks.ts';

/** A single job may take this long before its worker is stopped and the job failed. */
export const MAX_JOB_SECONDS = 300;
/**
 * Old-generation heap of a worker. V8 lets a busy heap grow far beyond its live data before
 * collecting; a cap keeps the whole process's memory flat however long the run. Large enough for
 * the largest email parsed in memory (MAX_EMAIL_PARSE_BYTES) with its decoded parts.
 */
export const WORKER_HEAP_MB = 1024;
export const WORKER_YOUNG_HEAP_MB = 16;

interface Pending {
  resolve: (r: unknown) => void;
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
  /** Requests every worker must have seen (the key snapshot), replayed to a replacement worker. */
  readonly #broadcasts: WorkerRequest[] = [];
  #nextId = 0;
  #closed = false;

  constructor(size: number, blobs: BlobStore) {
    this.#blobs = blobs;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      workerData: { blobsDir: this.#blobs.root },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_HEAP_MB },
    });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error === undefined) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
    const die = (reason: string): void => {
      for (const p of slot.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(reason));
      }
      slot.pending.clear();
      if (!this.#closed) {
        const at = this.#slots.indexOf(slot);
        if (at >= 0) {
          this.#slots[at] = this.#spawn();
          for (const b of this.#broadcasts) this.#slots[at]!.worker.postMessage({ id: -1, request: b });
        }
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

  /** Sends a request to the least busy worker (or runs it here when the pool has none). */
  async run<R extends WorkerRequest>(request: R, transfer: ArrayBuffer[] = []): Promise<WorkerResponse<R>> {
    if (this.#slots.length === 0) return handleRequest(request, this.#blobs);
    let slot = this.#slots[0]!;
    for (const s of this.#slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.#nextId++;
    return new Promise<WorkerResponse<R>>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the work took longer than ${MAX_JOB_SECONDS} s (MAX_JOB_SECONDS)`));
        void slot.worker.terminate();
      }, MAX_JOB_SECONDS * 1000);
      timer.unref();
      slot.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer });
      slot.worker.postMessage({ id, request }, transfer);
    });
  }

  /** Sends a request to every worker (and to the in-thread handler), for state such as the key snapshot. */
  broadcast(request: WorkerRequest): void {
    this.#broadcasts.push(request);
    if (this.#slots.length === 0) void handleRequest(request, this.#blobs);
    for (const s of this.#slots) s.worker.postMessage({ id: -1, request });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}

/** Bytes ready to be transferred to a worker: the whole backing buffer, copied when shared. */
export function transferable(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const b = own ? bytes : new Uint8Array(bytes);
  return { bytes: b, transfer: [b.buffer as ArrayBuffer] };
}
