/**
 * A parsed query (`query-parser.ts`) as SQL over the embedded index (`store/sqlite/search-schema.ts`).
 *
 * Text leaves become FTS5 expressions. Every word is handed to FTS5 in double quotes, so FTS5 splits
 * it with the same tokenizer that split the documents: `elysee.fr` is the phrase "elysee fr",
 * `l'Europe` matches "l’Europe", and the query language never has to know FTS5's own syntax. Subtrees
 * made only of text are merged into one MATCH (one pass over the index); fields that are not text
 * (verdict, date, size ...) become plain conditions on `search_rows`.
 *
 * The result names one positive FTS5 expression that every hit satisfies (`match`), when the query
 * has one at its top level: the search can then join the index directly and rank by bm25.
 */
import { lookupField, type TextFieldName } from './fields.ts';
import type { NearOperand, QueryNode } from './query-parser.ts';

export type SqlValue = string | number;

export interface CompiledQuery {
  /** An FTS5 expression every hit matches, or null (then `where` alone selects). */
  match: string | null;
  /** A condition on `search_rows` aliased `r`; '1' when `match` says everything. */
  where: string;
  params: SqlValue[];
  /** Every positive text term, ORed: what snippets highlight. Null when the query has no words. */
  highlight: string | null;
  /** `where` as the conditions it ANDs (each selects rows on its own); empty when `where` is '1'. */
  conditions: Sql[];
}

interface Sql {
  sql: string;
  params: SqlValue[];
  /** A query giving the same rows' ids directly, as `group_concat(...) AS ids`, when cheaper than `sql`. */
  ids?: string;
}

/** FTS5 string literal: the tokenizer splits and folds it like the indexed text. */
function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function columnsOf(field: TextFieldName | null): readonly string[] | null {
  if (field === null) return null;
  const spec = lookupField(field);
  return spec?.kind === 'text' ? spec.columns : null;
}

function withColumns(field: TextFieldName | null, expr: string): string {
  const cols = columnsOf(field);
  if (!cols) return expr;
  return `${cols.length === 1 ? quote(cols[0]!) : `{${cols.map(quote).join(' ')}}`} : (${expr})`;
}

function operand(o: NearOperand): string {
  return o.type === 'term' ? `${quote(o.value)}${o.prefix ? ' *' : ''}` : quote(o.words.join(' '));
}

/** The FTS5 expression of a subtree made only of text, or null when some part of it is not text. */
function fts(node: QueryNode): string | null {
  switch (node.type) {
    case 'term':
      return withColumns(node.field, `${quote(node.value)}${node.prefix ? ' *' : ''}`);
    case 'phrase':
      if (node.slop === null) return withColumns(node.field, quote(node.words.join(' ')));
      return withColumns(node.field, `NEAR(${node.words.map(quote).join(' ')}, ${node.slop})`);
    case 'near':
      return withColumns(node.field, `NEAR(${node.terms.map(operand).join(' ')}, ${node.distance})`);
    case 'or': {
      const parts = node.children.map(fts);
      return parts.every((p) => p !== null) ? parts.map((p) => `(${p})`).join(' OR ') : null;
    }
    case 'and': {
      const positive: string[] = [];
      const negative: string[] = [];
      for (const c of node.children) {
        const inner = c.type === 'not' ? fts(c.child) : fts(c);
        if (inner === null) return null;
        (c.type === 'not' ? negative : positive).push(inner);
      }
      // FTS5's NOT is binary: it needs something to subtract from.
      if (positive.length === 0) return null;
      let expr = positive.length === 1 ? positive[0]! : positive.map((p) => `(${p})`).join(' AND ');
      for (const n of negative) expr = `(${expr}) NOT (${n})`;
      return expr;
    }
    default:
      return null;
  }
}

function matchRows(expr: string): Sql {
  return { sql: 'r.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)', params: [expr] };
}

/** A condition that is false (never unknown) where a column is NULL, so that NOT works on it. */
function known(s: Sql): Sql {
  return { sql: `coalesce((${s.sql}), 0)`, params: s.params };
}

function condition(node: QueryNode): Sql {
  const text = fts(node);
  if (text !== null) return matchRows(text);
  switch (node.type) {
    case 'and':
      return andOf(node.children);
    case 'or': {
      const parts = node.children.map(condition);
      return { sql: parts.map((p) => `(${p.sql})`).join(' OR '), params: parts.flatMap((p) => p.params) };
    }
    case 'not': {
      const inner = known(condition(node.child));
      return { sql: `NOT ${inner.sql}`, params: inner.params };
    }
    case 'range': {
      if (node.from !== null && node.to !== null) return { sql: 'r.day BETWEEN ? AND ?', params: [node.from, node.to] };
      if (node.from !== null) return { sql: 'r.day >= ?', params: [node.from] };
      if (node.to !== null) return { sql: 'r.day <= ?', params: [node.to] };
      return { sql: 'r.day IS NOT NULL', params: [] };
    }
    case 'compare': {
      const op = node.op === '=' ? '=' : node.op;
      return { sql: `r.size ${op} ?`, params: [node.bytes] };
    }
    case 'keyword':
      return keyword(node.field, node.value);
    default:
      // Text leaves are handled by `fts` above.
      throw new Error(`unexpected query node ${node.type}`);
  }
}

function keyword(field: string, value: string): Sql {
  switch (field) {
    case 'type':
      return { sql: '(r.kind = ? OR r.format = ?)', params: [value, value] };
    case 'verdict':
      return { sql: 'r.verdict = ?', params: [value] };
    case 'domain':
      return {
        sql: 'r.rowid IN (SELECT row FROM search_domains WHERE domain = ?)', params: [value.replace(/\.$/, '')],
        ids: 'SELECT group_concat(row) AS ids FROM search_domains WHERE domain = ?',
      };
    case 'signal':
      return {
        sql: 'r.rowid IN (SELECT row FROM search_signals WHERE signal = ?)', params: [value],
        ids: 'SELECT group_concat(row) AS ids FROM search_signals WHERE signal = ?',
      };
    case 'has':
      return { sql: 'r.has_attachment = 1', params: [] };
    case 'thread':
      return { sql: 'r.thread = ?', params: [value] };
    default:
      throw new Error(`no SQL for the keyword field ${field}: add it here when adding it to fields.ts`);
  }
}

/** AND of children: their text parts merged into one MATCH, negated text subtracted inside it. */
function andOf(children: QueryNode[]): Sql {
  const { match, rest } = splitAnd(children);
  const parts = [...(match ? [matchRows(match)] : []), ...rest.map(condition)];
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** Splits an AND into one FTS5 expression (positive text, minus negated text) and the other children. */
function splitAnd(children: QueryNode[]): { match: string | null; rest: QueryNode[] } {
  const positive: string[] = [];
  const negative: string[] = [];
  const rest: QueryNode[] = [];
  for (const c of children) {
    const neg = c.type === 'not' ? fts(c.child) : null;
    const pos = c.type === 'not' ? null : fts(c);
    if (pos !== null) positive.push(pos);
    else if (neg !== null) negative.push(neg);
    else rest.push(c);
  }
  if (positive.length === 0) {
    // Nothing to subtract from inside FTS5: negations stay conditions (NOT IN).
    return { match: null, rest: children };
  }
  // One part unwrapped: \`budget\` and \`budget type:email\` give the same expression (the ranking cache's key).
  let match = positive.length === 1 ? positive[0]! : positive.map((p) => `(${p})`).join(' AND ');
  for (const n of negative) match = `(${match}) NOT (${n})`;
  return { match, rest };
}

/** Every positive text leaf, ORed: the words a snippet should show. */
function highlightOf(node: QueryNode, negated = false): string[] {
  switch (node.type) {
    case 'term':
    case 'phrase':
    case 'near':
      return negated ? [] : [fts(node)!];
    case 'and':
    case 'or':
      return node.children.flatMap((c) => highlightOf(c, negated));
    case 'not':
      return highlightOf(node.child, !negated);
    default:
      return [];
  }
}

export function compileQuery(ast: QueryNode): CompiledQuery {
  const words = highlightOf(ast);
  const highlight = words.length > 0 ? words.map((w) => `(${w})`).join(' OR ') : null;
  const whole = fts(ast);
  if (whole !== null) return { match: whole, where: '1', params: [], highlight, conditions: [] };
  if (ast.type === 'and') {
    const { match, rest } = splitAnd(ast.children);
    if (match !== null) {
      const parts = rest.map(condition);
      return {
        match,
        where: parts.length > 0 ? parts.map((p) => `(${p.sql})`).join(' AND ') : '1',
        params: parts.flatMap((p) => p.params),
        highlight,
        conditions: parts,
      };
    }
  }
  const c = condition(ast);
  const parts = ast.type === 'and' ? ast.children.map(condition) : [c];
  return { match: null, where: c.sql, params: c.params, highlight, conditions: parts };
}
