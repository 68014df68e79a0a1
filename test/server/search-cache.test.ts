/**
 * The server's search cache: a page asked again is not computed again, and a case that changed
 * (an ingest beside the server, through another connection) is never answered from before.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SearchRequest, SearchResult } from '../../src/search/search-types.ts';
import { createApp } from '../../src/server/app.ts';
import { SearchCache } from '../../src/server/search-cache.ts';
import { openCaseReadOnly } from '../../src/server/serve.ts';
import { runCli, tempDir, writeTree } from '../support/case.ts';

const request = (query: string, offset = 0): SearchRequest => ({ query, limit: 10, offset, sort: 'relevance', facets: true });

function email(id: string, subject: string, body: string): string {
  return `From: Hélène Durand <helene@campagne.example>\r\nTo: paul@campagne.example\r\nSubject: ${subject}\r\nDate: Tue, 07 Mar 2017 11:00:00 +0100\r\nMessage-ID: <${id}@campagne.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
}

describe('search cache', () => {
  it('computes a page once, shares it between requests arriving together, and forgets it when the case changes', async () => {
    let computed = 0;
    let generation = 'a';
    const cache = new SearchCache(
      async (r) => {
        computed++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (r.query === 'fails') throw new Error('no');
        return { query: r.query, total: computed } as unknown as SearchResult;
      },
      () => generation,
      2,
    );
    const [x, y] = await Promise.all([cache.search(request('budget')), cache.search(request('budget'))]);
    assert.equal(computed, 1, 'two requests at once, one computation');
    assert.equal(x, y);
    await cache.search(request('budget', 10));
    assert.equal(computed, 2, 'another page is another request');
    await cache.search(request('budget'));
    assert.equal(computed, 2);
    await cache.search(request('facture'));
    await cache.search(request('budget', 10));
    assert.equal(computed, 4, 'the least recently used page was dropped (2 kept)');
    generation = 'b';
    await cache.search(request('budget'));
    assert.equal(computed, 5, 'a changed case is searched again');
    await assert.rejects(cache.search(request('fails')));
    await assert.rejects(cache.search(request('fails')));
    assert.equal(computed, 7, 'a failure is not kept');
  });

  it('answers from the case as it is now while an ingest writes beside the server', async (t) => {
    const dir = tempDir(t);
    const caseDir = join(dir, 'case');
    writeTree(join(dir, 'one'), { 'a.eml': email('a', 'Budget', 'Le budget de la tournée.') });
    writeTree(join(dir, 'two'), { 'b.eml': email('b', 'Budget révisé', 'Le budget révisé de la tournée, zanzibarique.') });
    assert.equal((await runCli(['ingest', join(dir, 'one'), '--case', caseDir, '--quiet'])).code, 0);
    const { ctx, close } = await openCaseReadOnly(caseDir, { workers: 1 });
    t.after(close);
    const app = createApp(ctx, { web: null, allowedHosts: () => null });
    const total = async (q: string): Promise<number> => ((await (await app.request(`/api/search?q=${encodeURIComponent(q)}`)).json()) as SearchResult).total;
    assert.equal(await total('budget'), 1);
    assert.equal(await total('budget'), 1);
    assert.equal((await runCli(['ingest', join(dir, 'two'), '--case', caseDir, '--quiet'])).code, 0);
    assert.equal(await total('budget'), 2, 'the new email is found at once');
    assert.equal(await total('zanzibarique'), 1);
  });
});
