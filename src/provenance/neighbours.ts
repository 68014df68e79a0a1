/**
 * The k most similar neighbours of every document, kept while candidate pairs stream by: a trove of
 * filled-in templates has pairs by the tens of millions (every sibling of every template), but a
 * document is only ever judged against its closest ones. Best first is: higher similarity, then the
 * lower document index (the order `near_duplicates` is read in: similarity DESC, then sha256).
 */
export class NeighbourLists {
  readonly #k: number;
  readonly #other: Int32Array;
  readonly #similarity: Float64Array;
  readonly #count: Uint16Array;
  /** Per document, the slot of its worst kept neighbour (meaningful once its list is full). */
  readonly #worst: Int32Array;

  constructor(documents: number, k: number) {
    this.#k = k;
    this.#other = new Int32Array(documents * k);
    this.#similarity = new Float64Array(documents * k);
    this.#count = new Uint16Array(documents);
    this.#worst = new Int32Array(documents);
  }

  /** True when (s, a) ranks before (t, b). */
  static #better(s: number, a: number, t: number, b: number): boolean {
    return s > t || (s === t && a < b);
  }

  /** Offers `other` at `similarity` as a neighbour of `doc`. */
  offer(doc: number, other: number, similarity: number): void {
    const base = doc * this.#k;
    const n = this.#count[doc]!;
    if (n < this.#k) {
      this.#other[base + n] = other;
      this.#similarity[base + n] = similarity;
      this.#count[doc] = n + 1;
      if (n + 1 === this.#k) this.#findWorst(doc);
      return;
    }
    const w = base + this.#worst[doc]!;
    if (!NeighbourLists.#better(similarity, other, this.#similarity[w]!, this.#other[w]!)) return;
    this.#other[w] = other;
    this.#similarity[w] = similarity;
    this.#findWorst(doc);
  }

  #findWorst(doc: number): void {
    const base = doc * this.#k;
    let worst = 0;
    for (let i = 1; i < this.#k; i++) {
      if (NeighbourLists.#better(this.#similarity[base + worst]!, this.#other[base + worst]!, this.#similarity[base + i]!, this.#other[base + i]!)) worst = i;
    }
    this.#worst[doc] = worst;
  }

  /** Every pair kept by either of its documents, once, as [a, b, similarity] with a < b. */
  *pairs(): Generator<[number, number, number]> {
    for (let doc = 0; doc < this.#count.length; doc++) {
      const base = doc * this.#k;
      for (let i = 0; i < this.#count[doc]!; i++) {
        const other = this.#other[base + i]!;
        // A pair both documents kept is given by the lower one.
        if (other < doc && this.#keeps(other, doc)) continue;
        yield [Math.min(doc, other), Math.max(doc, other), this.#similarity[base + i]!];
      }
    }
  }

  #keeps(doc: number, other: number): boolean {
    const base = doc * this.#k;
    for (let i = 0; i < this.#count[doc]!; i++) if (this.#other[base + i] === other) return true;
    return false;
  }
}
