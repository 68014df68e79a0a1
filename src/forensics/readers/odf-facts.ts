/**
 * What an OpenDocument file (ODF 1.2, ISO/IEC 26300) says about itself: `meta.xml` (§4.3: the
 * generator, who created and who last saved it, when, how long it was edited and in how many
 * sessions), the fonts it declares (`office:font-face-decls` in content.xml and styles.xml), and
 * tracked changes (`text:tracked-changes`, each with its `office:change-info` author and date).
 */
import { ZipPackage } from '../../extract/readers/package-zip.ts';
import { attr, walkOptionalPart } from '../../extract/readers/xml-walk.ts';
import type { ChangeAuthor } from './ooxml-facts.ts';

const MAX_FONTS = 300;
const MAX_AUTHORS = 100;
const META_FIELDS = new Set(['generator', 'initial-creator', 'creator', 'creation-date', 'date', 'print-date', 'printed-by', 'editing-duration', 'editing-cycles', 'language', 'title']);

export interface OdfFacts {
  reader: 'odf';
  meta: Record<string, string>;
  /** `meta:editing-duration` in minutes, or null. */
  editingMinutes: number | null;
  fonts: string[];
  trackedChanges: { count: number; authors: ChangeAuthor[] };
  problems: string[];
}

/** An ISO 8601 duration (`PT1H2M3S`, `P2DT3H`) in minutes, or null. */
export function durationMinutes(raw: string): number | null {
  const m = /^-?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(raw.trim());
  if (!m || raw.trim() === 'P' || raw.trim() === 'PT') return null;
  const [, y = '0', mo = '0', d = '0', h = '0', mi = '0', s = '0'] = m;
  return Math.round((+y * 365 + +mo * 30 + +d) * 1440 + +h * 60 + +mi + +s / 60);
}

/** The facts of an OpenDocument package; throws ExtractError when it is not a readable zip. */
export async function readOdfFacts(bytes: Uint8Array): Promise<OdfFacts> {
  const pkg = await ZipPackage.open(bytes, 'OpenDocument');
  const problems: string[] = [];
  try {
    const facts: OdfFacts = { reader: 'odf', meta: {}, editingMinutes: null, fonts: [], trackedChanges: { count: 0, authors: [] }, problems };
    let field: string | null = null;
    let text = '';
    await walkOptionalPart(pkg, 'meta.xml', {
      open(name) {
        if (META_FIELDS.has(name)) {
          field = name;
          text = '';
        }
      },
      text(t) {
        if (field && text.length < 1000) text += t;
      },
      close(name) {
        if (field === name) {
          if (!(name in facts.meta) && text.trim() !== '') facts.meta[name] = text.trim();
          field = null;
        }
      },
    }, problems);
    if (facts.meta['editing-duration']) facts.editingMinutes = durationMinutes(facts.meta['editing-duration']);

    const fonts = new Set<string>();
    const authors = new Map<string, ChangeAuthor>();
    let inChange = false;
    let changeField: 'creator' | 'date' | null = null;
    let who = '';
    let when = '';
    for (const part of ['content.xml', 'styles.xml']) {
      await walkOptionalPart(pkg, part, {
        open(name, a) {
          if (name === 'font-face') {
            const n = (attr(a, 'font-family') ?? attr(a, 'name') ?? '').replace(/^['"]|['"]$/g, '').trim();
            if (n && fonts.size < MAX_FONTS) fonts.add(n);
          } else if (name === 'change-info') {
            inChange = true;
            who = '';
            when = '';
          } else if (inChange && (name === 'creator' || name === 'date')) changeField = name;
        },
        text(t) {
          if (changeField === 'creator' && who.length < 500) who += t;
          else if (changeField === 'date' && when.length < 100) when += t;
        },
        close(name) {
          if (name === 'creator' || name === 'date') changeField = null;
          else if (name === 'change-info' && inChange) {
            inChange = false;
            facts.trackedChanges.count++;
            const key = who.trim();
            let a = authors.get(key);
            if (!a && authors.size < MAX_AUTHORS) authors.set(key, (a = { name: key, count: 0, first: null, last: null }));
            if (a) {
              a.count++;
              const d = when.trim();
              if (d && (a.first === null || d < a.first)) a.first = d;
              if (d && (a.last === null || d > a.last)) a.last = d;
            }
          }
        },
      }, problems);
    }
    facts.fonts = [...fonts].sort();
    facts.trackedChanges.authors = [...authors.values()].sort((x, y) => y.count - x.count);
    return facts;
  } finally {
    pkg.close();
  }
}
