/** `trove ingest PATH...`: read a leak as published into a case; safe to kill and run again. */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { Ingest } from '../ingest/pipeline.ts';
import { openCase } from '../store/case-dir.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK } from './exit-codes.ts';
import { formatBytes, formatDuration, ProgressReporter } from './progress.ts';
import { provenanceLine, runVerify, verdictLine } from './verify.ts';

export async function run(paths: string[], opts: { case: string; workers?: string; quiet?: boolean; verify?: boolean }): Promise<number> {
  for (const p of paths) if (!existsSync(p)) throw new UserError('no-such-path', `Nothing at ${p}: give a file or a directory of the leak.`);
  const workers = opts.workers === undefined ? availableParallelism() : Number(opts.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new UserError('bad-workers', '--workers takes a whole number from 0 to 64.');
  const c = openCase(opts.case, { create: true });
  const progress = opts.quiet ? null : new ProgressReporter();
  try {
    const result = await new Ingest(c, { workers, onProgress: (p) => progress?.update(p) }).run(paths);
    progress?.done();
    const stats = await c.store.stats();
    const secs = result.elapsedMs / 1000;
    const kinds = Object.entries(stats.byKind).map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ');
    console.log(`Ingested ${result.items} items (${result.emails} emails) from ${result.sources} files in ${formatDuration(result.elapsedMs)}` +
      ` (${(result.items / Math.max(secs, 0.001)).toFixed(0)} items/s, ${formatBytes(result.sourceBytes / Math.max(secs, 0.001))}/s)` +
      (result.skippedSources > 0 ? `; ${result.skippedSources} files were already in the case` : '') + '.');
    console.log(`Case ${c.dir}: ${stats.items} distinct items (${kinds}), ${formatBytes(stats.bytes)}.`);
    console.log(`Duplicates: ${stats.duplicateItems} items found at more than one place (${stats.duplicatePlacements} extra places); ` +
      `${stats.messageIdConflicts} Message-IDs carried by different messages.`);
    console.log(`Threads: ${result.threads} conversations (\`trove thread ID\` shows one).`);
    await c.store.close();
    if (opts.verify !== false) {
      const v = await runVerify(opts.case, { quiet: opts.quiet, workers });
      console.log(`Verified ${v.done} emails (DKIM, offline): ${verdictLine(v)}.` +
        (v.byVerdict['key-unavailable'] ? ' Import keys with `trove keys import FILE` to check the rest.' : ''));
      console.log(`Documents: ${provenanceLine(v.provenance)}.`);
    }
    if (stats.errors > 0) {
      const codes = Object.entries(stats.errorsByCode).map(([k, n]) => `${n} ${k}`).join(', ');
      console.log(`Errors: ${stats.errors} items could not be read fully (${codes}). See \`trove errors\`.`);
      return EXIT_ITEMS_FAILED;
    }
    console.log('Errors: none.');
    return EXIT_OK;
  } finally {
    await c.store.close().catch(() => undefined);
  }
}
