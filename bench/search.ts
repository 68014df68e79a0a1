/**
 * `npm run bench:search`: trove's search on a generated trove of emails (200,000 messages by default):
 * how long ingest takes to build the index and how big the index is beside the text it indexes and
 * the raw messages; the latency of a fixed mix of 50 queries with facets, against the issue's target
 * (p95 under 50 ms); and the same searches with `notmuch` on the same maildir, with hit counts.
 * Prints markdown tables and writes them as JSON (see bench/README.md).
 *
 * Queries run in this process through the store's API (`store.search`), as the HTTP API and the web
 * UI call it: the case stays open and the page cache warm, so the figures are search itself, not a
 * process start. notmuch has no server: each query is a process, whose start-up is measured and
 * reported apart; `trove search` as a process is timed too, for the like-for-like raw comparison.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { SearchResult, SearchSort } from '../src/search/search-types.ts';
import { openCase } from '../src/store/case-dir.ts';
import { CLK_TCK, machineBusySeconds, QUIET_PCT, waitForQuiet } from './machine-load.ts';
import { GENERATOR, REPO, failer, generatorHash, manifestCount, readText, round, selfCpu, shellQuote, treeHash, walkFiles, which } from './harness.ts';

const fail = failer('search');

const TROVE = join(REPO, 'src', 'cli', 'main.ts');
/** Decimal units throughout: 1 MB = 10^6 bytes. */
const MB = 1e6;
/** The issue's target: p95 of the whole mix, facets included. */
const TARGET_P95_MS = 50;
/** A page of hits, as the CLI and the web UI ask for it. */
const PAGE = 20;
/** Peak RSS is read from /proc this often while a build command runs. */
const RSS_POLL_MS = 100;
/** Queries whose statements and plans are shown: the slowest few, and every one over the target. */
const SLOWEST_SHOWN = 5;
/** A round during which other processes used more CPU than this is measured again (machine-load.ts). */
const MAX_ROUND_ATTEMPTS_FACTOR = 3;

// ---- the query mix -------------------------------------------------------------------------------

interface BenchQuery {
  /** A short stable name, the key in the JSON. */
  id: string;
  query: string;
  /** The same search in notmuch's language, when notmuch has one with the same meaning. */
  notmuch: string | null;
  /** How notmuch's query or its meaning differs. */
  note?: string;
}

/**
 * Fifty queries of docs/search.md over the generator's vocabulary (test/support/generator/phrases.ts,
 * cast.ts): common and rare words, accented French typed without accents, phrases, prefixes, boolean
 * operators, proximity, every text and keyword field, dates and combinations. Fixed: changing it
 * changes what the figures mean, so a new query is a new id.
 */
const QUERIES: BenchQuery[] = [
  // words
  { id: 'word-common-fr', query: 'budget', notmuch: 'budget', note: 'notmuch stems (budgets, budgeted)' },
  { id: 'word-common-en', query: 'meeting', notmuch: 'meeting', note: 'notmuch stems (meetings)' },
  { id: 'word-and', query: 'contrat prestation', notmuch: 'contrat prestation' },
  { id: 'word-rare', query: 'Condorcet', notmuch: 'condorcet' },
  { id: 'word-very-rare', query: 'FA2017-0042', notmuch: 'FA2017-0042' },
  { id: 'word-cyrillic', query: 'петров', notmuch: 'петров' },
  { id: 'word-absent', query: 'xylophone', notmuch: 'xylophone' },
  // accents and case folded: typed without accents; notmuch does not fold them, so it gets them back
  { id: 'accent-word', query: 'reunion', notmuch: 'réunion', note: 'notmuch given the accents' },
  { id: 'accent-plural', query: 'benevoles', notmuch: 'bénévoles', note: 'notmuch given the accents' },
  { id: 'accent-upper', query: 'DEPLACEMENT', notmuch: 'déplacement', note: 'notmuch given the accents' },
  { id: 'accent-ligature', query: 'oeuvres', notmuch: 'œuvres', note: 'the text has Œuvres; notmuch given the ligature' },
  // phrases
  { id: 'phrase-fr', query: '"ordre du jour"', notmuch: '"ordre du jour"' },
  { id: 'phrase-common', query: '"mots de passe"', notmuch: '"mots de passe"' },
  { id: 'phrase-en', query: '"data sharing agreement"', notmuch: '"data sharing agreement"' },
  { id: 'phrase-accent', query: '"comite de pilotage"', notmuch: '"comité de pilotage"', note: 'notmuch given the accents' },
  // prefixes
  { id: 'prefix', query: 'budg*', notmuch: 'budg*' },
  { id: 'prefix-2', query: 'factur*', notmuch: 'factur*' },
  { id: 'prefix-short', query: 're*', notmuch: 're*' },
  { id: 'prefix-accent', query: 'benevol*', notmuch: 'bénévol*', note: 'notmuch given the accents' },
  // boolean operators
  { id: 'or', query: 'facture OR invoice', notmuch: 'facture OR invoice' },
  { id: 'minus', query: 'budget -sonorisation', notmuch: 'budget NOT sonorisation' },
  { id: 'not', query: 'contrat NOT juridique', notmuch: 'contrat NOT juridique' },
  { id: 'group', query: '(Lyon OR Marseille) deplacement', notmuch: '(lyon OR marseille) déplacement', note: 'notmuch given the accents' },
  { id: 'pure-not', query: '-(budget OR facture)', notmuch: 'NOT (budget OR facture)' },
  { id: 'field-not', query: 'meeting -from:northwind.example', notmuch: 'meeting NOT from:northwind.example' },
  // proximity
  { id: 'slop', query: '"budget previsionnel"~3', notmuch: 'budget NEAR/3 prévisionnel', note: 'notmuch given the accents' },
  { id: 'near', query: 'sondage NEAR/5 resultats', notmuch: 'sondage NEAR/5 résultats', note: 'notmuch given the accents' },
  { id: 'near-phrase', query: '"mots de passe" NEAR/5 messagerie', notmuch: null, note: "notmuch's NEAR takes words, not phrases" },
  // text fields
  { id: 'from-address', query: 'from:helene.durand', notmuch: 'from:helene.durand' },
  { id: 'from-name', query: 'from:"John Whitaker"', notmuch: 'from:"John Whitaker"' },
  { id: 'to', query: 'to:natarajan', notmuch: 'to:natarajan', note: "notmuch's to: also searches Cc:" },
  { id: 'cc', query: 'cc:mathilde', notmuch: null, note: 'notmuch has no Cc:-only field' },
  { id: 'participant', query: 'participant:olga.smirnova', notmuch: 'from:olga.smirnova OR to:olga.smirnova' },
  { id: 'subject', query: 'subject:facture', notmuch: 'subject:facture' },
  { id: 'subject-phrase', query: 'subject:"revue de presse"', notmuch: 'subject:"revue de presse"' },
  { id: 'body', query: 'body:sonorisation', notmuch: 'body:sonorisation' },
  { id: 'filename', query: 'filename:budget*', notmuch: null, note: 'notmuch indexes file names (attachment:) but finds the emails, not the files' },
  // keyword fields
  { id: 'type', query: 'type:pdf', notmuch: null },
  { id: 'domain', query: 'domain:northwind.example', notmuch: 'from:northwind.example OR to:northwind.example', note: 'adapted: notmuch has no domain: field' },
  { id: 'verdict', query: 'verdict:body-modified', notmuch: null },
  { id: 'has-attachment', query: 'has:attachment', notmuch: 'tag:attachment', note: 'adapted: the tag notmuch new sets' },
  { id: 'size', query: 'size:>100KB', notmuch: null },
  { id: 'all-emails', query: 'type:email', notmuch: '*', note: 'adapted: notmuch holds only emails' },
  // dates
  { id: 'date-month', query: 'date:2016-03', notmuch: 'date:2016-03', note: "notmuch: the machine's time zone, not the sender's" },
  { id: 'date-range-word', query: 'date:2016-03-01..2016-04-15 sondage', notmuch: 'date:2016-03-01..2016-04-15 sondage', note: "notmuch: the machine's time zone" },
  { id: 'date-open', query: 'date:>2017-03', notmuch: 'date:2017-04-01..', note: "notmuch: the machine's time zone" },
  // combinations
  { id: 'combo-doc', query: 'from:campagne-exemple.fr verdict:authentic date:2016-06..2016-09 "budget previsionnel"', notmuch: null },
  { id: 'combo-verdict', query: 'verdict:unsigned budget', notmuch: null },
  { id: 'combo-has', query: 'subject:(budget OR facture) has:attachment -verdict:unsigned', notmuch: null },
  { id: 'combo-date', query: 'from:northwind.example date:2017 (invoice OR proposal)', notmuch: 'from:northwind.example date:2017-01-01..2017-12-31 (invoice OR proposal)', note: "notmuch: the machine's time zone" },
];

/** Also timed newest first (`--sort date`). */
const DATE_SORTED = ['word-common-fr', 'prefix-short', 'from-address', 'has-attachment', 'all-emails', 'date-range-word'];

// ---- options -------------------------------------------------------------------------------------

const USAGE = `usage: node bench/search.ts [--messages N] [--seed S] [--out DIR] [--keep] [--rebuild] [--rounds N]
                            [--cli-rounds N] [--workers N] [--quiet-wait S]

  --messages N    messages in the maildir corpus (default 200000)
  --seed S        generator seed (default 1)
  --out DIR       where corpora, cases and results go (default bench/out)
  --keep          reuse the corpus, the trove case and the notmuch database built earlier for the same
                  messages and seed (their build figures are those measured then)
  --rebuild       with --keep: reuse the corpus only, build the case and notmuch's database again
  --rounds N      timed rounds of the query mix in this process (default 5), after one untimed round
  --cli-rounds N  timed rounds of the queries both tools run as processes (default 3)
  --workers N     passed to \`trove ingest --workers\` (default: trove's own)
  --quiet-wait S  before each measurement, wait up to S seconds (default 600) for other processes to
                  leave the CPUs idle; 0 does not wait. Disturbed rounds are measured again`;

interface Options {
  messages: number;
  seed: string;
  out: string;
  keep: boolean;
  rebuild: boolean;
  rounds: number;
  cliRounds: number;
  workers: string | null;
  quietWait: number;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        messages: { type: 'string', default: '200000' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: join(REPO, 'bench', 'out') },
        keep: { type: 'boolean', default: false },
        rebuild: { type: 'boolean', default: false },
        rounds: { type: 'string', default: '5' },
        'cli-rounds': { type: 'string', default: '3' },
        workers: { type: 'string' },
        'quiet-wait': { type: 'string', default: '600' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const whole = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min) fail(`--${name} takes a whole number of at least ${min}.`);
    return n;
  };
  const quietWait = Number(values['quiet-wait']);
  if (!Number.isFinite(quietWait) || quietWait < 0) fail('--quiet-wait takes a number of seconds.');
  whole('seed', values.seed, 0);
  return {
    messages: whole('messages', values.messages, 1), seed: values.seed, out: resolve(values.out), keep: values.keep, rebuild: values.rebuild,
    rounds: whole('rounds', values.rounds, 1), cliRounds: whole('cli-rounds', values['cli-rounds'], 0),
    workers: values.workers ?? null, quietWait,
  };
}

// ---- small helpers -------------------------------------------------------------------------------

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

function lastLines(text: string, n: number): string {
  // Progress bars redraw with \r: keep what the terminal would show last.
  return text.split('\n').map((l) => l.split('\r').pop()!.trimEnd()).filter((l) => l !== '').slice(-n).join('\n');
}

/** CPU seconds of a running process (all its threads), from /proc/PID/stat. */
function processCpu(pid: number): number {
  const text = readText(`/proc/${pid}/stat`) ?? '';
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  return ((f[11] ?? 0) + (f[12] ?? 0)) / CLK_TCK;
}

/**
 * Measures the CPU other processes use over a stretch of work, in % of one core. Not "other": this
 * process, its finished children, and the running helpers in `helpers` (the notmuch bindings' Python).
 */
function loadMeter(helpers: number[] = []): () => { seconds: number; otherCpuPct: number } {
  const helperCpu = (): number => helpers.reduce((n, pid) => n + processCpu(pid), 0);
  const busy0 = machineBusySeconds();
  const self0 = selfCpu();
  const helpers0 = helperCpu();
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const self1 = selfCpu();
    const other = machineBusySeconds() - busy0 - (self1.own - self0.own) - (self1.children - self0.children) - (helperCpu() - helpers0);
    return { seconds, otherCpuPct: round(Math.max(0, other) / seconds * 100, 1) };
  };
}

/** Sorted samples' nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

interface Stat {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

function stat(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 0.5), 2), p95: round(percentile(s, 0.95), 2), max: round(s[s.length - 1] ?? NaN, 2), mean: round(s.reduce((a, b) => a + b, 0) / s.length, 2) };
}

function fmtMs(ms: number): string {
  return Number.isNaN(ms) ? '–' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

// ---- corpus (shared with bench:ingest and bench:verify: same directory, same marker) ------------

interface Corpus {
  dir: string;
  path: string;
  layout: 'maildir';
  messages: number;
  messagesFrom: string;
  bytes: number;
  files: number;
  generateSeconds: number | null;
  reused: boolean;
  command: string;
}

function corpusKey(opts: Options): string {
  return `maildir-n${opts.messages}-s${opts.seed}-g${generatorHash()}`;
}

function corpus(opts: Options): Corpus {
  const dir = join(opts.out, 'corpus', corpusKey(opts));
  const marker = join(dir, '.bench-complete.json');
  const path = join(dir, 'Maildir');
  const args = [GENERATOR, dir, '--messages', String(opts.messages), '--seed', opts.seed, '--layout', 'maildir'];
  const command = [process.execPath, ...args].map(shellQuote).join(' ');
  if (opts.keep && existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as Corpus;
    console.log(`Reusing the maildir corpus in ${relative(process.cwd(), dir)} (--keep): ${saved.messages} messages, ${(saved.bytes / MB).toFixed(0)} MB.`);
    return { ...saved, dir, path, reused: true };
  }
  console.log(`Generating the maildir corpus: ${opts.messages} messages, seed ${opts.seed}...`);
  console.log(`  $ ${command}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(opts.out, 'corpus'), { recursive: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const generateSeconds = (performance.now() - t) / 1000;
  if (r.status !== 0) fail(`the generator failed (exit ${r.status ?? r.signal}); see its output above.`);
  const { files, bytes } = walkFiles(path);
  const fromManifest = manifestCount(dir);
  const c: Corpus = {
    dir, path, layout: 'maildir', files, bytes, generateSeconds: round(generateSeconds, 1), reused: false, command,
    messages: fromManifest ?? files, messagesFrom: fromManifest !== null ? 'manifest.jsonl' : 'files in the Maildir',
  };
  writeFileSync(marker, JSON.stringify(c, null, 2));
  console.log(`  ${c.messages} messages, ${(bytes / MB).toFixed(0)} MB, generated in ${generateSeconds.toFixed(0)} s.`);
  return c;
}

/** Reads the corpus once so that every build starts with the same warm page cache. */
function warmUp(path: string): void {
  const t = performance.now();
  const r = spawnSync('sh', ['-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'warm-up', path], { stdio: 'inherit' });
  if (r.status !== 0) console.warn(`  (warm-up read of ${path} failed: exit ${r.status})`);
  console.log(`  warm-up: read the corpus to /dev/null in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

// ---- building: one command, measured -----------------------------------------------------------

interface Measured {
  command: string;
  exitCode: number | null;
  wallSeconds: number;
  /** User + system CPU seconds of the command (all its threads). */
  cpuSeconds: number;
  /** The kernel's high-water mark of the command's resident memory (VmHWM), read every RSS_POLL_MS. */
  peakRssMB: number;
  /** CPU used by other processes meanwhile, in % of one core. */
  otherCpuPct: number;
  log: string;
  summary: string;
}

async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, quietWait: number): Promise<Measured> {
  const command = [cmd, ...args].map(shellQuote).join(' ');
  const prefix = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v ?? '')} `).join('');
  await waitForQuiet(quietWait, 2);
  console.log(`  $ ${prefix}${command}`);
  const meter = loadMeter();
  const cpu0 = selfCpu().children;
  const started = performance.now();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let peakKb = 0;
  const poll = (): void => {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readText(`/proc/${child.pid}/status`) ?? '');
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  };
  const timer = setInterval(poll, RSS_POLL_MS);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exitCode = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  clearInterval(timer);
  const wallSeconds = (performance.now() - started) / 1000;
  const load = meter();
  writeFileSync(logFile, `$ ${prefix}${command}\n--- exit ${exitCode}, ${wallSeconds.toFixed(2)} s\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
  const m: Measured = {
    command: `${prefix}${command}`, exitCode, wallSeconds: round(wallSeconds, 2), cpuSeconds: round(selfCpu().children - cpu0, 2),
    peakRssMB: round(peakKb * 1024 / MB, 1), otherCpuPct: load.otherCpuPct, log: logFile, summary: lastLines(`${stdout}\n${stderr}`, 8),
  };
  console.log(`    ${m.wallSeconds} s, CPU ${m.cpuSeconds} s, peak RSS ${m.peakRssMB} MB, exit ${exitCode}${m.otherCpuPct >= QUIET_PCT ? `; other processes used ${m.otherCpuPct}% CPU meanwhile` : ''}`);
  return m;
}

interface TroveBuild {
  caseDir: string;
  /** src/ content when the case was built: queries may run on a case built by an older trove. */
  builtBySource: string;
  builtAt: string;
  ingest: Measured;
  keysImport: Measured;
  stats: Record<string, unknown> | null;
}

interface NotmuchBuild {
  dir: string;
  config: string;
  builtAt: string;
  version: string;
  new: Measured;
  count: number | null;
}

/** The case and the notmuch database live beside each other, keyed like the corpus. */
function workDir(opts: Options): string {
  return join(opts.out, 'work', 'search', corpusKey(opts));
}

async function buildTrove(opts: Options, c: Corpus, logs: string): Promise<TroveBuild> {
  const marker = join(workDir(opts), 'trove-build.json');
  const caseDir = join(workDir(opts), 'trove.case');
  if (opts.keep && !opts.rebuild && c.reused && existsSync(marker) && existsSync(join(caseDir, 'case.db'))) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as TroveBuild;
    console.log(`Reusing the trove case in ${relative(process.cwd(), caseDir)} (--keep), built ${saved.builtAt}.`);
    if (saved.builtBySource !== treeHash([join(REPO, 'src')])) {
      console.warn('  (src/ changed since it was built: its build figures are of the older trove; run without --keep to measure the current one)');
    }
    return { ...saved, caseDir };
  }
  console.log('\nBuilding the trove case (ingest with DKIM verification, then the generator\'s keys):');
  rmSync(marker, { force: true });
  rmSync(caseDir, { recursive: true, force: true });
  mkdirSync(workDir(opts), { recursive: true });
  warmUp(c.path);
  const builtBySource = treeHash([join(REPO, 'src')]);
  const ingestArgs = [TROVE, 'ingest', c.path, '--case', caseDir, '--quiet', ...(opts.workers ? ['--workers', opts.workers] : [])];
  const ingest = await measure(process.execPath, ingestArgs, {}, join(logs, 'trove-ingest.log'), opts.quietWait);
  const keysImport = await measure(process.execPath, [TROVE, 'keys', 'import', join(c.dir, 'keys.zone'), '--case', caseDir], {}, join(logs, 'trove-keys-import.log'), opts.quietWait);
  if (ingest.exitCode !== 0 || keysImport.exitCode !== 0) console.warn(`  trove exited with ${ingest.exitCode} (ingest) and ${keysImport.exitCode} (keys import): see ${relative(process.cwd(), logs)}/`);
  const s = run(process.execPath, [TROVE, 'stats', '--case', caseDir, '--json']);
  let stats: Record<string, unknown> | null = null;
  try {
    stats = JSON.parse(s.out) as Record<string, unknown>;
  } catch {
    console.warn(`  trove stats --json failed (exit ${s.code}): ${lastLines(s.err, 3)}`);
  }
  const build: TroveBuild = { caseDir, builtBySource, builtAt: new Date().toISOString(), ingest, keysImport, stats };
  writeFileSync(marker, JSON.stringify(build, null, 2));
  return build;
}

async function buildNotmuch(opts: Options, c: Corpus, logs: string): Promise<NotmuchBuild> {
  const marker = join(workDir(opts), 'notmuch-build.json');
  const dir = join(workDir(opts), 'notmuch');
  if (opts.keep && !opts.rebuild && c.reused && existsSync(marker) && existsSync(dir)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as NotmuchBuild;
    console.log(`Reusing the notmuch database in ${relative(process.cwd(), dir)} (--keep), built ${saved.builtAt}.`);
    return { ...saved, dir, config: join(dir, 'notmuch-config') };
  }
  console.log('\nIndexing the same maildir with notmuch:');
  rmSync(marker, { force: true });
  rmSync(dir, { recursive: true, force: true });
  const config = join(dir, 'notmuch-config');
  const db = join(dir, 'db');
  mkdirSync(db, { recursive: true });
  // As bench:ingest: the database outside the corpus (never written to), no hooks, no flag sync.
  writeFileSync(config, ['[database]', `path=${db}`, `mail_root=${c.path}`, '', '[new]', 'tags=new;', 'ignore=', '', '[maildir]', 'synchronize_flags=false', ''].join('\n'));
  const env = { NOTMUCH_CONFIG: config };
  warmUp(c.path);
  const m = await measure('notmuch', ['new', '--quiet'], env, join(logs, 'notmuch-new.log'), opts.quietWait);
  const count = run('notmuch', ['count', '*'], env);
  const build: NotmuchBuild = {
    dir, config, builtAt: new Date().toISOString(), version: run('notmuch', ['--version']).out.trim(), new: m,
    count: count.code === 0 ? Number(count.out.trim()) : null,
  };
  writeFileSync(marker, JSON.stringify(build, null, 2));
  return build;
}

// ---- index size ----------------------------------------------------------------------------------

interface Sizes {
  method: string;
  /** Bytes per table, its indexes included, from dbstat. */
  tables: Record<string, number>;
  ftsBytes: number;
  searchTablesBytes: number;
  textsBytes: number;
  caseDbFileBytes: number;
  blobsBytes: number;
  /** What search_content hands the FTS index: characters and UTF-8 bytes, per column and in all. */
  indexedText: { rows: number; chars: number; bytes: number; bytesByColumn: Record<string, number> };
  rawMessageBytes: number;
  notmuchDbBytes: number | null;
  ratios: Record<string, number>;
}

const FTS_TABLES = /^search_fts(_data|_idx|_docsize|_config|_content)?$/;
const SEARCH_TABLES = new Set(['search_rows', 'search_domains', 'search_signals', 'search_addresses']);
const TEXT_COLUMNS = ['from', 'to', 'cc', 'subject', 'body', 'filename'];

function indexSizes(build: TroveBuild, c: Corpus, notmuch: NotmuchBuild | null): Sizes {
  const file = join(build.caseDir, 'case.db');
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    // dbstat (compiled into node:sqlite) gives the pages of every b-tree; aggregate=1 sums them per
    // b-tree. Indexes are counted with their table (sqlite_schema.tbl_name).
    const rows = db.prepare(
      `SELECT coalesce(s.tbl_name, d.name) AS tbl, sum(d.pgsize) AS bytes
       FROM dbstat AS d LEFT JOIN sqlite_schema AS s ON s.name = d.name WHERE d.aggregate = 1 GROUP BY 1 ORDER BY 2 DESC`,
    ).all() as { tbl: string; bytes: number }[];
    const tables = Object.fromEntries(rows.map((r) => [r.tbl, Number(r.bytes)]));
    const sum = (pick: (t: string) => boolean): number => rows.filter((r) => pick(r.tbl)).reduce((n, r) => n + Number(r.bytes), 0);
    const q = (col: string): string => `"${col}"`;
    const text = db.prepare(
      `SELECT count(*) AS rows, ${TEXT_COLUMNS.map((col) => `sum(coalesce(length(${q(col)}), 0)) AS c_${col}, sum(coalesce(octet_length(${q(col)}), 0)) AS b_${col}`).join(', ')}
       FROM search_content`,
    ).get() as Record<string, number>;
    const bytesByColumn = Object.fromEntries(TEXT_COLUMNS.map((col) => [col, Number(text[`b_${col}`])]));
    const indexedText = {
      rows: Number(text.rows),
      chars: TEXT_COLUMNS.reduce((n, col) => n + Number(text[`c_${col}`]), 0),
      bytes: TEXT_COLUMNS.reduce((n, col) => n + Number(text[`b_${col}`]), 0),
      bytesByColumn,
    };
    const ftsBytes = sum((t) => FTS_TABLES.test(t));
    const searchTablesBytes = sum((t) => SEARCH_TABLES.has(t));
    const textsBytes = tables.texts ?? 0;
    const caseDbFileBytes = ['case.db', 'case.db-wal'].reduce((n, f) => n + (statSync(join(build.caseDir, f), { throwIfNoEntry: false })?.size ?? 0), 0);
    const blobsBytes = existsSync(join(build.caseDir, 'blobs')) ? walkFiles(join(build.caseDir, 'blobs')).bytes : 0;
    const notmuchDbBytes = notmuch && existsSync(join(notmuch.dir, 'db')) ? walkFiles(join(notmuch.dir, 'db')).bytes : null;
    const r = (a: number, b: number): number => round(a / b, 3);
    return {
      method: "SQLite's dbstat virtual table (sum of page sizes per b-tree, indexes with their table); indexed text = octet_length of every column of the view search_content that FTS5 indexes",
      tables, ftsBytes, searchTablesBytes, textsBytes, caseDbFileBytes, blobsBytes, indexedText, rawMessageBytes: c.bytes, notmuchDbBytes,
      ratios: {
        ftsOverIndexedText: r(ftsBytes, indexedText.bytes),
        searchIndexOverIndexedText: r(ftsBytes + searchTablesBytes, indexedText.bytes),
        ftsOverRawMessages: r(ftsBytes, c.bytes),
        searchIndexOverRawMessages: r(ftsBytes + searchTablesBytes, c.bytes),
        caseDbOverRawMessages: r(caseDbFileBytes, c.bytes),
        ...(notmuchDbBytes !== null ? { notmuchDbOverRawMessages: r(notmuchDbBytes, c.bytes), notmuchDbOverIndexedText: r(notmuchDbBytes, indexedText.bytes) } : {}),
      },
    };
  } finally {
    db.close();
  }
}

// ---- timed rounds --------------------------------------------------------------------------------

type Samples = Map<string, number[]>;

interface RoundInfo {
  label: string;
  attempt: number;
  seconds: number;
  otherCpuPct: number;
  kept: boolean;
  loadavg1: number;
}

/**
 * Runs `pass` (which records one time per key) `want` times on a quiet machine: waits for quiet
 * before each round and repeats a round during which other processes used QUIET_PCT or more, up to
 * MAX_ROUND_ATTEMPTS_FACTOR x `want` rounds. When too few rounds were quiet, the least disturbed of
 * the others fill in, and say so (`kept`, `otherCpuPct` in the JSON).
 */
async function timedRounds(
  label: string, want: number, quietWait: number, pass: (record: (key: string, ms: number) => void) => Promise<void>, helpers: number[] = [],
): Promise<{ samples: Samples; rounds: RoundInfo[] }> {
  const done: { samples: Samples; info: RoundInfo }[] = [];
  let quiet = 0;
  for (let attempt = 1; quiet < want && attempt <= want * MAX_ROUND_ATTEMPTS_FACTOR; attempt++) {
    await waitForQuiet(quietWait, 2);
    const samples: Samples = new Map();
    const meter = loadMeter(helpers);
    await pass((key, ms) => {
      const list = samples.get(key) ?? [];
      list.push(ms);
      samples.set(key, list);
    });
    const { seconds, otherCpuPct } = meter();
    const info: RoundInfo = { label, attempt, seconds: round(seconds, 2), otherCpuPct, kept: false, loadavg1: round(loadavg()[0] ?? 0, 2) };
    done.push({ samples, info });
    if (otherCpuPct < QUIET_PCT) quiet++;
    console.log(`  ${label} round ${attempt}: ${seconds.toFixed(1)} s, other processes ${otherCpuPct}% CPU${otherCpuPct >= QUIET_PCT ? ' (disturbed: measured again)' : ''}`);
  }
  const kept = [...done].sort((a, b) => Number(b.info.otherCpuPct < QUIET_PCT) - Number(a.info.otherCpuPct < QUIET_PCT) || a.info.otherCpuPct - b.info.otherCpuPct).slice(0, want);
  const samples: Samples = new Map();
  for (const r of kept) {
    r.info.kept = true;
    for (const [k, v] of r.samples) samples.set(k, [...(samples.get(k) ?? []), ...v]);
  }
  return { samples, rounds: done.map((r) => r.info) };
}

// ---- trove in process ----------------------------------------------------------------------------

type Store = ReturnType<typeof openCase>['store'];

interface Outcome {
  total: number | null;
  /** Hits that are emails (the kind facet), to compare with notmuch, which holds only emails. */
  emails: number | null;
  hitsOnPage: number;
  tookMs: number | null;
  error: string | null;
}

async function searchOnce(store: Store, query: string, sort: SearchSort, facets: boolean): Promise<{ ms: number; outcome: Outcome }> {
  const t = performance.now();
  let result: SearchResult;
  try {
    result = await store.search({ query, limit: PAGE, offset: 0, sort, facets });
  } catch (err) {
    return { ms: performance.now() - t, outcome: { total: null, emails: null, hitsOnPage: 0, tookMs: null, error: `${(err as Error).name}: ${(err as Error).message}` } };
  }
  const ms = performance.now() - t;
  const emails = result.facets ? (result.facets.kind.find((k) => k.value === 'email')?.count ?? 0) : null;
  return { ms, outcome: { total: result.total, emails, hitsOnPage: result.hits.length, tookMs: result.tookMs, error: null } };
}

/** What one mix of queries runs in one round: facets on (the target), newest first, facets off. */
function troveVariants(): { key: string; q: BenchQuery; sort: SearchSort; facets: boolean }[] {
  return [
    ...QUERIES.map((q) => ({ key: q.id, q, sort: 'relevance' as const, facets: true })),
    ...QUERIES.filter((q) => DATE_SORTED.includes(q.id)).map((q) => ({ key: `${q.id}#date`, q, sort: 'date' as const, facets: true })),
    ...QUERIES.filter((q) => q.notmuch !== null).map((q) => ({ key: `${q.id}#nofacets`, q, sort: 'relevance' as const, facets: false })),
  ];
}

// ---- statements and plans of a search ------------------------------------------------------------

interface StatementCall {
  sql: string;
  args: unknown[];
  ms: number;
}

type StatementMethod = (this: StatementSync, ...args: unknown[]) => unknown;

/**
 * Runs `fn` with every node:sqlite statement execution recorded (SQL, arguments, time), by wrapping
 * StatementSync's methods for the duration: how a search splits into statements, without knowing
 * how src/ builds them. Only for the profile pass, never for the timed rounds.
 */
async function recordStatements(fn: () => Promise<unknown>): Promise<StatementCall[]> {
  const proto = StatementSync.prototype as unknown as Record<'all' | 'get' | 'run', StatementMethod>;
  const saved = { all: proto.all, get: proto.get, run: proto.run };
  const calls: StatementCall[] = [];
  for (const name of ['all', 'get', 'run'] as const) {
    const original = saved[name];
    proto[name] = function (this: StatementSync, ...args: unknown[]): unknown {
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        calls.push({ sql: this.sourceSQL, args, ms: performance.now() - t });
      }
    };
  }
  try {
    await fn();
  } finally {
    Object.assign(proto, saved);
  }
  return calls;
}

interface StatementProfile {
  sql: string;
  calls: number;
  ms: number;
  plan: string[];
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** EXPLAIN QUERY PLAN as an indented tree. */
function explain(db: DatabaseSync, sql: string, args: unknown[]): string[] {
  try {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(args as never[])) as { id: number; parent: number; detail: string }[];
    const depth = new Map<number, number>([[0, -1]]);
    return rows.map((r) => {
      const d = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    });
  } catch (err) {
    return [`(EXPLAIN failed: ${(err as Error).message})`];
  }
}

interface QueryProfile {
  id: string;
  query: string;
  sort: SearchSort;
  p95: number;
  /** Wall time of the profiled run, and the part of it spent in no SQL statement (JavaScript: facets, hits). */
  wallMs: number;
  outsideSqlMs: number;
  statements: StatementProfile[];
}

async function profileQuery(store: Store, explainDb: DatabaseSync, q: BenchQuery, sort: SearchSort, p95: number): Promise<QueryProfile> {
  const t = performance.now();
  const calls = await recordStatements(() => store.search({ query: q.query, limit: PAGE, offset: 0, sort, facets: true }));
  const wallMs = performance.now() - t;
  const by = new Map<string, { sql: string; calls: number; ms: number; args: unknown[] }>();
  for (const c of calls) {
    const key = oneLine(c.sql);
    const e = by.get(key) ?? { sql: c.sql, calls: 0, ms: 0, args: c.args };
    e.calls++;
    e.ms += c.ms;
    by.set(key, e);
  }
  const statements = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([sql, e]) => ({ sql, calls: e.calls, ms: round(e.ms, 2), plan: explain(explainDb, e.sql, e.args) }));
  const inSql = calls.reduce((n, c) => n + c.ms, 0);
  return { id: sort === 'relevance' ? q.id : `${q.id}#${sort}`, query: q.query, sort, p95, wallMs: round(wallMs, 2), outsideSqlMs: round(wallMs - inSql, 2), statements };
}

// ---- processes: trove search and notmuch ---------------------------------------------------------

function timeProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; code: number | null; out: string; err: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t, code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** A query that finds nothing through one term lookup: what remains is the process and opening the index. */
const NOTHING = 'zzbenchnothingzz';

/** The system Python, which python3-notmuch2 installs into (a pyenv `python3` would not see it). */
const PYTHON = '/usr/bin/python3';

/**
 * notmuch in process, through its Python bindings (python3-notmuch2): the database opened once, then
 * per query what `notmuch count` and `notmuch search --output=messages --limit=20` do (the count, and
 * the first page newest first, as the CLI sorts), timed inside Python. The peer of `store.search`
 * in this process; the bindings add a little per call (cffi), so notmuch's figure is if anything high.
 */
const NOTMUCH_PY = `
import itertools, json, sys, time, notmuch2
D = notmuch2.Database
db = D(mode=D.MODE.READ_ONLY)
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    t = time.perf_counter()
    try:
        n = db.count_messages(q)
        page = [m.messageid for m in itertools.islice(db.messages(q, sort=D.SORT.NEWEST_FIRST), ${PAGE})]
        print(json.dumps({"ms": (time.perf_counter() - t) * 1000, "count": n, "page": len(page)}), flush=True)
    except Exception as e:
        print(json.dumps({"error": repr(e)}), flush=True)
`;

type BindingsReply = { ms: number; count: number; page: number; error?: undefined } | { error: string };

class NotmuchBindings {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    this.#lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** Null, with the reason printed, when the bindings are not installed or do not open the database. */
  static async start(config: string): Promise<NotmuchBindings | null> {
    if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import notmuch2']).status !== 0) {
      console.warn(`  (notmuch's Python bindings are not installed: no in-process notmuch column. To add it: sudo apt-get install python3-notmuch2)`);
      return null;
    }
    const b = new NotmuchBindings(spawn(PYTHON, ['-c', NOTMUCH_PY], { env: { ...process.env, NOTMUCH_CONFIG: config } }));
    let stderr = '';
    b.#child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const first = await b.#lines.next();
    if (first.done) {
      console.warn(`  (notmuch's Python bindings failed to open the database: ${lastLines(stderr, 3)})`);
      return null;
    }
    return b;
  }

  async query(q: string): Promise<BindingsReply> {
    this.#child.stdin.write(`${JSON.stringify(q)}\n`);
    const next = await this.#lines.next();
    return next.done ? { error: 'the Python helper exited' } : (JSON.parse(next.value) as BindingsReply);
  }

  close(): void {
    this.#child.stdin.end();
  }
}

// ---- report --------------------------------------------------------------------------------------

interface QueryRow {
  id: string;
  query: string;
  notmuch: string | null;
  note: string | null;
  total: number | null;
  emails: number | null;
  error: string | null;
  facets: Stat;
  dateSorted: Stat | null;
  noFacets: Stat | null;
}

interface NotmuchRow {
  id: string;
  trove: string;
  notmuch: string;
  note: string | null;
  troveP50: number;
  troveNoFacetsP50: number;
  troveCliP50: number | null;
  /** Through the Python bindings, the database open; null without them. */
  notmuchInProcessP50: number | null;
  notmuchCountP50: number;
  notmuchSearchP50: number;
  notmuchRawP50: number;
  notmuchCorrectedP50: number;
  ratioInProcess: number | null;
  ratioInProcessNoFacets: number | null;
  ratioCorrected: number | null;
  ratioRaw: number | null;
  troveEmails: number | null;
  notmuchCount: number | null;
  countDiffPct: number | null;
}

function mdTable(head: string[], align: string, rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${[...align].map((a) => (a === 'l' ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function code(s: string): string {
  return `\`${s.replaceAll('|', '\\|')}\``;
}

function geomean(xs: number[]): number {
  const ok = xs.filter((x) => x > 0 && Number.isFinite(x));
  return ok.length === 0 ? NaN : Math.exp(ok.reduce((n, x) => n + Math.log(x), 0) / ok.length);
}

// ---- main ----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (QUERIES.length !== 50 || new Set(QUERIES.map((q) => q.id)).size !== QUERIES.length) fail(`the mix must have 50 distinct queries, it has ${QUERIES.length}.`);
  const notmuchPath = which('notmuch');
  if (!notmuchPath) console.warn('notmuch is not installed: skipping the comparison. To compare, install it with:\n  sudo apt-get install notmuch\n');
  const logs = join(opts.out, 'logs', 'search');
  rmSync(logs, { recursive: true, force: true });
  mkdirSync(logs, { recursive: true });
  const machine = {
    cores: availableParallelism(), cpu: cpus()[0]?.model ?? '?', memGB: round(totalmem() / 1e9, 1), node: process.version,
    notmuch: notmuchPath ? run('notmuch', ['--version']).out.trim() : null,
    trove: (() => {
      const r = run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
      const dirty = run('git', ['-C', REPO, 'status', '--porcelain', '--', 'src']).out.trim() !== '';
      const src = treeHash([join(REPO, 'src')]);
      return r.code === 0 ? `${r.out.trim()}${dirty ? ` + uncommitted changes in src/ (content ${src})` : ''}` : `src/ content ${src}`;
    })(),
  };
  console.log(`Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memGB} GB; node ${machine.node}; ${machine.notmuch ?? 'no notmuch'}; trove ${machine.trove}.\n`);

  // ---- 1. the corpus and the two indexes
  const c = corpus(opts);
  const trove = await buildTrove(opts, c, logs);
  const nm = notmuchPath ? await buildNotmuch(opts, c, logs) : null;
  const sizes = indexSizes(trove, c, nm);
  const emailsInCase = Number((trove.stats?.byKind as Record<string, number> | undefined)?.email ?? NaN);

  // ---- 2. trove in process
  console.log('\nTrove, in process (store.search, the case open):');
  // The first search of a freshly opened case, facets on: what a `trove search` process or a new
  // server pays once (warm OS page cache, cold store).
  const opened = performance.now();
  const { store } = openCase(trove.caseDir, { create: false });
  const firstSearch = await searchOnce(store, QUERIES[0]!.query, 'relevance', true);
  const firstSearchMs = round(performance.now() - opened, 1);
  console.log(`  open the case and run the first search (${code(QUERIES[0]!.query)}, facets on): ${firstSearchMs} ms (the same search warm: see the table)`);
  if (firstSearch.outcome.error) console.warn(`  ${firstSearch.outcome.error}`);
  const variants = troveVariants();
  const outcomes = new Map<string, Outcome>();
  const warm = performance.now();
  for (const v of variants) outcomes.set(v.key, (await searchOnce(store, v.q.query, v.sort, v.facets)).outcome);
  console.log(`  untimed warm-up round: ${((performance.now() - warm) / 1000).toFixed(1)} s`);
  for (const [key, o] of outcomes) if (o.error) console.warn(`  ${key}: ${o.error}`);
  const troveRounds = await timedRounds('trove', opts.rounds, opts.quietWait, async (record) => {
    for (const v of variants) record(v.key, (await searchOnce(store, v.q.query, v.sort, v.facets)).ms);
  });

  const rows: QueryRow[] = QUERIES.map((q) => {
    const o = outcomes.get(q.id)!;
    const s = (key: string): Stat | null => (troveRounds.samples.has(key) ? stat(troveRounds.samples.get(key)!) : null);
    return { id: q.id, query: q.query, notmuch: q.notmuch, note: q.note ?? null, total: o.total, emails: o.emails, error: o.error, facets: s(q.id)!, dateSorted: s(`${q.id}#date`), noFacets: s(`${q.id}#nofacets`) };
  });
  const mix = stat(QUERIES.flatMap((q) => troveRounds.samples.get(q.id) ?? []));
  const mixDate = stat(DATE_SORTED.flatMap((id) => troveRounds.samples.get(`${id}#date`) ?? []));

  // ---- where the slowest spend their time
  const explainDb = new DatabaseSync(join(trove.caseDir, 'case.db'), { readOnly: true });
  const ranked = [...rows].sort((a, b) => b.facets.p95 - a.facets.p95);
  const slow = ranked.filter((r, i) => i < SLOWEST_SHOWN || r.facets.p95 > TARGET_P95_MS);
  const slowDate = rows.filter((r) => r.dateSorted && r.dateSorted.p95 > TARGET_P95_MS);
  const profiles: QueryProfile[] = [];
  for (const r of slow) profiles.push(await profileQuery(store, explainDb, QUERIES.find((q) => q.id === r.id)!, 'relevance', r.facets.p95));
  for (const r of slowDate) profiles.push(await profileQuery(store, explainDb, QUERIES.find((q) => q.id === r.id)!, 'date', r.dateSorted!.p95));
  explainDb.close();
  await store.close();

  // ---- 3. trove as a process, and notmuch
  const compared = QUERIES.filter((q) => q.notmuch !== null);
  let cli: { samples: Samples; rounds: RoundInfo[] } | null = null;
  // `--` before the query: one starting with '-' (`-(budget OR facture)`) would be taken for an option.
  const cliArgs = (query: string, facets: boolean): string[] => [TROVE, 'search', '--case', trove.caseDir, '--limit', String(PAGE), '--json', ...(facets ? [] : ['--no-facets']), '--', query];
  if (opts.cliRounds > 0) {
    console.log('\nTrove as a process (`trove search QUERY --json`, one process per query):');
    const probe = timeProcess(process.execPath, cliArgs(NOTHING, false), {});
    if (probe.code !== 0) console.warn(`  trove search exited with ${probe.code}: ${lastLines(probe.err, 3)}`);
    for (const q of compared) timeProcess(process.execPath, cliArgs(q.query, true), {});
    cli = await timedRounds('trove search (process)', opts.cliRounds, opts.quietWait, async (record) => {
      record('startup', timeProcess(process.execPath, cliArgs(NOTHING, false), {}).ms);
      for (const q of compared) record(q.id, timeProcess(process.execPath, cliArgs(q.query, true), {}).ms);
    });
  }

  let notmuchRounds: { samples: Samples; rounds: RoundInfo[] } | null = null;
  let bindingsRounds: { samples: Samples; rounds: RoundInfo[] } | null = null;
  const notmuchCounts = new Map<string, number | null>();
  const notmuchErrors: Record<string, string> = {};
  if (nm) {
    console.log('\nnotmuch as processes (`notmuch count QUERY` + `notmuch search --output=messages --limit=20 QUERY`):');
    const env = { NOTMUCH_CONFIG: nm.config };
    for (const q of compared) {
      const r = timeProcess('notmuch', ['count', q.notmuch!], env);
      notmuchCounts.set(q.id, r.code === 0 ? Number(r.out.trim()) : null);
      if (r.code !== 0) notmuchErrors[q.id] = lastLines(r.err, 3);
      timeProcess('notmuch', ['search', '--output=messages', `--limit=${PAGE}`, q.notmuch!], env);
    }
    for (const [id, e] of Object.entries(notmuchErrors)) console.warn(`  notmuch failed on ${id}: ${e}`);
    notmuchRounds = await timedRounds('notmuch', opts.rounds, opts.quietWait, async (record) => {
      for (const q of compared) {
        record('startup', timeProcess('notmuch', ['count', `id:${NOTHING}`], env).ms);
        record(`count:${q.id}`, timeProcess('notmuch', ['count', q.notmuch!], env).ms);
        record(`search:${q.id}`, timeProcess('notmuch', ['search', '--output=messages', `--limit=${PAGE}`, q.notmuch!], env).ms);
      }
      record('count-all', timeProcess('notmuch', ['count', '*'], env).ms);
    });

    console.log('\nnotmuch in process (its Python bindings: the count and the first page, the database open):');
    const bindings = await NotmuchBindings.start(nm.config);
    if (bindings) {
      for (const q of compared) {
        const r = await bindings.query(q.notmuch!);
        if (r.error !== undefined) notmuchErrors[`${q.id} (bindings)`] = r.error;
        else if (r.count !== notmuchCounts.get(q.id)) notmuchErrors[`${q.id} (bindings)`] = `counts ${r.count}, notmuch count said ${notmuchCounts.get(q.id)}`;
      }
      bindingsRounds = await timedRounds('notmuch bindings', opts.rounds, opts.quietWait, async (record) => {
        for (const q of compared) {
          const r = await bindings.query(q.notmuch!);
          if (r.error === undefined) record(q.id, r.ms);
        }
      }, [bindings.pid]);
      bindings.close();
    }
  }

  const nmStartup = notmuchRounds ? stat(notmuchRounds.samples.get('startup') ?? []) : null;
  const nmCountAll = notmuchRounds ? stat(notmuchRounds.samples.get('count-all') ?? []) : null;
  const cliStartup = cli ? stat(cli.samples.get('startup') ?? []) : null;
  const nmRows: NotmuchRow[] = [];
  if (notmuchRounds && nmStartup) {
    for (const q of compared) {
      const r = rows.find((x) => x.id === q.id)!;
      const count = stat(notmuchRounds.samples.get(`count:${q.id}`) ?? []);
      const search = stat(notmuchRounds.samples.get(`search:${q.id}`) ?? []);
      const raw = count.p50 + search.p50;
      // Two processes, each starting and opening the database: take the start-up off both. What is
      // left is small beside the start-up's own jitter for cheap queries: read it with the bindings'.
      const corrected = raw - 2 * nmStartup.p50;
      const inProcess = bindingsRounds?.samples.has(q.id) ? stat(bindingsRounds.samples.get(q.id)!).p50 : null;
      const cliP50 = cli ? stat(cli.samples.get(q.id) ?? []).p50 : null;
      const nmCount = notmuchCounts.get(q.id) ?? null;
      const ratio = (a: number | null | undefined, b: number | null): number | null => (a === null || a === undefined || b === null || b <= 0 ? null : round(a / b, 3));
      nmRows.push({
        id: q.id, trove: q.query, notmuch: q.notmuch!, note: q.note ?? null,
        troveP50: r.facets.p50, troveNoFacetsP50: r.noFacets?.p50 ?? NaN, troveCliP50: cliP50,
        notmuchInProcessP50: inProcess, notmuchCountP50: count.p50, notmuchSearchP50: search.p50, notmuchRawP50: round(raw, 2), notmuchCorrectedP50: round(corrected, 2),
        ratioInProcess: ratio(r.facets.p50, inProcess), ratioInProcessNoFacets: ratio(r.noFacets?.p50, inProcess),
        ratioCorrected: ratio(r.facets.p50, corrected), ratioRaw: ratio(cliP50, raw),
        troveEmails: r.emails, notmuchCount: nmCount,
        countDiffPct: r.emails !== null && nmCount !== null && nmCount > 0 ? round((r.emails - nmCount) / nmCount * 100, 1) : null,
      });
    }
  }
  const sumOf = (f: (r: NotmuchRow) => number | null): number => nmRows.reduce((n, r) => n + (f(r) ?? 0), 0);
  const gm = (f: (r: NotmuchRow) => number | null): number | null => {
    const g = geomean(nmRows.map((r) => f(r) ?? NaN));
    return Number.isNaN(g) ? null : round(g, 3);
  };
  const overall = nmRows.length === 0 ? null : {
    geomeanRatioInProcess: gm((r) => r.ratioInProcess), geomeanRatioInProcessNoFacets: gm((r) => r.ratioInProcessNoFacets),
    geomeanRatioCorrected: gm((r) => r.ratioCorrected), geomeanRatioRaw: gm((r) => r.ratioRaw),
    sumTroveP50: round(sumOf((r) => r.troveP50), 1), sumTroveNoFacetsP50: round(sumOf((r) => r.troveNoFacetsP50), 1),
    sumNotmuchInProcessP50: bindingsRounds ? round(sumOf((r) => r.notmuchInProcessP50), 1) : null,
    sumNotmuchCorrectedP50: round(sumOf((r) => r.notmuchCorrectedP50), 1), sumNotmuchRawP50: round(sumOf((r) => r.notmuchRawP50), 1),
    sumTroveCliP50: cli ? round(sumOf((r) => r.troveCliP50), 1) : null,
  };

  // ---- print
  const allRounds = [...troveRounds.rounds, ...(cli?.rounds ?? []), ...(notmuchRounds?.rounds ?? []), ...(bindingsRounds?.rounds ?? [])];
  const keptLoads = allRounds.filter((r) => r.kept).map((r) => r.otherCpuPct);
  const load = { keptRoundsOtherCpuPct: stat(keptLoads), disturbedKept: allRounds.filter((r) => r.kept && r.otherCpuPct >= QUIET_PCT).length, rounds: allRounds };
  const out: string[] = [];
  const say = (s = ''): void => {
    out.push(s);
  };
  say(`\n## Search benchmark: ${c.messages} messages (${(c.bytes / MB).toFixed(0)} MB of maildir), seed ${opts.seed}\n`);
  say('### Index build\n');
  const buildRow = (name: string, m: Measured): (string | number)[] => [name, m.wallSeconds.toFixed(1), (c.messages / m.wallSeconds).toFixed(0), m.cpuSeconds.toFixed(1), `${(m.cpuSeconds / m.wallSeconds * 100).toFixed(0)}%`, m.peakRssMB.toFixed(0), `${m.otherCpuPct}%`, String(m.exitCode)];
  say(mdTable(['command', 'seconds', 'msg/s', 'CPU s', 'CPU%', 'peak RSS MB', 'others CPU%', 'exit'], 'lrrrrrrr', [
    buildRow('trove ingest (with DKIM verification)', trove.ingest),
    buildRow('trove keys import (re-verification)', trove.keysImport),
    [`trove, both`, (trove.ingest.wallSeconds + trove.keysImport.wallSeconds).toFixed(1), (c.messages / (trove.ingest.wallSeconds + trove.keysImport.wallSeconds)).toFixed(0), (trove.ingest.cpuSeconds + trove.keysImport.cpuSeconds).toFixed(1), '', Math.max(trove.ingest.peakRssMB, trove.keysImport.peakRssMB).toFixed(0), '', ''],
    ...(nm ? [buildRow('notmuch new', nm.new)] : []),
  ]));
  say(`\nEmails in the case: ${emailsInCase}${nm ? `; in notmuch: ${nm.count}` : ''}; generated: ${c.messages}.${trove.builtBySource !== treeHash([join(REPO, 'src')]) ? ' (src/ has changed since the case was built: the build figures are of the src/ of then.)' : ''}`);
  say('\n### Index size\n');
  const mb = (b: number): string => (b / MB).toFixed(1);
  const it = sizes.indexedText;
  say(mdTable(['what', 'MB', 'vs indexed text', 'vs raw messages'], 'lrrr', [
    ['raw messages (maildir files)', mb(sizes.rawMessageBytes), (sizes.rawMessageBytes / it.bytes).toFixed(2), '1'],
    [`indexed text (search_content, ${it.rows} rows, ${(it.chars / 1e6).toFixed(1)} M chars)`, mb(it.bytes), '1', (it.bytes / sizes.rawMessageBytes).toFixed(3)],
    ['FTS5 index (search_fts_*)', mb(sizes.ftsBytes), sizes.ratios.ftsOverIndexedText!.toFixed(3), sizes.ratios.ftsOverRawMessages!.toFixed(3)],
    ['other search tables (search_rows, _domains, _signals, _addresses, with indexes)', mb(sizes.searchTablesBytes), (sizes.searchTablesBytes / it.bytes).toFixed(3), (sizes.searchTablesBytes / sizes.rawMessageBytes).toFixed(3)],
    ['search index in all', mb(sizes.ftsBytes + sizes.searchTablesBytes), sizes.ratios.searchIndexOverIndexedText!.toFixed(3), sizes.ratios.searchIndexOverRawMessages!.toFixed(3)],
    ['texts (extracted document text)', mb(sizes.textsBytes), (sizes.textsBytes / it.bytes).toFixed(3), (sizes.textsBytes / sizes.rawMessageBytes).toFixed(3)],
    ['case.db file (everything, WAL included)', mb(sizes.caseDbFileBytes), (sizes.caseDbFileBytes / it.bytes).toFixed(3), sizes.ratios.caseDbOverRawMessages!.toFixed(3)],
    ['case blobs/ (originals)', mb(sizes.blobsBytes), (sizes.blobsBytes / it.bytes).toFixed(3), (sizes.blobsBytes / sizes.rawMessageBytes).toFixed(3)],
    ...(sizes.notmuchDbBytes !== null ? [['notmuch database (Xapian)', mb(sizes.notmuchDbBytes), (sizes.notmuchDbBytes / it.bytes).toFixed(3), (sizes.notmuchDbBytes / sizes.rawMessageBytes).toFixed(3)]] : []),
  ]));
  say(`\nIndexed text by column (MB): ${TEXT_COLUMNS.map((col) => `${col} ${mb(it.bytesByColumn[col] ?? 0)}`).join(', ')}. Sizes by ${sizes.method}.`);

  say(`\n### Query latency (in process, warm, limit ${PAGE}, facets on; ${opts.rounds} rounds, ms)\n`);
  say(mdTable(['#', 'id', 'query', 'hits', 'emails', 'p50', 'p95', 'max', 'date-sorted p50 / p95'], 'rllrrrrrr', rows.map((r, i) => [
    i + 1, r.id, code(r.query), r.error ? `ERROR: ${r.error}` : String(r.total), String(r.emails ?? '–'), fmtMs(r.facets.p50), fmtMs(r.facets.p95), fmtMs(r.facets.max),
    r.dateSorted ? `${fmtMs(r.dateSorted.p50)} / ${fmtMs(r.dateSorted.p95)}` : '',
  ])));
  const pass = mix.p95 < TARGET_P95_MS;
  say(`\nWhole mix (${mix.n} timings): p50 ${fmtMs(mix.p50)} ms, p95 ${fmtMs(mix.p95)} ms, max ${fmtMs(mix.max)} ms, mean ${fmtMs(mix.mean)} ms.`);
  say(`Newest first (--sort date, ${DATE_SORTED.length} queries): p50 ${fmtMs(mixDate.p50)} ms, p95 ${fmtMs(mixDate.p95)} ms, max ${fmtMs(mixDate.max)} ms.`);
  say(`First search after opening the case (facets on, ${code(QUERIES[0]!.query)}): ${fmtMs(firstSearchMs)} ms.`);
  say(`${pass ? 'PASS' : 'FAIL'}  p95 of the mix with facets < ${TARGET_P95_MS} ms: ${fmtMs(mix.p95)} ms (${rows.filter((r) => r.facets.p95 >= TARGET_P95_MS).length} of ${rows.length} queries have p95 >= ${TARGET_P95_MS} ms).`);

  say('\n### Slowest queries: statements and plans (one profiled run each)\n');
  for (const p of profiles) {
    say(`- ${p.id} ${code(p.query)}${p.sort === 'date' ? ' (newest first)' : ''}: p95 ${fmtMs(p.p95)} ms; profiled run ${fmtMs(p.wallMs)} ms, of which ${fmtMs(p.outsideSqlMs)} ms outside SQL statements (JavaScript: ids, facets, hits)`);
    for (const s of p.statements.slice(0, 4)) {
      say(`  - ${fmtMs(s.ms)} ms in ${s.calls} call${s.calls > 1 ? 's' : ''}: ${code(s.sql.length > 160 ? `${s.sql.slice(0, 160)}…` : s.sql)}`);
      if (s.ms >= 0.2 * p.wallMs) for (const line of s.plan) say(`      ${line}`);
    }
  }

  if (nm && nmRows.length > 0 && nmStartup && nmCountAll) {
    const f2 = (x: number | null): string => (x === null ? '–' : x.toFixed(2));
    say(`\n### trove / notmuch (${nmRows.length} queries with the same meaning; p50 ms)\n`);
    say(`notmuch process start-up and database open (\`notmuch count id:${NOTHING}\`): p50 ${fmtMs(nmStartup.p50)} ms, p95 ${fmtMs(nmStartup.p95)} ms; \`notmuch count '*'\`: p50 ${fmtMs(nmCountAll.p50)} ms.`);
    if (cliStartup) say(`trove process start-up (\`trove search ${NOTHING} --no-facets --json\`): p50 ${fmtMs(cliStartup.p50)} ms, p95 ${fmtMs(cliStartup.p95)} ms.`);
    say('Columns: trove = store.search in process, facets on (no facets: off); notmuch in process = its Python bindings, count + first page; ' +
      'notmuch processes = `notmuch count` + `notmuch search --output=messages --limit=20`; corrected = that less twice the start-up; ' +
      'trove process = `trove search --json`. A ratio is trove / notmuch: below 1, trove is faster. Hit counts: trove\'s emails (notmuch holds nothing else) and `notmuch count`.\n');
    say(mdTable(
      ['id', 'notmuch query', 'trove', 'trove no facets', 'notmuch in process', 'ratio', 'ratio no facets', 'notmuch processes', 'corrected', 'ratio to corrected', 'trove process', 'process ratio', 'trove emails', 'notmuch count', 'diff'],
      `ll${'r'.repeat(13)}`,
      nmRows.map((r) => [
        r.id, code(r.notmuch), fmtMs(r.troveP50), fmtMs(r.troveNoFacetsP50), r.notmuchInProcessP50 === null ? '–' : fmtMs(r.notmuchInProcessP50), f2(r.ratioInProcess), f2(r.ratioInProcessNoFacets),
        fmtMs(r.notmuchRawP50), fmtMs(r.notmuchCorrectedP50), f2(r.ratioCorrected), r.troveCliP50 === null ? '–' : fmtMs(r.troveCliP50), f2(r.ratioRaw),
        String(r.troveEmails ?? '–'), notmuchErrors[r.id] ? 'ERROR' : String(r.notmuchCount ?? '–'), r.countDiffPct === null ? '–' : `${r.countDiffPct > 0 ? '+' : ''}${r.countDiffPct}%`,
      ]),
    ));
    if (overall) {
      say(`\nOverall (geometric mean of the per-query ratios; sums of p50):`);
      say(`- in process: ${overall.geomeanRatioInProcess ?? '–'} with facets, ${overall.geomeanRatioInProcessNoFacets ?? '–'} without; trove ${overall.sumTroveP50} ms (${overall.sumTroveNoFacetsP50} without facets) vs notmuch ${overall.sumNotmuchInProcessP50 ?? '–'} ms`);
      say(`- against notmuch's processes less their start-up: ${overall.geomeanRatioCorrected ?? '–'}; notmuch ${overall.sumNotmuchCorrectedP50} ms`);
      if (cli) say(`- as processes: ${overall.geomeanRatioRaw ?? '–'}; trove search ${overall.sumTroveCliP50} ms vs notmuch ${overall.sumNotmuchRawP50} ms`);
    }
    const far = nmRows.filter((r) => r.countDiffPct !== null && Math.abs(r.countDiffPct) > 5);
    if (far.length > 0) say(`\nHit counts more than 5% apart: ${far.map((r) => `${r.id} (${r.troveEmails} vs ${r.notmuchCount}${r.note ? `; query note: ${r.note}` : ''})`).join(', ')}.`);
    if (Object.keys(notmuchErrors).length > 0) say(`notmuch errors: ${Object.entries(notmuchErrors).map(([k, v]) => `${k}: ${v}`).join('; ')}`);
  }
  say(`\nMachine load during the timed rounds: other processes used ${fmtMs(load.keptRoundsOtherCpuPct.p50)}% of one core (median of kept rounds; max ${fmtMs(load.keptRoundsOtherCpuPct.max)}%)${load.disturbedKept > 0 ? `; ${load.disturbedKept} kept rounds were disturbed (>= ${QUIET_PCT}%): their figures are not trustworthy` : ''}.`);
  console.log(out.join('\n'));

  const resultsFile = join(opts.out, 'search-results.json');
  writeFileSync(resultsFile, JSON.stringify({
    date: new Date().toISOString(), machine, options: opts,
    units: { ms: 'milliseconds of wall time', MB: '10^6 bytes', otherCpuPct: 'CPU used by every other process meanwhile, in % of one core' },
    corpus: c, build: { trove, notmuch: nm }, sizes,
    queries: rows, mix, mixDateSorted: mixDate, target: { p95Ms: TARGET_P95_MS, pass }, firstSearchMs,
    profiles, notmuch: nm ? { startup: nmStartup, countAll: nmCountAll, troveCliStartup: cliStartup, rows: nmRows, overall, errors: notmuchErrors, bindings: bindingsRounds !== null } : null,
    load, report: out.join('\n'),
  }, null, 2));
  console.log(`\nResults: ${relative(process.cwd(), resultsFile)}; build logs: ${relative(process.cwd(), logs)}/`);
}

await main();
