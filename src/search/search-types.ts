/**
 * What a search asks and returns: the shape `trove search --json`, the HTTP API and the web UI share.
 * Fields may be added; these may not be renamed (the same rule as the report).
 */
import type { ItemKind } from '../extract/format.ts';
import type { QueryError } from './query-parser.ts';

export type SearchSort = 'relevance' | 'date' | 'oldest';
export const SEARCH_SORTS: readonly SearchSort[] = ['relevance', 'date', 'oldest'];

/** Hits per page at most: a page is for reading; reports stream every item. */
export const MAX_SEARCH_LIMIT = 1000;

export interface SearchRequest {
  query: string;
  limit: number;
  offset: number;
  /** `relevance` (bm25; date order when the query has no words), `date` (newest first), `oldest`. */
  sort: SearchSort;
  /** Count hits per verdict, kind, format, sender domain and month. */
  facets: boolean;
}

export interface SearchHit {
  id: string;
  sha256: string;
  kind: ItemKind;
  format: string;
  size: number;
  /** Emails only. */
  messageId: string | null;
  subject: string | null;
  /** Files only: the first of the names it was found under. */
  filename: string | null;
  /** Emails only: the From: header as `Name <address>`. */
  from: string | null;
  /** ISO 8601 UTC (emails: the Date header; files: the email that carried them). */
  date: string | null;
  /** The day on the sender's calendar, `YYYY-MM-DD`: what `date:` searches. */
  day: string | null;
  verdict: string | null;
  thread: string | null;
  /** One display path where the item was found. */
  path: string | null;
  /** A short passage around the matched words (plain text, no markup). */
  snippet: string;
  /** [start, end) UTF-16 offsets of matched words in `snippet`. */
  highlights: [number, number][];
  /** bm25 relevance, lower is better; null when sorted by date. */
  score: number | null;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchFacets {
  verdict: FacetCount[];
  kind: FacetCount[];
  format: FacetCount[];
  /** Sender domains, most frequent first (the first MAX_FACET_VALUES). */
  domain: FacetCount[];
  /** `YYYY-MM` in calendar order. */
  month: FacetCount[];
}

/** Values listed per open-ended facet (domains); the rest are summed in `other`. */
export const MAX_FACET_VALUES = 25;

export interface SearchResult {
  query: string;
  total: number;
  offset: number;
  limit: number;
  /** The sort used: `relevance` falls back to `date` for a query without words. */
  sort: SearchSort;
  hits: SearchHit[];
  facets: SearchFacets | null;
  tookMs: number;
}

/** A query that does not parse; `error.position` points into the query. */
export class QuerySyntaxError extends Error {
  readonly query: string;
  readonly error: QueryError;
  constructor(query: string, error: QueryError) {
    super(error.message);
    this.query = query;
    this.error = error;
  }
}

export type TimelineUnit = 'day' | 'week' | 'month';

export interface TimelineBucket {
  /** First day of the bucket (`YYYY-MM-DD`; a week starts on Monday) or `YYYY-MM` for months. */
  period: string;
  total: number;
  /** Count per verdict (`none` when the item has no verdict yet). */
  byVerdict: Record<string, number>;
}

export interface Correspondent {
  address: string;
  /** The name most often written beside the address. */
  name: string;
  sent: number;
  received: number;
}

export interface CorrespondenceEdge {
  from: string;
  to: string;
  /** Emails from `from` with `to` in To: or Cc:. */
  count: number;
}

export interface Correspondence {
  people: Correspondent[];
  edges: CorrespondenceEdge[];
}
