/** `trove correspondents [QUERY]`: who wrote to whom, how often. */
import { EXIT_OK } from './exit-codes.ts';
import { intOption, withQuery } from './search.ts';

export async function run(query: string | undefined, opts: { case: string; json?: boolean; limit?: string }): Promise<number> {
  const limit = intOption('limit', opts.limit, 25, 1, 100_000);
  const q = query ?? '';
  return withQuery(opts, q, async (store) => {
    const c = await store.correspondents(q, limit);
    if (opts.json) {
      console.log(JSON.stringify({ query: q, ...c }, null, 2));
      return EXIT_OK;
    }
    console.log('People (sent / received):');
    for (const p of c.people) console.log(`  ${String(p.sent).padStart(6)} / ${String(p.received).padEnd(6)} ${p.name ? `${p.name} <${p.address}>` : p.address}`);
    console.log('\nWho writes to whom (emails):');
    for (const e of c.edges) console.log(`  ${String(e.count).padStart(6)}  ${e.from} → ${e.to}`);
    return EXIT_OK;
  });
}
