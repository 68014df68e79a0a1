/**
 * The search query language; docs/search.md is the user contract. A string goes in, an AST or an
 * error with a position comes out: no I/O, nothing thrown at the caller. Fields come from the one
 * table in `fields.ts`. Recursive descent over a lazy lexer with one token of lookahead, so the work
 * is linear in the length of the query; length and nesting are capped (hostile input, STYLE.md §6).
 *
 * Precedence, tightest first: NEAR, NOT (and `-`), AND (and plain juxtaposition), OR.
 */
import {
  lookupField,
  fieldNames,
  type DateFieldName,
  type FieldSpec,
  type KeywordField,
  type KeywordFieldName,
  type SizeFieldName,
  type TextFieldName,
} from './fields.ts';

/** Longest query accepted, in UTF-16 code units (JavaScript string length). */
export const MAX_QUERY_LENGTH = 2000;
/** Deepest nesting of parentheses and negations together. */
export const MAX_NESTING = 32;
/** Words allowed between the terms of `a NEAR b` when no distance is written. */
export const DEFAULT_NEAR_DISTANCE = 10;
/** Largest distance for `NEAR/n` and for a phrase's `~n`, in words. */
export const MAX_NEAR_DISTANCE = 100;

// ---- The AST ----------------------------------------------------------------------------------

/** All children must match. Always two or more children; nested ANDs are flattened. */
export interface AndNode {
  type: 'and';
  children: QueryNode[];
}

/** Any child may match. Always two or more children; nested ORs are flattened. */
export interface OrNode {
  type: 'or';
  children: QueryNode[];
}

export interface NotNode {
  type: 'not';
  child: QueryNode;
}

/** One word as typed (case and accents kept: the index folds them); `prefix` for `word*`. */
export interface TermNode {
  type: 'term';
  /** null: every text field. */
  field: TextFieldName | null;
  value: string;
  prefix: boolean;
}

/** Two or more words in order; with `slop`, in any order within that many words of each other. */
export interface PhraseNode {
  type: 'phrase';
  field: TextFieldName | null;
  words: string[];
  slop: number | null;
}

/** An operand of NEAR: a word (maybe a prefix) or a phrase; the field is the NEAR node's. */
export type NearOperand = { type: 'term'; value: string; prefix: boolean } | { type: 'phrase'; words: string[] };

/** `a NEAR/5 b NEAR/5 "c d"`: every operand within `distance` words of the others, in any order. */
export interface NearNode {
  type: 'near';
  field: TextFieldName | null;
  terms: NearOperand[];
  distance: number;
}

/** Calendar days, both ends inclusive, as `YYYY-MM-DD`; null for an open end. */
export interface RangeNode {
  type: 'range';
  field: DateFieldName;
  from: string | null;
  to: string | null;
}

export type CompareOp = '>' | '>=' | '<' | '<=' | '=';

export interface CompareNode {
  type: 'compare';
  field: SizeFieldName;
  op: CompareOp;
  bytes: number;
}

/** An exact stored value; enumerations are already validated and in canonical (lower) case. */
export interface KeywordNode {
  type: 'keyword';
  field: KeywordFieldName;
  value: string;
}

export type QueryNode =
  | AndNode
  | OrNode
  | NotNode
  | TermNode
  | PhraseNode
  | NearNode
  | RangeNode
  | CompareNode
  | KeywordNode;

export type QueryErrorCode =
  | 'empty-query'
  | 'too-long'
  | 'too-deep'
  | 'unclosed-quote'
  | 'empty-quotes'
  | 'unclosed-parenthesis'
  | 'unmatched-parenthesis'
  | 'empty-group'
  | 'dangling-operator'
  | 'misplaced-operator'
  | 'bad-minus'
  | 'bad-prefix'
  | 'bad-proximity'
  | 'bad-near'
  | 'unknown-field'
  | 'nested-field'
  | 'missing-value'
  | 'bad-value'
  | 'bad-date'
  | 'bad-size'
  | 'no-searchable-text';

/** A syntax error: where it is (UTF-16 offset and length in the query) and what to do about it. */
export interface QueryError {
  code: QueryErrorCode;
  message: string;
  position: number;
  length: number;
}

export type ParseResult = { ok: true; ast: QueryNode } | { ok: false; error: QueryError };

// ---- Lexer ------------------------------------------------------------------------------------

/** Straight, curly and French quotes all quote: journalists paste from word processors. */
const QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb';
const SPACE = /\s/u;
/** A term must give the index tokenizer something to keep. */
const SEARCHABLE = /[\p{L}\p{N}]/u;
/** Lucene's fuzzy `word~2`, which we do not offer. */
const FUZZY = /~\d*$/;
/** What the part before a colon must look like to be taken for a (mistyped) field name. */
const FIELD_LIKE = /^[a-z]+$/i;

interface Token {
  kind: 'word' | 'phrase' | 'open' | 'close' | 'eof';
  /** Word: the chunk as typed. Phrase: the text between the quotes. */
  text: string;
  pos: number;
  end: number;
  /** No space between this token and the previous one (`from:(`, `-"`). */
  glued: boolean;
  /** The rest of a word after a leading `-`: never an operator (`-AND` excludes the word "AND"). */
  literal: boolean;
  slop: number | null;
  slopPos: number;
}

/** Internal: unwinds the descent to `parseQuery`, which returns the error as data. */
class QuerySyntaxError extends Error {
  readonly error: QueryError;
  constructor(error: QueryError) {
    super(error.message);
    this.error = error;
  }
}

function fail(code: QueryErrorCode, message: string, position: number, length: number): never {
  throw new QuerySyntaxError({ code, message, position, length: Math.max(0, length) });
}

function isQuote(c: string | undefined): boolean {
  return c !== undefined && QUOTES.includes(c);
}

class Lexer {
  private readonly s: string;
  private i = 0;
  private lastEnd = -1;

  constructor(s: string) {
    this.s = s;
  }

  next(): Token {
    const s = this.s;
    let i = this.i;
    while (i < s.length && SPACE.test(s[i]!)) i++;
    const glued = i === this.lastEnd;
    const token = (kind: Token['kind'], text: string, end: number, slop: number | null = null, slopPos = -1): Token => {
      this.i = end;
      this.lastEnd = end;
      return { kind, text, pos: i, end, glued, literal: false, slop, slopPos };
    };
    if (i >= s.length) return token('eof', '', s.length);
    const c = s[i]!;
    if (c === '(') return token('open', c, i + 1);
    if (c === ')') return token('close', c, i + 1);
    if (isQuote(c)) {
      let j = i + 1;
      while (j < s.length && !isQuote(s[j])) j++;
      if (j >= s.length) fail('unclosed-quote', 'unclosed quote: add the closing "', i, 1);
      let end = j + 1;
      if (s[end] !== '~') return token('phrase', s.slice(i + 1, j), end);
      const slopPos = end;
      let k = end + 1;
      while (k < s.length && s[k]! >= '0' && s[k]! <= '9') k++;
      if (k === end + 1) fail('bad-proximity', `'~' needs a number of words after it, like "budget 2017"~5`, slopPos, 1);
      const slop = Number(s.slice(end + 1, k));
      end = k;
      if (slop > MAX_NEAR_DISTANCE) {
        fail('bad-proximity', `~${slop} is too far: ${MAX_NEAR_DISTANCE} words at most`, slopPos, k - slopPos);
      }
      return token('phrase', s.slice(i + 1, j), end, slop, slopPos);
    }
    let j = i;
    while (j < s.length && !SPACE.test(s[j]!) && s[j] !== '(' && s[j] !== ')' && !isQuote(s[j])) j++;
    return token('word', s.slice(i, j), j);
  }
}

type Operator = 'AND' | 'OR' | 'NOT' | 'NEAR';

/** Operators are upper case only: `and`, `or`, `not`, `near` are words (as in Lucene). */
function operatorOf(t: Token): Operator | null {
  if (t.kind !== 'word' || t.literal) return null;
  if (t.text === 'AND' || t.text === 'OR' || t.text === 'NOT') return t.text;
  if (t.text === 'NEAR' || t.text.startsWith('NEAR/')) return 'NEAR';
  return null;
}

// ---- Near-miss suggestions ----------------------------------------------------------------------

/** Optimal string alignment distance: edits, with a swap of two neighbours counted as one. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const up = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * Typos tolerated for a word of this length. Two-letter words never count as a mistyped field, or
 * "RE:", "TR:" and "Fw:" from pasted subject lines would all be read as a mistyped `to:`.
 */
function typosAllowed(length: number): number {
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}

function closest(word: string, candidates: readonly string[], limit: number): string | null {
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > limit) continue;
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

// ---- Dates and sizes ----------------------------------------------------------------------------

const DATE_RE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
const DATE_HINT = 'write year-month-day, like 2017-03-01, 2017-03 or 2017';

interface Day {
  y: number;
  m: number;
  d: number;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isoDay(day: Day): string {
  return `${String(day.y).padStart(4, '0')}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

function parseIsoDay(iso: string): Day {
  return { y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)), d: Number(iso.slice(8, 10)) };
}

/** The day after, or null past 9999-12-31. */
function nextDay({ y, m, d }: Day): Day | null {
  if (d < daysInMonth(y, m)) return { y, m, d: d + 1 };
  if (m < 12) return { y, m: m + 1, d: 1 };
  return y < 9999 ? { y: y + 1, m: 1, d: 1 } : null;
}

/** The day before, or null before 0001-01-01. */
function previousDay({ y, m, d }: Day): Day | null {
  if (d > 1) return { y, m, d: d - 1 };
  if (m > 1) return { y, m: m - 1, d: daysInMonth(y, m - 1) };
  return y > 1 ? { y: y - 1, m: 12, d: 31 } : null;
}

/** First and last day of a year, month or day written as `2017`, `2017-03` or `2017-03-01`. */
function parseDatePoint(text: string, pos: number): { first: Day; last: Day } {
  const m = DATE_RE.exec(text);
  if (!m) fail('bad-date', `bad date '${text}': ${DATE_HINT}`, pos, text.length);
  const y = Number(m[1]);
  if (y < 1) fail('bad-date', `bad date '${text}': there is no year 0`, pos, text.length);
  if (m[2] === undefined) return { first: { y, m: 1, d: 1 }, last: { y, m: 12, d: 31 } };
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) fail('bad-date', `bad date '${text}': there is no month ${m[2]}`, pos, text.length);
  const last = daysInMonth(y, mo);
  if (m[3] === undefined) return { first: { y, m: mo, d: 1 }, last: { y, m: mo, d: last } };
  const d = Number(m[3]);
  if (d < 1 || d > last) {
    fail('bad-date', `bad date '${text}': ${isoDay({ y, m: mo, d: 1 }).slice(0, 7)} has ${last} days`, pos, text.length);
  }
  return { first: { y, m: mo, d }, last: { y, m: mo, d } };
}

const SIZE_RE = /^(\d+)(?:\.(\d+))?(b|kb|mb|gb)?$/i;
/** Decimal (SI) units, as on a disk's label: 1 KB = 1000 bytes. */
const SIZE_UNITS = { b: 0, kb: 3, mb: 6, gb: 9 } as const;
const SIZE_HINT = 'write a number and a unit, like 500KB, 1.5MB or 2GB (units: B, KB, MB, GB; 1 KB = 1000 bytes)';
/** More digits than this cannot be a safe integer number of bytes. */
const MAX_SIZE_DIGITS = 16;

/** Exact bytes for `1.5MB` (decimal arithmetic on the digits, not floating point). */
function parseSize(text: string, pos: number): number {
  if (text === '') fail('bad-size', `a size needs a number, like size:>1MB`, pos, 0);
  if (/^\d+,\d+/.test(text)) fail('bad-size', `write decimals with a dot: ${text.replace(',', '.')}`, pos, text.length);
  const m = SIZE_RE.exec(text);
  if (!m) fail('bad-size', `bad size '${text}': ${SIZE_HINT}`, pos, text.length);
  const whole = m[1]!;
  const fraction = m[2] ?? '';
  const exponent = SIZE_UNITS[(m[3] ?? 'b').toLowerCase() as keyof typeof SIZE_UNITS];
  const tooBig = () => fail('bad-size', `size '${text}' is too large`, pos, text.length);
  if (whole.replace(/^0+/, '').length > MAX_SIZE_DIGITS) tooBig();
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) {
    fail('bad-size', `size '${text}' is not a whole number of bytes`, pos, text.length);
  }
  const digits = whole + fraction.slice(0, exponent).padEnd(exponent, '0');
  const bytes = Number(digits);
  if (!Number.isSafeInteger(bytes)) tooBig();
  return bytes;
}

// ---- Parser ------------------------------------------------------------------------------------

/** The field a group applies to (`from:(...)`), or null outside any field. */
type FieldContext = FieldSpec | null;

function textField(ctx: FieldContext): TextFieldName | null {
  return ctx === null ? null : (ctx.name as TextFieldName);
}

function flatten(type: 'and' | 'or', children: QueryNode[]): QueryNode {
  if (children.length === 1) return children[0]!;
  const flat: QueryNode[] = [];
  for (const c of children) {
    if (c.type === type) flat.push(...c.children);
    else flat.push(c);
  }
  return { type, children: flat };
}

function span(t: Token): [number, number] {
  return [t.pos, t.end - t.pos];
}

class Parser {
  private readonly lexer: Lexer;
  private lookahead: Token | null = null;

  constructor(input: string) {
    this.lexer = new Lexer(input);
  }

  peek(): Token {
    this.lookahead ??= this.lexer.next();
    return this.lookahead;
  }

  private take(): Token {
    const t = this.peek();
    this.lookahead = null;
    return t;
  }

  private enter(depth: number, t: Token): number {
    if (depth + 1 > MAX_NESTING) {
      fail('too-deep', `the query is nested too deeply: ${MAX_NESTING} levels of parentheses and negations at most`, ...span(t));
    }
    return depth + 1;
  }

  /** or := and ('OR' and)* */
  parseOr(ctx: FieldContext, depth: number, after: Token | null): QueryNode {
    const children = [this.parseAnd(ctx, depth, after)];
    while (operatorOf(this.peek()) === 'OR') {
      const op = this.take();
      children.push(this.parseAnd(ctx, depth, op));
    }
    return flatten('or', children);
  }

  /** and := unary (['AND'] unary)* */
  private parseAnd(ctx: FieldContext, depth: number, after: Token | null): QueryNode {
    const children = [this.parseUnary(ctx, depth, after)];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'close') break;
      const op = operatorOf(t);
      if (op === 'OR') break;
      children.push(this.parseUnary(ctx, depth, op === 'AND' ? this.take() : null));
    }
    return flatten('and', children);
  }

  /** unary := 'NOT' unary | '-' unary | primary. `after` is the operator just read, for messages. */
  private parseUnary(ctx: FieldContext, depth: number, after: Token | null): QueryNode {
    const t = this.peek();
    if (t.kind === 'eof' || t.kind === 'close') {
      if (after) fail('dangling-operator', `nothing after '${after.text}'`, ...span(after));
      if (t.kind === 'close') fail('unmatched-parenthesis', `unmatched ')': remove it or add a '(' before`, ...span(t));
      fail('empty-query', 'empty query', t.pos, 0);
    }
    const op = operatorOf(t);
    if (op === 'NOT') {
      this.take();
      return { type: 'not', child: this.parseUnary(ctx, this.enter(depth, t), t) };
    }
    if (op !== null) {
      if (after) fail('misplaced-operator', `'${t.text}' right after '${after.text}'`, ...span(t));
      fail('misplaced-operator', `'${t.text}' has nothing before it`, ...span(t));
    }
    if (t.kind === 'word' && t.text.startsWith('-')) {
      const inner = this.enter(depth, t);
      if (t.text === '-') {
        this.take();
        const next = this.peek();
        if (!next.glued || (next.kind !== 'open' && next.kind !== 'phrase')) {
          fail('bad-minus', `'-' must touch what it excludes, like -spam, -"a phrase" or -(a OR b)`, t.pos, 1);
        }
        return { type: 'not', child: this.parsePrimary(ctx, inner) };
      }
      this.lookahead = { ...t, text: t.text.slice(1), pos: t.pos + 1, literal: true };
      return { type: 'not', child: this.parseUnary(ctx, inner, null) };
    }
    return this.parsePrimary(ctx, depth);
  }

  /** primary := '(' or ')' | field ':' value | phrase | word, each maybe followed by a NEAR chain. */
  private parsePrimary(ctx: FieldContext, depth: number): QueryNode {
    const t = this.take();
    if (t.kind === 'open') return this.parseGroup(ctx, depth, t);
    if (t.kind === 'phrase') return this.parseNear(ctx, this.phraseLeaf(ctx, t), t);
    const field = this.fieldPrefix(t);
    if (field) {
      if (ctx) {
        fail('nested-field', `'${field.written}:' inside '${ctx.name}:(…)': a group takes one field; close it first`, t.pos, field.colon + 1);
      }
      return this.fieldClause(field.spec, t, field.colon, depth);
    }
    return this.parseNear(ctx, this.wordLeaf(ctx, t.text, t.pos), t);
  }

  private parseGroup(ctx: FieldContext, depth: number, open: Token): QueryNode {
    const inner = this.enter(depth, open);
    const next = this.peek();
    if (next.kind === 'close') fail('empty-group', 'empty group: put something between the parentheses', open.pos, next.end - open.pos);
    const node = this.parseOr(ctx, inner, null);
    if (this.peek().kind !== 'close') fail('unclosed-parenthesis', `unclosed parenthesis: add the missing ')'`, open.pos, 1);
    this.take();
    this.refuseNear(`NEAR joins words or "phrases", not groups`);
    return node;
  }

  /** The field named before a colon, or null for a plain word (`10:30`, `http://x`, `RE:`). */
  private fieldPrefix(t: Token): { spec: FieldSpec; colon: number; written: string } | null {
    const colon = t.text.indexOf(':');
    if (colon <= 0) return null;
    const written = t.text.slice(0, colon);
    const spec = lookupField(written);
    if (spec) return { spec, colon, written };
    if (FIELD_LIKE.test(written)) {
      const lower = written.toLowerCase();
      const suggestion = closest(lower, fieldNames(), typosAllowed(lower.length));
      if (suggestion) {
        fail(
          'unknown-field',
          `unknown field '${written}:' — did you mean '${suggestion}:'? To search for the text itself, put it in quotes`,
          t.pos,
          colon + 1,
        );
      }
    }
    return null;
  }

  private fieldClause(spec: FieldSpec, t: Token, colon: number, depth: number): QueryNode {
    const written = t.text.slice(0, colon);
    const value = t.text.slice(colon + 1);
    const valuePos = t.pos + colon + 1;
    const nearHint = `NEAR joins words of one field: write ${spec.name}:(a NEAR b)`;
    if (value === '') {
      const next = this.peek();
      if (next.glued && next.kind === 'open') return this.parseGroup(spec, depth, this.take());
      if (next.glued && next.kind === 'phrase') {
        const leaf = this.phraseLeaf(spec, this.take());
        this.refuseNear(nearHint);
        return leaf;
      }
      fail('missing-value', `'${written}:' needs a value right after the colon, like ${spec.example}`, ...span(t));
    }
    if (value.startsWith('-')) {
      fail('bad-minus', `to exclude, put '-' before the field: -${written}:${value.slice(1)}`, valuePos, 1);
    }
    const leaf = this.wordLeaf(spec, value, valuePos);
    this.refuseNear(nearHint);
    return leaf;
  }

  private refuseNear(message: string): void {
    const t = this.peek();
    if (operatorOf(t) === 'NEAR') fail('bad-near', message, ...span(t));
  }

  /** A NEAR chain starting at `first` (read from `firstToken`), or `first` itself when no NEAR follows. */
  private parseNear(ctx: FieldContext, first: QueryNode, firstToken: Token): QueryNode {
    if (operatorOf(this.peek()) !== 'NEAR') return first;
    const terms = [this.nearOperand(ctx, first, firstToken)];
    let distance: number | null = null;
    while (operatorOf(this.peek()) === 'NEAR') {
      const op = this.take();
      const d = nearDistance(op);
      if (distance !== null && d !== distance) {
        fail('bad-near', `one NEAR chain takes one distance: this is NEAR/${d}, the first was NEAR/${distance}`, ...span(op));
      }
      distance = d;
      const next = this.peek();
      if (next.kind === 'eof' || next.kind === 'close') fail('dangling-operator', `nothing after '${op.text}'`, ...span(op));
      if (operatorOf(next) !== null) fail('misplaced-operator', `'${next.text}' right after '${op.text}'`, ...span(next));
      if (next.kind === 'open') fail('bad-near', `NEAR joins words or "phrases", not groups`, ...span(next));
      this.take();
      if (next.kind === 'phrase') {
        terms.push(this.nearOperand(ctx, this.phraseLeaf(ctx, next), next));
        continue;
      }
      if (next.text.startsWith('-')) {
        fail('bad-near', `NEAR cannot take an excluded word; exclude the whole: -(a NEAR b)`, next.pos, 1);
      }
      const field = this.fieldPrefix(next);
      if (field) fail('bad-near', `NEAR joins words of one field: write ${field.spec.name}:(a NEAR b)`, next.pos, field.colon + 1);
      terms.push(this.nearOperand(ctx, this.wordLeaf(ctx, next.text, next.pos), next));
    }
    return { type: 'near', field: textField(ctx), terms, distance: distance ?? DEFAULT_NEAR_DISTANCE };
  }

  private nearOperand(ctx: FieldContext, leaf: QueryNode, t: Token): NearOperand {
    if (leaf.type === 'term') return { type: 'term', value: leaf.value, prefix: leaf.prefix };
    if (leaf.type === 'phrase' && leaf.slop === null) return { type: 'phrase', words: leaf.words };
    if (leaf.type === 'phrase') {
      fail('bad-near', `a phrase with '~' cannot be joined by NEAR; write "a b" NEAR/5 c`, t.slopPos, t.end - t.slopPos);
    }
    fail('bad-near', `NEAR works only with words, not with ${ctx?.name ?? 'this field'}:`, ...span(this.peek()));
  }

  /** A bare word (or a field's value): a term in text fields, else the field's own kind of value. */
  private wordLeaf(ctx: FieldContext, text: string, pos: number): QueryNode {
    if (ctx === null || ctx.kind === 'text') return textTerm(ctx, text, pos);
    if (ctx.kind === 'keyword') return keywordValue(ctx, text, pos, false);
    if (ctx.kind === 'date') return dateValue(ctx.name as DateFieldName, text, pos);
    return sizeValue(ctx.name as SizeFieldName, text, pos);
  }

  private phraseLeaf(ctx: FieldContext, t: Token): QueryNode {
    const words = t.text.split(/\s+/u).filter((w) => w !== '');
    if (words.length === 0) fail('empty-quotes', 'empty quotes: put words between them', ...span(t));
    if (ctx === null || ctx.kind === 'text') {
      if (!words.some((w) => SEARCHABLE.test(w))) {
        fail('no-searchable-text', 'nothing to search for in these quotes: no letters or digits', ...span(t));
      }
      if (words.length === 1) {
        if (t.slop !== null) fail('bad-proximity', `'~' needs two or more words in the quotes`, t.slopPos, t.end - t.slopPos);
        return { type: 'term', field: textField(ctx), value: words[0]!, prefix: false };
      }
      return { type: 'phrase', field: textField(ctx), words, slop: t.slop };
    }
    const spec = ctx;
    if (spec.kind !== 'keyword') {
      fail('bad-value', `write ${spec.name}: values without quotes, like ${spec.example}`, ...span(t));
    }
    if (t.slop !== null) fail('bad-proximity', `'~' works only with words, not with ${spec.name}:`, t.slopPos, t.end - t.slopPos);
    if (words.length > 1) {
      fail('bad-value', `${spec.name}: takes one value; for several, write ${spec.name}:(a OR b)`, ...span(t));
    }
    return keywordValue(spec, words[0]!, t.pos + 1 + t.text.indexOf(words[0]!), true);
  }
}

function nearDistance(op: Token): number {
  if (op.text === 'NEAR') return DEFAULT_NEAR_DISTANCE;
  const m = /^NEAR\/(\d{1,4})$/.exec(op.text);
  if (!m) fail('bad-near', `write NEAR alone or with a number of words, like NEAR/5`, ...span(op));
  const d = Number(m[1]);
  if (d > MAX_NEAR_DISTANCE) fail('bad-near', `NEAR/${d} is too far: ${MAX_NEAR_DISTANCE} words at most`, ...span(op));
  return d;
}

function textTerm(ctx: FieldContext, text: string, pos: number): TermNode {
  let value = text;
  let prefix = false;
  const star = text.indexOf('*');
  if (star !== -1) {
    if (star !== text.length - 1) {
      fail(
        'bad-prefix',
        `'*' works only at the end of a word (budg* finds budget, budgets); put the word in quotes to search it as written`,
        pos + star,
        1,
      );
    }
    if (star === 0) fail('bad-prefix', `'*' needs the start of a word before it, like budg*`, pos, 1);
    value = text.slice(0, -1);
    prefix = true;
  }
  if (FUZZY.test(value)) {
    const tilde = value.lastIndexOf('~');
    fail('bad-proximity', `'~' works only after a quoted phrase, like "budget 2017"~5 (there is no fuzzy search)`, pos + tilde, value.length - tilde);
  }
  if (!SEARCHABLE.test(value)) {
    fail('no-searchable-text', `nothing to search for in '${text}': no letters or digits; remove it`, pos, text.length);
  }
  return { type: 'term', field: textField(ctx), value, prefix };
}

function keywordValue(spec: KeywordField, raw: string, pos: number, quoted: boolean): KeywordNode {
  if (!quoted && raw.includes('*')) {
    fail('bad-prefix', `'*' works only in text fields; ${spec.name}: needs the whole value`, pos + raw.indexOf('*'), 1);
  }
  const value = spec.foldCase ? raw.toLowerCase() : raw;
  if (spec.values !== null) {
    if (!spec.values.includes(value)) {
      const suggestion = closest(value, spec.values, Math.max(1, typosAllowed(value.length)));
      const advice = suggestion ? `did you mean '${suggestion}'?` : `${spec.name}: takes ${spec.values.join(', ')}`;
      fail('bad-value', `unknown value '${raw}' for ${spec.name}: — ${advice}`, pos, raw.length);
    }
  } else if (spec.pattern !== null && !spec.pattern.test(value)) {
    fail('bad-value', `bad ${spec.name} '${raw}': write ${spec.hint}`, pos, raw.length);
  }
  return { type: 'keyword', field: spec.name as KeywordFieldName, value };
}

function dateValue(field: DateFieldName, text: string, pos: number): RangeNode {
  const range = (from: Day | null, to: Day | null): RangeNode => ({
    type: 'range',
    field,
    from: from && isoDay(from),
    to: to && isoDay(to),
  });
  const op = /^(>=|<=|>|<)/.exec(text)?.[1];
  if (op !== undefined) {
    const rest = text.slice(op.length);
    const restPos = pos + op.length;
    if (rest === '') fail('bad-date', `'${op}' needs a date after it, like date:${op}2017-03-01`, pos, op.length);
    const { first, last } = parseDatePoint(rest, restPos);
    const edge = (day: Day | null) => day ?? fail('bad-date', `no dates ${op[0] === '>' ? 'after' : 'before'} '${rest}'`, restPos, rest.length);
    if (op === '>') return range(edge(nextDay(last)), null);
    if (op === '>=') return range(first, null);
    if (op === '<') return range(null, edge(previousDay(first)));
    return range(null, last);
  }
  const dots = text.indexOf('..');
  if (dots === -1) {
    const { first, last } = parseDatePoint(text, pos);
    return range(first, last);
  }
  const left = text.slice(0, dots);
  const right = text.slice(dots + 2);
  if (right.includes('..')) fail('bad-date', `a date range has one '..', like 2017-03-01..2017-04-24`, pos, text.length);
  if (left === '' && right === '') {
    fail('bad-date', `a date range needs a start, an end or both, like 2017-03-01..2017-04-24`, pos, text.length);
  }
  const from = left === '' ? null : parseDatePoint(left, pos).first;
  const to = right === '' ? null : parseDatePoint(right, pos + dots + 2).last;
  if (from && to && isoDay(from) > isoDay(to)) fail('bad-date', `this date range ends before it starts`, pos, text.length);
  return range(from, to);
}

/** `>1MB`, `<=500KB`, `=0`, `2GB` (exactly), and `1MB..5MB` (both ends included). */
function sizeValue(field: SizeFieldName, text: string, pos: number): QueryNode {
  const compare = (op: CompareOp, bytes: number): CompareNode => ({ type: 'compare', field, op, bytes });
  const op = /^(>=|<=|>|<|=)/.exec(text)?.[1] as CompareOp | undefined;
  if (op !== undefined) return compare(op, parseSize(text.slice(op.length), pos + op.length));
  const dots = text.indexOf('..');
  if (dots === -1) return compare('=', parseSize(text, pos));
  const left = text.slice(0, dots);
  const right = text.slice(dots + 2);
  if (left === '' && right === '') fail('bad-size', `a size range needs a start, an end or both, like 1MB..5MB`, pos, text.length);
  const low = left === '' ? null : compare('>=', parseSize(left, pos));
  const high = right === '' ? null : compare('<=', parseSize(right, pos + dots + 2));
  if (low && high) {
    if (low.bytes > high.bytes) fail('bad-size', `this size range ends before it starts`, pos, text.length);
    return { type: 'and', children: [low, high] };
  }
  return (low ?? high)!;
}

/** Parses a query; never throws for any input string. */
export function parseQuery(input: string): ParseResult {
  if (input.length > MAX_QUERY_LENGTH) {
    return {
      ok: false,
      error: {
        code: 'too-long',
        message: `the query is too long: ${MAX_QUERY_LENGTH} characters at most`,
        position: MAX_QUERY_LENGTH,
        length: input.length - MAX_QUERY_LENGTH,
      },
    };
  }
  if (input.trim() === '') {
    return { ok: false, error: { code: 'empty-query', message: 'empty query', position: 0, length: 0 } };
  }
  try {
    const parser = new Parser(input);
    const ast = parser.parseOr(null, 0, null);
    const rest = parser.peek();
    if (rest.kind === 'close') fail('unmatched-parenthesis', `unmatched ')': remove it or add a '(' before`, ...span(rest));
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof QuerySyntaxError) return { ok: false, error: e.error };
    throw e;
  }
}

// ---- Printing ----------------------------------------------------------------------------------

/** True when a bare value would not read back as the same plain word. */
function needsQuotes(value: string): boolean {
  return (
    /[\s()*]/u.test(value) ||
    [...QUOTES].some((q) => value.includes(q)) ||
    value.startsWith('-') ||
    /^[a-z]+:/i.test(value) ||
    FUZZY.test(value) ||
    /^(AND|OR|NOT|NEAR(\/.*)?)$/.test(value)
  );
}

function quoteIfNeeded(value: string): string {
  return needsQuotes(value) ? `"${value}"` : value;
}

function formatTerm(value: string, prefix: boolean): string {
  // A prefix term came from a bare word, so it reads back bare; quotes would turn the '*' off.
  return prefix ? `${value}*` : quoteIfNeeded(value);
}

function fieldPrefixOf(field: string | null): string {
  return field === null ? '' : `${field}:`;
}

function formatDateRange(from: string | null, to: string | null): string {
  if (from !== null && to !== null) {
    if (from === to) return from;
    const start = parseIsoDay(from);
    const end = parseIsoDay(to);
    if (start.y === end.y && start.m === 1 && start.d === 1 && end.m === 12 && end.d === 31) return String(start.y).padStart(4, '0');
    if (start.y === end.y && start.m === end.m && start.d === 1 && end.d === daysInMonth(end.y, end.m)) return from.slice(0, 7);
  }
  return `${from ?? ''}..${to ?? ''}`;
}

/** `1500000` → `1.5MB`: the largest unit the size reaches, written exactly. */
function formatSize(bytes: number): string {
  const digits = String(bytes);
  for (const [unit, exponent] of [['GB', 9], ['MB', 6], ['KB', 3]] as const) {
    if (digits.length > exponent) {
      const whole = digits.slice(0, -exponent);
      const fraction = digits.slice(-exponent).replace(/0+$/, '');
      return `${whole}${fraction ? `.${fraction}` : ''}${unit}`;
    }
  }
  return `${digits}B`;
}

const PRECEDENCE = { or: 1, and: 2, not: 3 } as const;

function precedenceOf(node: QueryNode): number {
  return node.type === 'or' || node.type === 'and' || node.type === 'not' ? PRECEDENCE[node.type] : 4;
}

function formatNode(node: QueryNode): string {
  switch (node.type) {
    case 'or':
      // An AND inside an OR needs no parentheses, but a reader should not have to know that.
      return node.children.map((c) => (c.type === 'and' ? `(${formatNode(c)})` : formatNode(c))).join(' OR ');
    case 'and':
      return node.children.map((c) => (c.type === 'or' ? `(${formatNode(c)})` : formatNode(c))).join(' ');
    case 'not': {
      const c = node.child;
      const group = precedenceOf(c) < PRECEDENCE.not || (c.type === 'near' && c.field === null);
      const inner = group ? `(${formatNode(c)})` : formatNode(c);
      return `-${inner}`;
    }
    case 'term':
      return fieldPrefixOf(node.field) + formatTerm(node.value, node.prefix);
    case 'phrase':
      return `${fieldPrefixOf(node.field)}"${node.words.join(' ')}"${node.slop === null ? '' : `~${node.slop}`}`;
    case 'near': {
      const chain = node.terms
        .map((t) => (t.type === 'term' ? formatTerm(t.value, t.prefix) : `"${t.words.join(' ')}"`))
        .join(` NEAR/${node.distance} `);
      return node.field === null ? chain : `${node.field}:(${chain})`;
    }
    case 'range':
      return `${node.field}:${formatDateRange(node.from, node.to)}`;
    case 'compare':
      return `${node.field}:${node.op === '=' ? '' : node.op}${formatSize(node.bytes)}`;
    case 'keyword':
      return `${node.field}:${quoteIfNeeded(node.value)}`;
  }
}

/** The canonical text of a query: `parseQuery(formatQuery(ast))` gives back `ast` for any parsed AST. */
export function formatQuery(ast: QueryNode): string {
  return formatNode(ast);
}

// ---- Showing errors ----------------------------------------------------------------------------

/** Terminal columns for the query line of a rendered error. */
const ERROR_WIDTH = 100;

/** Columns a piece of text takes: one per code point, none for combining marks. */
function columns(text: string): number {
  let n = 0;
  for (const ch of text) if (!/\p{M}/u.test(ch)) n++;
  return n;
}

function isLowSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * The query, a caret line under the error (`^~~~`) and the message, for a terminal. Long queries are
 * cut to a window around the error.
 */
export function renderQueryError(input: string, error: QueryError, width = ERROR_WIDTH): string {
  const flat = input.replace(/\s/gu, ' ');
  let start = 0;
  let end = flat.length;
  if (flat.length > width) {
    start = Math.max(0, Math.min(error.position - Math.floor(width / 2), flat.length - width));
    end = Math.min(flat.length, start + width);
    if (isLowSurrogate(flat, start)) start++;
    if (end < flat.length && isLowSurrogate(flat, end)) end--;
  }
  const lead = start > 0 ? '…' : '';
  const line = lead + flat.slice(start, end) + (end < flat.length ? '…' : '');
  const at = Math.min(Math.max(error.position, start), end);
  const pad = columns(lead) + columns(flat.slice(start, at));
  const under = Math.max(1, columns(flat.slice(at, Math.min(end, error.position + error.length))));
  return `${line}\n${' '.repeat(pad)}^${'~'.repeat(under - 1)}\n${error.message}`;
}
