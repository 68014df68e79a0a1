/**
 * The HTTP API against a real case (generated leak plus hand-made evidence, test/server/fixture-trove.ts),
 * in process through `app.request()`: no port, no browser.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import type {
  AttentionResponse,
  CorrespondentsResponse,
  DiffResponse,
  ItemResponse,
  RemoteContentResponse,
  SearchResult,
  SummaryResponse,
  TextResponse,
  ThreadResponse,
  TimelineResponse,
} from '../../src/server/api-types.ts';
import { createApp } from '../../src/server/app.ts';
import type { ServerContext } from '../../src/server/context.ts';
import { FRAME_CSP, UI_CSP } from '../../src/server/security-headers.ts';
import { openCaseReadOnly } from '../../src/server/serve.ts';
import { WebAssets } from '../../src/server/web-assets.ts';
import { FORGED, MINUTES, buildFixtureTrove, type FixtureTrove } from './fixture-trove.ts';

interface ErrorBody {
  error: { code: string; message: string; position?: number; length?: number };
}

describe('HTTP API', () => {
  let root = '';
  let fx: FixtureTrove;
  let ctx: ServerContext;
  let closeStore: () => Promise<void>;
  let app: Hono;
  let dbHashAfterOpen = '';

  const caseFiles = (): string =>
    ['case.db', 'case.db-wal'].map((f) => join(fx.caseDir, f)).filter(existsSync).map((f) => createHash('sha256').update(readFileSync(f)).digest('hex')).join(',');

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-api-'));
    fx = await buildFixtureTrove(root, { messages: 40, remoteBase: 'http://tracker.example' });
    const opened = await openCaseReadOnly(fx.caseDir);
    ctx = opened.ctx;
    closeStore = opened.close;
    app = createApp(ctx, { web: null, allowedHosts: () => null });
    dbHashAfterOpen = caseFiles();
  });

  after(async () => {
    await closeStore();
    rmSync(root, { recursive: true, force: true });
  });

  async function get<T>(path: string, status = 200): Promise<T> {
    const res = await app.request(path);
    assert.equal(res.status, status, `${path}: ${res.status} ${status === 200 ? await res.clone().text() : ''}`);
    return (await res.json()) as T;
  }

  describe('search', () => {
    it('finds items with highlighted snippets, verdicts and facets', async () => {
      const r = await get<SearchResult>('/api/search?q=' + encodeURIComponent('"budget prévisionnel"') + '&limit=5');
      assert.ok(r.total > 0);
      assert.ok(r.hits.length <= 5);
      assert.ok(r.facets && r.facets.verdict.length > 0);
      const hit = r.hits.find((h) => h.highlights.length > 0)!;
      assert.ok(hit, 'a hit has highlights');
      const [start, end] = hit.highlights[0]!;
      assert.match(hit.snippet.slice(start, end).toLowerCase(), /budget|prévisionnel/);
    });

    it('pages with offset and limit, and skips facets when asked', async () => {
      const all = await get<SearchResult>('/api/search?q=type:email&sort=oldest&limit=10&facets=0');
      const next = await get<SearchResult>('/api/search?q=type:email&sort=oldest&limit=10&offset=10&facets=0');
      assert.equal(all.facets, null);
      assert.equal(all.total, next.total);
      assert.equal(new Set([...all.hits, ...next.hits].map((h) => h.id)).size, 20);
    });

    it('answers a query that does not parse with 400 and where the error is', async () => {
      const q = 'from:elysee.fr "virement';
      const body = await get<ErrorBody>('/api/search?q=' + encodeURIComponent(q), 400);
      assert.equal(body.error.code, 'unclosed-quote');
      assert.equal(body.error.position, q.indexOf('"'));
      assert.equal(body.error.length, 1);
      const field = await get<ErrorBody>('/api/search?q=' + encodeURIComponent('budget verdict:authentik'), 400);
      assert.equal(field.error.code, 'bad-value');
      assert.equal(field.error.position, 'budget verdict:'.length);
      assert.match(field.error.message, /did you mean 'authentic'/);
    });

    it('refuses bad parameters with a message naming them', async () => {
      assert.match((await get<ErrorBody>('/api/search?q=a&limit=lots', 400)).error.message, /^limit must be/);
      assert.match((await get<ErrorBody>('/api/search?q=a&offset=-1', 400)).error.message, /^offset must be/);
      assert.match((await get<ErrorBody>('/api/search?q=a&sort=random', 400)).error.message, /^sort must be/);
    });
  });

  describe('items', () => {
    it('shows an authentic email with its DKIM evidence and its attachment\'s own verdict', async () => {
      const item = await get<ItemResponse>(`/api/items/${fx.ids.signed}`);
      assert.equal(item.kind, 'email');
      assert.equal(item.verdict, 'authentic');
      assert.match(item.summary!, /^Signed by campagne-exemple\.fr/);
      assert.equal(item.email!.subject, 'Compte rendu du bureau (version validée)');
      assert.equal(item.email!.from[0]!.name, 'Hélène Durand');
      assert.equal(item.email!.hasHtml, false);
      const sig = item.dkim!.signatures[0]!;
      assert.deepEqual([sig.domain, sig.selector, sig.status, sig.signature, sig.bodyHash, sig.aligned, sig.key?.bits], ['campagne-exemple.fr', 'e2e2017', 'pass', 'pass', 'pass', true, 2048]);
      assert.ok(sig.signedHeaders.includes('from'));
      assert.deepEqual(item.children.map((c) => [c.name, c.verdict]), [['compte-rendu-bureau.txt', 'authentic-by-provenance']]);
      assert.equal(item.thread, item.id);
      assert.equal(item.rawUrl, `/api/items/${item.id}/raw`);
    });

    it('finds an item by an id prefix', async () => {
      const item = await get<ItemResponse>(`/api/items/${fx.ids.signed.slice(0, 8)}`);
      assert.equal(item.id, fx.ids.signed);
    });

    it('shows a document proven by provenance, naming the email that carried it', async () => {
      const item = await get<ItemResponse>(`/api/items/${fx.ids.attachment}`);
      assert.equal(item.verdict, 'authentic-by-provenance');
      assert.equal(item.assessment!.provenance!.viaId, fx.ids.signed);
      assert.equal(item.assessment!.provenance!.strength, 'authentic');
      assert.deepEqual(item.parents.map((p) => p.id), [fx.ids.signed]);
      assert.equal(item.paths.length, 2, 'found in the email and as a loose copy');
      const text = await get<TextResponse>(`/api/items/${fx.ids.attachment}/text`);
      assert.equal(text.text, MINUTES);
    });

    it('shows an altered copy with its edits, and diffs it against its original', async () => {
      const item = await get<ItemResponse>(`/api/items/${fx.ids.altered}`);
      assert.equal(item.verdict, 'altered-copy');
      const alt = item.assessment!.alteredFrom!;
      assert.equal(alt.originalId, fx.ids.attachment);
      assert.equal(alt.original!.verdict, 'authentic-by-provenance');
      assert.deepEqual(alt.changes.map((c) => [c.removed.trim(), c.added.trim()]), [['40 175', '401 757'], ['', 'Versement complémentaire de 150 000 euros en espèces.']]);
      const diff = await get<DiffResponse>(`/api/items/${fx.ids.altered}/diff`);
      assert.equal(diff.original.id, fx.ids.attachment);
      assert.equal(diff.parts.filter((p) => p.op !== '+').map((p) => p.text).join(''), MINUTES);
      assert.equal(diff.parts.filter((p) => p.op !== '-').map((p) => p.text).join(''), FORGED);
      assert.ok(diff.parts.some((p) => p.op === '+' && p.text.includes('401')));
      assert.equal((await get<ErrorBody>(`/api/items/${fx.ids.signed}/diff`, 404)).error.code, 'not-an-altered-copy');
    });

    it('answers 404 for an unknown id and 400 for something that is not an id', async () => {
      assert.equal((await get<ErrorBody>('/api/items/0123456789abcdef', 404)).error.code, 'no-such-item');
      assert.equal((await get<ErrorBody>('/api/items/not-an-id', 400)).error.code, 'bad-id');
      assert.equal((await get<ErrorBody>('/api/items/abc', 400)).error.code, 'bad-id');
      assert.equal((await get<ErrorBody>(`/api/threads/${fx.ids.altered}`, 404)).error.code, 'no-thread');
      assert.equal((await get<ErrorBody>('/api/nothing-here', 404)).error.code, 'no-such-route');
    });

    it('serves a leaked HTML email rewritten, with a CSP that blocks scripts and remote loads', async () => {
      const res = await app.request(`/api/items/${fx.ids.html}/html`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-security-policy'), FRAME_CSP);
      assert.match(res.headers.get('content-type')!, /^text\/html; charset=utf-8/);
      const html = await res.text();
      assert.match(html, /Bonjour Paul/);
      assert.doesNotMatch(html, /<script|src="http|href="http|url\(http/i);
      assert.match(html, /src="data:image\/png;base64,/, 'the cid: logo is inlined');
      const remote = await get<RemoteContentResponse>(`/api/items/${fx.ids.html}/remote-content`);
      assert.equal(remote.hasHtml, true);
      assert.equal(remote.inlineImages, 1);
      assert.ok(remote.blocked.some((b) => b.url === 'http://tracker.example/tracking-pixel.gif' && b.kind === 'image'));
      assert.ok(remote.blocked.some((b) => b.kind === 'refresh'));
      assert.equal((await get<ErrorBody>(`/api/items/${fx.ids.signed}/html`, 404)).error.code, 'no-html');
    });

    it('downloads originals byte for byte, as attachments, never to be rendered', async () => {
      const res = await app.request(`/api/items/${fx.ids.signed}/raw`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'message/rfc822');
      assert.equal(res.headers.get('content-disposition'), `attachment; filename="${fx.ids.signed}.eml"; filename*=UTF-8''${fx.ids.signed}.eml`);
      const item = await get<ItemResponse>(`/api/items/${fx.ids.signed}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(createHash('sha256').update(bytes).digest('hex'), item.sha256);
      const doc = await app.request(`/api/items/${fx.ids.altered}/raw`);
      assert.equal(doc.headers.get('content-type'), 'application/octet-stream');
      assert.match(doc.headers.get('content-disposition')!, /^attachment; filename="compte-rendu \(version finale\)\.txt"; filename\*=UTF-8''compte-rendu%20\(version%20finale\)\.txt$/);
      assert.match(doc.headers.get('content-security-policy')!, /sandbox/);
      assert.equal((await get<ErrorBody>(`/api/items/${fx.ids.altered}/preview`, 404)).error.code, 'no-preview');
    });

    it('gives the raw header block of an email', async () => {
      const h = await get<{ raw: string }>(`/api/items/${fx.ids.signed}/headers`);
      assert.match(h.raw, /^DKIM-Signature: /);
      assert.match(h.raw, /Message-ID: <cr-bureau-e2e@campagne-exemple\.fr>/);
    });
  });

  describe('threads and overview', () => {
    it('gives the thread around an email with subjects and verdicts', async () => {
      const reply = await get<SearchResult>('/api/search?q=' + encodeURIComponent('subject:re type:email') + '&limit=1&facets=0');
      const t = await get<ThreadResponse>(`/api/threads/${reply.hits[0]!.id}`);
      assert.ok(t.size >= 1);
      const me = t.messages.find((m) => m.id === reply.hits[0]!.id)!;
      assert.equal(me.subject, reply.hits[0]!.subject);
      assert.equal(me.verdict, reply.hits[0]!.verdict);
    });

    it('counts the trove by verdict and lists what needs attention', async () => {
      const s = await get<SummaryResponse>('/api/overview/summary');
      assert.equal(s.stats.byKind.email, 40 + 3 + 1);
      assert.ok(s.verdicts.some((v) => v.value === 'authentic'));
      const a = await get<AttentionResponse>('/api/overview/attention');
      const altered = a.groups.find((g) => g.verdict === 'altered-copy')!;
      assert.ok(altered.total >= 1);
      assert.ok(altered.hits.some((h) => h.id === fx.ids.altered));
      assert.equal(altered.query, 'verdict:altered-copy');
    });

    it('gives a weekly timeline by verdict and the correspondents graph', async () => {
      const t = await get<TimelineResponse>('/api/overview/timeline?by=week&q=type:email');
      assert.ok(t.buckets.length > 0);
      assert.equal(t.buckets.reduce((n, b) => n + b.total, 0), 44 - 0, 'every dated email is in a week');
      assert.equal((await get<ErrorBody>('/api/overview/timeline?by=year', 400)).error.code, 'bad-parameter');
      const c = await get<CorrespondentsResponse>('/api/overview/correspondents?limit=10');
      assert.ok(c.people.length > 0 && c.people.length <= 10);
      const shown = new Set(c.people.map((p) => p.address));
      assert.ok(c.edges.every((e) => shown.has(e.from) && shown.has(e.to)));
    });
  });

  describe('reports', () => {
    it('streams the JSON, CSV and HTML report of a search as downloads', async () => {
      const json = await app.request('/api/reports/json?q=' + encodeURIComponent('verdict:altered-copy'));
      assert.equal(json.status, 200);
      assert.match(json.headers.get('content-disposition')!, /^attachment; filename="trove-report-\d{4}-\d\d-\d\d-verdict-altered-copy\.json"/);
      const report = JSON.parse(await json.text()) as { items: { id: string; verdict: string; provenance: { nearDuplicateOf: string } }[] };
      assert.ok(report.items.length >= 1);
      assert.ok(report.items.every((i) => i.verdict === 'altered-copy'));
      assert.equal(report.items.find((i) => i.id === fx.ids.altered)!.provenance.nearDuplicateOf, fx.ids.attachment);

      const csv = await (await app.request('/api/reports/csv?q=' + encodeURIComponent(`verdict:authentic from:helene.durand@campagne-exemple.fr subject:"compte rendu du bureau"`))).text();
      const lines = csv.trim().split('\r\n');
      assert.match(lines[0]!, /^id,sha256,kind,/);
      assert.ok(lines.slice(1).some((l) => l.startsWith(`${fx.ids.signed},`)));

      const html = await app.request('/api/reports/html?q=' + encodeURIComponent('verdict:altered-copy'));
      assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
      const page = await html.text();
      assert.doesNotMatch(page, /<script|src=|href="http/i, 'self-contained: no script, nothing remote');
      assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
      assert.match(page, /compte-rendu \(version finale\)\.txt/);
      assert.match(page, /<del>40 175<\/del><ins>401 757<\/ins>/);
    });

    it('refuses a query that does not parse before starting the download', async () => {
      assert.equal((await get<ErrorBody>('/api/reports/csv?q=' + encodeURIComponent('(budget'), 400)).error.code, 'unclosed-parenthesis');
      assert.equal((await get<ErrorBody>('/api/reports/pdf', 400)).error.code, 'bad-format');
    });
  });

  describe('safety', () => {
    it('answers only GET, with a strict CSP and no framing on every response', async () => {
      const post = await app.request('/api/search', { method: 'POST', body: 'q=x' });
      assert.equal(post.status, 405);
      const res = await app.request('/api/search?q=budget');
      assert.equal(res.headers.get('content-security-policy'), UI_CSP);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    });

    it('refuses a Host it does not serve (DNS rebinding)', async () => {
      const guarded = createApp(ctx, { web: null, allowedHosts: () => new Set(['127.0.0.1:4317']) });
      assert.equal((await guarded.request('http://127.0.0.1:4317/api/search?q=a')).status, 200);
      const res = await guarded.request('http://rebind.example:4317/api/search?q=a');
      assert.equal(res.status, 421);
    });

    it('never writes to the case', async () => {
      await app.request('/api/reports/json');
      assert.equal(caseFiles(), dbHashAfterOpen);
    });
  });

  describe('store pool', () => {
    it("answers from worker threads as the server's own thread does, errors included", async () => {
      const pooled = await openCaseReadOnly(fx.caseDir, { workers: 2, migrate: false });
      try {
        const papp = createApp(pooled.ctx, { web: null, allowedHosts: () => null });
        for (const path of ['/api/search?q=budget&limit=5', `/api/items/${fx.ids.altered}`, `/api/items/${fx.ids.altered}/diff`, `/api/threads/${fx.ids.signed}`, '/api/overview/summary']) {
          const [a, b] = await Promise.all([app.request(path), papp.request(path)]);
          const strip = (j: Record<string, unknown>): unknown => ({ ...j, tookMs: 0 });
          assert.deepEqual(strip((await b.json()) as Record<string, unknown>), strip((await a.json()) as Record<string, unknown>), path);
        }
        const bad = await papp.request('/api/search?q=' + encodeURIComponent('(budget'));
        assert.equal(bad.status, 400);
        assert.equal(((await bad.json()) as ErrorBody).error.code, 'unclosed-parenthesis');
        const many = await Promise.all(Array.from({ length: 20 }, (_, i) => papp.request(`/api/search?q=type:email&limit=1&offset=${i}&facets=0`)));
        assert.deepEqual(many.map((r) => r.status), Array(20).fill(200));
      } finally {
        await pooled.close();
      }
    });
  });

  describe('web UI files', () => {
    it('serves the build, routes UI paths to index.html, and says how to build it when missing', async () => {
      const dist = join(root, 'dist');
      mkdirSync(join(dist, 'assets'), { recursive: true });
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>ui</title>');
      writeFileSync(join(dist, 'assets', 'index-abc.js'), 'export {}');
      const web = new WebAssets(dist);
      assert.equal(web.load(), true);
      const ui = createApp(ctx, { web, allowedHosts: () => null });
      const page = await ui.request(`/item/${fx.ids.signed}`);
      assert.equal(page.status, 200);
      assert.equal(await page.text(), '<!doctype html><title>ui</title>');
      const js = await ui.request('/assets/index-abc.js');
      assert.match(js.headers.get('content-type')!, /^text\/javascript/);
      assert.match(js.headers.get('cache-control')!, /immutable/);
      assert.equal((await ui.request('/assets/missing.js')).status, 404);
      assert.equal((await ui.request('/../../etc/passwd')).status, 200, 'a UI route, never a file outside the build');
      const none = createApp(ctx, { web: new WebAssets(join(root, 'no-build')), allowedHosts: () => null });
      const missing = await none.request('/');
      assert.equal(missing.status, 503);
      assert.match(await missing.text(), /npm run build:web/);
    });
  });
});
