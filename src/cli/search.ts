/** `trove search QUERY`: the query language of docs/search.md over the case, with facets and snippets. */
import { UserError } from '../errors.ts';
import { renderQueryError } from '../search/query-parser.ts';
import { MAX_SEARCH_LIMIT, QuerySyntaxError, SEARCH_SORTS, type FacetCount, type SearchHit, type SearchSort } from '../search/search-types.ts';
import { openCase } from '../store/case-dir.ts';
import type { Store } from '../store/store.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';

export interface SearchOptions {
  case: string;
  json?: boolean;
  limit?: string;
  offset?: string;
  sort?: string;
  facets?: boolean;
}

/** A whole number option within bounds, or a message that says what to give. */
export function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`bad-${name}`, `--${name} takes a whole number from ${min} to ${max}.`);
  return n;
}

/**
 * Runs `fn` on the case, turning a query that does not parse into a message that points at the
 * mistake (and, with --json, the same error as JSON on standard output for programs).
 */
export async function withQuery(opts: { case: string; json?: boolean }, query: string, fn: (store: Store) => Promise<number>): Promise<number> {
  const c = openCase(opts.case, { create: false });
  try {
    return await fn(c.store);
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
    if (opts.json) console.log(JSON.stringify({ query, error: err.error }, null, 2));
    console.error(`trove: this query cannot be read:\n\n${renderQueryError(query, err.error)}\n\nThe query language is described in docs/search.md.`);
    return EXIT_USER_ERROR;
  } finally {
    await c.store.close();
  }
}

function bold(text: string, highlights: [number, number][], tty: boolean): string {
  if (!tty || highlights.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [s, e] of highlights) {
    out += `${text.slice(at, s)}\x1b[1m${text.slice(s, e)}\x1b[22m`;
    at = e;
  }
  return out + text.slice(at);
}

function facetLine(name: string, values: FacetCount[]): string | null {
  if (values.length === 0) return null;
  return `  ${name.padEnd(8)} ${values.map((f) => `${f.value} ${f.count}`).join(' · ')}`;
}

function printHit(h: SearchHit, n: number, tty: boolean): void {
  const when = h.day ?? '(no date)';
  console.log(`${String(n).padStart(4)}. ${h.id}  ${h.kind.padEnd(10)} ${when}  ${h.verdict ?? ''}`);
  const title = h.kind === 'email' ? `${h.subject ?? '(no subject)'}  —  ${h.from ?? '(no sender)'}` : (h.filename ?? h.path ?? h.format);
  console.log(`      ${title}`);
  if (h.snippet) console.log(`      ${bold(h.snippet, h.highlights, tty)}`);
}

export async function run(query: string, opts: SearchOptions): Promise<number> {
  const limit = intOption('limit', opts.limit, 20, 1, MAX_SEARCH_LIMIT);
  const offset = intOption('offset', opts.offset, 0, 0, Number.MAX_SAFE_INTEGER);
  const sort = (opts.sort ?? 'relevance') as SearchSort;
  if (!SEARCH_SORTS.includes(sort)) throw new UserError('bad-sort', `--sort takes one of: ${SEARCH_SORTS.join(', ')}.`);
  return withQuery(opts, query, async (store) => {
    const r = await store.search({ query, limit, offset, sort, facets: opts.facets !== false });
    if (opts.json) {
      console.log(JSON.stringify(r, null, 2));
      return EXIT_OK;
    }
    const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    const shown = r.hits.length > 0 ? `, showing ${offset + 1}-${offset + r.hits.length}` : '';
    console.log(`${r.total} ${r.total === 1 ? 'item' : 'items'} found (${r.tookMs} ms${shown}, by ${r.sort === 'relevance' ? 'relevance' : r.sort === 'date' ? 'date, newest first' : 'date, oldest first'})`);
    r.hits.forEach((h, i) => {
      console.log('');
      printHit(h, offset + i + 1, tty);
    });
    if (r.facets && r.total > 0) {
      console.log('\nFacets:');
      const f = r.facets;
      for (const line of [facetLine('verdict', f.verdict), facetLine('kind', f.kind), facetLine('format', f.format), facetLine('from', f.domain), facetLine('month', f.month)]) {
        if (line) console.log(line);
      }
    }
    if (offset + r.hits.length < r.total) console.log(`\nMore: --offset ${offset + r.hits.length}${opts.limit ? ` --limit ${limit}` : ''}`);
    return EXIT_OK;
  });
}
