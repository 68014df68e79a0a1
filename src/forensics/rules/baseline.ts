/**
 * Signals from the trove's own baseline: what is ordinary in this trove (its people and the
 * scripts their names are written in, the language of its Office installations, its time zones,
 * its software) and what stands out against it, plus bursts: many files last saved by one person
 * within minutes although created years apart (the planted spreadsheets of the 2017 Macron leak).
 *
 * The baseline is what the trove's correspondence shows: its mail, and the documents found inside
 * emails. Loose documents are what is being judged: a forger who plants fifty files under one
 * foreign name must not make that name ordinary. (A trove with too few documents in its mail falls
 * back on all its documents.) Every comparison leaves the document itself out, and says nothing
 * when the baseline is too small to be one (MIN_BASELINE documents). Rare is under RARE_SHARE of the
 * comparable documents. Names known from the trove's mail are never foreign to it, and a name found
 * nowhere else in the trove (`unknown-author`) is only ever low: it is how a colleague whose mail
 * is not in the leak looks too.
 */
import { scriptOf } from '../reference/locales.ts';
import type { DocumentProfile } from '../profile.ts';
import type { Signal } from '../signal.ts';
import { countOf, listOf, offsetOf, quoted, spanOf, whenOf } from '../wording.ts';

/** Documents (or emails) needed before the trove's baseline says what is ordinary. */
export const MIN_BASELINE = 20;
/** Share of the comparable documents under which a trait is rare. */
export const RARE_SHARE = 0.02;
/** A script is foreign when fewer than this share of the other named documents use it... */
export const FOREIGN_SCRIPT_SHARE = 0.05;
/** Files in a burst, the most minutes between the first and last save, the fewest days between creations. */
export const BURST_MIN_FILES = 5;
export const BURST_WINDOW_MINUTES = 15;
export const BURST_MIN_CREATED_SPAN_DAYS = 365;

const MINUTE = 60_000;
/** Roles that name who saved a document last. */
const EDITOR_ROLES = new Set(['last modified by', 'last saved by', 'operator (last editor)']);

/** One document of the trove as the baseline sees it. */
export interface TroveDocument {
  profile: DocumentProfile;
  /** Proven by an authentic email (its bursts are this organisation's practice). */
  proven: boolean;
  /** Found inside an email (signed or not): part of what the trove's correspondence shows. */
  carried: boolean;
}

/** What the trove's mail says about its people and clocks. */
export interface MailBaseline {
  /** Display names of every address in the mail (normalised, see nameKey). */
  names: Set<string>;
  /** Scripts of those names and of the subjects. */
  scripts: Map<string, number>;
  /** UTC offsets of the Date: headers, in minutes, with their counts. */
  offsets: Map<number, number>;
  emailsWithOffset: number;
}

/** A name as compared: Unicode NFC, lower case, single spaces, no quotes. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/["'“”«»]/g, '').replace(/\s+/g, ' ').trim();
}

/** The software family of a software string, without versions or build details. */
export function softwareFamily(name: string): string {
  return name
    .split(/[$(/;]/)[0]!
    .replace(/\b(?:v(?:er(?:sion)?)?\.?\s*)?\d[\w.-]*/gi, '')
    .replace(/[®™©]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Author names that name no one: accounts and placeholders Office and Windows fill in. */
const PLACEHOLDER_NAMES = /^(?:admin(?:istrat(?:or|eur))?|user|utilisateur|owner|propriétaire|unknown|inconnu|guest|invité|(?:microsoft )?office user|utilisateur (?:de )?(?:microsoft office|windows)|windows user|pc|home|author|auteur|(?:\p{L}\.?){1,3})$/iu;

/** A name as compared with the trove's: nameKey with its words in order (`Dupont Jean` is `Jean Dupont`). */
function looseKey(name: string): string {
  return nameKey(name).replace(/[.,;:()]/g, ' ').split(/\s+/).filter(Boolean).sort().join(' ');
}

/** The script a Windows code page family implies (Cyrillic: Cyrillic), or null for Latin-script ones. */
const CODEPAGE_SCRIPTS: Readonly<Record<string, string>> = {
  Cyrillic: 'Cyrillic', Greek: 'Greek', Arabic: 'Arabic', Hebrew: 'Hebrew', Thai: 'Thai', Japanese: 'Japanese kana',
  'Simplified Chinese': 'Han', 'Traditional Chinese': 'Han', Korean: 'Hangul',
};

/** The script a tool language implies (Russian: Cyrillic), or null for Latin-script languages. */
function scriptOfLanguage(language: string): string | null {
  const direct = /^(.*)-script$/.exec(language)?.[1];
  if (direct) return direct;
  if (/Russian|Ukrainian|Bulgarian|Belarusian|Kazakh|Cyrillic/.test(language)) return 'Cyrillic';
  if (/Greek/.test(language)) return 'Greek';
  if (/Arabic|Persian/.test(language)) return 'Arabic';
  if (/Hebrew/.test(language)) return 'Hebrew';
  if (/Chinese|Japanese/.test(language)) return 'Han';
  if (/Korean/.test(language)) return 'Hangul';
  if (/Thai/.test(language)) return 'Thai';
  return null;
}

function tally<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function topOf(map: Map<string, number>, n: number, exclude?: string): string {
  return [...map].filter(([k]) => k !== exclude).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([k, c]) => `${k} ${c}`).join(', ');
}

/** Bursts: every document that belongs to one, with the signal it gets. */
function bursts(docs: TroveDocument[]): Map<number, Signal> {
  const out = new Map<number, Signal>();
  const byEditor = new Map<string, number[]>();
  docs.forEach((d, i) => {
    const p = d.profile;
    if (!p.lastModifiedBy || !p.modified || !p.created) return;
    const key = nameKey(p.lastModifiedBy);
    if (!key) return;
    const list = byEditor.get(key);
    if (list) list.push(i);
    else byEditor.set(key, [i]);
  });
  for (const list of byEditor.values()) {
    if (list.length < BURST_MIN_FILES) continue;
    list.sort((a, b) => (docs[a]!.profile.modified!.ms - docs[b]!.profile.modified!.ms) || a - b);
    // Every window of saves within BURST_WINDOW_MINUTES (two pointers), with the oldest and newest
    // creation in it kept by monotonic queues, so a million saves by one account stay linear.
    const created = list.map((k) => docs[k]!.profile.created!.ms);
    const saved = list.map((k) => docs[k]!.profile.modified!.ms);
    const cover = new Int32Array(list.length + 1);
    const lows: number[] = [];
    const highs: number[] = [];
    let lowHead = 0;
    let highHead = 0;
    let j = -1;
    for (let i = 0; i < list.length; i++) {
      while (j + 1 < list.length && saved[j + 1]! - saved[i]! <= BURST_WINDOW_MINUTES * MINUTE) {
        j++;
        while (lows.length > lowHead && created[lows[lows.length - 1]!]! >= created[j]!) lows.pop();
        lows.push(j);
        while (highs.length > highHead && created[highs[highs.length - 1]!]! <= created[j]!) highs.pop();
        highs.push(j);
      }
      while (lows[lowHead]! < i) lowHead++;
      while (highs[highHead]! < i) highHead++;
      if (j - i + 1 >= BURST_MIN_FILES && created[highs[highHead]!]! - created[lows[lowHead]!]! >= BURST_MIN_CREATED_SPAN_DAYS * 1440 * MINUTE) {
        cover[i]!++;
        cover[j + 1]!--;
      }
    }
    const inBurst = new Set<number>();
    for (let k = 0, depth = 0; k < list.length; k++) {
      depth += cover[k]!;
      if (depth > 0) inBurst.add(list[k]!);
    }
    if (inBurst.size === 0) continue;
    // Split the members into runs (a gap over the window ends one) and describe each run.
    const members = list.filter((k) => inBurst.has(k));
    const runs: number[][] = [];
    for (const k of members) {
      const run = runs[runs.length - 1];
      const prev = run?.[run.length - 1];
      if (run && prev !== undefined && docs[k]!.profile.modified!.ms - docs[prev]!.profile.modified!.ms <= BURST_WINDOW_MINUTES * MINUTE) run.push(k);
      else runs.push([k]);
    }
    for (const run of runs) {
      const ps = run.map((k) => docs[k]!.profile);
      const first = ps[0]!.modified!;
      const last = ps[ps.length - 1]!.modified!;
      const created = ps.map((p) => p.created!).sort((a, b) => a.ms - b.ms);
      const oldest = created[0]!;
      const newest = created[created.length - 1]!;
      const proven = run.filter((k) => docs[k]!.proven).length;
      const editor = ps[0]!.lastModifiedBy as string;
      const base = `One of ${countOf(run.length, 'document')} last saved by ${quoted(editor)} within ${last.ms - first.ms < MINUTE ? 'the same minute' : spanOf((last.ms - first.ms) / MINUTE)} (${whenOf(first)} to ${whenOf(last)}), although they were created ${spanOf((newest.ms - oldest.ms) / MINUTE)} apart (${oldest.iso.slice(0, 10)} to ${newest.iso.slice(0, 10)})`;
      const signal: Signal = proven > 0
        ? { code: 'editing-burst', severity: 'low', message: `${base}. ${countOf(proven, 'of them is', 'of them are')} proven by authentic email, so re-saving old files in a batch is this organisation's own practice.` }
        : { code: 'editing-burst', severity: 'high', message: `${base}. Years of files re-saved by one person within minutes is not how documents age in ordinary work; it is how a batch of documents prepared together looks (the planted files of the 2017 Macron leak showed this pattern).` };
      for (const k of run) out.set(k, signal);
    }
  }
  return out;
}

/** Baseline signals of every document, by index in `docs`. */
export function baselineSignals(docs: TroveDocument[], mail: MailBaseline): Map<number, Signal[]> {
  const out = new Map<number, Signal[]>();
  const add = (i: number, s: Signal): void => {
    const list = out.get(i);
    if (list) list.push(s);
    else out.set(i, [s]);
  };

  const carried = docs.filter((d) => d.carried).length;
  const inBase = (d: TroveDocument): boolean => carried < MIN_BASELINE || d.carried;
  const self = (d: TroveDocument, has: boolean): number => (has && inBase(d) ? 1 : 0);

  // Names and scripts: per document, the distinct names it gives and their scripts.
  const docNames: { key: string; name: string; role: string; script: string | null }[][] = docs.map((d) => {
    const seen = new Set<string>();
    const list: { key: string; name: string; role: string; script: string | null }[] = [];
    for (const n of d.profile.names) {
      const key = nameKey(n.name);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      list.push({ key, name: n.name, role: n.role, script: scriptOf(n.name) });
    }
    return list;
  });
  const nameDocs = new Map<string, number>();
  const scriptDocs = new Map<string, number>();
  let namedDocs = 0;
  docNames.forEach((list, i) => {
    if (list.length === 0 || !inBase(docs[i]!)) return;
    namedDocs++;
    for (const n of list) tally(nameDocs, n.key);
    for (const s of new Set(list.map((n) => n.script).filter((s): s is string => s !== null))) tally(scriptDocs, s);
  });
  // Every name the trove knows, in any order of its words, with the baseline documents that give it.
  const mailLoose = new Set([...mail.names].map(looseKey));
  const looseKeys = docNames.map((list) => new Set(list.map((n) => looseKey(n.name))));
  const looseDocs = new Map<string, number>();
  looseKeys.forEach((keys, i) => {
    if (inBase(docs[i]!)) for (const k of keys) tally(looseDocs, k);
  });
  const mailScripts = [...mail.scripts.values()].reduce((a, b) => a + b, 0);

  // Tool languages and code pages.
  const languages = new Map<string, number>();
  const codepages = new Map<string, number>();
  for (const d of docs) {
    if (!inBase(d)) continue;
    if (d.profile.toolLanguage) tally(languages, d.profile.toolLanguage.language);
    if (d.profile.codepage) tally(codepages, d.profile.codepage.family);
  }
  const withLanguage = [...languages.values()].reduce((a, b) => a + b, 0);
  const withCodepage = [...codepages.values()].reduce((a, b) => a + b, 0);

  // Time zones.
  const offsetDocs = new Map<number, number>();
  let docsWithOffset = 0;
  for (const d of docs) {
    const offsets = new Set(d.profile.zoneOffsets.map((z) => z.minutes));
    if (offsets.size === 0 || !inBase(d)) continue;
    docsWithOffset++;
    for (const m of offsets) tally(offsetDocs, m);
  }

  // Software families (named as first written, for messages).
  const families = new Map<string, number>();
  const familyNames = new Map<string, string>();
  for (const d of docs) for (const s of d.profile.software) {
    const f = softwareFamily(s.name);
    if (f && !familyNames.has(f)) familyNames.set(f, s.name.split(/[$(/;]/)[0]!.replace(/\s+\d[\w.-]*/g, '').trim());
  }
  let withSoftware = 0;
  const docFamilies = docs.map((d) => [...new Set(d.profile.software.map((s) => softwareFamily(s.name)).filter(Boolean))]);
  docFamilies.forEach((fams, i) => {
    if (fams.length === 0 || !inBase(docs[i]!)) return;
    withSoftware++;
    for (const f of fams) tally(families, f);
  });

  docs.forEach((d, i) => {
    const p = d.profile;

    // A name in a script the trove's other documents barely use, and that appears nowhere else.
    const names = docNames[i] as { key: string; name: string; role: string; script: string | null }[];
    const mine = self(d, names.length > 0);
    const others = namedDocs - mine;
    let foreignName = false;
    if (others >= MIN_BASELINE) {
      for (const n of names) {
        if (!n.script) continue;
        const same = (scriptDocs.get(n.script) ?? 0) - mine;
        const known = mail.names.has(n.key) || (nameDocs.get(n.key) ?? 0) - mine > 0;
        if (known || same / others >= FOREIGN_SCRIPT_SHARE) continue;
        const main = [...scriptDocs].filter(([s]) => s !== n.script).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
        add(i, {
          code: 'foreign-script-author',
          severity: 'high',
          message: `${EDITOR_ROLES.has(n.role) ? 'Last saved by' : `Names (${n.role})`} ${quoted(n.name)} (${n.script} script), a name found in no email and no other document of the trove, while ${same === 0 ? 'none' : `only ${same}`} of its ${countOf(others, 'other document')} with a named author or editor ${same === 1 ? 'has' : 'have'} a ${n.script}-script name (most are ${main} script).`,
        });
        foreignName = true;
        break;
      }
    }

    // Who saved (or made) it is otherwise unknown to the trove: odd, never damning (a colleague whose mail is not in the leak).
    if (!foreignName && others >= MIN_BASELINE) {
      const who = [p.lastModifiedBy, p.creator].filter((n): n is string => n !== null && !PLACEHOLDER_NAMES.test(nameKey(n)));
      const stranger = who.find((n) => {
        const k = looseKey(n);
        return k !== '' && !mailLoose.has(k) && (looseDocs.get(k) ?? 0) - (inBase(d) ? 1 : 0) <= 0;
      });
      if (stranger) {
        add(i, {
          code: 'unknown-author',
          severity: 'low',
          message: `${stranger === p.lastModifiedBy ? 'Last saved by' : 'Made by'} ${quoted(stranger)}, a name found in no email of the trove and in none of its ${countOf(others, 'other document')} with a named author or editor: whoever ${stranger === p.lastModifiedBy ? 'saved' : 'made'} it appears nowhere else in the leak.`,
        });
      }
    }

    // The language of the Office that saved it, or the code page of the system that wrote it.
    const lang = p.toolLanguage;
    const langSelf = self(d, lang !== null);
    const cpSelf = self(d, p.codepage !== null);
    if (lang && withLanguage - langSelf >= MIN_BASELINE) {
      const same = (languages.get(lang.language) ?? 0) - langSelf;
      if (same / (withLanguage - langSelf) < RARE_SHARE) {
        const script = scriptOfLanguage(lang.language);
        const unheard = same === 0 && script !== null && !mail.scripts.has(script) && (scriptDocs.get(script) ?? 0) === 0;
        const cp = p.codepage;
        const codepageWords = script !== null && cp && CODEPAGE_SCRIPTS[cp.family] === script ? `; its metadata is written in the ${cp.family} Windows code page, ${cp.codepage}` : '';
        add(i, {
          code: 'foreign-language-tool',
          severity: unheard ? 'high' : 'medium',
          message: `Saved by a ${lang.language} version of the software (${lang.evidence}${codepageWords}), while ${same === 0 ? 'none' : `only ${same}`} of the trove's ${countOf(withLanguage - langSelf, 'other document')} that say their software's language ${same === 1 ? 'was' : 'were'} saved by one (${topOf(languages, 3, lang.language)})${unheard ? `, and nothing in the trove's mail or documents is written in ${script} script` : ''}.`,
        });
      }
    } else if (p.codepage && withCodepage - cpSelf >= MIN_BASELINE) {
      const same = (codepages.get(p.codepage.family) ?? 0) - cpSelf;
      if (same / (withCodepage - cpSelf) < RARE_SHARE) {
        add(i, {
          code: 'foreign-language-tool',
          severity: 'medium',
          message: `Written on a computer set to the ${p.codepage.family} Windows code page (${p.codepage.codepage}), while ${same === 0 ? 'none' : `only ${same}`} of the trove's ${countOf(withCodepage - cpSelf, 'other document')} that name a code page ${same === 1 ? 'uses' : 'use'} it (${topOf(codepages, 3, p.codepage.family)}).`,
        });
      }
    } else if (p.codepage && CODEPAGE_SCRIPTS[p.codepage.family] && mailScripts >= MIN_BASELINE) {
      // Too few documents name a code page to compare with: compare the code page's script with what the trove is written in.
      const script = CODEPAGE_SCRIPTS[p.codepage.family] as string;
      const own = inBase(d) && names.some((n) => n.script === script) ? 1 : 0;
      if (!mail.scripts.has(script) && (scriptDocs.get(script) ?? 0) - own === 0) {
        add(i, {
          code: 'foreign-language-tool',
          severity: 'medium',
          message: `Written on a computer set to the ${p.codepage.family} Windows code page (${p.codepage.codepage}), while nothing in the trove's mail or its other documents is written in ${script} script: the computer that saved it was set up for another language than the trove's.`,
        });
      }
    }

    // A time zone no email and almost no document uses.
    const offsets = [...new Set(p.zoneOffsets.map((z) => z.minutes))];
    const zoneSelf = self(d, offsets.length > 0);
    if (offsets.length > 0 && (mail.emailsWithOffset >= MIN_BASELINE || docsWithOffset - zoneSelf >= MIN_BASELINE)) {
      for (const m of offsets) {
        if ((mail.offsets.get(m) ?? 0) > 0) continue;
        const same = (offsetDocs.get(m) ?? 0) - zoneSelf;
        if (docsWithOffset - zoneSelf > 0 && same / (docsWithOffset - zoneSelf) >= RARE_SHARE) continue;
        const field = p.zoneOffsets.find((z) => z.minutes === m)?.field ?? 'its dates';
        const common = [...mail.offsets].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([o]) => offsetOf(o));
        add(i, {
          code: 'foreign-timezone',
          severity: 'medium',
          message: `Its dates are written at ${offsetOf(m)} (${field}), a time zone that no email of the trove was sent from${common.length ? ` (its mail was sent at ${listOf(common)})` : ''} and ${same === 0 ? 'no other document' : `only ${countOf(same, 'other document')}`} uses: it was saved on a computer set to another part of the world.`,
        });
        break;
      }
    }

    // Software no other document was made with.
    const fams = docFamilies[i] as string[];
    const swSelf = self(d, fams.length > 0);
    if (fams.length > 0 && withSoftware - swSelf >= MIN_BASELINE) {
      const lonely = fams.filter((f) => (families.get(f) ?? 0) - swSelf <= 0);
      const name = lonely.length > 0 ? p.software.find((s) => softwareFamily(s.name) === lonely[0])?.name : undefined;
      if (name) {
        add(i, {
          code: 'rare-software',
          severity: 'low',
          message: `Made or saved with ${quoted(name)}, which none of the trove's ${countOf(withSoftware - swSelf, 'other document')} naming their software was made with (the most common: ${topOf(new Map([...families].map(([f, c]) => [familyNames.get(f) ?? f, c])), 3)}).`,
        });
      }
    }
  });

  for (const [i, s] of bursts(docs)) add(i, s);
  return out;
}
