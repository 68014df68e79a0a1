/**
 * Search, facets, timeline and correspondents over the embedded index (`search-schema.ts`), from a
 * query in the query language (docs/search.md).
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { ItemKind } from '../../extract/format.ts';
import { compileQuery, type CompiledQuery } from '../../search/compile-sqlite.ts';
import { parseQuery } from '../../search/query-parser.ts';
import {
  MAX_FACET_VALUES,
  QuerySyntaxError,
  type Correspondence,
  type SearchHit,
  type SearchRequest,
  type SearchResult,
  type TimelineBucket,
  type TimelineUnit,
} from '../../search/search-types.ts';
import { idOf } from '../store.ts';
import { FacetColumns, parseIdList } from './facet-columns.ts';
import { FTS_COLUMNS, FTS_WEIGHTS } from './search-schema.ts';

type Row = Record<string, string | number | bigint | null | Uint8Array>;

const MARK_START = '\uE000';
const MARK_END = '\uE001';
/** Tokens of context in a snippet. */
const SNIPPET_TOKENS = 24;
/** Characters of the start of an item's text shown when no word of the query is in it. */
const LEAD_CHARS = 200;

/**
 * Ranked hit lists kept per connection, and the rows ranked at least (SqliteSearch.#ranked).
 * TROVE_RANKINGS_KEPT=0 keeps none (a benchmark of rankings computed every time).
 */
const RANKINGS_KEPT = Number(process.env.TROVE_RANKINGS_KEPT ?? 32);
const RANK_PREFIX = 1000;

const BM25 = `bm25(search_fts, ${FTS_COLUMNS.map((c) => FTS_WEIGHTS[c]).join(', ')})`;

/** A parsed query, or the whole case when the query is empty. */
export function compile(query: string): CompiledQuery {
  if (query.trim() === '') return { match: null, where: '1', params: [], highlight: null, conditions: [] };
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new QuerySyntaxError(query, parsed.error);
  return compileQuery(parsed.ast);
}

/** `FROM ... WHERE ...` selecting the hits as `r` (joined to the index when the query has words). */
function hitsFrom(c: CompiledQuery): { sql: string; params: SQLInputValue[] } {
  if (c.match === null) return { sql: `FROM search_rows r WHERE ${c.where}`, params: c.params };
  return {
    sql: `FROM search_fts JOIN search_rows r ON r.rowid = search_fts.rowid WHERE search_fts MATCH ? AND (${c.where})`,
    params: [c.match, ...c.params],
  };
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** The list in ascending order (most come that way already: checked in one pass before sorting). */
function sorted(a: Int32Array): Int32Array {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! > a[i]!) return a.sort();
  return a;
}

/** Sorted ids in both sorted lists. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[k++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.subarray(0, k);
}

/** Turns snippet() markers into offsets in plain text. */
function unmark(marked: string): { text: string; highlights: [number, number][] } {
  let text = '';
  const highlights: [number, number][] = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === MARK_START) start = text.length;
    else if (ch === MARK_END) {
      if (start >= 0 && text.length > start) highlights.push([start, text.length]);
      start = -1;
    } else text += ch;
  }
  return { text, highlights };
}

export class SqliteSearch {
  readonly #db: DatabaseSync;
  #columns: FacetColumns | null = null;
  /** Ranked hit lists by full-text expression, most recently used last (see #ranked). */
  readonly #rankings = new Map<string, { ids: Int32Array; complete: boolean }>();
  #rankingsAt = '';

  readonly #rankPrefix: number;

  /** `rankPrefix`: the best rows ranked at least, and kept (RANK_PREFIX; tests make it small). */
  constructor(db: DatabaseSync, options: { rankPrefix?: number } = {}) {
    this.#db = db;
    this.#rankPrefix = options.rankPrefix ?? RANK_PREFIX;
  }

  #all(sql: string, params: SQLInputValue[]): Row[] {
    return this.#db.prepare(sql).all(...params) as Row[];
  }

  /** Changes whenever the case does, here or through another connection. */
  #generation(): string {
    const r = this.#db.prepare('SELECT total_changes() AS mine').get() as Row;
    const other = this.#db.prepare('PRAGMA data_version').get() as Row;
    return `${String(other.data_version)}:${String(r.mine)}`;
  }

  /** The facet columns, loaded again only when the case changed. */
  #facetColumns(): FacetColumns {
    const generation = this.#generation();
    if (this.#columns?.generation !== generation) this.#columns = FacetColumns.load(this.#db, generation);
    return this.#columns;
  }

  /**
   * The best rows of a full-text expression (bm25, then rowid), at least `atLeast` of them if there
   * are that many. Ranking is the costly part of a broad query (FTS5 scores every matching row), and
   * the next page, a facet clicked or a field added to the same words rank the same rows again: the
   * best RANK_PREFIX rows are kept (RANKINGS_KEPT lists) until the case changes, longer lists when a
   * page lies deeper. `complete`: the list holds every row the expression finds.
   */
  #ranked(match: string, atLeast: number): { ids: Int32Array; complete: boolean } {
    const generation = this.#generation();
    if (generation !== this.#rankingsAt) {
      this.#rankings.clear();
      this.#rankingsAt = generation;
    }
    const kept = this.#rankings.get(match);
    if (kept) this.#rankings.delete(match);
    let ranked = kept && (kept.complete || kept.ids.length >= atLeast) ? kept : null;
    if (ranked === null) {
      // A bounded sort (LIMIT) keeps only the best rows while FTS5 scores them all.
      const limit = atLeast === Infinity ? -1 : Math.max(this.#rankPrefix, atLeast * 2);
      const r = this.#db
        .prepare(`SELECT group_concat(rowid) AS ids FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY ${BM25}, rowid LIMIT ?)`)
        .get(match, limit) as Row;
      const ids = parseIdList(str(r.ids));
      ranked = { ids, complete: limit < 0 || ids.length < limit };
      if (this.#rankings.size >= RANKINGS_KEPT) this.#rankings.delete(this.#rankings.keys().next().value!);
    }
    if (RANKINGS_KEPT > 0) this.#rankings.set(match, ranked);
    return ranked;
  }

  /** A page of the ranked rows of `match` that are among `ids` (all of them when `all`). */
  #rankedPage(match: string, ids: Int32Array, all: boolean, offset: number, limit: number): number[] {
    if (all) return [...this.#ranked(match, offset + limit).ids.subarray(offset, offset + limit)];
    const member = new Uint8Array((ids.length > 0 ? ids[ids.length - 1]! : 0) + 1);
    for (const id of ids) member[id] = 1;
    const pick = (ranked: Int32Array): number[] => {
      const page: number[] = [];
      let skipped = 0;
      for (const id of ranked) {
        if (member[id] !== 1 || skipped++ < offset) continue;
        page.push(id);
        if (page.length >= limit) break;
      }
      return page;
    };
    const prefix = this.#ranked(match, offset + limit);
    const page = pick(prefix.ids);
    // The other conditions kept too few of the best rows: rank them all.
    return page.length >= limit || prefix.complete ? page : pick(this.#ranked(match, Infinity).ids);
  }

  /** The bm25 score of each of these rows for a full-text expression, in one query (see #onPage). */
  #scores(match: string, page: number[]): Map<number, number> {
    return new Map(this.#onPage(`${BM25} AS v`, match, page).map((r) => [Number(r.rowid), Number(r.v)]));
  }

  /**
   * `select` (as `v`) for each of these rows that a full-text expression finds, in one query: a
   * query per row would expand a prefix (`budg*`: every word starting so, and their lists of rows)
   * once per row. The rows are given to FTS5 as a rowid range (`+rowid IN` keeps SQLite from handing
   * it the list as one lookup per row), and `select` runs only on the page's rows.
   */
  #onPage(select: string, expr: string, page: number[]): Row[] {
    if (page.length === 0) return [];
    return this.#db
      .prepare(`SELECT rowid, ${select} FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))`)
      // FTS5 ignores a rowid constraint bound as a float (a JavaScript number): bind integers.
      .all(expr, BigInt(Math.min(...page)), BigInt(Math.max(...page)), JSON.stringify(page)) as Row[];
  }

  search(req: SearchRequest): SearchResult {
    const started = performance.now();
    const c = compile(req.query);
    const sort = req.sort === 'relevance' && c.match === null ? 'date' : req.sort;
    const ids = this.#hitIds(c);
    const columns = req.facets || sort !== 'relevance' ? this.#facetColumns() : null;
    let rows: Row[];
    if (sort === 'relevance') {
      // Ranked by the full-text index alone (no row is read for the sort), keeping the hits of the
      // other conditions, until the page is full.
      const page = this.#rankedPage(c.match!, ids, c.conditions.length === 0, req.offset, req.limit);
      const scores = this.#scores(c.match!, page);
      rows = this.#rowsById(page).map((r) => ({ ...r, score: scores.get(Number(r.rowid)) ?? null }));
    } else {
      rows = this.#rowsById(columns!.page(ids, sort === 'date', req.offset, req.limit));
    }
    return {
      query: req.query,
      total: ids.length,
      offset: req.offset,
      limit: req.limit,
      sort,
      hits: ((snippets) => rows.map((r) => this.#hit(r, snippets.get(Number(r.rowid)) ?? null)))(this.#snippets(rows, c.highlight)),
      facets: req.facets ? columns!.count(ids, MAX_FACET_VALUES) : null,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** The rows of these ids, in this order. */
  #rowsById(page: number[]): Row[] {
    if (page.length === 0) return [];
    const byId = new Map(
      this.#all(`SELECT r.*, NULL AS score FROM search_rows r WHERE r.rowid IN (${page.map(() => '?').join(',')})`, page).map((r) => [Number(r.rowid), r]),
    );
    return page.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
  }

  /**
   * Every hit's row id, once: the total, the facets and a date-ordered page all come from it. Each
   * part of the query selects its rows through its own index (full-text, date, domain ...) and the
   * lists are intersected here: probing a row per hit of a common word would cost more.
   */
  #hitIds(c: CompiledQuery): Int32Array {
    const lists: Int32Array[] = [];
    const list = (sql: string, params: SQLInputValue[]): Int32Array => sorted(parseIdList(str((this.#db.prepare(sql).get(...params) as Row).ids)));
    if (c.match !== null) lists.push(list('SELECT group_concat(rowid) AS ids FROM search_fts WHERE search_fts MATCH ?', [c.match]));
    for (const part of c.conditions) lists.push(list(part.ids ?? `SELECT group_concat(r.rowid) AS ids FROM search_rows r WHERE ${part.sql}`, part.params));
    if (lists.length === 0) return list('SELECT group_concat(rowid) AS ids FROM search_rows', []);
    lists.sort((a, b) => a.length - b.length);
    let out = lists[0]!;
    for (const next of lists.slice(1)) out = intersect(out, next);
    return out;
  }

  /** The snippet of each row that the query's words are in (see #onPage). */
  #snippets(rows: Row[], highlight: string | null): Map<number, string> {
    if (highlight === null) return new Map();
    const found = this.#onPage(`snippet(search_fts, -1, '${MARK_START}', '${MARK_END}', '…', ${SNIPPET_TOKENS}) AS v`, highlight, rows.map((r) => Number(r.rowid)));
    return new Map(found.filter((r) => r.v !== null).map((r) => [Number(r.rowid), String(r.v)]));
  }

  #hit(r: Row, snippet: string | null): SearchHit {
    const sha256 = String(r.sha256);
    const rowid = Number(r.rowid);
    let marked: string | null = snippet;
    if (marked === null) {
      const lead = this.#db.prepare('SELECT substr(body, 1, ?) AS s FROM search_content WHERE rowid = ?').get(LEAD_CHARS + 1, rowid) as Row | undefined;
      const body = (str(lead?.s) ?? '').replace(/\s+/g, ' ').trim();
      marked = body.length > LEAD_CHARS ? `${body.slice(0, LEAD_CHARS)}…` : body;
    }
    const { text, highlights } = unmark(marked.replace(/\s+/g, ' '));
    const names = str(r.filenames);
    const messageId = r.kind === 'email' ? str((this.#db.prepare('SELECT message_id FROM emails WHERE sha256 = ?').get(sha256) as Row | undefined)?.message_id) : null;
    return {
      id: idOf(sha256),
      sha256,
      kind: String(r.kind) as ItemKind,
      format: String(r.format),
      size: Number(r.size),
      messageId,
      subject: str(r.subject),
      filename: names ? names.split('\n')[0]! : null,
      from: str(r.from_text),
      date: str(r.date),
      day: str(r.day),
      verdict: str(r.verdict),
      thread: str(r.thread),
      path: this.#firstPath(sha256),
      snippet: text,
      highlights,
      score: r.score === null ? null : Math.round(Number(r.score) * 1e4) / 1e4,
    };
  }

  #firstPath(sha256: string): string | null {
    const r = this.#db
      .prepare(
        `WITH RECURSIVE up(sha, path, depth) AS (
           SELECT parent, name, 0 FROM (SELECT parent, name FROM placements WHERE sha256 = ? ORDER BY name LIMIT 1)
           UNION ALL
           SELECT p.parent, p.name || up.path, up.depth + 1 FROM up
             JOIN placements p ON p.sha256 = up.sha AND p.name = (SELECT min(name) FROM placements WHERE sha256 = up.sha)
           WHERE up.sha <> '' AND up.depth < 64)
         SELECT path FROM up WHERE sha = '' LIMIT 1`,
      )
      .get(sha256) as Row | undefined;
    return str(r?.path);
  }

  /** Hits per day, week (from Monday) or month, split by verdict. */
  timeline(query: string, unit: TimelineUnit): TimelineBucket[] {
    const from = hitsFrom(compile(query));
    const period = unit === 'day' ? 'r.day' : unit === 'week' ? "date(r.day, '-6 days', 'weekday 1')" : 'substr(r.day, 1, 7)';
    const rows = this.#all(
      `SELECT ${period} AS period, coalesce(r.verdict, 'none') AS verdict, count(*) AS n ${from.sql} AND r.day IS NOT NULL
       GROUP BY 1, 2 ORDER BY 1, 2`,
      from.params,
    );
    const out: TimelineBucket[] = [];
    for (const r of rows) {
      const p = String(r.period);
      let b = out[out.length - 1];
      if (!b || b.period !== p) {
        b = { period: p, total: 0, byVerdict: {} };
        out.push(b);
      }
      b.total += Number(r.n);
      b.byVerdict[String(r.verdict)] = Number(r.n);
    }
    return out;
  }

  /** Who wrote to whom (To: and Cc:) how often, among the emails the query finds. */
  correspondents(query: string, limit: number): Correspondence {
    const from = hitsFrom(compile(query));
    const edges = this.#all(
      `WITH hits AS MATERIALIZED (SELECT r.rowid AS row ${from.sql})
       SELECT f.address AS sender, t.address AS recipient, count(DISTINCT hits.row) AS n
       FROM hits JOIN search_addresses f ON f.row = hits.row AND f.role = 'from'
         JOIN search_addresses t ON t.row = hits.row AND t.role IN ('to', 'cc')
       WHERE t.address <> f.address
       GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?`,
      [...from.params, limit],
    ).map((r) => ({ from: String(r.sender), to: String(r.recipient), count: Number(r.n) }));
    const people = this.#all(
      `WITH hits AS MATERIALIZED (SELECT r.rowid AS row ${from.sql}),
         roles AS (SELECT a.address, a.name, a.role FROM hits JOIN search_addresses a ON a.row = hits.row),
         named AS (SELECT address, name, count(*) AS n FROM roles WHERE name <> '' GROUP BY 1, 2)
       SELECT address, sum(role = 'from') AS sent, sum(role <> 'from') AS received,
         (SELECT name FROM named WHERE named.address = roles.address ORDER BY n DESC, name LIMIT 1) AS name
       FROM roles GROUP BY address ORDER BY sent + received DESC, address LIMIT ?`,
      [...from.params, limit],
    ).map((r) => ({ address: String(r.address), name: str(r.name) ?? '', sent: Number(r.sent), received: Number(r.received) }));
    return { people, edges };
  }
}
