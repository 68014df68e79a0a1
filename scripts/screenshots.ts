/**
 * `npm run screenshots`: pictures of the main pages of the web UI for docs/screenshots/, taken in
 * Debian's Chromium on the trove the browser tests use (a generated leak plus a signed email, its
 * attachment, an altered copy of it and a leaked HTML email; test/server/fixture-trove.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixtureTrove } from '../test/server/fixture-trove.ts';
import { ensureWebBuild, launchBrowser, serveCase, SKIP_BROWSER } from '../test/e2e/browser.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };

if (SKIP_BROWSER) {
  console.error(`screenshots: ${SKIP_BROWSER}`);
  process.exit(1);
}

const root = mkdtempSync(join(tmpdir(), 'trove-screenshots-'));
try {
  console.log('Building a sample trove ...');
  const fx = await buildFixtureTrove(root, { messages: 300, remoteBase: 'https://tracker.example.com/t' });
  await ensureWebBuild();
  const served = await serveCase(fx.caseDir);
  const browser = await launchBrowser(VIEWPORT);
  try {
    const page = await browser.context.newPage();
    mkdirSync(OUT, { recursive: true });
    const shot = async (name: string, path: string, ready: string, options: { fullPage?: boolean; before?: () => Promise<void> } = {}): Promise<void> => {
      await page.goto(served.url + path);
      await page.locator(ready).first().waitFor();
      await options.before?.();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: options.fullPage ?? false });
      console.log(`docs/screenshots/${name}.png`);
    };
    await shot('search', `/?q=${encodeURIComponent('budget OR "compte rendu"')}`, '.hit .snippet mark');
    await shot('email-dkim', `/item/${fx.ids.signed}`, '.dkim-panel .signature');
    await shot('altered-copy', `/item/${fx.ids.altered}`, '.diff', { before: () => page.locator('.altered').scrollIntoViewIfNeeded() });
    await shot('html-email-blocked', `/item/${fx.ids.html}`, '.tabs', {
      before: async () => {
        await page.getByRole('tab', { name: 'HTML (safe view)' }).click();
        await page.frameLocator('iframe.html-frame').getByText('Bonjour Paul').waitFor();
        await page.locator('.blocked-list summary').click();
      },
    });
    await shot('suspicious-document', `/item/${fx.ids.suspicious}`, '.signals .signal');
    await shot('overview', '/overview', '.graph circle', { fullPage: true });
    const modified = await page.request.get(`${served.url}/api/search?q=verdict:body-modified&limit=1&facets=0`);
    const hit = ((await modified.json()) as { hits: { id: string }[] }).hits[0];
    if (hit) await shot('email-body-modified', `/item/${hit.id}`, '.dkim-panel .signature');
  } finally {
    await browser.close();
    await served.stop();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
