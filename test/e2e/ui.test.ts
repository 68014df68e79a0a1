/**
 * The web UI in Chromium on a real case (a generated leak plus hand-made evidence): search with the
 * keyboard, an authentic email and its DKIM panel, a document proven by provenance, an altered copy
 * beside its original, a suspicious document when the forensics pass produces one, the overview,
 * query errors, reports, and layouts that hold with right-to-left text and endless subjects.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { SearchResult } from '../../src/server/api-types.ts';
import { buildFixtureTrove, LONG_SUBJECT, RTL_SUBJECT, type FixtureTrove } from '../server/fixture-trove.ts';
import { ensureWebBuild, launchBrowser, serveCase, SKIP_BROWSER, type Browser, type Served } from './browser.ts';

/** Pixels the page is wider than the window (page code runs in the browser, written as a string: no DOM types here). */
const HORIZONTAL_OVERFLOW = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';

describe('web UI', { skip: SKIP_BROWSER }, () => {
  let root = '';
  let fx: FixtureTrove;
  let served: Served;
  let browser: Browser;
  let page: Page;
  /** Console errors and CSP violations seen on any page: there must be none. */
  const problems: string[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-ui-'));
    fx = await buildFixtureTrove(root, { messages: 120, remoteBase: 'http://tracker.example' });
    await ensureWebBuild();
    served = await serveCase(fx.caseDir);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** The results of `query` are on the page (not those of the page before). */
  async function waitForResults(query: string): Promise<void> {
    await page.locator(`.results[data-query="${query.replace(/["\\]/g, '\\$&')}"]`).waitFor();
  }

  async function search(query: string): Promise<void> {
    await page.goto(served.url + '/');
    const box = page.locator('#search-input');
    await box.fill(query);
    await box.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === query);
    await waitForResults(query);
  }

  it('searches, highlights what matched, and filters with a facet', async () => {
    await search('compte rendu');
    assert.match(await page.locator('.results-count').innerText(), /^\d+ items? found/);
    assert.ok(await page.locator('.hit .snippet mark').count() > 0, 'matched words are highlighted');
    const marked = (await page.locator('.hit .snippet mark').first().innerText()).toLowerCase();
    assert.ok(['compte', 'rendu'].includes(marked), marked);
    await page.locator('.facet').filter({ hasText: 'Verdict' }).locator('.facet-link', { hasText: 'authentic-by-provenance' }).click();
    await page.waitForURL((u) => (u.searchParams.get('q') ?? '').includes('verdict:authentic-by-provenance'));
    await waitForResults('compte rendu verdict:authentic-by-provenance');
    const badges = await page.locator('.hit .badge').allInnerTexts();
    assert.ok(badges.length > 0 && badges.every((b) => b === 'authentic-by-provenance'), badges.join());
  });

  it('moves through hits with j/k and opens one with Enter; Esc comes back to the same list', async () => {
    await search('type:email');
    await page.locator('#search-input').press('Escape');
    const hits = page.locator('.hit');
    assert.equal(await hits.nth(0).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    assert.equal(await hits.nth(1).getAttribute('aria-selected'), 'true');
    const id = await hits.nth(1).locator('.hit-id').innerText();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/item/${id}`);
    await page.locator('.email-view').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('q') === 'type:email');
    // The list is drawn again after the URL changes: wait for it (a busy machine is slower than the assertion).
    await page.waitForFunction("document.querySelectorAll('.hit')[1]?.getAttribute('aria-selected') === 'true'", null, { timeout: 10_000 }).catch(() => undefined);
    assert.equal(await page.locator('.hit').nth(1).getAttribute('aria-selected'), 'true', 'the selection is kept');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'search-input');
  });

  it('opens an authentic email and shows its verdict, DKIM panel and attachment', async () => {
    await search('verdict:authentic subject:"compte rendu du bureau"');
    await page.locator('.hit-title', { hasText: 'Compte rendu du bureau (version validée)' }).click();
    await page.waitForURL(`**/item/${fx.ids.signed}`);
    const banner = page.locator('.verdict-banner');
    assert.equal(await banner.locator('.badge').innerText(), 'authentic');
    assert.match(await banner.innerText(), /Signed by campagne-exemple\.fr/);
    const panel = page.locator('.dkim-panel');
    const words = await panel.locator('.plain-words').innerText();
    assert.match(words, /exactly as campagne-exemple\.fr signed them/);
    assert.match(words, /The text and attachments are exactly as signed/);
    assert.match(words, /2048-bit RSA/);
    const details = await panel.locator('.signature').first().innerText();
    assert.match(details, /selector e2e2017/);
    assert.match(details, /Header signature: pass/);
    assert.match(details, /Body hash: pass/);
    const attachment = page.locator('.attachments li', { hasText: 'compte-rendu-bureau.txt' });
    assert.equal(await attachment.locator('.badge').innerText(), 'authentic-by-provenance');
    await page.locator('.email-text', { hasText: 'Voici le compte rendu validé' }).waitFor();
    assert.equal(await page.locator('a', { hasText: 'Download the original (.eml)' }).getAttribute('href'), `/api/items/${fx.ids.signed}/raw`);
  });

  it('shows the thread around a reply, the reply marked, the others one click away', async () => {
    const res = await page.request.get(`${served.url}/api/search?q=${encodeURIComponent('subject:re type:email')}&limit=20&facets=0`);
    const replies = ((await res.json()) as SearchResult).hits;
    let shown = false;
    for (const hit of replies) {
      const thread = (await (await page.request.get(`${served.url}/api/threads/${hit.id}`)).json()) as { messages: { id: string | null }[] };
      if (thread.messages.filter((m) => m.id).length < 2) continue;
      await page.goto(`${served.url}/item/${hit.id}`);
      const panel = page.locator('.thread');
      await panel.locator('li.current').waitFor();
      assert.ok(await panel.locator('.thread-list li').count() >= 2);
      const other = panel.locator('.thread-list li:not(.current) a.thread-subject').first();
      const href = await other.getAttribute('href');
      await other.click();
      await page.waitForURL(`**${href}`);
      shown = true;
      break;
    }
    assert.ok(shown, 'the generated trove has a thread of two messages or more');
  });

  it('opens a document proven by provenance and follows it to the email that carried it', async () => {
    await page.goto(`${served.url}/item/${fx.ids.attachment}`);
    assert.equal(await page.locator('.verdict-banner .badge').innerText(), 'authentic-by-provenance');
    const provenance = page.locator('.provenance');
    assert.match(await provenance.innerText(), /Carried by the email Compte rendu du bureau \(version validée\)/);
    await page.locator('.document-text', { hasText: '40 175 euros TTC' }).waitFor();
    await provenance.getByRole('link', { name: 'Compte rendu du bureau (version validée)' }).click();
    await page.waitForURL(`**/item/${fx.ids.signed}`);
  });

  it('shows an altered copy beside its original, with the edits marked', async () => {
    await page.goto(`${served.url}/item/${fx.ids.altered}`);
    assert.equal(await page.locator('.verdict-banner .badge').innerText(), 'altered-copy');
    const altered = page.locator('.altered');
    assert.match(await altered.innerText(), /removed and \d+ added, in 2 places/);
    await altered.locator('.diff').waitFor();
    assert.deepEqual(await altered.locator('.diff-original del').allInnerTexts(), ['40 175']);
    assert.deepEqual((await altered.locator('.diff-copy ins').allInnerTexts()).map((t) => t.trim()), ['401 757', 'Versement complémentaire de 150 000 euros en espèces.']);
    assert.match(await altered.locator('.diff-original').innerText(), /Prochaine réunion le 10 mars/);
    await altered.getByRole('link', { name: 'copie du compte rendu.txt' }).or(altered.getByRole('link', { name: 'compte-rendu-bureau.txt' })).click();
    await page.waitForURL(`**/item/${fx.ids.attachment}`);
  });

  it('shows the forensic signals of a suspicious document, and finds it among the suspicious', async () => {
    const r = (await (await page.request.get(`${served.url}/api/search?q=verdict:suspicious&limit=50&facets=0`)).json()) as SearchResult;
    assert.ok(r.hits.some((h) => h.id === fx.ids.suspicious), 'the PDF saved before it was created is suspicious');
    await page.goto(`${served.url}/item/${fx.ids.suspicious}`);
    assert.equal(await page.locator('.verdict-banner .badge').innerText(), 'suspicious');
    const signals = page.locator('.signals');
    await signals.waitFor();
    const high = signals.locator('.severity-high');
    assert.ok(await high.count() > 0, 'a suspicious document has a high-severity signal');
    assert.match(await signals.innerText(), /before it was created/, 'the signal says what is wrong in words');
  });

  it('marks where a query is wrong, in the box and under it', async () => {
    const query = 'budget verdict:authentik';
    await page.goto(`${served.url}/?q=${encodeURIComponent(query)}`);
    const error = page.locator('.query-error');
    await error.waitFor();
    assert.match(await error.locator('.query-error-message').innerText(), /did you mean 'authentic'/);
    assert.equal(await error.locator('.query-error-mark').innerText(), 'authentik');
    const selection = await page.locator('#search-input').evaluate((el) => {
      const input = el as unknown as { selectionStart: number | null; selectionEnd: number | null };
      return [input.selectionStart, input.selectionEnd];
    });
    assert.deepEqual(selection, [query.indexOf('authentik'), query.length]);
  });

  it('offers the report of the current search as HTML, JSON and CSV downloads', async () => {
    await search('verdict:altered-copy');
    const href = await page.locator('.reports a', { hasText: 'HTML' }).getAttribute('href');
    assert.equal(href, `/api/reports/html?q=${encodeURIComponent('verdict:altered-copy')}`);
    const download = page.waitForEvent('download');
    await page.locator('.reports a', { hasText: 'CSV' }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^trove-report-\d{4}-\d\d-\d\d-verdict-altered-copy\.csv$/);
  });

  it('shows the overview: counts, what needs attention, the weekly timeline and the correspondents graph', async () => {
    await page.goto(`${served.url}/overview`);
    await page.locator('.chart svg rect').first().waitFor();
    await page.locator('.graph circle').first().waitFor();
    assert.ok(await page.locator('.graph .edge').count() > 0);
    assert.match(await page.locator('.summary').innerText(), /emails/);
    const group = page.locator('.attention-group', { has: page.locator('.badge', { hasText: 'altered-copy' }) });
    await group.getByRole('link', { name: /items? →/ }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'verdict:altered-copy');
  });

  it('keeps the layout with right-to-left text and endless subjects', async () => {
    for (const id of [fx.ids.rtl, fx.ids.long]) {
      await page.goto(`${served.url}/item/${id}`);
      await page.locator('.email-view h1').waitFor();
      const overflow = await page.evaluate<number>(HORIZONTAL_OVERFLOW);
      assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
    }
    await page.goto(`${served.url}/item/${fx.ids.rtl}`);
    const h1 = page.locator('.email-view h1');
    assert.equal(await h1.innerText(), RTL_SUBJECT);
    assert.equal(await h1.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { direction: string } }).getComputedStyle(el).direction), 'rtl');
    await search('subject:comité');
    assert.ok(await page.locator('.hit-title', { hasText: LONG_SUBJECT.slice(0, 40) }).count() === 1);
    assert.ok((await page.evaluate<number>(HORIZONTAL_OVERFLOW)) <= 0);
  });

  it('ran without console errors or Content-Security-Policy violations', () => {
    assert.deepEqual(problems, []);
  });
});
