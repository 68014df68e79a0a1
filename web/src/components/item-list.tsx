import type { ItemSummary } from '../../../src/server/api-types.ts';
import { formatBytes } from '../format.ts';
import { itemHref } from '../router.ts';
import { Link } from './link.tsx';
import { VerdictBadge } from './verdict-badge.tsx';

/** Attachments, carrying emails, archive members: each with its own verdict and a link to it. */
export function ItemList({ items, empty, download }: { items: ItemSummary[]; empty?: string; download?: boolean }) {
  if (items.length === 0) return empty ? <p class="muted">{empty}</p> : null;
  return (
    <ul class="item-list">
      {items.map((it) => (
        <li key={it.id}>
          <VerdictBadge verdict={it.verdict} />
          <Link href={itemHref(it.id)} class="item-list-name">
            <span dir="auto">{it.name}</span>
          </Link>
          <span class="muted">
            {it.kind === 'email' ? 'email' : it.format} · {formatBytes(it.size)}
          </span>
          {download && (
            <a class="download-link" href={`/api/items/${it.id}/raw`} download title="Download the original bytes">
              download
            </a>
          )}
          {it.summary && <p class="item-list-summary">{it.summary}</p>}
        </li>
      ))}
    </ul>
  );
}
