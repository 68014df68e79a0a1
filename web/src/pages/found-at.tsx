import type { ItemResponse } from '../../../src/server/api-types.ts';
import { ItemList } from '../components/item-list.tsx';

/** Every place the item was found, and the emails or containers that held it. */
export function FoundAt({ item }: { item: ItemResponse }) {
  return (
    <section class="panel found-at" aria-label="Found at">
      <h2>Found at {item.paths.length === 1 ? '1 place' : `${item.paths.length} places`}</h2>
      <ul class="paths">
        {item.paths.map((p) => (
          <li key={p} class="mono" dir="auto">{p}</li>
        ))}
      </ul>
      {item.parents.length > 0 && (
        <>
          <h3>Inside</h3>
          <ItemList items={item.parents} />
        </>
      )}
      <p class="muted mono sha">SHA-256 {item.sha256}</p>
    </section>
  );
}
