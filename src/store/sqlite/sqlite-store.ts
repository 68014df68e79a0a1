/**
 * The embedded store: one SQLite file per case (`node:sqlite`), WAL journal so that a killed process
 * loses at most the batch it was writing and readers never block the writer.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { CaseError } from '../../errors.ts';
import type { ItemKind } from '../../extract/format.ts';
import {
  idOf,
  type CaseStats,
  type CheckpointRecord,
  type EmailRecord,
  type ErrorView,
  type ItemStatus,
  type ItemView,
  type AssessmentRecord,
  type KeyUsage,
  type PendingContainer,
  type StoredKey,
  type ThreadListing,
  type VerificationRecord,
  type SourceRecord,
  type Store,
  type WriteBatch,
} from '../store.ts';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.ts';
import { threadMessages } from '../../threads/jwz.ts';
import type { Correspondence, SearchRequest, SearchResult, TimelineBucket, TimelineUnit } from '../../search/search-types.ts';
import { PROVENANCE_SCHEMA_SQL, runProvenance, type DocumentEvidence, type ProvenanceProgress, type ProvenanceSummary } from './sqlite-provenance.ts';
import { SearchIndexer } from './search-index.ts';
import { FORENSICS_SCHEMA_SQL } from './sqlite-forensics.ts';
import { SqliteSearch } from './sqlite-search.ts';
import { readThread, threadIdOf, threadInputs, writeThreads } from './sqlite-threads.ts';
import { SEARCH_SCHEMA_SQL } from './search-schema.ts';

/** Paths listed per item at most: a file copied into thousands of places stays readable. */
export const MAX_PATHS_PER_ITEM = 1000;
/** Placements walked upward at most; deeper chains are cut (nesting is limited at ingest anyway). */
const MAX_PATH_DEPTH = 64;

const KIND_SQL = `CASE class WHEN 'email' THEN 'email' WHEN 'container' THEN 'container'
  ELSE CASE carried WHEN 1 THEN 'attachment' ELSE 'document' END END`;

type Row = Record<string, string | number | bigint | null | Uint8Array>;

/** The address lists of an email, stored together as one JSON column. */
type AddressBlock = Pick<EmailRecord, 'from' | 'sender' | 'replyTo' | 'to' | 'cc' | 'bcc'>;

export class SqliteStore implements Store {
  readonly db: DatabaseSync;
  readonly #stmts = new Map<string, StatementSync>();
  readonly #index: SearchIndexer;
  readonly #search: SqliteSearch;

  constructor(file: string, options: { readOnly?: boolean } = {}) {
    try {
      this.db = new DatabaseSync(file, { readOnly: options.readOnly ?? false, timeout: 10_000 });
    } catch (err) {
      throw new CaseError('case-unreadable', `Cannot open the case database ${file}: ${(err as Error).message}`);
    }
    if (!options.readOnly) {
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
      const version = this.#tableExists('meta') ? this.#get('SELECT value FROM meta WHERE key = ?', 'schema')?.value : undefined;
      if (version !== undefined && Number(version) > SCHEMA_VERSION) {
        throw new CaseError('case-too-new', `This case was written by a newer trove (schema ${version}); upgrade trove to read it.`);
      }
      this.db.exec(SCHEMA_SQL);
      this.db.exec(SEARCH_SCHEMA_SQL);
      this.db.exec(PROVENANCE_SCHEMA_SQL);
      this.db.exec(FORENSICS_SCHEMA_SQL);
      this.#index = new SearchIndexer(this.db);
      if (version === undefined) {
        this.#run('INSERT INTO meta(key, value) VALUES (?, ?)', 'schema', String(SCHEMA_VERSION));
      } else if (Number(version) < SCHEMA_VERSION) {
        // Written before the search index existed (1): index everything once, then it is kept up to date.
        if (Number(version) < 2) this.#transaction(() => this.#index.rebuild());
        // Written before threads were stored (2): thread once.
        writeThreads(this.db, threadMessages(threadInputs(this.db)));
        this.#run('UPDATE meta SET value = ? WHERE key = ?', String(SCHEMA_VERSION), 'schema');
      }
    } else {
      this.#index = new SearchIndexer(this.db);
    }
    this.db.exec('PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;');
    this.#search = new SqliteSearch(this.db);
  }

  #tableExists(name: string): boolean {
    return this.#get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", name) !== undefined;
  }

  /** Runs `fn` in one write transaction: all of it is committed, or none. */
  #transaction(fn: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      fn();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  #stmt(sql: string): StatementSync {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }
  #run(sql: string, ...args: (string | number | null)[]): void {
    this.#stmt(sql).run(...args);
  }
  #get(sql: string, ...args: (string | number | null)[]): Row | undefined {
    return this.#stmt(sql).get(...args) as Row | undefined;
  }
  #all(sql: string, ...args: (string | number | null)[]): Row[] {
    return this.#stmt(sql).all(...args) as Row[];
  }

  async write(batch: WriteBatch): Promise<void> {
    this.writeSync(batch);
  }

  /** Synchronous commit, for callers that batch on the main thread. */
  writeSync(batch: WriteBatch): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      let carriedChanged = false;
      for (const it of batch.items) {
        // Only an item now found inside an email can change what its contents are (carried).
        const before = it.carriedByEmail ? this.#get('SELECT carried FROM items WHERE sha256 = ?', it.sha256) : undefined;
        this.#run(
          `INSERT INTO items(sha256, id, size, format, class, carried, depth, error_code, error_message, notes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(sha256) DO UPDATE SET carried = max(carried, excluded.carried)`,
          it.sha256, idOf(it.sha256), it.size, it.format, it.formatClass, it.carriedByEmail ? 1 : 0, it.depth,
          it.error?.code ?? null, it.error?.message ?? null, it.notes ? JSON.stringify(it.notes) : null,
        );
        if (before && before.carried === 0 && it.carriedByEmail) {
          this.#propagateCarried(it.sha256);
          carriedChanged = true;
        }
      }
      for (const f of batch.failures) {
        this.#run('UPDATE items SET error_code = ?, error_message = ? WHERE sha256 = ? AND error_code IS NULL', f.error.code, f.error.message, f.sha256);
      }
      for (const p of batch.placements) {
        this.#run('INSERT OR IGNORE INTO placements(sha256, parent, name) VALUES (?, ?, ?)', p.sha256, p.parent ?? '', p.name);
      }
      for (const e of batch.emails) this.#putEmail(e);
      for (const e of batch.errors) {
        this.#run('INSERT OR IGNORE INTO errors(path, code, sha256, message) VALUES (?, ?, ?, ?)', e.path, e.code, e.sha256, e.message);
      }
      for (const c of batch.checkpoints) {
        this.#run('UPDATE items SET resume_offset = ?, resume_index = ? WHERE sha256 = ?', c.offset, c.index, c.sha256);
      }
      for (const sha of batch.done) {
        this.#run("UPDATE items SET status = 'done', resume_offset = NULL, resume_index = NULL WHERE sha256 = ?", sha);
      }
      for (const s of batch.sources) {
        this.#run('INSERT OR REPLACE INTO sources(fs_path, size, mtime_ms, sha256) VALUES (?, ?, ?, ?)', s.fsPath, s.size, s.mtimeMs, s.sha256);
      }
      for (const x of batch.extracted) {
        this.#stmt('INSERT OR IGNORE INTO extracted(sha256, text, metadata, extractor, minhash, facts) VALUES (?, ?, ?, ?, ?, ?)')
          .run(x.sha256, x.text, x.metadata ? JSON.stringify(x.metadata) : null, x.extractor, x.minhash, x.facts ? JSON.stringify(x.facts) : null);
      }
      this.#index.index([...batch.items.map((i) => i.sha256), ...batch.placements.map((p) => p.sha256)]);
      if (carriedChanged) this.#index.markCarried();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** A container first seen loose and later inside an email: everything in it was carried too. */
  #propagateCarried(sha256: string): void {
    this.#run(
      `WITH RECURSIVE down(sha) AS (
         SELECT sha256 FROM placements WHERE parent = ?
         UNION SELECT p.sha256 FROM placements p JOIN down ON p.parent = down.sha)
       UPDATE items SET carried = 1 WHERE carried = 0 AND sha256 IN (SELECT sha FROM down)`,
      sha256,
    );
  }

  #putEmail(e: EmailRecord): void {
    const addresses: AddressBlock = { from: e.from, sender: e.sender, replyTo: e.replyTo, to: e.to, cc: e.cc, bcc: e.bcc };
    this.#run(
      `INSERT OR IGNORE INTO emails(sha256, message_id, date_raw, date, tz_offset, date_error, addresses, subject,
         subject_raw, in_reply_to, refs, text, html, attachment_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.sha256, e.messageId, e.dateRaw, e.date, e.tzOffsetMinutes, e.dateError, JSON.stringify(addresses), e.subject,
      e.subjectRaw, e.inReplyTo, JSON.stringify(e.references), e.text, e.html, e.attachmentCount,
    );
  }

  async itemStatus(sha256: string): Promise<ItemStatus | null> {
    return (this.#get('SELECT status FROM items WHERE sha256 = ?', sha256)?.status as ItemStatus | undefined) ?? null;
  }

  async source(fsPath: string): Promise<SourceRecord | null> {
    const r = this.#get('SELECT * FROM sources WHERE fs_path = ?', fsPath);
    return r ? { fsPath, size: Number(r.size), mtimeMs: Number(r.mtime_ms), sha256: String(r.sha256) } : null;
  }

  async checkpoint(sha256: string): Promise<CheckpointRecord | null> {
    const r = this.#get('SELECT resume_offset, resume_index FROM items WHERE sha256 = ? AND resume_offset IS NOT NULL', sha256);
    return r ? { sha256, offset: Number(r.resume_offset), index: Number(r.resume_index) } : null;
  }

  async pendingContainers(): Promise<PendingContainer[]> {
    const rows = this.#all(
      `SELECT sha256, format, carried, depth,
         EXISTS (SELECT 1 FROM placements p WHERE p.sha256 = items.sha256 AND p.parent = '') AS root
       FROM items WHERE status = 'pending' AND class = 'container' ORDER BY depth, sha256`,
    );
    return rows.map((r) => ({
      sha256: String(r.sha256),
      format: String(r.format),
      path: this.#paths(String(r.sha256))[0] ?? String(r.sha256),
      carried: r.carried === 1,
      depth: Number(r.depth),
      root: Number(r.root) === 1,
    }));
  }

  async resolveId(idOrPrefix: string): Promise<string | null> {
    const q = idOrPrefix.trim().toLowerCase();
    if (!/^[0-9a-f]{6,64}$/.test(q)) return null;
    const rows = this.#all('SELECT sha256 FROM items WHERE sha256 >= ? AND sha256 < ? LIMIT 2', q, q + 'g');
    if (rows.length !== 1) {
      if (rows.length > 1) throw new CaseError('ambiguous-id', `The id ${q} matches several items; give more digits.`);
      return null;
    }
    return String(rows[0]!.sha256);
  }

  #paths(sha256: string): string[] {
    const rows = this.#all(
      `WITH RECURSIVE up(sha, path, depth) AS (
         SELECT parent, name, 0 FROM placements WHERE sha256 = ?
         UNION ALL
         SELECT p.parent, p.name || up.path, up.depth + 1 FROM placements p JOIN up ON p.sha256 = up.sha
         WHERE up.sha <> '' AND up.depth < ${MAX_PATH_DEPTH})
       SELECT DISTINCT path FROM up WHERE sha = '' ORDER BY path LIMIT ${MAX_PATHS_PER_ITEM}`,
      sha256,
    );
    return rows.map((r) => String(r.path));
  }

  #view(r: Row): ItemView {
    const sha256 = String(r.sha256);
    const email = this.#email(sha256);
    const conflicts = email?.messageId
      ? this.#all('SELECT sha256 FROM emails WHERE message_id = ? AND sha256 <> ? ORDER BY sha256', email.messageId, sha256).map((x) => String(x.sha256))
      : [];
    return {
      id: idOf(sha256),
      sha256,
      size: Number(r.size),
      format: String(r.format),
      kind: String(r.kind) as ItemKind,
      status: String(r.status) as ItemStatus,
      error: r.error_code ? { code: String(r.error_code), message: String(r.error_message) } : null,
      notes: r.notes ? (JSON.parse(String(r.notes)) as Record<string, unknown>) : null,
      paths: this.#paths(sha256),
      parents: this.#all("SELECT DISTINCT parent FROM placements WHERE sha256 = ? AND parent <> '' ORDER BY parent", sha256).map((x) => String(x.parent)),
      children: this.#all('SELECT sha256, name FROM placements WHERE parent = ? ORDER BY name', sha256).map((x) => ({ sha256: String(x.sha256), name: String(x.name) })),
      email,
      messageIdConflicts: conflicts,
      verification: email ? this.#verification(sha256) : null,
      thread: threadIdOf(this.db, sha256),
      assessment: this.#assessment(sha256),
      extracted: this.#extracted(sha256),
    };
  }

  #assessment(sha256: string): AssessmentRecord | null {
    const r = this.#get('SELECT verdict, summary, evidence FROM assessments WHERE sha256 = ?', sha256);
    return r ? { verdict: String(r.verdict), summary: String(r.summary), evidence: JSON.parse(String(r.evidence)) as DocumentEvidence } : null;
  }

  #extracted(sha256: string): ItemView['extracted'] {
    const r = this.#get('SELECT metadata, length(text) AS chars, extractor FROM extracted WHERE sha256 = ?', sha256);
    if (!r) return null;
    return { metadata: r.metadata ? (JSON.parse(String(r.metadata)) as Record<string, unknown>) : null, textChars: Number(r.chars ?? 0), extractor: String(r.extractor) };
  }

  async runProvenance(onProgress?: (p: ProvenanceProgress) => void): Promise<ProvenanceSummary> {
    return runProvenance(this.db, onProgress);
  }

  #email(sha256: string): EmailRecord | null {
    const r = this.#get('SELECT * FROM emails WHERE sha256 = ?', sha256);
    if (!r) return null;
    const a = JSON.parse(String(r.addresses)) as AddressBlock;
    const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
    return {
      sha256,
      messageId: str(r.message_id),
      dateRaw: str(r.date_raw),
      date: str(r.date),
      tzOffsetMinutes: r.tz_offset === null ? null : Number(r.tz_offset),
      dateError: str(r.date_error),
      ...a,
      subject: str(r.subject),
      subjectRaw: str(r.subject_raw),
      inReplyTo: str(r.in_reply_to),
      references: JSON.parse(String(r.refs)) as string[],
      text: str(r.text),
      html: str(r.html),
      attachmentCount: Number(r.attachment_count),
    };
  }

  async item(sha256: string): Promise<ItemView | null> {
    const r = this.#get(`SELECT *, ${KIND_SQL} AS kind FROM items WHERE sha256 = ?`, sha256);
    return r ? this.#view(r) : null;
  }

  async stats(): Promise<CaseStats> {
    const count = (sql: string): number => Number(this.#get(sql)?.n ?? 0);
    const group = (sql: string): Record<string, number> =>
      Object.fromEntries(this.#all(sql).map((r) => [String(r.k), Number(r.n)]));
    const dup = this.#get(
      `SELECT count(*) AS items, coalesce(sum(n - 1), 0) AS extra FROM (SELECT count(*) AS n FROM placements GROUP BY sha256 HAVING n > 1)`,
    );
    return {
      items: count('SELECT count(*) AS n FROM items'),
      bytes: count('SELECT coalesce(sum(size), 0) AS n FROM items'),
      byKind: group(`SELECT ${KIND_SQL} AS k, count(*) AS n FROM items GROUP BY k ORDER BY k`),
      byFormat: group('SELECT format AS k, count(*) AS n FROM items GROUP BY k ORDER BY n DESC, k'),
      duplicateItems: Number(dup?.items ?? 0),
      duplicatePlacements: Number(dup?.extra ?? 0),
      placements: count('SELECT count(*) AS n FROM placements'),
      messageIdConflicts: count(
        'SELECT count(*) AS n FROM (SELECT message_id FROM emails WHERE message_id IS NOT NULL GROUP BY message_id HAVING count(*) > 1)',
      ),
      errors: count('SELECT count(*) AS n FROM errors'),
      errorsByCode: group('SELECT code AS k, count(*) AS n FROM errors GROUP BY k ORDER BY n DESC, k'),
      pending: count("SELECT count(*) AS n FROM items WHERE status = 'pending'"),
    };
  }

  async *errors(): AsyncIterable<ErrorView> {
    for (const r of this.#stmt('SELECT * FROM errors ORDER BY path, code').iterate() as Iterable<Row>) {
      const sha = r.sha256 === null ? null : String(r.sha256);
      yield { path: String(r.path), code: String(r.code), message: String(r.message), sha256: sha, id: sha ? idOf(sha) : null };
    }
  }

  async *items(): AsyncIterable<ItemView> {
    // Keyset pagination: each page is a fresh query, so memory stays flat and the writer is not blocked.
    let after = '';
    const page = this.db.prepare(`SELECT *, ${KIND_SQL} AS kind FROM items WHERE sha256 > ? ORDER BY sha256 LIMIT 500`);
    for (;;) {
      const rows = page.all(after) as Row[];
      if (rows.length === 0) return;
      for (const r of rows) yield this.#view(r);
      after = String(rows[rows.length - 1]!.sha256);
    }
  }

  async putKeys(keys: StoredKey[]): Promise<{ added: number; known: number }> {
    let added = 0;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const k of keys) {
        const before = this.#get('SELECT first_seen, last_seen FROM dkim_keys WHERE id = ?', k.id);
        if (!before) {
          this.#run(
            `INSERT INTO dkim_keys(id, domain, selector, record, source_kind, source, first_seen, last_seen, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            k.id, k.domain, k.selector, k.record, k.sourceKind, k.source, k.firstSeen, k.lastSeen, k.importedAt,
          );
          added++;
        } else {
          // The same key seen again: widen the period it is known to have been published.
          this.#run(
            `UPDATE dkim_keys SET first_seen = CASE WHEN first_seen IS NULL OR (? IS NOT NULL AND ? < first_seen) THEN coalesce(?, first_seen) ELSE first_seen END,
               last_seen = CASE WHEN last_seen IS NULL OR (? IS NOT NULL AND ? > last_seen) THEN coalesce(?, last_seen) ELSE last_seen END WHERE id = ?`,
            k.firstSeen, k.firstSeen, k.firstSeen, k.lastSeen, k.lastSeen, k.lastSeen, k.id,
          );
        }
      }
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    return { added, known: keys.length - added };
  }

  #key(r: Row): StoredKey {
    const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
    return {
      id: String(r.id), domain: String(r.domain), selector: String(r.selector), record: String(r.record),
      sourceKind: String(r.source_kind), source: String(r.source), firstSeen: str(r.first_seen), lastSeen: str(r.last_seen),
      importedAt: String(r.imported_at),
    };
  }

  async allKeys(): Promise<StoredKey[]> {
    return this.#all('SELECT * FROM dkim_keys ORDER BY domain, selector, imported_at, id').map((r) => this.#key(r));
  }

  async keyUsage(): Promise<KeyUsage[]> {
    return this.#all(
      `SELECT k.*, (SELECT count(DISTINCT s.sha256) FROM dkim_signers s WHERE s.key_id = k.id AND s.status = 'pass') AS verifies
       FROM dkim_keys k ORDER BY k.domain, k.selector, k.imported_at, k.id`,
    ).map((r) => ({ ...this.#key(r), verifies: Number(r.verifies) }));
  }

  async signers(): Promise<{ domain: string; selector: string; messages: number }[]> {
    return this.#all('SELECT domain, selector, count(DISTINCT sha256) AS n FROM dkim_signers GROUP BY domain, selector ORDER BY n DESC, domain, selector')
      .map((r) => ({ domain: String(r.domain), selector: String(r.selector), messages: Number(r.n) }));
  }

  async invalidateVerifications(pairs: { domain: string; selector: string }[]): Promise<number> {
    let n = 0;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const p of pairs) {
        const shas = this.#all('SELECT DISTINCT sha256 FROM dkim_signers WHERE domain = ? AND selector = ?', p.domain, p.selector);
        for (const r of shas) {
          this.#run('DELETE FROM verifications WHERE sha256 = ?', String(r.sha256));
          this.#index.setVerdict(String(r.sha256), null);
          n++;
        }
      }
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    return n;
  }

  async forgetVerifications(): Promise<void> {
    this.db.exec("DELETE FROM verifications; DELETE FROM dkim_signers; UPDATE search_rows SET verdict = NULL WHERE kind = 'email';");
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return this.#search.search(request);
  }

  async timeline(query: string, unit: TimelineUnit): Promise<TimelineBucket[]> {
    return this.#search.timeline(query, unit);
  }

  async correspondents(query: string, limit: number): Promise<Correspondence> {
    return this.#search.correspondents(query, limit);
  }

  async rethread(): Promise<{ threads: number; emails: number; changed: number }> {
    const inputs = threadInputs(this.db);
    const result = threadMessages(inputs);
    return { threads: result.threads.length, emails: inputs.length, changed: writeThreads(this.db, result) };
  }

  async thread(sha256: string, limit = Number.MAX_SAFE_INTEGER): Promise<ThreadListing | null> {
    return readThread(this.db, sha256, limit);
  }

  async emailsToVerify(): Promise<string[]> {
    return this.#all(
      `SELECT e.sha256 FROM emails e WHERE NOT EXISTS (SELECT 1 FROM verifications v WHERE v.sha256 = e.sha256) ORDER BY e.sha256`,
    ).map((r) => String(r.sha256));
  }

  async writeVerifications(records: VerificationRecord[]): Promise<void> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const v of records) {
        this.#run('INSERT OR REPLACE INTO verifications(sha256, verdict, summary, result) VALUES (?, ?, ?, ?)', v.sha256, v.verdict, v.summary, JSON.stringify(v.result));
        this.#index.setVerdict(v.sha256, v.verdict);
        this.#run('DELETE FROM dkim_signers WHERE sha256 = ?', v.sha256);
        for (const s of v.signers) {
          this.#run('INSERT OR IGNORE INTO dkim_signers(sha256, domain, selector, status, key_id) VALUES (?, ?, ?, ?, ?)', v.sha256, s.domain, s.selector, s.status, s.keyId);
        }
      }
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async verification(sha256: string): Promise<VerificationRecord | null> {
    return this.#verification(sha256);
  }

  #verification(sha256: string): VerificationRecord | null {
    const r = this.#get('SELECT * FROM verifications WHERE sha256 = ?', sha256);
    if (!r) return null;
    const signers = this.#all('SELECT domain, selector, status, key_id FROM dkim_signers WHERE sha256 = ?', sha256)
      .map((x) => ({ domain: String(x.domain), selector: String(x.selector), status: String(x.status), keyId: x.key_id === null ? null : String(x.key_id) }));
    return { sha256, verdict: String(r.verdict), summary: String(r.summary), result: JSON.parse(String(r.result)), signers };
  }

  // ---- key recovery (issue 9) ----
  async messagesSignedBy(domain: string, selector: string): Promise<string[]> {
    return this.#all('SELECT DISTINCT sha256 FROM dkim_signers WHERE domain = ? AND selector = ? ORDER BY sha256', domain, selector).map((r) => String(r.sha256));
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
