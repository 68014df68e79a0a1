/**
 * `/api/items`: one item with its evidence, its text, the diff of an altered copy against its
 * original, the safe HTML of an email, and the original bytes (always as a download).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { diffWordsWithSpace } from 'diff';
import { Hono } from 'hono';
import { idOf, type ItemView } from '../store/store.ts';
import type {
  DiffPart,
  DiffResponse,
  DocumentAssessmentView,
  EmailView,
  HeadersResponse,
  ItemResponse,
  ItemSummary,
  RemoteContentResponse,
  TextResponse,
} from './api-types.ts';
import type { ServerContext } from './context.ts';
import { baseName, dkimView, itemName, itemSummary, signalsOf } from './describe.ts';
import { imageTypeOf, loadEmailHtml, type EmailHtml } from './email-html.ts';
import { badRequest, notFound } from './http-errors.ts';
import { DOWNLOAD_CSP, FRAME_CSP } from './security-headers.ts';

/** Text sent at most per item (characters); the rest is in the download. */
export const MAX_TEXT_CHARS = 2_000_000;
/** Attachments or archive members described one by one at most. */
export const MAX_CHILDREN_LISTED = 200;
/** Carrying emails and containers described at most. */
const MAX_PARENTS_LISTED = 20;
/** Characters of each text compared by the side-by-side diff. */
const MAX_DIFF_CHARS = 300_000;
/** A word diff gives up past this many edits (and the page says the texts differ too much). */
const MAX_DIFF_EDITS = 5000;
/** Bytes of an email read to tell whether it has an HTML part without parsing it. */
const HTML_SNIFF_BYTES = 256 * 1024;
/** Raw header block returned at most (bytes). */
const MAX_HEADER_BYTES = 256 * 1024;
/** Emails whose safe HTML is kept in memory (the frame and the list of blocked content ask in turn). */
const HTML_CACHE_SIZE = 16;

const PREVIEW_FORMATS = new Set(['jpeg', 'png', 'gif', 'webp']);

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** true / false when the first bytes tell, null when only parsing the whole message would. */
async function sniffHtml(path: string, emailHtml: string | null): Promise<boolean | null> {
  if (emailHtml !== null) return true;
  try {
    const head = await readHead(path, HTML_SNIFF_BYTES);
    if (/content-type:\s*text\/html/i.test(head.toString('latin1'))) return true;
    return head.length < HTML_SNIFF_BYTES ? false : null;
  } catch {
    return null;
  }
}

/** RFC 6266 Content-Disposition: an ASCII fallback and the UTF-8 name. */
export function attachmentDisposition(name: string): string {
  // Control characters, slashes and backslashes never reach a file name on the user's disk.
  const clean = [...name].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '/' || ch === '\\' ? '_' : ch)).join('').slice(0, 200) || 'download';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

export function itemsApi(ctx: ServerContext): Hono {
  const app = new Hono();
  const htmlCache = new Map<string, Promise<EmailHtml>>();

  async function view(idArg: string): Promise<ItemView> {
    if (!/^[0-9a-fA-F]{6,64}$/.test(idArg)) throw badRequest('bad-id', `"${idArg.slice(0, 80)}" is not an item id: ids are 16 hex digits (a prefix of 6 or more works).`);
    const sha = await ctx.store.resolveId(idArg);
    if (!sha) throw notFound('no-such-item', `No item ${idArg} in this case.`);
    const v = await ctx.store.item(sha);
    if (!v) throw notFound('no-such-item', `No item ${idArg} in this case.`);
    return v;
  }

  async function summaryOf(sha256: string, name?: string): Promise<ItemSummary> {
    const v = await ctx.store.item(sha256);
    if (v) return itemSummary(v, name);
    return { id: idOf(sha256), kind: 'unknown', format: 'unknown', size: 0, name: name ?? idOf(sha256), verdict: null, summary: null, date: null };
  }

  function emailHtml(v: ItemView): Promise<EmailHtml> {
    let p = htmlCache.get(v.sha256);
    if (!p) {
      p = loadEmailHtml(ctx.blobPath(v.sha256));
      htmlCache.set(v.sha256, p);
      p.catch(() => htmlCache.delete(v.sha256));
      if (htmlCache.size > HTML_CACHE_SIZE) htmlCache.delete(htmlCache.keys().next().value!);
    }
    return p;
  }

  async function assessmentView(v: ItemView): Promise<DocumentAssessmentView | null> {
    const a = v.assessment;
    if (!a) return null;
    const alt = a.evidence.alteredFrom;
    return {
      verdict: a.verdict,
      summary: a.summary,
      provenance: a.evidence.provenance,
      alteredFrom: alt
        ? {
            originalId: alt.originalId,
            original: await summaryOf(alt.original),
            similarity: alt.similarity,
            changes: alt.text.changes,
            removedWords: alt.text.removedWords,
            addedWords: alt.text.addedWords,
            truncated: alt.text.truncated,
            metadata: alt.metadata,
          }
        : null,
      nearDuplicates: a.evidence.nearDuplicates.map((n) => ({ id: n.id, similarity: n.similarity })),
    };
  }

  app.get('/:id', async (c) => {
    const v = await view(c.req.param('id'));
    const e = v.email;
    let email: EmailView | null = null;
    if (e) {
      const text = e.text ?? (e.html !== null ? await ctx.text(v.sha256) : null);
      email = {
        messageId: e.messageId,
        date: e.date,
        dateRaw: e.dateRaw,
        tzOffsetMinutes: e.tzOffsetMinutes,
        dateError: e.dateError,
        from: e.from,
        sender: e.sender,
        replyTo: e.replyTo,
        to: e.to,
        cc: e.cc,
        bcc: e.bcc,
        subject: e.subject,
        inReplyTo: e.inReplyTo,
        references: e.references,
        text: text && text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text,
        textTruncated: (text?.length ?? 0) > MAX_TEXT_CHARS,
        hasHtml: await sniffHtml(ctx.blobPath(v.sha256), e.html),
        attachmentCount: e.attachmentCount,
      };
    }
    const children: ItemSummary[] = [];
    for (const ch of v.children.slice(0, MAX_CHILDREN_LISTED)) children.push(await summaryOf(ch.sha256, ch.name.replace(/^[/#]/, '')));
    const parents: ItemSummary[] = [];
    for (const p of v.parents.slice(0, MAX_PARENTS_LISTED)) parents.push(await summaryOf(p));
    const verdict = v.verification?.verdict ?? v.assessment?.verdict ?? null;
    const body: ItemResponse = {
      id: v.id,
      sha256: v.sha256,
      kind: v.kind,
      format: v.format,
      size: v.size,
      status: v.status,
      error: v.error,
      notes: v.notes,
      paths: v.paths,
      name: itemName(v),
      verdict,
      summary: v.verification?.summary ?? v.assessment?.summary ?? null,
      email,
      dkim: dkimView(v),
      assessment: await assessmentView(v),
      signals: signalsOf(v),
      extracted: v.extracted,
      children,
      childrenTotal: v.children.length,
      parents,
      messageIdConflicts: v.messageIdConflicts.map(idOf),
      thread: v.thread,
      preview: PREVIEW_FORMATS.has(v.format) ? 'image' : null,
      rawUrl: `/api/items/${v.id}/raw`,
    };
    return c.json(body);
  });

  app.get('/:id/text', async (c) => {
    const v = await view(c.req.param('id'));
    const text = v.email?.text ?? (await ctx.text(v.sha256));
    const body: TextResponse = {
      id: v.id,
      text: text && text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text,
      chars: text?.length ?? 0,
      truncated: (text?.length ?? 0) > MAX_TEXT_CHARS,
    };
    return c.json(body);
  });

  app.get('/:id/diff', async (c) => {
    const v = await view(c.req.param('id'));
    const alt = v.assessment?.evidence.alteredFrom;
    if (!alt) throw notFound('not-an-altered-copy', `Item ${v.id} is not an altered copy of another document: there is nothing to compare it with.`);
    const original = (await ctx.text(alt.original)) ?? '';
    const copy = (await ctx.text(v.sha256)) ?? '';
    const tooLong = original.length > MAX_DIFF_CHARS || copy.length > MAX_DIFF_CHARS;
    const a = original.slice(0, MAX_DIFF_CHARS);
    const b = copy.slice(0, MAX_DIFF_CHARS);
    const changes = diffWordsWithSpace(a, b, { maxEditLength: MAX_DIFF_EDITS });
    let parts: DiffPart[];
    if (changes) parts = changes.map((ch) => ({ op: ch.added ? '+' : ch.removed ? '-' : '=', text: ch.value }));
    else parts = [{ op: '-', text: a }, { op: '+', text: b }];
    const body: DiffResponse = {
      id: v.id,
      original: await summaryOf(alt.original),
      similarity: alt.similarity,
      parts,
      truncated: tooLong || !changes,
      metadata: alt.metadata,
    };
    return c.json(body);
  });

  app.get('/:id/headers', async (c) => {
    const v = await view(c.req.param('id'));
    if (!v.email) throw notFound('not-an-email', `Item ${v.id} is not an email: it has no header block.`);
    const head = await readHead(ctx.blobPath(v.sha256), MAX_HEADER_BYTES);
    const text = head.toString('latin1');
    const end = text.search(/\r?\n\r?\n/);
    const block = head.subarray(0, end < 0 ? head.length : end);
    // Headers are ASCII by the RFC; raw UTF-8 (RFC 6532) is shown as such, anything else byte for byte.
    const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(block);
    const body: HeadersResponse = { id: v.id, raw: utf8.includes('\uFFFD') ? block.toString('latin1') : utf8 };
    return c.json(body);
  });

  app.get('/:id/remote-content', async (c) => {
    const v = await view(c.req.param('id'));
    if (!v.email) throw notFound('not-an-email', `Item ${v.id} is not an email.`);
    const h = await emailHtml(v);
    const body: RemoteContentResponse = { id: v.id, hasHtml: h.hasHtml, blocked: h.blocked, blockedTotal: h.blockedTotal, inlineImages: h.inlineImages };
    return c.json(body);
  });

  /** The email's HTML, rewritten, as a document of its own: the UI shows it in `<iframe sandbox>`. */
  app.get('/:id/html', async (c) => {
    const v = await view(c.req.param('id'));
    if (!v.email) throw notFound('not-an-email', `Item ${v.id} is not an email.`);
    const h = await emailHtml(v);
    if (!h.hasHtml) throw notFound('no-html', `Email ${v.id} has no HTML part; its text is shown instead.`);
    return c.body(h.html, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': FRAME_CSP,
      'X-Frame-Options': 'SAMEORIGIN',
      'Cache-Control': 'no-store',
    });
  });

  /** An image shown in the page: only formats recognised by their magic bytes, and checked again here. */
  app.get('/:id/preview', async (c) => {
    const v = await view(c.req.param('id'));
    if (!PREVIEW_FORMATS.has(v.format)) throw notFound('no-preview', `Item ${v.id} (${v.format}) is not an image that can be shown; download it instead.`);
    const path = ctx.blobPath(v.sha256);
    const type = imageTypeOf(await readHead(path, 16));
    if (!type) throw notFound('no-preview', `Item ${v.id} is not an image that can be shown; download it instead.`);
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, {
      'Content-Type': type,
      'Content-Length': String((await stat(path)).size),
      'Content-Security-Policy': DOWNLOAD_CSP,
      'Content-Disposition': 'inline',
      'Cache-Control': 'private, max-age=3600',
    });
  });

  /** The original bytes, exactly as found, always as a download (never rendered by the browser). */
  app.get('/:id/raw', async (c) => {
    const v = await view(c.req.param('id'));
    const path = ctx.blobPath(v.sha256);
    const first = v.paths[0] ? baseName(v.paths[0]) : '';
    const name = v.kind === 'email' ? `${v.id}.eml` : first.replace(/#\d+$/, '') || `${v.id}.bin`;
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, {
      'Content-Type': v.kind === 'email' ? 'message/rfc822' : 'application/octet-stream',
      'Content-Length': String((await stat(path)).size),
      'Content-Disposition': attachmentDisposition(name),
      'Content-Security-Policy': DOWNLOAD_CSP,
      'Cache-Control': 'private, no-store',
    });
  });

  return app;
}
