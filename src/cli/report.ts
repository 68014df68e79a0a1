/** `trove report`: the stable machine interface (ARCHITECTURE.md), streamed. */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { writeReport, type ReportFormat } from '../report/write-report.ts';
import { openCase } from '../store/case-dir.ts';
import { EXIT_OK } from './exit-codes.ts';

export async function run(opts: { case: string; format: ReportFormat; output?: string }): Promise<number> {
  const c = openCase(opts.case, { create: false });
  try {
    const out = opts.output ? createWriteStream(opts.output) : process.stdout;
    const n = await writeReport(c.store, opts.format, out);
    if (opts.output) {
      out.end();
      await finished(out);
      console.error(`trove: wrote ${n} items to ${opts.output}`);
    }
    return EXIT_OK;
  } finally {
    await c.store.close();
  }
}
