/**
 * The JSON the HTTP API answers, shared with the web UI (web/src imports these types). Like the
 * report, fields may be added, never renamed. Search answers are `SearchResult` as they are
 * (search/search-types.ts); errors are `{ error: ApiErrorBody }`.
 */
import type { SignatureResult } from '../dkim/result.ts';
import type { ItemError, ItemKind } from '../extract/format.ts';
import type { MetadataChange, TextChange } from '../provenance/text-diff.ts';
import type { AddressRecord, CaseStats } from '../store/store.ts';
import type { Correspondence, FacetCount, SearchHit, TimelineBucket } from '../search/search-types.ts';
import type { BlockedResource } from './safe-html.ts';

export type { Correspondence, SearchHit, SearchResult, SearchFacets, FacetCount, TimelineBucket } from '../search/search-types.ts';
export type { BlockedResource } from './safe-html.ts';
export type { AddressRecord } from '../store/store.ts';

export interface ApiErrorBody {
  code: string;
  message: string;
  /** Query syntax errors: where in the query (UTF-16 offsets), ready to select in a search box. */
  position?: number;
  length?: number;
  query?: string;
}

/** A forensic signal on a document (issue 7): optional until the forensics pass lands. */
export interface Signal {
  code: string;
  severity: string;
  message: string;
}

/** A DKIM signature with its repairs in plain words. */
export interface SignatureView extends SignatureResult {
  repairsDescribed: string[];
}

export interface DkimView {
  verdict: string;
  /** One sentence a journalist can quote. */
  summary: string;
  signatures: SignatureView[];
  /** What a mail client shows that differs from what was signed. */
  shownNotSigned: string[];
}

export interface EmailView {
  messageId: string | null;
  date: string | null;
  dateRaw: string | null;
  tzOffsetMinutes: number | null;
  dateError: string | null;
  from: AddressRecord[];
  sender: AddressRecord[];
  replyTo: AddressRecord[];
  to: AddressRecord[];
  cc: AddressRecord[];
  bcc: AddressRecord[];
  subject: string | null;
  inReplyTo: string | null;
  references: string[];
  /** The text part (or the text of an HTML-only message), cut at `MAX_TEXT_CHARS`. */
  text: string | null;
  textTruncated: boolean;
  /** Whether the message has an HTML part: true, false, or null when only opening it can tell. */
  hasHtml: boolean | null;
  attachmentCount: number;
}

/** An item listed beside another (an attachment, a carrying email, a thread member). */
export interface ItemSummary {
  id: string;
  kind: ItemKind | string;
  format: string;
  size: number;
  /** A display name: the subject of an email, the file name of a document. */
  name: string;
  verdict: string | null;
  summary: string | null;
  date: string | null;
}

export interface DocumentAssessmentView {
  verdict: string;
  summary: string;
  provenance: { via: string; viaId: string; strength: string; viaSubject: string | null; viaFrom: string | null } | null;
  alteredFrom: {
    originalId: string;
    original: ItemSummary | null;
    similarity: number;
    changes: TextChange[];
    removedWords: number;
    addedWords: number;
    truncated: boolean;
    metadata: MetadataChange[];
  } | null;
  nearDuplicates: { id: string; similarity: number }[];
}

export interface ItemResponse {
  id: string;
  sha256: string;
  kind: ItemKind;
  format: string;
  size: number;
  status: string;
  error: ItemError | null;
  notes: Record<string, unknown> | null;
  /** Every place it was found in the trove. */
  paths: string[];
  /** A display name (subject or file name). */
  name: string;
  verdict: string | null;
  summary: string | null;
  email: EmailView | null;
  dkim: DkimView | null;
  assessment: DocumentAssessmentView | null;
  /** Forensic signals, when the forensics pass has produced some (null: none computed). */
  signals: Signal[] | null;
  extracted: { metadata: Record<string, unknown> | null; textChars: number; extractor: string } | null;
  /** Attachments of an email, members of an archive. */
  children: ItemSummary[];
  childrenTotal: number;
  /** The emails or containers it was found in. */
  parents: ItemSummary[];
  messageIdConflicts: string[];
  thread: string | null;
  /** `image` when the original may be shown inline (a PNG, JPEG, GIF or WebP by its magic bytes). */
  preview: 'image' | null;
  /** Where the original bytes download from. */
  rawUrl: string;
}

export interface TextResponse {
  id: string;
  text: string | null;
  chars: number;
  truncated: boolean;
}

export interface DiffPart {
  /** '=' unchanged, '-' only in the original, '+' only in this copy. */
  op: '=' | '-' | '+';
  text: string;
}

export interface DiffResponse {
  id: string;
  original: ItemSummary;
  similarity: number;
  parts: DiffPart[];
  /** True when the texts were too long or too different for every edit to be shown. */
  truncated: boolean;
  metadata: MetadataChange[];
}

export interface RemoteContentResponse {
  id: string;
  hasHtml: boolean;
  /** References that would have loaded something from elsewhere, none of them fetched. */
  blocked: BlockedResource[];
  blockedTotal: number;
  inlineImages: number;
}

export interface HeadersResponse {
  id: string;
  raw: string;
}

export interface ThreadMessage {
  depth: number;
  /** null for a message the trove does not hold (referred to by a reply). */
  id: string | null;
  messageId: string;
  date: string | null;
  from: string | null;
  subject: string | null;
  verdict: string | null;
}

export interface ThreadResponse {
  id: string;
  subject: string;
  size: number;
  firstDate: string | null;
  lastDate: string | null;
  messages: ThreadMessage[];
  truncated: boolean;
}

export interface SummaryResponse {
  caseDir: string;
  stats: CaseStats;
  verdicts: FacetCount[];
}

export interface AttentionGroup {
  verdict: string;
  /** What it means, in plain words. */
  meaning: string;
  query: string;
  total: number;
  hits: SearchHit[];
  /** False when this trove (or this version of trove) has no such verdict yet. */
  available: boolean;
}

export interface AttentionResponse {
  groups: AttentionGroup[];
}

export interface TimelineResponse {
  query: string;
  by: 'day' | 'week' | 'month';
  buckets: TimelineBucket[];
}

export interface CorrespondentsResponse extends Correspondence {
  query: string;
}
