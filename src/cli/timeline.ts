/** `trove timeline [QUERY]`: how many items per day, week or month, split by verdict. */
import { UserError } from '../errors.ts';
import type { TimelineUnit } from '../search/search-types.ts';
import { EXIT_OK } from './exit-codes.ts';
import { withQuery } from './search.ts';

const UNITS: readonly TimelineUnit[] = ['day', 'week', 'month'];
/** Width of the longest bar in text output. */
const BAR_WIDTH = 50;

export async function run(query: string | undefined, opts: { case: string; json?: boolean; by?: string }): Promise<number> {
  const unit = (opts.by ?? 'month') as TimelineUnit;
  if (!UNITS.includes(unit)) throw new UserError('bad-unit', `--by takes one of: ${UNITS.join(', ')}.`);
  // Without a query: the emails (attachments would count each message again).
  const q = query ?? 'type:email';
  return withQuery(opts, q, async (store) => {
    const buckets = await store.timeline(q, unit);
    if (opts.json) {
      console.log(JSON.stringify({ query: q, unit, buckets }, null, 2));
      return EXIT_OK;
    }
    if (buckets.length === 0) {
      console.log('No dated items found.');
      return EXIT_OK;
    }
    const max = Math.max(...buckets.map((b) => b.total));
    for (const b of buckets) {
      const bar = '█'.repeat(Math.max(1, Math.round((b.total / max) * BAR_WIDTH)));
      const parts = Object.entries(b.byVerdict).sort((x, y) => y[1] - x[1]).map(([v, n]) => `${v} ${n}`).join(', ');
      console.log(`${b.period.padEnd(10)} ${String(b.total).padStart(7)} ${bar}  ${parts}`);
    }
    return EXIT_OK;
  });
}
