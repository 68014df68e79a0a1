/** `/api/threads`: the conversation around an email (or the email that carried an attachment), as a flat tree. */
import { Hono } from 'hono';
import { MAX_SEARCH_LIMIT, type SearchHit } from '../search/search-types.ts';
import { idOf } from '../store/store.ts';
import type { ThreadNode } from '../threads/jwz.ts';
import type { ThreadMessage, ThreadResponse } from './api-types.ts';
import type { ServerContext } from './context.ts';
import { badRequest, notFound } from './http-errors.ts';

/** Messages listed at most; a 200,000-message "thread" (a mailing list digest) stays a page. */
export const MAX_THREAD_MESSAGES = 2000;
/** Threads kept built, and for how long: every message of a conversation asks for the same one. */
const THREAD_CACHE_ENTRIES = 256;
export const THREAD_CACHE_SECONDS = 60;

/**
 * `cacheSeconds`: how long a built thread is answered from memory (0: never). Threading a long
 * conversation is the costliest read the UI makes, and every message of it asks for the same tree;
 * a trove being ingested while served shows new replies after at most this long.
 */
export function threadsApi(ctx: ServerContext, cacheSeconds = THREAD_CACHE_SECONDS): Hono {
  const app = new Hono();
  const cache = new Map<string, { at: number; body: ThreadResponse }>();
  app.get('/:id', async (c) => {
    const idArg = c.req.param('id');
    if (!/^[0-9a-fA-F]{6,64}$/.test(idArg)) throw badRequest('bad-id', `"${idArg.slice(0, 80)}" is not an item id.`);
    const sha = await ctx.store.resolveId(idArg);
    if (!sha) throw notFound('no-such-item', `No item ${idArg} in this case.`);
    const cached = cache.get(sha);
    if (cached && performance.now() - cached.at < cacheSeconds * 1000) return c.json(cached.body);
    const thread = await ctx.store.thread(sha);
    if (!thread) throw notFound('no-thread', `Item ${idOf(sha)} is in no thread: only emails and their attachments are.`);
    // Subjects, senders, dates and verdicts of every member in one query rather than one per message.
    const known = new Map<string, SearchHit>();
    for (let offset = 0; offset < MAX_THREAD_MESSAGES; offset += MAX_SEARCH_LIMIT) {
      const page = await ctx.store.search({ query: `thread:${thread.id} type:email`, limit: MAX_SEARCH_LIMIT, offset, sort: 'oldest', facets: false });
      for (const h of page.hits) known.set(h.id, h);
      if (page.hits.length < MAX_SEARCH_LIMIT) break;
    }
    const messages: ThreadMessage[] = [];
    let truncated = false;
    // Iterative walk: threads can be deep (a long reply chain).
    const stack: { node: ThreadNode; depth: number }[] = [{ node: thread.root, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (messages.length >= MAX_THREAD_MESSAGES) {
        truncated = true;
        break;
      }
      const id = node.itemId ? idOf(node.itemId) : null;
      const hit = id ? known.get(id) : undefined;
      messages.push({ depth, id, messageId: node.messageId, date: hit?.date ?? null, from: hit?.from ?? null, subject: hit?.subject ?? null, verdict: hit?.verdict ?? null });
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, depth: depth + 1 });
    }
    const body: ThreadResponse = { id: thread.id, subject: thread.subject, size: thread.size, firstDate: thread.firstDate, lastDate: thread.lastDate, messages, truncated };
    if (cacheSeconds > 0) {
      cache.delete(sha);
      cache.set(sha, { at: performance.now(), body });
      if (cache.size > THREAD_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    }
    return c.json(body);
  });
  return app;
}
