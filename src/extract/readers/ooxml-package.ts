/**
 * Open Packaging Conventions (ECMA-376 Part 2): relationships say which part is the main document
 * (§9.3, `_rels/.rels`), and which parts hang from it (headers, sheets, slides, notes...). Readers
 * follow them instead of guessing names, and fall back on the names Office writes.
 */
import { ExtractError } from '../extract-document.ts';
import { resolvePartName, type ZipPackage } from './package-zip.ts';
import { walkOptionalPart } from './xml-walk.ts';

export interface Relationship {
  id: string;
  /** The last segment of the relationship type URI: `officeDocument`, `header`, `worksheet`... */
  type: string;
  /** The target part's name inside the package. */
  target: string;
}

/** The relationships part of a part: `word/document.xml` -> `word/_rels/document.xml.rels`. */
export function relationshipsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/**
 * Internal relationships of `part` (`''` for the package), in document order; [] when it has none
 * or they cannot be read (the reason then goes to `problems`, and readers fall back on usual names).
 */
export async function readRelationships(pkg: ZipPackage, part: string, problems: string[]): Promise<Relationship[]> {
  const rels: Relationship[] = [];
  await walkOptionalPart(pkg, part === '' ? '_rels/.rels' : relationshipsPartOf(part), {
    open(name, a) {
      if (name !== 'Relationship' || a.TargetMode === 'External' || !a.Target || !a.Type) return;
      rels.push({ id: a.Id ?? '', type: a.Type.slice(a.Type.lastIndexOf('/') + 1), target: resolvePartName(part, a.Target) });
    },
  }, problems);
  return rels;
}

/** The package's main part (the `officeDocument` relationship), or `fallback` when the package does not say. */
export async function mainPartOf(pkg: ZipPackage, fallback: string, what: string, problems: string[]): Promise<string> {
  const main = (await readRelationships(pkg, '', problems)).find((r) => r.type === 'officeDocument' && pkg.has(r.target));
  const name = main?.target ?? fallback;
  if (!pkg.has(name)) throw new ExtractError(`the package has no ${fallback} part: it is not a ${what}`);
  return name;
}

const NUMBERED = /^(.*?)(\d*)(\.[^./]*)?$/;

/** Sorts part names so that `slide2.xml` comes before `slide10.xml` (code-unit order otherwise, the same on every machine). */
export function byNumberInName(a: string, b: string): number {
  const [, pa = '', na = '', ea = ''] = NUMBERED.exec(a) ?? [];
  const [, pb = '', nb = '', eb = ''] = NUMBERED.exec(b) ?? [];
  if (pa !== pb || ea !== eb || na === '' || nb === '') return a < b ? -1 : a > b ? 1 : 0;
  return Number(na) - Number(nb) || (a < b ? -1 : a > b ? 1 : 0);
}
