/**
 * Leaked HTML email made safe to look at: nothing in it may contact the outside world (a tracking
 * pixel tells the sender who read the leak, and when) and nothing in it may run.
 *
 * Three layers, each enough on its own against remote loads:
 * 1. this rewrite: an allowlist of elements and attributes, rebuilt from a WHATWG-conformant parse
 *    (parse5 builds the same tree a browser would, so there is no "the browser reads it differently"
 *    gap); every URL that would load something is removed and listed, remote images become a
 *    visible placeholder showing their URL, `cid:` images become `data:` URLs of the attached image;
 * 2. the response's Content-Security-Policy (`FRAME_CSP` in security-headers.ts): `default-src 'none'`,
 *    images only from `data:`, no script at all;
 * 3. the `<iframe sandbox>` in the UI (no allow-scripts, no allow-same-origin, no allow-forms, no
 *    popups, no top navigation).
 *
 * CSP does not stop a document from navigating itself (a meta refresh, a click on a link), so those
 * are removed here: links keep their text and show their target on hover, never load it.
 */
import { defaultTreeAdapter, html as parse5Html, parse, serialize, type DefaultTreeAdapterTypes } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;
type Attribute = Element['attrs'][number];

/** What a blocked reference would have loaded. */
export type BlockedKind = 'image' | 'stylesheet' | 'script' | 'frame' | 'object' | 'media' | 'font-or-css' | 'refresh' | 'form' | 'prefetch' | 'other';

export interface BlockedResource {
  kind: BlockedKind;
  /** The URL as written in the email (after HTML entity decoding). */
  url: string;
  /** The element that carried it (`img`, `link`, `style` ...). */
  element: string;
}

export interface SafeHtml {
  html: string;
  /** Every reference that would have loaded something, in document order (the first MAX_BLOCKED_LISTED). */
  blocked: BlockedResource[];
  /** How many there were in all. */
  blockedTotal: number;
  /** Inline (`cid:`) images shown from the email's own parts. */
  inlineImages: number;
}

/** Resolves a `cid:` reference to a `data:` URL of a safe image type, or null. */
export type CidResolver = (contentId: string) => string | null;

/** Blocked references listed at most (a hostile email can hold millions). */
export const MAX_BLOCKED_LISTED = 500;
/** Longest URL kept in the list and in placeholders. */
const MAX_URL_CHARS = 2000;
/** Placeholder boxes are never drawn larger than this (px). */
const MAX_PLACEHOLDER_PX = 600;

/** Kept, with their children; every other HTML element is unwrapped (children kept) or dropped. */
const KEPT_ELEMENTS = new Set([
  'html', 'head', 'body', 'style',
  'div', 'span', 'p', 'br', 'hr', 'a', 'img', 'font', 'center', 'blockquote', 'pre', 'code', 'tt', 'kbd', 'samp', 'var',
  'b', 'i', 'u', 's', 'strike', 'em', 'strong', 'small', 'big', 'sub', 'sup', 'mark', 'del', 'ins', 'abbr', 'cite', 'q', 'dfn', 'time', 'wbr', 'nobr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'address',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'col', 'colgroup',
  'section', 'article', 'header', 'footer', 'main', 'nav', 'aside', 'figure', 'figcaption', 'details', 'summary', 'picture', 'label', 'fieldset', 'legend',
  'bdi', 'bdo', 'ruby', 'rt', 'rp',
]);

/** Dropped with everything inside them. */
const DROPPED_ELEMENTS = new Set([
  'script', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'noembed', 'noframes',
  'audio', 'video', 'source', 'track', 'portal', 'fencedframe', 'link', 'base', 'meta', 'title', 'xmp', 'plaintext', 'textarea', 'select',
  'input', 'canvas', 'dialog', 'slot', 'math', 'svg', 'map', 'area', 'datalist', 'option', 'optgroup',
]);

/** Attributes kept as written (presentation only; none of them loads anything). */
const KEPT_ATTRIBUTES = new Set([
  'align', 'valign', 'bgcolor', 'color', 'text', 'link', 'vlink', 'alink', 'width', 'height', 'border', 'cellpadding', 'cellspacing',
  'colspan', 'rowspan', 'dir', 'lang', 'title', 'alt', 'class', 'face', 'size', 'span', 'start', 'type', 'reversed', 'nowrap',
  'scope', 'headers', 'abbr', 'datetime', 'hspace', 'vspace', 'clear', 'role', 'open', 'value', 'translate', 'frame', 'rules', 'char', 'charoff',
]);

/** Attributes whose value is a URL (or URLs) that a browser may fetch, and what it would fetch. */
const URL_ATTRIBUTES: Record<string, BlockedKind> = {
  src: 'other', srcset: 'image', href: 'other', 'xlink:href': 'other', data: 'object', poster: 'image', background: 'image',
  action: 'form', formaction: 'form', lowsrc: 'image', dynsrc: 'media', longdesc: 'other', ping: 'other', manifest: 'other',
  codebase: 'object', archive: 'object', profile: 'other', usemap: 'other', icon: 'image', imagesrcset: 'prefetch', itemtype: 'other',
};

const KIND_BY_ELEMENT: Record<string, BlockedKind> = {
  img: 'image', image: 'image', picture: 'image', input: 'image', script: 'script', iframe: 'frame', frame: 'frame', portal: 'frame', fencedframe: 'frame',
  object: 'object', embed: 'object', applet: 'object', audio: 'media', video: 'media', source: 'media', track: 'media', form: 'form', button: 'form',
  svg: 'image', use: 'image', feimage: 'image', body: 'image', table: 'image', td: 'image', th: 'image', tr: 'image',
};

const SAFE_DATA_IMAGE = /^data:image\/(png|jpeg|jpg|gif|webp|bmp);/i;

function attr(el: Element, name: string): string | null {
  return el.attrs.find((a) => a.name === name)?.value ?? null;
}

function clip(url: string): string {
  const u = url.trim();
  return u.length > MAX_URL_CHARS ? `${u.slice(0, MAX_URL_CHARS)}…` : u;
}

/** The URLs of a `srcset` (candidates are "url descriptor", comma separated). */
function srcsetUrls(value: string): string[] {
  return value.split(/,(?=\s*\S)/).map((c) => c.trim().split(/\s+/)[0] ?? '').filter(Boolean);
}

/** `<meta http-equiv=refresh content="5; url=...">`: the URL part. */
function refreshUrl(content: string): string {
  const m = /url\s*=\s*['"]?([^'"]*)/i.exec(content);
  return m?.[1]?.trim() || content.trim();
}

function linkKind(rel: string): BlockedKind {
  const r = rel.toLowerCase();
  if (r.includes('stylesheet')) return 'stylesheet';
  if (/prefetch|preload|preconnect|prerender|modulepreload|dns-prefetch/.test(r)) return 'prefetch';
  if (r.includes('icon')) return 'image';
  return 'other';
}

/**
 * Replaces every `url(...)` in CSS text (no backslashes in it: checked before) by what `replace`
 * returns for its URL (null keeps it). Null when a `url(` is not closed: such CSS is not kept.
 */
function rewriteCssUrls(css: string, replace: (url: string) => string | null): string | null {
  let out = '';
  let i = 0;
  const re = /url\(/gi;
  for (let m = re.exec(css); m; m = re.exec(css)) {
    let j = m.index + 4;
    while (j < css.length && /\s/.test(css[j]!)) j++;
    let url: string;
    const q = css[j];
    if (q === '"' || q === "'") {
      const close = css.indexOf(q, j + 1);
      if (close < 0) return null;
      url = css.slice(j + 1, close);
      j = close + 1;
      while (j < css.length && /\s/.test(css[j]!)) j++;
      if (css[j] !== ')') return null;
    } else {
      const close = css.indexOf(')', j);
      if (close < 0) return null;
      url = css.slice(j, close).trim();
      j = close;
    }
    const replacement = replace(url);
    out += css.slice(i, m.index) + (replacement ?? css.slice(m.index, j + 1));
    i = j + 1;
    re.lastIndex = i;
  }
  return out + css.slice(i);
}

class Rewriter {
  readonly blocked: BlockedResource[] = [];
  inlineImages = 0;
  #blockedCount = 0;
  readonly #resolveCid: CidResolver;

  constructor(resolveCid: CidResolver) {
    this.#resolveCid = resolveCid;
  }

  get blockedCount(): number {
    return this.#blockedCount;
  }

  block(kind: BlockedKind, url: string, element: string): void {
    this.#blockedCount++;
    if (url.trim() === '' || this.blocked.length >= MAX_BLOCKED_LISTED) return;
    this.blocked.push({ kind, url: clip(url), element });
  }

  /**
   * CSS without anything that loads: `url(...)` becomes `none` (a data: image is kept), `@import`
   * rules go. CSS escapes can spell `url(` in ways a pattern cannot see (`u\72l(`), and
   * `image-set("...")` or `src("...")` load from plain strings, so CSS holding any of them is dropped
   * whole rather than half-understood.
   */
  css(text: string, element: string): string {
    if (text.includes('\\') || /image-set\s*\(|(?:^|[^-\w])src\s*\(/i.test(text)) {
      this.block('font-or-css', '(style rules that could not be checked safely were removed)', element);
      return '';
    }
    let out = text.replace(/@import\b[^;]*;?/gi, (rule) => {
      this.block('stylesheet', /(['"])(.*?)\1/.exec(rule)?.[2] ?? rule.replace(/^@import\s*(url\()?/i, '').replace(/\)?\s*;?$/, ''), element);
      return '';
    });
    const rewritten = rewriteCssUrls(out, (url) => {
      if (SAFE_DATA_IMAGE.test(url.trim())) return null;
      this.block('font-or-css', url, element);
      return 'none';
    });
    if (rewritten === null) {
      this.block('font-or-css', '(style rules that could not be checked safely were removed)', element);
      return '';
    }
    out = rewritten;
    return out;
  }

  /** An `<img>`'s source as it may be shown: a safe data: URL, an attached image, or null (blocked). */
  imageSource(src: string, element: string): string | null {
    const s = src.trim();
    if (SAFE_DATA_IMAGE.test(s)) return s;
    if (/^cid:/i.test(s)) {
      let id = s.slice(4);
      try {
        id = decodeURIComponent(id);
      } catch {
        // A malformed escape: look the id up as written.
      }
      const data = this.#resolveCid(id.replace(/^<|>$/g, ''));
      if (data) {
        this.inlineImages++;
        return data;
      }
      this.block('image', s, element);
      return null;
    }
    if (s !== '') this.block('image', s, element);
    return null;
  }

  /** Records what a dropped element would have loaded. */
  dropped(el: Element): void {
    const tag = el.tagName.toLowerCase();
    if (tag === 'meta') {
      const equiv = (attr(el, 'http-equiv') ?? '').toLowerCase();
      if (equiv === 'refresh') this.block('refresh', refreshUrl(attr(el, 'content') ?? ''), 'meta');
      return;
    }
    if (tag === 'link') {
      const href = attr(el, 'href');
      if (href) this.block(linkKind(attr(el, 'rel') ?? ''), href, 'link');
      const set = attr(el, 'imagesrcset');
      if (set) for (const u of srcsetUrls(set)) this.block('prefetch', u, 'link');
      return;
    }
    this.urlAttributes(el, tag);
  }

  urlAttributes(el: Element, tag: string): void {
    for (const a of el.attrs) {
      const name = qualifiedName(a);
      const kind = URL_ATTRIBUTES[name];
      if (kind === undefined) continue;
      if (tag === 'a' && (name === 'href' || name === 'xlink:href')) continue;
      const k = kind === 'other' ? (KIND_BY_ELEMENT[tag] ?? 'other') : kind;
      if (name === 'srcset' || name === 'imagesrcset') for (const u of srcsetUrls(a.value)) this.block(k, u, tag);
      else if (name === 'ping' || name === 'archive') for (const u of a.value.split(/\s+/).filter(Boolean)) this.block(k, u, tag);
      else if (!(name === 'src' && SAFE_DATA_IMAGE.test(a.value.trim()))) this.block(k, a.value, tag);
    }
  }
}

function qualifiedName(a: Attribute): string {
  return (a.prefix ? `${a.prefix}:${a.name}` : a.name).toLowerCase();
}

function isElement(n: Node): n is Element {
  return 'tagName' in n;
}

function childrenOf(n: ParentNode): ChildNode[] {
  return n.childNodes;
}

/** Replaces `node` under its parent by `replacements`. */
function replaceNode(node: ChildNode, replacements: ChildNode[]): void {
  const parent = node.parentNode;
  if (!parent) return;
  const list = childrenOf(parent);
  const i = list.indexOf(node);
  if (i < 0) return;
  list.splice(i, 1, ...replacements);
  for (const r of replacements) r.parentNode = parent;
}

function element(tag: string, attrs: Record<string, string>, text?: string): Element {
  const el = defaultTreeAdapter.createElement(tag, parse5Html.NS.HTML, Object.entries(attrs).map(([name, value]) => ({ name, value })));
  if (text !== undefined) defaultTreeAdapter.insertText(el, text);
  return el;
}

function px(value: string | null): number | null {
  if (value === null) return null;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_PLACEHOLDER_PX) : null;
}

/** The visible stand-in for a remote image: a dashed box that says what was not loaded. */
function imagePlaceholder(el: Element, url: string): Element {
  const w = px(attr(el, 'width'));
  const h = px(attr(el, 'height'));
  const size = `${w ? `width:${w}px;` : ''}${h ? `min-height:${Math.max(h, 14)}px;` : ''}`;
  const alt = attr(el, 'alt');
  const label = url ? `remote image not loaded: ${clip(url)}` : 'image not loaded';
  return element('span', { class: 'trove-blocked', title: url ? clip(url) : 'image', style: size }, alt ? `${label} (alt: ${alt})` : label);
}

const FRAME_STYLE = `
.trove-blocked{display:inline-block;box-sizing:border-box;max-width:100%;min-width:8em;padding:2px 4px;border:1px dashed #b45309;background:#fffbeb;color:#92400e;font:11px/1.3 system-ui,sans-serif;overflow-wrap:anywhere;vertical-align:middle}
.trove-link{text-decoration:underline dotted;color:#1d4ed8;cursor:help}
`;

/**
 * Rewrites one HTML document. Pure: the email's HTML and a cid resolver in, safe HTML and the list
 * of what was blocked out.
 */
export function sanitizeHtml(input: string, resolveCid: CidResolver = () => null): SafeHtml {
  // scriptingEnabled: false parses <noscript> content as markup, as a browser without scripts does.
  const doc = parse(input, { scriptingEnabled: false });
  const rw = new Rewriter(resolveCid);

  const walk = (parent: ParentNode): void => {
    // A copy: the list changes as nodes are replaced.
    for (const node of [...childrenOf(parent)]) {
      if (node.nodeName === '#comment' || node.nodeName === '#documentType') {
        // Comments can hold IE conditional markup (<!--[if mso]><link ...><![endif]-->): dropped.
        if (node.nodeName === '#comment') replaceNode(node, []);
        continue;
      }
      if (!isElement(node)) continue;
      const tag = node.tagName.toLowerCase();
      const html = node.namespaceURI === parse5Html.NS.HTML;
      if (!html || DROPPED_ELEMENTS.has(tag)) {
        rw.dropped(node);
        walkDropped(node);
        replaceNode(node, tag === 'iframe' || tag === 'frame' || tag === 'object' || tag === 'embed'
          ? [element('span', { class: 'trove-blocked' }, `${tag} not loaded${attr(node, 'src') ?? attr(node, 'data') ? `: ${clip(attr(node, 'src') ?? attr(node, 'data') ?? '')}` : ''}`)]
          : []);
        continue;
      }
      if (tag === 'img') {
        rewriteImage(node);
        continue;
      }
      if (tag === 'style') {
        for (const t of node.childNodes) if (t.nodeName === '#text') (t as DefaultTreeAdapterTypes.TextNode).value = rw.css((t as DefaultTreeAdapterTypes.TextNode).value, 'style');
        node.attrs = [];
        continue;
      }
      rw.urlAttributes(node, tag);
      node.attrs = keptAttributes(node, tag);
      walk(node);
      if (!KEPT_ELEMENTS.has(tag)) {
        // Unknown or unsafe-but-textual elements (form, o:p, custom tags): keep the content only.
        replaceNode(node, node.childNodes);
      }
    }
  };

  /** Lists what is inside a dropped element (a <video> with <source>s, a <noscript> with an <img>). */
  const walkDropped = (el: Element): void => {
    const kids = (el as DefaultTreeAdapterTypes.Template).content ? [...el.childNodes, ...(el as DefaultTreeAdapterTypes.Template).content.childNodes] : el.childNodes;
    for (const k of kids) {
      if (!isElement(k)) continue;
      rw.dropped(k);
      if (k.tagName.toLowerCase() === 'img') for (const u of [attr(k, 'src'), ...srcsetUrls(attr(k, 'srcset') ?? '')]) if (u) rw.block('image', u, 'img');
      walkDropped(k);
    }
  };

  const keptAttributes = (el: Element, tag: string): Attribute[] => {
    const out: Attribute[] = [];
    for (const a of el.attrs) {
      const name = qualifiedName(a);
      if (a.namespace || a.prefix) continue;
      if (name === 'style') {
        const css = rw.css(a.value, tag);
        if (css.trim() !== '') out.push({ name: 'style', value: css });
      } else if (KEPT_ATTRIBUTES.has(name) || name.startsWith('aria-')) {
        out.push({ name, value: a.value });
      }
    }
    if (tag === 'a') {
      const href = attr(el, 'href');
      if (href && href.trim().startsWith('#')) out.push({ name: 'href', value: href.trim() });
      else if (href) {
        // Never followed: a click would navigate the frame to the sender's server.
        const title = out.find((a) => a.name === 'title');
        const text = `link (not followed): ${clip(href)}`;
        if (title) title.value = `${title.value} — ${text}`;
        else out.push({ name: 'title', value: text });
        const cls = out.find((a) => a.name === 'class');
        if (cls) cls.value = `${cls.value} trove-link`;
        else out.push({ name: 'class', value: 'trove-link' });
      }
    }
    // `dir="auto"` on blocks lets right-to-left paragraphs lay out by their own script.
    if ((tag === 'body' || tag === 'p' || tag === 'div' || tag === 'td') && !out.some((a) => a.name === 'dir')) out.push({ name: 'dir', value: 'auto' });
    return dedupe(out);
  };

  const rewriteImage = (img: Element): void => {
    const srcset = attr(img, 'srcset');
    if (srcset) for (const u of srcsetUrls(srcset)) rw.block('image', u, 'img');
    for (const a of ['lowsrc', 'dynsrc', 'longdesc', 'usemap']) {
      const v = attr(img, a);
      if (v) rw.block(a === 'usemap' ? 'other' : 'image', v, 'img');
    }
    const src = attr(img, 'src') ?? '';
    const shown = rw.imageSource(src, 'img');
    if (shown === null) {
      replaceNode(img, [imagePlaceholder(img, src.trim() || (srcset ? srcsetUrls(srcset)[0] ?? '' : ''))]);
      return;
    }
    img.attrs = [...keptAttributes(img, 'img').filter((a) => a.name !== 'src'), { name: 'src', value: shown }];
  };

  walk(doc);
  const head = findElement(doc, 'head');
  if (head) {
    childrenOf(head).unshift(element('meta', { charset: 'utf-8' }), element('style', {}, FRAME_STYLE));
    for (const c of childrenOf(head)) c.parentNode = head;
  }
  return { html: serialize(doc), blocked: rw.blocked, blockedTotal: rw.blockedCount, inlineImages: rw.inlineImages };
}

function dedupe(attrs: Attribute[]): Attribute[] {
  const seen = new Set<string>();
  return attrs.filter((a) => (seen.has(a.name) ? false : (seen.add(a.name), true)));
}

function findElement(n: ParentNode, tag: string): Element | null {
  for (const c of childrenOf(n)) {
    if (!isElement(c)) continue;
    if (c.tagName === tag) return c;
    const inner = findElement(c, tag);
    if (inner) return inner;
  }
  return null;
}
