/**
 * Keeps the search index (`search-schema.ts`) in step with the case tables. Runs inside the store's
 * write transactions, so an item is searchable exactly when it is committed, and a killed ingest
 * leaves no half-indexed item.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AddressRecord } from '../store.ts';
import { FTS_COLUMNS } from './search-schema.ts';

type Row = Record<string, string | number | bigint | null | Uint8Array>;

/** Address roles whose domains `domain:` searches ("any address on the email"). */
const DOMAIN_ROLES = ['from', 'sender', 'replyTo', 'to', 'cc', 'bcc'] as const;
/** Roles kept for the correspondents graph: who wrote (from) to whom (to, cc). */
const ADDRESS_ROLES = ['from', 'to', 'cc'] as const;

type Addresses = Record<(typeof DOMAIN_ROLES)[number], AddressRecord[]>;

/** The values of one search row, as computed from the case tables. */
interface RowValues {
  kind: string;
  format: string;
  size: number;
  date: string | null;
  day: string | null;
  fromAddress: string | null;
  fromDomain: string | null;
  hasAttachment: number;
  fromText: string | null;
  toText: string | null;
  ccText: string | null;
  subject: string | null;
  filenames: string | null;
}

const CONTENT_COLUMNS = FTS_COLUMNS.map((c) => `"${c}"`).join(', ');

/** `Name <address>, ...`: what `from:`, `to:` and `cc:` search and snippets show. */
function addressText(list: AddressRecord[]): string | null {
  if (list.length === 0) return null;
  return list.map((a) => (a.name && a.address ? `${a.name} <${a.address}>` : a.name || a.address)).join(', ');
}

function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  const d = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  return d.length > 0 ? d : null;
}

/** `a.b.example.fr` and each domain above it, down to the top-level domain. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== '') out.push(labels.slice(i).join('.'));
  return out;
}

/**
 * The calendar day on the sender's clock: the UTC instant moved by the offset written in the Date
 * header. An email written at 23:30 in Paris on 5 May is on 2017-05-05 wherever it is read.
 */
export function senderDay(dateUtc: string | null, tzOffsetMinutes: number | null): string | null {
  if (!dateUtc) return null;
  const t = Date.parse(dateUtc);
  if (Number.isNaN(t)) return null;
  return new Date(t + (tzOffsetMinutes ?? 0) * 60_000).toISOString().slice(0, 10);
}

/** The part of a placement name a person calls the file's name: `/alice/budget.xlsx` is `budget.xlsx`. */
function fileName(name: string): string | null {
  if (name.startsWith('#')) return null;
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base.length > 0 ? base : null;
}

export class SearchIndexer {
  readonly #db: DatabaseSync;
  readonly #stmts = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  #stmt(sql: string): StatementSync {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }
  #get(sql: string, ...args: (string | number | null)[]): Row | undefined {
    return this.#stmt(sql).get(...args) as Row | undefined;
  }
  #all(sql: string, ...args: (string | number | null)[]): Row[] {
    return this.#stmt(sql).all(...args) as Row[];
  }
  #run(sql: string, ...args: (string | number | null)[]): void {
    this.#stmt(sql).run(...args);
  }

  /**
   * Indexes new items and refreshes items that gained a place (a new file name, a carrying email).
   * Call inside the write transaction, after the batch's rows are in; `shas` in any order: parents
   * are indexed before their children so that attachments take their email's date.
   */
  index(shas: Iterable<string>): void {
    const unique = [...new Set(shas)];
    if (unique.length === 0) return;
    const depth = new Map<string, number>();
    for (const sha of unique) depth.set(sha, Number(this.#get('SELECT depth FROM items WHERE sha256 = ?', sha)?.depth ?? 0));
    unique.sort((a, b) => depth.get(a)! - depth.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
    for (const sha of unique) this.#indexOne(sha);
  }

  #indexOne(sha256: string): void {
    const item = this.#get('SELECT format, class, carried, size FROM items WHERE sha256 = ?', sha256);
    if (!item) return;
    const existing = this.#get('SELECT * FROM search_rows WHERE sha256 = ?', sha256);
    const email = item.class === 'email' ? this.#get('SELECT * FROM emails WHERE sha256 = ?', sha256) : undefined;
    const addresses = email ? (JSON.parse(String(email.addresses)) as Addresses) : null;
    const values = this.#values(sha256, item, email, addresses);

    if (!existing) {
      const verdict = this.#get(
        'SELECT coalesce((SELECT verdict FROM verifications WHERE sha256 = ?1), (SELECT verdict FROM assessments WHERE sha256 = ?1)) AS verdict',
        sha256,
      )?.verdict ?? null;
      const r = this.#stmt(
        `INSERT INTO search_rows(sha256, kind, format, size, verdict, date, day, from_address, from_domain, has_attachment,
           from_text, to_text, cc_text, subject, filenames) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        sha256, values.kind, values.format, values.size, verdict === null ? null : String(verdict), values.date, values.day,
        values.fromAddress, values.fromDomain, values.hasAttachment, values.fromText, values.toText, values.ccText,
        values.subject, values.filenames,
      );
      const row = Number(r.lastInsertRowid);
      this.#ftsInsert(row);
      if (addresses) this.#indexAddresses(row, addresses);
      return;
    }

    const row = Number(existing.rowid);
    const textChanged = existing.filenames !== values.filenames;
    if (textChanged) this.#ftsDelete(row);
    this.#run(
      'UPDATE search_rows SET kind = ?, date = ?, day = ?, filenames = ? WHERE rowid = ?',
      values.kind, values.date, values.day, values.filenames, row,
    );
    if (textChanged) this.#ftsInsert(row);
  }

  #values(sha256: string, item: Row, email: Row | undefined, addresses: Addresses | null): RowValues {
    const kind = item.class === 'email' ? 'email' : item.class === 'container' ? 'container' : item.carried === 1 ? 'attachment' : 'document';
    const base = { kind, format: String(item.format), size: Number(item.size) };
    if (email && addresses) {
      const date = email.date === null ? null : String(email.date);
      const from = addresses.from[0]?.address?.toLowerCase() || null;
      return {
        ...base,
        date,
        day: senderDay(date, email.tz_offset === null ? null : Number(email.tz_offset)),
        fromAddress: from,
        fromDomain: from ? domainOf(from) : null,
        hasAttachment: Number(email.attachment_count) > 0 ? 1 : 0,
        fromText: addressText(addresses.from),
        toText: addressText(addresses.to),
        ccText: addressText(addresses.cc),
        subject: email.subject === null ? null : String(email.subject),
        filenames: null,
      };
    }
    // A file takes the earliest date of the items it was found in: an attachment its email's.
    const dated = this.#get(
      `SELECT r.date, r.day FROM placements p CROSS JOIN search_rows r ON r.sha256 = p.parent
       WHERE p.sha256 = ? AND r.date IS NOT NULL ORDER BY r.date LIMIT 1`,
      sha256,
    );
    const names = new Set<string>();
    for (const p of this.#all('SELECT name FROM placements WHERE sha256 = ? ORDER BY name LIMIT 100', sha256)) {
      const n = fileName(String(p.name));
      if (n) names.add(n);
    }
    return {
      ...base,
      date: dated ? String(dated.date) : null,
      day: dated ? String(dated.day) : null,
      fromAddress: null,
      fromDomain: null,
      hasAttachment: 0,
      fromText: null,
      toText: null,
      ccText: null,
      subject: null,
      filenames: names.size > 0 ? [...names].join('\n') : null,
    };
  }

  #indexAddresses(row: number, a: Addresses): void {
    const domains = new Set<string>();
    for (const role of DOMAIN_ROLES) {
      for (const x of a[role] ?? []) {
        const d = x.address ? domainOf(x.address) : null;
        if (d) for (const p of domainAndParents(d)) domains.add(p);
      }
    }
    for (const d of domains) this.#run('INSERT OR IGNORE INTO search_domains(domain, row) VALUES (?, ?)', d, row);
    for (const role of ADDRESS_ROLES) {
      for (const x of a[role] ?? []) {
        if (!x.address) continue;
        this.#run('INSERT OR IGNORE INTO search_addresses(row, role, address, name) VALUES (?, ?, ?, ?)', row, role, x.address.toLowerCase(), x.name ?? '');
      }
    }
  }

  #ftsInsert(row: number): void {
    this.#run(`INSERT INTO search_fts(rowid, ${CONTENT_COLUMNS}) SELECT rowid, ${CONTENT_COLUMNS} FROM search_content WHERE rowid = ?`, row);
  }

  /** An external-content FTS5 row is removed by giving back exactly the values it was indexed with. */
  #ftsDelete(row: number): void {
    this.#run(
      `INSERT INTO search_fts(search_fts, rowid, ${CONTENT_COLUMNS}) SELECT 'delete', rowid, ${CONTENT_COLUMNS} FROM search_content WHERE rowid = ?`,
      row,
    );
  }

  /** Items inside a container that became carried by an email are attachments now. */
  markCarried(): void {
    this.#run(
      `UPDATE search_rows SET kind = 'attachment' WHERE kind = 'document'
       AND sha256 IN (SELECT sha256 FROM items WHERE carried = 1 AND class = 'document')`,
    );
  }

  setVerdict(sha256: string, verdict: string | null): void {
    this.#run('UPDATE search_rows SET verdict = ? WHERE sha256 = ?', verdict, sha256);
  }

  /** Every item again, parents first (a case written before the index existed, or `--rebuild`). */
  rebuild(): void {
    this.#db.exec(`DELETE FROM search_domains; DELETE FROM search_addresses; DELETE FROM search_rows;
      INSERT INTO search_fts(search_fts) VALUES ('delete-all');`);
    const shas = this.#all('SELECT sha256 FROM items ORDER BY depth, sha256').map((r) => String(r.sha256));
    for (const sha of shas) this.#indexOne(sha);
  }
}
