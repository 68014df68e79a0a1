/**
 * `npm start`: the main job on a generated sample leak. Generates ./sample-trove once (seeded, so the
 * same everywhere), ingests it into ./trove-case (which verifies every email), imports the sample's
 * DKIM keys (which re-verifies what they affect), says what to try next, and ends by serving the web
 * UI on the sample case (builds it first when web/dist is missing). `npm start -- --no-serve` (or
 * TROVE_NO_SERVE=1) stops before serving, for scripted use.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateTrove } from '../test/support/generator/index.ts';

const SAMPLE = 'sample-trove';
const CASE = 'trove-case';
const MESSAGES = 500;
const cli = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

function trove(...args: string[]): number {
  console.log(`\n$ npx trove ${args.join(' ')}`);
  return spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' }).status ?? 1;
}

if (!existsSync(join(SAMPLE, 'manifest.jsonl'))) {
  console.log(`Generating a sample leak of ${MESSAGES} messages in ./${SAMPLE} ...`);
  // With planted forgeries (docs/forensics.md), so that the sample shows suspicious documents too.
  const s = await generateTrove(SAMPLE, { messages: MESSAGES, seed: 1, layout: 'mixed', forgeries: true });
  console.log(`${s.messages} messages in ${s.files} files (${(s.bytes / 1e6).toFixed(1)} MB), with the ground truth in ${SAMPLE}/manifest.jsonl.`);
}
const ingest = trove('ingest', join(SAMPLE, 'leak'), '--case', CASE);
if (ingest > 2) process.exit(ingest);
trove('keys', 'import', join(SAMPLE, 'keys.zone'), '--case', CASE);
trove('stats', '--case', CASE);
console.log(`
Next:
  npx trove search 'budget verdict:authentic'  search (docs/search.md): words, "phrases", from:, date:, verdict: ...
  npx trove thread ID                          the conversation an email belongs to
  npx trove timeline --by week                 items per week, by verdict
  npx trove correspondents                     who wrote to whom, how often
  npx trove report --format jsonl | head -3     the machine-readable report, one item per line
  npx trove show ID                            one item and its evidence (ids are in the report)
  npx trove errors                             what could not be read, and why
  npx trove keys list                          the key store, and what each key verifies
  npx trove serve                              all of it in a web browser (read-only, this machine only)
`);

if (!process.argv.includes('--no-serve') && !process.env.TROVE_NO_SERVE) {
  if (!existsSync(join(import.meta.dirname, '..', 'web', 'dist', 'index.html'))) {
    console.log('Building the web UI (npm run build:web) ...');
    const vite = join(import.meta.dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js');
    const built = spawnSync(process.execPath, [vite, 'build', '--config', join(import.meta.dirname, '..', 'web', 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  console.log('Open the address below in a web browser; Ctrl-C stops the server.');
  process.exit(trove('serve', '--case', CASE));
}
