/**
 * The query language end to end: hand-written emails and documents are ingested by the real CLI
 * (which indexes, verifies and threads them), then every operator and field of docs/search.md is
 * searched through the store and through `trove search`.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { QuerySyntaxError, type SearchResult } from '../../src/search/search-types.ts';
import { openCase } from '../../src/store/case-dir.ts';
import { email, runCli, tempDir, writeTree } from '../support/case.ts';
import { buildPdf } from '../support/generator/pdf-build.ts';

const PDF = buildPdf({ pages: [{ lines: ['Facture 2017-042', 'Montant : 1 200 euros'] }], created: Date.UTC(2017, 4, 5), modified: Date.UTC(2017, 4, 5) }).toString('base64');

/** Six emails and two loose documents, each placed to tell one operator or field apart from the others. */
const FILES: Record<string, string | Buffer> = {
  'mail/a.eml': email(`From: Jean Dupont <jean@elysee.fr>
To: Marie Curie <marie@en-marche.fr>
Cc: Paul Martin <paul@paris.en-marche.fr>
Subject: Budget 2017
Date: Sat, 06 May 2017 00:30:00 +0200
Message-ID: <a@trove.test>
Content-Type: text/plain; charset=utf-8

L'ordre de virement pour l’Élysée est parti. Jean-Marc a signé.
`),
  'mail/b.eml': email(`From: Marie Curie <marie@en-marche.fr>
To: Jean Dupont <jean@elysee.fr>
Subject: Re: Budget 2017
Date: Sat, 06 May 2017 10:00:00 +0200
Message-ID: <b@trove.test>
In-Reply-To: <a@trove.test>
References: <a@trove.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="xx"

--xx
Content-Type: text/plain; charset=utf-8

Merci pour le virement. Le budget est validé, ce n'est pas du spam.
--xx
Content-Type: application/pdf; name="facture-mai.pdf"
Content-Disposition: attachment; filename="facture-mai.pdf"
Content-Transfer-Encoding: base64

${PDF}
--xx--
`),
  'mail/c.eml': email(`From: Lettre d'information <noreply@lists.example.com>
To: jean@elysee.fr
Subject: Newsletter
Date: Tue, 01 Mar 2016 09:00:00 +0000
Message-ID: <c@trove.test>

rock and roll budget numbers 2017 were announced, and the budget for 2017 too.
`),
  'mail/d.eml': email(`From: someone@y.org
Subject: Sans date
Message-ID: <d@trove.test>

macron fillon virement
`),
  'mail/e.eml': email(`From: Fillon <f@republicains.fr>
To: jean@elysee.fr
Subject: Tract
Date: Mon, 10 Apr 2017 12:00:00 +0200
Message-ID: <e@trove.test>

La campagne de Fillon avance. Le budget reste secret.
`),
  'mail/f.eml': email(`From: Page <page@html.example>
To: jean@elysee.fr
Subject: Only HTML
Date: Wed, 12 Apr 2017 12:00:00 +0200
Message-ID: <f@trove.test>
Content-Type: text/html; charset=utf-8

<html><body><p>Un message &eacute;crit en <b>HTML</b> seulement: rendez-vous &agrave; Marseille.</p><script>tracker()</script></body></html>
`),
  'documents/notes.txt': 'Compte rendu : le virement de l’Élysée a été signalé.\n',
  'documents/page.html': '<!doctype html><html><head><title>x</title></head><body><p>Rapport <b>confidentiel</b></p><script>evil()</script></body></html>',
};

describe('search', () => {
  let caseDir = '';
  let root = '';

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-search-'));
    writeTree(join(root, 'leak'), FILES);
    caseDir = join(root, 'case');
    const r = await runCli(['ingest', join(root, 'leak'), '--case', caseDir, '--quiet']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  });

  async function find(query: string, sort: 'relevance' | 'date' | 'oldest' = 'relevance'): Promise<SearchResult> {
    const c = openCase(caseDir, { create: false });
    try {
      return await c.store.search({ query, limit: 100, offset: 0, sort, facets: true });
    } finally {
      await c.store.close();
    }
  }

  /** What a query finds, named the way a reader names them: a.eml, facture-mai.pdf, notes.txt ... */
  async function names(query: string): Promise<string[]> {
    const r = await find(query);
    return r.hits.map((h) => (h.path ?? h.id).replace(/^.*\//, '')).sort();
  }

  it('finds words anywhere in an item, all of them (a space is AND)', async () => {
    assert.deepEqual(await names('virement'), ['a.eml', 'b.eml', 'd.eml', 'notes.txt']);
    assert.deepEqual(await names('virement budget'), ['a.eml', 'b.eml'], 'a.eml has budget in its subject');
    assert.deepEqual(await names('virement AND budget'), ['a.eml', 'b.eml']);
    assert.deepEqual(await names('virement body:budget'), ['b.eml']);
  });

  it('folds case and accents: Élysée, elysee and ELYSEE find the same items', async () => {
    const expected = ['a.eml', 'b.eml', 'c.eml', 'e.eml', 'f.eml', 'notes.txt'];
    assert.deepEqual(await names('elysee'), expected);
    assert.deepEqual(await names('Élysée'), expected);
    assert.deepEqual(await names('ELYSÉE'), expected);
    assert.deepEqual(await names('valide'), ['b.eml'], 'validé is found without its accent');
  });

  it('splits words as the index does: elysee.fr, jean-marc, the curly apostrophe', async () => {
    assert.deepEqual(await names('elysee.fr'), ['a.eml', 'b.eml', 'c.eml', 'e.eml', 'f.eml']);
    assert.deepEqual(await names('jean-marc'), ['a.eml']);
    assert.deepEqual(await names('"jean marc"'), ['a.eml']);
    assert.deepEqual(await names("l'Élysée"), ['a.eml', 'notes.txt'], "l'Élysée matches l’Élysée (curly apostrophe)");
  });

  it('matches phrases in order, and typographic quotes like straight ones', async () => {
    assert.deepEqual(await names('"ordre de virement"'), ['a.eml']);
    assert.deepEqual(await names('"virement de ordre"'), []);
    assert.deepEqual(await names('« ordre de virement »'), ['a.eml']);
    assert.deepEqual(await names('“rock and roll”'), ['c.eml']);
    assert.deepEqual(await names('"AND"'), ['c.eml'], 'a quoted operator is a word');
    assert.deepEqual(await names('rock and roll'), ['c.eml'], 'lower-case and is a word');
  });

  it('matches prefixes', async () => {
    assert.deepEqual(await names('vir*'), ['a.eml', 'b.eml', 'd.eml', 'notes.txt']);
    assert.deepEqual(await names('filename:factur*'), ['facture-mai.pdf']);
    assert.deepEqual(await names('budg* -budget'), [], 'every budg* word here is budget');
  });

  it('combines with OR, NOT, - and parentheses, with AND binding tighter than OR', async () => {
    assert.deepEqual(await names('macron OR rock'), ['c.eml', 'd.eml']);
    assert.deepEqual(await names('virement NOT budget'), ['d.eml', 'notes.txt']);
    assert.deepEqual(await names('virement -budget'), ['d.eml', 'notes.txt']);
    assert.deepEqual(await names('virement -body:budget'), ['a.eml', 'd.eml', 'notes.txt']);
    assert.deepEqual(await names('virement -"ordre de virement"'), ['b.eml', 'd.eml', 'notes.txt']);
    assert.deepEqual(await names('macron OR fillon budget'), ['d.eml', 'e.eml']);
    assert.deepEqual(await names('(macron OR fillon) budget'), ['e.eml']);
    assert.deepEqual(await names('virement -(budget OR macron)'), ['notes.txt']);
    assert.deepEqual(await names('-from:elysee.fr virement'), ['b.eml', 'd.eml', 'notes.txt']);
  });

  it('answers a query made only of exclusions with everything else', async () => {
    const all = (await find('')).total;
    const withWord = (await find('virement')).total;
    assert.equal((await find('-virement')).total, all - withWord);
    assert.ok((await names('-virement')).includes('facture-mai.pdf'), 'items without text are not virement either');
    assert.equal((await find('-date:2017')).total, all - (await find('date:2017')).total, 'undated items are outside date:2017');
  });

  it('finds words near each other with ~N and NEAR, in any order', async () => {
    // rock and roll budget numbers: three words between rock and numbers.
    assert.deepEqual(await names('"rock numbers"~3'), ['c.eml']);
    assert.deepEqual(await names('"rock numbers"~2'), []);
    assert.deepEqual(await names('"numbers rock"~3'), ['c.eml']);
    assert.deepEqual(await names('rock NEAR/3 numbers'), ['c.eml']);
    assert.deepEqual(await names('rock NEAR/2 numbers'), []);
    assert.deepEqual(await names('"rock and" NEAR/2 numb*'), ['c.eml']);
    assert.deepEqual(await names('subject:(budget NEAR/1 2017)'), ['a.eml', 'b.eml']);
  });

  it('searches each text field in its own column', async () => {
    assert.deepEqual(await names('from:elysee.fr'), ['a.eml']);
    assert.deepEqual(await names('to:elysee.fr'), ['b.eml', 'c.eml', 'e.eml', 'f.eml']);
    assert.deepEqual(await names('cc:paul'), ['a.eml']);
    assert.deepEqual(await names('participant:marie'), ['a.eml', 'b.eml']);
    assert.deepEqual(await names('with:"marie curie"'), ['a.eml', 'b.eml']);
    assert.deepEqual(await names('subject:budget'), ['a.eml', 'b.eml']);
    assert.deepEqual(await names('body:budget'), ['b.eml', 'c.eml', 'e.eml']);
    assert.deepEqual(await names('filename:facture'), ['facture-mai.pdf']);
    assert.deepEqual(await names('from:(jean OR marie) -subject:re'), ['a.eml']);
  });

  it('indexes the text of documents and HTML-only emails, never their scripts', async () => {
    assert.deepEqual(await names('confidentiel'), ['page.html']);
    assert.deepEqual(await names('evil'), []);
    assert.deepEqual(await names('marseille'), ['f.eml'], 'an entity-encoded HTML-only email is searchable');
    assert.deepEqual(await names('tracker'), []);
    assert.deepEqual(await names('"écrit en html"'), ['f.eml']);
  });

  it('filters on type, domain, date, size, has and verdict', async () => {
    assert.deepEqual(await names('type:pdf'), ['facture-mai.pdf']);
    assert.deepEqual(await names('type:attachment'), ['facture-mai.pdf']);
    assert.deepEqual(await names('type:document'), ['notes.txt', 'page.html']);
    assert.equal((await find('type:email')).total, 6);
    assert.deepEqual(await names('domain:en-marche.fr'), ['a.eml', 'b.eml'], 'a subdomain counts');
    assert.deepEqual(await names('domain:paris.en-marche.fr'), ['a.eml']);
    assert.deepEqual(await names('domain:example.com'), ['c.eml']);
    assert.deepEqual(await names('has:attachment'), ['b.eml']);
    assert.deepEqual(await names('verdict:unsigned type:email budget'), ['a.eml', 'b.eml', 'c.eml', 'e.eml']);
    assert.deepEqual(await names('verdict:authentic'), []);
    assert.deepEqual(await names('signal:author-mismatch'), []);
    assert.deepEqual(await names('size:0'), []);
    assert.equal((await find('size:>=1')).total, (await find('')).total);
    const small = await find('size:<200 type:document');
    assert.deepEqual(small.hits.map((h) => h.size < 200), small.hits.map(() => true));
  });

  it("dates an email on the sender's calendar, and an attachment by its email", async () => {
    // a.eml: 00:30 on 6 May in Paris is 22:30 on 5 May in UTC.
    assert.deepEqual(await names('date:2017-05-06 type:email'), ['a.eml', 'b.eml']);
    assert.deepEqual(await names('date:2017-05-05'), []);
    assert.deepEqual(await names('date:2016'), ['c.eml']);
    assert.deepEqual(await names('date:2017-04..2017-05-05'), ['e.eml', 'f.eml']);
    assert.deepEqual(await names('date:>2017-04'), ['a.eml', 'b.eml', 'facture-mai.pdf']);
    assert.deepEqual(await names('date:<=2017-04-10 type:email'), ['c.eml', 'e.eml']);
    const pdf = (await find('type:pdf')).hits[0]!;
    assert.equal(pdf.day, '2017-05-06');
  });

  it('groups a reply with its message in one thread, attachments included, and searches it', async () => {
    const a = (await find('from:elysee.fr subject:budget')).hits[0]!;
    assert.ok(a.thread);
    assert.deepEqual(await names(`thread:${a.thread}`), ['a.eml', 'b.eml', 'facture-mai.pdf']);
    const c = (await find('subject:newsletter')).hits[0]!;
    assert.notEqual(c.thread, a.thread);
  });

  it('ranks by relevance, or sorts by date either way with undated items last', async () => {
    const byDate = await find('type:email', 'date');
    assert.deepEqual(byDate.hits.map((h) => h.day), ['2017-05-06', '2017-05-06', '2017-04-12', '2017-04-10', '2016-03-01', null]);
    const oldest = await find('type:email', 'oldest');
    assert.deepEqual(oldest.hits.map((h) => h.day), ['2016-03-01', '2017-04-10', '2017-04-12', '2017-05-06', '2017-05-06', null]);
    const ranked = await find('budget');
    assert.equal(ranked.sort, 'relevance');
    assert.ok(ranked.hits.every((h, i) => i === 0 || h.score! >= ranked.hits[i - 1]!.score!), 'best first');
    assert.equal((await find('type:email')).sort, 'date', 'a query without words cannot be ranked');
  });

  it('shows where the words matched, with offsets into the snippet', async () => {
    const r = await find('"ordre de virement"');
    const hit = r.hits[0]!;
    assert.ok(hit.highlights.length >= 1);
    const marked = hit.highlights.map(([s, e]) => hit.snippet.slice(s, e).toLowerCase());
    assert.deepEqual(marked, ['ordre de virement']);
    const e = (await find('élysée -virement')).hits;
    for (const h of e) for (const [s, end] of h.highlights) assert.match(h.snippet.slice(s, end), /elysee|élysée/i);
  });

  it('counts facets over all hits, not the page', async () => {
    const r = await find('');
    const f = r.facets!;
    const sum = (xs: { count: number }[]): number => xs.reduce((n, x) => n + x.count, 0);
    assert.equal(sum(f.kind), r.total);
    assert.equal(sum(f.verdict), r.total);
    assert.equal(sum(f.format), r.total);
    assert.deepEqual(f.kind.find((k) => k.value === 'email')?.count, 6);
    assert.deepEqual(f.verdict.find((k) => k.value === 'unsigned')?.count, 6);
    assert.deepEqual(f.month.map((m) => m.value), ['2016-03', '2017-04', '2017-05']);
    assert.deepEqual(f.month.map((m) => m.count), [1, 2, 3], 'May 2017: two emails and the attachment');
    assert.deepEqual(f.domain.find((d) => d.value === 'en-marche.fr')?.count, 1);
  });

  it('runs every example of docs/search.md', async () => {
    const docs = readFileSync(new URL('../../docs/search.md', import.meta.url), 'utf8');
    const examples = [
      ...[...docs.matchAll(/^trove search '([^']+)'/gm)].map((m) => m[1]!),
      ...[...docs.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!),
    ];
    assert.ok(examples.length > 30);
    for (const q of examples) {
      const r = await find(q);
      assert.ok(r.total >= 0, q);
    }
  });

  it('refuses a query that does not parse, pointing at the mistake', async () => {
    await assert.rejects(find('budget AND'), (err: unknown) => err instanceof QuerySyntaxError && err.error.code === 'dangling-operator');
    const r = await runCli(['search', '"virement', '--case', caseDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /"virement\n\^\nunclosed quote/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
    const j = await runCli(['search', 'verdict:authentik', '--case', caseDir, '--json']);
    assert.equal(j.code, 1);
    const err = JSON.parse(j.stdout) as { error: { code: string; position: number; message: string } };
    assert.equal(err.error.code, 'bad-value');
    assert.equal(err.error.position, 8);
    assert.match(err.error.message, /authentic/);
  });

  it('prints hits and facets, and JSON hits with what a program needs', async () => {
    const text = await runCli(['search', 'virement', '--case', caseDir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^4 items found/);
    assert.match(text.stdout, /Budget 2017 {2}— {2}Jean Dupont <jean@elysee\.fr>/);
    assert.match(text.stdout, /Facets:\n {2}verdict/);
    const j = await runCli(['search', 'has:attachment', '--case', caseDir, '--json', '--limit', '1']);
    const r = JSON.parse(j.stdout) as SearchResult;
    assert.equal(r.total, 1);
    const h = r.hits[0]!;
    for (const key of ['id', 'kind', 'sha256', 'messageId', 'subject', 'date', 'verdict', 'snippet'] as const) assert.ok(key in h, key);
    assert.equal(h.messageId, '<b@trove.test>');
    assert.equal(h.kind, 'email');
    assert.equal(h.verdict, 'unsigned');
    assert.equal(h.id, h.sha256.slice(0, 16));
    const page2 = JSON.parse((await runCli(['search', 'virement', '--case', caseDir, '--json', '--limit', '2', '--offset', '2'])).stdout) as SearchResult;
    const page1 = JSON.parse((await runCli(['search', 'virement', '--case', caseDir, '--json', '--limit', '2'])).stdout) as SearchResult;
    assert.equal(new Set([...page1.hits, ...page2.hits].map((x) => x.id)).size, 4, 'pages do not overlap');
  });

  it('prints a thread as a tree from any of its items', async () => {
    const b = (await find('subject:re')).hits[0]!;
    const pdf = (await find('type:pdf')).hits[0]!;
    const r = await runCli(['thread', pdf.id, '--case', caseDir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const t = JSON.parse(r.stdout) as { id: string; size: number; messages: { depth: number; id: string; subject: string }[] };
    assert.equal(t.size, 2);
    assert.deepEqual(t.messages.map((m) => [m.depth, m.subject]), [[0, 'Budget 2017'], [1, 'Re: Budget 2017']]);
    assert.equal(t.messages[1]!.id, b.id);
    const text = await runCli(['thread', b.id, '--case', caseDir]);
    assert.match(text.stdout, /Thread [0-9a-f]{16}: "Budget 2017", 2 messages/);
    assert.match(text.stdout, /\n {2}▶ [0-9a-f]{16}/, 'the asked-for message is marked, one level down');
    const loose = (await find('confidentiel')).hits[0]!;
    const none = await runCli(['thread', loose.id, '--case', caseDir]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /in no thread/);
  });

  it('counts correspondents and a timeline, as data', async () => {
    const c = JSON.parse((await runCli(['correspondents', '--case', caseDir, '--json'])).stdout) as {
      people: { address: string; name: string; sent: number; received: number }[];
      edges: { from: string; to: string; count: number }[];
    };
    const jean = c.people.find((p) => p.address === 'jean@elysee.fr')!;
    assert.deepEqual([jean.name, jean.sent, jean.received], ['Jean Dupont', 1, 4]);
    assert.deepEqual(c.edges.find((e) => e.from === 'jean@elysee.fr' && e.to === 'marie@en-marche.fr')?.count, 1);
    assert.deepEqual(c.edges.find((e) => e.from === 'jean@elysee.fr' && e.to === 'paul@paris.en-marche.fr')?.count, 1, 'Cc counts');
    const filtered = JSON.parse((await runCli(['correspondents', 'budget', '--case', caseDir, '--json'])).stdout) as typeof c;
    assert.ok(!filtered.people.some((p) => p.address === 'page@html.example'));

    const t = JSON.parse((await runCli(['timeline', 'type:email', '--by', 'week', '--case', caseDir, '--json'])).stdout) as {
      buckets: { period: string; total: number; byVerdict: Record<string, number> }[];
    };
    assert.deepEqual(t.buckets.map((b) => [b.period, b.total]), [['2016-02-29', 1], ['2017-04-10', 2], ['2017-05-01', 2]]);
    assert.deepEqual(t.buckets[2]!.byVerdict, { unsigned: 2 });
    const text = await runCli(['timeline', '--case', caseDir]);
    assert.match(text.stdout, /2017-05 +2 █+ {2}unsigned 2\n/, 'emails by default');
    const all = await runCli(['timeline', 'date:2017', '--case', caseDir]);
    assert.match(all.stdout, /2017-05 +3 █+ {2}unsigned 2, unproven 1/, 'the attachment has a document verdict');
  });
});

describe('search index upkeep', () => {
  async function ftsRows(dir: string): Promise<string[]> {
    const db = new DatabaseSync(join(dir, 'case.db'), { readOnly: true });
    try {
      // Every row the index holds, by item: a rebuilt index must hold exactly the same.
      return (db.prepare(
        `SELECT r.sha256, r.kind, r.day, r.filenames, r.thread, r.verdict, f.rowid IS NOT NULL AS indexed
         FROM search_rows r LEFT JOIN (SELECT rowid FROM search_fts WHERE search_fts MATCH 'a OR e OR i OR o OR u OR pdf') f ON f.rowid = r.rowid
         ORDER BY r.sha256`,
      ).all() as Record<string, unknown>[]).map((r) => JSON.stringify(r));
    } finally {
      db.close();
    }
  }

  function fresh(t: TestContext): string {
    const dir = tempDir(t);
    writeTree(join(dir, 'one'), { 'a.eml': FILES['mail/a.eml']!, 'b.eml': FILES['mail/b.eml']! });
    // The same PDF again, loose under another name: a second ingest gives the item a second file name.
    writeTree(join(dir, 'two'), { 'c.eml': FILES['mail/c.eml']!, 'scans/scan 42.pdf': Buffer.from(PDF, 'base64') });
    return dir;
  }

  it('keeps the index up to date across runs, exactly as a rebuild would make it', async (t) => {
    const dir = fresh(t);
    const caseDir = join(dir, 'case');
    assert.equal((await runCli(['ingest', join(dir, 'one'), '--case', caseDir, '--quiet'])).code, 0);
    assert.equal((await runCli(['ingest', join(dir, 'two'), '--case', caseDir, '--quiet'])).code, 0);
    const c = openCase(caseDir, { create: false });
    const r = await c.store.search({ query: 'filename:scan', limit: 10, offset: 0, sort: 'relevance', facets: false });
    assert.equal(r.total, 1, 'the new name of a known file is searchable');
    assert.equal((await c.store.search({ query: 'filename:facture', limit: 10, offset: 0, sort: 'relevance', facets: false })).total, 1, 'and the old one still is');
    await c.store.close();
    const incremental = await ftsRows(caseDir);

    // A case from before the index existed (schema 1) is indexed once when opened.
    const db = new DatabaseSync(join(caseDir, 'case.db'));
    db.exec(`DROP TABLE search_fts; DROP VIEW search_content; DROP TABLE search_rows; DROP TABLE search_domains;
      DROP TABLE search_addresses; DROP TABLE search_signals; UPDATE meta SET value = '1' WHERE key = 'schema';`);
    db.close();
    const reopened = openCase(caseDir, { create: false });
    await reopened.store.rethread();
    await reopened.store.close();
    assert.deepEqual(await ftsRows(caseDir), incremental);
  });

  it('stores each thread in reading order, threads a case of schema 2 once, and lists a page of a long thread', async (t) => {
    const dir = fresh(t);
    const caseDir = join(dir, 'case');
    assert.equal((await runCli(['ingest', join(dir, 'one'), '--case', caseDir, '--quiet'])).code, 0);
    const listing = async (): Promise<{ whole: unknown; page: unknown }> => {
      const c = openCase(caseDir, { create: false });
      try {
        const a = (await c.store.search({ query: 'type:email', limit: 1, offset: 0, sort: 'oldest', facets: false })).hits[0]!;
        return { whole: await c.store.thread(a.sha256), page: await c.store.thread(a.sha256, 1) };
      } finally {
        await c.store.close();
      }
    };
    const stored = await listing();
    const whole = stored.whole as { size: number; total: number; entries: { depth: number; subject: string | null; verdict: string | null }[] };
    assert.equal(whole.size, 2);
    assert.equal(whole.total, 2);
    assert.deepEqual(whole.entries.map((e) => e.depth), [0, 1], 'the reply under its message');
    assert.ok(whole.entries.every((e) => e.subject !== null && e.verdict !== null), 'each line says what a list shows');
    const page = stored.page as { total: number; entries: unknown[] };
    assert.equal(page.total, 2);
    assert.equal(page.entries.length, 1, 'a limit cuts the listing and says how long the thread is');

    // A case threaded before threads were stored (schema 2) is threaded once when opened, the same way.
    const db = new DatabaseSync(join(caseDir, 'case.db'));
    db.exec("DELETE FROM thread_nodes; DELETE FROM threads; UPDATE meta SET value = '2' WHERE key = 'schema';");
    db.close();
    assert.deepEqual(await listing(), stored);
    const check = new DatabaseSync(join(caseDir, 'case.db'), { readOnly: true });
    assert.equal((check.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string }).value, '3');
    check.close();
  });

  it('follows verification: verdicts are searchable as soon as they are written', async (t) => {
    const dir = fresh(t);
    const caseDir = join(dir, 'case');
    assert.equal((await runCli(['ingest', join(dir, 'one'), '--case', caseDir, '--quiet', '--no-verify'])).code, 0);
    const count = async (q: string): Promise<number> => {
      const c = openCase(caseDir, { create: false });
      try {
        return (await c.store.search({ query: q, limit: 1, offset: 0, sort: 'relevance', facets: false })).total;
      } finally {
        await c.store.close();
      }
    };
    assert.equal(await count('verdict:unsigned'), 0);
    assert.equal((await runCli(['verify', '--case', caseDir])).code, 0);
    assert.equal(await count('verdict:unsigned'), 2);
    assert.equal((await runCli(['verify', '--all', '--case', caseDir])).code, 0);
    assert.equal(await count('verdict:unsigned'), 2, 'verify --all forgets, then writes again');
  });
});
