/** A case is a directory: `case.db` (the index) and `blobs/` (the originals). */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CaseError } from '../errors.ts';
import { BlobStore } from './blob-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export const DEFAULT_CASE_DIR = 'trove-case';

export interface Case {
  dir: string;
  store: SqliteStore;
  blobs: BlobStore;
}

export function openCase(dir: string, options: { create: boolean }): Case {
  const abs = resolve(dir);
  if (existsSync(abs) && !statSync(abs).isDirectory()) {
    throw new CaseError('case-not-a-directory', `${abs} is a file, not a case directory: give --case a directory (it is created if missing).`);
  }
  const dbFile = join(abs, 'case.db');
  if (!options.create && !existsSync(dbFile)) {
    throw new CaseError('no-case', `No trove case at ${abs}. Run \`trove ingest PATH\` first, or pass --case DIR.`);
  }
  mkdirSync(abs, { recursive: true });
  return { dir: abs, store: new SqliteStore(dbFile), blobs: new BlobStore(join(abs, 'blobs')) };
}
