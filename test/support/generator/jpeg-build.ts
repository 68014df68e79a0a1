/**
 * JPEG files as cameras and phones write them: SOI, an APP1 Exif block (TIFF 6.0 IFD0 + Exif IFD
 * + optional GPS IFD, Exif 2.3 tags) and a baseline scan. The scan can be reused with a different
 * Exif block, which is how the generator makes many distinct photos cheaply.
 */
import { formatExifDate } from './date-format.ts';
import { paintPicture } from './image-paint.ts';
import type { PictureKind } from './image-paint.ts';
import { appSegment, assembleJpeg, encodeJpegScan, jfifSegment } from './jpeg-encode.ts';
import type { JpegScan } from './jpeg-encode.ts';

export type { JpegScan } from './jpeg-encode.ts';

/** Camera metadata written into the Exif block. */
export interface ExifInfo {
  make: string;
  model: string;
  software?: string;
  /** Instant the photo was taken and the camera clock's UTC offset (Exif dates carry no zone). */
  taken: number;
  offsetMinutes: number;
  orientation?: number;
  exposure?: [number, number];
  fNumber?: [number, number];
  iso?: number;
  focalLength?: [number, number];
  artist?: string;
  /** Decimal degrees. */
  gps?: { lat: number; lon: number };
  /** Canon and Nikon write little-endian ("II"), Apple big-endian ("MM"). */
  littleEndian?: boolean;
}

/** What `buildJpeg` paints and writes; `scan` reuses an already encoded picture. */
export interface JpegOptions {
  width?: number;
  height?: number;
  kind?: PictureKind;
  seed?: number;
  quality?: number;
  scan?: JpegScan;
  /** Camera Exif block; null writes a plain JFIF file instead. */
  exif?: ExifInfo | null;
  /** An Exif thumbnail (IFD1, JPEGInterchangeFormat), as cameras embed one. */
  thumbnail?: JpegScan;
}

const BYTE = 1;
const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const UNDEFINED = 7;
const TYPE_SIZE: Record<number, number> = { [BYTE]: 1, [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [RATIONAL]: 8, [UNDEFINED]: 1 };

interface IfdEntry {
  tag: number;
  type: number;
  values: string | number[];
}

function valueBytes(e: IfdEntry, le: boolean): Buffer {
  if (typeof e.values === 'string') return Buffer.from(e.type === ASCII ? e.values + '\0' : e.values, 'latin1');
  const size = TYPE_SIZE[e.type] as number;
  const b = Buffer.alloc(e.values.length * (e.type === RATIONAL ? 4 : size));
  e.values.forEach((v, i) => {
    if (e.type === BYTE) b[i] = v;
    else if (e.type === SHORT && le) b.writeUInt16LE(v, i * 2);
    else if (e.type === SHORT) b.writeUInt16BE(v, i * 2);
    else if (le) b.writeUInt32LE(v >>> 0, i * 4);
    else b.writeUInt32BE(v >>> 0, i * 4);
  });
  return b;
}

function ifdSize(entries: IfdEntry[], le: boolean): number {
  let size = 2 + entries.length * 12 + 4;
  for (const e of entries) {
    const n = valueBytes(e, le).length;
    if (n > 4) size += n + (n % 2);
  }
  return size;
}

/** One IFD at `offset` (from the TIFF header), with its out-of-line values right after it. */
function writeIfd(entries: IfdEntry[], offset: number, le: boolean): Buffer {
  entries.sort((a, b) => a.tag - b.tag);
  const out = Buffer.alloc(ifdSize(entries, le));
  const u16 = (v: number, at: number): number => (le ? out.writeUInt16LE(v, at) : out.writeUInt16BE(v, at));
  const u32 = (v: number, at: number): number => (le ? out.writeUInt32LE(v, at) : out.writeUInt32BE(v, at));
  u16(entries.length, 0);
  let data = 2 + entries.length * 12 + 4;
  entries.forEach((e, i) => {
    const at = 2 + i * 12;
    const bytes = valueBytes(e, le);
    const count = typeof e.values === 'string' ? bytes.length : e.type === RATIONAL ? e.values.length / 2 : e.values.length;
    u16(e.tag, at);
    u16(e.type, at + 2);
    u32(count, at + 4);
    if (bytes.length <= 4) bytes.copy(out, at + 8);
    else {
      u32(offset + data, at + 8);
      bytes.copy(out, data);
      data += bytes.length + (bytes.length % 2);
    }
  });
  u32(0, 2 + entries.length * 12);
  return out;
}

function toRational(deg: number): number[] {
  const d = Math.floor(deg);
  const m = Math.floor((deg - d) * 60);
  const s = Math.round(((deg - d) * 60 - m) * 60 * 100);
  return [d, 1, m, 1, s, 100];
}

/** The APP1 payload: `Exif\0\0` + a TIFF structure (+ IFD1 and the thumbnail's JPEG bytes). */
export function exifPayload(info: ExifInfo, width: number, height: number, thumbnail?: Buffer): Buffer {
  const le = info.littleEndian === true;
  const date = formatExifDate(info.taken, info.offsetMinutes);
  const ifd0: IfdEntry[] = [
    { tag: 0x010f, type: ASCII, values: info.make },
    { tag: 0x0110, type: ASCII, values: info.model },
    { tag: 0x0112, type: SHORT, values: [info.orientation ?? 1] },
    { tag: 0x011a, type: RATIONAL, values: [72, 1] },
    { tag: 0x011b, type: RATIONAL, values: [72, 1] },
    { tag: 0x0128, type: SHORT, values: [2] },
    { tag: 0x0132, type: ASCII, values: date },
    { tag: 0x8769, type: LONG, values: [0] },
  ];
  if (info.software) ifd0.push({ tag: 0x0131, type: ASCII, values: info.software });
  if (info.artist) ifd0.push({ tag: 0x013b, type: ASCII, values: info.artist });
  if (info.gps) ifd0.push({ tag: 0x8825, type: LONG, values: [0] });
  const exif: IfdEntry[] = [
    { tag: 0x829a, type: RATIONAL, values: info.exposure ?? [1, 125] },
    { tag: 0x829d, type: RATIONAL, values: info.fNumber ?? [22, 10] },
    { tag: 0x8827, type: SHORT, values: [info.iso ?? 100] },
    { tag: 0x9000, type: UNDEFINED, values: '0230' },
    { tag: 0x9003, type: ASCII, values: date },
    { tag: 0x9004, type: ASCII, values: date },
    { tag: 0x920a, type: RATIONAL, values: info.focalLength ?? [415, 100] },
    { tag: 0xa001, type: SHORT, values: [1] },
    { tag: 0xa002, type: LONG, values: [width] },
    { tag: 0xa003, type: LONG, values: [height] },
  ];
  const gps: IfdEntry[] = info.gps
    ? [
        { tag: 0x0000, type: BYTE, values: [2, 3, 0, 0] },
        { tag: 0x0001, type: ASCII, values: info.gps.lat >= 0 ? 'N' : 'S' },
        { tag: 0x0002, type: RATIONAL, values: toRational(Math.abs(info.gps.lat)) },
        { tag: 0x0003, type: ASCII, values: info.gps.lon >= 0 ? 'E' : 'W' },
        { tag: 0x0004, type: RATIONAL, values: toRational(Math.abs(info.gps.lon)) },
      ]
    : [];
  const exifOffset = 8 + ifdSize(ifd0, le);
  const gpsOffset = exifOffset + ifdSize(exif, le);
  (ifd0.find((e) => e.tag === 0x8769) as IfdEntry).values = [exifOffset];
  const gpsPtr = ifd0.find((e) => e.tag === 0x8825);
  if (gpsPtr) gpsPtr.values = [gpsOffset];
  const header = Buffer.from(le ? [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0] : [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]);
  const ifd0Bytes = writeIfd(ifd0, 8, le);
  const parts = [Buffer.from('Exif\0\0', 'latin1'), header, ifd0Bytes, writeIfd(exif, exifOffset, le)];
  if (gps.length > 0) parts.push(writeIfd(gps, gpsOffset, le));
  if (thumbnail) {
    // IFD1 (TIFF 6.0 §2, Exif 2.3 §4.5.4): the next IFD after IFD0, pointing at the thumbnail's bytes.
    const ifd1Offset = gpsOffset + (gps.length > 0 ? ifdSize(gps, le) : 0);
    const ifd1: IfdEntry[] = [
      { tag: 0x0103, type: SHORT, values: [6] },
      { tag: 0x011a, type: RATIONAL, values: [72, 1] },
      { tag: 0x011b, type: RATIONAL, values: [72, 1] },
      { tag: 0x0128, type: SHORT, values: [2] },
      { tag: 0x0201, type: LONG, values: [0] },
      { tag: 0x0202, type: LONG, values: [thumbnail.length] },
    ];
    (ifd1.find((e) => e.tag === 0x0201) as IfdEntry).values = [ifd1Offset + ifdSize(ifd1, le)];
    const count = ifd0.length;
    if (le) ifd0Bytes.writeUInt32LE(ifd1Offset, 2 + count * 12);
    else ifd0Bytes.writeUInt32BE(ifd1Offset, 2 + count * 12);
    parts.push(writeIfd(ifd1, ifd1Offset, le), thumbnail);
  }
  return Buffer.concat(parts);
}

/** Box-averages RGB pixels down to `tw` × `th`. */
function downscale(rgb: Uint8Array, w: number, h: number, tw: number, th: number): Uint8Array {
  const out = new Uint8Array(tw * th * 3);
  for (let ty = 0; ty < th; ty++) {
    const y0 = Math.floor((ty * h) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * h) / th));
    for (let tx = 0; tx < tw; tx++) {
      const x0 = Math.floor((tx * w) / tw);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * w) / tw));
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += rgb[(y * w + x) * 3 + c] as number;
        out[(ty * tw + tx) * 3 + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return out;
}

/**
 * A photo and its camera thumbnail (160 pixels wide). `edit` changes the photo's pixels after the
 * thumbnail was taken from them, as an editor that keeps the Exif block does; `thumbnailSeed` takes
 * the thumbnail from another picture altogether.
 */
export function encodeWithThumbnail(width: number, height: number, seed: number, quality = 85, grain = 18, edit?: (rgb: Uint8Array, w: number, h: number) => void, thumbnailSeed?: number): { scan: JpegScan; thumbnail: JpegScan } {
  const rgb = paintPicture('photo', width, height, seed, grain);
  const source = thumbnailSeed === undefined ? rgb : paintPicture('photo', width, height, thumbnailSeed, grain);
  const tw = 160;
  const th = Math.round((160 * height) / width);
  const thumbnail = encodeJpegScan(downscale(source, width, height, tw, th), tw, th, 75);
  if (edit) edit(rgb, width, height);
  return { scan: encodeJpegScan(rgb, width, height, quality), thumbnail };
}

/** Paints and encodes a picture (no Exif, no file wrapper): reusable with `buildJpeg({ scan })`. */
export function encodePicture(kind: PictureKind, width: number, height: number, seed: number, quality = 85, grain = 18): JpegScan {
  return encodeJpegScan(paintPicture(kind, width, height, seed, grain), width, height, quality);
}

/** A complete JPEG file: Exif camera file by default, plain JFIF with `exif: null`. */
export function buildJpeg(opts: JpegOptions = {}): Buffer {
  const scan = opts.scan ?? encodePicture(opts.kind ?? 'photo', opts.width ?? 320, opts.height ?? 240, opts.seed ?? 1, opts.quality ?? 85);
  if (opts.exif === null) return assembleJpeg(scan, [jfifSegment()]);
  const exif = opts.exif ?? { make: 'Apple', model: 'iPhone 6s', software: '10.2.1', taken: Date.UTC(2017, 2, 2, 13, 3, 11), offsetMinutes: 60 };
  const thumbnail = opts.thumbnail ? assembleJpeg(opts.thumbnail, []) : undefined;
  return assembleJpeg(scan, [appSegment(1, exifPayload(exif, scan.width, scan.height, thumbnail))]);
}
