/**
 * `npm run bench:ingest`: trove's ingest rate beside the peers (`notmuch new`, `mu index`) on one
 * generated maildir, then trove alone on a single large mbox to show that memory does not grow with
 * the trove. Prints a markdown table and writes the same as JSON (see bench/README.md).
 *
 * Each command runs with fresh database/case directories after a warm-up read of the corpus, so all
 * three see an equally warm page cache. Peak RSS is the sum of VmRSS over the command's process tree,
 * sampled every 50 ms; CPU is (user + system) / wall time, 200% meaning both of two cores busy.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLK_TCK, machineBusySeconds, ownCpuSeconds, QUIET_PCT, waitForQuiet } from './machine-load.ts';
import { GENERATOR, REPO, failer, generatorHash, manifestCount, readText, round, shellQuote, treeHash, walkFiles, which } from './harness.ts';

const fail = failer('ingest');

/** How long to wait for a quiet machine before each measurement (`--quiet-wait`). */
let quietWaitSeconds = 600;

const TROVE = join(REPO, 'src', 'cli', 'main.ts');
const SAMPLE_MS = 50;
/** Decimal units throughout: 1 MB = 10^6 bytes, 1 GB = 10^9 bytes. */
const MB = 1e6;
const GB = 1e9;
/** The issue's targets. */
const TARGET_MU_RATIO = 3;
const TARGET_PEAK_RSS_MB = 600;
/** "Both cores busy": average CPU at least this share of all cores. */
const TARGET_CPU_SHARE = 0.8;
/** "The same peak RSS": the mbox run may use at most this much more than the maildir run. */
const TARGET_MBOX_RSS_GROWTH = 1.25;

// ---- options ---------------------------------------------------------------------------------

const USAGE = `usage: node bench/ingest.ts [--messages N] [--seed S] [--out DIR] [--mbox-gb X] [--keep] [--workers N]
                            [--quiet-wait S] [--retries N]

  --messages N   messages in the maildir corpus (default 20000)
  --seed S       generator seed (default 1)
  --out DIR      where corpora, cases and results go (default bench/out)
  --mbox-gb X    size of the single-mbox test in GB (10^9 bytes; default 2; 0 skips it)
  --keep         reuse corpora generated earlier with the same parameters instead of regenerating
  --workers N    passed to \`trove ingest --workers\` (default: trove's own default, one per core)
  --quiet-wait S before each measured command, wait up to S seconds (default 600) for other processes
                 to leave the CPUs idle; 0 does not wait. Runs beside other load are flagged either way
  --retries N    measure a command again, up to N times (default 2), when other processes used the
                 CPUs meanwhile; the least disturbed measurement is kept`;

interface Options {
  messages: number;
  seed: string;
  out: string;
  mboxGb: number;
  keep: boolean;
  workers: string | null;
  quietWait: number;
  retries: number;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        messages: { type: 'string', default: '20000' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: join(REPO, 'bench', 'out') },
        'mbox-gb': { type: 'string', default: '2' },
        keep: { type: 'boolean', default: false },
        workers: { type: 'string' },
        'quiet-wait': { type: 'string', default: '600' },
        retries: { type: 'string', default: '2' },
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
  const messages = Number(values.messages);
  const mboxGb = Number(values['mbox-gb']);
  if (!Number.isInteger(messages) || messages < 1) fail('--messages takes a whole number of at least 1.');
  if (!Number.isFinite(mboxGb) || mboxGb < 0) fail('--mbox-gb takes a number of GB, 0 to skip the mbox test.');
  if (!/^\d+$/.test(values.seed)) fail('--seed takes a whole number.');
  const quietWait = Number(values['quiet-wait']);
  if (!Number.isFinite(quietWait) || quietWait < 0) fail('--quiet-wait takes a number of seconds.');
  const retries = Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0) fail('--retries takes a whole number.');
  return { messages, seed: values.seed, out: resolve(values.out), mboxGb, keep: values.keep, workers: values.workers ?? null, quietWait, retries };
}

// ---- tools -----------------------------------------------------------------------------------

function versionOf(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]!.trim();
}

// ---- process-tree sampling -------------------------------------------------------------------

/** USER_HZ: /proc reports CPU time in 1/100 s on every Linux architecture Node runs on. */

/** Whether the kernel lists children in /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN). */
const PROC_CHILDREN = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/** The process and all its descendants. */
function processTree(pid: number): number[] {
  const childrenOf = PROC_CHILDREN ? null : parentMap();
  const out: number[] = [];
  const visit = (p: number): void => {
    out.push(p);
    if (childrenOf) {
      for (const k of childrenOf.get(p) ?? []) visit(k);
      return;
    }
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      const kids = readText(`/proc/${p}/task/${t}/children`);
      if (kids) for (const k of kids.trim().split(/\s+/)) if (k) visit(Number(k));
    }
  };
  visit(pid);
  return out;
}

/** Children of every process, from the parent pid in each /proc/PID/stat (the slow way). */
function parentMap(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const text = readText(`/proc/${name}/stat`);
    if (!text) continue;
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    const list = map.get(ppid) ?? [];
    list.push(Number(name));
    map.set(ppid, list);
  }
  return map;
}

/** `comm`, user and system clock ticks from a /proc stat file. */
function parseStat(text: string | null): { comm: string; ticks: number } | null {
  if (!text) return null;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  // Fields after the comm start at field 3 (state): utime is field 14, stime field 15.
  return { comm: text.slice(open + 1, close), ticks: Number(f[11]) + Number(f[12]) };
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readText(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) : 0;
}

export interface Sample {
  /** Seconds since start. */
  t: number;
  rssMB: number;
  /** CPU use over the last interval, 100 = one core. */
  cpuPct: number;
}

/** Samples a running process tree: peak summed RSS, CPU ticks per process and per thread, a time series. */
class TreeSampler {
  readonly #root: number;
  readonly #skipRoot: boolean;
  readonly #timer: NodeJS.Timeout;
  readonly #start = performance.now();
  peakRssKb = 0;
  /** Last seen CPU ticks per process and per thread (threads keyed by pid/tid, with their name). */
  readonly #procTicks = new Map<number, number>();
  readonly #threads = new Map<string, { comm: string; ticks: number }>();
  readonly series: Sample[] = [];
  #lastSeriesT = 0;
  #lastSeriesTicks = 0;

  /** `skipRoot`: the root is a wrapper (`/usr/bin/time`) whose own few MB are not counted. */
  constructor(root: number, skipRoot: boolean) {
    this.#root = root;
    this.#skipRoot = skipRoot;
    this.#timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.sample();
  }

  sample(): void {
    const pids = processTree(this.#root).filter((p) => !(this.#skipRoot && p === this.#root));
    let rss = 0;
    for (const pid of pids) {
      rss += rssKb(pid);
      const st = parseStat(readText(`/proc/${pid}/stat`));
      if (st) this.#procTicks.set(pid, Math.max(st.ticks, this.#procTicks.get(pid) ?? 0));
      let tasks: string[] = [];
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        // exited
      }
      for (const tid of tasks) {
        const ts = parseStat(readText(`/proc/${pid}/task/${tid}/stat`));
        if (ts) this.#threads.set(`${pid}/${tid}`, ts);
      }
    }
    if (rss > this.peakRssKb) this.peakRssKb = rss;
    const t = (performance.now() - this.#start) / 1000;
    if (rss > 0 && (t - this.#lastSeriesT >= 1 || this.series.length === 0)) {
      const ticks = this.cpuSeconds() * CLK_TCK;
      const dt = t - this.#lastSeriesT;
      this.series.push({ t: round(t, 2), rssMB: round(rss * 1024 / MB, 1), cpuPct: dt > 0 ? round((ticks - this.#lastSeriesTicks) / CLK_TCK / dt * 100, 0) : 0 });
      this.#lastSeriesT = t;
      this.#lastSeriesTicks = ticks;
    }
  }

  /** CPU seconds of the tree as last sampled (misses at most the last interval). */
  cpuSeconds(): number {
    let sum = 0;
    for (const v of this.#procTicks.values()) sum += v;
    return sum / CLK_TCK;
  }

  /** CPU seconds per thread name (main thread, workers, libuv pool, V8 platform, ...), largest first. */
  threadCpu(): Record<string, number> {
    const byName = new Map<string, { n: number; seconds: number }>();
    for (const [key, { comm, ticks }] of this.#threads) {
      const [pid, tid] = key.split('/');
      const name = pid === tid && comm !== 'MainThread' ? `${comm} (main thread)` : comm;
      const e = byName.get(name) ?? { n: 0, seconds: 0 };
      e.n++;
      e.seconds += ticks / CLK_TCK;
      byName.set(name, e);
    }
    return Object.fromEntries([...byName].sort((a, b) => b[1].seconds - a[1].seconds).filter(([, e]) => e.seconds >= 0.05)
      .map(([k, e]) => [e.n > 1 ? `${k} x${e.n}` : k, round(e.seconds, 2)]));
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

// ---- running one command ---------------------------------------------------------------------

interface Measured {
  command: string;
  exitCode: number | null;
  wallSeconds: number;
  cpuSeconds: number;
  /** Summed VmRSS of the process tree, sampled; and the kernel's max RSS of the largest process if `time` is installed. */
  peakRssMB: number;
  maxRssMBFromTime: number | null;
  threadCpuSeconds: Record<string, number>;
  /** CPU seconds used by other processes on the machine meanwhile. */
  otherCpuSeconds: number;
  series: Sample[];
  stdout: string;
  stderr: string;
}

/** GNU time, for exact CPU seconds and the kernel's max RSS (the /proc samples are the fallback). */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<Measured> {
  const timeFile = `${logFile}.time`;
  rmSync(timeFile, { force: true });
  const argv = TIME ? ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args] : args;
  const exe = TIME ?? cmd;
  const command = [cmd, ...args].map(shellQuote).join(' ');
  await waitForQuiet(quietWaitSeconds, 2);
  console.log(`  $ ${envPrefix(env)}${command}`);
  const busy0 = machineBusySeconds();
  const own0 = ownCpuSeconds();
  const started = performance.now();
  const child = spawn(exe, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = new TreeSampler(child.pid!, TIME !== null);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exitCode = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const wallSeconds = (performance.now() - started) / 1000;
  sampler.stop();
  const machineSeconds = machineBusySeconds() - busy0;
  const ownSeconds = ownCpuSeconds() - own0;
  writeFileSync(logFile, `$ ${envPrefix(env)}${command}\n--- exit ${exitCode}, ${wallSeconds.toFixed(2)} s\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
  let cpuSeconds = sampler.cpuSeconds();
  let maxRssMBFromTime: number | null = null;
  if (TIME && existsSync(timeFile)) {
    // GNU time writes "Command exited with non-zero status N" before the format line.
    const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, user, sys, maxKb] = line.split(' ').map(Number);
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuSeconds = user! + sys!;
    if (Number.isFinite(maxKb)) maxRssMBFromTime = round(maxKb! * 1024 / MB, 1);
  }
  return {
    command: `${envPrefix(env)}${command}`, exitCode, wallSeconds, cpuSeconds,
    peakRssMB: round(sampler.peakRssKb * 1024 / MB, 1), maxRssMBFromTime,
    threadCpuSeconds: sampler.threadCpu(), series: sampler.series, stdout, stderr,
    otherCpuSeconds: round(Math.max(0, machineSeconds - ownSeconds - cpuSeconds), 2),
  };
}

function envPrefix(env: NodeJS.ProcessEnv): string {
  return Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v ?? '')} `).join('');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** Reads the corpus once so that every command starts with the same warm page cache. */
function warmUp(path: string): void {
  const t = performance.now();
  const r = spawnSync('sh', ['-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'warm-up', path], { stdio: 'inherit' });
  if (r.status !== 0) console.warn(`  (warm-up read of ${path} failed: exit ${r.status})`);
  console.log(`  warm-up: read ${relative(process.cwd(), path) || path} to /dev/null in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

function fresh(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

// ---- corpora ---------------------------------------------------------------------------------

interface Corpus {
  dir: string;
  /** What the tools are pointed at: the Maildir, or the mbox file. */
  path: string;
  layout: 'maildir' | 'mbox';
  messages: number;
  /** Where `messages` came from: the generator's manifest, or a count of files. */
  messagesFrom: string;
  bytes: number;
  files: number;
  generateSeconds: number | null;
  reused: boolean;
  command: string;
}

/** Identifies the trove source that was measured, when it has uncommitted changes. */
function sourceHash(): string {
  return treeHash([join(REPO, 'src')]);
}

async function corpus(opts: Options, layout: 'maildir' | 'mbox', messages: number): Promise<Corpus> {
  const key = `${layout}-n${messages}-s${opts.seed}-g${generatorHash()}`;
  const dir = join(opts.out, 'corpus', key);
  const marker = join(dir, '.bench-complete.json');
  const path = layout === 'maildir' ? join(dir, 'Maildir') : join(dir, 'all.mbox');
  const args = [GENERATOR, dir, '--messages', String(messages), '--seed', opts.seed, '--layout', layout];
  const command = [process.execPath, ...args].map(shellQuote).join(' ');
  if (opts.keep && existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as Corpus;
    console.log(`Reusing the ${layout} corpus in ${relative(process.cwd(), dir)} (--keep): ${saved.messages} messages, ${(saved.bytes / MB).toFixed(0)} MB.`);
    return { ...saved, dir, path, reused: true };
  }
  console.log(`Generating the ${layout} corpus: ${messages} messages, seed ${opts.seed}...`);
  console.log(`  $ ${command}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(opts.out, 'corpus'), { recursive: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const generateSeconds = (performance.now() - t) / 1000;
  if (r.status !== 0) fail(`the generator failed (exit ${r.status ?? r.signal}); see its output above.`);
  if (!existsSync(path)) fail(`the generator did not write ${path}.`);
  const { files, bytes } = layout === 'maildir' ? walkFiles(path) : { files: 1, bytes: statSync(path).size };
  const fromManifest = manifestCount(dir);
  const c: Corpus = {
    dir, path, layout, files, bytes, generateSeconds: round(generateSeconds, 1), reused: false, command,
    messages: fromManifest ?? (layout === 'maildir' ? files : messages),
    messagesFrom: fromManifest !== null ? 'manifest.jsonl' : layout === 'maildir' ? 'files in the Maildir' : '--messages given to the generator',
  };
  writeFileSync(marker, JSON.stringify(c, null, 2));
  console.log(`  ${c.messages} messages, ${(bytes / MB).toFixed(0)} MB, generated in ${generateSeconds.toFixed(0)} s.`);
  return c;
}

/** An mbox of `--mbox-gb` GB (within -3%/+10%) . */
const MBOX_SIZE_TOLERANCE = [0.97, 1.1] as const;

/**
 * Generates the single mbox. The generator's bytes per message change with the message count, so
 * the count is found by the secant method from the maildir corpus and earlier attempts, whose sizes
 * are remembered in `corpus/mbox-sizes.json` (a later run goes straight to the right count).
 */
async function mboxCorpus(opts: Options, maildir: Corpus): Promise<Corpus> {
  const target = opts.mboxGb * GB;
  const within = (b: number): boolean => b >= MBOX_SIZE_TOLERANCE[0] * target && b <= MBOX_SIZE_TOLERANCE[1] * target;
  const sizesFile = join(opts.out, 'corpus', 'mbox-sizes.json');
  let sizes: Record<string, Record<string, number>> = {};
  try {
    sizes = JSON.parse(readFileSync(sizesFile, 'utf8')) as typeof sizes;
  } catch {
    // none yet
  }
  const key = `seed ${opts.seed}, generator ${generatorHash()}`;
  const known = (sizes[key] ??= {});
  console.log('');
  for (let attempt = 1; ; attempt++) {
    const points = Object.entries(known).map(([n, b]) => [Number(n), b] as const);
    const good = points.find(([, b]) => within(b));
    let n: number;
    if (good) {
      n = good[0];
    } else {
      // The two points nearest the target (the maildir corpus is one: an mbox adds only "From " lines).
      const near = [[maildir.messages, maildir.bytes] as const, ...points].sort((a, b) => Math.abs(a[1] - target) - Math.abs(b[1] - target));
      const [p1, p2] = near as [readonly [number, number], (readonly [number, number])?];
      const slope = p2 && p2[0] !== p1[0] ? (p2[1] - p1[1]) / (p2[0] - p1[0]) : 0;
      n = Math.ceil(slope > 0 ? p1[0] + (target - p1[1]) / slope : p1[0] * target / p1[1]);
    }
    console.log(`The single-mbox test: ${opts.mboxGb} GB needs about ${n} messages${good ? ' (measured before)' : ''}.`);
    const c = await corpus(opts, 'mbox', n);
    known[n] = c.bytes;
    writeFileSync(sizesFile, JSON.stringify(sizes, null, 2));
    if (within(c.bytes) || attempt >= 5) {
      if (!within(c.bytes)) console.warn(`  (the mbox is ${(c.bytes / GB).toFixed(2)} GB, not ${opts.mboxGb} GB; going on with it)`);
      return c;
    }
    console.log(`  ${(c.bytes / GB).toFixed(2)} GB is too far from ${opts.mboxGb} GB; trying another count.`);
    rmSync(c.dir, { recursive: true, force: true });
  }
}

// ---- the runs --------------------------------------------------------------------------------

interface Row {
  tool: string;
  corpus: 'maildir' | 'mbox';
  messages: number;
  mb: number;
  seconds: number;
  msgPerSec: number;
  mbPerSec: number;
  peakRssMB: number;
  maxRssMBFromTime: number | null;
  cpuPct: number;
  /** CPU used by other processes meanwhile, in % of one core: high values mean the row is not trustworthy. */
  otherCpuPct: number;
  exitCode: number | null;
  commands: string[];
  /** What the tool's database says it holds, to compare with `messages`. */
  counted: number | null;
  countedHow: string;
  notes: string[];
  /** others CPU% of every measurement of this row (more than one when disturbed runs were repeated). */
  attempts: number[];
  threadCpuSeconds: Record<string, number>;
  series: Sample[];
  summary: string;
}

function row(tool: string, c: Corpus, m: Measured, extraSeconds = 0, extraCommands: string[] = []): Row {
  const seconds = m.wallSeconds + extraSeconds;
  return {
    tool, corpus: c.layout, messages: c.messages, mb: round(c.bytes / MB, 1), seconds: round(seconds, 2),
    msgPerSec: round(c.messages / seconds, 0), mbPerSec: round(c.bytes / MB / seconds, 1),
    peakRssMB: m.peakRssMB, maxRssMBFromTime: m.maxRssMBFromTime, cpuPct: round(m.cpuSeconds / seconds * 100, 0),
    otherCpuPct: round(m.otherCpuSeconds / seconds * 100, 0),
    exitCode: m.exitCode, commands: [...extraCommands, m.command], counted: null, countedHow: '', notes: [], attempts: [],
    threadCpuSeconds: m.threadCpuSeconds, series: m.series, summary: lastLines(`${m.stdout}\n${m.stderr}`, 8),
  };
}

function lastLines(text: string, n: number): string {
  // Progress bars redraw with \r: keep what the terminal would show last.
  return text.split('\n').map((l) => l.split('\r').pop()!.trimEnd()).filter((l) => l !== '').slice(-n).join('\n');
}

async function runNotmuch(c: Corpus, work: string, logs: string): Promise<Row> {
  const dir = fresh(join(work, 'notmuch'));
  const config = join(dir, 'notmuch-config');
  const db = join(dir, 'db');
  mkdirSync(db);
  // The database lives outside the corpus (database.path); mail_root is the Maildir; no hooks exist
  // in the fresh database directory, flags are not synchronised (nothing is renamed in the corpus).
  writeFileSync(config, [
    '[database]', `path=${db}`, `mail_root=${c.path}`, '',
    '[new]', 'tags=new;', 'ignore=', '',
    '[maildir]', 'synchronize_flags=false', '',
  ].join('\n'));
  const env = { NOTMUCH_CONFIG: config };
  warmUp(c.path);
  const m = await measure('notmuch', ['new', '--quiet'], env, join(logs, 'notmuch.log'));
  const r = row('notmuch new', c, m);
  const count = run('notmuch', ['count', '*'], env);
  r.counted = count.code === 0 ? Number(count.out.trim()) : null;
  r.countedHow = "notmuch count '*'";
  if (m.exitCode !== 0) r.notes.push(`notmuch new exited with ${m.exitCode}: ${lastLines(m.stderr, 3)}`);
  return r;
}

async function runMu(c: Corpus, work: string, logs: string): Promise<Row> {
  const home = fresh(join(work, 'mu'));
  warmUp(c.path);
  const init = await measure('mu', ['init', `--maildir=${c.path}`, `--muhome=${home}`, '--quiet'], {}, join(logs, 'mu-init.log'));
  if (init.exitCode !== 0) {
    const r = row('mu init + index', c, init);
    r.notes.push(`mu init exited with ${init.exitCode}: ${lastLines(init.stderr + init.stdout, 3)}`);
    return r;
  }
  const m = await measure('mu', ['index', `--muhome=${home}`, '--quiet'], {}, join(logs, 'mu-index.log'));
  const r = row('mu init + index', c, { ...m, cpuSeconds: m.cpuSeconds + init.cpuSeconds, otherCpuSeconds: m.otherCpuSeconds + init.otherCpuSeconds, peakRssMB: Math.max(m.peakRssMB, init.peakRssMB) }, init.wallSeconds, [init.command]);
  const info = run('mu', ['info', `--muhome=${home}`]);
  const match = /messages in store\s*\|\s*(\d+)/.exec(info.out);
  r.counted = match ? Number(match[1]) : null;
  r.countedHow = "mu info ('messages in store')";
  if (m.exitCode !== 0) r.notes.push(`mu index exited with ${m.exitCode}: ${lastLines(m.stderr, 3)}`);
  return r;
}

interface TroveStats {
  items: number;
  byKind: Record<string, number>;
  byFormat: Record<string, number>;
  errors: number;
  errorsByCode: Record<string, number>;
  pending: number;
  duplicateItems: number;
  messageIdConflicts: number;
}

async function runTrove(c: Corpus, work: string, logs: string, name: string, opts: Options): Promise<Row & { stats: TroveStats | null; errorSample: unknown[] }> {
  const caseDir = join(work, `trove-${name}.case`);
  rmSync(caseDir, { recursive: true, force: true });
  warmUp(c.path);
  const args = [TROVE, 'ingest', c.path, '--case', caseDir, '--quiet'];
  if (opts.workers !== null) args.push('--workers', opts.workers);
  const m = await measure(process.execPath, args, {}, join(logs, `trove-${name}.log`));
  const r = row(`trove ingest`, c, m);
  const s = run(process.execPath, [TROVE, 'stats', '--case', caseDir, '--json']);
  let stats: TroveStats | null = null;
  try {
    stats = JSON.parse(s.out) as TroveStats;
  } catch {
    r.notes.push(`trove stats --json failed (exit ${s.code}): ${lastLines(s.err, 3)}`);
  }
  r.counted = stats ? stats.byKind.email ?? 0 : null;
  r.countedHow = 'trove stats --json: byKind.email';
  if (m.exitCode !== 0) r.notes.push(`trove ingest exited with ${m.exitCode}${m.exitCode === 2 ? ' (some items failed)' : ''}`);
  if (stats && stats.errors > 0) r.notes.push(`trove recorded ${stats.errors} errors: ${JSON.stringify(stats.errorsByCode)}`);
  if (stats && stats.pending > 0) r.notes.push(`trove left ${stats.pending} containers unfinished`);
  let errorSample: unknown[] = [];
  if (stats && stats.errors > 0) {
    const e = run(process.execPath, [TROVE, 'errors', '--case', caseDir, '--json']);
    try {
      const all = JSON.parse(e.out) as unknown[];
      errorSample = Array.isArray(all) ? all.slice(0, 20) : [all];
    } catch {
      errorSample = [lastLines(e.out, 40)];
    }
  }
  return { ...r, stats, errorSample };
}

/**
 * Measures with `attempt` (given its log directory) and, while other processes disturbed the
 * measurement, again up to `retries` times; keeps the least disturbed. Retries log to `retry-N/`.
 */
async function leastDisturbed<R extends Row>(retries: number, logs: string, attempt: (logs: string) => Promise<R>): Promise<R> {
  let best: R | null = null;
  const seen: number[] = [];
  for (let i = 0; ; i++) {
    const dir = i === 0 ? logs : join(logs, `retry-${i}`);
    mkdirSync(dir, { recursive: true });
    const r = await attempt(dir);
    seen.push(r.otherCpuPct);
    if (!best || r.otherCpuPct < best.otherCpuPct) best = r;
    if (r.otherCpuPct < QUIET_PCT || i >= retries) break;
    console.log(`  other processes used ${r.otherCpuPct}% CPU meanwhile (${r.msgPerSec} msg/s): measuring again (${i + 1} of ${retries}).`);
  }
  best.attempts = seen;
  return best;
}

// ---- report ----------------------------------------------------------------------------------

function table(rows: Row[]): string {
  const head = ['tool', 'corpus', 'messages', 'MB', 'seconds', 'msg/s', 'MB/s', 'peak RSS MB', 'CPU%', 'others CPU%'];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((h, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const r of rows) {
    lines.push(`| ${[r.tool, r.corpus, r.messages, r.mb.toFixed(0), r.seconds.toFixed(1), r.msgPerSec.toFixed(0), r.mbPerSec.toFixed(1), r.peakRssMB.toFixed(0), `${r.cpuPct}%`, `${r.otherCpuPct}%`].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** RSS at a few points of a run, to show growth (or its absence). */
function rssProfile(series: Sample[]): string {
  if (series.length === 0) return '(no samples)';
  const at = [0.1, 0.25, 0.5, 0.75, 1].map((f) => series[Math.min(series.length - 1, Math.floor(f * (series.length - 1)))]!);
  return at.map((s) => `${s.rssMB.toFixed(0)} MB at ${s.t.toFixed(0)} s`).join(', ');
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  quietWaitSeconds = opts.quietWait;
  if (!existsSync(GENERATOR)) fail(`the corpus generator ${relative(process.cwd(), GENERATOR)} is missing.`);
  const peers = { notmuch: which('notmuch'), mu: which('mu') };
  const missing = Object.entries(peers).filter(([, p]) => p === null).map(([k]) => k);
  if (missing.length > 0) {
    console.warn(`Not installed: ${missing.join(', ')}; skipping ${missing.length === 1 ? 'it' : 'them'}. To compare, install them with:\n  sudo apt-get install notmuch maildir-utils\n`);
  }
  if (!TIME) console.warn('(/usr/bin/time is not installed: CPU time comes from /proc samples. `sudo apt-get install time` for exact figures.)');

  // Other benchmarks share --out (and its corpus cache): this one keeps to its own subdirectories.
  const work = join(opts.out, 'work', 'ingest');
  const logs = fresh(join(opts.out, 'logs', 'ingest'));
  mkdirSync(work, { recursive: true });
  const machine = {
    cores: availableParallelism(), cpu: cpus()[0]?.model ?? '?', memGB: round(totalmem() / GB, 1), node: process.version,
    notmuch: peers.notmuch ? versionOf('notmuch', ['--version']) : null,
    mu: peers.mu ? versionOf('mu', ['--version']) : null,
    trove: (() => {
      const r = run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
      const dirty = run('git', ['-C', REPO, 'status', '--porcelain', '--', 'src']).out.trim() !== '';
      return r.code === 0 ? `${r.out.trim()}${dirty ? ` + uncommitted changes in src/ (content ${sourceHash()})` : ''}` : `src/ content ${sourceHash()}`;
    })(),
  };
  console.log(`Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memGB} GB; node ${machine.node}; ${machine.notmuch ?? 'no notmuch'}; ${machine.mu ?? 'no mu'}; trove ${machine.trove}.\n`);

  const maildir = await corpus(opts, 'maildir', opts.messages);
  const rows: (Row & { stats?: TroveStats | null; errorSample?: unknown[] })[] = [];
  console.log('\nIngesting the maildir:');
  if (peers.notmuch) rows.push(await leastDisturbed(opts.retries, logs, (l) => runNotmuch(maildir, work, l)));
  if (peers.mu) rows.push(await leastDisturbed(opts.retries, logs, (l) => runMu(maildir, work, l)));
  const troveMaildir = await leastDisturbed(opts.retries, logs, (l) => runTrove(maildir, work, l, 'maildir', opts));
  rows.push(troveMaildir);

  let mbox: Corpus | null = null;
  let troveMbox: Awaited<ReturnType<typeof runTrove>> | null = null;
  if (opts.mboxGb > 0) {
    mbox = await mboxCorpus(opts, maildir);
    console.log('\nIngesting the mbox:');
    troveMbox = await leastDisturbed(opts.retries, logs, (l) => runTrove(mbox!, work, l, 'mbox', opts));
    rows.push(troveMbox);
  }

  // ---- verification
  const mismatches: string[] = [];
  for (const r of rows) {
    if (r.counted === null) mismatches.push(`${r.tool} (${r.corpus}): could not count what it holds (${r.countedHow}).`);
    else if (r.counted !== r.messages) mismatches.push(`${r.tool} (${r.corpus}): holds ${r.counted} messages by ${r.countedHow}, ${r.messages} were generated.`);
  }

  // ---- ratios and targets
  const rate = (tool: string): number | null => rows.find((r) => r.tool.startsWith(tool) && r.corpus === 'maildir')?.msgPerSec ?? null;
  const troveRate = troveMaildir.msgPerSec;
  const ratios = {
    troveOverNotmuch: rate('notmuch') ? round(troveRate / rate('notmuch')!, 2) : null,
    troveOverMu: rate('mu') ? round(troveRate / rate('mu')!, 2) : null,
  };
  const cores = availableParallelism();
  const checks: { target: string; measured: string; pass: boolean | null }[] = [
    { target: `trove/mu rate >= ${TARGET_MU_RATIO}x`, measured: ratios.troveOverMu === null ? 'mu not run' : `${ratios.troveOverMu}x`, pass: ratios.troveOverMu === null ? null : ratios.troveOverMu >= TARGET_MU_RATIO },
    { target: `both cores busy (CPU >= ${TARGET_CPU_SHARE * 100 * cores}%)`, measured: `${troveMaildir.cpuPct}%`, pass: troveMaildir.cpuPct >= TARGET_CPU_SHARE * 100 * cores },
    { target: `peak RSS < ${TARGET_PEAK_RSS_MB} MB (maildir)`, measured: `${troveMaildir.peakRssMB} MB`, pass: troveMaildir.peakRssMB < TARGET_PEAK_RSS_MB },
  ];
  if (troveMbox) {
    checks.push({ target: `peak RSS < ${TARGET_PEAK_RSS_MB} MB (single mbox)`, measured: `${troveMbox.peakRssMB} MB`, pass: troveMbox.peakRssMB < TARGET_PEAK_RSS_MB });
    checks.push({
      target: `mbox peak RSS <= ${TARGET_MBOX_RSS_GROWTH}x maildir peak RSS`, measured: `${round(troveMbox.peakRssMB / troveMaildir.peakRssMB, 2)}x`,
      pass: troveMbox.peakRssMB <= TARGET_MBOX_RSS_GROWTH * troveMaildir.peakRssMB,
    });
  }
  checks.push({ target: 'message counts match what was generated', measured: mismatches.length === 0 ? 'all match' : `${mismatches.length} mismatches`, pass: mismatches.length === 0 });

  // ---- print
  console.log(`\n## Ingest benchmark: ${maildir.messages} messages (${(maildir.bytes / MB).toFixed(0)} MB) as maildir${mbox ? `; one ${(mbox.bytes / GB).toFixed(2)} GB mbox (${mbox.messages} messages)` : ''}\n`);
  console.log(table(rows));
  console.log('');
  console.log(`trove/notmuch: ${ratios.troveOverNotmuch === null ? 'n/a (notmuch not run)' : `${ratios.troveOverNotmuch}x`}`);
  console.log(`trove/mu:      ${ratios.troveOverMu === null ? 'n/a (mu not run)' : `${ratios.troveOverMu}x`}`);
  console.log('');
  for (const c of checks) console.log(`${c.pass === null ? 'SKIP' : c.pass ? 'PASS' : 'FAIL'}  ${c.target}: ${c.measured}`);
  console.log('');
  for (const r of rows) {
    if (r.tool.startsWith('trove')) {
      console.log(`trove (${r.corpus}) CPU seconds by thread: ${Object.entries(r.threadCpuSeconds).map(([k, s]) => `${k} ${s}`).join(', ')}`);
      console.log(`trove (${r.corpus}) RSS over time: ${rssProfile(r.series)}`);
      console.log(`trove (${r.corpus}) said:\n${r.summary.split('\n').map((l) => `    ${l}`).join('\n')}`);
    }
  }
  if (mismatches.length > 0) console.log(`\nCount mismatches:\n${mismatches.map((m) => `  - ${m}`).join('\n')}`);
  for (const r of rows) {
    if (r.otherCpuPct >= QUIET_PCT) {
      r.notes.push(`other processes used ${r.otherCpuPct}% CPU (of one core) during this run${r.attempts.length > 1 ? ` (the least of ${r.attempts.length} attempts: ${r.attempts.join('%, ')}%)` : ''}: its figures are lowered by the contention; run again on a quiet machine`);
    }
  }
  const notes = rows.flatMap((r) => r.notes.map((n) => `${r.tool} (${r.corpus}): ${n}`));
  if (notes.length > 0) console.log(`\nNotes:\n${notes.map((n) => `  - ${n}`).join('\n')}`);

  const resultsFile = join(opts.out, 'ingest-results.json');
  const results = {
    date: new Date().toISOString(), machine,
    options: { messages: opts.messages, seed: opts.seed, mboxGb: opts.mboxGb, keep: opts.keep, workers: opts.workers, quietWait: opts.quietWait, retries: opts.retries },
    units: { MB: '10^6 bytes', GB: '10^9 bytes', cpuPct: '(user+system CPU seconds) / wall seconds x 100; 100 = one core busy', otherCpuPct: 'the same for every other process on the machine meanwhile', peakRssMB: `sum of VmRSS over the process tree, sampled every ${SAMPLE_MS} ms` },
    corpora: { maildir, mbox },
    rows, ratios, checks, mismatches, table: table(rows), logs,
  };
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  console.log(`\nResults: ${relative(process.cwd(), resultsFile)}; command output: ${relative(process.cwd(), logs)}/`);
}

await main();
