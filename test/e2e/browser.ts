/**
 * What the browser tests share: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the web UI built when missing or older than its sources, and `trove serve` started as a
 * user starts it (the CLI, on a free port).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CLI, REPO } from '../support/case.ts';

export const CHROMIUM = process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or false when they can. */
export const SKIP_BROWSER: string | false = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set TROVE_CHROMIUM; .ci/run installs it`;

/** Flags for a quiet, reproducible headless Chromium that talks to nothing on its own. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile, removed when closed. */
export async function launchBrowser(viewport = { width: 1366, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'trove-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport, acceptDownloads: true });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const WEB = join(REPO, 'web');
const DIST_INDEX = join(WEB, 'dist', 'index.html');
/** Files whose change calls for a new build (the UI bundles src/server/verdict-words.ts). */
const SOURCES = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(WEB, 'public'), join(REPO, 'src', 'server', 'verdict-words.ts')];
const LOCK = join(WEB, '.build-lock');
/** A lock older than this was left by a killed build. */
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

/** Builds web/dist with Vite when it is missing or older than its sources (one build at a time across test files). */
export async function ensureWebBuild(): Promise<void> {
  const fresh = (): boolean => existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= Math.max(...SOURCES.map(newestMtime));
  if (fresh()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (fresh()) return;
    const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** `trove serve --case DIR --port 0`, as a child process; resolves with the URL it prints. */
export function serveCase(caseDir: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--case', caseDir, '--port', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`trove serve did not start in time:\n${out}\n${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!.replace(/\/$/, ''),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`trove serve exited with ${code}:\n${out}\n${err}`));
    });
  });
}
