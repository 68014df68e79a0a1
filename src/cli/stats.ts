/** `trove stats`: what the case holds. */
import { openCase } from '../store/case-dir.ts';
import { EXIT_OK } from './exit-codes.ts';
import { formatBytes } from './progress.ts';

export async function run(opts: { case: string; json?: boolean }): Promise<number> {
  const c = openCase(opts.case, { create: false });
  try {
    const s = await c.store.stats();
    if (opts.json) {
      console.log(JSON.stringify(s, null, 2));
      return EXIT_OK;
    }
    const table = (rows: Record<string, number>): string => Object.entries(rows).map(([k, n]) => `  ${String(n).padStart(9)}  ${k}`).join('\n');
    console.log(`Case ${c.dir}`);
    console.log(`${s.items} distinct items, ${formatBytes(s.bytes)}, found at ${s.placements} places`);
    console.log(`\nBy kind:\n${table(s.byKind)}`);
    console.log(`\nBy format:\n${table(s.byFormat)}`);
    console.log(`\nDuplicates: ${s.duplicateItems} items found at more than one place (${s.duplicatePlacements} extra places)`);
    console.log(`Message-ID conflicts: ${s.messageIdConflicts} Message-IDs carried by more than one distinct message`);
    console.log(`Errors: ${s.errors}${s.errors > 0 ? `\n${table(s.errorsByCode)}\n(see \`trove errors\`)` : ''}`);
    if (s.pending > 0) console.log(`Unfinished: ${s.pending} containers were not read to the end; run the same \`trove ingest\` again to finish.`);
    return EXIT_OK;
  } finally {
    await c.store.close();
  }
}
