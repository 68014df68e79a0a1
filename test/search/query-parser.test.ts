import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VERDICT_VALUES, FIELDS } from '../../src/search/fields.ts';
import {
  DEFAULT_NEAR_DISTANCE,
  MAX_NESTING,
  MAX_QUERY_LENGTH,
  formatQuery,
  parseQuery,
  renderQueryError,
  type QueryError,
  type QueryNode,
} from '../../src/search/query-parser.ts';
import { Prng } from '../support/generator/prng.ts';

const DOCS = new URL('../../docs/search.md', import.meta.url);

function parse(query: string): QueryNode {
  const r = parseQuery(query);
  if (!r.ok) assert.fail(`${query}\n${renderQueryError(query, r.error)}`);
  return r.ast;
}

function parseError(query: string): QueryError {
  const r = parseQuery(query);
  if (r.ok) assert.fail(`expected an error for ${query}, got ${JSON.stringify(r.ast)}`);
  return r.error;
}

const w = (value: string, field: string | null = null, prefix = false) => ({ type: 'term', field, value, prefix });
const and = (...children: unknown[]) => ({ type: 'and', children });
const or = (...children: unknown[]) => ({ type: 'or', children });
const not = (child: unknown) => ({ type: 'not', child });
const phrase = (words: string[], field: string | null = null, slop: number | null = null) => ({ type: 'phrase', field, words, slop });
const kw = (field: string, value: string) => ({ type: 'keyword', field, value });
const range = (from: string | null, to: string | null) => ({ type: 'range', field: 'date', from, to });
const size = (op: string, bytes: number) => ({ type: 'compare', field: 'size', op, bytes });

/** Error code and exact position (and length, when given). */
function assertError(query: string, code: string, position: number, length?: number): QueryError {
  const e = parseError(query);
  assert.equal(e.code, code, `${query}: ${e.message}`);
  assert.equal(e.position, position, `${query}: position (${e.message})`);
  if (length !== undefined) assert.equal(e.length, length, `${query}: length (${e.message})`);
  return e;
}

test('words: adjacent clauses are ANDed, case and accents are kept for the index to fold', () => {
  assert.deepEqual(parse('budget'), w('budget'));
  assert.deepEqual(parse('Budget  Élysée\tvirement'), and(w('Budget'), w('Élysée'), w('virement')));
  assert.deepEqual(parse('a AND b'), parse('a b'));
});

test('operators are upper case only: and, or, not, near are words', () => {
  assert.deepEqual(parse('rock and roll'), and(w('rock'), w('and'), w('roll')));
  assert.deepEqual(parse('or not near'), and(w('or'), w('not'), w('near')));
  assert.deepEqual(parse('a OR b'), or(w('a'), w('b')));
  assert.deepEqual(parse('NOT a'), not(w('a')));
});

test('precedence: NOT binds tighter than AND, AND tighter than OR', () => {
  assert.deepEqual(parse('a OR b c'), or(w('a'), and(w('b'), w('c'))));
  assert.deepEqual(parse('a b OR c'), or(and(w('a'), w('b')), w('c')));
  assert.deepEqual(parse('a OR b AND c OR d'), or(w('a'), and(w('b'), w('c')), w('d')));
  assert.deepEqual(parse('NOT a b'), and(not(w('a')), w('b')));
  assert.deepEqual(parse('-a OR b'), or(not(w('a')), w('b')));
  assert.deepEqual(parse('a NOT b'), and(w('a'), not(w('b'))));
  assert.deepEqual(parse('a OR NOT b'), or(w('a'), not(w('b'))));
});

test('parentheses group, nest, and same operators are flattened', () => {
  assert.deepEqual(parse('(a OR b) c'), and(or(w('a'), w('b')), w('c')));
  assert.deepEqual(parse('((a OR b) c) OR d'), or(and(or(w('a'), w('b')), w('c')), w('d')));
  assert.deepEqual(parse('(a b) c'), and(w('a'), w('b'), w('c')));
  assert.deepEqual(parse('a OR (b OR c)'), or(w('a'), w('b'), w('c')));
  assert.deepEqual(parse('(((a)))'), w('a'));
  assert.deepEqual(parse('budget(2017)'), and(w('budget'), w('2017')));
});

test('negation: NOT, -word, -"phrase", -(group), -field:value, double negation', () => {
  assert.deepEqual(parse('-spam'), not(w('spam')));
  assert.deepEqual(parse('NOT spam'), not(w('spam')));
  assert.deepEqual(parse('-"free money"'), not(phrase(['free', 'money'])));
  assert.deepEqual(parse('-(a OR b)'), not(or(w('a'), w('b'))));
  assert.deepEqual(parse('-from:spam.com'), not(w('spam.com', 'from')));
  assert.deepEqual(parse('-verdict:unsigned'), not(kw('verdict', 'unsigned')));
  assert.deepEqual(parse('NOT NOT a'), not(not(w('a'))));
  assert.deepEqual(parse('--a'), not(not(w('a'))));
  assert.deepEqual(parse('jean-marc'), w('jean-marc'), 'a hyphen inside a word is part of it');
  assert.deepEqual(parse('-AND'), not(w('AND')), 'after "-" an operator word is a word');
  assert.deepEqual(parse('+33612345678'), w('+33612345678'), 'there is no + operator');
  assertError('budget - spam', 'bad-minus', 7, 1);
  assertError('budget -', 'bad-minus', 7, 1);
  assertError('- (a)', 'bad-minus', 0, 1);
  assertError('from:-spam', 'bad-minus', 5, 1);
  assertError('NOT', 'dangling-operator', 0, 3);
});

test('prefix search with a trailing *', () => {
  assert.deepEqual(parse('budg*'), w('budg', null, true));
  assert.deepEqual(parse('from:macr*'), w('macr', 'from', true));
  assert.deepEqual(parse('"budg*"'), w('budg*'), 'inside quotes * is not special');
  assertError('bud*get', 'bad-prefix', 3, 1);
  assertError('budget**', 'bad-prefix', 6, 1);
  assertError('a *', 'bad-prefix', 2, 1);
  assertError('verdict:auth*', 'bad-prefix', 12, 1);
});

test('phrases, with and without slop; curly and French quotes', () => {
  assert.deepEqual(parse('"budget 2017"'), phrase(['budget', '2017']));
  assert.deepEqual(parse('"budget  2017 "~5'), phrase(['budget', '2017'], null, 5));
  assert.deepEqual(parse('subject:"budget 2017"'), phrase(['budget', '2017'], 'subject'));
  assert.deepEqual(parse('subject:"budget 2017"~3'), phrase(['budget', '2017'], 'subject', 3));
  assert.deepEqual(parse('"budget"'), w('budget'), 'one word in quotes is a plain word');
  assert.deepEqual(parse('"AND"'), w('AND'), 'quotes make an operator a word');
  assert.deepEqual(parse('\u201cbudget 2017\u201d'), phrase(['budget', '2017']));
  assert.deepEqual(parse('\u00ab\u00a0en marche\u00a0\u00bb'), phrase(['en', 'marche']));
  assert.deepEqual(parse('"(a) b"'), phrase(['(a)', 'b']), 'inside quotes nothing is special');
  assertError('""', 'empty-quotes', 0, 2);
  assertError('"budget"~3', 'bad-proximity', 8, 2);
  assertError('"a b"~', 'bad-proximity', 5, 1);
  assertError('"a b"~101', 'bad-proximity', 5, 4);
  assertError('budget~2', 'bad-proximity', 6, 2);
});

test('NEAR: infix, default distance, chains, fields', () => {
  const near = (field: string | null, distance: number, ...terms: unknown[]) => ({ type: 'near', field, terms, distance });
  const t = (value: string, prefix = false) => ({ type: 'term', value, prefix });
  assert.deepEqual(parse('macron NEAR virement'), near(null, DEFAULT_NEAR_DISTANCE, t('macron'), t('virement')));
  assert.deepEqual(parse('macron NEAR/5 virement'), near(null, 5, t('macron'), t('virement')));
  assert.deepEqual(
    parse('"emmanuel macron" NEAR/3 vir* NEAR/3 banque'),
    near(null, 3, { type: 'phrase', words: ['emmanuel', 'macron'] }, t('vir', true), t('banque')),
  );
  assert.deepEqual(parse('subject:(budget NEAR/2 2017)'), near('subject', 2, t('budget'), t('2017')));
  assert.deepEqual(parse('a NEAR/2 b c'), and(near(null, 2, t('a'), t('b')), w('c')), 'NEAR binds tighter than AND');
  assert.deepEqual(parse('-a NEAR/2 b'), not(near(null, 2, t('a'), t('b'))), 'and tighter than NOT');
  assertError('a NEAR/2 b NEAR/3 c', 'bad-near', 11, 6);
  assertError('a NEAR', 'dangling-operator', 2, 4);
  assertError('a NEAR/x b', 'bad-near', 2, 6);
  assertError('a NEAR/500 b', 'bad-near', 2, 8);
  assertError('(a b) NEAR c', 'bad-near', 6, 4);
  assertError('a NEAR (b c)', 'bad-near', 7, 1);
  assertError('from:a NEAR b', 'bad-near', 7, 4);
  assertError('a NEAR from:b', 'bad-near', 7, 5);
  assertError('a NEAR -b', 'bad-near', 7, 1);
  assertError('"a b"~2 NEAR c', 'bad-near', 5, 2);
  assertError('verdict:(authentic NEAR unsigned)', 'bad-near', 19, 4);
  assertError('NEAR b', 'misplaced-operator', 0, 4);
});

test('every field in the table parses its own example, by name and by alias, in any case', () => {
  for (const f of FIELDS) {
    const r = parseQuery(f.example);
    assert.ok(r.ok, `${f.name}: ${f.example}`);
    const leaf = r.ast.type === 'and' ? r.ast.children[0]! : r.ast;
    assert.equal('field' in leaf ? leaf.field : null, f.name, f.example);
  }
  for (const name of ['from', 'to', 'cc', 'participant', 'subject', 'body', 'filename']) {
    assert.deepEqual(parse(`${name}:x`), w('x', name));
  }
  assert.deepEqual(parse('with:macron'), w('macron', 'participant'));
  assert.deepEqual(parse('From:macron'), w('macron', 'from'));
  assert.deepEqual(parse('SUBJECT:"a b"'), phrase(['a', 'b'], 'subject'));
});

test('a field applies to a group; fields do not nest', () => {
  assert.deepEqual(parse('from:(macron OR fillon)'), or(w('macron', 'from'), w('fillon', 'from')));
  assert.deepEqual(parse('from:(macron -ledoux)'), and(w('macron', 'from'), not(w('ledoux', 'from'))));
  assert.deepEqual(parse('verdict:(authentic OR weak-key)'), or(kw('verdict', 'authentic'), kw('verdict', 'weak-key')));
  assert.deepEqual(parse('date:(2016 OR 2017-05)'), or(range('2016-01-01', '2016-12-31'), range('2017-05-01', '2017-05-31')));
  assertError('from:(a to:b)', 'nested-field', 8, 3);
  assertError('from:()', 'empty-group', 5, 2);
  assertError('from: macron', 'missing-value', 0, 5);
  assertError('budget from:', 'missing-value', 7, 5);
  assertError('from:(a', 'unclosed-parenthesis', 5, 1);
});

test('dates: year, month, day, ranges and comparisons become inclusive ISO day bounds', () => {
  assert.deepEqual(parse('date:2017'), range('2017-01-01', '2017-12-31'));
  assert.deepEqual(parse('date:2017-02'), range('2017-02-01', '2017-02-28'));
  assert.deepEqual(parse('date:2016-02'), range('2016-02-01', '2016-02-29'));
  assert.deepEqual(parse('date:2017-03-01'), range('2017-03-01', '2017-03-01'));
  assert.deepEqual(parse('date:2017-3-1'), range('2017-03-01', '2017-03-01'));
  assert.deepEqual(parse('date:2017-03-01..2017-04-24'), range('2017-03-01', '2017-04-24'));
  assert.deepEqual(parse('date:2017-04..2017-05-05'), range('2017-04-01', '2017-05-05'));
  assert.deepEqual(parse('date:2016..2017'), range('2016-01-01', '2017-12-31'));
  assert.deepEqual(parse('date:2017-03-01..'), range('2017-03-01', null));
  assert.deepEqual(parse('date:..2017-04-24'), range(null, '2017-04-24'));
  assert.deepEqual(parse('date:>2017-03-01'), range('2017-03-02', null));
  assert.deepEqual(parse('date:>2017-02'), range('2017-03-01', null));
  assert.deepEqual(parse('date:>2016'), range('2017-01-01', null));
  assert.deepEqual(parse('date:>=2017-03'), range('2017-03-01', null));
  assert.deepEqual(parse('date:<2017-03-01'), range(null, '2017-02-28'));
  assert.deepEqual(parse('date:<2017'), range(null, '2016-12-31'));
  assert.deepEqual(parse('date:<=2017-03'), range(null, '2017-03-31'));
  assert.deepEqual(parse('date:>2016-12-31'), range('2017-01-01', null));
});

test('bad dates point at the date', () => {
  assertError('date:2017-13-01', 'bad-date', 5, 10);
  assertError('date:2017-02-29', 'bad-date', 5, 10);
  assertError('date:2017-04-31', 'bad-date', 5, 10);
  assertError('date:01/03/2017', 'bad-date', 5, 10);
  assertError('date:2017-03-01..2017-02-01', 'bad-date', 5, 22);
  assertError('date:2017..2017-14', 'bad-date', 11, 7);
  assertError('date:..', 'bad-date', 5, 2);
  assertError('date:2017..2018..2019', 'bad-date', 5, 16);
  assertError('date:>', 'bad-date', 5, 1);
  assertError('date:>9999-12-31', 'bad-date', 6, 10);
  assertError('date:0000', 'bad-date', 5, 4);
  assertError('date:"2017"', 'bad-value', 5, 6);
  assertError('date:2017*', 'bad-date', 5, 5);
});

test('sizes: comparisons in decimal units, exact bytes, ranges', () => {
  assert.deepEqual(parse('size:>1MB'), size('>', 1_000_000));
  assert.deepEqual(parse('size:>=1.5MB'), size('>=', 1_500_000));
  assert.deepEqual(parse('size:<500KB'), size('<', 500_000));
  assert.deepEqual(parse('size:<=2GB'), size('<=', 2_000_000_000));
  assert.deepEqual(parse('size:=0'), size('=', 0));
  assert.deepEqual(parse('size:1234'), size('=', 1234));
  assert.deepEqual(parse('size:10b'), size('=', 10));
  assert.deepEqual(parse('size:>1.1mb'), size('>', 1_100_000), 'exact, not 1100000.0000000002');
  assert.deepEqual(parse('size:1MB..5MB'), and(size('>=', 1_000_000), size('<=', 5_000_000)));
  assert.deepEqual(parse('size:1MB.. budget'), and(size('>=', 1_000_000), w('budget')));
  assert.deepEqual(parse('size:..5KB'), size('<=', 5000));
  assert.deepEqual(parse('size:1MB..5MB budget'), and(size('>=', 1_000_000), size('<=', 5_000_000), w('budget')));
});

test('bad sizes point at the size', () => {
  assertError('size:>lots', 'bad-size', 6, 4);
  assert.match(parseError('size:>1,5MB').message, /1\.5MB/);
  assertError('size:>1TB', 'bad-size', 6, 3);
  assertError('size:1MiB', 'bad-size', 5, 4);
  assertError('size:1.0005KB', 'bad-size', 5, 8);
  assertError('size:>', 'bad-size', 6, 0);
  assertError('size:5MB..1MB', 'bad-size', 5, 8);
  assertError('size:99999999999GB', 'bad-size', 5, 13);
});

test('keyword fields: enumerations are validated, folded to lower case, and suggest near misses', () => {
  for (const v of VERDICT_VALUES) assert.deepEqual(parse(`verdict:${v}`), kw('verdict', v));
  assert.deepEqual(parse('verdict:Authentic'), kw('verdict', 'authentic'));
  assert.deepEqual(parse('verdict:"body-modified"'), kw('verdict', 'body-modified'));
  for (const v of ['email', 'attachment', 'document', 'container', 'pdf', 'docx', 'mbox', 'zip']) {
    assert.deepEqual(parse(`type:${v}`), kw('type', v));
  }
  assert.deepEqual(parse('type:PDF'), kw('type', 'pdf'));
  assert.deepEqual(parse('has:attachment'), kw('has', 'attachment'));
  assert.deepEqual(parse('domain:Elysee.FR'), kw('domain', 'elysee.fr'));
  assert.deepEqual(parse('signal:Author-Mismatch'), kw('signal', 'author-mismatch'));
  assert.deepEqual(parse('thread:3F9a'), kw('thread', '3F9a'), 'thread IDs keep their case');

  const e = assertError('verdict:authentik', 'bad-value', 8, 9);
  assert.match(e.message, /did you mean 'authentic'\?/);
  assert.match(assertError('has:attachments', 'bad-value', 4, 11).message, /'attachment'/);
  assert.match(assertError('type:spreadsheet', 'bad-value', 5, 11).message, /takes email, attachment/);
  assert.match(assertError('domain:jean@elysee.fr', 'bad-value', 7, 14).message, /from:/);
  assertError('signal:"not a code"', 'bad-value', 7, 12);
  assertError('signal:under_score', 'bad-value', 7, 11);
});

test('colons: field names, near misses are errors, anything else is a word', () => {
  assert.deepEqual(parse('10:30'), w('10:30'));
  assert.deepEqual(parse('http://elysee.fr/x'), w('http://elysee.fr/x'));
  assert.deepEqual(parse('RE: budget'), and(w('RE:'), w('budget')), 'two letters never count as a typo');
  assert.deepEqual(parse('TR:budget'), w('TR:budget'));
  assert.deepEqual(parse('objet:budget'), w('objet:budget'), 'too far from any field');
  assert.deepEqual(parse('"form:macron"'), w('form:macron'), 'quotes make it text');
  assert.match(assertError('form:macron', 'unknown-field', 0, 5).message, /did you mean 'from:'\?/);
  assert.match(assertError('budget subjet:2017', 'unknown-field', 7, 7).message, /'subject:'/);
  assert.match(assertError('Verdit:authentic', 'unknown-field', 0, 7).message, /'verdict:'/);
  assert.match(assertError('dat:2017', 'unknown-field', 0, 4).message, /'date:'/);
  assert.match(assertError('bcc:x', 'unknown-field', 0, 4).message, /'cc:'/);
});

test('unicode and French: accents, apostrophes kept in the word, any Unicode space separates', () => {
  assert.deepEqual(parse('Élysée'), w('Élysée'));
  assert.deepEqual(parse("l'Europe"), w("l'Europe"));
  assert.deepEqual(parse('l\u2019Europe'), w('l\u2019Europe'));
  assert.deepEqual(parse('E\u0301lyse\u0301e'), w('E\u0301lyse\u0301e'), 'decomposed accents are kept as typed');
  assert.deepEqual(parse('Ελλάδα\u00a0Москва\u202f北京'), and(w('Ελλάδα'), w('Москва'), w('北京')));
  assert.deepEqual(parse("subject:(l'Élysée OR Matignon)"), or(w("l'Élysée", 'subject'), w('Matignon', 'subject')));
  assertError('Macron \u2013 Fillon', 'no-searchable-text', 7, 1);
  assertError('"\u2013 \u2014"', 'no-searchable-text', 0, 5);
});

test('syntax errors carry the exact position', () => {
  assertError('', 'empty-query', 0, 0);
  assertError('   ', 'empty-query', 0, 0);
  assertError('from:elysee.fr "virement', 'unclosed-quote', 15, 1);
  assertError('subject:"budget 2017', 'unclosed-quote', 8, 1);
  assertError('(budget OR virement', 'unclosed-parenthesis', 0, 1);
  assertError('a (b (c) d', 'unclosed-parenthesis', 2, 1);
  assertError('budget)', 'unmatched-parenthesis', 6, 1);
  assertError(')', 'unmatched-parenthesis', 0, 1);
  assertError('budget AND', 'dangling-operator', 7, 3);
  assertError('budget OR', 'dangling-operator', 7, 2);
  assertError('(a OR)', 'dangling-operator', 3, 2);
  assertError('AND budget', 'misplaced-operator', 0, 3);
  assertError('a AND OR b', 'misplaced-operator', 6, 2);
  assertError('a (OR b)', 'misplaced-operator', 3, 2);
  assertError('()', 'empty-group', 0, 2);
  assertError('a ( ) b', 'empty-group', 2, 3);
});

test('limits: length and nesting', () => {
  assert.ok(parseQuery('a'.repeat(MAX_QUERY_LENGTH)).ok);
  assertError('a'.repeat(MAX_QUERY_LENGTH + 5), 'too-long', MAX_QUERY_LENGTH, 5);
  const nested = (n: number) => '('.repeat(n) + 'a' + ')'.repeat(n);
  assert.ok(parseQuery(nested(MAX_NESTING)).ok);
  assertError(nested(MAX_NESTING + 1), 'too-deep', MAX_NESTING, 1);
  assert.ok(parseQuery('-'.repeat(MAX_NESTING) + 'a').ok);
  assertError('-'.repeat(MAX_NESTING + 1) + 'a', 'too-deep', MAX_NESTING);
  assertError('NOT '.repeat(MAX_NESTING + 1) + 'a', 'too-deep', 4 * MAX_NESTING, 3);
});

const ROUND_TRIP = [
  'budget',
  'Budget Élysée virement',
  'a OR b c',
  '(a OR b) c',
  '((a OR b) c) OR d',
  '-spam -"free money" -(a OR b)',
  'NOT NOT a',
  '--"a b"',
  '-AND "OR" "NEAR/5" "-x" "form:x" "a~2" "budg*" "(a)"',
  'budg* from:macr*',
  '"budget 2017"~5 subject:"a b"',
  'a NEAR b',
  '"emmanuel macron" NEAR/3 vir* NEAR/3 banque',
  'subject:(budget NEAR/2 2017) -(a NEAR/1 b)',
  '-subject:(a NEAR b)',
  'from:(macron OR fillon) -from:(ledoux)',
  'with:x participant:y to:z cc:w body:v filename:u',
  'verdict:(authentic OR Weak-Key) -verdict:unsigned',
  'type:pdf has:attachment domain:Elysee.fr signal:a-b thread:AbC thread:"a(b"',
  'date:2017 date:2017-02 date:2016-02 date:2017-03-01',
  'date:2017-03-01..2017-04-24 date:2016..2017 date:2017-03-15..2017-04-14',
  'date:>2017-03-01 date:<2017 date:>=2017-03 date:<=2017-03 date:..2017-04-24',
  'size:>1MB size:>=1.5MB size:<500KB size:<=2GB size:=0 size:1234 size:1500001',
  'size:1MB..5MB OR size:>1GB',
  '-size:1MB..5MB',
  "l'Europe l\u2019Élysée 10:30 http://x.fr RE:",
  'from:elysee.fr verdict:authentic date:2017-04..2017-05-05 "virement" -spam',
  'a OR b OR (c d -e) OR f*',
  '(a OR b) (c OR d) NOT (e f)',
  '\u00ab en marche \u00bb Ελλάδα 北京',
];

test('formatQuery round-trips: parse(formatQuery(ast)) equals ast', () => {
  for (const query of ROUND_TRIP) {
    const ast = parse(query);
    const text = formatQuery(ast);
    assert.deepEqual(parse(text), ast, `${query} -> ${text}`);
    assert.equal(formatQuery(parse(text)), text, `canonical text is stable: ${text}`);
  }
  assert.equal(formatQuery(parse('a b OR c')), '(a b) OR c');
  assert.equal(formatQuery(parse('date:2017-04..2017-05-05')), 'date:2017-04-01..2017-05-05');
  assert.equal(formatQuery(parse('size:>1500000')), 'size:>1.5MB');
  assert.equal(formatQuery(parse('NOT a')), '-a');
});

test('renderQueryError puts a caret under the position', () => {
  const q = 'from:elysee.fr verdict:authentik';
  const r = parseQuery(q);
  assert.ok(!r.ok);
  assert.equal(
    renderQueryError(q, r.error),
    [q, '                       ^~~~~~~~~', "unknown value 'authentik' for verdict: — did you mean 'authentic'?"].join('\n'),
  );
  const accents = 'E\u0301lyse\u0301e AND';
  const e = parseError(accents);
  assert.equal(renderQueryError(accents, e).split('\n')[1], '       ^~~', 'combining accents take no column');
  const tabs = 'a\tAND';
  assert.equal(renderQueryError(tabs, parseError(tabs)).split('\n')[0], 'a AND');
  const long = 'budget '.repeat(250) + 'date:2017-13-01';
  const lines = renderQueryError(long, parseError(long), 60).split('\n');
  assert.ok(lines[0]!.startsWith('…') && lines[0]!.length <= 62, lines[0]);
  assert.equal(lines[0]![lines[1]!.indexOf('^')], '2', 'caret under the bad date in the window');
  assert.equal(renderQueryError('', parseError('')), '\n^\nempty query');
});

test('fuzz: 2000 random queries never throw; errors point inside the query; results round-trip', () => {
  const rng = new Prng(20170505);
  const pieces = [
    'a', 'b', 'é', ' ', ' ', '  ', '(', ')', '"', '\u00ab', '-', '*', '~', '~3', ':', '..', '>', '<=', '1', '2017',
    '2017-03', 'MB', 'AND', 'OR', 'NOT', 'NEAR', 'NEAR/2', 'and', 'from:', 'date:', 'size:', 'verdict:', 'type:',
    'authentic', 'form:', "'", '\u2013', '/', 'with:', '\t', 'x:',
  ];
  let ok = 0;
  for (let i = 0; i < 2000; i++) {
    const n = 1 + Math.floor(rng.next() * 14);
    let q = '';
    for (let j = 0; j < n; j++) q += pieces[Math.floor(rng.next() * pieces.length)]!;
    const r = parseQuery(q);
    if (r.ok) {
      ok++;
      assert.deepEqual(parse(formatQuery(r.ast)), r.ast, `round trip of ${JSON.stringify(q)}`);
    } else {
      const { position, length, message } = r.error;
      assert.ok(position >= 0 && position <= q.length && position + length <= q.length, `${JSON.stringify(q)}: ${position}+${length}`);
      assert.ok(message.length > 0 && !message.includes('    at '), message);
      assert.equal(typeof renderQueryError(q, r.error), 'string');
    }
  }
  assert.ok(ok > 100 && ok < 1900, `a useful mix of valid and invalid queries (${ok} valid)`);
});

test('parse time grows linearly with the query, even for hostile shapes', () => {
  const shapes: Record<string, (n: number) => string> = {
    words: (n) => 'budget '.repeat(n / 7),
    ors: (n) => 'a OR '.repeat((n - 1) / 5) + 'a',
    phrases: (n) => '"a b" '.repeat(n / 6),
    unclosedQuote: (n) => 'a '.repeat(n / 4) + '"' + 'b'.repeat(n / 2 - 1),
    opens: (n) => '('.repeat(n),
    longWord: (n) => 'é'.repeat(n),
    minus: (n) => '-'.repeat(n - 1) + 'a',
    colons: (n) => 'x:'.repeat(n / 2),
    fieldLike: (n) => 'a'.repeat(n - 2) + ':b',
    tildes: (n) => 'a~'.repeat(n / 2),
    near: (n) => 'a NEAR/3 '.repeat(n / 9) + 'a',
    dates: (n) => 'date:2017-03-01..2017-04-24 '.repeat(n / 28),
    spaces: (n) => ' '.repeat(n - 1) + ')',
  };
  const best = (q: string) => {
    assert.ok(q.length <= MAX_QUERY_LENGTH);
    parseQuery(q);
    let min = Infinity;
    for (let i = 0; i < 5; i++) {
      const start = process.hrtime.bigint();
      for (let k = 0; k < 20; k++) parseQuery(q);
      min = Math.min(min, Number(process.hrtime.bigint() - start) / 20);
    }
    return min;
  };
  for (const [name, shape] of Object.entries(shapes)) {
    const small = best(shape(200));
    const large = best(shape(MAX_QUERY_LENGTH));
    // 10x the input: linear is ~10x, quadratic ~100x. Allow noise, and ignore sub-20µs timings.
    assert.ok(large < Math.max(small, 20_000) * 30, `${name}: ${small}ns for 200 chars, ${large}ns for 2000`);
  }
});

test('docs/search.md documents every field and verdict, and its examples parse', () => {
  const docs = readFileSync(DOCS, 'utf8');
  for (const f of FIELDS) assert.ok(docs.includes(`\`${f.name}:`), `docs/search.md: field ${f.name}:`);
  for (const v of VERDICT_VALUES) assert.ok(docs.includes(`\`verdict:${v}\``), `docs/search.md: verdict ${v}`);
  const examples = [
    ...[...docs.matchAll(/^trove search '([^']+)'/gm)].map((m) => m[1]!),
    ...[...docs.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!),
  ];
  assert.ok(examples.length > 30, `found ${examples.length} examples`);
  for (const q of examples) parse(q);
  // The rendered errors shown in the docs are exactly what renderQueryError prints.
  const section = docs.slice(docs.indexOf('## When a query is wrong'));
  const block = /```text\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'docs show rendered errors');
  const shown = block.trimEnd().split('\n\n');
  assert.ok(shown.length >= 5);
  for (const chunk of shown) {
    const query = chunk.split('\n')[0]!;
    assert.equal(renderQueryError(query, parseError(query)), chunk);
  }
});
