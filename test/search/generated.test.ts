/**
 * Facets and threads checked against the ground truth of a generated leak (its manifest): the
 * counts search gives must be the counts the generator planted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import type { SearchRequest, SearchResult } from '../../src/search/search-types.ts';
import { SqliteSearch } from '../../src/store/sqlite/sqlite-search.ts';
import { openCase } from '../../src/store/case-dir.ts';
import { baseSubject } from '../../src/threads/subject.ts';
import { runCli } from '../support/case.ts';
import { generateTrove } from '../support/generator/index.ts';
import type { ManifestMessage } from '../support/generator/manifest.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const MESSAGES = 240;

describe('search on a generated leak', () => {
  let root = '';
  let caseDir = '';
  let messages: ManifestMessage[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-search-gen-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    const trove = join(root, 'trove');
    await generateTrove(trove, { messages: MESSAGES, seed: 11, layout: 'mixed' });
    caseDir = join(root, 'case');
    const ingest = await runCli(['ingest', join(trove, 'leak'), '--case', caseDir, '--quiet']);
    assert.equal(ingest.code, 0, ingest.stderr + ingest.stdout);
    assert.equal((await runCli(['keys', 'import', join(trove, 'keys.zone'), '--case', caseDir])).code, 0);
    messages = readFileSync(join(trove, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string })
      .filter((l): l is ManifestMessage => l.type === 'message');
    assert.equal(messages.length, MESSAGES);
  });

  async function find(query: string): Promise<SearchResult> {
    const c = openCase(caseDir, { create: false });
    try {
      return await c.store.search({ query, limit: 1, offset: 0, sort: 'relevance', facets: true });
    } finally {
      await c.store.close();
    }
  }

  function countBy<T>(xs: T[], key: (x: T) => string): Map<string, number> {
    const m = new Map<string, number>();
    for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
    return m;
  }

  function asMap(facet: { value: string; count: number }[]): Map<string, number> {
    return new Map(facet.map((f) => [f.value, f.count]));
  }

  it('counts verdicts and sender domains as planted', async () => {
    const r = await find('type:email');
    assert.equal(r.total, MESSAGES);
    assert.deepEqual(asMap(r.facets!.verdict), countBy(messages, (m) => m.expect));
    const domains = countBy(messages, (m) => m.from.slice(m.from.indexOf('@') + 1));
    assert.ok(domains.size <= 25, 'every domain is listed');
    assert.deepEqual(asMap(r.facets!.domain), domains);
    for (const [domain, n] of domains) assert.equal((await find(`type:email domain:${domain}`)).facets!.domain.find((d) => d.value === domain)?.count, n);
  });

  it('counts months as planted, on the calendar of each sender', async () => {
    const r = await find('type:email');
    const months = asMap(r.facets!.month);
    assert.equal([...months.values()].reduce((a, b) => a + b, 0), MESSAGES);
    // The manifest dates are UTC; a message within 14 hours of a month's edge may fall on either side.
    const DAY = 14 * 3600_000;
    for (const [month, n] of months) {
      const start = Date.parse(`${month}-01T00:00:00Z`);
      const end = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
      const surely = messages.filter((m) => Date.parse(m.date) >= start + DAY && Date.parse(m.date) < end - DAY).length;
      const maybe = messages.filter((m) => Date.parse(m.date) >= start - DAY && Date.parse(m.date) < end + DAY).length;
      assert.ok(n >= surely && n <= maybe, `${month}: ${n} not in [${surely}, ${maybe}]`);
      assert.equal((await find(`type:email date:${month}`)).total, n, 'date: agrees with the facet');
    }
  });

  it('finds every message by its sender, and the attachments by their names', async () => {
    const senders = countBy(messages, (m) => m.from);
    for (const [from, n] of [...senders].slice(0, 8)) assert.equal((await find(`type:email from:"${from}"`)).total, n, from);
    const attachments = new Set(messages.flatMap((m) => m.attachments.map((a) => a.sha256)));
    assert.ok((await find('type:attachment')).total >= attachments.size);
  });

  it('threads replies with the messages they answer, and merges threads only on a shared subject', () => {
    const db = new DatabaseSync(join(caseDir, 'case.db'), { readOnly: true });
    try {
      const rows = db.prepare(`SELECT e.message_id AS mid, e.subject, r.thread FROM emails e JOIN search_rows r ON r.sha256 = e.sha256`).all() as
        { mid: string; subject: string | null; thread: string | null }[];
      const byMid = new Map(rows.map((r) => [r.mid, r]));
      let replies = 0;
      for (const m of messages) {
        const row = byMid.get(m.messageId);
        assert.ok(row?.thread, `${m.messageId} has a thread`);
        if (m.inReplyTo && byMid.has(m.inReplyTo)) {
          replies++;
          assert.equal(row.thread, byMid.get(m.inReplyTo)!.thread, `${m.messageId} is in the thread of the message it answers`);
        }
      }
      assert.ok(replies > MESSAGES / 5, `the leak has replies (${replies})`);
      // A trove thread that joins several planted threads does so only through a common subject.
      const planted = new Map<string, Set<string>>();
      for (const m of messages) {
        const t = byMid.get(m.messageId)!.thread!;
        if (!planted.has(t)) planted.set(t, new Set());
        planted.get(t)!.add(m.threadId);
      }
      const keysOf = (threadId: string): Set<string> =>
        new Set(messages.filter((m) => m.threadId === threadId).map((m) => baseSubject(byMid.get(m.messageId)!.subject).key));
      let merged = 0;
      for (const [thread, sources] of planted) {
        if (sources.size === 1) continue;
        merged++;
        for (const s of sources) {
          const others = new Set([...sources].filter((o) => o !== s).flatMap((o) => [...keysOf(o)]));
          assert.ok([...keysOf(s)].some((k) => k !== '' && others.has(k)), `thread ${thread} joins planted thread ${s} without a shared subject`);
        }
      }
      assert.ok(merged < planted.size / 4, `few threads are joined by subject (${merged} of ${planted.size})`);
      // And no planted thread is split, but for forwards (a new message that quotes, without References).
      for (const [threadId, ms] of Map.groupBy(messages, (m) => m.threadId)) {
        const linked = ms.filter((m) => m.messageId === threadId || m.inReplyTo !== null);
        assert.equal(new Set(linked.map((m) => byMid.get(m.messageId)!.thread)).size, 1, `planted thread ${threadId} is split`);
      }
    } finally {
      db.close();
    }
  });

  it('ranks the same whether a page is asked first, next, or under a narrower condition', async () => {
    const db = new DatabaseSync(join(caseDir, 'case.db'), { readOnly: true });
    // Only the best 10 rows ranked at first: pages and conditions past them must rank the rest.
    const search = new SqliteSearch(db, { rankPrefix: 10 });
    const c = { store: { search: async (r: SearchRequest) => search.search(r), close: async () => db.close() } };
    try {
      const ask = async (query: string, offset: number, limit: number): Promise<string[]> =>
        (await c.store.search({ query, limit, offset, sort: 'relevance', facets: false })).hits.map((h) => h.id);
      const all = await ask('budget OR meeting OR contrat', 0, 200);
      assert.ok(all.length > 60, `a broad query (${all.length} hits)`);
      // Pages asked one after the other (the ranking is kept between them) make the whole list.
      const paged: string[] = [];
      for (let offset = 0; offset < all.length; offset += 25) paged.push(...(await ask('budget OR meeting OR contrat', offset, 25)));
      assert.deepEqual(paged, all);
      // A condition keeps the same order among the rows it keeps, even a rare one found past the best rows.
      const worst = (await c.store.search({ query: 'budget OR meeting OR contrat', limit: 1, offset: all.length - 1, sort: 'relevance', facets: false })).hits[0]!;
      assert.ok(worst.day);
      for (const condition of ['type:email', 'has:attachment', `date:${worst.day}`]) {
        const kept = new Set((await c.store.search({ query: `(budget OR meeting OR contrat) ${condition}`, limit: 200, offset: 0, sort: 'date', facets: false })).hits.map((h) => h.id));
        // A fresh connection's search: nothing ranked yet but the best 10 rows of the first page asked.
        const fresh = new SqliteSearch(db, { rankPrefix: 10 });
        const pages: string[] = [];
        for (let offset = 0; offset < kept.size; offset += 5) {
          pages.push(...fresh.search({ query: `(budget OR meeting OR contrat) ${condition}`, limit: 5, offset, sort: 'relevance', facets: false }).hits.map((h) => h.id));
        }
        assert.deepEqual(pages, all.filter((id) => kept.has(id)), condition);
      }
    } finally {
      await c.store.close();
    }
  });
});
