/** `trove verify`: check every email not verified yet against the key store (offline). */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.ts';
import { openCase } from '../store/case-dir.ts';
import type { ProvenanceSummary } from '../store/sqlite/sqlite-provenance.ts';
import { verifyCase, type VerifyProgress } from '../verify/verify-case.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK } from './exit-codes.ts';
import { formatDuration } from './progress.ts';

export function parseAsOf(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new UserError('bad-date', `--as-of takes a date such as 2017-05-05 or 2017-05-05T18:00:00Z, not "${value}".`);
  return d;
}

export function verdictLine(p: VerifyProgress): string {
  const parts = Object.entries(p.byVerdict).sort((a, b) => b[1] - a[1]).map(([v, n]) => `${n} ${v}`);
  return parts.length ? parts.join(', ') : 'nothing new';
}

/** What `runVerify` did: the emails it verified, then the provenance pass over every document. */
export type VerifyRun = VerifyProgress & { provenance: ProvenanceSummary };

/** One line on the documents: how many are proven, weaker, altered. */
export function provenanceLine(p: ProvenanceSummary): string {
  return `${p.proven} proven by the emails that carried them, ${p.alteredCopies} altered cop${p.alteredCopies === 1 ? 'y' : 'ies'} of proven ones, ${p.suspicious} suspicious` +
    (p.weaker ? `, ${p.weaker} carried only by third-party or weak signatures` : '') + ` (${p.documents} files, ${p.nearDuplicatePairs} near-duplicate pairs)`;
}

export async function runVerify(caseDir: string, opts: { asOf?: string; all?: boolean; quiet?: boolean; workers?: number }): Promise<VerifyRun> {
  const c = openCase(caseDir, { create: false });
  try {
    if (opts.all) await c.store.forgetVerifications();
    const tty = process.stderr.isTTY && !process.env.CI;
    const verified = await verifyCase(c, {
      workers: opts.workers ?? availableParallelism(),
      asOf: parseAsOf(opts.asOf),
      onProgress: (p) => {
        if (opts.quiet || !tty || p.total === 0) return;
        const rate = p.done / Math.max(p.elapsedMs / 1000, 0.001);
        const eta = rate > 0 ? formatDuration(((p.total - p.done) / rate) * 1000) : '?';
        process.stderr.write(`\r\x1b[Kverifying ${p.done}/${p.total} emails, ${rate.toFixed(0)}/s, ETA ${eta}`);
      },
    });
    // Document verdicts follow from email verdicts: the pass runs whenever verification may have changed them.
    const provenance = await c.store.runProvenance((p) => {
      if (opts.quiet || !tty) return;
      process.stderr.write(`\r\x1b[Kprovenance: ${p.stage} ${p.done}/${p.total}`);
    });
    return { ...verified, provenance };
  } finally {
    if (process.stderr.isTTY && !opts.quiet) process.stderr.write('\r\x1b[K');
    await c.store.close();
  }
}

export async function run(opts: { case: string; asOf?: string; all?: boolean; json?: boolean }): Promise<number> {
  const p = await runVerify(opts.case, opts);
  if (opts.json) console.log(JSON.stringify(p, null, 2));
  else {
    console.log(`Verified ${p.done} emails in ${formatDuration(p.elapsedMs)}: ${verdictLine(p)}.${p.failed ? ` ${p.failed} could not be read (see \`trove errors\`).` : ''}`);
    console.log(`Documents: ${provenanceLine(p.provenance)}.`);
  }
  return p.failed > 0 ? EXIT_ITEMS_FAILED : EXIT_OK;
}
