/**
 * RFC 5322 §3.3 date-time, plus the obsolete forms of §4.3 that real archives carry (two-digit years,
 * named zones, missing seconds, comments such as "(CET)"). The raw string is always kept by the
 * caller; this only says what instant it names and at which UTC offset the sender's clock was.
 */

export type ParsedDate =
  | { ok: true; iso: string; tzOffsetMinutes: number | null }
  | { ok: false; reason: string };

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** RFC 5322 §4.3 obsolete zone names; military single letters are treated as unknown (-0000). */
const NAMED_ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

const DATE_RE =
  /^(?:[a-z]{3,9},?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[+-]\d{2}:?\d{2}|[a-z]{1,5})?$/i;

/** Parses an email Date header value. */
export function parseEmailDate(raw: string): ParsedDate {
  const text = raw.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return { ok: false, reason: 'the Date header is empty' };
  const m = DATE_RE.exec(text);
  if (!m) return { ok: false, reason: `not an RFC 5322 date: "${raw.slice(0, 80)}"` };
  const [, dd, mon, yy, hh, mi, ss, zone] = m;
  const month = MONTHS[mon!.slice(0, 3).toLowerCase()];
  if (month === undefined) return { ok: false, reason: `unknown month "${mon}"` };
  let year = Number(yy);
  // RFC 5322 §4.3: two-digit years 00-49 are 2000-2049, 50-99 are 1950-1999; three digits add 1900.
  if (yy!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yy!.length === 3) year += 1900;
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const second = ss === undefined ? 0 : Number(ss);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return { ok: false, reason: `out-of-range date fields in "${raw.slice(0, 80)}"` };
  }
  let offset: number | null = null;
  if (zone) {
    const z = zone.toLowerCase();
    if (/^[+-]/.test(z)) {
      const digits = z.slice(1).replace(':', '');
      const mins = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
      if (Number(digits.slice(2, 4)) > 59) return { ok: false, reason: `invalid zone "${zone}"` };
      // RFC 5322 §3.3: "-0000" means the local offset is unknown; the instant is still UTC.
      offset = z === '-0000' ? null : z.startsWith('-') ? -mins : mins;
    } else if (z in NAMED_ZONES) {
      offset = NAMED_ZONES[z]!;
    } else {
      offset = null;
    }
  }
  const utc = Date.UTC(year, month, day, hour, minute, second) - (offset ?? 0) * 60_000;
  const check = new Date(Date.UTC(year, month, day));
  if (check.getUTCDate() !== day) return { ok: false, reason: `no such day: "${raw.slice(0, 80)}"` };
  return { ok: true, iso: new Date(utc).toISOString(), tzOffsetMinutes: offset };
}
