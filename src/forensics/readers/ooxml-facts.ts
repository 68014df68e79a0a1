/**
 * What a Word, Excel or PowerPoint file (Office Open XML, ECMA-376) says about itself, beyond the
 * core and extended properties the extract stage already reads (reused here, same field names):
 *
 * - app.xml `HeadingPairs` and `TitlesOfParts`: Office writes the heading names in the language of
 *   its user interface ("Title", "Titre", "Название"; "Worksheets", "Feuilles de calcul", "Листы"),
 *   so they tell which language version of Office last saved the file.
 * - Word `settings.xml`: revision-save ids (§17.15.1.72 `w:rsids`, one per editing session that
 *   saved; `w:rsidRoot` names the session that created the document) and `w:themeFontLang`.
 * - Word `styles.xml`: the default language (`w:docDefaults` ... `w:lang`).
 * - Fonts: Word `fontTable.xml`, Excel `styles.xml` font names, and every package's theme fonts
 *   (`a:latin typeface` of the major and minor font of `theme1.xml`).
 * - Word tracked changes (§17.13.5: `w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`, property changes)
 *   and comments (`comments.xml`): who, when, how many.
 * - Excel `workbook.xml` `fileVersion` (appName, lastEdited, lowestEdited, rupBuild).
 */
import { ExtractError } from '../../extract/extract-document.ts';
import { readOoxmlMetadata } from '../../extract/readers/ooxml-metadata.ts';
import { mainPartOf, readRelationships } from '../../extract/readers/ooxml-package.ts';
import { ZipPackage } from '../../extract/readers/package-zip.ts';
import { attr, walkOptionalPart } from '../../extract/readers/xml-walk.ts';

/** Revision-save ids kept (the count is always exact). */
const MAX_RSIDS_KEPT = 500;
/** Fonts kept. */
const MAX_FONTS = 300;
/** Distinct tracked-change authors kept. */
const MAX_AUTHORS = 100;

/** One author of tracked changes or comments: how many, first and last date. */
export interface ChangeAuthor {
  name: string;
  count: number;
  first: string | null;
  last: string | null;
}

export interface OoxmlFacts {
  reader: 'ooxml';
  /** `word`, `excel`, `powerpoint`, or null when the main part is of none of these. */
  application: 'word' | 'excel' | 'powerpoint' | null;
  /** docProps/core.xml and docProps/app.xml fields, as the extract stage names them. */
  properties: Record<string, unknown>;
  /** The strings of app.xml HeadingPairs (heading names, counts dropped) and the TitlesOfParts. */
  headingPairs: string[];
  titlesOfParts: string[];
  rsidRoot: string | null;
  rsidCount: number;
  rsids: string[];
  themeFontLang: string | null;
  defaultLanguage: string | null;
  fonts: string[];
  themeFonts: string[];
  trackedChanges: { insertions: number; deletions: number; moves: number; formatting: number; authors: ChangeAuthor[] };
  comments: { count: number; authors: ChangeAuthor[] };
  fileVersion: Record<string, string> | null;
  problems: string[];
}

function authorTally(): { add(name: string | undefined, date: string | undefined): void; list(): ChangeAuthor[] } {
  const map = new Map<string, ChangeAuthor>();
  return {
    add(name, date) {
      const key = (name ?? '').trim();
      let a = map.get(key);
      if (!a) {
        if (map.size >= MAX_AUTHORS) return;
        a = { name: key, count: 0, first: null, last: null };
        map.set(key, a);
      }
      a.count++;
      const d = date?.trim();
      if (d) {
        if (a.first === null || d < a.first) a.first = d;
        if (a.last === null || d > a.last) a.last = d;
      }
    },
    list: () => [...map.values()].sort((x, y) => y.count - x.count || (x.name < y.name ? -1 : 1)),
  };
}

/** The facts of an OOXML package; throws ExtractError when it is not a readable zip. */
export async function readOoxmlFacts(bytes: Uint8Array): Promise<OoxmlFacts> {
  const pkg = await ZipPackage.open(bytes, 'Office');
  const problems: string[] = [];
  try {
    const properties = await readOoxmlMetadata(pkg, problems);
    let main: string | null = null;
    try {
      main = await mainPartOf(pkg, pkg.has('word/document.xml') ? 'word/document.xml' : pkg.has('xl/workbook.xml') ? 'xl/workbook.xml' : 'ppt/presentation.xml', 'Office document', problems);
    } catch (err) {
      if (!(err instanceof ExtractError)) throw err;
      problems.push(err.message);
    }
    const application = main?.startsWith('word/') ? 'word' : main?.startsWith('xl/') ? 'excel' : main?.startsWith('ppt/') ? 'powerpoint' : null;
    const facts: OoxmlFacts = {
      reader: 'ooxml', application, properties, headingPairs: [], titlesOfParts: [], rsidRoot: null, rsidCount: 0, rsids: [],
      themeFontLang: null, defaultLanguage: null, fonts: [], themeFonts: [],
      trackedChanges: { insertions: 0, deletions: 0, moves: 0, formatting: 0, authors: [] },
      comments: { count: 0, authors: [] }, fileVersion: null, problems,
    };

    // app.xml vectors: HeadingPairs alternates a heading name (lpstr) and a count (i4).
    const rels = await readRelationships(pkg, '', problems);
    const app = rels.find((r) => r.type === 'extended-properties')?.target ?? 'docProps/app.xml';
    let vector: 'HeadingPairs' | 'TitlesOfParts' | null = null;
    let inString = false;
    let text = '';
    await walkOptionalPart(pkg, app, {
      open(name) {
        if (name === 'HeadingPairs' || name === 'TitlesOfParts') vector = name;
        else if (vector && (name === 'lpstr' || name === 'lpwstr')) {
          inString = true;
          text = '';
        }
      },
      text(t) {
        if (inString && text.length < 500) text += t;
      },
      close(name) {
        if (inString && (name === 'lpstr' || name === 'lpwstr')) {
          inString = false;
          const list = vector === 'HeadingPairs' ? facts.headingPairs : facts.titlesOfParts;
          if (list.length < 200) list.push(text.trim());
        } else if (name === 'HeadingPairs' || name === 'TitlesOfParts') vector = null;
      },
    }, problems);

    const fonts = new Set<string>();
    const themeFonts = new Set<string>();
    const addFont = (set: Set<string>, name: string | undefined): void => {
      const n = name?.trim();
      if (n && set.size < MAX_FONTS) set.add(n);
    };
    const mainRels = main ? await readRelationships(pkg, main, problems) : [];
    const target = (type: string, fallback: string): string => mainRels.find((r) => r.type === type)?.target ?? fallback;

    // Theme fonts, for every kind of package.
    const theme = mainRels.find((r) => r.type === 'theme')?.target ?? (application === 'word' ? 'word/theme/theme1.xml' : application === 'excel' ? 'xl/theme/theme1.xml' : null);
    const themes = theme ? [theme] : pkg.names.filter((n) => /^ppt\/theme\/theme\d+\.xml$/i.test(n)).slice(0, 5);
    for (const t of themes) {
      let inFontScheme = 0;
      await walkOptionalPart(pkg, t, {
        open(name, a) {
          if (name === 'majorFont' || name === 'minorFont') inFontScheme++;
          else if (inFontScheme && name === 'latin') addFont(themeFonts, attr(a, 'typeface'));
        },
        close(name) {
          if (name === 'majorFont' || name === 'minorFont') inFontScheme--;
        },
      }, problems);
    }

    if (application === 'word' && main) {
      await walkOptionalPart(pkg, target('settings', 'word/settings.xml'), {
        open(name, a) {
          if (name === 'rsidRoot') facts.rsidRoot = attr(a, 'val') ?? null;
          else if (name === 'rsid') {
            facts.rsidCount++;
            const v = attr(a, 'val');
            if (v && facts.rsids.length < MAX_RSIDS_KEPT) facts.rsids.push(v);
          } else if (name === 'themeFontLang') facts.themeFontLang = attr(a, 'val') ?? attr(a, 'eastAsia') ?? null;
        },
      }, problems);
      let inDefaults = false;
      await walkOptionalPart(pkg, target('styles', 'word/styles.xml'), {
        open(name, a) {
          if (name === 'docDefaults') inDefaults = true;
          else if (inDefaults && name === 'lang' && facts.defaultLanguage === null) facts.defaultLanguage = attr(a, 'val') ?? null;
        },
        close(name) {
          if (name === 'docDefaults') inDefaults = false;
        },
      }, problems);
      await walkOptionalPart(pkg, target('fontTable', 'word/fontTable.xml'), {
        open(name, a) {
          if (name === 'font') addFont(fonts, attr(a, 'name'));
        },
      }, problems);
      const changes = authorTally();
      const tc = facts.trackedChanges;
      await walkOptionalPart(pkg, main, {
        open(name, a) {
          if (name === 'ins') tc.insertions++;
          else if (name === 'del') tc.deletions++;
          else if (name === 'moveFrom' || name === 'moveTo') tc.moves++;
          else if (name === 'rPrChange' || name === 'pPrChange' || name === 'sectPrChange' || name === 'tblPrChange' || name === 'trPrChange' || name === 'tcPrChange') tc.formatting++;
          else return;
          changes.add(attr(a, 'author'), attr(a, 'date'));
        },
      }, problems);
      tc.authors = changes.list();
      const commenters = authorTally();
      await walkOptionalPart(pkg, target('comments', 'word/comments.xml'), {
        open(name, a) {
          if (name !== 'comment') return;
          facts.comments.count++;
          commenters.add(attr(a, 'author'), attr(a, 'date'));
        },
      }, problems);
      facts.comments.authors = commenters.list();
    } else if (application === 'excel' && main) {
      await walkOptionalPart(pkg, main, {
        open(name, a) {
          if (name === 'fileVersion') facts.fileVersion = Object.fromEntries(Object.entries(a).filter(([k]) => !k.startsWith('xmlns')).slice(0, 10));
        },
      }, problems);
      let inFont = false;
      await walkOptionalPart(pkg, target('styles', 'xl/styles.xml'), {
        open(name, a) {
          if (name === 'font') inFont = true;
          else if (inFont && name === 'name') addFont(fonts, attr(a, 'val'));
        },
        close(name) {
          if (name === 'font') inFont = false;
        },
      }, problems);
    }
    facts.fonts = [...fonts].sort();
    facts.themeFonts = [...themeFonts].sort();
    return facts;
  } finally {
    pkg.close();
  }
}
