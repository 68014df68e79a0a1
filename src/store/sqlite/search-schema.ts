/**
 * The search index of the embedded store, beside the case tables (`schema.ts`) and kept up to date in
 * the same transactions as them (`search-index.ts`).
 *
 * - `search_rows`: one row per item, with everything a filter or a facet needs in plain columns
 *   (kind, format, size, verdict, the sender's calendar day, the sender's domain, thread), so that a
 *   facet is one pass over integers and short strings, never a JSON parse.
 * - `search_fts`: FTS5 over the text fields of the query language (`fields.ts` `columns`). It stores
 *   no copy of the text: its content is the view `search_content`, which reads bodies where ingest
 *   already keeps them (emails.text, or extracted.text for documents and HTML-only emails). The
 *   tokenizer folds case and accents (`remove_diacritics 2`: "Élysée" is "elysee").
 * - `search_domains`: every domain of every address on an email, with each parent domain, so that
 *   `domain:en-marche.fr` finds `paris.en-marche.fr` through an index.
 * - `search_signals`: forensic signal codes per item (`signal:`), filled by the forensics stage.
 * - `extracted`: text (and metadata) read from items that are not emails with a text part.
 * - `threads`, `thread_nodes`: every conversation as the threader built it at the end of the last
 *   ingest, each node (a message, or a gap for one the trove lacks) in reading order (depth-first,
 *   date-sorted) with its depth, so that showing a thread of thousands reads one page of rows.
 */

/** The text columns of `search_fts`, in order; `fields.ts` names them in `columns`. */
export const FTS_COLUMNS = ['from', 'to', 'cc', 'subject', 'body', 'filename'] as const;
export type FtsColumn = (typeof FTS_COLUMNS)[number];

/** bm25 weights, in FTS_COLUMNS order: a word in the subject or a file name says more than one in a body. */
export const FTS_WEIGHTS: Record<FtsColumn, number> = { from: 3, to: 2, cc: 1.5, subject: 5, body: 1, filename: 4 };

const quoted = FTS_COLUMNS.map((c) => `"${c}"`).join(', ');

export const SEARCH_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS extracted (
  sha256 TEXT PRIMARY KEY,
  text TEXT,
  metadata TEXT,
  extractor TEXT NOT NULL,
  minhash BLOB,
  facts TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_rows (
  rowid INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  format TEXT NOT NULL,
  size INTEGER NOT NULL,
  verdict TEXT,
  date TEXT,
  day TEXT,
  from_address TEXT,
  from_domain TEXT,
  has_attachment INTEGER NOT NULL DEFAULT 0,
  thread TEXT,
  from_text TEXT,
  to_text TEXT,
  cc_text TEXT,
  subject TEXT,
  filenames TEXT
);
CREATE INDEX IF NOT EXISTS search_rows_date ON search_rows(date);
CREATE INDEX IF NOT EXISTS search_rows_day ON search_rows(day);
CREATE INDEX IF NOT EXISTS search_rows_verdict ON search_rows(verdict);
CREATE INDEX IF NOT EXISTS search_rows_thread ON search_rows(thread);
CREATE INDEX IF NOT EXISTS search_rows_kind ON search_rows(kind, format);
CREATE INDEX IF NOT EXISTS search_rows_from ON search_rows(from_domain);
CREATE INDEX IF NOT EXISTS search_rows_size ON search_rows(size);
CREATE INDEX IF NOT EXISTS search_rows_attached ON search_rows(has_attachment) WHERE has_attachment = 1;
CREATE TABLE IF NOT EXISTS search_domains (
  domain TEXT NOT NULL,
  row INTEGER NOT NULL,
  PRIMARY KEY (domain, row)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_signals (
  signal TEXT NOT NULL,
  row INTEGER NOT NULL,
  PRIMARY KEY (signal, row)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_addresses (
  row INTEGER NOT NULL,
  role TEXT NOT NULL,
  address TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (row, role, address)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_addresses_address ON search_addresses(address, role);
CREATE TABLE IF NOT EXISTS threads (
  id TEXT PRIMARY KEY,
  subject TEXT NOT NULL,
  size INTEGER NOT NULL,
  nodes INTEGER NOT NULL,
  first_date TEXT,
  last_date TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS thread_nodes (
  thread TEXT NOT NULL,
  pos INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  sha256 TEXT,
  PRIMARY KEY (thread, pos)
) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS search_content AS
  SELECT r.rowid AS rowid, r.from_text AS "from", r.to_text AS "to", r.cc_text AS "cc", r.subject AS "subject",
         coalesce(e.text, t.text) AS "body", r.filenames AS "filename"
  FROM search_rows r LEFT JOIN emails e ON e.sha256 = r.sha256 LEFT JOIN extracted t ON t.sha256 = r.sha256;
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(${quoted},
  content = 'search_content', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2');
`;
