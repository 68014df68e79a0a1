import { useEffect, useState } from 'preact/hooks';
import type { ItemResponse } from '../../../src/server/api-types.ts';
import { ApiFailure, getJson } from '../api.ts';
import { Link } from '../components/link.tsx';
import { DocumentView } from './document-view.tsx';
import { EmailView } from './email-view.tsx';

/** `/item/ID`: an email or a document, whichever the id names. */
export function ItemPage({ id }: { id: string }) {
  const [item, setItem] = useState<ItemResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    setItem(null);
    setError(null);
    getJson<ItemResponse>(`/api/items/${encodeURIComponent(id)}`, ac.signal)
      .then((it) => {
        setItem(it);
        document.title = `${it.name} · trove`;
        window.scrollTo(0, 0);
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(e instanceof ApiFailure ? e.body.message : String(e));
      });
    return () => ac.abort();
  }, [id]);
  if (error) {
    return (
      <div class="panel">
        <p class="error" role="alert">{error}</p>
        <p>
          <Link href="/">Back to search</Link>
        </p>
      </div>
    );
  }
  if (!item) return <p class="loading">Loading…</p>;
  return item.email ? <EmailView item={item} /> : <DocumentView item={item} />;
}
