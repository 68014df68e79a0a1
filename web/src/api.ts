/** The HTTP API, typed by the server's own shapes (src/server/api-types.ts). */
import type { ApiErrorBody } from '../../src/server/api-types.ts';

/** An answer other than 2xx, with the server's `{ error }` body. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiFailure(0, { code: 'offline', message: 'The trove server does not answer: is `trove serve` still running?' });
  }
  if (!res.ok) {
    let body: ApiErrorBody = { code: 'http-' + res.status, message: `The server answered ${res.status}.` };
    try {
      body = ((await res.json()) as { error: ApiErrorBody }).error ?? body;
    } catch {
      // Not JSON: keep the generic message.
    }
    throw new ApiFailure(res.status, body);
  }
  return (await res.json()) as T;
}

/** A URL with query parameters (empty values left out). */
export function withParams(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
