/**
 * The embedded case schema. Items are keyed by SHA-256; where an item was found is a separate table of
 * placements (child, parent, name) so that an item found in many places is stored once and every path
 * is derived by walking placements up to a top-level source.
 */
/**
 * 2: the search index (`search-schema.ts`); a case of version 1 is indexed once when opened.
 * 3: threads stored as rows (`threads`, `thread_nodes`); a case of version 2 is threaded once when opened.
 */
export const SCHEMA_VERSION = 3;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  sha256 TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  size INTEGER NOT NULL,
  format TEXT NOT NULL,
  class TEXT NOT NULL,
  carried INTEGER NOT NULL DEFAULT 0,
  depth INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'pending',
  error_code TEXT,
  error_message TEXT,
  notes TEXT,
  resume_offset INTEGER,
  resume_index INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_id ON items(id);
CREATE INDEX IF NOT EXISTS items_pending ON items(status) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS placements (
  sha256 TEXT NOT NULL,
  parent TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (sha256, parent, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS placements_parent ON placements(parent);
CREATE TABLE IF NOT EXISTS emails (
  sha256 TEXT PRIMARY KEY,
  message_id TEXT,
  date_raw TEXT,
  date TEXT,
  tz_offset INTEGER,
  date_error TEXT,
  addresses TEXT NOT NULL,
  subject TEXT,
  subject_raw TEXT,
  in_reply_to TEXT,
  refs TEXT NOT NULL,
  text TEXT,
  html TEXT,
  attachment_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS emails_message_id ON emails(message_id);
CREATE TABLE IF NOT EXISTS errors (
  path TEXT NOT NULL,
  code TEXT NOT NULL,
  sha256 TEXT,
  message TEXT NOT NULL,
  PRIMARY KEY (path, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dkim_keys (
  id TEXT PRIMARY KEY,
  domain TEXT NOT NULL,
  selector TEXT NOT NULL,
  record TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  source TEXT NOT NULL,
  first_seen TEXT,
  last_seen TEXT,
  imported_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dkim_keys_name ON dkim_keys(domain, selector);
CREATE TABLE IF NOT EXISTS verifications (
  sha256 TEXT PRIMARY KEY,
  verdict TEXT NOT NULL,
  summary TEXT NOT NULL,
  result TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dkim_signers (
  sha256 TEXT NOT NULL,
  domain TEXT NOT NULL,
  selector TEXT NOT NULL,
  status TEXT NOT NULL,
  key_id TEXT,
  PRIMARY KEY (sha256, domain, selector, status)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dkim_signers_name ON dkim_signers(domain, selector);
CREATE TABLE IF NOT EXISTS sources (
  fs_path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  sha256 TEXT NOT NULL
) WITHOUT ROWID;
`;
