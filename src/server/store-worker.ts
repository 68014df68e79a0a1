/**
 * One worker thread of the server's store pool (store-pool.ts): its own read-only connection to the
 * case, answering one call at a time. Errors travel back as data and become the same classes again
 * on the other side, so the HTTP error mapping does not know threads exist.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { QuerySyntaxError } from '../search/search-types.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { SqliteDocumentTexts } from './document-text.ts';
import type { PoolCall, PoolReply } from './store-pool.ts';

const store = new SqliteStore((workerData as { dbFile: string }).dbFile, { readOnly: true });
const texts = new SqliteDocumentTexts(store.db);

async function answer(call: PoolCall): Promise<unknown> {
  switch (call.method) {
    case 'search':
      return store.search(call.args[0]);
    case 'resolveId':
      return store.resolveId(call.args[0]);
    case 'item':
      return store.item(call.args[0]);
    case 'thread':
      return store.thread(call.args[0], call.args[1]);
    case 'timeline':
      return store.timeline(call.args[0], call.args[1]);
    case 'correspondents':
      return store.correspondents(call.args[0], call.args[1]);
    case 'stats':
      return store.stats();
    case 'text':
      return texts.text(call.args[0]);
  }
}

parentPort!.on('message', (call: PoolCall) => {
  answer(call).then(
    (value) => parentPort!.postMessage({ id: call.id, ok: true, value } satisfies PoolReply),
    (err: unknown) => {
      const error: PoolReply['error'] =
        err instanceof QuerySyntaxError ? { kind: 'query', query: err.query, detail: err.error, message: err.message }
        : err instanceof UserError ? { kind: 'user', code: err.code, message: err.message }
        : { kind: 'internal', message: (err as Error)?.stack ?? String(err) };
      parentPort!.postMessage({ id: call.id, ok: false, error } satisfies PoolReply);
    },
  );
});
