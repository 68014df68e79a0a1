/**
 * The HTTP API and the web UI of `trove serve`: one sub-app per area, mounted with `route()`
 * (STYLE.md §9). Handlers parse the request, call the Store, and shape the answer; one error
 * handler turns every failure into a response (http-errors.ts). Nothing here writes to the case.
 */
import { Hono } from 'hono';
import type { ServerContext } from './context.ts';
import { errorResponse, notFound } from './http-errors.ts';
import { itemsApi } from './items-api.ts';
import { overviewApi } from './overview-api.ts';
import { reportsApi } from './reports-api.ts';
import { searchApi } from './search-api.ts';
import { hostCheck, readOnlyMethods, securityHeaders } from './security-headers.ts';
import { threadsApi } from './threads-api.ts';
import type { WebAssets } from './web-assets.ts';

export interface AppOptions {
  /** The built UI; null serves the API alone. */
  web: WebAssets | null;
  /** `host:port` values the server answers to (DNS-rebinding guard); null accepts any. */
  allowedHosts: () => Set<string> | null;
  /** Search result pages kept for repeated requests (search-cache.ts; 0: none). */
  searchCacheEntries?: number;
}

export function createApp(ctx: ServerContext, options: AppOptions): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('*', hostCheck(options.allowedHosts));
  app.use('*', readOnlyMethods());

  app.route('/api/search', searchApi(ctx, options.searchCacheEntries));
  app.route('/api/items', itemsApi(ctx));
  app.route('/api/threads', threadsApi(ctx));
  app.route('/api/overview', overviewApi(ctx));
  app.route('/api/reports', reportsApi(ctx));
  app.get('/api/*', () => {
    throw notFound('no-such-route', 'No such API route. Routes: /api/search, /api/items/ID, /api/threads/ID, /api/overview/..., /api/reports/FORMAT.');
  });

  app.get('*', (c) => {
    const res = options.web?.respond(c, c.req.path);
    if (res) return res;
    throw notFound('not-found', `Nothing at ${c.req.path}.`);
  });

  app.onError((err, c) => errorResponse(err, c));
  app.notFound((c) => errorResponse(notFound('not-found', `Nothing at ${c.req.path}.`), c));
  return app;
}
