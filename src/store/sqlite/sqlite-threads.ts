/**
 * Threads in the embedded store: the threader's input read from the case, and its output kept as
 * rows (`threads`, `thread_nodes`; search-schema.ts) so that showing a conversation of thousands of
 * messages reads one page of an index instead of threading it again.
 */
import type { DatabaseSync } from 'node:sqlite';
import { threadMessages, type Thread, type ThreadInput, type ThreadResult } from '../../threads/jwz.ts';
import { idOf, type ThreadEntry, type ThreadListing } from '../store.ts';

type Row = Record<string, string | number | bigint | null | Uint8Array>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** What the threader needs of every email in the case. */
export function threadInputs(db: DatabaseSync): ThreadInput[] {
  const out: ThreadInput[] = [];
  for (const r of db.prepare('SELECT sha256, message_id, in_reply_to, refs, subject, date FROM emails ORDER BY sha256').iterate() as Iterable<Row>) {
    out.push(threadInput(r));
  }
  return out;
}

/**
 * Stores the threader's result: each email's thread id (the item id of the thread's first message),
 * attachments in the thread of the email that carried them, and every thread's nodes in reading
 * order. Returns how many emails changed thread.
 */
export function writeThreads(db: DatabaseSync, result: ThreadResult): number {
  let changed = 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    const set = db.prepare('UPDATE search_rows SET thread = ? WHERE sha256 = ? AND thread IS NOT ?');
    for (const [sha, thread] of result.threadOf) {
      const id = idOf(thread);
      changed += Number(set.run(id, sha, id).changes);
    }
    // CROSS JOIN keeps placements as the outer loop: left to itself the planner walks every email per attachment.
    db.exec(`UPDATE search_rows SET thread = (
        SELECT e.thread FROM placements p CROSS JOIN search_rows e ON e.sha256 = p.parent
        WHERE p.sha256 = search_rows.sha256 AND e.kind = 'email' AND e.thread IS NOT NULL ORDER BY e.date, e.rowid LIMIT 1)
      WHERE kind = 'attachment'`);
    db.exec('DELETE FROM thread_nodes; DELETE FROM threads;');
    const addThread = db.prepare('INSERT INTO threads(id, subject, size, nodes, first_date, last_date) VALUES (?, ?, ?, ?, ?, ?)');
    const addNode = db.prepare('INSERT INTO thread_nodes(thread, pos, depth, message_id, sha256) VALUES (?, ?, ?, ?, ?)');
    for (const thread of result.threads) {
      const id = idOf(thread.id);
      let pos = 0;
      for (const n of readingOrder(thread)) addNode.run(id, pos++, n.depth, n.messageId, n.sha256);
      addThread.run(id, thread.subject, thread.size, pos, thread.firstDate, thread.lastDate);
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return changed;
}

/** A thread's nodes depth-first, children in the tree's (date) order. Iterative: reply chains can be deep. */
function* readingOrder(thread: Thread): Generator<{ depth: number; messageId: string; sha256: string | null }> {
  const stack = [{ node: thread.root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    yield { depth, messageId: node.messageId, sha256: node.itemId };
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, depth: depth + 1 });
  }
}

/** The thread of an item (an email, or an attachment through its email), or null. */
export function threadIdOf(db: DatabaseSync, sha256: string): string | null {
  return str((db.prepare('SELECT thread FROM search_rows WHERE sha256 = ?').get(sha256) as Row | undefined)?.thread);
}

/** The first `limit` nodes of an item's thread with what a list of messages shows, or null for an item in no thread. */
export function readThread(db: DatabaseSync, sha256: string, limit: number): ThreadListing | null {
  const id = threadIdOf(db, sha256);
  if (id === null) return null;
  const t = db.prepare('SELECT subject, size, nodes, first_date, last_date FROM threads WHERE id = ?').get(id) as Row | undefined;
  if (t === undefined) {
    const detail = db.prepare('SELECT date, from_text, subject, verdict FROM search_rows WHERE sha256 = ?');
    const entry = (depth: number, messageId: string, sha: string | null): ThreadEntry => {
      const r = sha === null ? undefined : (detail.get(sha) as Row | undefined);
      return { depth, messageId, sha256: sha, date: str(r?.date), from: str(r?.from_text), subject: str(r?.subject), verdict: str(r?.verdict) };
    };
    // A case threaded before threads were stored (opened read-only, so not migrated): thread its members now.
    const { threads } = threadMessages(threadMembers(db, id));
    const whole = threads.length === 1 ? threads[0]! : threads.find((x) => x.id.startsWith(id));
    if (!whole) return null;
    const entries: ThreadEntry[] = [];
    let total = 0;
    for (const n of readingOrder(whole)) if (total++ < limit) entries.push(entry(n.depth, n.messageId, n.sha256));
    return { id, subject: whole.subject, size: whole.size, firstDate: whole.firstDate, lastDate: whole.lastDate, total, entries };
  }
  const rows = db
    .prepare(
      `SELECT n.depth, n.message_id, n.sha256, r.date, r.from_text, r.subject, r.verdict
       FROM thread_nodes n LEFT JOIN search_rows r ON r.sha256 = n.sha256
       WHERE n.thread = ? ORDER BY n.pos LIMIT ?`,
    )
    .all(id, limit) as Row[];
  return {
    id,
    subject: String(t.subject),
    size: Number(t.size),
    firstDate: str(t.first_date),
    lastDate: str(t.last_date),
    total: Number(t.nodes),
    entries: rows.map((r) => ({ depth: Number(r.depth), messageId: String(r.message_id), sha256: str(r.sha256), date: str(r.date), from: str(r.from_text), subject: str(r.subject), verdict: str(r.verdict) })),
  };
}

/** The emails of one thread, as the threader needs them. */
function threadMembers(db: DatabaseSync, threadId: string): ThreadInput[] {
  const rows = db
    .prepare(
      `SELECT e.sha256, e.message_id, e.in_reply_to, e.refs, e.subject, e.date FROM search_rows r JOIN emails e ON e.sha256 = r.sha256
       WHERE r.thread = ? AND r.kind = 'email' ORDER BY e.sha256`,
    )
    .all(threadId) as Row[];
  return rows.map(threadInput);
}

function threadInput(r: Row): ThreadInput {
  return {
    id: String(r.sha256),
    messageId: str(r.message_id),
    inReplyTo: str(r.in_reply_to),
    references: JSON.parse(String(r.refs)) as string[],
    subject: str(r.subject),
    date: str(r.date),
  };
}
