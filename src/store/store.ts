/**
 * The `Store` interface: everything ingest writes and every read command reads goes through it, so
 * the embedded SQLite store and the team PostgreSQL store are interchangeable. Writes arrive as
 * batches of plain records, committed atomically: a batch is the unit of crash safety.
 */
import type { FormatClass, ItemError, ItemKind } from '../extract/format.ts';
import type { Correspondence, SearchRequest, SearchResult, TimelineBucket, TimelineUnit } from '../search/search-types.ts';
import type { DocumentEvidence, ProvenanceProgress, ProvenanceSummary } from './sqlite/sqlite-provenance.ts';

/** One distinct item: identical bytes are one item, however often they were found. */
export interface ItemRecord {
  sha256: string;
  size: number;
  /** Detected format (`email`, `zip`, `mbox`, `pdf`, `docx`, `unknown` ...). */
  format: string;
  formatClass: FormatClass;
  /** Set when the item was found inside an email (directly or through containers). */
  carriedByEmail: boolean;
  /** Containers and emails above it where it was first found (0 for a top-level source). */
  depth: number;
  error: ItemError | null;
  /** Facts about how the bytes were read (mbox unquoting, maildir flags, encryption ...). */
  notes: Record<string, unknown> | null;
}

/**
 * One place an item was found: under `parent` (null for a top-level source) with `name`. Names of
 * children carry their own separator (`/alice/inbox.mbox`, `#42`, `/report.pdf`) so that a full path
 * is the parent's path followed by the name.
 */
export interface PlacementRecord {
  sha256: string;
  parent: string | null;
  name: string;
}

export interface AddressRecord {
  name: string;
  address: string;
}

/** What ingest keeps of a parsed email. Raw values are kept beside decoded ones. */
export interface EmailRecord {
  sha256: string;
  messageId: string | null;
  dateRaw: string | null;
  /** ISO 8601 in UTC, or null when the Date header is missing or unparseable. */
  date: string | null;
  /** Offset of the sender's clock from UTC in minutes, as written in the Date header. */
  tzOffsetMinutes: number | null;
  dateError: string | null;
  from: AddressRecord[];
  sender: AddressRecord[];
  replyTo: AddressRecord[];
  to: AddressRecord[];
  cc: AddressRecord[];
  bcc: AddressRecord[];
  subject: string | null;
  subjectRaw: string | null;
  inReplyTo: string | null;
  references: string[];
  text: string | null;
  /** Kept only when the message has no text part (the original, with its HTML, is in the blob store). */
  html: string | null;
  attachmentCount: number;
}

/** A failure tied to a place in the trove (and to an item when its bytes could be read). */
export interface ErrorRecord {
  path: string;
  sha256: string | null;
  code: string;
  message: string;
}

/** How far a container was read; lets a killed run resume inside a large mbox or zip. */
export interface CheckpointRecord {
  sha256: string;
  /** Byte offset (mbox) or entry index (zip) from which to continue. */
  offset: number;
  /** Items already yielded (the next mbox message number is `index + 1`). */
  index: number;
}

/** A top-level file already hashed, so a resumed run need not read it again. */
export interface SourceRecord {
  fsPath: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** A failure found after the item was recorded (an archive that breaks part-way). */
export interface ItemFailure {
  sha256: string;
  error: ItemError;
}

/**
 * What was read out of an item beyond its bytes: the text of a document or of an HTML-only email
 * (what search indexes and near-duplicate detection compares), and a document's own metadata.
 */
export interface ExtractedRecord {
  sha256: string;
  text: string | null;
  /** Fields as the format names them (author, lastModifiedBy, created, producer ...), JSON values. */
  metadata: Record<string, unknown> | null;
  /** Which reader produced it (`docx`, `pdf`, `html` ...). */
  extractor: string;
  /** MinHash signature of the text (provenance/minhash.ts); empty when too short to compare; null: not computed. */
  minhash: Uint8Array | null;
  /** Forensic facts (forensics/facts.ts): how and when the file says it was made, for the signals. */
  facts: Record<string, unknown> | null;
}

export interface WriteBatch {
  items: ItemRecord[];
  failures: ItemFailure[];
  placements: PlacementRecord[];
  emails: EmailRecord[];
  errors: ErrorRecord[];
  /** Items whose own processing is complete (containers: every child recorded). */
  done: string[];
  checkpoints: CheckpointRecord[];
  sources: SourceRecord[];
  extracted: ExtractedRecord[];
}

export function emptyBatch(): WriteBatch {
  return { items: [], failures: [], placements: [], emails: [], errors: [], done: [], checkpoints: [], sources: [], extracted: [] };
}

/** Appends `from` to `into` (used to merge per-message fragments into one transaction). */
export function mergeBatch(into: WriteBatch, from: WriteBatch): void {
  into.items.push(...from.items);
  into.failures.push(...from.failures);
  into.placements.push(...from.placements);
  into.emails.push(...from.emails);
  into.errors.push(...from.errors);
  into.done.push(...from.done);
  into.checkpoints.push(...from.checkpoints);
  into.sources.push(...from.sources);
  into.extracted.push(...from.extracted);
}

export type ItemStatus = 'pending' | 'done';

/** An item as read commands see it. */
export interface ItemView {
  id: string;
  sha256: string;
  size: number;
  format: string;
  kind: ItemKind;
  status: ItemStatus;
  error: ItemError | null;
  notes: Record<string, unknown> | null;
  paths: string[];
  parents: string[];
  children: { sha256: string; name: string }[];
  email: EmailRecord | null;
  /** Other items with the same Message-ID but different bytes. */
  messageIdConflicts: string[];
  /** DKIM verification of an email, once `trove verify` has run. */
  verification: VerificationRecord | null;
  /** The conversation of an email (or of the email that carried an attachment): `trove thread ID`. */
  thread: string | null;
  /** A document's verdict (provenance, altered copy ...), once the provenance pass has run. */
  assessment: AssessmentRecord | null;
  /** What was read out of a document: its metadata, and whether it has text. */
  extracted: { metadata: Record<string, unknown> | null; textChars: number; extractor: string } | null;
}

/** A document's verdict with its evidence (see `DocumentEvidence` in store/sqlite/sqlite-provenance.ts). */
export interface AssessmentRecord {
  verdict: string;
  summary: string;
  evidence: DocumentEvidence;
}

export interface CaseStats {
  items: number;
  bytes: number;
  byKind: Record<string, number>;
  byFormat: Record<string, number>;
  /** Items found at more than one place, and the extra places. */
  duplicateItems: number;
  duplicatePlacements: number;
  placements: number;
  /** Message-IDs carried by more than one distinct message. */
  messageIdConflicts: number;
  errors: number;
  errorsByCode: Record<string, number>;
  pending: number;
}

export interface ErrorView extends ErrorRecord {
  id: string | null;
}

export interface ReportRow {
  item: ItemView;
}

export interface PendingContainer {
  sha256: string;
  format: string;
  /** One display path (the first in order), for messages. */
  path: string;
  carried: boolean;
  depth: number;
  /** Found as a top-level source (not inside another item). */
  root: boolean;
}

/** A DKIM key in the case's key store, with where it came from. */
export interface StoredKey {
  id: string;
  domain: string;
  selector: string;
  record: string;
  /** file | dns | archive | recovered-from-trove */
  sourceKind: string;
  /** Plain words: the file name, "DNS", ... */
  source: string;
  firstSeen: string | null;
  lastSeen: string | null;
  importedAt: string;
}

/** One email's verification, as stored. */
export interface VerificationRecord {
  sha256: string;
  verdict: string;
  summary: string;
  /** The full engine result (signatures with evidence), JSON. */
  result: unknown;
  /** (domain, selector, status, key id) per signature: what key imports affect, and key usage counts. */
  signers: { domain: string; selector: string; status: string; keyId: string | null }[];
}

export interface KeyUsage extends StoredKey {
  /** Messages whose signature passes with this key. */
  verifies: number;
}

export interface Store {
  /** Commits a batch atomically. */
  write(batch: WriteBatch): Promise<void>;
  itemStatus(sha256: string): Promise<ItemStatus | null>;
  source(fsPath: string): Promise<SourceRecord | null>;
  checkpoint(sha256: string): Promise<CheckpointRecord | null>;
  /** Containers whose reading was interrupted: a resumed run finishes them from their blobs. */
  pendingContainers(): Promise<PendingContainer[]>;
  /** Finds an item by full SHA-256 or by an unambiguous id prefix (at least 6 hex digits). */
  resolveId(idOrPrefix: string): Promise<string | null>;
  item(sha256: string): Promise<ItemView | null>;
  stats(): Promise<CaseStats>;
  errors(): AsyncIterable<ErrorView>;
  /** Every item, in a stable order (by SHA-256), without loading them all in memory. */
  items(): AsyncIterable<ItemView>;
  /** Adds keys (idempotent: the same record for the same selector is kept once). */
  putKeys(keys: StoredKey[]): Promise<{ added: number; known: number }>;
  allKeys(): Promise<StoredKey[]>;
  keyUsage(): Promise<KeyUsage[]>;
  /** Signing (domain, selector) pairs seen in the case, with how many messages each signs. */
  signers(): Promise<{ domain: string; selector: string; messages: number }[]>;
  /** Forgets the verification of every email signed by one of these (domain, selector): they are checked again. */
  invalidateVerifications(pairs: { domain: string; selector: string }[]): Promise<number>;
  /** Forgets every verification (`trove verify --all`). */
  forgetVerifications(): Promise<void>;
  /** Emails not verified yet (or invalidated), by SHA-256. */
  emailsToVerify(): Promise<string[]>;
  writeVerifications(records: VerificationRecord[]): Promise<void>;
  verification(sha256: string): Promise<VerificationRecord | null>;
  /** Runs a query of the query language (docs/search.md); throws QuerySyntaxError when it does not parse. */
  search(request: SearchRequest): Promise<SearchResult>;
  /** Items the query finds (all dated items for ''), counted per day, week or month and verdict. */
  timeline(query: string, unit: TimelineUnit): Promise<TimelineBucket[]>;
  /** Who wrote to whom among the emails the query finds (all emails for ''). */
  correspondents(query: string, limit: number): Promise<Correspondence>;
  /** Provenance, near-duplicates and altered copies for every document, from the current verdicts. */
  runProvenance(onProgress?: (p: ProvenanceProgress) => void): Promise<ProvenanceSummary>;
  /** Threads every email of the case again (JWZ) and stores each item's thread id. */
  rethread(): Promise<{ threads: number; emails: number; changed: number }>;
  /**
   * The conversation an item belongs to (an email's, or that of the email that carried an
   * attachment): its first `limit` lines in reading order, or null for an item in no thread.
   */
  thread(sha256: string, limit?: number): Promise<ThreadListing | null>;
  close(): Promise<void>;
  // ---- key recovery (issue 9) ----
  /** The verified emails that carry a signature of this (domain, selector), by SHA-256, in a stable order. */
  messagesSignedBy(domain: string, selector: string): Promise<string[]>;
}

/** One line of a conversation: a message, or a gap where a message the trove lacks would be. */
export interface ThreadEntry {
  /** 0 for the thread's root, 1 for its replies, and so on. */
  depth: number;
  /**
   * The threading key: the Message-ID, or a key starting with "trove:" (`trove:subject:…` for a gap
   * that groups conversations sharing a subject; `trove:none:…`, `trove:dup:…` for messages with no or
   * a repeated Message-ID).
   */
  messageId: string;
  /** null for a gap: a message referred to by a reply that the trove does not hold. */
  sha256: string | null;
  date: string | null;
  from: string | null;
  subject: string | null;
  verdict: string | null;
}

/** A conversation as threaded at the end of the last ingest (JWZ; the same on every machine). */
export interface ThreadListing {
  /** The item id of its first message, as `thread:ID` searches it. */
  id: string;
  subject: string;
  /** Messages held by the trove. */
  size: number;
  firstDate: string | null;
  lastDate: string | null;
  /** Lines of the whole thread (messages and gaps): more than `entries` holds when cut at the limit. */
  total: number;
  entries: ThreadEntry[];
}

/** Items are named by the first 16 hex digits of their SHA-256: short, stable on every machine. */
export const ID_LENGTH = 16;

export function idOf(sha256: string): string {
  return sha256.slice(0, ID_LENGTH);
}
