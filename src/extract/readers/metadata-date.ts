/**
 * Dates in document metadata, as ISO 8601 strings. Each format writes its own: Office and
 * OpenDocument already write ISO 8601 (W3CDTF, often without a zone in OpenDocument), PDF writes
 * `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1 §7.9.4), RTF writes `\yr \mo \dy \hr \min \sec` fields.
 * A date is never moved to another zone: a date written without a zone stays without one, because
 * the writer's zone is unknown and forensics must see exactly that.
 *
 * Convention for every reader: a date field holds the ISO 8601 string, or null when what the file
 * says is not a date; `<field>Raw` then keeps what the file says, and is also present whenever the
 * file wrote something other than that ISO string (always for PDF).
 */

const ISO_8601 = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** True when `s` is an ISO 8601 calendar date or date-time with plausible fields. */
export function isIsoDate(s: string): boolean {
  const m = ISO_8601.exec(s);
  if (!m) return false;
  const [, , mo, d, h, mi, sec, zone] = m;
  if (mo !== undefined && (+mo < 1 || +mo > 12)) return false;
  if (d !== undefined && (+d < 1 || +d > 31)) return false;
  if (h !== undefined && (+h > 24 || +(mi ?? 0) > 59 || +(sec ?? 0) > 60)) return false;
  if (zone && zone !== 'Z' && (+zone.slice(1, 3) > 23 || +zone.slice(-2) > 59)) return false;
  return true;
}

/** Sets `fields[key]` (ISO 8601 or null) and, when it differs from what was written, `fields[key + 'Raw']`. */
export function setDate(fields: Record<string, unknown>, key: string, raw: string, iso: string | null): void {
  fields[key] = iso;
  if (iso !== raw) fields[`${key}Raw`] = raw;
}

/** An ISO 8601 date as written (trimmed), or null. */
export function isoDate(raw: string): string | null {
  const s = raw.trim();
  return isIsoDate(s) ? s : null;
}

const PDF_DATE = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z)|([+-])(\d{2})'?(?:(\d{2})'?)?)?/;

/**
 * A PDF date (`D:20170505120000+02'00'`) as ISO 8601 (`2017-05-05T12:00:00+02:00`); the fields
 * a writer left out take the defaults of ISO 32000-1 §7.9.4 (month and day 01, time 00). Null when
 * it is not a date. Trailing junk after a complete date is tolerated, as every PDF reader does.
 */
export function pdfDateToIso(raw: string): string | null {
  const m = PDF_DATE.exec(raw.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', z, sign, oh, om = '00'] = m;
  const zone = z ? 'Z' : sign ? `${sign}${oh}:${om}` : '';
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
  return isIsoDate(iso) ? iso : null;
}

/** RTF `\creatim`-style fields (local time, no zone) as ISO 8601, or null when there is no year. */
export function rtfTimeToIso(t: Readonly<Record<string, number>>): string | null {
  if (t.yr === undefined) return null;
  const two = (n: number | undefined): string => String(n ?? 0).padStart(2, '0');
  const iso = `${String(t.yr).padStart(4, '0')}-${two(t.mo ?? 1)}-${two(t.dy ?? 1)}T${two(t.hr)}:${two(t.min)}:${two(t.sec)}`;
  return isIsoDate(iso) ? iso : null;
}
