/**
 * Dates as the generated mail shows them: RFC 5322 §3.3 `Date:` values with the sender's UTC offset
 * (including the daylight-saving switch of its zone), mbox `From ` line dates (asctime, UTC), and the
 * "On ... wrote:" phrases of quoted replies in French and English. No clock is read here.
 */

/** The time zones of the cast; offsets follow each zone's 2016-2017 daylight-saving rules. */
export type Zone = 'Europe/Paris' | 'Europe/London' | 'America/New_York' | 'Europe/Moscow' | 'UTC';

const DAY_MS = 86_400_000;
const DAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_EN_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_EN_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS_FR = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const DAYS_FR_SHORT = ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'];
const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** UTC midnight of the n-th (1-based; -1 = last) Sunday of a month. */
function nthSunday(year: number, month: number, n: number): number {
  if (n > 0) {
    const first = Date.UTC(year, month, 1);
    const dow = new Date(first).getUTCDay();
    return first + (((7 - dow) % 7) + 7 * (n - 1)) * DAY_MS;
  }
  const last = Date.UTC(year, month + 1, 0);
  return last - new Date(last).getUTCDay() * DAY_MS;
}

/** Offset from UTC in minutes of `zone` at the instant `utcMs`. */
export function zoneOffsetMinutes(zone: Zone, utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  switch (zone) {
    case 'UTC':
      return 0;
    case 'Europe/Moscow':
      return 180;
    case 'Europe/Paris':
    case 'Europe/London': {
      // EU rule: last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC.
      const start = nthSunday(year, 2, -1) + 3_600_000;
      const end = nthSunday(year, 9, -1) + 3_600_000;
      const base = zone === 'Europe/Paris' ? 60 : 0;
      return utcMs >= start && utcMs < end ? base + 60 : base;
    }
    case 'America/New_York': {
      // US rule: second Sunday of March 02:00 EST to first Sunday of November 02:00 EDT.
      const start = nthSunday(year, 2, 2) + 7 * 3_600_000;
      const end = nthSunday(year, 10, 1) + 6 * 3_600_000;
      return utcMs >= start && utcMs < end ? -240 : -300;
    }
  }
}

/** `+0100`, `-0500`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return sign + String(Math.floor(abs / 60)).padStart(2, '0') + String(abs % 60).padStart(2, '0');
}

/** Wall-clock fields of an instant seen at a UTC offset. */
export function localFields(utcMs: number, offsetMinutes: number) {
  const d = new Date(utcMs + offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** RFC 5322 date-time: `Thu, 2 Mar 2017 14:03:11 +0100`, optionally with a `(CET)` comment. */
export function formatRfc5322Date(utcMs: number, offsetMinutes: number, comment?: string): string {
  const f = localFields(utcMs, offsetMinutes);
  const text = `${DAYS_EN[f.weekday]}, ${f.day} ${MONTHS_EN[f.month]} ${f.year} ${two(f.hour)}:${two(f.minute)}:${two(f.second)} ${formatOffset(offsetMinutes)}`;
  return comment ? `${text} (${comment})` : text;
}

/** mbox separator date (asctime, UTC): `Thu Mar  2 14:03:11 2017`. */
export function formatAsctime(utcMs: number): string {
  const f = localFields(utcMs, 0);
  return `${DAYS_EN[f.weekday]} ${MONTHS_EN[f.month]} ${String(f.day).padStart(2, ' ')} ${two(f.hour)}:${two(f.minute)}:${two(f.second)} ${f.year}`;
}

/** Attribution line above quoted text, Gmail / Thunderbird style. */
export function formatAttribution(lang: 'fr' | 'en', utcMs: number, offsetMinutes: number, who: string): string {
  const f = localFields(utcMs, offsetMinutes);
  if (lang === 'fr') {
    return `Le ${DAYS_FR_SHORT[f.weekday]} ${f.day} ${MONTHS_FR[f.month]} ${f.year} à ${two(f.hour)}:${two(f.minute)}, ${who} a écrit :`;
  }
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return `On ${DAYS_EN[f.weekday]}, ${MONTHS_EN[f.month]} ${f.day}, ${f.year} at ${h12}:${two(f.minute)} ${f.hour < 12 ? 'AM' : 'PM'}, ${who} wrote:`;
}

/** The "Sent:" / "Envoyé :" value of an Outlook reply header block. */
export function formatOutlookSent(lang: 'fr' | 'en', utcMs: number, offsetMinutes: number): string {
  const f = localFields(utcMs, offsetMinutes);
  if (lang === 'fr') return `${DAYS_FR[f.weekday]} ${f.day} ${MONTHS_FR[f.month]} ${f.year} ${two(f.hour)}:${two(f.minute)}`;
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return `${DAYS_EN_LONG[f.weekday]}, ${MONTHS_EN_LONG[f.month]} ${f.day}, ${f.year} ${h12}:${two(f.minute)} ${f.hour < 12 ? 'AM' : 'PM'}`;
}

/** A long date in running text: `2 mars 2017`, `March 2, 2017`. */
export function formatLongDate(lang: 'fr' | 'en', utcMs: number): string {
  const f = localFields(utcMs, 60);
  return lang === 'fr' ? `${f.day} ${MONTHS_FR[f.month]} ${f.year}` : `${MONTHS_EN_LONG[f.month]} ${f.day}, ${f.year}`;
}

/** PDF date string (PDF 1.7 §7.9.4): `D:20170302140311+01'00'`. */
export function formatPdfDate(utcMs: number, offsetMinutes: number): string {
  const f = localFields(utcMs, offsetMinutes);
  const off = formatOffset(offsetMinutes);
  return `D:${f.year}${two(f.month + 1)}${two(f.day)}${two(f.hour)}${two(f.minute)}${two(f.second)}${off.slice(0, 3)}'${off.slice(3)}'`;
}

/** W3CDTF in UTC as Office writes it in docProps/core.xml: `2017-03-02T13:03:00Z`. */
export function formatW3cdtf(utcMs: number): string {
  return new Date(Math.floor(utcMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** EXIF DateTime (local wall clock, no zone): `2017:03:02 14:03:11`. */
export function formatExifDate(utcMs: number, offsetMinutes: number): string {
  const f = localFields(utcMs, offsetMinutes);
  return `${f.year}:${two(f.month + 1)}:${two(f.day)} ${two(f.hour)}:${two(f.minute)}:${two(f.second)}`;
}
