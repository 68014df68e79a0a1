/**
 * What the benchmarks share: where the repository is, fingerprints of the code and corpora they
 * measure, small process and shell helpers. Each benchmark keeps only what is its own.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';
import { CLK_TCK } from './machine-load.ts';

export const REPO = resolve(import.meta.dirname, '..');
/** The corpus generator's command (bench/generate.ts). */
export const GENERATOR = join(REPO, 'bench', 'generate.ts');

/** A `fail(message)` that prints `bench:NAME: message` and exits 1. */
export function failer(name: string): (message: string) => never {
  return (message) => {
    console.error(`bench:${name}: ${message}`);
    process.exit(1);
  };
}

/** The path of a command on PATH, or null. */
export function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (statSync(join(dir, cmd), { throwIfNoEntry: false })?.isFile()) return join(dir, cmd);
  }
  return null;
}

/** A file's bytes as latin1 text (a /proc file, a log), or null when it cannot be read. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** CPU seconds of this process and of its waited-for children (/proc/self/stat). */
export function selfCpu(): { own: number; children: number } {
  const text = readText('/proc/self/stat') ?? '';
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  // Fields after the comm start at field 3 (state): utime is field 14, cutime field 16.
  return { own: ((f[11] ?? 0) + (f[12] ?? 0)) / CLK_TCK, children: ((f[13] ?? 0) + (f[14] ?? 0)) / CLK_TCK };
}

/** 10 hex digits of SHA-256 over the files under `paths` (names relative to the repository, and bytes). */
export function treeHash(paths: string[]): string {
  const h = createHash('sha256');
  const visit = (p: string): void => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile()) h.update(relative(REPO, p)).update(readFileSync(p));
    else if (st?.isDirectory()) for (const name of readdirSync(p).sort()) visit(join(p, name));
  };
  for (const p of paths) visit(p);
  return h.digest('hex').slice(0, 10);
}

/** The generator's code (bench/generate.ts and its library): a changed generator makes a new corpus. */
export function generatorHash(): string {
  return treeHash([GENERATOR, join(REPO, 'test', 'support', 'generator')]);
}

/** Files and bytes under a directory. */
export function walkFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walkFiles(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.isFile()) {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

/** The message count from the first line of the generator's `manifest.jsonl`, if it says one. */
export function manifestCount(dir: string): number | null {
  const file = join(dir, 'manifest.jsonl');
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const header = JSON.parse(buf.subarray(0, n).toString('utf8').split('\n')[0]!) as Record<string, unknown>;
    // { type: 'header', counts: { messages, ... }, options: { messages, layout }, ... }
    for (const part of [header.counts, header.options, header]) {
      if (part && typeof part === 'object' && typeof (part as Record<string, unknown>).messages === 'number') return (part as Record<string, number>).messages!;
    }
  } catch {
    // not a header we understand
  } finally {
    closeSync(fd);
  }
  return null;
}
