/** `trove verify`: check every email not verified yet against the key store (offline). */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.ts';
import { openCase } from '../store/case-dir.ts';
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

export async function runVerify(caseDir: string, opts: { asOf?: string; all?: boolean; quiet?: boolean; workers?: number }): Promise<VerifyProgress> {
  const c = openCase(caseDir, { create: false });
  try {
    if (opts.all) await c.store.forgetVerifications();
    const tty = process.stderr.isTTY && !process.env.CI;
    return await verifyCase(c, {
      workers: opts.workers ?? availableParallelism(),
      asOf: parseAsOf(opts.asOf),
      onProgress: (p) => {
        if (opts.quiet || !tty || p.total === 0) return;
        const rate = p.done / Math.max(p.elapsedMs / 1000, 0.001);
        const eta = rate > 0 ? formatDuration(((p.total - p.done) / rate) * 1000) : '?';
        process.stderr.write(`\r\x1b[Kverifying ${p.done}/${p.total} emails, ${rate.toFixed(0)}/s, ETA ${eta}`);
      },
    });
  } finally {
    if (process.stderr.isTTY && !opts.quiet) process.stderr.write('\r\x1b[K');
    await c.store.close();
  }
}

export async function run(opts: { case: string; asOf?: string; all?: boolean; json?: boolean }): Promise<number> {
  const p = await runVerify(opts.case, opts);
  if (opts.json) console.log(JSON.stringify(p, null, 2));
  else console.log(`Verified ${p.done} emails in ${formatDuration(p.elapsedMs)}: ${verdictLine(p)}.${p.failed ? ` ${p.failed} could not be read (see \`trove errors\`).` : ''}`);
  return p.failed > 0 ? EXIT_ITEMS_FAILED : EXIT_OK;
}
