/**
 * A document's extracted text, read straight from the case database: `Store.item()` reports only its
 * length (`extracted.textChars`). Kept here, read-only, until the Store grows a method for it.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface DocumentTexts {
  /** The extracted text of a document (or of an HTML-only email), or null. */
  text(sha256: string): string | null;
}

export class SqliteDocumentTexts implements DocumentTexts {
  readonly #select: StatementSync;

  constructor(db: DatabaseSync) {
    this.#select = db.prepare('SELECT text FROM extracted WHERE sha256 = ?');
  }

  text(sha256: string): string | null {
    const row = this.#select.get(sha256) as { text: string | null } | undefined;
    return row?.text ?? null;
  }
}
