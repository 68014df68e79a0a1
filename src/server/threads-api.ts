/** `/api/threads`: the conversation around an email (or the email that carried an attachment), as a flat tree. */
import { Hono } from 'hono';
import { idOf } from '../store/store.ts';
import type { ThreadResponse } from './api-types.ts';
import type { ServerContext } from './context.ts';
import { badRequest, notFound } from './http-errors.ts';

/**
 * Lines listed at most: a conversation of thousands (a mailing list, a newsletter) stays a page; the
 * whole of it is one `thread:` search away.
 */
export const MAX_THREAD_MESSAGES = 500;

export function threadsApi(ctx: ServerContext): Hono {
  const app = new Hono();
  app.get('/:id', async (c) => {
    const idArg = c.req.param('id');
    if (!/^[0-9a-fA-F]{6,64}$/.test(idArg)) throw badRequest('bad-id', `"${idArg.slice(0, 80)}" is not an item id.`);
    const sha = await ctx.store.resolveId(idArg);
    if (!sha) throw notFound('no-such-item', `No item ${idArg} in this case.`);
    const thread = await ctx.store.thread(sha, MAX_THREAD_MESSAGES);
    if (!thread) throw notFound('no-thread', `Item ${idOf(sha)} is in no thread: only emails and their attachments are.`);
    const body: ThreadResponse = {
      id: thread.id,
      subject: thread.subject,
      size: thread.size,
      firstDate: thread.firstDate,
      lastDate: thread.lastDate,
      messages: thread.entries.map((e) => ({ depth: e.depth, id: e.sha256 ? idOf(e.sha256) : null, messageId: e.messageId, date: e.date, from: e.from, subject: e.subject, verdict: e.verdict })),
      truncated: thread.total > thread.entries.length,
    };
    return c.json(body);
  });
  return app;
}
