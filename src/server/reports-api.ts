/**
 * `/api/reports/FORMAT?q=QUERY`: the report for the items a search finds (every item when the query
 * is empty), streamed as a download. JSON, JSON lines and CSV are the stable report of
 * ARCHITECTURE.md (report/write-report.ts); HTML is the printable page of html-report.ts.
 */
import { PassThrough, Readable } from 'node:stream';
import { Hono } from 'hono';
import { writeReport, type ReportFormat } from '../report/write-report.ts';
import { MAX_SEARCH_LIMIT, SEARCH_SORTS, type SearchSort } from '../search/search-types.ts';
import type { ItemView, Store } from '../store/store.ts';
import type { CaseReader, ServerContext } from './context.ts';
import { badRequest } from './http-errors.ts';
import { MAX_HTML_REPORT_ITEMS, writeHtmlReport } from './html-report.ts';
import { attachmentDisposition } from './items-api.ts';

const FORMATS: Record<string, { type: string; ext: string }> = {
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  jsonl: { type: 'application/x-ndjson; charset=utf-8', ext: 'jsonl' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  html: { type: 'text/html; charset=utf-8', ext: 'html' },
};

/** Every item a query finds, in the search's order, one page of hits at a time. */
async function* searchItems(store: CaseReader, query: string, sort: SearchSort, max = Infinity): AsyncIterable<ItemView> {
  let n = 0;
  for (let offset = 0; n < max; offset += MAX_SEARCH_LIMIT) {
    const page = await store.search({ query, limit: MAX_SEARCH_LIMIT, offset, sort, facets: false });
    for (const hit of page.hits) {
      const v = await store.item(hit.sha256);
      if (v) yield v;
      if (++n >= max) return;
    }
    if (page.hits.length < MAX_SEARCH_LIMIT) return;
  }
}

/** A file name for the download: the date and a tame version of the query. */
function reportName(query: string, ext: string, now: Date): string {
  const slug = query.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `trove-report-${now.toISOString().slice(0, 10)}${slug ? `-${slug}` : ''}.${ext}`;
}

export function reportsApi(ctx: ServerContext): Hono {
  const app = new Hono();
  app.get('/:format', async (c) => {
    const format = c.req.param('format');
    const spec = FORMATS[format];
    if (!spec) throw badRequest('bad-format', `Reports come as ${Object.keys(FORMATS).join(', ')}; not "${format.slice(0, 20)}".`);
    const query = c.req.query('q') ?? '';
    const sort = (c.req.query('sort') ?? 'relevance') as SearchSort;
    if (!SEARCH_SORTS.includes(sort)) throw badRequest('bad-parameter', `sort must be one of ${SEARCH_SORTS.join(', ')}.`);
    // Runs the query once before answering, so that a query that does not parse is a 400, not a broken download.
    const first = await ctx.store.search({ query, limit: 0, offset: 0, sort: 'date', facets: format === 'html' });
    const now = new Date();
    const out = new PassThrough();
    const all = query.trim() === '';
    const produce = async (): Promise<void> => {
      if (format === 'html') {
        const stats = await ctx.store.stats();
        const trove = { items: stats.items, emails: stats.byKind.email ?? 0, documents: (stats.byKind.document ?? 0) + (stats.byKind.attachment ?? 0) };
        const items = all ? ctx.store.items() : searchItems(ctx.store, query, sort, MAX_HTML_REPORT_ITEMS);
        await writeHtmlReport({ query, total: all ? stats.items : first.total, generatedAt: now, verdicts: first.facets?.verdict ?? [], trove }, items, out);
      } else {
        // writeReport reads `stats()` for its header and `items()` for the rows: give it the search's items.
        const scoped = { stats: () => ctx.store.stats(), items: () => (all ? ctx.store.items() : searchItems(ctx.store, query, sort)) };
        await writeReport(scoped as unknown as Store, format as ReportFormat, out, now);
      }
      out.end();
    };
    produce().catch((err: unknown) => out.destroy(err as Error));
    return c.body(Readable.toWeb(out) as ReadableStream, 200, {
      'Content-Type': spec.type,
      'Content-Disposition': attachmentDisposition(reportName(query, spec.ext, now)),
      // The HTML report is a download; opened from disk it carries its own CSP (no script, nothing remote).
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    });
  });
  return app;
}
