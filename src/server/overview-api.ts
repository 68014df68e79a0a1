/**
 * `/api/overview`: what the case holds at a glance. Counts by verdict, messages per week by verdict,
 * who writes to whom, and what needs attention first (altered, modified, suspicious), each a query
 * the UI links into search.
 */
import { Hono } from 'hono';
import { QuerySyntaxError, type TimelineUnit } from '../search/search-types.ts';
import type { AttentionGroup, AttentionResponse, CorrespondentsResponse, SummaryResponse, TimelineResponse } from './api-types.ts';
import type { ServerContext } from './context.ts';
import { badRequest } from './http-errors.ts';
import { intParam } from './search-api.ts';

/** Verdicts listed under "needs attention", strongest evidence of tampering first, with what each means. */
export const ATTENTION: { verdict: string; meaning: string }[] = [
  { verdict: 'body-modified', meaning: 'Signed emails whose text was changed after signing (the signed headers are genuine).' },
  { verdict: 'headers-modified', meaning: 'Signed emails whose signed headers (sender, date, subject ...) were changed.' },
  { verdict: 'altered-copy', meaning: 'Documents that are near-copies of a proven original, with differences.' },
  { verdict: 'suspicious', meaning: 'Documents without provenance whose own metadata raises a serious doubt.' },
];
/** Items shown per attention group (the link opens all of them in search). */
const ATTENTION_SHOWN = 8;
/** People in the correspondents graph at most. */
const MAX_CORRESPONDENTS = 150;
/** Overview answers kept, and for how long (whole-case aggregates; a trove ingested while served shows after this). */
const OVERVIEW_CACHE_ENTRIES = 64;
export const OVERVIEW_CACHE_SECONDS = 300;

/** The paths `warmOverview` asks for: what the overview page asks first. */
export const OVERVIEW_PATHS = ['/api/overview/summary', '/api/overview/attention', '/api/overview/timeline?by=week&q=type%3Aemail', '/api/overview/correspondents?limit=60'];

/**
 * Whole-case aggregates are the slowest reads (who wrote to whom over 200,000 emails takes tens of
 * seconds in the store), the same for every visitor, and change only with the case: each answer is
 * computed once, shared by concurrent requests, and kept `cacheSeconds`.
 */
export function overviewApi(ctx: ServerContext, cacheSeconds = OVERVIEW_CACHE_SECONDS): Hono {
  const app = new Hono();
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  function memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && performance.now() - hit.at < cacheSeconds * 1000) return hit.value as Promise<T>;
    const value = compute();
    if (cacheSeconds > 0) {
      cache.set(key, { at: performance.now(), value });
      value.catch(() => cache.delete(key));
      if (cache.size > OVERVIEW_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    }
    return value;
  }

  app.get('/summary', async (c) => {
    const body = await memo('summary', async (): Promise<SummaryResponse> => {
      const [all, stats] = await Promise.all([ctx.store.search({ query: '', limit: 0, offset: 0, sort: 'date', facets: true }), ctx.store.stats()]);
      return { caseDir: ctx.caseDir, stats, verdicts: all.facets?.verdict ?? [] };
    });
    return c.json(body);
  });

  app.get('/attention', async (c) => c.json(await memo('attention', () => attention())));

  async function attention(): Promise<AttentionResponse> {
    const groups: AttentionGroup[] = [];
    for (const { verdict, meaning } of ATTENTION) {
      const query = `verdict:${verdict}`;
      try {
        const r = await ctx.store.search({ query, limit: ATTENTION_SHOWN, offset: 0, sort: 'date', facets: false });
        groups.push({ verdict, meaning, query, total: r.total, hits: r.hits, available: true });
      } catch (err) {
        // A verdict this version of the query language does not know yet (suspicious, before forensics).
        if (!(err instanceof QuerySyntaxError)) throw err;
        groups.push({ verdict, meaning, query, total: 0, hits: [], available: false });
      }
    }
    return { groups };
  }

  app.get('/timeline', async (c) => {
    const by = (c.req.query('by') ?? 'week') as TimelineUnit;
    if (!['day', 'week', 'month'].includes(by)) throw badRequest('bad-parameter', 'by must be day, week or month.');
    const query = c.req.query('q') ?? '';
    const body: TimelineResponse = { query, by, buckets: await memo(`timeline\u0000${by}\u0000${query}`, () => ctx.store.timeline(query, by)) };
    return c.json(body);
  });

  app.get('/correspondents', async (c) => {
    const query = c.req.query('q') ?? '';
    const limit = intParam(c.req.query('limit'), 'limit', 60, 1, MAX_CORRESPONDENTS);
    // Pairs are ranked on their own: ask for more, keep those between the people shown.
    const all = await memo(`correspondents\u0000${limit}\u0000${query}`, () => ctx.store.correspondents(query, limit * 4));
    const people = all.people.slice(0, limit);
    const shown = new Set(people.map((p) => p.address));
    const edges = all.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
    const body: CorrespondentsResponse = { query, people, edges };
    return c.json(body);
  });

  return app;
}
