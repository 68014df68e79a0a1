/**
 * The provenance pass over a whole case (ARCHITECTURE.md "Corpus passes"), run after verification:
 *
 * 1. Hash propagation. DKIM's body hash covers every byte of a message, attachments included, so
 *    everything under an email that verifies (attachments, files in an attached zip, a forwarded
 *    message and its own attachments) is unchanged since that email was signed. An item is one
 *    SHA-256, so a loose copy elsewhere in the trove is the same item and gets the same proof.
 *    Only an `authentic` carrier makes a document `authentic-by-provenance`; a carrier that is only
 *    `authentic-third-party`, `weak-key` or `recovered-key` is recorded as a weaker provenance and
 *    said in words, but does not prove the document.
 * 2. Near-duplicates: MinHash/LSH over the documents' text (`provenance/minhash.ts`).
 * 3. Altered copies: a document without that proof whose text nearly equals a proven document's but
 *    whose bytes differ is an `altered-copy`, with the word edits and metadata changes as evidence.
 *
 * Everything is recomputed from the case tables, in a canonical order: the same case gives the same
 * verdicts on every machine.
 */
import type { DatabaseSync } from 'node:sqlite';
import {
  forEachCandidatePair,
  estimateSimilarity,
  setJaccard,
  shingles,
  words,
  signatureBytes,
  signatureFromBytes,
  signatureOf,
} from '../../provenance/minhash.ts';
import { diffMetadata, diffTexts, wordSimilarity, type MetadataChange, type TextDiff } from '../../provenance/text-diff.ts';
import { SUSPICIOUS_SEVERITY, type Signal } from '../../forensics/signal.ts';
import { NeighbourLists } from '../../provenance/neighbours.ts';
import { idOf } from '../store.ts';
import { runForensics, signalsOf, type ForensicsSummary } from './sqlite-forensics.ts';

type Row = Record<string, string | number | bigint | null | Uint8Array>;

/** Carrier verdicts that prove a carried item unchanged since signing, strongest first. */
export const CARRIER_VERDICTS = ['authentic', 'authentic-third-party', 'weak-key', 'recovered-key'] as const;
/** Estimated similarity at which two documents are listed as near-duplicates of each other. */
export const NEAR_DUPLICATE_MIN = 0.5;
/** Near-duplicates kept and shown per document: its closest, by estimated similarity. */
export const NEIGHBOURS_KEPT = 50;
/** Exact shingle similarity below which two documents are not compared word by word. */
export const COMPARE_MIN = 0.5;
/**
 * Words in common, in order (TextDiff.similarity), at which a document is a copy of a proven one,
 * so an altered copy if it differs. Measured on generated troves: planted edits score 0.9 to 0.99,
 * different documents written from one template 0.5 to 0.75.
 */
export const COPY_MIN = 0.85;
/** A copy that keeps the original's creation stamp (same creator and creation date) needs only this much. */
export const STAMPED_COPY_MIN = 0.5;
/**
 * Separate edits at most in a copy (unless it keeps the original's creation stamp). A forger edits a
 * few places; two documents filled in from one template differ in every field (bench:provenance:
 * planted edits have a median of 1 change and 90% have at most 5; template siblings 9 to 30).
 */
export const MAX_COPY_CHANGES = 8;
/** Proven neighbours compared word by word, most similar first. */
const MAX_COMPARED = 5;
/** Originals whose text and shingles the judging pass keeps at once (OriginalTexts). */
const ORIGINALS_KEPT = 2000;

export const PROVENANCE_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS provenance (
  sha256 TEXT PRIMARY KEY,
  via TEXT NOT NULL,
  strength TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS near_duplicates (
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  similarity REAL NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS near_duplicates_b ON near_duplicates(b);
CREATE TABLE IF NOT EXISTS assessments (
  sha256 TEXT PRIMARY KEY,
  verdict TEXT NOT NULL,
  summary TEXT NOT NULL,
  evidence TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Evidence of a document's verdict (stored as JSON; shown by `trove show`, carried by the report). */
export interface DocumentEvidence {
  provenance: { via: string; viaId: string; strength: string; viaSubject: string | null; viaFrom: string | null } | null;
  alteredFrom: {
    original: string;
    originalId: string;
    similarity: number;
    text: TextDiff;
    metadata: MetadataChange[];
  } | null;
  nearDuplicates: { sha256: string; id: string; similarity: number }[];
  /** Forensic signals (store/sqlite/sqlite-forensics.ts), most severe first; shown even when proven. */
  signals: Signal[];
}

export interface ProvenanceSummary {
  documents: number;
  proven: number;
  weaker: number;
  suspicious: number;
  forensics: ForensicsSummary;
  fingerprinted: number;
  nearDuplicatePairs: number;
  alteredCopies: number;
  elapsedMs: number;
}

export interface ProvenanceProgress {
  stage: 'propagating' | 'examining' | 'fingerprinting' | 'comparing' | 'judging';
  done: number;
  total: number;
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function transaction(db: DatabaseSync, fn: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    fn();
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

const STRENGTH_RANK = `CASE v.verdict ${CARRIER_VERDICTS.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;

/** Step 1: the strongest verifying email above each item (ties: the earliest email, then its hash). */
function propagate(db: DatabaseSync): void {
  db.exec('DELETE FROM provenance');
  db.exec(`
    INSERT INTO provenance(sha256, via, strength)
    WITH RECURSIVE carried(sha, via, rank, depth) AS (
      SELECT p.sha256, v.sha256, ${STRENGTH_RANK}, 1
        FROM verifications v JOIN placements p ON p.parent = v.sha256
        WHERE v.verdict IN (${CARRIER_VERDICTS.map((v) => `'${v}'`).join(', ')})
      UNION
      SELECT p.sha256, c.via, c.rank, c.depth + 1 FROM carried c JOIN placements p ON p.parent = c.sha WHERE c.depth < 64
    ),
    ranked AS (
      SELECT c.sha, c.via, c.rank, row_number() OVER (PARTITION BY c.sha ORDER BY c.rank, e.date IS NULL, e.date, c.via) AS n
      FROM carried c LEFT JOIN emails e ON e.sha256 = c.via
    )
    SELECT sha, via, CASE rank ${CARRIER_VERDICTS.map((v, i) => `WHEN ${i} THEN '${v}'`).join(' ')} END FROM ranked WHERE n = 1`);
}

/** Step 2a: a MinHash signature for every document text that has none yet. */
function fingerprint(db: DatabaseSync, onProgress?: (p: ProvenanceProgress) => void): void {
  const todo = (db.prepare(
    `SELECT x.sha256 FROM extracted x JOIN items i ON i.sha256 = x.sha256
     WHERE i.class <> 'email' AND x.text IS NOT NULL AND x.minhash IS NULL ORDER BY x.sha256`,
  ).all() as Row[]).map((r) => String(r.sha256));
  const read = db.prepare('SELECT text FROM extracted WHERE sha256 = ?');
  const write = db.prepare('UPDATE extracted SET minhash = ? WHERE sha256 = ?');
  for (let i = 0; i < todo.length; i += 500) {
    transaction(db, () => {
      for (const sha of todo.slice(i, i + 500)) {
        const sig = signatureOf(String((read.get(sha) as Row).text));
        // An empty blob marks "too short to compare", so that it is not tried again.
        write.run(sig ? signatureBytes(sig) : new Uint8Array(0), sha);
      }
    });
    onProgress?.({ stage: 'fingerprinting', done: Math.min(i + 500, todo.length), total: todo.length });
  }
}

/** Step 2b: near-duplicate pairs among all fingerprinted documents. */
function compare(db: DatabaseSync, onProgress?: (p: ProvenanceProgress) => void): number {
  const shas: string[] = [];
  const sigs: Uint32Array[] = [];
  for (const r of db.prepare(
    `SELECT x.sha256, x.minhash FROM extracted x JOIN items i ON i.sha256 = x.sha256
     WHERE i.class <> 'email' AND length(x.minhash) > 0 ORDER BY x.sha256`,
  ).iterate() as Iterable<Row>) {
    shas.push(String(r.sha256));
    sigs.push(signatureFromBytes(r.minhash as Uint8Array));
  }
  onProgress?.({ stage: 'comparing', done: 0, total: shas.length });
  // Only each document's NEIGHBOURS_KEPT closest are kept: they are all judging reads of it, and a
  // trove of filled-in templates has pairs by the tens of millions.
  const closest = new NeighbourLists(shas.length, NEIGHBOURS_KEPT);
  forEachCandidatePair(sigs, (i, j) => {
    const s = estimateSimilarity(sigs[i]!, sigs[j]!);
    if (s < NEAR_DUPLICATE_MIN) return;
    closest.offer(i, j, s);
    closest.offer(j, i, s);
  });
  let kept = 0;
  transaction(db, () => {
    db.exec('DELETE FROM near_duplicates');
    const put = db.prepare('INSERT INTO near_duplicates(a, b, similarity) VALUES (?, ?, ?)');
    for (const [i, j, s] of closest.pairs()) {
      put.run(shas[i]!, shas[j]!, s);
      kept++;
    }
  });
  onProgress?.({ stage: 'comparing', done: shas.length, total: shas.length });
  return kept;
}

function metadataOf(db: DatabaseSync, sha: string): Record<string, unknown> | null {
  const m = str((db.prepare('SELECT metadata FROM extracted WHERE sha256 = ?').get(sha) as Row | undefined)?.metadata);
  return m ? (JSON.parse(m) as Record<string, unknown>) : null;
}

/**
 * Proven documents' texts and shingle sets, kept for the judging pass: one original of a template is
 * compared with each of its look-alikes, and would be read and split into shingles each time.
 */
class OriginalTexts {
  readonly #db: DatabaseSync;
  readonly #kept = new Map<string, { text: string; shingles: Set<number> }>();
  constructor(db: DatabaseSync) {
    this.#db = db;
  }
  get(sha: string): { text: string; shingles: Set<number> } {
    let t = this.#kept.get(sha);
    if (t) this.#kept.delete(sha);
    else {
      const text = textOf(this.#db, sha);
      t = { text, shingles: shingles(words(text)) };
      if (this.#kept.size >= ORIGINALS_KEPT) this.#kept.delete(this.#kept.keys().next().value!);
    }
    this.#kept.set(sha, t);
    return t;
  }
}

function textOf(db: DatabaseSync, sha: string): string {
  return str((db.prepare('SELECT text FROM extracted WHERE sha256 = ?').get(sha) as Row | undefined)?.text) ?? '';
}

/** Step 3: a verdict, a summary and evidence for every item that is not an email. */
function judge(db: DatabaseSync, onProgress?: (p: ProvenanceProgress) => void): { proven: number; weaker: number; altered: number; suspicious: number; documents: number } {
  const provenance = new Map<string, { via: string; strength: string }>();
  for (const r of db.prepare('SELECT sha256, via, strength FROM provenance').iterate() as Iterable<Row>) {
    provenance.set(String(r.sha256), { via: String(r.via), strength: String(r.strength) });
  }
  const proven = (sha: string): boolean => provenance.get(sha)?.strength === 'authentic';
  const emailLine = db.prepare('SELECT subject, addresses FROM emails WHERE sha256 = ?');
  const neighbours = db.prepare(
    `SELECT b AS other, similarity FROM near_duplicates WHERE a = ? UNION ALL SELECT a, similarity FROM near_duplicates WHERE b = ?
     ORDER BY similarity DESC, other LIMIT ${NEIGHBOURS_KEPT}`,
  );
  const docs = (db.prepare("SELECT sha256 FROM items WHERE class <> 'email' ORDER BY sha256").all() as Row[]).map((r) => String(r.sha256));
  const counts = { proven: 0, weaker: 0, altered: 0, suspicious: 0, documents: docs.length };
  const put = db.prepare('INSERT INTO assessments(sha256, verdict, summary, evidence) VALUES (?, ?, ?, ?)');
  const setVerdict = db.prepare('UPDATE search_rows SET verdict = ? WHERE sha256 = ?');

  const originals = new OriginalTexts(db);
  transaction(db, () => {
    db.exec('DELETE FROM assessments');
    docs.forEach((sha, k) => {
      const p = provenance.get(sha) ?? null;
      const evidence: DocumentEvidence = { provenance: null, alteredFrom: null, nearDuplicates: [], signals: signalsOf(db, sha) };
      const alarming = evidence.signals.filter((s) => s.severity === SUSPICIOUS_SEVERITY);
      if (p) {
        const e = emailLine.get(p.via) as Row | undefined;
        const from = e ? ((JSON.parse(String(e.addresses)) as { from: { address: string }[] }).from[0]?.address ?? null) : null;
        evidence.provenance = { via: p.via, viaId: idOf(p.via), strength: p.strength, viaSubject: str(e?.subject), viaFrom: from };
      }
      const near = (neighbours.all(sha, sha) as Row[]).map((r) => ({ sha256: String(r.other), id: idOf(String(r.other)), similarity: Number(r.similarity) }));
      evidence.nearDuplicates = near;

      let verdict: string;
      let summary: string;
      if (p?.strength === 'authentic') {
        verdict = 'authentic-by-provenance';
        summary = `Carried by email ${idOf(p.via)}${from(evidence)}, whose DKIM signature is authentic: these exact bytes are what was sent.`;
        counts.proven++;
      } else {
        const original = copiedFrom(db, sha, near.filter((n) => proven(n.sha256)).slice(0, MAX_COMPARED), originals);
        const text = original?.text ?? null;
        if (original && !text) {
          verdict = 'unproven';
          summary = `The same words as ${idOf(original.sha)}, which is proven by an authentic email, in a file saved again with other bytes (encoding, line ends, byte-order mark): the text is authentic, this file is not proven.`;
        } else if (original && text) {
          const { metadata } = original;
          evidence.alteredFrom = { original: original.sha, originalId: idOf(original.sha), similarity: text.similarity, text, metadata };
          verdict = 'altered-copy';
          const what = [
            text.changes.length > 0 ? `${plural(text.changes.length, 'text change')} (${plural(text.removedWords, 'word')} removed, ${text.addedWords} added)` : 'the same text',
            metadata.length > 0 ? `different metadata (${metadata.map((m) => m.field).join(', ')})` : null,
          ].filter(Boolean).join(' and ');
          summary = `A copy of ${idOf(original.sha)} (${Math.round(text.similarity * 100)}% of its words, in order), which is proven by an authentic email, but with ${what}.`;
          counts.altered++;
        } else if (alarming.length > 0) {
          verdict = 'suspicious';
          summary = `No authenticated email carried these bytes, and ${alarming.length === 1 ? 'one serious sign of forgery was' : `${alarming.length} serious signs of forgery were`} found: ${alarming.map((s) => s.message).join(' ')}`;
          counts.suspicious++;
        } else {
          verdict = 'unproven';
          summary = p
            ? `Carried by email ${idOf(p.via)}${from(evidence)}, which verifies only as ${p.strength}: unchanged since that signature, but not proven to come from its sender.`
            : 'No authenticated email carried these bytes, and nothing alarming was found: neither proven nor suspected.';
          if (p) counts.weaker++;
        }
      }
      put.run(sha, verdict, summary, JSON.stringify(evidence));
      setVerdict.run(verdict, sha);
      if (k % 1000 === 0) onProgress?.({ stage: 'judging', done: k, total: docs.length });
    });
  });
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The creation stamp a copy made by editing the original keeps: who created it, and when. */
function stampOf(m: Record<string, unknown> | null): string | null {
  if (!m) return null;
  const created = m.created ?? m.CreationDate ?? m['creation-date'] ?? null;
  const creator = m.creator ?? m.Author ?? m['initial-creator'] ?? null;
  return created === null ? null : JSON.stringify([created, creator]);
}

/**
 * The proven document this one is a copy of, if any: the most similar by words in order, at least
 * COPY_MIN, or STAMPED_COPY_MIN when both carry the same creation stamp.
 */
function copiedFrom(db: DatabaseSync, sha: string, candidates: { sha256: string }[], originals: OriginalTexts): { sha: string; text: TextDiff | null; metadata: MetadataChange[] } | null {
  const mine = textOf(db, sha);
  const myShingles = shingles(words(mine));
  const myMeta = metadataOf(db, sha);
  let best: { sha: string; text: TextDiff; metadata: MetadataChange[] } | null = null;
  let sameText: string | null = null;
  for (const c of candidates) {
    const { text: theirs, shingles: theirShingles } = originals.get(c.sha256);
    if (setJaccard(theirShingles, myShingles) < COMPARE_MIN) continue;
    const theirMeta = metadataOf(db, c.sha256);
    const stamped = stampOf(theirMeta) !== null && stampOf(theirMeta) === stampOf(myMeta);
    // The cheap measure first: most look-alikes (one template, other figures) stop here.
    const similarity = wordSimilarity(theirs, mine, stamped ? STAMPED_COPY_MIN : COPY_MIN);
    if (similarity === null || (best && similarity <= best.text.similarity)) continue;
    const text = diffTexts(theirs, mine);
    const metadata = diffMetadata(theirMeta, myMeta);
    // The same words and the same metadata: the same document saved again (another encoding, line
    // ends, a byte-order mark), not an altered copy.
    if (text.changes.length === 0 && metadata.length === 0) {
      sameText ??= c.sha256;
      continue;
    }
    if (!stamped && text.changes.length > MAX_COPY_CHANGES) continue;
    best = { sha: c.sha256, text, metadata };
  }
  // The very words of a proven document win over a near match with another one (a re-saved copy of
  // one filled-in template is not an altered copy of its sibling).
  if (sameText) return { sha: sameText, text: null, metadata: [] };
  return best;
}

function from(e: DocumentEvidence): string {
  const p = e.provenance;
  if (!p) return '';
  return p.viaSubject || p.viaFrom ? ` ("${p.viaSubject ?? ''}"${p.viaFrom ? ` from ${p.viaFrom}` : ''})` : '';
}

/** Runs the whole pass; safe to run again at any time (it replaces what it wrote). */
export function runProvenance(db: DatabaseSync, onProgress?: (p: ProvenanceProgress) => void): ProvenanceSummary {
  const started = performance.now();
  onProgress?.({ stage: 'propagating', done: 0, total: 1 });
  transaction(db, () => propagate(db));
  onProgress?.({ stage: 'examining', done: 0, total: 1 });
  let forensics: ForensicsSummary = { documents: 0, signals: 0, byCode: {} };
  transaction(db, () => {
    forensics = runForensics(db);
  });
  fingerprint(db, onProgress);
  const pairs = compare(db, onProgress);
  const counts = judge(db, onProgress);
  const fingerprinted = Number((db.prepare('SELECT count(*) AS n FROM extracted WHERE length(minhash) > 0').get() as Row).n);
  return {
    documents: counts.documents,
    proven: counts.proven,
    weaker: counts.weaker,
    suspicious: counts.suspicious,
    forensics,
    fingerprinted,
    nearDuplicatePairs: pairs,
    alteredCopies: counts.altered,
    elapsedMs: Math.round(performance.now() - started),
  };
}
