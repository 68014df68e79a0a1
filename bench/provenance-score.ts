/**
 * How right the provenance pass was on a `bench:provenance` corpus: its verdicts (the `assessments`
 * and `near_duplicates` tables of the verified case) against the corpus's `truth.json`.
 *
 * - recall: planted altered copies called `altered-copy` with the attachment they were made from as
 *   the original; the diff is checked too (see `diffAccountsForEdit`);
 * - precision: of all `altered-copy` calls, those that are planted altered copies with the right
 *   original; the others are listed by what they really are (template sibling, re-saved copy, ...);
 * - genuine copies: byte-identical copies (the same item as their attachment) must never be called
 *   altered; re-saved copies (same text, other bytes) are counted apart;
 * - what-if: precision and recall had the rule also required a higher similarity (the one the pass
 *   stores with each call, `alteredFrom.similarity`), fewer edits, a changed word or a margin over
 *   the other proven documents (`marginOf`), for whoever tunes the rule.
 */
import { DatabaseSync } from 'node:sqlite';
import { describeChange, type TextDiff } from '../src/provenance/text-diff.ts';
import type { DocumentEvidence } from '../src/store/sqlite/sqlite-provenance.ts';
import type { DocumentKind, Truth, TruthDocument } from './provenance-corpus.ts';

/** False positives and misses shown in full, at most. */
const EXAMPLES = 8;
/** An example's edits shown, at most, each cut to this many characters. */
const EXAMPLE_CHANGES = 3;
const CHANGE_CHARS = 160;

export interface Spread {
  n: number;
  min: number;
  p10: number;
  median: number;
  p90: number;
  max: number;
}

export interface CallExample {
  path: string;
  kind: DocumentKind;
  detail: string;
  originalPath: string;
  sameFamily: boolean;
  similarity: number;
  changes: number;
  removedWords: number;
  addedWords: number;
  edits: string[];
}

export interface MissExample {
  path: string;
  editClass: string;
  plantedJaccard: number;
  verdict: string;
  estimatedSimilarity: number | null;
  calledOriginal: string | null;
}

export interface WhatIf {
  rule: string;
  truePositives: number;
  falsePositives: number;
  recall: number;
  precision: number;
}

export interface Accuracy {
  documents: { files: number; byKind: Record<DocumentKind, number>; assessed: number };
  /** Verdicts given to each kind of document (byte-identical copies are their attachment's item). */
  verdictsByKind: Partial<Record<DocumentKind, Record<string, number>>>;
  attachments: { total: number; proven: number };
  altered: {
    planted: number;
    found: number;
    wrongOriginal: number;
    missed: number;
    recall: number;
    /** Planted altered copies whose pair with the original is not in `near_duplicates` at all. */
    pairMissing: number;
    byEditClass: Record<string, { planted: number; found: number }>;
    plantedJaccard: Spread;
    calledSimilarity: Spread;
    diff: { checked: number; accountsForEdits: number; truncated: number; changes: Spread; examples: string[] };
    missedExamples: MissExample[];
  };
  calls: {
    alteredCopy: number;
    truePositives: number;
    falsePositives: number;
    precision: number;
    falseByKind: Partial<Record<DocumentKind, number>>;
    falseSimilarity: Spread;
    falseChanges: Spread;
    trueChanges: Spread;
    /** See `marginOf`. */
    trueMargin: Spread;
    falseMargin: Spread;
    falsePositiveExamples: CallExample[];
  };
  genuineCopies: {
    byteIdentical: number;
    byteIdenticalCalledAltered: number;
    byteIdenticalNotProven: number;
    resaved: number;
    resavedCalledAltered: number;
    resavedByHow: Record<string, { n: number; calledAltered: number }>;
  };
  siblings: { loose: number; truthJaccardAtLeastHalf: number; calledAltered: number; truthJaccard: Spread };
  whatIf: WhatIf[];
}

function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { n: s.length, min: r(s[0] ?? NaN), p10: r(at(0.1)), median: r(at(0.5)), p90: r(at(0.9)), max: r(s.at(-1) ?? NaN) };
}

function ratio(a: number, b: number): number {
  return b === 0 ? NaN : Math.round((a / b) * 10000) / 10000;
}

/** Alphanumeric runs (the unit both the diff and the planted edits agree on), counted. */
function bag(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

function minus(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const d = (a.get(k) ?? 0) - (b.get(k) ?? 0);
    if (d !== 0) out.set(k, d);
  }
  return out;
}

function sameBag(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * Whether a diff accounts for every word that differs: any correct edit script removes and adds
 * exactly the words by which the two texts differ (as counted multisets), wherever it aligns them.
 * A diff that missed an edit, or was cut short, fails.
 */
export function diffAccountsForEdit(original: string, copy: string, diff: TextDiff): boolean {
  if (diff.truncated) return false;
  const removed = diff.changes.map((c) => c.removed).join(' ');
  const added = diff.changes.map((c) => c.added).join(' ');
  return sameBag(minus(bag(original), bag(copy)), minus(bag(removed), bag(added)));
}

interface Assessment {
  verdict: string;
  evidence: DocumentEvidence;
}

/**
 * How much closer a call's document is to the original it was called a copy of than to any other
 * proven document: the estimated similarity (from `nearDuplicates`) to the original, less the next
 * highest to a proven document (0 when there is none). A copy of one document stands out from the
 * rest; a form letter is about as close to every proven letter of its template. NaN when the
 * original is not among the listed near-duplicates.
 */
export function marginOf(evidence: DocumentEvidence, isProven: (sha: string) => boolean): number {
  const original = evidence.alteredFrom?.original;
  const proven = evidence.nearDuplicates.filter((n) => isProven(n.sha256));
  const best = proven.find((n) => n.sha256 === original)?.similarity ?? NaN;
  const next = proven.find((n) => n.sha256 !== original)?.similarity ?? 0;
  return Math.round((best - next) * 1000) / 1000;
}

function describeEdits(diff: TextDiff): string[] {
  return diff.changes.slice(0, EXAMPLE_CHANGES).map((c) => {
    const s = describeChange(c);
    return s.length > CHANGE_CHARS ? `${s.slice(0, CHANGE_CHARS - 1)}…` : s;
  });
}

/** Reads the verdicts of the case at `caseDb` and scores them against `truth`. */
export function scoreCase(caseDb: string, truth: Truth): Accuracy {
  const db = new DatabaseSync(caseDb, { readOnly: true });
  const assessments = new Map<string, Assessment>();
  for (const r of db.prepare('SELECT sha256, verdict, evidence FROM assessments').iterate() as Iterable<{ sha256: string; verdict: string; evidence: string }>) {
    assessments.set(r.sha256, { verdict: r.verdict, evidence: JSON.parse(r.evidence) as DocumentEvidence });
  }
  const pairSimilarity = db.prepare('SELECT similarity FROM near_duplicates WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)');
  const textStmt = db.prepare('SELECT text FROM extracted WHERE sha256 = ?');
  const textOf = (sha: string): string => String((textStmt.get(sha) as { text: string | null } | undefined)?.text ?? '');

  // A byte-identical copy is the same item as its attachment: the attachment speaks for that hash.
  const bySha = new Map<string, TruthDocument>();
  for (const d of truth.documents) if (d.kind !== 'copy' || !bySha.has(d.sha256)) bySha.set(d.sha256, d);
  const pathOf = (sha: string): string => bySha.get(sha)?.path ?? `(not in truth.json: ${sha.slice(0, 12)})`;
  const docs = (kind: DocumentKind): TruthDocument[] => truth.documents.filter((d) => d.kind === kind);

  // Planted altered copies.
  const planted = docs('altered');
  const byEditClass: Record<string, { planted: number; found: number }> = {};
  let found = 0;
  let wrongOriginal = 0;
  let pairMissing = 0;
  const calledSimilarity: number[] = [];
  const trueChanges: number[] = [];
  const misses: MissExample[] = [];
  const diffCheck = { checked: 0, accountsForEdits: 0, truncated: 0, examples: [] as string[] };
  for (const d of planted) {
    const cls = (byEditClass[d.editClass ?? '?'] ??= { planted: 0, found: 0 });
    cls.planted++;
    const a = assessments.get(d.sha256);
    const pair = pairSimilarity.get(d.sha256, d.of!, d.of!, d.sha256) as { similarity: number } | undefined;
    if (!pair) pairMissing++;
    const from = a?.evidence.alteredFrom ?? null;
    if (a?.verdict === 'altered-copy' && from && from.original === d.of) {
      found++;
      cls.found++;
      calledSimilarity.push(from.similarity);
      trueChanges.push(from.text.changes.length);
      diffCheck.checked++;
      if (from.text.truncated) diffCheck.truncated++;
      if (diffAccountsForEdit(textOf(d.of!), textOf(d.sha256), from.text)) diffCheck.accountsForEdits++;
      else if (diffCheck.examples.length < EXAMPLES) {
        diffCheck.examples.push(`${d.path}: planted ${d.edits!.map((e) => `${e.kind} [-${e.removed.slice(0, 40)}-] {+${e.added.slice(0, 40)}+}`).join('; ')}; diff ${describeEdits(from.text).join(' | ')}`);
      }
      continue;
    }
    if (a?.verdict === 'altered-copy') wrongOriginal++;
    if (misses.length < EXAMPLES) {
      misses.push({
        path: d.path, editClass: d.editClass ?? '?', plantedJaccard: d.jaccard ?? NaN, verdict: a?.verdict ?? '(no assessment)',
        estimatedSimilarity: pair?.similarity ?? null, calledOriginal: from ? pathOf(from.original) : null,
      });
    }
  }

  // Every altered-copy call.
  const plantedBySha = new Map(planted.map((d) => [d.sha256, d]));
  const falseByKind: Partial<Record<DocumentKind, number>> = {};
  const falseSimilarity: number[] = [];
  const falseChanges: number[] = [];
  const falseCalls: { sha: string; doc: TruthDocument | undefined; from: NonNullable<DocumentEvidence['alteredFrom']> }[] = [];
  let calls = 0;
  let truePositives = 0;
  const scored: { tp: boolean; similarity: number; changes: number; words: number; margin: number }[] = [];
  const trueMargin: number[] = [];
  const falseMargin: number[] = [];
  for (const [sha, a] of assessments) {
    if (a.verdict !== 'altered-copy' || !a.evidence.alteredFrom) continue;
    calls++;
    const from = a.evidence.alteredFrom;
    const p = plantedBySha.get(sha);
    const tp = p !== undefined && p.of === from.original;
    const margin = marginOf(a.evidence, (s) => assessments.get(s)?.verdict === 'authentic-by-provenance');
    scored.push({ tp, similarity: from.similarity, changes: from.text.changes.length, words: from.text.removedWords + from.text.addedWords, margin });
    (tp ? trueMargin : falseMargin).push(margin);
    if (tp) {
      truePositives++;
      continue;
    }
    const doc = bySha.get(sha);
    const kind = doc?.kind ?? 'loose';
    falseByKind[kind] = (falseByKind[kind] ?? 0) + 1;
    falseSimilarity.push(from.similarity);
    falseChanges.push(from.text.changes.length);
    falseCalls.push({ sha, doc, from });
  }
  // Examples: the most similar false calls first (the hardest to tell from a real alteration), one of each kind at least.
  falseCalls.sort((x, y) => y.from.similarity - x.from.similarity || x.sha.localeCompare(y.sha));
  const chosen = new Set<(typeof falseCalls)[number]>();
  const kinds = [...new Set(falseCalls.map((f) => f.doc?.kind))];
  for (let round = 0; chosen.size < Math.min(EXAMPLES, falseCalls.length); round++) {
    for (const kind of kinds) {
      const f = falseCalls.filter((x) => x.doc?.kind === kind)[round];
      if (f && chosen.size < EXAMPLES) chosen.add(f);
    }
  }
  const falsePositiveExamples: CallExample[] = [...chosen].map(({ doc, from }) => {
    const original = bySha.get(from.original);
    return {
      path: doc?.path ?? '(unknown)',
      kind: doc?.kind ?? 'loose',
      detail: doc?.kind === 'resaved' ? `re-saved as ${doc.resavedAs}` : doc?.kind === 'sibling' ? `template family ${doc.family}, planted Jaccard with closest attached sibling ${doc.jaccard}` : doc?.kind === 'altered' ? `planted altered copy of ${pathOf(doc.of!)}, called a copy of another` : '',
      originalPath: pathOf(from.original),
      sameFamily: doc?.family !== undefined && doc.family === original?.family,
      similarity: from.similarity,
      changes: from.text.changes.length,
      removedWords: from.text.removedWords,
      addedWords: from.text.addedWords,
      edits: describeEdits(from.text),
    };
  });

  // Genuine copies.
  const copies = docs('copy');
  const resaved = docs('resaved');
  const resavedByHow: Record<string, { n: number; calledAltered: number }> = {};
  for (const d of resaved) {
    const h = (resavedByHow[d.resavedAs ?? '?'] ??= { n: 0, calledAltered: 0 });
    h.n++;
    if (assessments.get(d.sha256)?.verdict === 'altered-copy') h.calledAltered++;
  }
  const siblings = docs('sibling');
  const attachments = docs('attachment');

  // What-if: the same calls, had the rule also asked for a higher similarity or fewer edits.
  const whatIf: WhatIf[] = [];
  const tryRule = (rule: string, keep: (s: (typeof scored)[number]) => boolean): void => {
    const kept = scored.filter(keep);
    const tp = kept.filter((s) => s.tp).length;
    whatIf.push({ rule, truePositives: tp, falsePositives: kept.length - tp, recall: ratio(tp, planted.length), precision: ratio(tp, kept.length) });
  };
  tryRule('as is', () => true);
  for (const t of [0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]) tryRule(`similarity >= ${t}`, (s) => s.similarity >= t);
  for (const k of [3, 5, 8, 12]) tryRule(`at most ${k} text changes`, (s) => s.changes <= k);
  tryRule('some word differs', (s) => s.words > 0);
  for (const k of [5, 8, 12]) tryRule(`some word differs, at most ${k} text changes`, (s) => s.words > 0 && s.changes <= k);
  for (const m of [0.1, 0.2]) tryRule(`some word differs, margin >= ${m}`, (s) => s.words > 0 && s.margin >= m);
  tryRule('some word differs, margin >= 0.1, at most 12 text changes', (s) => s.words > 0 && s.margin >= 0.1 && s.changes <= 12);
  for (const t of [0.7, 0.8]) tryRule(`some word differs, similarity >= ${t}`, (s) => s.words > 0 && s.similarity >= t);

  const verdictsByKind: Accuracy['verdictsByKind'] = {};
  for (const d of truth.documents) {
    const v = assessments.get(d.sha256)?.verdict ?? '(none)';
    const row = (verdictsByKind[d.kind] ??= {});
    row[v] = (row[v] ?? 0) + 1;
  }

  db.close();
  return {
    documents: { files: truth.documents.length, byKind: truth.counts, assessed: assessments.size },
    verdictsByKind,
    attachments: { total: attachments.length, proven: attachments.filter((d) => assessments.get(d.sha256)?.verdict === 'authentic-by-provenance').length },
    altered: {
      planted: planted.length, found, wrongOriginal, missed: planted.length - found - wrongOriginal, recall: ratio(found, planted.length), pairMissing,
      byEditClass, plantedJaccard: spread(planted.map((d) => d.jaccard ?? NaN)), calledSimilarity: spread(calledSimilarity),
      diff: { ...diffCheck, changes: spread(trueChanges) }, missedExamples: misses,
    },
    calls: {
      alteredCopy: calls, truePositives, falsePositives: calls - truePositives, precision: ratio(truePositives, calls), falseByKind,
      falseSimilarity: spread(falseSimilarity), falseChanges: spread(falseChanges), trueChanges: spread(trueChanges),
      trueMargin: spread(trueMargin), falseMargin: spread(falseMargin), falsePositiveExamples,
    },
    genuineCopies: {
      byteIdentical: copies.length,
      byteIdenticalCalledAltered: copies.filter((d) => assessments.get(d.sha256)?.verdict === 'altered-copy').length,
      byteIdenticalNotProven: copies.filter((d) => assessments.get(d.sha256)?.verdict !== 'authentic-by-provenance').length,
      resaved: resaved.length,
      resavedCalledAltered: resaved.filter((d) => assessments.get(d.sha256)?.verdict === 'altered-copy').length,
      resavedByHow,
    },
    siblings: {
      loose: siblings.length,
      truthJaccardAtLeastHalf: siblings.filter((d) => (d.jaccard ?? 0) >= 0.5).length,
      calledAltered: siblings.filter((d) => assessments.get(d.sha256)?.verdict === 'altered-copy').length,
      truthJaccard: spread(siblings.map((d) => d.jaccard ?? NaN)),
    },
    whatIf,
  };
}
