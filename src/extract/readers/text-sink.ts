/**
 * Where a reader writes a document's text as it walks it: pieces are appended in reading order, up
 * to MAX_INDEXED_TEXT_CHARS (the rest is not kept: the original is whole in the blob store), and
 * tidied once at the end so that every reader gives the same shape of text for search and
 * near-duplicate detection: lines without trailing blanks, at most one empty line in a row.
 */
import { MAX_INDEXED_TEXT_CHARS, clip } from '../plain-text.ts';

/** Pieces of text and their total length. */
interface Pieces {
  parts: string[];
  length: number;
}

export class TextSink {
  readonly #root: Pieces = { parts: [], length: 0 };
  readonly #captures: Pieces[] = [];
  readonly #limit: number;

  constructor(limit = MAX_INDEXED_TEXT_CHARS) {
    this.#limit = limit;
  }

  /** True once the kept text reached the limit: readers stop walking. */
  get full(): boolean {
    return this.#root.length >= this.#limit;
  }

  /** Appends text; beyond the limit nothing is kept (held-apart text too: it can only end up in the text). */
  add(text: string): void {
    const to = this.#captures.at(-1) ?? this.#root;
    if (text === '' || to.length >= this.#limit) return;
    const kept = text.length > this.#limit - to.length ? text.slice(0, this.#limit - to.length) : text;
    to.parts.push(kept);
    to.length += kept.length;
  }

  /** A line break. */
  line(): void {
    this.add('\n');
  }

  /** Ends a paragraph: a line break unless the text already ends one (no empty lines for empty paragraphs). */
  endLine(): void {
    const last = (this.#captures.at(-1) ?? this.#root).parts.at(-1);
    if (last !== undefined && !last.endsWith('\n')) this.add('\n');
  }

  /** Separates two blocks (pages, slides, sheets) with an empty line. */
  block(): void {
    this.add('\n\n');
  }

  /** Starts holding text apart (a table cell to repeat, a footnote to move after the body). */
  begin(): void {
    this.#captures.push({ parts: [], length: 0 });
  }

  /** Stops holding text apart and returns what was held. */
  end(): string {
    return (this.#captures.pop()?.parts ?? []).join('');
  }

  /** The text, tidied and clipped; a lone surrogate (a broken `\\u` escape) becomes U+FFFD. */
  toString(): string {
    return clip(tidyText(this.#root.parts.join(''))).toWellFormed();
  }
}

/**
 * Lines and cells trimmed at the end, runs of empty lines reduced to one, no blank start or end.
 * Written as a loop rather than regular expressions: a trailing-blank pattern backtracks
 * quadratically on a long run of spaces inside a line, and hostile files have those.
 */
export function tidyText(text: string): string {
  const out: string[] = [];
  for (const raw of text.split(/\r\n?|\n/)) {
    const line = raw.includes('\t') ? raw.split('\t').map((cell) => cell.trimEnd()).join('\t').trimEnd() : raw.trimEnd();
    if (line !== '' || (out.length > 0 && out.at(-1) !== '')) out.push(line);
  }
  while (out.at(-1) === '') out.pop();
  return out.join('\n');
}
