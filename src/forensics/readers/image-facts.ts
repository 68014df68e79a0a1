/**
 * What a picture says about itself: its Exif block (camera, software, dates and their UTC offsets,
 * the embedded thumbnail), its XMP packet (creator tool, dates, the edit history `xmpMM:History`),
 * and for JPEGs whether the Exif thumbnail still shows the picture (image-likeness.ts).
 *
 * JPEG: markers from SOI to SOS (ITU T.81 Annex B), APP1 `Exif\0\0` and
 * `http://ns.adobe.com/xap/1.0/\0`, SOFn for the size. PNG: IHDR, eXIf, tEXt/iTXt/zTXt (keywords
 * `Software`, `Creation Time`, `Author`, `XML:com.adobe.xmp`), tIME (PNG 1.2 §11.3). WebP: VP8X,
 * EXIF and XMP chunks (RIFF). TIFF: the file is an Exif block. GIF: the logical screen size only.
 */
import { inflateSync } from 'node:zlib';
import { exifDateToIso, readExif, type ExifFacts } from './exif-ifd.ts';
import { compareThumbnail, decodeGrey, type Likeness } from './image-likeness.ts';
import { decodeDc } from './jpeg-dc.ts';
import { findXmpPacket, readXmp, type XmpFacts } from './xmp-packet.ts';

/** JPEG segments walked before the scan; real files have under 30. */
const MAX_JPEG_SEGMENTS = 500;
/** PNG and WebP chunks walked. */
const MAX_CHUNKS = 10_000;
/** Main images that the block-mean decoder cannot read are decoded in full up to this size. */
const FULL_DECODE_MEGAPIXELS = 8;
/** Text of a PNG chunk kept (compressed zTXt/iTXt inflate to at most this). */
const MAX_PNG_TEXT_BYTES = 1024 * 1024;

export interface ImageFacts {
  reader: 'image';
  format: 'jpeg' | 'png' | 'gif' | 'tiff' | 'webp';
  width: number | null;
  height: number | null;
  exif: ExifFacts | null;
  /** Exif dates as ISO 8601 (local time, with the offset when the file gives one). */
  dates: { modified: string | null; original: string | null; digitized: string | null; gps: string | null };
  xmp: XmpFacts | null;
  /** PNG text chunks by keyword, and the tIME chunk (UTC). */
  text: Record<string, string>;
  thumbnail: {
    width: number | null;
    height: number | null;
    bytes: number;
    /** Null when it could not be compared (not decodable, main image too large...), with the reason. */
    likeness: Likeness | null;
    notCompared: string | null;
  } | null;
  problems: string[];
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
const EXIF_HEADER = 'Exif\0\0';
const XMP_HEADER = 'http://ns.adobe.com/xap/1.0/\0';

function startsWith(bytes: Uint8Array, s: string, at = 0): boolean {
  if (at + s.length > bytes.length) return false;
  for (let i = 0; i < s.length; i++) if (bytes[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

function empty(format: ImageFacts['format']): ImageFacts {
  return { reader: 'image', format, width: null, height: null, exif: null, dates: { modified: null, original: null, digitized: null, gps: null }, xmp: null, text: {}, thumbnail: null, problems: [] };
}

function fillDates(facts: ImageFacts): void {
  const e = facts.exif;
  if (!e) return;
  facts.dates.modified = exifDateToIso(e.ifd0.DateTime, e.exif.OffsetTime);
  facts.dates.original = exifDateToIso(e.exif.DateTimeOriginal, e.exif.OffsetTimeOriginal);
  facts.dates.digitized = exifDateToIso(e.exif.DateTimeDigitized, e.exif.OffsetTimeDigitized);
  const d = e.gps.GPSDateStamp;
  const t = e.gps.GPSTimeStamp;
  if (typeof d === 'string' && Array.isArray(t) && t.length === 3) {
    const [h, m, s] = t.map((v) => Math.floor(v));
    const iso = exifDateToIso(`${d} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`);
    facts.dates.gps = iso ? `${iso}Z` : null;
  }
}

/** Size of a JPEG from its first SOFn segment. */
function jpegSize(seg: Uint8Array): [number, number] | null {
  if (seg.length < 5) return null;
  return [(seg[3]! << 8) | seg[4]!, (seg[1]! << 8) | seg[2]!];
}

async function readJpeg(bytes: Uint8Array): Promise<ImageFacts> {
  const facts = empty('jpeg');
  let exifBlock: Uint8Array | null = null;
  let pos = 2;
  for (let n = 0; n < MAX_JPEG_SEGMENTS && pos + 4 <= bytes.length; n++) {
    if (bytes[pos] !== 0xff) {
      facts.problems.push(`no JPEG marker at byte ${pos}`);
      break;
    }
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    if (length < 2 || pos + 2 + length > bytes.length) {
      facts.problems.push(`a JPEG segment at byte ${pos} runs past the end of the file`);
      break;
    }
    const seg = bytes.subarray(pos + 4, pos + 2 + length);
    if (marker === 0xe1 && !facts.exif && startsWith(seg, EXIF_HEADER)) {
      exifBlock = seg.subarray(6);
      facts.exif = readExif(exifBlock);
    } else if (marker === 0xe1 && !facts.xmp && startsWith(seg, XMP_HEADER)) {
      facts.xmp = await readXmp(seg.subarray(XMP_HEADER.length));
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && facts.width === null) {
      const size = jpegSize(seg);
      if (size) [facts.width, facts.height] = size;
    }
    pos += 2 + length;
  }
  fillDates(facts);
  const thumb = facts.exif?.thumbnail;
  if (exifBlock && thumb) {
    const thumbBytes = exifBlock.subarray(thumb.offset, thumb.offset + thumb.length);
    const t = decodeGrey(thumbBytes, 1);
    const entry: NonNullable<ImageFacts['thumbnail']> = { width: t?.width ?? null, height: t?.height ?? null, bytes: thumb.length, likeness: null, notCompared: null };
    if (!t) entry.notCompared = 'the thumbnail is not a JPEG that can be decoded';
    else {
      // Block means are enough to compare with a 160-pixel thumbnail, and ten times faster to get.
      const main = decodeDc(bytes) ?? decodeGrey(bytes, FULL_DECODE_MEGAPIXELS);
      if (!main) entry.notCompared = 'the main image could not be decoded (damaged, arithmetic-coded, or too large to decode in full)';
      else entry.likeness = compareThumbnail(t, main);
    }
    facts.thumbnail = entry;
  }
  return facts;
}

async function readPng(bytes: Uint8Array): Promise<ImageFacts> {
  const facts = empty('png');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  for (let n = 0; n < MAX_CHUNKS && pos + 12 <= bytes.length; n++) {
    const length = view.getUint32(pos);
    const type = latin1.decode(bytes.subarray(pos + 4, pos + 8));
    if (pos + 12 + length > bytes.length) {
      facts.problems.push(`the ${type} chunk runs past the end of the file`);
      break;
    }
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR' && length >= 8) {
      facts.width = view.getUint32(pos + 8);
      facts.height = view.getUint32(pos + 12);
    } else if (type === 'eXIf') {
      facts.exif = readExif(data);
    } else if (type === 'tIME' && length === 7) {
      const d = new DataView(data.buffer, data.byteOffset, 7);
      const two = (x: number): string => String(x).padStart(2, '0');
      facts.text['tIME'] = `${d.getUint16(0)}-${two(data[2]!)}-${two(data[3]!)}T${two(data[4]!)}:${two(data[5]!)}:${two(data[6]!)}Z`;
    } else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const zero = data.indexOf(0);
      if (zero > 0) {
        const keyword = latin1.decode(data.subarray(0, zero));
        let value: Uint8Array | null = null;
        try {
          if (type === 'tEXt') value = data.subarray(zero + 1);
          else if (type === 'zTXt') value = inflateSync(data.subarray(zero + 2), { maxOutputLength: MAX_PNG_TEXT_BYTES });
          else {
            const compressed = data[zero + 1] === 1;
            let p = zero + 3;
            for (let k = 0; k < 2; k++) {
              const z = data.indexOf(0, p);
              p = z < 0 ? data.length : z + 1;
            }
            value = compressed ? inflateSync(data.subarray(p), { maxOutputLength: MAX_PNG_TEXT_BYTES }) : data.subarray(p);
          }
        } catch {
          facts.problems.push(`the ${type} chunk "${keyword}" cannot be inflated`);
        }
        if (value) {
          if (keyword === 'XML:com.adobe.xmp') facts.xmp ??= await readXmp(value);
          else if (Object.keys(facts.text).length < 50) facts.text[keyword] = (type === 'iTXt' ? utf8 : latin1).decode(value.subarray(0, 2000)).trim();
        }
      }
    } else if (type === 'IEND') break;
    pos += 12 + length;
  }
  fillDates(facts);
  return facts;
}

async function readWebp(bytes: Uint8Array): Promise<ImageFacts> {
  const facts = empty('webp');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 12;
  for (let n = 0; n < MAX_CHUNKS && pos + 8 <= bytes.length; n++) {
    const type = latin1.decode(bytes.subarray(pos, pos + 4));
    const length = view.getUint32(pos + 4, true);
    if (pos + 8 + length > bytes.length) break;
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (type === 'VP8X' && length >= 10) {
      facts.width = 1 + (data[4]! | (data[5]! << 8) | (data[6]! << 16));
      facts.height = 1 + (data[7]! | (data[8]! << 8) | (data[9]! << 16));
    } else if (type === 'EXIF') facts.exif = readExif(startsWith(data, EXIF_HEADER) ? data.subarray(6) : data);
    else if (type === 'XMP ') facts.xmp = await readXmp(data);
    pos += 8 + length + (length % 2);
  }
  fillDates(facts);
  return facts;
}

async function readTiff(bytes: Uint8Array): Promise<ImageFacts> {
  const facts = empty('tiff');
  facts.exif = readExif(bytes);
  if (facts.exif) {
    const w = facts.exif.ifd0.ImageWidth;
    const h = facts.exif.ifd0.ImageLength;
    facts.width = typeof w === 'number' ? w : null;
    facts.height = typeof h === 'number' ? h : null;
  }
  const packet = findXmpPacket(bytes);
  if (packet) facts.xmp = await readXmp(packet);
  fillDates(facts);
  return facts;
}

function readGif(bytes: Uint8Array): ImageFacts {
  const facts = empty('gif');
  if (bytes.length >= 10) {
    facts.width = bytes[6]! | (bytes[7]! << 8);
    facts.height = bytes[8]! | (bytes[9]! << 8);
  }
  return facts;
}

/** The facts of a picture of this format (`jpeg`, `png`, `gif`, `tiff`, `webp`). */
export async function readImageFacts(format: string, bytes: Uint8Array): Promise<ImageFacts | null> {
  switch (format) {
    case 'jpeg':
      return readJpeg(bytes);
    case 'png':
      return readPng(bytes);
    case 'webp':
      return readWebp(bytes);
    case 'tiff':
      return readTiff(bytes);
    case 'gif':
      return readGif(bytes);
    default:
      return null;
  }
}
