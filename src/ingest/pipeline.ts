/**
 * Ingest orchestration (main thread): walk the sources, send item bytes to the worker pool, read
 * archives and mailboxes from their stored blobs, and commit results in batches.
 *
 * Crash safety: every record is idempotent (keyed by SHA-256 and placement), blobs are renamed into
 * place, and a container's read position is committed in the same transaction as the items before
 * it. A killed run, run again, skips finished sources, resumes unfinished containers from their last
 * checkpoint, and ends with every item exactly once.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync, type Dirent } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { ItemError } from '../extract/format.ts';
import { detectFormat } from '../extract/registry.ts';
import { isZipMagic } from '../extract/zip.ts';
import { isMaildir, MAILDIR_SUBDIRS, parseMaildirName } from '../sources/maildir.ts';
import { readMbox } from '../sources/mbox.ts';
import { describeZipOpenError, readZip, type ZipEntry } from '../sources/zip.ts';
import { salvageZip } from '../sources/zip-salvage.ts';
import type { BlobStore } from '../store/blob-store.ts';
import type { Case } from '../store/case-dir.ts';
import { emptyBatch, mergeBatch, type ItemRecord, type PendingContainer, type WriteBatch } from '../store/store.ts';
import { IN_MEMORY_ITEM_BYTES, MAX_NESTING_DEPTH } from './limits.ts';
import type { BufferJob, JobResult } from './process-buffer.ts';
import { transferable, WorkerPool } from './worker-pool.ts';

/** Commit at least this often, so a kill loses little work and progress is visible to readers. */
const FLUSH_INTERVAL_MS = 500;
const FLUSH_ITEMS = 5000;
/** Jobs and bytes in flight to the workers: bounds memory whatever the trove's size. */
const MAX_JOBS_IN_FLIGHT = 32;
const MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

export interface IngestProgress {
  items: number;
  emails: number;
  errors: number;
  /** Bytes of the given sources consumed so far, and their total (for the ETA). */
  sourceBytes: number;
  totalBytes: number;
  /** Bytes of items processed, nested ones included. */
  itemBytes: number;
  elapsedMs: number;
  current: string;
}

export interface IngestOptions {
  workers: number;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestResult extends IngestProgress {
  sources: number;
  skippedSources: number;
  /** Conversations among the case's emails, after this run. */
  threads: number;
}

/** Top-level containers (`root`) advance the source-bytes progress as they are read. */
type ContainerTask = PendingContainer;

/** Remembers, in order, which children of a container are finished, to commit a safe resume point. */
class OrderedCheckpoint {
  readonly #done: boolean[] = [];
  readonly #marks: { offset: number; index: number }[] = [];
  #next = 0;
  readonly sha256: string;
  constructor(sha256: string) {
    this.sha256 = sha256;
  }
  /** Reserves a slot; `offset`/`index` is the resume point once this child and all before it are done. */
  add(offset: number, index: number): number {
    this.#done.push(false);
    this.#marks.push({ offset, index });
    return this.#done.length - 1;
  }
  /** Marks a slot done; returns the newest safe resume point, if it moved. */
  finish(slot: number): { offset: number; index: number } | null {
    this.#done[slot] = true;
    let moved = false;
    while (this.#next < this.#done.length && this.#done[this.#next]) {
      this.#next++;
      moved = true;
    }
    return moved ? this.#marks[this.#next - 1]! : null;
  }
}

export class Ingest {
  readonly #case: Case;
  readonly #pool: WorkerPool;
  readonly #opts: IngestOptions;
  #batch: WriteBatch = emptyBatch();
  #lastFlush = Date.now();
  readonly #inFlight = new Set<Promise<void>>();
  #bytesInFlight = 0;
  readonly #started = Date.now();
  readonly #progress: IngestProgress = { items: 0, emails: 0, errors: 0, sourceBytes: 0, totalBytes: 0, itemBytes: 0, elapsedMs: 0, current: '' };
  #sources = 0;
  #skipped = 0;
  #lastReport = 0;

  constructor(c: Case, opts: IngestOptions) {
    this.#case = c;
    this.#opts = opts;
    this.#pool = new WorkerPool(opts.workers, c.blobs);
  }

  get #blobs(): BlobStore {
    return this.#case.blobs;
  }

  async run(inputs: string[]): Promise<IngestResult> {
    this.#blobs.cleanTemporary();
    try {
      const roots = inputs.map((p) => resolve(p));
      for (const root of roots) this.#progress.totalBytes += await totalSize(root);
      // Containers left unfinished by a killed run are finished first, from their checkpoints.
      await this.#drainContainers();
      for (const root of roots) await this.#walk(root, basename(root), false);
      await this.#settle();
      await this.#drainContainers();
      this.#report(true);
      // A corpus pass: a new message can join, or start, any conversation of the case.
      const threads = await this.#case.store.rethread();
      return { ...this.#progress, sources: this.#sources, skippedSources: this.#skipped, threads: threads.threads };
    } finally {
      await this.#pool.close();
    }
  }

  // ---- sources -------------------------------------------------------------------------------

  async #walk(fsPath: string, display: string, inMaildir: boolean): Promise<void> {
    let st;
    try {
      st = await lstat(fsPath);
    } catch (err) {
      this.#error(display, null, { code: 'unreadable', message: `Cannot read this path: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.` });
      return;
    }
    if (st.isDirectory()) await this.#directory(fsPath, display, inMaildir);
    else await this.#entry(fsPath, display, inMaildir, st.isFile(), st.isSymbolicLink());
  }

  async #directory(fsPath: string, display: string, inMaildir: boolean): Promise<void> {
    let entries: Dirent[];
    try {
      entries = (await readdir(fsPath, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (err) {
      this.#error(display, null, { code: 'unreadable', message: `Cannot list this directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.` });
      return;
    }
    // Files under a maildir's cur/, new/ and tmp/ are emails whatever their names.
    const maildir = isMaildir(entries.map((e) => e.name));
    for (const e of entries) {
      const sub = inMaildir || (maildir && (MAILDIR_SUBDIRS as readonly string[]).includes(e.name));
      const child = join(fsPath, e.name);
      if (e.isDirectory()) await this.#directory(child, `${display}/${e.name}`, sub);
      else await this.#entry(child, `${display}/${e.name}`, sub, e.isFile(), e.isSymbolicLink());
    }
  }

  async #entry(fsPath: string, display: string, inMaildir: boolean, isFile: boolean, isLink: boolean): Promise<void> {
    if (isLink) {
      this.#error(display, null, { code: 'symlink', message: 'A symbolic link: not followed, so that the walk never leaves the given sources.' });
    } else if (!isFile) {
      this.#error(display, null, { code: 'not-a-file', message: 'Not a regular file (a device, socket or pipe): skipped.' });
    } else {
      await this.#file(fsPath, display, inMaildir);
    }
  }

  async #file(fsPath: string, display: string, inMaildir: boolean): Promise<void> {
    this.#sources++;
    this.#progress.current = display;
    // One open, fstat and read for a small file: the common case in a maildir of many thousands.
    let fd: number;
    let size: number;
    let mtimeMs: number;
    try {
      fd = openSync(fsPath, 'r');
      const st = fstatSync(fd);
      size = st.size;
      mtimeMs = st.mtimeMs;
    } catch (err) {
      this.#error(display, null, { code: 'unreadable', message: `Cannot read this file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.` });
      return;
    }
    const store = this.#case.store;
    const known = await store.source(fsPath);
    if (known && known.size === size && known.mtimeMs === mtimeMs && (await store.itemStatus(known.sha256)) !== null) {
      // Hashed by an earlier run: record this placement (idempotent) without reading the file again.
      closeSync(fd);
      this.#skipped++;
      this.#batch.placements.push({ sha256: known.sha256, parent: null, name: display });
      this.#progress.sourceBytes += size;
      this.#maybeFlush();
      return;
    }
    const notes = inMaildir ? maildirNotes(basename(fsPath)) : null;
    if (size <= IN_MEMORY_ITEM_BYTES) {
      let bytes: Buffer;
      try {
        bytes = Buffer.allocUnsafeSlow(size);
        let got = 0;
        while (got < size) {
          const n = readSync(fd, bytes, got, size - got, got);
          if (n === 0) break;
          got += n;
        }
        if (got < size) bytes = bytes.subarray(0, got);
      } catch (err) {
        this.#error(display, null, { code: 'unreadable', message: `Cannot read this file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.` });
        return;
      } finally {
        closeSync(fd);
      }
      const job: BufferJob = { bytes, name: display, parent: null, path: display, carried: false, depth: 0, notes, expectEmail: inMaildir };
      await this.#submit(job, (r) => {
        this.#batch.sources.push({ fsPath, size, mtimeMs, sha256: r.sha256 });
        // A top-level archive or mailbox counts as it is read, not when it is stored.
        if (!r.containers.some((c) => c.root)) this.#progress.sourceBytes += size;
      });
      return;
    }
    closeSync(fd);
    try {
      const stream = createReadStream(fsPath, { highWaterMark: 1024 * 1024 });
      const stored = await this.#storeStream(stream, display, null, display, false, 0, notes);
      this.#batch.sources.push({ fsPath, size, mtimeMs, sha256: stored.sha256 });
      if (!stored.container) this.#progress.sourceBytes += size;
    } catch (err) {
      this.#error(display, null, { code: 'unreadable', message: `Cannot read this file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.` });
      this.#progress.sourceBytes += size;
    }
    this.#maybeFlush();
  }

  /** Stores a large item by streaming; returns its SHA-256. Emails among them are parsed from the blob. */
  async #storeStream(
    stream: Readable, name: string, parent: string | null, path: string, carried: boolean, depth: number,
    notes: Record<string, unknown> | null,
  ): Promise<{ sha256: string; container: boolean }> {
    const { sha256, size, head } = await this.#blobs.putStream(stream, 4096);
    const format = detectFormat(head, name.slice(name.lastIndexOf('/') + 1));
    if (format.class === 'email') {
      const bytes = await readFile(this.#blobs.pathOf(sha256));
      await this.#submit({ bytes, sha256, name, parent, path, carried, depth, notes }, () => undefined);
      return { sha256, container: false };
    }
    const item: ItemRecord = { sha256, size, format: format.name, formatClass: format.class, carriedByEmail: carried, depth, error: null, notes };
    this.#batch.items.push(item);
    this.#batch.placements.push({ sha256, parent, name });
    this.#progress.items++;
    this.#progress.itemBytes += size;
    if (format.class === 'container' && depth > MAX_NESTING_DEPTH) {
      item.error = this.#error(path, sha256, { code: 'too-deep', message: `Nested more than ${MAX_NESTING_DEPTH} levels deep (MAX_NESTING_DEPTH): stored but not opened.` });
      this.#batch.done.push(sha256);
    } else if (format.class !== 'container') {
      this.#batch.done.push(sha256);
    }
    return { sha256, container: format.class === 'container' };
  }

  // ---- containers ----------------------------------------------------------------------------

  /** Reads every container that is not finished yet, until none is left (containers nest). */
  async #drainContainers(): Promise<void> {
    const attempted = new Set<string>();
    for (;;) {
      await this.#settle();
      this.#flush();
      const pending = (await this.#case.store.pendingContainers()).filter((c) => !attempted.has(c.sha256));
      if (pending.length === 0) return;
      for (const c of pending) {
        attempted.add(c.sha256);
        await this.#container(c);
      }
    }
  }

  async #container(task: ContainerTask): Promise<void> {
    this.#progress.current = task.path;
    const checkpoint = await this.#case.store.checkpoint(task.sha256);
    const ordered = new OrderedCheckpoint(task.sha256);
    const blobPath = this.#blobs.pathOf(task.sha256);
    let failure: ItemError | null = null;
    try {
      if (task.format === 'mbox') await this.#mbox(task, blobPath, ordered, checkpoint);
      else if (task.format === 'zip') failure = await this.#zip(task, blobPath, ordered, checkpoint);
      else failure = { code: 'unsupported-container', message: `trove cannot open ${task.format} containers yet.` };
    } catch (err) {
      failure = { code: 'container-failed', message: `Reading stopped part-way: ${(err as Error).message}. Entries read before that are kept.` };
    }
    await this.#settle();
    if (failure) {
      this.#error(task.path, task.sha256, failure);
      this.#batch.failures.push({ sha256: task.sha256, error: failure });
    }
    this.#batch.done.push(task.sha256);
    this.#flush();
  }

  async #mbox(task: ContainerTask, blobPath: string, ordered: OrderedCheckpoint, from: { offset: number; index: number } | null): Promise<void> {
    let lastOffset = from?.offset ?? 0;
    // The checkpoint holds the last finished message's index; reading resumes with the next one.
    for await (const msg of readMbox(blobPath, { startOffset: from?.offset ?? 0, startIndex: (from?.index ?? 0) + 1 })) {
      const slot = ordered.add(msg.endOffset, msg.index);
      const label = msg.preamble ? '#preamble' : `#${msg.index}`;
      const path = `${task.path}${label}`;
      if (msg.tooLarge) {
        this.#error(path, null, { code: 'too-large', message: `The message is ${msg.tooLarge.size} bytes, over the mbox message limit: skipped.` });
        this.#checkpointed(ordered, slot);
        continue;
      }
      const notes: Record<string, unknown> = { mboxFromLine: msg.fromLine };
      if (msg.unquoted > 0) notes.mboxUnquoted = msg.unquoted;
      const job: BufferJob = { bytes: msg.bytes, name: label, parent: task.sha256, path, carried: task.carried, depth: task.depth + 1, notes, expectEmail: !msg.preamble };
      await this.#submit(job, () => this.#checkpointed(ordered, slot), () => this.#checkpointed(ordered, slot));
      if (task.root) {
        this.#progress.sourceBytes += msg.endOffset - lastOffset;
        lastOffset = msg.endOffset;
      }
    }
  }

  async #zip(task: ContainerTask, blobPath: string, ordered: OrderedCheckpoint, from: { offset: number; index: number } | null): Promise<ItemError | null> {
    const entries = readZip(blobPath, from?.offset ?? 0);
    try {
      // Open eagerly so that an unreadable archive is reported as such.
      const first = await entries.next();
      if (first.done) return null;
      await this.#zipEntry(task, first.value, ordered);
    } catch (err) {
      const head = Buffer.alloc(4);
      const fd = openSync(blobPath, 'r');
      readSync(fd, head, 0, 4, 0);
      closeSync(fd);
      const failure = describeZipOpenError(err as Error, isZipMagic(head));
      if (failure.code !== 'truncated-archive') return failure;
      let recovered = 0;
      for await (const entry of salvageZip(blobPath, from?.offset ?? 0)) {
        await this.#zipEntry(task, entry, ordered);
        if (!entry.refused) recovered++;
      }
      return { code: failure.code, message: `${failure.message} ${recovered} entr${recovered === 1 ? 'y was' : 'ies were'} recovered from their local headers (marked "salvaged").` };
    }
    for await (const entry of entries) await this.#zipEntry(task, entry, ordered);
    return null;
  }

  async #zipEntry(task: ContainerTask, entry: ZipEntry, ordered: OrderedCheckpoint): Promise<void> {
    const slot = ordered.add(entry.index + 1, entry.index + 1);
    if (task.root) this.#progress.sourceBytes += entry.compressedSize;
    const path = `${task.path}/${entry.name}`;
    const name = `/${entry.name}`;
    if (entry.refused) {
      this.#error(path, null, entry.refused);
      this.#checkpointed(ordered, slot);
      return;
    }
    const notes: Record<string, unknown> | null = entry.modified ? { zipModified: entry.modified } : entry.salvaged ? {} : null;
    if (entry.salvaged && notes) notes.salvaged = true;
    try {
      const stream = await entry.open();
      if (entry.uncompressedSize <= IN_MEMORY_ITEM_BYTES) {
        const chunks: Buffer[] = [];
        for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
        const job: BufferJob = { bytes: Buffer.concat(chunks), name, parent: task.sha256, path, carried: task.carried, depth: task.depth + 1, notes };
        await this.#submit(job, () => this.#checkpointed(ordered, slot), () => this.#checkpointed(ordered, slot));
      } else {
        await this.#storeStream(stream, name, task.sha256, path, task.carried, task.depth + 1, notes);
        this.#checkpointed(ordered, slot);
      }
    } catch (err) {
      const m = (err as Error).message;
      const code = /too many bytes|too few bytes|invalid|unexpected end|crc/i.test(m) ? 'corrupt-entry' : 'unreadable';
      this.#error(path, null, { code, message: `The archive entry could not be extracted: ${m}.` });
      this.#checkpointed(ordered, slot);
    }
  }

  #checkpointed(ordered: OrderedCheckpoint, slot: number): void {
    const mark = ordered.finish(slot);
    if (mark) this.#batch.checkpoints.push({ sha256: ordered.sha256, offset: mark.offset, index: mark.index });
  }

  // ---- jobs and batches ----------------------------------------------------------------------

  /** Sends a job to the pool, waiting while too much is in flight. `onDone` runs before the result is batched. */
  async #submit(job: BufferJob, onDone: (r: JobResult) => void, onFail?: () => void): Promise<void> {
    while (this.#inFlight.size >= MAX_JOBS_IN_FLIGHT || (this.#bytesInFlight > MAX_BYTES_IN_FLIGHT && this.#inFlight.size > 0)) {
      await Promise.race(this.#inFlight);
    }
    const size = job.bytes.length;
    this.#bytesInFlight += size;
    const { bytes, transfer } = transferable(job.bytes);
    const p = this.#pool.run({ type: 'ingest', job: { ...job, bytes } }, transfer).then(
      (r) => {
        mergeBatch(this.#batch, r.batch);
        this.#progress.items += r.items;
        this.#progress.emails += r.emails;
        this.#progress.errors += r.errors;
        this.#progress.itemBytes += r.bytes;
        onDone(r);
      },
      (err: Error) => {
        this.#error(job.path, job.sha256 ?? null, { code: 'worker-failed', message: `Processing failed: ${err.message}.` });
        onFail?.();
      },
    ).finally(() => {
      this.#bytesInFlight -= size;
      this.#inFlight.delete(p);
      this.#maybeFlush();
    });
    this.#inFlight.add(p);
  }

  async #settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
  }

  #error(path: string, sha256: string | null, error: ItemError): ItemError {
    this.#batch.errors.push({ path, sha256, code: error.code, message: error.message });
    this.#progress.errors++;
    return error;
  }

  #maybeFlush(): void {
    const b = this.#batch;
    const n = b.items.length + b.placements.length + b.errors.length;
    if (n >= FLUSH_ITEMS || Date.now() - this.#lastFlush >= FLUSH_INTERVAL_MS) this.#flush();
    this.#report(false);
  }

  #flush(): void {
    const b = this.#batch;
    this.#batch = emptyBatch();
    this.#lastFlush = Date.now();
    this.#case.store.writeSync(b);
  }

  #report(final: boolean): void {
    const now = Date.now();
    if (!final && now - this.#lastReport < 200) return;
    this.#lastReport = now;
    this.#progress.elapsedMs = now - this.#started;
    this.#opts.onProgress?.({ ...this.#progress });
  }
}

function maildirNotes(fileName: string): Record<string, unknown> | null {
  const { flags } = parseMaildirName(fileName);
  return flags.length > 0 ? { maildirFlags: flags } : null;
}

async function totalSize(path: string): Promise<number> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return 0;
  }
  if (st.isFile()) return st.size;
  if (!st.isDirectory()) return 0;
  const entries = await readdir(path).catch(() => [] as string[]);
  let sum = 0;
  for (const e of entries) sum += await totalSize(join(path, e));
  return sum;
}
