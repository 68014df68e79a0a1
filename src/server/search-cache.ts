/**
 * Search results kept for the next person who asks: the same page of the same query is answered
 * from memory as long as the case has not changed since it was computed (SQLite's data_version,
 * read on the server's own connection, moves with every commit of any other connection: an ingest
 * or verify running beside the server). Identical requests arriving together share one computation.
 * A result is the same as a fresh one, `tookMs` included (the time it took to compute).
 */
import type { SearchRequest, SearchResult } from '../search/search-types.ts';

/** Pages kept; a page of 50 hits with snippets is ~50 KB, so ~13 MB at most. */
export const SEARCH_CACHE_ENTRIES = 256;

export class SearchCache {
  readonly #compute: (request: SearchRequest) => Promise<SearchResult>;
  readonly #generation: () => string;
  readonly #entries: number;
  readonly #kept = new Map<string, Promise<SearchResult>>();
  #at = '';

  constructor(compute: (request: SearchRequest) => Promise<SearchResult>, generation: () => string, entries = SEARCH_CACHE_ENTRIES) {
    this.#compute = compute;
    this.#generation = generation;
    this.#entries = entries;
  }

  search(request: SearchRequest): Promise<SearchResult> {
    if (this.#entries <= 0) return this.#compute(request);
    const generation = this.#generation();
    if (generation !== this.#at) {
      this.#kept.clear();
      this.#at = generation;
    }
    const key = JSON.stringify([request.query, request.sort, request.offset, request.limit, request.facets]);
    const kept = this.#kept.get(key);
    if (kept) {
      // Most recently used last: the first key is the one to drop.
      this.#kept.delete(key);
      this.#kept.set(key, kept);
      return kept;
    }
    const computed = this.#compute(request);
    this.#kept.set(key, computed);
    computed.catch(() => {
      if (this.#kept.get(key) === computed) this.#kept.delete(key);
    });
    if (this.#kept.size > this.#entries) this.#kept.delete(this.#kept.keys().next().value!);
    return computed;
  }
}
