/**
 * Starts the server on a case: opened once read-write to bring its schema up to date (the only
 * write, and only when an older trove made the case), then read-only for every request, so that no
 * request can change the case whatever a handler does.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { CaseError, UserError } from '../errors.ts';
import { openCase } from '../store/case-dir.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { createApp } from './app.ts';
import { OVERVIEW_PATHS } from './overview-api.ts';
import { StorePool } from './store-pool.ts';
import type { ServerContext } from './context.ts';
import { SqliteDocumentTexts } from './document-text.ts';
import { WEB_DIST, WebAssets } from './web-assets.ts';

export const DEFAULT_PORT = 4317;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_WORKERS = Math.min(4, availableParallelism());

export interface ServeOptions {
  caseDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built UI (web/dist by default). */
  webDir?: string;
  /** Threads reading the case (default: one per core, at most 4; 0: the server's own thread). */
  workers?: number;
  /** False: never open the case for writing, not even to bring its schema up to date. */
  migrate?: boolean;
  /** Search result pages kept for repeated requests (search-cache.ts; default SEARCH_CACHE_ENTRIES, 0: none). */
  searchCacheEntries?: number;
  /** False: do not compute the overview's aggregates at start (they are then computed on first view). */
  warmOverview?: boolean;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  caseDir: string;
  /** False when web/dist is missing: the API still answers, the UI says how to build it. */
  webBuilt: boolean;
  close(): Promise<void>;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * The case as the server reads it: the schema brought up to date once (unless `migrate` is false: a
 * case that must not be touched at all, such as another benchmark's), then read-only connections
 * only, in `workers` threads (0: in this thread).
 */
export async function openCaseReadOnly(caseDir: string, options: { workers?: number; migrate?: boolean } = {}): Promise<{ ctx: ServerContext; close: () => Promise<void> }> {
  const dir = resolve(caseDir);
  const dbFile = join(dir, 'case.db');
  if (options.migrate === false) {
    if (!existsSync(dbFile)) throw new CaseError('no-case', `No trove case at ${dir}.`);
  } else {
    await openCase(dir, { create: false }).store.close();
  }
  const blobs = join(dir, 'blobs');
  // BlobStore's layout (store/blob-store.ts), without its constructor: that one makes directories.
  const blobPath = (sha: string): string => join(blobs, sha.slice(0, 2), sha);
  const local = new SqliteStore(dbFile, { readOnly: true });
  const dataVersion = local.db.prepare('PRAGMA data_version');
  const generation = (): string => String((dataVersion.get() as { data_version: number }).data_version);
  const workers = options.workers ?? 0;
  if (workers <= 0) {
    const texts = new SqliteDocumentTexts(local.db);
    return { ctx: { store: local, text: async (sha) => texts.text(sha), blobPath, caseDir: dir, generation }, close: () => local.close() };
  }
  const pool = new StorePool(dbFile, workers, local);
  return {
    ctx: { store: pool, text: (sha) => pool.text(sha), blobPath, caseDir: dir, generation },
    close: async () => {
      await pool.close();
      await local.close();
    },
  };
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const { ctx, close } = await openCaseReadOnly(options.caseDir, { workers: options.workers ?? DEFAULT_WORKERS, migrate: options.migrate });
  const web = new WebAssets(options.webDir ?? WEB_DIST);
  web.load();

  let port = options.port ?? DEFAULT_PORT;
  const allowed = new Set<string>();
  const app = createApp(ctx, {
    web,
    searchCacheEntries: options.searchCacheEntries,
    // Loopback servers answer to their own names only (DNS rebinding); a server opened wider to any Host.
    allowedHosts: () => (isLoopback(host) ? allowed : null),
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      void close();
      if (err.code === 'EADDRINUSE') reject(new UserError('port-in-use', `Port ${port} on ${host} is in use: pick another with --port N (or --port 0 for any free port).`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new UserError('bad-host', `Cannot listen on ${host}: not an address of this machine.`));
      else if (err.code === 'EACCES') reject(new UserError('port-denied', `Not allowed to listen on port ${port}: pick one above 1023 with --port N.`));
      else reject(err);
    });
  });
  port = (server.address() as AddressInfo).port;
  for (const name of ['127.0.0.1', 'localhost', '[::1]', urlHost(host)]) allowed.add(`${name}:${port}`.toLowerCase());
  // The overview's whole-case aggregates take seconds to minutes on a large case: start them now, in
  // the background, so that they are ready when someone opens the overview (overview-api.ts keeps them).
  if (options.warmOverview !== false) {
    for (const path of OVERVIEW_PATHS) {
      void Promise.resolve(app.request(`http://127.0.0.1:${port}${path}`, { headers: { host: `127.0.0.1:${port}` } })).catch(() => undefined);
    }
  }

  return {
    url: `http://${urlHost(host)}:${port}/`,
    host,
    port,
    caseDir: ctx.caseDir,
    webBuilt: web.built,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          void close().then(resolve);
        });
        // Keep-alive connections would hold close() open: browsers keep them for minutes.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
