/**
 * Reads PDFs in a thread of their own (pdf-thread.ts), one document at a time, so that what pdf.js
 * does on a hostile file stays there: a document that takes longer than MAX_PDF_SECONDS or needs
 * more than PDF_THREAD_MEMORY_MB of memory ends with the thread, which is replaced, and becomes an
 * ExtractError; rejections that pdf.js leaves unhandled, and the globals it installs (DOMMatrix,
 * navigator), never reach the ingest worker. The thread starts with the first PDF and does not keep
 * the process alive when idle.
 *
 * Memory is watched from here because the worker's heap limit does not cover array buffers, where
 * pdf.js puts decoded streams: a 1 MB PDF whose content stream inflates to 1 GB (measured: 2.9 GB
 * of RSS, 13 s) would otherwise pass any heap limit.
 */
import { Worker } from 'node:worker_threads';
import type { ExtractedDocument } from '../extract-document.ts';
import { ExtractError } from '../extract-document.ts';
import type { PdfThreadAnswer } from './pdf-thread.ts';

/** One PDF may take this long in all (opening included) before its thread is stopped. */
export const MAX_PDF_SECONDS = 120;
/** Old-generation heap of the PDF thread. */
export const PDF_THREAD_HEAP_MB = 512;
/** Heap plus array buffers of the PDF thread; a document needing more (an inflation bomb) is refused. */
export const PDF_THREAD_MEMORY_MB = 1024;
/** How often the PDF thread's memory is looked at while it reads. */
const MEMORY_POLL_MS = 100;

/** Limits of one reading; the defaults are MAX_PDF_SECONDS and PDF_THREAD_MEMORY_MB. */
export interface PdfLimits {
  seconds: number;
  memoryMb: number;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  limits: PdfLimits;
  resolve: (doc: ExtractedDocument) => void;
  reject: (err: ExtractError) => void;
}

let thread: Worker | null = null;
let current: Job | null = null;
let timer: NodeJS.Timeout | null = null;
let watch: NodeJS.Timeout | null = null;
const queue: Job[] = [];
let nextId = 0;

const tooMuchMemory = (mb: number): string => `reading the PDF needed more than ${mb} MB of memory (PDF_THREAD_MEMORY_MB): refused as an inflation bomb`;

function finish(job: Job, outcome: { result: ExtractedDocument } | { error: string }): void {
  if (timer) clearTimeout(timer);
  if (watch) clearInterval(watch);
  timer = null;
  watch = null;
  current = null;
  if ('result' in outcome) job.resolve(outcome.result);
  else job.reject(new ExtractError(outcome.error));
  startNext();
}

/** Stops the thread after a failure of its own: the job it held fails, the next job gets a new thread. */
function discardThread(reason: string): void {
  const dead = thread;
  thread = null;
  void dead?.terminate();
  if (current) finish(current, { error: reason });
}

function spawn(): Worker {
  const worker = new Worker(new URL('./pdf-thread.ts', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: PDF_THREAD_HEAP_MB },
  });
  worker.on('message', (answer: PdfThreadAnswer) => {
    if (worker !== thread || !current || answer.id !== current.id) return;
    finish(current, 'result' in answer ? { result: answer.result } : { error: answer.error });
  });
  worker.on('error', (err: Error & { code?: string }) => {
    if (worker !== thread) return;
    discardThread(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooMuchMemory(PDF_THREAD_HEAP_MB) : `the PDF reader failed (${err.message})`);
  });
  worker.on('exit', (code) => {
    if (worker === thread) discardThread(`the PDF reader stopped (exit code ${code})`);
  });
  return worker;
}

function startNext(): void {
  if (current) return;
  const job = queue.shift();
  if (!job) {
    thread?.unref();
    return;
  }
  current = job;
  try {
    thread ??= spawn();
  } catch (err) {
    finish(job, { error: `the PDF reader could not start (${(err as Error).message})` });
    return;
  }
  thread.ref();
  const { seconds, memoryMb } = job.limits;
  timer = setTimeout(() => discardThread(`the PDF took more than ${seconds} s (MAX_PDF_SECONDS) to read`), seconds * 1000);
  const watched = thread;
  watch = setInterval(() => {
    watched.getHeapStatistics().then(
      (h) => {
        if (watched === thread && h.used_heap_size + h.external_memory > memoryMb * 1024 * 1024) discardThread(tooMuchMemory(memoryMb));
      },
      // The thread ended between two looks: its own events report why.
      () => {},
    );
  }, MEMORY_POLL_MS);
  watch.unref();
  // A copy: the caller keeps its bytes, the thread gets its own buffer by transfer.
  const copy = new Uint8Array(job.bytes);
  thread.postMessage({ id: job.id, bytes: copy }, [copy.buffer]);
}

const DEFAULT_LIMITS: PdfLimits = { seconds: MAX_PDF_SECONDS, memoryMb: PDF_THREAD_MEMORY_MB };

/** A PDF's text layer and Info metadata (see pdf-text.ts); every failure is an ExtractError. */
export function readPdf(bytes: Uint8Array, limits: PdfLimits = DEFAULT_LIMITS): Promise<ExtractedDocument> {
  if (!(limits.seconds > 0 && limits.memoryMb > 0)) throw new RangeError('PDF limits must be positive');
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, bytes, limits, resolve, reject });
    startNext();
  });
}
