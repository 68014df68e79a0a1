/**
 * Near-duplicate fingerprints of document text: word shingles, MinHash (Broder 1997) and LSH banding
 * (Leskovec, Rajaraman, Ullman, "Mining of Massive Datasets", ch. 3). Two texts that share a fraction
 * J of their shingles (Jaccard similarity) agree on each MinHash value with probability J, so a
 * signature of SIGNATURE_SIZE values estimates J within about ±0.06, and LSH finds the pairs with a
 * high J without comparing every pair: time grows with the number of documents, not its square.
 *
 * Words are folded like the search index folds them (case, accents), so a re-encoded or re-typed copy
 * still matches; numbers are words, so a changed amount changes the shingles around it.
 */

/** Words per shingle: three keeps short documents (a letter, a slide) comparable. */
export const SHINGLE_WORDS = 3;
/** MinHash values per document. */
export const SIGNATURE_SIZE = 64;
/** LSH: BANDS bands of ROWS values; a pair becomes a candidate when one band is identical. */
export const BANDS = 16;
export const ROWS = SIGNATURE_SIZE / BANDS;
/** Texts with fewer words than this are not fingerprinted: too little to call two of them copies. */
export const MIN_WORDS = 8;

/** Words of a text, lower case, without accents: `Élysée's` gives `elysee`, `s`. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit mixer (murmur3 fmix32): turns one hash into an independent-looking permutation of it. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Fixed per-function seeds: the same signature for the same text on every machine, forever. */
const SEEDS = Uint32Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix(0x9e3779b9 * (i + 1)));

/** The distinct shingle hashes of a list of words. */
export function shingles(list: readonly string[]): Set<number> {
  const out = new Set<number>();
  if (list.length < SHINGLE_WORDS) {
    if (list.length > 0) out.add(fnv1a(list.join(' ')));
    return out;
  }
  for (let i = 0; i + SHINGLE_WORDS <= list.length; i++) out.add(fnv1a(list.slice(i, i + SHINGLE_WORDS).join(' ')));
  return out;
}

/** The MinHash signature of a text, or null when it has fewer than MIN_WORDS words. */
export function signatureOf(text: string): Uint32Array | null {
  const list = words(text);
  if (list.length < MIN_WORDS) return null;
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const h of shingles(list)) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const v = mix(h ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity: the share of positions where two signatures agree. */
export function estimateSimilarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SIZE;
}

/** Exact Jaccard similarity of the shingle sets of two texts. */
export function jaccard(a: string, b: string): number {
  return setJaccard(shingles(words(a)), shingles(words(b)));
}

/** Exact Jaccard similarity of two shingle sets (`shingles(words(text))`), for texts compared many times. */
export function setJaccard(x: ReadonlySet<number>, y: ReadonlySet<number>): number {
  if (x.size === 0 && y.size === 0) return 1;
  let both = 0;
  for (const h of x) if (y.has(h)) both++;
  return both / (x.size + y.size - both);
}

/** A signature as bytes, for storage (little-endian, as a Uint32Array's buffer is here). */
export function signatureBytes(sig: Uint32Array): Uint8Array {
  return new Uint8Array(sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength));
}

export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Bucket keys larger than this are skipped: a band shared by hundreds of documents is boilerplate, not a copy. */
export const MAX_BUCKET = 500;

/**
 * Calls `visit(i, j)` (indexes into `signatures`, i < j) once for every pair that shares at least
 * one band. Per band: sort the documents by band hash, pair the runs of equal hashes, O(n log n) per
 * band. A pair is visited in the first band it shares (outside a skipped bucket), so no set of the
 * pairs seen is kept: a template-heavy trove has tens of millions (a JavaScript Set stops at 2^24).
 */
export function forEachCandidatePair(signatures: readonly Uint32Array[], visit: (i: number, j: number) => void): { pairs: number; skippedBuckets: number } {
  const n = signatures.length;
  // Every document's key in every band, and whether its bucket in that band was skipped.
  const keys = new Uint32Array(n * BANDS);
  const skipped = new Uint8Array(n * BANDS);
  for (let d = 0; d < n; d++) {
    const s = signatures[d]!;
    for (let band = 0; band < BANDS; band++) {
      let h = 0x811c9dc5 ^ band;
      for (let r = 0; r < ROWS; r++) h = mix(h ^ s[band * ROWS + r]!);
      keys[d * BANDS + band] = h;
    }
  }
  const sharedBefore = (x: number, y: number, band: number): boolean => {
    for (let e = 0; e < band; e++) if (keys[x * BANDS + e] === keys[y * BANDS + e] && skipped[x * BANDS + e] === 0) return true;
    return false;
  };
  let pairs = 0;
  let skippedBuckets = 0;
  const order = new Uint32Array(n);
  for (let band = 0; band < BANDS; band++) {
    const key = (d: number): number => keys[d * BANDS + band]!;
    for (let d = 0; d < n; d++) order[d] = d;
    order.sort((a, b) => key(a) - key(b) || a - b);
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && key(order[j]!) === key(order[i]!)) j++;
      if (j - i > MAX_BUCKET) {
        skippedBuckets++;
        for (let a = i; a < j; a++) skipped[order[a]! * BANDS + band] = 1;
      } else {
        for (let a = i; a < j; a++) {
          for (let b = a + 1; b < j; b++) {
            // Sorted by document within a run of equal keys: order[a] < order[b].
            const x = order[a]!;
            const y = order[b]!;
            if (sharedBefore(x, y, band)) continue;
            pairs++;
            visit(x, y);
          }
        }
      }
      i = j;
    }
  }
  return { pairs, skippedBuckets };
}

/** The candidate pairs of forEachCandidatePair as a list (small sets of documents: tests, benchmarks). */
export function candidatePairs(signatures: readonly Uint32Array[]): { pairs: [number, number][]; skippedBuckets: number } {
  const pairs: [number, number][] = [];
  const { skippedBuckets } = forEachCandidatePair(signatures, (i, j) => pairs.push([i, j]));
  return { pairs, skippedBuckets };
}
