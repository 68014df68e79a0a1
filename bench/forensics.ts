/**
 * `npm run bench:forensics`: how right the forensic signals are (issue 7). Generates a trove with
 * planted fakes of every forensic signal class among more genuine loose documents
 * (`generateTrove(..., { forgeries: true })`, test/support/generator/forensic-plants.ts), runs what a
 * user runs (`trove ingest`, `trove keys import`, which verifies and runs the provenance and
 * forensics passes), and scores the case against the manifest's ground truth:
 *
 * - recall per class: planted fakes of a class that got a signal with that class's code;
 * - how many of them came out `suspicious`;
 * - precision per code: of the documents that got the code, how many are fakes planted for it
 *   (fakes of other classes that also get it are counted apart, neither right nor wrong);
 * - the genuine `suspicious` rate: genuine documents (every attachment and loose file that is not a
 *   planted fake nor one of the generator's altered copies) that came out `suspicious`;
 * - the same by file format (docx, xlsx, pdf, jpg, and the legacy doc, xls and ppt), so that each
 *   reader's share of the result shows.
 *
 * Targets: recall >= 95% for every class, genuine suspicious <= 2%. Prints a markdown table, writes
 * bench/out/forensics-results.json, and exits 1 when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { runForensics } from '../src/store/sqlite/sqlite-forensics.ts';
import { PLANTS_VERSION } from '../test/support/generator/forensic-plants.ts';
import { GENERATOR_VERSION } from '../test/support/generator/manifest.ts';
import { generateTrove, PLANTED_SIGNALS, type ManifestDocument, type ManifestHeader, type ManifestLine } from '../test/support/generator/index.ts';

const REPO = resolve(import.meta.dirname, '..');
const TROVE = join(REPO, 'src', 'cli', 'main.ts');
const TARGET_RECALL = 0.95;
const TARGET_GENUINE_SUSPICIOUS = 0.02;

const USAGE = `usage: node bench/forensics.ts [--messages N] [--seed S] [--out DIR] [--keep]

  --messages N  messages in the generated trove (default 3000); planted fakes per class: max(3, N/150)
  --seed S      generator seed (default 1)
  --out DIR     corpus, case and results (default bench/out)
  --keep        reuse a corpus and case made earlier with the same messages, seed, generator and plants version`;

function fail(message: string): never {
  console.error(`bench:forensics: ${message}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      messages: { type: 'string', default: '3000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: join(REPO, 'bench', 'out') },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  fail(`${(err as Error).message}\n\n${USAGE}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const messages = Number(values.messages);
const seed = Number(values.seed);
if (!Number.isInteger(messages) || messages < 100) fail('--messages takes a whole number of at least 100.');
if (!Number.isInteger(seed) || seed < 0) fail('--seed takes a whole number.');
const out = resolve(values.out);
const corpus = join(out, 'corpus', `forensics-n${messages}-s${seed}-v${GENERATOR_VERSION}-p${PLANTS_VERSION}`);
const caseDir = join(out, 'work', 'forensics', `case-n${messages}-s${seed}-v${GENERATOR_VERSION}-p${PLANTS_VERSION}`);

function trove(args: string[]): void {
  console.log(`  $ trove ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [TROVE, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 2) fail(`trove ${args[0]} exited with ${r.status}: ${r.stderr}`);
}

const started = performance.now();
const reuse = values.keep && existsSync(join(corpus, 'manifest.jsonl')) && existsSync(join(caseDir, 'case.db'));
if (!reuse) {
  console.log(`Generating ${messages} messages with planted forgeries (seed ${seed}) in ${corpus} ...`);
  rmSync(corpus, { recursive: true, force: true });
  await generateTrove(corpus, { messages, seed, layout: 'mixed', forgeries: true });
  rmSync(caseDir, { recursive: true, force: true });
  mkdirSync(caseDir, { recursive: true });
  trove(['ingest', join(corpus, 'leak'), '--case', caseDir, '--quiet']);
  trove(['keys', 'import', join(corpus, 'keys.zone'), '--case', caseDir]);
} else console.log(`Reusing ${corpus} and its case.`);

// ---- scoring ----------------------------------------------------------------------------------------

const lines = readFileSync(join(corpus, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ManifestLine);
const header = lines[0] as ManifestHeader;
const docs = lines.filter((l): l is ManifestDocument => l.type === 'document');
const fakes = new Map<string, string>();
for (const d of docs) if (d.forgery) fakes.set(d.sha256, d.forgery.signal);
const alteredCopies = new Set(docs.filter((d) => d.alteredFrom).map((d) => d.sha256));
const plantedGenuine = new Set(docs.filter((d) => d.forgery === null).map((d) => d.sha256));

const db = new DatabaseSync(join(caseDir, 'case.db'));
type Row = Record<string, string | number | null>;
const signals = new Map<string, { code: string; severity: string }[]>();
for (const r of db.prepare('SELECT sha256, code, severity FROM signals').all() as Row[]) {
  const list = signals.get(String(r.sha256)) ?? [];
  list.push({ code: String(r.code), severity: String(r.severity) });
  signals.set(String(r.sha256), list);
}
const verdicts = new Map((db.prepare('SELECT sha256, verdict FROM assessments').all() as Row[]).map((r) => [String(r.sha256), String(r.verdict)]));
const documentShas = (db.prepare("SELECT sha256 FROM items WHERE class = 'document'").all() as Row[]).map((r) => String(r.sha256));

// The forensics pass alone, timed on the finished case (then rolled back).
db.exec('BEGIN');
const t0 = performance.now();
const summary = runForensics(db);
const passMs = performance.now() - t0;
db.exec('ROLLBACK');
db.close();

interface ClassScore {
  signal: string;
  planted: number;
  flagged: number;
  recall: number;
  suspicious: number;
  /** Genuine documents that got this code, and at which severities. */
  genuineFlagged: number;
  genuineHigh: number;
  otherFakesFlagged: number;
  precision: number;
  missed: string[];
}

const classes: ClassScore[] = PLANTED_SIGNALS.map((signal) => {
  const planted = [...fakes].filter(([, s]) => s === signal).map(([sha]) => sha);
  const flagged = planted.filter((sha) => signals.get(sha)?.some((s) => s.code === signal));
  let genuineFlagged = 0;
  let genuineHigh = 0;
  let otherFakesFlagged = 0;
  for (const sha of documentShas) {
    const got = signals.get(sha)?.filter((s) => s.code === signal) ?? [];
    if (got.length === 0) continue;
    if (fakes.has(sha) || alteredCopies.has(sha)) {
      if (fakes.get(sha) !== signal) otherFakesFlagged++;
    } else {
      genuineFlagged++;
      if (got.some((s) => s.severity === 'high')) genuineHigh++;
    }
  }
  const paths = new Map(docs.map((d) => [d.sha256, d.path]));
  return {
    signal,
    planted: planted.length,
    flagged: flagged.length,
    recall: planted.length ? flagged.length / planted.length : 1,
    suspicious: planted.filter((sha) => verdicts.get(sha) === 'suspicious').length,
    genuineFlagged,
    genuineHigh,
    otherFakesFlagged,
    precision: flagged.length + genuineFlagged ? flagged.length / (flagged.length + genuineFlagged) : 1,
    missed: planted.filter((sha) => !flagged.includes(sha)).map((sha) => paths.get(sha) ?? sha),
  };
});

const genuine = documentShas.filter((sha) => !fakes.has(sha) && !alteredCopies.has(sha));

/** By file format (the extension of the planted or generated file). */
interface FormatScore {
  format: string;
  fakes: number;
  flagged: number;
  genuine: number;
  genuineSuspicious: number;
}
const formatOf = (path: string): string => /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase().replace('jpeg', 'jpg') ?? '?';
const byFormat = new Map<string, FormatScore>();
const scoreOf = (format: string): FormatScore => {
  let s = byFormat.get(format);
  if (!s) byFormat.set(format, (s = { format, fakes: 0, flagged: 0, genuine: 0, genuineSuspicious: 0 }));
  return s;
};
const genuineSet = new Set(genuine);
const counted = new Set<string>();
for (const d of docs) {
  if (counted.has(d.sha256)) continue;
  counted.add(d.sha256);
  const s = scoreOf(formatOf(d.path));
  const signal = fakes.get(d.sha256);
  if (signal) {
    s.fakes++;
    if (signals.get(d.sha256)?.some((x) => x.code === signal)) s.flagged++;
  } else if (genuineSet.has(d.sha256)) {
    s.genuine++;
    if (verdicts.get(d.sha256) === 'suspicious') s.genuineSuspicious++;
  }
}
const formats = [...byFormat.values()].sort((a, b) => (a.format < b.format ? -1 : 1));
/** Every signal genuine documents got, by code and severity (the noise a journalist would see). */
const genuineSignals: Record<string, number> = {};
for (const sha of genuine) for (const s of signals.get(sha) ?? []) genuineSignals[`${s.code} (${s.severity})`] = (genuineSignals[`${s.code} (${s.severity})`] ?? 0) + 1;
const genuineSuspicious = genuine.filter((sha) => verdicts.get(sha) === 'suspicious');
const looseGenuineSuspicious = [...plantedGenuine].filter((sha) => verdicts.get(sha) === 'suspicious');
const genuineRate = genuine.length ? genuineSuspicious.length / genuine.length : 0;
const totalPlanted = classes.reduce((a, c) => a + c.planted, 0);
const totalFlagged = classes.reduce((a, c) => a + c.flagged, 0);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

console.log(`\n## Forensic signals on a generated trove (${messages} messages, seed ${seed}, generator ${header.version})\n`);
console.log(`${totalPlanted} planted fakes (${classes.length} classes), ${plantedGenuine.size} planted genuine loose documents, ${genuine.length} genuine documents in all (attachments and loose files); forensics pass ${Math.round(passMs)} ms for ${summary.documents} documents.\n`);
console.log('| signal class | planted | flagged | recall | came out suspicious | genuine flagged (high) | other fakes flagged | precision |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const c of classes) console.log(`| ${c.signal} | ${c.planted} | ${c.flagged} | ${pct(c.recall)} | ${c.suspicious} | ${c.genuineFlagged} (${c.genuineHigh}) | ${c.otherFakesFlagged} | ${pct(c.precision)} |`);
console.log(`| **all** | ${totalPlanted} | ${totalFlagged} | ${pct(totalFlagged / totalPlanted)} | ${classes.reduce((a, c) => a + c.suspicious, 0)} | | | |`);
console.log('\n| file format | planted fakes | flagged with their signal | genuine files (loose) | genuine suspicious |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const f of formats) console.log(`| ${f.format} | ${f.fakes} | ${f.flagged} | ${f.genuine} | ${f.genuineSuspicious} |`);
console.log(`\nGenuine documents flagged suspicious: ${genuineSuspicious.length} of ${genuine.length} (${pct(genuineRate)}); of the planted genuine loose documents: ${looseGenuineSuspicious.length} of ${plantedGenuine.size}.`);
console.log(`Signals on genuine documents: ${Object.entries(genuineSignals).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}.`);
const missed = classes.flatMap((c) => c.missed.map((m) => `${c.signal}: ${m}`));
if (missed.length) console.log(`\nMissed fakes:\n${missed.map((m) => `  ${m}`).join('\n')}`);
const recallOk = classes.every((c) => c.recall >= TARGET_RECALL);
const fpOk = genuineRate <= TARGET_GENUINE_SUSPICIOUS;
console.log(`\n${recallOk ? 'PASS' : 'FAIL'}: every class recall >= ${pct(TARGET_RECALL)} (lowest ${pct(Math.min(...classes.map((c) => c.recall)))})`);
console.log(`${fpOk ? 'PASS' : 'FAIL'}: genuine suspicious <= ${pct(TARGET_GENUINE_SUSPICIOUS)} (${pct(genuineRate)})`);

mkdirSync(out, { recursive: true });
const results = {
  generatedAt: new Date().toISOString(),
  messages, seed, generator: header.version,
  planted: totalPlanted, plantedGenuine: plantedGenuine.size, genuine: genuine.length,
  genuineSuspicious: genuineSuspicious.length, genuineSuspiciousRate: genuineRate, genuineSignals,
  forensicsPassMs: Math.round(passMs), documents: summary.documents, signalsByCode: summary.byCode,
  classes, formats, targets: { recall: TARGET_RECALL, genuineSuspicious: TARGET_GENUINE_SUSPICIOUS, met: recallOk && fpOk },
  elapsedSeconds: Math.round((performance.now() - started) / 1000),
};
writeFileSync(join(out, 'forensics-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nResults: ${join(out, 'forensics-results.json')}`);
process.exit(recallOk && fpOk ? 0 : 1);
