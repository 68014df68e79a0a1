/**
 * The errors an API handler throws, and the one place that turns any error into an HTTP response
 * (STYLE.md §6). A response body is always `{ error: { code, message, ... } }`; unknown errors get a
 * generic message, never internals.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { UserError } from '../errors.ts';
import { QuerySyntaxError } from '../search/search-types.ts';

/** A request the API refuses or cannot answer, with a stable `code` and a message that says what to do. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: ContentfulStatusCode;
  constructor(status: ContentfulStatusCode, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

export function notFound(code: string, message: string): ApiError {
  return new ApiError(404, code, message);
}

export function badRequest(code: string, message: string): ApiError {
  return new ApiError(400, code, message);
}

/** The error response for `err`. */
export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof QuerySyntaxError) {
    // position and length count UTF-16 code units: the UI selects them in its search box as they are.
    return c.json({ error: { code: err.error.code, message: err.error.message, position: err.error.position, length: err.error.length, query: err.query } }, 400);
  }
  if (err instanceof ApiError) return c.json({ error: { code: err.code, message: err.message } }, err.status);
  if (err instanceof UserError) return c.json({ error: { code: err.code, message: err.message } }, 400);
  console.error(`trove serve: ${c.req.method} ${c.req.path} failed: ${(err as Error)?.stack ?? String(err)}`);
  return c.json({ error: { code: 'internal', message: 'The server could not answer this request (a bug in trove; the server log has details).' } }, 500);
}
