/**
 * Signals from the calendar: a document dated after the trove's own end (the latest authentic
 * email: the leak cannot hold what was written after it was taken), and software or fonts that did
 * not exist yet at the date the document claims (reference/releases.ts, each date with its source).
 */
import { BETA_WINDOW_DAYS, fontRelease, softwareRelease, type Release } from '../reference/releases.ts';
import type { DateClaim, DocumentProfile } from '../profile.ts';
import type { Severity, Signal } from '../signal.ts';
import { quoted, spanOf, utcOf, whenOf } from '../wording.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** A date beyond the cutoff by less than this may be a time-zone or clock difference. */
const CUTOFF_TOLERANCE = DAY;
/** A claim within this of a release date may be a time-zone difference. */
const RELEASE_TOLERANCE = DAY;

/**
 * The trove's end: the latest date of an email that verifies as authentic. `lastMailMs` is the
 * latest date of any email within MAX_UNSIGNED_TAIL_DAYS after it: unsigned mail (sent folders,
 * domains that do not sign) often runs on a little after the last signed message, and a document
 * dated within that tail is odd, not damning.
 */
export interface Cutoff {
  ms: number;
  /** What it is, for messages. */
  what: string;
  lastMailMs: number;
}

/** Unsigned mail later than this after the last authentic email is not taken as the trove's end. */
export const MAX_UNSIGNED_TAIL_DAYS = 30;

/** Date fields a clock or a person sets carelessly: a late value is odd, not damning. */
const SOFT_DATE_FIELDS = /printed|print date|printim|MetadataDate/i;

function dateAfterCutoff(p: DocumentProfile, cutoff: Cutoff | null): Signal | null {
  if (!cutoff) return null;
  const late = p.dates.filter((d) => d.ms - cutoff.ms > CUTOFF_TOLERANCE).sort((a, b) => b.ms - a.ms);
  if (late.length === 0) return null;
  const hard = late.filter((d) => !SOFT_DATE_FIELDS.test(d.field));
  const worst = (hard[0] ?? late[0]) as DateClaim;
  const afterAllMail = worst.ms - cutoff.lastMailMs > CUTOFF_TOLERANCE;
  const others = late.length > 1 ? ` (${late.length} of its dates are that late)` : '';
  const tail = afterAllMail
    ? `: the trove's own mail ends before this document was ${hard.length > 0 ? 'written or changed' : 'printed'}`
    : `; the trove's unauthenticated mail runs on until ${utcOf(cutoff.lastMailMs)}, so this may still fall within the period the trove covers`;
  return {
    code: 'date-after-cutoff',
    severity: hard.length > 0 && afterAllMail ? 'high' : 'medium',
    message: `Dated ${whenOf(worst)} (${worst.field}), ${spanOf((worst.ms - cutoff.ms) / MINUTE)} after ${cutoff.what} (${utcOf(cutoff.ms)})${others}${tail}.`,
  };
}

function earliestUse(r: Release): number {
  return r.preview ? Date.parse(r.preview) : Date.parse(r.released) - BETA_WINDOW_DAYS * DAY;
}

function releaseWords(r: Release): string {
  const when = r.precision === 'year' ? `in ${r.released.slice(0, 4)}` : r.precision === 'month' ? `in ${r.released.slice(0, 7)}` : `on ${r.released}`;
  return `${r.product}, first available ${when}${r.preview ? `, in public preview from ${r.preview}` : ''}; source: ${r.source}`;
}

/**
 * Severity of using `r` at `at`: high before any public version, medium during the preview (or
 * the assumed beta window), null once released.
 */
function anachronism(r: Release, at: DateClaim): Severity | null {
  const claim = at.ms + RELEASE_TOLERANCE;
  if (claim < earliestUse(r)) return 'high';
  if (claim < Date.parse(r.released)) return 'medium';
  return null;
}

/**
 * Converters that keep a document's own dates when they rewrite it (LibreOffice converting on the
 * command line, PDF libraries stamping a file): an anachronism there may be a later conversion.
 */
function keepsDates(r: Release, field: string): boolean {
  if (/^PDFsharp|^iText/.test(r.product)) return true;
  return /LibreOffice|OpenOffice/.test(r.product) && !/Producer|Creator/.test(field);
}

/** A copyright year in a software name (`iText® 5.5.6 ©2000-2015`) dates the build: it is no older. */
const COPYRIGHT_YEAR = /(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d\s*[-–]\s*)?((?:19|20)\d\d)/i;

function softwareAnachronisms(p: DocumentProfile): Signal[] {
  const out: Signal[] = [];
  const seen = new Set<string>();
  for (const s of p.software) {
    if (!s.at || seen.has(s.name)) continue;
    const r = softwareRelease(s.name);
    if (r) {
      let severity = anachronism(r, s.at);
      if (!severity) continue;
      seen.add(s.name);
      const converter = keepsDates(r, s.field);
      if (converter && severity === 'high') severity = 'medium';
      out.push({
        code: 'software-anachronism',
        severity,
        message: `Saved by ${quoted(s.name)} (${s.field}) on ${whenOf(s.at)} (${s.at.field}), ${spanOf((Date.parse(r.released) - s.at.ms) / MINUTE)} before that software was released (${releaseWords(r)}).${severity === 'medium' && !converter ? ' Only preview versions existed then.' : ''}${converter ? ` ${r.product.split(' ')[0]} can keep an older document's dates when it converts or rewrites it, so this may be a later conversion rather than a forgery.` : ''}`,
      });
      continue;
    }
    const year = COPYRIGHT_YEAR.exec(s.name)?.[1];
    if (year && s.at.ms + RELEASE_TOLERANCE < Date.UTC(Number(year), 0, 1)) {
      seen.add(s.name);
      out.push({
        code: 'software-anachronism',
        severity: 'high',
        message: `Saved by ${quoted(s.name)} (${s.field}), whose own copyright notice runs to ${year}, but dated ${whenOf(s.at)} (${s.at.field}): that build of the software did not exist before ${year}.`,
      });
    }
  }
  return out;
}

function fontAnachronisms(p: DocumentProfile): Signal[] {
  const latest = [p.created, p.modified].filter((d): d is DateClaim => d !== null).sort((a, b) => b.ms - a.ms)[0];
  if (!latest || p.fonts.length === 0) return [];
  const found = new Map<Release, string[]>();
  for (const f of p.fonts) {
    const r = fontRelease(f);
    if (r && anachronism(r, latest)) found.set(r, [...(found.get(r) ?? []), f]);
  }
  return [...found].map(([r, names]) => {
    const severity = anachronism(r, latest) as Severity;
    return {
      code: 'font-anachronism',
      severity,
      message: `Uses the font ${names.map(quoted).join(', ')}, but its latest date is ${whenOf(latest)} (${latest.field}), ${spanOf((Date.parse(r.released) - latest.ms) / MINUTE)} before that font was released (${releaseWords(r)}).${severity === 'medium' ? ' Only preview versions of the software that brought it existed then.' : ''}`,
    };
  });
}

/** Calendar signals of one document; `cutoff` is null when the trove has no authentic email. */
export function calendarSignals(p: DocumentProfile, cutoff: Cutoff | null): Signal[] {
  return [dateAfterCutoff(p, cutoff), ...softwareAnachronisms(p), ...fontAnachronisms(p)].filter((s): s is Signal => s !== null);
}
