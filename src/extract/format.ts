/**
 * The shape every format module shares (STYLE.md §2): one module per format, listed once in
 * `registry.ts`, chosen by the best sniff score (magic bytes beat extensions).
 */

/** What an item is to an investigator; derived from its format and where it was found. */
export type ItemKind = 'email' | 'attachment' | 'document' | 'container';

/** How a format module classifies what it reads. Containers yield child items; emails are parsed. */
export type FormatClass = 'email' | 'container' | 'document';

/** A per-item failure, recorded on the item and counted; never thrown past the item. */
export interface ItemError {
  /** Stable, kebab-case (`truncated-archive`, `zip-bomb`, `encrypted`, `malformed-mime` ...). */
  code: string;
  /** Plain words: what is wrong and, where useful, what the user can do. */
  message: string;
}

/** Score returned by `sniff`: 0 = not this format. Magic bytes should score above extensions. */
export const SCORE_MAGIC = 100;
export const SCORE_STRUCTURE = 60;
export const SCORE_EXTENSION = 30;

export interface FormatModule {
  /** Short stable name stored as the item's detected type (`email`, `zip`, `mbox`, `pdf` ...). */
  name: string;
  class: FormatClass;
  mimeTypes: readonly string[];
  /** Lower-case, without the dot. */
  extensions: readonly string[];
  /** Score the first bytes of an item (up to `SNIFF_BYTES`) and its name; 0 means "not mine". */
  sniff(head: Uint8Array, name: string): number;
}

/** How many leading bytes the registry hands to `sniff`. */
export const SNIFF_BYTES = 4096;

/** Lower-case extension of a file name without the dot, or '' when there is none. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** True when `head` starts with the bytes of `magic` at `offset`. */
export function startsWithBytes(head: Uint8Array, magic: readonly number[] | string, offset = 0): boolean {
  const bytes = typeof magic === 'string' ? Array.from(magic, (c) => c.charCodeAt(0)) : magic;
  if (head.length < offset + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (head[offset + i] !== bytes[i]) return false;
  return true;
}
