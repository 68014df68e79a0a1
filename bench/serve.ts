/**
 * `npm run bench:serve`: the HTTP API of `trove serve` under load, and the web UI's first page load.
 *
 * - Load: autocannon with 20 concurrent connections (keep-alive) against a server in its own process
 *   opened strictly read-only on the largest case at hand: the 200,000-message case that
 *   `npm run bench:search` builds (bench/out/work/search/.../trove.case), else one of `--messages`
 *   emails built here. Request mixes, each as the UI sends them: search pages (a mix of queries of
 *   docs/search.md, page of 50 with facets), measured twice: each computed (a server with its search
 *   cache off and no ranking kept, TROVE_RANKINGS_KEPT=0) and as shipped (repeated pages answered from
 *   memory, rankings kept per connection); item pages (`/api/items/ID` of
 *   emails and attachments spread over the case) and thread panels (`/api/threads/THREAD`, one per
 *   conversation). Every response's latency
 *   is kept, so p50/p95/p99 are exact, not autocannon's buckets.
 * - First page load: Debian's Chromium (playwright-core) opening the UI on localhost, cold (fresh
 *   profile each time), with the browser's Navigation Timing and the time until the page shows its
 *   content (hits, the email, the overview's charts).
 *
 * Prints markdown tables and writes bench/out/serve-results.json. Waits for a quiet machine before
 * each measurement (machine-load.ts) and reports the other processes' CPU use it saw.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { chromium } from 'playwright-core';
import type { SearchResult } from '../src/server/api-types.ts';
import { OVERVIEW_PATHS } from '../src/server/overview-api.ts';
import { otherLoadPct, waitForQuiet } from './machine-load.ts';

const REPO = resolve(import.meta.dirname, '..');
const TROVE = join(REPO, 'src', 'cli', 'main.ts');
const OUT = join(REPO, 'bench', 'out');
const CHROMIUM = process.env.TROVE_CHROMIUM ?? '/usr/bin/chromium';
/** The issue's targets. */
const TARGET_P95_MS = 100;
const TARGET_LOAD_MS = 1000;
/** Hits per page, as the web UI asks for them. */
const UI_PAGE = 50;
/** Items and threads sampled for the item and thread mixes. */
const SAMPLE = 400;
/** Cold page loads per page measured (the median is reported). */
const LOADS = 5;

/** What the UI's search box sees: words, phrases, prefixes, fields, verdicts, dates, combinations (docs/search.md). */
const QUERIES = [
  'budget', 'meeting', 'contrat prestation', 'Condorcet', 'reunion', 'benevoles', 'oeuvres', '"ordre du jour"', '"data sharing agreement"',
  '"comite de pilotage"', 'budg*', 'factur*', 'facture OR invoice', 'budget -sonorisation', '(Lyon OR Marseille) deplacement',
  '"budget previsionnel"~3', 'sondage NEAR/5 resultats', 'from:helene.durand', 'from:"John Whitaker"', 'to:natarajan', 'participant:olga.smirnova',
  'subject:facture', 'subject:"revue de presse"', 'body:sonorisation', 'filename:budget*', 'type:pdf', 'domain:northwind.example',
  'verdict:body-modified', 'verdict:authentic', 'has:attachment', 'date:2016-03', 'date:2016-03-01..2016-04-15 sondage',
  'from:campagne-exemple.fr verdict:authentic date:2016-06..2016-09 "budget previsionnel"', 'verdict:unsigned budget', '',
];

interface Options {
  caseDir: string | null;
  messages: number;
  connections: number;
  seconds: number;
  warmup: number;
  quietWait: number;
  workers: number | null;
  serveOnly: boolean;
  pages: boolean;
  /** The server's search cache (entries; null: trove serve's own), for --serve-only. */
  searchCache: number | null;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      case: { type: 'string' },
      messages: { type: 'string', default: '20000' },
      connections: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      'quiet-wait': { type: 'string', default: '600' },
      workers: { type: 'string' },
      'serve-only': { type: 'boolean', default: false },
      'no-pages': { type: 'boolean', default: false },
      'search-cache': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`usage: npm run bench:serve -- [--case DIR] [--messages N] [--connections N] [--seconds S] [--warmup S] [--quiet-wait S] [--workers N]
  --case DIR       the case to load (opened read-only, never migrated); default: the largest
                   bench/out/work/search/*/trove.case, else one of --messages emails built in bench/out/work/serve/
  --messages N     emails of the case built when there is none (default 20000)
  --connections N  concurrent clients (default 20)
  --seconds S      measured seconds per mix (default 20), after --warmup S (default 5)
  --quiet-wait S   wait up to S seconds for other processes to leave the CPUs idle before each mix (default 600)
  --workers N      the server's store threads (default: trove serve's own)
  --no-pages       skip the page loads in Chromium`);
    process.exit(0);
  }
  const n = (v: string, name: string): number => {
    if (!/^\d+$/.test(v)) throw new Error(`--${name} takes a whole number, not "${v}"`);
    return Number(v);
  };
  return {
    caseDir: values.case ?? null,
    messages: n(values.messages, 'messages'),
    connections: n(values.connections, 'connections'),
    seconds: n(values.seconds, 'seconds'),
    warmup: n(values.warmup, 'warmup'),
    quietWait: n(values['quiet-wait'], 'quiet-wait'),
    workers: values.workers === undefined ? null : n(values.workers, 'workers'),
    serveOnly: values['serve-only'],
    pages: !values['no-pages'],
    searchCache: values['search-cache'] === undefined ? null : n(values['search-cache'], 'search-cache'),
  };
}

/** The largest case bench:search built (by database size), or null. */
function searchBenchCase(): string | null {
  const root = join(OUT, 'work', 'search');
  if (!existsSync(root)) return null;
  const cases = readdirSync(root)
    .map((d) => join(root, d, 'trove.case'))
    .filter((d) => existsSync(join(d, 'case.db')) && existsSync(join(d, '..', 'trove-build.json')))
    .sort((a, b) => statSync(join(b, 'case.db')).size - statSync(join(a, 'case.db')).size);
  return cases[0] ?? null;
}

/** A case of `messages` generated emails, built once under bench/out/work/serve/. */
function buildCase(messages: number): string {
  const work = join(OUT, 'work', 'serve', `n${messages}`);
  const caseDir = join(work, 'case');
  if (existsSync(join(work, '.complete'))) return caseDir;
  mkdirSync(work, { recursive: true });
  const run = (args: string[]): void => {
    console.log(`  $ node ${args.map((a) => relative(REPO, a) || a).join(' ')}`);
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: REPO });
    if (r.status !== 0 && r.status !== 2) throw new Error(`failed (exit ${r.status})`);
  };
  console.log(`Building a case of ${messages} emails in ${relative(REPO, work)} (once):`);
  run([join(REPO, 'bench', 'generate.ts'), join(work, 'corpus'), '--messages', String(messages), '--layout', 'maildir']);
  run([TROVE, 'ingest', join(work, 'corpus', 'Maildir'), '--case', caseDir, '--quiet', '--no-verify']);
  run([TROVE, 'keys', 'import', join(work, 'corpus', 'keys.zone'), '--case', caseDir]);
  run([TROVE, 'verify', '--case', caseDir]);
  writeFileSync(join(work, '.complete'), new Date().toISOString());
  return caseDir;
}

// ---- the server, in its own process ---------------------------------------------------------------

async function serveOnly(opts: Options): Promise<void> {
  const { startServer } = await import('../src/server/serve.ts');
  const s = await startServer({
    caseDir: opts.caseDir!,
    port: 0,
    migrate: false,
    ...(opts.workers === null ? {} : { workers: opts.workers }),
    ...(opts.searchCache === null ? {} : { searchCacheEntries: opts.searchCache }),
  });
  console.log(`serving at ${s.url}`);
  process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
}

/** `searchCache` 0: no search page kept by the server, and no ranking kept by its store connections. */
function startServerProcess(caseDir: string, workers: number | null, searchCache: number | null = null): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolvePromise, reject) => {
    const args = [
      join(REPO, 'bench', 'serve.ts'),
      '--serve-only',
      '--case',
      caseDir,
      ...(workers === null ? [] : ['--workers', String(workers)]),
      ...(searchCache === null ? [] : ['--search-cache', String(searchCache)]),
    ];
    const env = searchCache === 0 ? { ...process.env, TROVE_RANKINGS_KEPT: '0' } : process.env;
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) resolvePromise({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
  });
}

// ---- load -----------------------------------------------------------------------------------------

interface LoadResult {
  mix: string;
  requests: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  otherCpuPctBefore: number;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `paths` round robin (shared across connections, so they spread) for `seconds`; latencies of every response. */
function load(url: string, paths: string[], connections: number, seconds: number): Promise<{ latencies: number[]; errors: number; non2xx: number; requests: number }> {
  let next = 0;
  const latencies: number[] = [];
  let non2xx = 0;
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        // A slow answer is a measurement, not an error (autocannon's default gives up after 10 s).
        timeout: 120,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
      },
      (err, result) => {
        if (err) return fail(err);
        done({ latencies, errors: result.errors, non2xx, requests: latencies.length });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode > 299) non2xx++;
    });
  });
}

async function measureMix(url: string, mix: string, paths: string[], opts: Options): Promise<LoadResult> {
  console.log(`\n${mix}: ${paths.length} distinct requests, ${opts.connections} connections, ${opts.warmup} s warm-up then ${opts.seconds} s`);
  await waitForQuiet(opts.quietWait, 5);
  const other = await otherLoadPct(2);
  if (opts.warmup > 0) await load(url, paths, opts.connections, opts.warmup);
  const r = await load(url, paths, opts.connections, opts.seconds);
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const res: LoadResult = {
    mix,
    requests: r.requests,
    errors: r.errors,
    non2xx: r.non2xx,
    rps: Math.round((r.requests / opts.seconds) * 10) / 10,
    p50: round1(percentile(sorted, 50)),
    p95: round1(percentile(sorted, 95)),
    p99: round1(percentile(sorted, 99)),
    max: round1(sorted[sorted.length - 1] ?? NaN),
    mean: Math.round((sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)) * 10) / 10,
    otherCpuPctBefore: Math.round(other),
  };
  console.log(`  ${res.requests} responses (${res.rps}/s), p50 ${res.p50} ms, p95 ${res.p95} ms, p99 ${res.p99} ms, max ${res.max} ms; ${res.non2xx} not 2xx, ${res.errors} errors`);
  return res;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Hits spread over the case: `count` hits of `query`, taken at even offsets of its whole result. */
async function spreadHits(url: string, query: string, count: number): Promise<SearchResult['hits']> {
  const first = await getJson<SearchResult>(`${url}/api/search?q=${encodeURIComponent(query)}&limit=1&sort=oldest&facets=0`);
  const hits: SearchResult['hits'] = [];
  const step = Math.max(1, Math.floor(first.total / count));
  for (let offset = 0; offset < first.total && hits.length < count; offset += step) {
    const page = await getJson<SearchResult>(`${url}/api/search?q=${encodeURIComponent(query)}&limit=1&offset=${offset}&sort=oldest&facets=0`);
    if (page.hits[0]) hits.push(page.hits[0]);
  }
  return hits;
}

// ---- first page load -------------------------------------------------------------------------------

interface PageLoad {
  page: string;
  path: string;
  /** Median of LOADS cold loads, in ms from navigation start. */
  ttfb: number;
  domContentLoaded: number;
  load: number;
  /** Until the page shows what it is for (its main content). */
  contentShown: number;
  /** Until everything on it is drawn (the overview's graph), when that comes later. */
  complete: number | null;
}

async function pageLoads(url: string, pages: { page: string; path: string; ready: string; complete?: string }[]): Promise<PageLoad[]> {
  const out: PageLoad[] = [];
  const median = (xs: number[]): number => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  for (const p of pages) {
    const samples: { ttfb: number; dcl: number; load: number; shown: number; complete: number | null }[] = [];
    for (let i = 0; i < LOADS; i++) {
      // A fresh browser each time: nothing cached, as on first opening.
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(url + p.path, { waitUntil: 'load' });
        await page.locator(p.ready).first().waitFor({ timeout: 60_000 });
        const shown = await page.evaluate<number>('performance.now()');
        let complete: number | null = null;
        if (p.complete) {
          await page.locator(p.complete).first().waitFor({ timeout: 120_000 });
          complete = await page.evaluate<number>('performance.now()');
        }
        const nav = await page.evaluate<{ ttfb: number; dcl: number; load: number }>(
          '(() => { const n = performance.getEntriesByType("navigation")[0]; return { ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd }; })()',
        );
        samples.push({ ...nav, shown, complete });
      } finally {
        await browser.close();
      }
    }
    const r: PageLoad = {
      page: p.page,
      path: p.path,
      ttfb: median(samples.map((s) => s.ttfb)),
      domContentLoaded: median(samples.map((s) => s.dcl)),
      load: median(samples.map((s) => s.load)),
      contentShown: median(samples.map((s) => s.shown)),
      complete: p.complete ? median(samples.map((s) => s.complete!)) : null,
    };
    console.log(`  ${p.page}: first byte ${r.ttfb} ms, DOMContentLoaded ${r.domContentLoaded} ms, load ${r.load} ms, content shown ${r.contentShown} ms${r.complete === null ? '' : `, all drawn ${r.complete} ms`}`);
    out.push(r);
  }
  return out;
}

// ---- main -------------------------------------------------------------------------------------------

function mdTable(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

async function main(): Promise<void> {
  const opts = parseOptions();
  if (opts.serveOnly) return serveOnly(opts);
  const fromSearchBench = opts.caseDir === null ? searchBenchCase() : null;
  const caseDir = resolve(opts.caseDir ?? fromSearchBench ?? buildCase(opts.messages));
  console.log(`Case: ${relative(REPO, caseDir) || caseDir}${fromSearchBench ? ' (built by bench:search; opened read-only)' : ''}`);
  const { url, child } = await startServerProcess(caseDir, opts.workers);
  try {
    const all = await getJson<SearchResult>(`${url}/api/search?q=&limit=1&facets=1`);
    const emailCount = all.facets?.kind.find((k) => k.value === 'email')?.count ?? 0;
    console.log(`${all.total} items, ${emailCount} emails; server at ${url}`);

    // The overview's whole-case aggregates, which the server starts computing when it starts (and
    // keeps): waited for here, so that they neither share the CPUs with the mixes nor make the
    // overview's page load look like a first visit to a server just started (reported apart).
    const warm = performance.now();
    await Promise.all(OVERVIEW_PATHS.map((p) => getJson<unknown>(url + p)));
    const overviewWarmMs = Math.round(performance.now() - warm);
    console.log(`The overview's aggregates were ready ${(overviewWarmMs / 1000).toFixed(1)} s after the server started computing them.`);

    const searchPaths = QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}&limit=${UI_PAGE}`);
    const emails = await spreadHits(url, 'type:email', (SAMPLE * 3) / 4);
    const files = await spreadHits(url, 'type:attachment OR type:document', SAMPLE / 4);
    const emailIds = emails.map((h) => h.id);
    const itemPaths = [...emails, ...files].map((h) => `/api/items/${h.id}`);
    // As the email page asks: by thread id, one request per conversation.
    const threadPaths = [...new Set(emails.map((h) => h.thread).filter((t): t is string => t !== null))].map((t) => `/api/threads/${t}`);

    // Every search computed (the server's search cache off), then the server as shipped, where a
    // page asked again since the case last changed is answered from memory (search-cache.ts).
    const uncached = await startServerProcess(caseDir, opts.workers, 0);
    let computed: LoadResult;
    try {
      computed = await measureMix(uncached.url, 'search (each computed: caches off)', searchPaths, opts);
    } finally {
      uncached.child.kill('SIGTERM');
    }
    const results = [
      computed,
      await measureMix(url, 'search (as shipped: repeated pages cached)', searchPaths, opts),
      await measureMix(url, 'item', itemPaths, opts),
      await measureMix(url, 'thread', threadPaths, opts),
    ];

    let loads: PageLoad[] = [];
    if (!opts.pages) console.log('\nPage loads skipped (--no-pages).');
    else if (existsSync(CHROMIUM)) {
      console.log(`\nFirst page load, cold, median of ${LOADS} (Chromium, localhost):`);
      await waitForQuiet(opts.quietWait, 5);
      loads = await pageLoads(url, [
        { page: 'search (everything, newest first)', path: '/', ready: '.hit' },
        { page: 'search "budget"', path: '/?q=budget', ready: '.hit' },
        { page: 'email', path: `/item/${emailIds[Math.floor(emailIds.length / 2)]}`, ready: '.dkim-panel' },
        { page: 'altered copy or document', path: `/item/${files[Math.floor(files.length / 2)]?.id ?? emailIds[0]}`, ready: '.verdict-banner' },
        { page: 'overview', path: '/overview', ready: '.summary .card', complete: '.graph circle' },
      ]);
    } else console.log(`\nNo Chromium at ${CHROMIUM}: first page load not measured.`);

    const machine = { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? '?', memoryGB: Math.round(totalmem() / 1e9), node: process.version };
    console.log(`\n## trove serve under load (${opts.connections} connections, ${opts.seconds} s per mix; ${all.total} items, ${emailCount} emails)\n`);
    console.log(mdTable(['mix', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', `p95 < ${TARGET_P95_MS} ms`, 'other CPU before'], results.map((r) => [r.mix, r.rps, r.p50, r.p95, r.p99, r.max, r.p95 < TARGET_P95_MS ? 'yes' : 'no', `${r.otherCpuPctBefore}%`])));
    if (loads.length) {
      console.log(`\n## First page load (cold, median of ${LOADS})\n`);
      console.log(mdTable(['page', 'first byte ms', 'DOMContentLoaded ms', 'load ms', 'content shown ms', 'all drawn ms', `< ${TARGET_LOAD_MS} ms`], loads.map((l) => [l.page, l.ttfb, l.domContentLoaded, l.load, l.contentShown, l.complete ?? '', l.contentShown < TARGET_LOAD_MS ? 'yes' : 'no'])));
    }
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, opts.connections === 20 ? 'serve-results.json' : `serve-results-c${opts.connections}.json`);
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine, caseDir, items: all.total, emails: emailCount, overviewWarmMs, connections: opts.connections, seconds: opts.seconds, workers: opts.workers, load: results, pageLoads: loads }, null, 2) + '\n');
    console.log(`\nWritten to ${relative(REPO, file)}.`);
  } finally {
    child.kill('SIGTERM');
  }
}

await main();
