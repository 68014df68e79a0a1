/**
 * One report entry per distinct item, in the stable shape of ARCHITECTURE.md ("The report"). Fields
 * may be added, never renamed. Verdict fields stay null until verification has run.
 */
import type { MessageVerification, SignatureResult } from '../dkim/result.ts';
import type { CaseStats, ItemView } from '../store/store.ts';

/** One signature in the report's `dkim` array (ARCHITECTURE.md), plus evidence fields. */
export function reportSignature(s: SignatureResult): Record<string, unknown> {
  return {
    domain: s.domain,
    selector: s.selector,
    algorithm: s.algorithm,
    keyBits: s.key?.bits ?? null,
    keySource: s.key?.source ?? null,
    aligned: s.aligned,
    bodyHash: s.bodyHash,
    signature: s.signature,
    repairs: s.repairs,
    status: s.status,
    reason: s.reason,
    field: s.field,
    keyFingerprint: s.key?.fingerprint ?? null,
    signedHeaders: s.signedHeaders,
    unsignedHeaders: s.unsignedHeaders,
    extraInstances: s.extraInstances,
    bodyLength: s.bodyLength,
    unsignedBodyBytes: s.unsignedBodyBytes,
    timestamp: s.timestamp,
    expiration: s.expiration,
    expired: s.expired,
    weakKey: s.weakKey,
    weakAlgorithm: s.weakAlgorithm,
  };
}

export interface ReportItem {
  id: string;
  sha256: string;
  kind: string;
  paths: string[];
  messageId: string | null;
  verdict: string | null;
  summary: string | null;
  signals: { code: string; severity: string; message: string }[] | null;
  dkim: Record<string, unknown>[] | null;
  provenance: {
    via: string | null;
    nearDuplicateOf: string | null;
    /** Added: the verdict of the carrying email (`authentic`, or a weaker one that proves less). */
    strength: string | null;
    /** Added: for an altered copy, how similar it is to its original and what changed. */
    similarity: number | null;
    textChanges: { before: string; removed: string; added: string; after: string }[] | null;
    metadataChanges: { field: string; original: unknown; copy: unknown }[] | null;
  } | null;
  // Added by ingest (allowed: fields may be added).
  size: number;
  format: string;
  date: string | null;
  subject: string | null;
  from: string | null;
  error: { code: string; message: string } | null;
  messageIdConflicts: string[];
  notes: Record<string, unknown> | null;
  /** Added by search: the conversation (`trove thread ID`). */
  thread: string | null;
}

function provenanceOf(v: ItemView): ReportItem['provenance'] {
  const e = v.assessment?.evidence;
  if (!e) return null;
  const altered = e.alteredFrom;
  return {
    via: e.provenance?.viaId ?? null,
    nearDuplicateOf: altered?.originalId ?? null,
    strength: e.provenance?.strength ?? null,
    similarity: altered?.similarity ?? null,
    textChanges: altered?.text.changes ?? null,
    metadataChanges: altered?.metadata ?? null,
  };
}

export function toReportItem(v: ItemView): ReportItem {
  const e = v.email;
  return {
    id: v.id,
    sha256: v.sha256,
    kind: v.kind,
    paths: v.paths,
    messageId: e?.messageId ?? null,
    verdict: v.verification?.verdict ?? v.assessment?.verdict ?? null,
    summary: v.verification?.summary ?? v.assessment?.summary ?? null,
    signals: v.assessment?.evidence.signals ?? null,
    dkim: v.verification ? (v.verification.result as MessageVerification).signatures.map(reportSignature) : null,
    provenance: provenanceOf(v),
    size: v.size,
    format: v.format,
    date: e?.date ?? null,
    subject: e?.subject ?? null,
    from: e?.from[0]?.address ?? null,
    error: v.error,
    messageIdConflicts: v.messageIdConflicts.map((s) => s.slice(0, 16)),
    notes: v.notes,
    thread: v.thread,
  };
}

export function reportHeader(stats: CaseStats, generatedAt: Date): { generatedAt: string; trove: Record<string, number> } {
  return {
    generatedAt: generatedAt.toISOString(),
    trove: {
      items: stats.items,
      emails: stats.byKind.email ?? 0,
      documents: (stats.byKind.document ?? 0) + (stats.byKind.attachment ?? 0),
      attachments: stats.byKind.attachment ?? 0,
      containers: stats.byKind.container ?? 0,
      errors: stats.errors,
    },
  };
}
