/** Numbers, sizes and dates as people read them. */

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en');
}

/** `2017-02-13 17:05` (UTC) from an ISO date, or an empty string. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** `UTC-05:00` from minutes. */
export function formatOffset(mins: number | null): string {
  if (mins === null) return '';
  const sign = mins < 0 ? '-' : '+';
  const m = Math.abs(mins);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
