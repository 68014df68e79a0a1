/**
 * Opening a leaked HTML email must never contact the outside world: a tracking pixel would tell the
 * sender who read the leak, and when. The "outside world" here is a local HTTP server on another
 * port that counts every request; the email references it in every way we know (images, srcset,
 * scripts, stylesheets, @import, fonts, CSS url(), image-set, frames, objects, media, prefetch and
 * preconnect links, a meta refresh, a <base>, forms, a link with ping, event handlers, noscript,
 * conditional comments). Viewing the email in the UI, opening its HTML outside the sandboxing iframe,
 * and clicking its link must cause zero requests there; the same HTML opened as is, without trove,
 * makes dozens (so the test could fail).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildFixtureTrove, trackingHtml, type FixtureTrove } from '../server/fixture-trove.ts';
import { ensureWebBuild, launchBrowser, serveCase, SKIP_BROWSER, type Browser, type Served } from './browser.ts';

/** Time left for anything delayed (a refresh, a lazy frame, a font swap) to try its luck. */
const SETTLE_MS = 2000;

describe('privacy: a leaked HTML email contacts nobody', { skip: SKIP_BROWSER }, () => {
  let root = '';
  let fx: FixtureTrove;
  let served: Served;
  let browser: Browser;
  let counter: Server;
  const hits: string[] = [];
  let base = '';

  before(async () => {
    counter = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'image/gif', 'Access-Control-Allow-Origin': '*' });
      res.end();
    });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
    root = mkdtempSync(join(tmpdir(), 'trove-privacy-'));
    fx = await buildFixtureTrove(root, { messages: 10, remoteBase: base });
    await ensureWebBuild();
    served = await serveCase(fx.caseDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    await new Promise<void>((r) => (counter ? counter.close(() => r()) : r()));
    rmSync(root, { recursive: true, force: true });
  });

  it('shows the email in the UI, its HTML in a sandboxed frame, with zero requests to the remote server', async () => {
    const page = await browser.context.newPage();
    const elsewhere: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(served.url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
    });
    await page.goto(`${served.url}/item/${fx.ids.html}`);
    await page.getByRole('tab', { name: 'HTML (safe view)' }).click();
    const frame = page.frameLocator('iframe.html-frame');
    await frame.getByText('Bonjour Paul').waitFor();
    await page.getByText(/remote references were blocked/).waitFor();
    // What the reader sees: placeholders with the URLs, the inline logo from the email itself.
    assert.ok(await frame.getByText(`remote image not loaded: ${base}/tracking-pixel.gif`).isVisible());
    assert.equal(await frame.locator('img[alt="logo"]').evaluate((img) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth;
    }), 1);
    assert.equal(await page.locator('iframe.html-frame').getAttribute('sandbox'), '');
    await page.locator('.blocked-list summary').click();
    assert.ok(await page.locator('.blocked-list').getByText(`${base}/meta-refresh`).isVisible());
    // A click on the link goes nowhere.
    await frame.getByText('Voir le tableau de bord').click();
    await page.waitForTimeout(SETTLE_MS);
    assert.ok(await frame.getByText('Bonjour Paul').isVisible(), 'the frame did not navigate away');
    assert.deepEqual(hits, [], 'no request reached the remote server');
    assert.deepEqual(elsewhere, [], 'the browser asked nothing of any other origin');
    await page.close();
  });

  it('stays silent when its HTML is opened on its own, outside the UI and its iframe', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${served.url}/api/items/${fx.ids.html}/html`);
    await page.getByText('Bonjour Paul').waitFor();
    await page.waitForTimeout(SETTLE_MS);
    assert.equal(new URL(page.url()).pathname, `/api/items/${fx.ids.html}/html`, 'no refresh or redirect');
    assert.deepEqual(hits, []);
    await page.close();
  });

  it('would have been contacted without trove: the same HTML opened as is reaches the counter', async () => {
    const page = await browser.context.newPage();
    await page.setContent(trackingHtml(base), { waitUntil: 'load' });
    await page.waitForTimeout(SETTLE_MS);
    await page.close();
    assert.ok(hits.length >= 10, `the unprotected email made ${hits.length} requests: ${hits.join(', ')}`);
    for (const path of ['/tracking-pixel.gif', '/script-src.js', '/link-stylesheet.css']) assert.ok(hits.some((h) => h.includes(path)), `${path} was requested`);
  });
});
