/**
 * Exif metadata (CIPA DC-008 Exif 2.32, on the TIFF 6.0 image file directory structure): IFD0
 * (Make, Model, Software, DateTime...), the Exif IFD (DateTimeOriginal, OffsetTime...), the GPS IFD
 * (a UTC time stamp), and IFD1, which points at the embedded JPEG thumbnail. Used for JPEG APP1,
 * PNG eXIf, WebP EXIF chunks and TIFF files alike.
 *
 * Hostile files: every offset is checked against the block, an IFD is visited once (a loop of
 * "next IFD" pointers ends), entry counts and value sizes are capped.
 */

/** Entries read from one IFD; real cameras write under 100. */
export const MAX_IFD_ENTRIES = 1000;
/** Longest value read; larger ones (maker notes, embedded previews) are skipped. */
export const MAX_EXIF_VALUE_BYTES = 64 * 1024;
/** Longest text value kept. */
export const MAX_EXIF_TEXT_CHARS = 500;

/** Tags read, by IFD, with the names Exif gives them. */
const IFD0_TAGS: Record<number, string> = {
  0x010e: 'ImageDescription',
  0x010f: 'Make',
  0x0110: 'Model',
  0x0112: 'Orientation',
  0x0131: 'Software',
  0x0132: 'DateTime',
  0x013b: 'Artist',
  0x8298: 'Copyright',
  0x0100: 'ImageWidth',
  0x0101: 'ImageLength',
};
const EXIF_TAGS: Record<number, string> = {
  0x9000: 'ExifVersion',
  0x9003: 'DateTimeOriginal',
  0x9004: 'DateTimeDigitized',
  0x9010: 'OffsetTime',
  0x9011: 'OffsetTimeOriginal',
  0x9012: 'OffsetTimeDigitized',
  0x9290: 'SubSecTime',
  0x9291: 'SubSecTimeOriginal',
  0xa002: 'PixelXDimension',
  0xa003: 'PixelYDimension',
  0xa420: 'ImageUniqueID',
  0xa430: 'CameraOwnerName',
  0xa431: 'BodySerialNumber',
  0xa433: 'LensMake',
  0xa434: 'LensModel',
};
const GPS_TAGS: Record<number, string> = {
  0x0007: 'GPSTimeStamp',
  0x001d: 'GPSDateStamp',
};
const IFD1_TAGS: Record<number, string> = {
  0x0103: 'Compression',
  0x0201: 'JPEGInterchangeFormat',
  0x0202: 'JPEGInterchangeFormatLength',
};

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

export type ExifValue = string | number | number[];

/** What an Exif block says; tags by name, thumbnail location relative to the TIFF header. */
export interface ExifFacts {
  byteOrder: 'II' | 'MM';
  ifd0: Record<string, ExifValue>;
  exif: Record<string, ExifValue>;
  gps: Record<string, ExifValue>;
  thumbnail: { offset: number; length: number } | null;
  /** Problems met while reading (bad offsets, loops); the rest was kept. */
  problems: string[];
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  const raw = bytes.subarray(0, end);
  let s: string;
  try {
    s = utf8.decode(raw);
  } catch {
    s = latin1.decode(raw);
  }
  return s.trim().slice(0, MAX_EXIF_TEXT_CHARS);
}

/** Reads the TIFF structure of an Exif block (`tiff` starts at the byte-order mark). Null if it is not one. */
export function readExif(tiff: Uint8Array): ExifFacts | null {
  if (tiff.length < 8) return null;
  const le = tiff[0] === 0x49 && tiff[1] === 0x49;
  const be = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!le && !be) return null;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (at: number): number => view.getUint16(at, le);
  const u32 = (at: number): number => view.getUint32(at, le);
  if (u16(2) !== 42) return null;
  const facts: ExifFacts = { byteOrder: le ? 'II' : 'MM', ifd0: {}, exif: {}, gps: {}, thumbnail: null, problems: [] };
  const visited = new Set<number>();

  /** Reads one IFD; returns the raw pointer tags asked for and the next IFD's offset. */
  const readIfd = (offset: number, names: Record<number, string>, into: Record<string, ExifValue>, pointers: number[]): { next: number; found: Map<number, number> } => {
    const found = new Map<number, number>();
    if (offset < 8 || offset + 2 > tiff.length) {
      facts.problems.push(`an IFD offset (${offset}) points outside the Exif block`);
      return { next: 0, found };
    }
    if (visited.has(offset)) {
      facts.problems.push(`the IFD at ${offset} is linked twice (a loop)`);
      return { next: 0, found };
    }
    visited.add(offset);
    const count = u16(offset);
    if (count > MAX_IFD_ENTRIES || offset + 2 + count * 12 + 4 > tiff.length) {
      facts.problems.push(`the IFD at ${offset} claims ${count} entries, more than the block holds`);
      return { next: 0, found };
    }
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const tag = u16(at);
      const type = u16(at + 2);
      const n = u32(at + 4);
      const size = (TYPE_SIZE[type] ?? 0) * n;
      if (pointers.includes(tag) && (type === 4 || type === 13 || type === 3)) {
        found.set(tag, type === 3 ? u16(at + 8) : u32(at + 8));
        continue;
      }
      const name = names[tag];
      if (!name || size === 0 || size > MAX_EXIF_VALUE_BYTES) continue;
      const valueAt = size <= 4 ? at + 8 : u32(at + 8);
      if (valueAt + size > tiff.length) {
        facts.problems.push(`the value of ${name} points outside the Exif block`);
        continue;
      }
      const raw = tiff.subarray(valueAt, valueAt + size);
      if (type === 2) into[name] = text(raw);
      else if (type === 7 || type === 1 || type === 6) into[name] = name === 'ExifVersion' ? latin1.decode(raw) : Array.from(raw.subarray(0, 16));
      else {
        const values: number[] = [];
        for (let k = 0; k < Math.min(n, 64); k++) {
          if (type === 3) values.push(u16(valueAt + k * 2));
          else if (type === 8) values.push(view.getInt16(valueAt + k * 2, le));
          else if (type === 4) values.push(u32(valueAt + k * 4));
          else if (type === 9) values.push(view.getInt32(valueAt + k * 4, le));
          else if (type === 5) {
            const d = u32(valueAt + k * 8 + 4);
            values.push(d === 0 ? 0 : u32(valueAt + k * 8) / d);
          } else if (type === 10) {
            const d = view.getInt32(valueAt + k * 8 + 4, le);
            values.push(d === 0 ? 0 : view.getInt32(valueAt + k * 8, le) / d);
          }
        }
        into[name] = values.length === 1 ? (values[0] as number) : values;
      }
    }
    return { next: u32(offset + 2 + count * 12), found };
  };

  const first = readIfd(u32(4), IFD0_TAGS, facts.ifd0, [0x8769, 0x8825]);
  const exifAt = first.found.get(0x8769);
  if (exifAt) readIfd(exifAt, EXIF_TAGS, facts.exif, []);
  const gpsAt = first.found.get(0x8825);
  if (gpsAt) readIfd(gpsAt, GPS_TAGS, facts.gps, []);
  if (first.next) {
    const ifd1: Record<string, ExifValue> = {};
    const second = readIfd(first.next, IFD1_TAGS, ifd1, [0x0201, 0x0202]);
    const offset = second.found.get(0x0201);
    const length = second.found.get(0x0202);
    if (offset !== undefined && length !== undefined && length > 0) {
      if (offset + length <= tiff.length) facts.thumbnail = { offset, length };
      else facts.problems.push(`the thumbnail (${length} bytes at ${offset}) runs past the end of the Exif block`);
    }
  }
  return facts;
}

/** An Exif date (`2017:03:02 14:03:11`, local time of the camera) as ISO 8601 without a zone, or null. */
export function exifDateToIso(raw: unknown, offset?: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw.trim());
  if (!m || m[1] === '0000') return null;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
}
