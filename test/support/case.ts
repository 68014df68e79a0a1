/** Helpers for tests that ingest into a real case on disk. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ingest, type IngestResult } from '../../src/ingest/pipeline.ts';
import { openCase, type Case } from '../../src/store/case-dir.ts';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'src', 'cli', 'main.ts');

/** A fresh directory removed when the test ends. */
export function tempDir(t: TestContext, prefix = 'trove-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (relative path -> content) under `root`. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

export async function ingestInto(caseDir: string, paths: string[], workers = 0): Promise<{ result: IngestResult; c: Case }> {
  const c = openCase(caseDir, { create: true });
  const result = await new Ingest(c, { workers }).run(paths);
  return { result, c };
}

/** Everything a case holds, in a canonical order, to compare two cases. */
export interface CaseSnapshot {
  items: unknown[];
  placements: unknown[];
  emails: unknown[];
  errors: unknown[];
}

export function snapshot(caseDir: string): CaseSnapshot {
  const db = new DatabaseSync(join(caseDir, 'case.db'), { readOnly: true });
  try {
    const q = (sql: string): unknown[] => db.prepare(sql).all().map((r) => JSON.stringify(r));
    return {
      items: q('SELECT sha256, size, format, class, carried, status, error_code FROM items ORDER BY sha256'),
      placements: q('SELECT sha256, parent, name FROM placements ORDER BY sha256, parent, name'),
      emails: q('SELECT sha256, message_id, subject, date FROM emails ORDER BY sha256'),
      errors: q('SELECT path, code FROM errors ORDER BY path, code'),
    };
  } finally {
    db.close();
  }
}

/** CRLF email text from lines. */
export function email(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the trove CLI in a child process with the repository's Node. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A zip of the given entries (made with yazl, deflated). */
export async function makeZip(entries: Record<string, string | Uint8Array>): Promise<Buffer> {
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name, { mtime: new Date('2017-05-05T12:00:00Z') });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
