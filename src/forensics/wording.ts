/**
 * How signal messages write dates, spans and lists: the way a journalist would quote them.
 */
import type { DateClaim } from './profile.ts';

/** `2017-05-04 18:00 UTC`, `2017-05-04 18:00 (UTC+02:00)`, `2017-05-04 18:00 (no time zone given)`. */
export function whenOf(c: DateClaim): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::\d{2})?)?/.exec(c.iso);
  const day = m?.[1] ?? c.iso;
  const time = m?.[2];
  if (!time) return day;
  if (!c.zoned) return `${day} ${time} (no time zone given)`;
  if (c.offsetMinutes === null) return `${day} ${time} UTC`;
  return `${day} ${time} (${offsetOf(c.offsetMinutes)})`;
}

/** `UTC+02:00`, `UTC-05:00`. */
export function offsetOf(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** An instant as `2017-05-05 17:43 UTC`. */
export function utcOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A span of minutes in words: `4 minutes`, `3 hours 5 minutes`, `12 days`, `2 years 3 months`. */
export function spanOf(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (m < 60) return plural(m, 'minute');
  if (m < 24 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest ? `${plural(h, 'hour')} ${plural(rest, 'minute')}` : plural(h, 'hour');
  }
  const days = Math.floor(m / 1440);
  if (days < 60) {
    const h = Math.floor((m % 1440) / 60);
    return h && days < 3 ? `${plural(days, 'day')} ${plural(h, 'hour')}` : plural(days, 'day');
  }
  if (days < 730) return plural(Math.round(days / 30.44), 'month');
  const total = Math.round(days / 30.44);
  const years = Math.floor(total / 12);
  const months = total % 12;
  return months ? `${plural(years, 'year')} ${plural(months, 'month')}` : plural(years, 'year');
}

/** `a, b and c`. */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 document`, `412 documents`. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** A name or string quoted for a message, cut when very long. */
export function quoted(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return `"${t.length > 120 ? `${t.slice(0, 117)}...` : t}"`;
}
