/**
 * The rewrite of leaked HTML (src/server/safe-html.ts): what would load something is gone and
 * listed, what is only presentation stays. The browser test (test/e2e/privacy.test.ts) proves the
 * whole chain in Chromium; these pin each rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { sanitizeHtml } from '../../src/server/safe-html.ts';
import { trackingHtml } from './fixture-trove.ts';

const BASE = 'http://tracker.example';

const URL_ATTRIBUTES = new Set(['src', 'href', 'srcset', 'background', 'poster', 'data', 'action', 'formaction', 'ping', 'xlink:href', 'content', 'lowsrc', 'dynsrc', 'imagesrcset']);

/**
 * What in the output could still load something, read the way a browser reads it (parsed again):
 * URL attributes other than data: images and in-page anchors, url() and @import in CSS.
 */
function remoteReferences(html: string): string[] {
  const found: string[] = [];
  const walk = (n: DefaultTreeAdapterTypes.ParentNode): void => {
    for (const c of n.childNodes) {
      if (!('tagName' in c)) continue;
      for (const a of c.attrs) {
        const name = (a.prefix ? `${a.prefix}:${a.name}` : a.name).toLowerCase();
        if (URL_ATTRIBUTES.has(name) && !/^(data:image\/|#)/.test(a.value.trim())) found.push(`<${c.tagName} ${name}="${a.value}">`);
        if (name === 'style' && /url\(|@import|image-set|\\/i.test(a.value)) found.push(`<${c.tagName} style="${a.value}">`);
      }
      if (c.tagName === 'style') {
        const css = c.childNodes.map((t) => ('value' in t ? t.value : '')).join('');
        if (/url\((?!\s*['"]?data:image)|@import|image-set|\\/i.test(css)) found.push(`<style>${css}</style>`);
      }
      walk(c);
    }
  };
  walk(parse(html));
  return found;
}

describe('safe HTML', () => {
  it('leaves no reference that loads anything in the privacy test email, and lists them', () => {
    const out = sanitizeHtml(trackingHtml(BASE), () => null);
    assert.deepEqual(remoteReferences(out.html), []);
    assert.doesNotMatch(out.html, /<script|<iframe|<object|<embed|<video|<audio|<link|<base|<meta http-equiv|<svg|<form|<input|<noscript/i);
    assert.doesNotMatch(out.html, /\son\w+\s*=/i, 'no event handler attribute');
    const urls = out.blocked.map((b) => b.url);
    for (const path of ['meta-refresh', 'link-stylesheet.css', 'link-prefetch', 'style-import.css', 'style-import-string.css', 'font.woff2', 'style-background.png',
      'script-src.js', 'body-background.png', 'tracking-pixel.gif', 'srcset-2x.png', 'picture-source.webp', 'iframe.html', 'object.swf', 'embed.swf',
      'video-poster.png', 'audio.mp3', 'svg-image.png', 'inline-style.png', 'table-background.png', 'td-background.png', 'input-image.png', 'link-ping', 'noscript.png']) {
      assert.ok(urls.some((u) => u.endsWith(`/${path}`)), `${path} is listed as blocked`);
    }
    assert.equal(out.blockedTotal, out.blocked.length);
  });

  it('replaces a remote image by a placeholder that shows its URL', () => {
    const out = sanitizeHtml(`<p><img src="${BASE}/pixel.gif?u=42" width="1" height="1" alt="x"></p>`);
    assert.match(out.html, /<span class="trove-blocked" title="http:\/\/tracker\.example\/pixel\.gif\?u=42"[^>]*>remote image not loaded: http:\/\/tracker\.example\/pixel\.gif\?u=42/);
    assert.deepEqual(out.blocked, [{ kind: 'image', url: `${BASE}/pixel.gif?u=42`, element: 'img' }]);
  });

  it('shows inline cid: images from the email and safe data: images, nothing else', () => {
    const data = 'data:image/png;base64,iVBORw0KGgo=';
    const out = sanitizeHtml(`<img src="cid:logo@x"><img src="${data}"><img src="data:image/svg+xml,<svg/>"><img src="cid:missing@x">`, (cid) => (cid === 'logo@x' ? data : null));
    assert.equal(out.inlineImages, 1);
    assert.equal((out.html.match(/<img /g) ?? []).length, 2);
    assert.equal(out.blocked.length, 2);
  });

  it('keeps links as text with their target on hover, never followable, except in-page anchors', () => {
    const out = sanitizeHtml(`<a href="${BASE}/click?id=1" title="Dashboard">open</a> <a href="#top">top</a> <a href="javascript:alert(1)">js</a>`);
    assert.match(out.html, /<a title="Dashboard — link \(not followed\): http:\/\/tracker\.example\/click\?id=1" class="trove-link">open<\/a>/);
    assert.match(out.html, /<a href="#top">top<\/a>/);
    assert.doesNotMatch(out.html, /href="(http|javascript)/);
  });

  it('rewrites url() in style attributes and style elements, keeps the rest of the CSS', () => {
    const out = sanitizeHtml(`<style>p{color:red;background:URL( "${BASE}/a.png" )} @import '${BASE}/b.css'; h1{font-weight:bold}</style><div style="color:blue;background-image:url(${BASE}/c.png)">x</div>`);
    assert.match(out.html, /p\{color:red;background:none\}/);
    assert.match(out.html, /h1\{font-weight:bold\}/);
    assert.match(out.html, /style="color:blue;background-image:none"/);
    assert.deepEqual(out.blocked.map((b) => b.url), [`${BASE}/b.css`, `${BASE}/a.png`, `${BASE}/c.png`]);
  });

  it('drops CSS it cannot read safely: escapes, image-set(), src(), an unclosed url(', () => {
    for (const css of ['background:u\\72l(http://t/x.png)', 'background-image:image-set("http://t/x.png" 1x)', 'background:src("http://t/x")', 'background:url("http://t/x']) {
      const out = sanitizeHtml(`<div style='${css}'>x</div>`);
      assert.doesNotMatch(out.html, /style=/, css);
      assert.ok(out.blockedTotal >= 1, css);
    }
  });

  it('removes comments, including conditional comments that Outlook would render', () => {
    const out = sanitizeHtml(`<p>a<!--[if mso]><img src="${BASE}/mso.png"><![endif]-->b</p>`);
    assert.doesNotMatch(out.html, /mso|<!--/);
  });

  it('parses like a browser: markup hidden in attributes or broken tags does not come back to life', () => {
    const out = sanitizeHtml(`<img src=x alt="<script>alert(1)</script>"><p title='"><img src=${BASE}/y.png>'>t</p><scr<script>ipt>alert(1)</script>`);
    assert.doesNotMatch(out.html, /<script/i);
    assert.deepEqual(remoteReferences(out.html), []);
  });

  it('keeps text, tables and presentation; marks blocks dir="auto" for right-to-left text', () => {
    const out = sanitizeHtml('<table border="1" cellpadding="4"><tr><td bgcolor="#eee" align="right">مرحبا</td></tr></table><p>Élysée</p><o:p>Outlook</o:p>');
    assert.match(out.html, /<table border="1" cellpadding="4">/);
    assert.match(out.html, /<td bgcolor="#eee" align="right" dir="auto">مرحبا<\/td>/);
    assert.match(out.html, /<p dir="auto">Élysée<\/p>Outlook/);
    assert.equal(out.blocked.length, 0);
  });

  it('lists a bounded number of blocked references from a hostile email, and counts them all', () => {
    const out = sanitizeHtml('<img src="http://t/x">'.repeat(2000));
    assert.equal(out.blocked.length, 500);
    assert.equal(out.blockedTotal, 2000);
  });
});
