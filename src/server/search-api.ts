/** `/api/search`: the query language of docs/search.md, one page of hits with facets. */
import { Hono } from 'hono';
import { SEARCH_SORTS, type SearchSort } from '../search/search-types.ts';
import type { ServerContext } from './context.ts';
import { SEARCH_CACHE_ENTRIES, SearchCache } from './search-cache.ts';
import { badRequest } from './http-errors.ts';

/** Hits per page when the request does not say, and at most (a page is for reading; reports stream). */
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;
/** Offsets beyond this are refused: nobody pages that far, and a report lists everything. */
const MAX_OFFSET = 1_000_000;

/** A non-negative integer query parameter, or `fallback`; anything else is a 400 naming the parameter. */
export function intParam(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw badRequest('bad-parameter', `${name} must be a whole number from ${min} to ${max}, not "${value.slice(0, 40)}".`);
  }
  return Number(value);
}

export function searchApi(ctx: ServerContext, cacheEntries = SEARCH_CACHE_ENTRIES): Hono {
  const app = new Hono();
  const store = ctx.generation ? new SearchCache((r) => ctx.store.search(r), ctx.generation, cacheEntries) : ctx.store;
  app.get('/', async (c) => {
    const query = c.req.query('q') ?? '';
    const sort = (c.req.query('sort') ?? 'relevance') as SearchSort;
    if (!SEARCH_SORTS.includes(sort)) throw badRequest('bad-parameter', `sort must be one of ${SEARCH_SORTS.join(', ')}.`);
    const result = await store.search({
      query,
      limit: intParam(c.req.query('limit'), 'limit', DEFAULT_PAGE, 0, MAX_PAGE),
      offset: intParam(c.req.query('offset'), 'offset', 0, 0, MAX_OFFSET),
      sort,
      facets: c.req.query('facets') !== '0',
    });
    return c.json(result);
  });
  return app;
}
