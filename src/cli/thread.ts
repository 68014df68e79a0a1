/** `trove thread ID`: the conversation an email (or an attachment) belongs to, as a tree. */
import { UserError } from '../errors.ts';
import { openCase } from '../store/case-dir.ts';
import { idOf } from '../store/store.ts';
import { EXIT_OK } from './exit-codes.ts';

interface Line {
  depth: number;
  id: string | null;
  messageId: string;
  date: string | null;
  from: string | null;
  subject: string | null;
  verdict: string | null;
}

export async function run(idArg: string, opts: { case: string; json?: boolean }): Promise<number> {
  const c = openCase(opts.case, { create: false });
  try {
    const sha = await c.store.resolveId(idArg);
    if (!sha) throw new UserError('no-such-item', `No item with id ${idArg} in this case (ids are in \`trove search\` and \`trove report\`).`);
    const thread = await c.store.thread(sha);
    if (!thread) throw new UserError('no-thread', `Item ${idOf(sha)} is in no thread: only emails and their attachments are.`);
    const lines: Line[] = thread.entries.map((e) => ({
      depth: e.depth,
      id: e.sha256 ? idOf(e.sha256) : null,
      messageId: e.messageId,
      date: e.date,
      from: e.from,
      subject: e.subject,
      verdict: e.verdict,
    }));
    if (opts.json) {
      console.log(JSON.stringify({ id: thread.id, subject: thread.subject, size: thread.size, firstDate: thread.firstDate, lastDate: thread.lastDate, messages: lines }, null, 2));
      return EXIT_OK;
    }
    console.log(`Thread ${thread.id}: "${thread.subject}", ${thread.size} message${thread.size === 1 ? '' : 's'}, ${thread.firstDate?.slice(0, 10) ?? '?'} to ${thread.lastDate?.slice(0, 10) ?? '?'}`);
    for (const l of lines) {
      const indent = '  '.repeat(l.depth);
      if (l.id === null) {
        const what = l.messageId.startsWith('trove:subject:') ? 'messages sharing this subject' : `not in the trove: ${l.messageId}`;
        console.log(`${indent}· (${what})`);
      } else {
        const mark = l.id === idOf(sha) ? '▶ ' : '';
        console.log(`${indent}${mark}${l.id}  ${l.date?.slice(0, 16).replace('T', ' ') ?? '(no date)'}  ${l.verdict ?? ''}`);
        console.log(`${indent}    ${l.from ?? '(no sender)'}: ${l.subject ?? '(no subject)'}`);
      }
    }
    return EXIT_OK;
  } finally {
    await c.store.close();
  }
}
