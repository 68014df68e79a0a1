import type { ApiErrorBody } from '../../../src/server/api-types.ts';

/** The query with the faulty part underlined and the message, as `trove search` prints it. */
export function QueryError({ error }: { error: ApiErrorBody }) {
  const q = error.query ?? '';
  const pos = Math.min(error.position ?? 0, q.length);
  const len = Math.max(1, error.length ?? 1);
  const before = q.slice(0, pos);
  const bad = q.slice(pos, pos + len);
  const after = q.slice(pos + len);
  return (
    <div class="query-error" role="alert">
      <pre class="query-error-line">
        {before}
        <span class="query-error-mark">{bad || '\u00a0'}</span>
        {after}
        {'\n'}
        {' '.repeat([...before].length)}
        <span class="query-error-caret">{'^' + '~'.repeat(Math.max(0, [...bad].length - 1))}</span>
      </pre>
      <p class="query-error-message">{error.message}</p>
    </div>
  );
}
