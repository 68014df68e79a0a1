/**
 * What changed between an original and a copy, for people: word-level edits with a little context
 * around each, and the metadata fields that differ. The word diff is jsdiff's (Myers' O(ND)
 * algorithm), bounded so that two long, unrelated texts cannot take minutes.
 */
import { diffWordsWithSpace } from 'diff';

/** Words of unchanged text kept on each side of an edit. */
const CONTEXT_WORDS = 8;
/** Give up a word diff past this many edits (it would not be readable anyway). */
const MAX_EDIT_LENGTH = 2000;
/** Characters of each text compared at most. */
const MAX_DIFF_CHARS = 200_000;
/** Edits listed at most. */
const MAX_CHANGES = 200;

/** One edit: text removed from the original and/or added in the copy, with context before and after. */
export interface TextChange {
  before: string;
  removed: string;
  added: string;
  after: string;
}

export interface TextDiff {
  changes: TextChange[];
  /** Words removed from and added to the original, in total. */
  removedWords: number;
  addedWords: number;
  /** True when the texts were too different or too long to list every edit. */
  truncated: boolean;
  /**
   * Share of words in common, in order (2 x words kept / words in both texts, as difflib's ratio):
   * 1 for the same text, about 0.9 when a paragraph of ten was rewritten. 0 when not computed.
   */
  similarity: number;
}

export interface MetadataChange {
  field: string;
  original: unknown;
  copy: unknown;
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

function lastWords(s: string, n: number): string {
  const parts = s.split(/(\s+)/);
  const kept = parts.slice(Math.max(0, parts.length - 2 * n));
  return (kept.length < parts.length ? '…' : '') + kept.join('').replace(/^\s+/, '');
}

function firstWords(s: string, n: number): string {
  const parts = s.split(/(\s+)/);
  const kept = parts.slice(0, 2 * n);
  return kept.join('').replace(/\s+$/, '') + (kept.length < parts.length ? '…' : '');
}

/** The word edits that turn `original` into `copy`. */
export function diffTexts(original: string, copy: string): TextDiff {
  const tooLong = original.length > MAX_DIFF_CHARS || copy.length > MAX_DIFF_CHARS;
  const parts = diffWordsWithSpace(original.slice(0, MAX_DIFF_CHARS), copy.slice(0, MAX_DIFF_CHARS), { maxEditLength: MAX_EDIT_LENGTH });
  if (!parts) return { changes: [], removedWords: wordCount(original), addedWords: wordCount(copy), truncated: true, similarity: 0 };
  const changes: TextChange[] = [];
  let removedWords = 0;
  let addedWords = 0;
  let keptWords = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!p.added && !p.removed) {
      keptWords += wordCount(p.value);
      continue;
    }
    // Gather one edit: consecutive removed/added parts (jsdiff gives removed before added).
    let removed = '';
    let added = '';
    const start = i;
    for (;;) {
      while (i < parts.length && (parts[i]!.added || parts[i]!.removed)) {
        if (parts[i]!.removed) removed += parts[i]!.value;
        else added += parts[i]!.value;
        i++;
      }
      // Edits parted only by a space are one edit to a reader: "40 175" became "401 757".
      const gap = parts[i];
      const then = parts[i + 1];
      if (!gap || !then || gap.value.trim() !== '' || !(then.added || then.removed)) break;
      removed += gap.value;
      added += gap.value;
      i++;
    }
    removedWords += wordCount(removed);
    addedWords += wordCount(added);
    if (removed.trim() === '' && added.trim() === '') {
      i--;
      continue;
    }
    const prev = start > 0 ? parts[start - 1]!.value : '';
    const next = i < parts.length ? parts[i]!.value : '';
    if (changes.length < MAX_CHANGES) changes.push({ before: lastWords(prev, CONTEXT_WORDS), removed, added, after: firstWords(next, CONTEXT_WORDS) });
    i--; // the loop's i++ moves on to the unchanged part after this edit, which is counted above
  }
  const total = 2 * keptWords + removedWords + addedWords;
  return {
    changes, removedWords, addedWords, truncated: tooLong || changes.length >= MAX_CHANGES,
    similarity: total === 0 ? 1 : Math.round(((2 * keptWords) / total) * 1000) / 1000,
  };
}

/** Metadata fields whose values differ (a field present on one side only counts), in name order. */
export function diffMetadata(original: Record<string, unknown> | null, copy: Record<string, unknown> | null): MetadataChange[] {
  const a = original ?? {};
  const b = copy ?? {};
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: MetadataChange[] = [];
  for (const field of fields) {
    if (JSON.stringify(a[field] ?? null) !== JSON.stringify(b[field] ?? null)) out.push({ field, original: a[field] ?? null, copy: b[field] ?? null });
  }
  return out;
}

/** An edit as one line of plain text: `…context [-removed-] {+added+} context…`. */
export function describeChange(c: TextChange): string {
  const rm = c.removed.trim() ? `[-${c.removed.trim()}-]` : '';
  const add = c.added.trim() ? `{+${c.added.trim()}+}` : '';
  return [c.before, rm, add, c.after].filter(Boolean).join(' ').replace(/\s+/g, ' ');
}

/**
 * Words in common, in order, as in TextDiff.similarity, but only when at least `min`: Myers' O(ND)
 * edit distance on word numbers, abandoned as soon as the distance rules `min` out. Cheap enough to
 * try on every candidate pair; the full word diff is then made for the pairs that pass.
 */
export function wordSimilarity(original: string, copy: string, min: number): number | null {
  const codes = new Map<string, number>();
  const encode = (s: string): Int32Array => {
    const ws = s.split(/\s+/).filter(Boolean);
    const out = new Int32Array(ws.length);
    ws.forEach((w, i) => {
      let c = codes.get(w);
      if (c === undefined) codes.set(w, (c = codes.size));
      out[i] = c;
    });
    return out;
  };
  const a = encode(original.slice(0, MAX_DIFF_CHARS));
  const b = encode(copy.slice(0, MAX_DIFF_CHARS));
  const n = a.length;
  const m = b.length;
  if (n + m === 0) return 1;
  const maxD = Math.floor((1 - min) * (n + m));
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return Math.round(((n + m - d) / (n + m)) * 1000) / 1000;
    }
  }
  return null;
}
