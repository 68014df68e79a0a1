/**
 * The case read from worker threads, one read-only SQLite connection each. node:sqlite is
 * synchronous: in the server's own thread, one slow search would hold every other request (and
 * every static file) behind it, and one core would do all the work. Calls go to the least busy
 * worker; a worker that dies is replaced and its calls fail with an error, never hang.
 */
import { Worker } from 'node:worker_threads';
import type { QueryError } from '../search/query-parser.ts';
import { QuerySyntaxError, type SearchRequest, type TimelineUnit } from '../search/search-types.ts';
import { UserError } from '../errors.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { CaseReader } from './context.ts';

export type PoolCall =
  | { id: number; method: 'search'; args: [SearchRequest] }
  | { id: number; method: 'resolveId' | 'item' | 'text'; args: [string] }
  | { id: number; method: 'thread'; args: [string, number | undefined] }
  | { id: number; method: 'timeline'; args: [string, TimelineUnit] }
  | { id: number; method: 'correspondents'; args: [string, number] }
  | { id: number; method: 'stats'; args: [] };

export interface PoolReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { kind: 'query'; query: string; detail: QueryError; message: string } | { kind: 'user'; code: string; message: string } | { kind: 'internal'; message: string };
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

export class StorePool implements CaseReader {
  readonly #dbFile: string;
  readonly #slots: Slot[] = [];
  /** The thread's own connection, for what streams (a report walks every item). */
  readonly #local: SqliteStore;
  #next = 1;
  #closed = false;

  constructor(dbFile: string, size: number, local: SqliteStore) {
    this.#dbFile = dbFile;
    this.#local = local;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./store-worker.ts', import.meta.url), { workerData: { dbFile: this.#dbFile } });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: PoolReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(revive(reply.error!));
    });
    const fail = (err: Error): void => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      const i = this.#slots.indexOf(slot);
      if (i >= 0 && !this.#closed) this.#slots[i] = this.#spawn();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.#closed) fail(new Error(`a store worker stopped (exit code ${code})`));
    });
    return slot;
  }

  #call(method: PoolCall['method'], args: PoolCall['args']): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the store pool is closed'));
    const slot = this.#slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, method, args });
    });
  }

  search(request: SearchRequest): ReturnType<CaseReader['search']> {
    return this.#call('search', [request]) as ReturnType<CaseReader['search']>;
  }
  resolveId(id: string): ReturnType<CaseReader['resolveId']> {
    return this.#call('resolveId', [id]) as ReturnType<CaseReader['resolveId']>;
  }
  item(sha256: string): ReturnType<CaseReader['item']> {
    return this.#call('item', [sha256]) as ReturnType<CaseReader['item']>;
  }
  thread(sha256: string, limit?: number): ReturnType<CaseReader['thread']> {
    return this.#call('thread', [sha256, limit]) as ReturnType<CaseReader['thread']>;
  }
  timeline(query: string, unit: TimelineUnit): ReturnType<CaseReader['timeline']> {
    return this.#call('timeline', [query, unit]) as ReturnType<CaseReader['timeline']>;
  }
  correspondents(query: string, limit: number): ReturnType<CaseReader['correspondents']> {
    return this.#call('correspondents', [query, limit]) as ReturnType<CaseReader['correspondents']>;
  }
  stats(): ReturnType<CaseReader['stats']> {
    return this.#call('stats', []) as ReturnType<CaseReader['stats']>;
  }
  text(sha256: string): Promise<string | null> {
    return this.#call('text', [sha256]) as Promise<string | null>;
  }
  items(): ReturnType<CaseReader['items']> {
    return this.#local.items();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}

/** The error a worker reported, as the class the HTTP error mapping knows. */
function revive(e: NonNullable<PoolReply['error']>): Error {
  if (e.kind === 'query') return new QuerySyntaxError(e.query, e.detail);
  if (e.kind === 'user') return new UserError(e.code, e.message);
  return new Error(e.message);
}
