/** What every sub-app of the server reads from: the case, opened read-only. */
import type { Store } from '../store/store.ts';

/** The reads the server makes of a case (a Store, or a pool of read-only Stores in worker threads). */
export type CaseReader = Pick<Store, 'search' | 'resolveId' | 'item' | 'thread' | 'timeline' | 'correspondents' | 'stats' | 'items'>;

export interface ServerContext {
  store: CaseReader;
  /** The extracted text of a document (or of an HTML-only email): Store.item() gives only its length. */
  text: (sha256: string) => Promise<string | null>;
  /** Where an item's original bytes are (never modified; only read). */
  blobPath: (sha256: string) => string;
  caseDir: string;
  /** Changes whenever the case does (a commit by any connection): what answers may be kept for. */
  generation?: () => string;
}
