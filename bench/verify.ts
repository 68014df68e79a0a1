/**
 * `npm run bench:verify`: trove's DKIM verification rate on one generated maildir, beside the practical
 * limit (a bare-minimum node:crypto loop), mailauth and dkimpy, all with the same number of threads or
 * processes on the same messages, warm. Checks that the verifiers agree message by message, prints a
 * markdown table and writes the same as JSON (see bench/README.md).
 *
 * In-process verifiers run as worker threads under one harness (bench/verify-peers/harness.ts):
 * set-up (keys parsed once) and a warm-up pass are untimed; a timed pass is the wall clock from the
 * parent's `go` to the last worker's `done`. dkimpy runs as processes under the same protocol over
 * stdio. `trove verify` is timed end to end as a command (start-up, SQLite reads and writes included).
 * All verifiers are started first, then timed in rounds (one pass each per round), so that the
 * machine's slow spells fall on all of them alike; each row is the median of its quiet passes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { PeerData, PeerMessage } from './verify-peers/harness.ts';
import { parseZone } from './verify-peers/zone.ts';
import { machineBusySeconds, ownCpuSeconds, QUIET_PCT, waitForQuiet } from './machine-load.ts';
import { GENERATOR, REPO, failer, readText, shellQuote, treeHash } from './harness.ts';

const fail = failer('verify');

/** How long to wait for a quiet machine before each measurement (`--quiet-wait`). */
let quietWaitSeconds = 300;

const TROVE = join(REPO, 'src', 'cli', 'main.ts');
const PEERS = join(REPO, 'bench', 'verify-peers');
const MB = 1e6;

/** The issue's targets. */
const TARGET_SHARE_OF_BARE = 0.8;
const TARGET_MAILAUTH_RATIO = 5;
const TARGET_DKIMPY_RATIO = 7;
/** "Both cores used": average CPU at least this share of the threads given. */
const TARGET_CPU_SHARE = 0.8;
/** Disagreements above this share of the messages are a "large mismatch". */
const LARGE_MISMATCH = 0.01;
/** Other processes below this (in % of one core) leave the machine "quiet". */

const TOOLS = ['bare', 'trove', 'worker', 'cli', 'mailauth', 'dkimpy'] as const;
type Tool = (typeof TOOLS)[number];

const LABEL: Record<Tool, string> = {
  bare: 'bare-minimum node:crypto loop',
  trove: 'trove engine (verifyMessage)',
  worker: 'trove worker (+ shown-vs-signed)',
  cli: 'trove verify (CLI, end to end)',
  mailauth: 'mailauth dkimVerify',
  dkimpy: 'dkimpy DKIM.verify',
};

const USAGE = `usage: node bench/verify.ts [--messages N] [--seed S] [--out DIR] [--threads N] [--warmup N|all] [--repeat N]
                           [--only LIST] [--keep] [--quiet-wait S] [--profile DIR] [--corpus DIR]

  --messages N    messages in the maildir corpus (default 20000)
  --seed S        generator seed (default 1)
  --out DIR       corpora, cases, logs and results (default bench/out)
  --threads N     worker threads / processes per verifier (default 2)
  --warmup N|all  messages each thread verifies untimed before the timed passes (default all: a full pass)
  --repeat N      timed passes per verifier on a quiet machine (default 5), in rounds (one pass of each
                  verifier per round): passes that ran beside other load are repeated, up to 3N
                  passes; the row is the median of the quiet passes
  --only LIST     comma-separated subset of ${TOOLS.join(',')} (default all)
  --keep          reuse the case ingested by an earlier run (same corpus, same src/) for the CLI row
  --quiet-wait S  before each timed pass, wait up to S seconds (default 300) for other processes to
                  leave the CPUs idle; 0 does not wait. Runs beside other load are flagged either way
  --profile DIR   write a .cpuprofile per worker thread into DIR/<verifier> (bare, trove, worker, mailauth)
                  (then: node bench/verify-peers/profile-top.ts DIR/trove); profiling slows the runs
  --corpus DIR    use this generated corpus (DIR/Maildir, DIR/keys.zone) instead of the cached or
                  generated one for --messages and --seed`;

interface Options {
  messages: number;
  seed: string;
  out: string;
  threads: number;
  warmup: number | 'all';
  repeat: number;
  only: Tool[];
  keep: boolean;
  quietWait: number;
  profile: string | null;
  corpus: string | null;
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
        threads: { type: 'string', default: '2' },
        warmup: { type: 'string', default: 'all' },
        repeat: { type: 'string', default: '5' },
        only: { type: 'string', default: TOOLS.join(',') },
        keep: { type: 'boolean', default: false },
        'quiet-wait': { type: 'string', default: '300' },
        profile: { type: 'string' },
        corpus: { type: 'string' },
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
  const threads = Number(values.threads);
  const quietWait = Number(values['quiet-wait']);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) fail('--repeat takes a whole number of at least 1.');
  if (!Number.isInteger(messages) || messages < 1) fail('--messages takes a whole number of at least 1.');
  if (!Number.isInteger(threads) || threads < 1) fail('--threads takes a whole number of at least 1.');
  if (!/^\d+$/.test(values.seed)) fail('--seed takes a whole number.');
  if (!Number.isFinite(quietWait) || quietWait < 0) fail('--quiet-wait takes a number of seconds.');
  if (values.warmup !== 'all' && !/^\d+$/.test(values.warmup)) fail('--warmup takes a number of messages or "all".');
  const only = values.only.split(',').map((s) => s.trim()).filter(Boolean);
  for (const t of only) if (!(TOOLS as readonly string[]).includes(t)) fail(`--only: "${t}" is not one of ${TOOLS.join(', ')}.`);
  return {
    messages, seed: values.seed, out: resolve(values.out), threads, quietWait, keep: values.keep, repeat,
    warmup: values.warmup === 'all' ? 'all' : Number(values.warmup),
    only: TOOLS.filter((t) => only.includes(t)),
    profile: values.profile ? resolve(values.profile) : null,
    corpus: values.corpus ? resolve(values.corpus) : null,
  };
}

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- corpus (the same cache as bench/ingest.ts: bench/out/corpus/maildir-n<N>-s<seed>-g<generator hash>) ----

interface Corpus {
  key: string;
  dir: string;
  maildir: string;
  files: string[];
  /** Bytes of each file, in the order of `files`. */
  sizes: number[];
  bytes: number;
  reused: boolean;
  command: string;
}

function listMaildir(maildir: string): string[] {
  const out: string[] = [];
  for (const sub of ['cur', 'new']) {
    const d = join(maildir, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) out.push(join(d, name));
  }
  return out;
}

function givenCorpus(dir: string): Corpus {
  const maildir = join(dir, 'Maildir');
  if (!existsSync(join(dir, 'keys.zone'))) fail(`--corpus: ${dir} has no keys.zone.`);
  const files = listMaildir(maildir);
  if (files.length === 0) fail(`--corpus: no messages in ${maildir}.`);
  const sizes = files.map((f) => statSync(f).size);
  const bytes = sizes.reduce((s, n) => s + n, 0);
  console.log(`Using the corpus ${relative(process.cwd(), dir)} (--corpus): ${files.length} messages, ${(bytes / MB).toFixed(0)} MB.`);
  return { key: `given:${dir}`, dir, maildir, files, sizes, bytes, reused: true, command: '(given with --corpus)' };
}

function corpus(opts: Options): Corpus {
  if (opts.corpus) return givenCorpus(opts.corpus);
  const key = `maildir-n${opts.messages}-s${opts.seed}-g${treeHash([GENERATOR, join(REPO, 'test', 'support', 'generator')])}`;
  const dir = join(opts.out, 'corpus', key);
  const marker = join(dir, '.bench-complete.json');
  const maildir = join(dir, 'Maildir');
  const args = [GENERATOR, dir, '--messages', String(opts.messages), '--seed', opts.seed, '--layout', 'maildir'];
  const command = [process.execPath, ...args].map(shellQuote).join(' ');
  let reused = true;
  if (!existsSync(marker)) {
    reused = false;
    console.log(`Generating the maildir corpus: ${opts.messages} messages, seed ${opts.seed}...\n  $ ${command}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(opts.out, 'corpus'), { recursive: true });
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) fail(`the generator failed (exit ${r.status ?? r.signal}).`);
    const files = listMaildir(maildir);
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    // The marker bench/ingest.ts writes, so that either benchmark reuses the other's corpus.
    writeFileSync(marker, JSON.stringify({
      dir, path: maildir, layout: 'maildir', files: files.length, bytes, generateSeconds: round((performance.now() - t) / 1000, 1),
      reused: false, command, messages: files.length, messagesFrom: 'files in the Maildir',
    }, null, 2));
  }
  const files = listMaildir(maildir);
  if (files.length === 0) fail(`no messages in ${maildir}.`);
  const sizes = files.map((f) => statSync(f).size);
  const bytes = sizes.reduce((s, n) => s + n, 0);
  console.log(`${reused ? 'Reusing' : 'Using'} the corpus ${relative(process.cwd(), dir)}: ${files.length} messages, ${(bytes / MB).toFixed(0)} MB.`);
  return { key, dir, maildir, files, sizes, bytes, reused, command };
}

/** What the generator meant each message to be (manifest.jsonl `expect`), counted. */
function manifestExpectations(dir: string): Record<string, number> | null {
  const text = readText(join(dir, 'manifest.jsonl'));
  if (text === null) return null;
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"type":"message"')) continue;
    const expect = (JSON.parse(line) as { expect?: string }).expect ?? 'unknown';
    counts[expect] = (counts[expect] ?? 0) + 1;
  }
  return counts;
}

/** A timed window: wall seconds, and the CPU the rest of the machine used meanwhile. */
function startWindow(): (measuredCpuSeconds: number) => { seconds: number; otherCpuPct: number } {
  const t = performance.now();
  const b0 = machineBusySeconds();
  const o0 = ownCpuSeconds();
  return (measured) => {
    const seconds = (performance.now() - t) / 1000;
    const other = machineBusySeconds() - b0 - (ownCpuSeconds() - o0) - measured;
    return { seconds, otherCpuPct: round(Math.max(0, other / seconds) * 100) };
  };
}

// ---- running the verifiers ---------------------------------------------------------------------

interface Row {
  tool: Tool;
  label: string;
  threads: number;
  messages: number;
  seconds: number;
  msgPerSec: number;
  /** (user + system) / wall × 100 over the timed pass: 100 = one core busy. */
  cpuPct: number;
  otherCpuPct: number;
  /** Set-up and warm-up, per thread (ms), untimed. */
  setupMs: number[];
  warmupMs: number[];
  /** Every timed pass; the row's figures are those of the median pass. */
  passes: PassFigures[];
  command: string | null;
  notes: string[];
}

interface PassFigures {
  /** The round (from 1) in which the pass ran. */
  round: number;
  seconds: number;
  msgPerSec: number;
  cpuPct: number;
  otherCpuPct: number;
  /** Each thread's (process's) own time for its share: how evenly the work was spread. */
  threadSeconds: number[];
}

interface Outcome {
  row: Row;
  /** One letter per corpus file (see Code), or null when the tool gives none. */
  codes: string | null;
  verdicts: Record<string, number> | null;
}

/**
 * The threads' shares of the corpus: each file, in order, goes to the share with the fewest bytes so
 * far, so that the shares hold about as many bytes (and messages) as each other. `index[t][j]` is
 * the corpus position of the j-th file of share t.
 */
interface Shares {
  files: string[][];
  index: number[][];
}

function shares(c: Corpus, threads: number): Shares {
  const files: string[][] = Array.from({ length: threads }, () => []);
  const index: number[][] = Array.from({ length: threads }, () => []);
  const bytes = new Array<number>(threads).fill(0);
  c.files.forEach((f, i) => {
    let t = 0;
    for (let k = 1; k < threads; k++) if (bytes[k]! < bytes[t]!) t = k;
    files[t]!.push(f);
    index[t]!.push(i);
    bytes[t]! += c.sizes[i]!;
  });
  return { files, index };
}

/** Puts per-share letters back in corpus order. */
function interleave(parts: string[], index: number[][], total: number): string {
  const out: string[] = new Array<string>(total);
  for (let t = 0; t < parts.length; t++) for (let j = 0; j < parts[t]!.length; j++) out[index[t]![j]!] = parts[t]![j]!;
  return out.join('');
}

function baseRow(tool: Tool, threads: number, messages: number): Row {
  return { tool, label: LABEL[tool], threads, messages, seconds: 0, msgPerSec: 0, cpuPct: 0, otherCpuPct: 0, setupMs: [], warmupMs: [], passes: [], command: null, notes: [] };
}

function figures(roundNo: number, messages: number, seconds: number, cpuSeconds: number, otherCpuPct: number, threadSeconds: number[]): PassFigures {
  return { round: roundNo, seconds: round(seconds, 3), msgPerSec: round(messages / seconds), cpuPct: round((cpuSeconds / seconds) * 100), otherCpuPct, threadSeconds };
}

const isClean = (p: PassFigures): boolean => p.otherCpuPct < QUIET_PCT;

/** Passes are repeated until `repeat` of them ran on a quiet machine, or this many times `repeat` were made. */
const MAX_ATTEMPTS_FACTOR = 3;

/** The row's figures: the median (by time) of the passes that ran on a quiet machine, else of all. */
function finish(row: Row): void {
  const clean = row.passes.filter(isClean);
  const sorted = [...(clean.length > 0 ? clean : row.passes)].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  row.seconds = median.seconds;
  row.msgPerSec = median.msgPerSec;
  row.cpuPct = median.cpuPct;
  row.otherCpuPct = median.otherCpuPct;
  const loaded = row.passes.filter((p) => !isClean(p));
  if (loaded.length > 0) {
    row.notes.push(`${loaded.length} of ${row.passes.length} timed passes ran beside other processes (${loaded.map((p) => `${p.otherCpuPct}%`).join(', ')} of one core)${clean.length > 0 ? ' and were left out of the median' : ': the figures are lowered by the contention'}`);
  }
}

/** Whether another timed pass is wanted. */
function morePasses(row: Row, repeat: number): boolean {
  return row.passes.filter(isClean).length < repeat && row.passes.length < repeat * MAX_ATTEMPTS_FACTOR;
}

function passLine(label: string, p: PassFigures, messages: number): string {
  const spread = p.threadSeconds.length > 1 ? `, threads ${p.threadSeconds.map((t) => t.toFixed(2)).join('/')} s` : '';
  return `  ${label}: ${messages} messages in ${p.seconds.toFixed(2)} s: ${p.msgPerSec} msg/s, CPU ${p.cpuPct}%${spread}${p.otherCpuPct >= QUIET_PCT ? ` (other load ${p.otherCpuPct}%)` : ''}`;
}

interface Channel {
  send: () => void;
  stop: () => void;
  next: () => Promise<PeerMessage>;
  close: () => Promise<void>;
}

/**
 * One verifier: started once (threads or processes spawned, set-up and warm-up done), then asked for
 * timed passes in rounds with the other verifiers, so that a slow spell of the machine falls on all
 * of them alike rather than on one.
 */
interface Runner {
  row: Row;
  start: () => Promise<void>;
  pass: (roundNo: number) => Promise<void>;
  close: () => Promise<void>;
  /** Notes once every pass is done. */
  finalize?: () => void;
  /** One letter per corpus file (see Code) from the last pass, when the verifier gives them. */
  codes: string | null;
  verdicts: Record<string, number> | null;
}

function warmupCount(opts: Options, share: number): number {
  return opts.warmup === 'all' ? share : Math.min(opts.warmup, share);
}

/** A verifier that follows the protocol of bench/verify-peers/harness.ts over `channels`. */
function protocolRunner(tool: Tool, opts: Options, c: Corpus, open: (split: Shares) => Channel[], childCpu: (done: PeerMessage[]) => number | null, command: string | null): Runner {
  const split = shares(c, opts.threads);
  const total = c.files.length;
  const row = baseRow(tool, opts.threads, total);
  row.command = command;
  let channels: Channel[] = [];
  const runner: Runner = {
    row,
    codes: null,
    verdicts: null,
    async start() {
      channels = open(split);
      const ready = await Promise.all(channels.map((ch) => ch.next()));
      for (const m of ready) {
        if (m.type === 'error') throw new Error(m.message);
        if (m.type === 'ready') {
          row.setupMs.push(round(m.setupMs));
          row.warmupMs.push(round(m.warmupMs));
        }
      }
    },
    async pass(roundNo: number) {
      const cpu0 = ownCpuSeconds();
      const end = startWindow();
      for (const ch of channels) ch.send();
      const done = await Promise.all(channels.map((ch) => ch.next()));
      const ownCpu = ownCpuSeconds() - cpu0;
      const children = childCpu(done) ?? 0;
      const { seconds, otherCpuPct } = end(children);
      const parts: string[] = [];
      const threadSeconds: number[] = [];
      let verdicts: Record<string, number> | null = null;
      for (const m of done) {
        if (m.type === 'error') throw new Error(m.message);
        if (m.type !== 'done') throw new Error(`unexpected message ${m.type}`);
        parts.push(m.codes);
        threadSeconds.push(round(m.ms / 1000, 3));
        if (m.extra) {
          verdicts ??= {};
          for (const [k, n] of Object.entries(m.extra)) verdicts[k] = (verdicts[k] ?? 0) + n;
        }
      }
      const codes = interleave(parts, split.index, total);
      if (runner.codes !== null && codes !== runner.codes) row.notes.push(`pass ${row.passes.length + 1} gave different verdicts from the pass before`);
      runner.codes = codes;
      runner.verdicts = verdicts;
      const f = figures(roundNo, total, seconds, ownCpu + children, otherCpuPct, threadSeconds);
      row.passes.push(f);
      console.log(passLine(row.label, f, total));
    },
    async close() {
      for (const ch of channels) ch.stop();
      await Promise.all(channels.map((ch) => ch.close()));
    },
  };
  return runner;
}

/** A queue of protocol messages, for a channel. */
function mailbox(): { push: (m: PeerMessage) => void; next: () => Promise<PeerMessage> } {
  const queue: PeerMessage[] = [];
  const waiting: ((m: PeerMessage) => void)[] = [];
  return {
    push: (m) => {
      const w = waiting.shift();
      if (w) w(m);
      else queue.push(m);
    },
    next: () => new Promise<PeerMessage>((r) => {
      const m = queue.shift();
      if (m) r(m);
      else waiting.push(r);
    }),
  };
}

function threadRunner(tool: Tool, module: string, opts: Options, c: Corpus, zone: string, asOf: string): Runner {
  const execArgv = profileArgs(opts, tool);
  const open = (split: Shares): Channel[] => split.files.map((share) => {
    const data: PeerData = { files: share, warmup: warmupCount(opts, share.length), zone, asOf };
    const worker = new Worker(join(PEERS, module), { workerData: data, execArgv: [...process.execArgv, ...execArgv] });
    const box = mailbox();
    worker.on('message', box.push);
    worker.on('error', (err) => box.push({ type: 'error', message: err.stack ?? err.message }));
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.on('exit', (code) => box.push({ type: 'error', message: `the worker exited (code ${code})` }));
    return {
      send: () => worker.postMessage('go'),
      stop: () => worker.postMessage('stop'),
      next: box.next,
      close: async () => {
        // A worker exits by itself after `stop`; a profiled one must, to write its profile.
        if (execArgv.length > 0) await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
        await worker.terminate();
      },
    };
  });
  return protocolRunner(tool, opts, c, open, () => null, `worker threads running bench/verify-peers/${module}`);
}

/** `--cpu-prof` for the worker threads of one verifier, into `--profile DIR/<tool>`. */
function profileArgs(opts: Options, tool: Tool): string[] {
  if (!opts.profile) return [];
  const dir = join(opts.profile, tool);
  rmSync(dir, { recursive: true, force: true });
  console.log(`  profiling ${tool} into ${relative(process.cwd(), dir)} (then: node bench/verify-peers/profile-top.ts ${relative(process.cwd(), dir)})`);
  return ['--cpu-prof', '--cpu-prof-dir', dir];
}

function findPython(): { python: string; version: string } | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import sys, importlib.metadata as m, dkim; print(sys.version.split()[0], m.version("dkimpy"))'], { encoding: 'utf8' });
    if (r.status === 0) {
      const [py, dk] = r.stdout.trim().split(' ');
      return { python, version: `dkimpy ${dk} (Python ${py})` };
    }
  }
  return null;
}

function dkimpyRunner(opts: Options, c: Corpus, zone: string, python: string, work: string): Runner {
  const zoneFile = join(work, 'zone.json');
  writeFileSync(zoneFile, JSON.stringify(Object.fromEntries(parseZone(zone))));
  const open = (split: Shares): Channel[] => split.files.map((share, i) => {
    const list = join(work, `dkimpy-share-${i}.txt`);
    writeFileSync(list, `${share.join('\n')}\n`);
    const child = spawn(python, [join(PEERS, 'dkimpy_runner.py'), list, zoneFile, String(warmupCount(opts, share.length))], { stdio: ['pipe', 'pipe', 'pipe'] });
    const box = mailbox();
    let stderr = '';
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          box.push(JSON.parse(line) as PeerMessage);
        } catch {
          stderr += `${line}\n`;
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => box.push({ type: 'error', message: `python exited (code ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}` }));
    return {
      send: () => child.stdin.write('go\n'),
      stop: () => child.stdin.end('stop\n'),
      next: box.next,
      close: async () => {
        child.removeAllListeners('close');
        if (child.exitCode === null) {
          await new Promise<void>((r) => {
            child.once('exit', () => r());
            child.kill();
          });
        }
      },
    };
  });
  const cpu = (done: PeerMessage[]): number => done.reduce((s, m) => s + ((m as { cpuMs?: number }).cpuMs ?? 0) / 1000, 0);
  return protocolRunner('dkimpy', opts, c, open, cpu, `${opts.threads} × ${python} bench/verify-peers/dkimpy_runner.py SHARE_LIST ZONE_JSON WARMUP`);
}

/** Runs a command under bash's `time` (children's CPU seconds), output to a log. */
function runTimed(args: string[], log: string): { code: number | null; seconds: number; cpuSeconds: number | null; otherCpuPct: number; stdout: string; stderr: string } {
  const end = startWindow();
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="@@cpu %3U %3S"; time "$@"', 'bench-verify', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const m = /@@cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  const cpuSeconds = m ? Number(m[1]) + Number(m[2]) : null;
  const { seconds, otherCpuPct } = end(cpuSeconds ?? 0);
  const stderr = (r.stderr ?? '').replace(/@@cpu [\d.]+ [\d.]+\s*$/, '');
  writeFileSync(log, `$ ${args.map(shellQuote).join(' ')}\n--- exit ${r.status}, ${seconds.toFixed(2)} s\n--- stdout\n${r.stdout}\n--- stderr\n${stderr}`);
  return { code: r.status, seconds, cpuSeconds, otherCpuPct, stdout: r.stdout ?? '', stderr };
}

/** What `trove verify --json` prints. */
interface CliProgress {
  done: number;
  total: number;
  elapsedMs: number;
  byVerdict: Record<string, number>;
  failed: number;
}

/** `trove verify --case C --all` as a command, on a case ingested once (untimed). */
function cliRunner(opts: Options, c: Corpus, logs: string, srcHash: string): Runner {
  const caseDir = join(opts.out, 'work', 'verify.case');
  const marker = join(opts.out, 'work', 'verify.case.json');
  const row = baseRow('cli', availableParallelism(), 0);
  const args = [process.execPath, TROVE, 'verify', '--case', caseDir, '--all', '--json'];
  row.command = args.map(shellQuote).join(' ');
  const ownTimer: number[] = [];
  let last: CliProgress | null = null;
  const runner: Runner = {
    row,
    codes: null,
    verdicts: null,
    async start() {
      const want = { corpus: c.key, src: srcHash };
      const saved = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as typeof want) : null;
      if (opts.keep && saved?.corpus === want.corpus && saved.src === want.src && existsSync(caseDir)) {
        console.log(`  reusing the case ${relative(process.cwd(), caseDir)} (--keep)`);
      } else {
        rmSync(caseDir, { recursive: true, force: true });
        rmSync(marker, { force: true });
        mkdirSync(join(opts.out, 'work'), { recursive: true });
        // The keys first (into the empty case, so nothing is verified yet), then the messages, unverified.
        const steps: { name: string; args: string[] }[] = [
          { name: 'keys import', args: [process.execPath, TROVE, 'keys', 'import', join(c.dir, 'keys.zone'), '--case', caseDir] },
          { name: 'ingest', args: [process.execPath, TROVE, 'ingest', c.maildir, '--case', caseDir, '--no-verify', '--quiet'] },
        ];
        for (const step of steps) {
          const log = join(logs, `verify-${step.name.replace(' ', '-')}.log`);
          console.log(`  (untimed) $ ${step.args.map(shellQuote).join(' ')}`);
          const r = runTimed(step.args, log);
          if (r.code !== 0) throw new Error(`trove ${step.name} exited ${r.code} (see ${relative(process.cwd(), log)})`);
          console.log(`    done in ${r.seconds.toFixed(1)} s`);
        }
        writeFileSync(marker, JSON.stringify(want));
      }
      console.log(`  timed passes: $ ${row.command}`);
      if (opts.warmup === 'all' || opts.warmup > 0) {
        const w = runTimed(args, join(logs, 'verify-cli-warmup.log'));
        if (w.code !== 0) throw new Error(`trove verify exited ${w.code} (see ${relative(process.cwd(), join(logs, 'verify-cli-warmup.log'))})`);
        row.warmupMs.push(round(w.seconds * 1000));
      }
    },
    async pass(roundNo: number) {
      const log = join(logs, `verify-cli-${row.passes.length + 1}.log`);
      const r = runTimed(args, log);
      let progress: CliProgress | null = null;
      try {
        progress = JSON.parse(r.stdout) as CliProgress;
      } catch {
        // below
      }
      if (!progress) throw new Error(`trove verify exited ${r.code} without its JSON summary (see ${relative(process.cwd(), log)})`);
      if (r.cpuSeconds === null && row.passes.length === 0) row.notes.push('CPU time not available (bash `time` output not found)');
      last = progress;
      row.messages = progress.done;
      runner.verdicts = progress.byVerdict;
      ownTimer.push(progress.elapsedMs / 1000);
      const f = figures(roundNo, progress.done, r.seconds, r.cpuSeconds ?? 0, r.otherCpuPct, []);
      row.passes.push(f);
      console.log(passLine(row.label, f, progress.done));
    },
    async close() {},
    finalize() {
      if (!last || ownTimer.length === 0) return;
      const own = [...ownTimer].sort((a, b) => a - b)[Math.floor((ownTimer.length - 1) / 2)]!;
      row.notes.push(`trove's own timer (verification only, no start-up), median: ${own.toFixed(2)} s, ${round(last.done / own)} msg/s`);
      if (last.failed > 0) row.notes.push(`${last.failed} emails could not be verified`);
      if (row.threads !== opts.threads) row.notes.push(`trove verify uses one worker per core (${row.threads}), not --threads ${opts.threads}`);
    },
  };
  return runner;
}

/** Starts every verifier, then runs rounds of timed passes (one per verifier, order rotating). */
async function runAll(runners: Runner[], repeat: number): Promise<void> {
  const active: Runner[] = [];
  const failed = async (r: Runner, err: unknown): Promise<void> => {
    const message = (err as Error).message ?? String(err);
    r.row.notes.push(`failed: ${message.split('\n')[0]}`);
    r.row.messages = 0;
    r.row.passes = [];
    r.codes = null;
    r.verdicts = null;
    console.warn(`  ${r.row.label} failed: ${message}`);
    const at = active.indexOf(r);
    if (at >= 0) active.splice(at, 1);
    await r.close().catch(() => undefined);
  };
  for (const r of runners) {
    console.log(`\nStarting ${r.row.label} (${r.row.threads} ${r.row.tool === 'dkimpy' ? 'processes' : r.row.tool === 'cli' ? 'workers' : 'threads'}; set-up and warm-up untimed)`);
    active.push(r);
    try {
      await r.start();
    } catch (err) {
      await failed(r, err);
    }
  }
  for (let round = 0; active.some((r) => morePasses(r.row, repeat)); round++) {
    console.log(`\nRound ${round + 1}`);
    const order = active.map((_, i) => active[(i + round) % active.length]!);
    for (const r of order) {
      if (!active.includes(r) || !morePasses(r.row, repeat)) continue;
      await waitForQuiet(quietWaitSeconds, 1);
      try {
        await r.pass(round + 1);
      } catch (err) {
        await failed(r, err);
      }
    }
  }
  for (const r of active) {
    finish(r.row);
    r.finalize?.();
    await r.close();
  }
}

// ---- agreement ---------------------------------------------------------------------------------

interface Agreement {
  counts: Record<string, { unsigned: number; pass: number; passAfterRepair: number; passExpired: number; fail: number }>;
  /** Per peer: messages where its letter differs from trove's, by pair ("trove p / mailauth f"). */
  disagreements: Record<string, { total: number; byPair: Record<string, number>; examples: { file: string; trove: string; peer: string }[]; large: boolean }>;
  /** Per peer: differences that follow from a documented difference of policy, not a disagreement. */
  expected: Record<string, Record<string, number>>;
}

/**
 * Why trove's letter `a` may differ from a peer's `b` by design, or null when it may not: trove
 * passes after undoing transport damage (no peer repairs), and reports an expired x= without failing
 * the signature (mailauth and dkimpy fail it; the bare-minimum loop does not look at x=).
 */
function policyDifference(a: string, b: string, peer: Tool): string | null {
  if (a === 'r' && b === 'f') return 'trove passes after a repair';
  if (a === 'x' && b === 'f' && peer !== 'bare') return `x= has passed: trove reports it, ${peer} fails the signature`;
  if (a === 'x' && b === 'p' && peer === 'bare') return 'x= has passed: trove reports it, the bare-minimum loop ignores x=';
  return null;
}

function agreement(outcomes: Outcome[], files: string[], dir: string): Agreement {
  const counts: Agreement['counts'] = {};
  for (const o of outcomes) {
    if (!o.codes) continue;
    const c = { unsigned: 0, pass: 0, passAfterRepair: 0, passExpired: 0, fail: 0 };
    for (const ch of o.codes) {
      if (ch === 'n') c.unsigned++;
      else if (ch === 'p') c.pass++;
      else if (ch === 'r') c.passAfterRepair++;
      else if (ch === 'x') c.passExpired++;
      else c.fail++;
    }
    counts[o.row.tool] = c;
  }
  const disagreements: Agreement['disagreements'] = {};
  const expected: Agreement['expected'] = {};
  const trove = outcomes.find((o) => o.row.tool === 'trove')?.codes;
  if (trove) {
    for (const o of outcomes) {
      if (!o.codes || o.row.tool === 'trove') continue;
      const d = { total: 0, byPair: {} as Record<string, number>, examples: [] as { file: string; trove: string; peer: string }[], large: false };
      const e: Record<string, number> = {};
      for (let i = 0; i < files.length; i++) {
        const a = trove[i]!;
        const b: string = o.codes[i]!;
        if (a === b) continue;
        const why = policyDifference(a, b, o.row.tool);
        if (why) {
          e[why] = (e[why] ?? 0) + 1;
          continue;
        }
        d.total++;
        const pair = `trove ${a} / ${o.row.tool} ${b}`;
        d.byPair[pair] = (d.byPair[pair] ?? 0) + 1;
        if (d.examples.length < 5) d.examples.push({ file: relative(dir, files[i]!), trove: a, peer: b });
      }
      d.large = d.total > LARGE_MISMATCH * files.length;
      disagreements[o.row.tool] = d;
      expected[o.row.tool] = e;
    }
  }
  return { counts, disagreements, expected };
}

// ---- report ------------------------------------------------------------------------------------

function table(rows: Row[]): string {
  const rate = (t: Tool): number | null => rows.find((r) => r.tool === t && r.messages > 0)?.msgPerSec ?? null;
  const bare = rate('bare');
  const mailauth = rate('mailauth');
  const dkimpy = rate('dkimpy');
  const ratio = (x: number, y: number | null): string => (y ? `${(x / y).toFixed(2)}×` : '–');
  const head = ['verifier', 'threads', 'messages', 'seconds', 'msg/s', 'CPU%', 'others CPU%', '% of bare minimum', 'vs mailauth', 'vs dkimpy'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i < 1 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) {
    if (r.messages === 0) {
      lines.push(`| ${r.label} | ${r.threads} | – | – | – | – | – | – | – | – |`);
      continue;
    }
    lines.push(`| ${[r.label, r.threads, r.messages, r.seconds.toFixed(2), r.msgPerSec, `${r.cpuPct}%`, `${r.otherCpuPct}%`,
      bare ? `${((r.msgPerSec / bare) * 100).toFixed(0)}%` : '–', ratio(r.msgPerSec, mailauth), ratio(r.msgPerSec, dkimpy)].join(' | ')} |`);
  }
  return lines.join('\n');
}

interface Target {
  what: string;
  pass: boolean | null;
  value: string;
}

/**
 * The ratio of two verifiers' rates round by round (quiet passes of the same round only): less
 * sensitive to the machine's drift than the ratio of the medians. Median, lowest and highest.
 */
function pairedRatio(a: Row, b: Row): { median: number; min: number; max: number; rounds: number } | null {
  const ratios: number[] = [];
  for (const p of a.passes.filter(isClean)) {
    const q = b.passes.find((x) => x.round === p.round && isClean(x));
    if (q) ratios.push(p.msgPerSec / q.msgPerSec);
  }
  if (ratios.length === 0) return null;
  ratios.sort((x, y) => x - y);
  return { median: ratios[Math.floor((ratios.length - 1) / 2)]!, min: ratios[0]!, max: ratios[ratios.length - 1]!, rounds: ratios.length };
}

function targets(rows: Row[], threads: number): Target[] {
  const get = (t: Tool): Row | null => rows.find((r) => r.tool === t && r.messages > 0) ?? null;
  const out: Target[] = [];
  for (const t of ['trove', 'cli'] as const) {
    const r = get(t);
    if (!r) continue;
    const name = t === 'trove' ? 'trove engine' : 'trove verify (CLI)';
    const ratio = (what: string, other: Tool, min: number, unit: (x: number) => string): void => {
      const o = get(other);
      if (!o) {
        out.push({ what: `${name}: ${what}`, pass: null, value: 'not measured' });
        return;
      }
      const value = r.msgPerSec / o.msgPerSec;
      const paired = pairedRatio(r, o);
      const detail = paired ? ` (round by round: median ${unit(paired.median)}, ${unit(paired.min)} to ${unit(paired.max)} over ${paired.rounds} rounds)` : '';
      out.push({ what: `${name}: ${what}`, pass: value >= min, value: `${unit(value)}${detail}` });
    };
    ratio(`≥ ${TARGET_SHARE_OF_BARE * 100}% of the bare-minimum loop`, 'bare', TARGET_SHARE_OF_BARE, (x) => `${(x * 100).toFixed(0)}%`);
    ratio(`≥ ${TARGET_MAILAUTH_RATIO}× mailauth`, 'mailauth', TARGET_MAILAUTH_RATIO, (x) => `${x.toFixed(2)}×`);
    ratio(`≥ ${TARGET_DKIMPY_RATIO}× dkimpy`, 'dkimpy', TARGET_DKIMPY_RATIO, (x) => `${x.toFixed(2)}×`);
    const cpu = TARGET_CPU_SHARE * threads * 100;
    out.push({ what: `${name}: both cores used (CPU ≥ ${cpu}%)`, pass: r.cpuPct >= cpu, value: `${r.cpuPct}%` });
  }
  return out;
}

function verdictLine(v: Record<string, number>): string {
  return Object.entries(v).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
}

function versionOfMailauth(): string | null {
  const p = join(REPO, 'node_modules', 'mailauth', 'package.json');
  return existsSync(p) ? `mailauth ${(JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version}` : null;
}

/**
 * One run per output directory at a time: two runs would delete each other's case and shares. A lock
 * file holds the running benchmark's pid; a stale one (its process gone) is taken over.
 */
function lockOut(out: string): void {
  const file = join(out, 'bench-verify.lock');
  mkdirSync(out, { recursive: true });
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number((readText(file) ?? '').trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (alive) fail(`another bench:verify (pid ${pid}) is using ${relative(process.cwd(), out) || out}: wait for it to finish, or give this run its own --out.`);
    writeFileSync(file, String(process.pid));
  }
  process.on('exit', () => {
    if ((readText(file) ?? '').trim() === String(process.pid)) rmSync(file, { force: true });
  });
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  quietWaitSeconds = opts.quietWait;
  const started = new Date();
  const logs = join(opts.out, 'logs');
  const work = join(opts.out, 'work', 'verify');
  lockOut(opts.out);
  mkdirSync(logs, { recursive: true });
  mkdirSync(work, { recursive: true });
  const c = corpus(opts);
  const zone = readFileSync(join(c.dir, 'keys.zone'), 'utf8');
  const asOf = started.toISOString();
  const srcHash = treeHash([join(REPO, 'src')]);

  const t = performance.now();
  const warm = spawnSync('sh', ['-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'warm-up', c.maildir], { stdio: 'inherit' });
  if (warm.status !== 0) console.warn(`  (warm-up read of the corpus failed: exit ${warm.status})`);
  console.log(`Warm-up: read the corpus to /dev/null in ${((performance.now() - t) / 1000).toFixed(1)} s (page cache warm for every verifier).`);

  const mailauthVersion = versionOfMailauth();
  const python = opts.only.includes('dkimpy') ? findPython() : null;
  const runners: Runner[] = [];
  const skipped: string[] = [];
  for (const tool of opts.only) {
    switch (tool) {
      case 'bare':
        runners.push(threadRunner('bare', 'bare-minimum.ts', opts, c, zone, asOf));
        break;
      case 'trove':
        runners.push(threadRunner('trove', 'trove-library.ts', opts, c, zone, asOf));
        break;
      case 'worker':
        runners.push(threadRunner('worker', 'trove-worker.ts', opts, c, zone, asOf));
        break;
      case 'cli':
        runners.push(cliRunner(opts, c, logs, srcHash));
        break;
      case 'mailauth':
        if (mailauthVersion) runners.push(threadRunner('mailauth', 'mailauth.ts', opts, c, zone, asOf));
        else skipped.push('mailauth: not installed (npm install runs it: it is a devDependency)');
        break;
      case 'dkimpy':
        if (python) runners.push(dkimpyRunner(opts, c, zone, python.python, work));
        else skipped.push('dkimpy: no python3 with the dkim module (sudo apt-get install python3-dkim, or pip install dkimpy)');
        break;
    }
  }
  await runAll(runners, opts.repeat);
  const outcomes: Outcome[] = runners.map((r) => ({ row: r.row, codes: r.codes, verdicts: r.verdicts }));
  const rows = outcomes.map((o) => o.row);
  const agree = agreement(outcomes, c.files, c.dir);
  const goals = targets(rows, opts.threads);
  const expected = manifestExpectations(c.dir);
  const troveVerdicts = outcomes.find((o) => o.row.tool === 'trove')?.verdicts ?? null;
  const workerVerdicts = outcomes.find((o) => o.row.tool === 'worker')?.verdicts ?? null;
  const cliVerdicts = outcomes.find((o) => o.row.tool === 'cli')?.verdicts ?? null;

  console.log(`\n## DKIM verification, ${c.files.length} messages (${(c.bytes / MB).toFixed(0)} MB), ${opts.threads} threads/processes each\n`);
  console.log(table(rows));
  console.log('\nTargets:');
  for (const g of goals) console.log(`  ${g.pass === null ? 'n/a ' : g.pass ? 'PASS' : 'FAIL'} ${g.what}: ${g.value}`);

  console.log('\nVerdicts per message (unsigned; a signature verifies; verifies only after a repair; verifies but x= has passed; signed and none verifies):');
  for (const [tool, n] of Object.entries(agree.counts)) {
    console.log(`  ${LABEL[tool as Tool]}: ${n.unsigned} unsigned, ${n.pass} pass, ${n.passAfterRepair} pass after repair, ${n.passExpired} pass but expired, ${n.fail} fail`);
  }
  if (troveVerdicts) console.log(`  trove engine verdicts: ${verdictLine(troveVerdicts)}`);
  if (workerVerdicts) console.log(`  trove worker verdicts: ${verdictLine(workerVerdicts)}`);
  if (cliVerdicts) console.log(`  trove verify verdicts: ${verdictLine(cliVerdicts)}`);
  if (expected) console.log(`  the generator meant (manifest.jsonl): ${verdictLine(expected)}`);
  const mismatches: string[] = [];
  for (const [tool, d] of Object.entries(agree.disagreements)) {
    const policy = Object.entries(agree.expected[tool] ?? {}).map(([why, n]) => `${n} where ${why}`).join('; ');
    if (d.total === 0) {
      console.log(`  trove and ${tool} agree on every message${policy ? `, except by policy: ${policy}` : ''}.`);
      continue;
    }
    if (policy) console.log(`  trove and ${tool} differ by policy: ${policy}.`);
    const line = `trove and ${tool} disagree on ${d.total} messages (${((d.total / c.files.length) * 100).toFixed(2)}%): ${Object.entries(d.byPair).map(([p, n]) => `${n} × ${p}`).join(', ')}; e.g. ${d.examples.slice(0, 3).map((e) => e.file).join(', ')}`;
    console.log(`  ${d.large ? 'LARGE MISMATCH: ' : ''}${line}`);
    if (d.large) mismatches.push(line);
  }
  if (troveVerdicts && cliVerdicts) {
    const keys = new Set([...Object.keys(troveVerdicts), ...Object.keys(cliVerdicts)]);
    const differ = [...keys].filter((k) => (troveVerdicts[k] ?? 0) !== (cliVerdicts[k] ?? 0));
    if (differ.length > 0) {
      const line = `the CLI's verdicts differ from the engine's: ${differ.map((k) => `${k} ${cliVerdicts[k] ?? 0} vs ${troveVerdicts[k] ?? 0}`).join(', ')}`;
      console.log(`  MISMATCH: ${line}`);
      mismatches.push(line);
    }
  }
  const notes = rows.flatMap((r) => r.notes.map((n) => `${r.label}: ${n}`));
  for (const s of skipped) console.log(`Skipped ${s}`);
  for (const n of notes) console.log(`Note, ${n}`);

  const results = {
    date: started.toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, memGB: round(totalmem() / 1e9, 1), node: process.version, mailauth: mailauthVersion, dkimpy: python?.version ?? null },
    source: { srcHash },
    corpus: { dir: c.dir, key: c.key, messages: c.files.length, bytes: c.bytes, reused: c.reused, command: c.command, expected },
    options: { ...opts, only: opts.only.join(',') },
    rows,
    targets: goals,
    verdicts: { perMessage: agree.counts, trove: troveVerdicts, worker: workerVerdicts, cli: cliVerdicts },
    disagreements: agree.disagreements,
    policyDifferences: agree.expected,
    mismatches,
    skipped,
  };
  const file = join(opts.out, 'verify-results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nResults: ${relative(process.cwd(), file)}; logs: ${relative(process.cwd(), logs)}/verify-*.log`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
