/**
 * Items put in the words and shapes the UI shows: a display name, the verdict whichever pass gave
 * it, the DKIM evidence with repairs in plain words. The wording itself comes from the engine
 * (`summary`, `reason`, `describeRepair`), shared with `trove show`.
 */
import { describeRepair } from '../dkim/repairs.ts';
import type { MessageVerification } from '../dkim/result.ts';
import type { AddressRecord, ItemView } from '../store/store.ts';
import type { DkimView, ItemSummary, Signal } from './api-types.ts';

/** `Name <address>`, or the address alone. */
export function formatAddress(a: AddressRecord): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The last segment of a trove path (`leak/a.zip/report.pdf` -> `report.pdf`, `x.mbox#4` -> `x.mbox#4`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A subject for an email, a file name for everything else. */
export function itemName(v: ItemView): string {
  if (v.email) return v.email.subject ?? '(no subject)';
  const p = v.paths[0];
  return p ? baseName(p) : v.id;
}

export function itemVerdict(v: ItemView): { verdict: string | null; summary: string | null } {
  if (v.verification) return { verdict: v.verification.verdict, summary: v.verification.summary };
  if (v.assessment) return { verdict: v.assessment.verdict, summary: v.assessment.summary };
  return { verdict: null, summary: null };
}

export function itemSummary(v: ItemView, name?: string): ItemSummary {
  const { verdict, summary } = itemVerdict(v);
  return { id: v.id, kind: v.kind, format: v.format, size: v.size, name: name ?? itemName(v), verdict, summary, date: v.email?.date ?? null };
}

export function dkimView(v: ItemView): DkimView | null {
  if (!v.verification) return null;
  const m = v.verification.result as MessageVerification;
  return {
    verdict: v.verification.verdict,
    summary: v.verification.summary,
    signatures: (m.signatures ?? []).map((s) => ({ ...s, repairsDescribed: s.repairs.map(describeRepair) })),
    shownNotSigned: m.shownNotSigned ?? [],
  };
}

/**
 * Forensic signals (issue 7), wherever the forensics pass puts them: on the item or in the
 * document's evidence. Null while no pass has produced any.
 */
export function signalsOf(v: ItemView): Signal[] | null {
  const onItem = (v as unknown as { signals?: unknown }).signals;
  const inEvidence = (v.assessment?.evidence as unknown as { signals?: unknown } | undefined)?.signals;
  const list = Array.isArray(onItem) ? onItem : Array.isArray(inEvidence) ? inEvidence : null;
  if (!list) return null;
  return list
    .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
    .map((s) => ({ code: String(s.code ?? ''), severity: String(s.severity ?? ''), message: String(s.message ?? '') }));
}

