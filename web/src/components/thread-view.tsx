import { useEffect, useState } from 'preact/hooks';
import type { ThreadResponse } from '../../../src/server/api-types.ts';
import { getJson } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { itemHref, searchHref } from '../router.ts';
import { Link } from './link.tsx';
import { VerdictBadge } from './verdict-badge.tsx';

/** Indentation stops here: a 300-reply chain stays readable. */
const MAX_INDENT = 8;

/** The conversation around an item, as an indented tree; messages not in the trove are shown as gaps. */
export function ThreadView({ id, current }: { id: string; current: string }) {
  const [thread, setThread] = useState<ThreadResponse | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const ac = new AbortController();
    setThread(null);
    getJson<ThreadResponse>(`/api/threads/${id}`, ac.signal).then(setThread).catch((e: unknown) => {
      if ((e as Error).name !== 'AbortError') setFailed(true);
    });
    return () => ac.abort();
  }, [id]);
  // A message alone in its thread has no conversation to show.
  if (failed || (thread && thread.messages.length <= 1)) return null;
  if (!thread) return <p class="muted">Loading the thread…</p>;
  return (
    <section class="panel thread" aria-label="Thread">
      <h2>
        Thread <span class="muted">({thread.size} message{thread.size === 1 ? '' : 's'}, {thread.firstDate?.slice(0, 10) ?? '?'} to {thread.lastDate?.slice(0, 10) ?? '?'})</span>
      </h2>
      <ol class="thread-list">
        {thread.messages.map((m, i) => (
          <li key={`${m.messageId}-${i}`} class={m.id === current ? 'current' : undefined} style={{ paddingInlineStart: `${Math.min(m.depth, MAX_INDENT) * 1.1}rem` }}>
            {m.id === null ? (
              <span class="muted gap">{m.messageId.startsWith('trove:subject:') ? 'messages sharing this subject' : `not in the trove: ${m.messageId}`}</span>
            ) : (
              <>
                <VerdictBadge verdict={m.verdict} />
                {m.id === current ? (
                  <b dir="auto" class="thread-subject">{m.subject ?? '(no subject)'}</b>
                ) : (
                  <Link href={itemHref(m.id)} class="thread-subject">
                    <span dir="auto">{m.subject ?? '(no subject)'}</span>
                  </Link>
                )}
                <span class="muted thread-meta">
                  <span dir="auto">{m.from ?? ''}</span> · {formatDateTime(m.date)}
                </span>
              </>
            )}
          </li>
        ))}
      </ol>
      {thread.truncated && <p class="muted">The first {thread.messages.length} messages are shown.</p>}
      <p>
        <Link href={searchHref(`thread:${thread.id}`)}>Every item of this thread in search</Link>
      </p>
    </section>
  );
}
