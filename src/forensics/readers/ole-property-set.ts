/**
 * OLE property sets ([MS-OLEPS] §2.21 PropertySetStream): the `\x05SummaryInformation` and
 * `\x05DocumentSummaryInformation` streams of legacy Office files, with the property ids of
 * [MS-OLEPS] §2.25 and [MS-OSHARED] §2.3.3.2. Strings are decoded with the set's own code page
 * (property 1), which also says which Windows locale family wrote the file (1251: Cyrillic).
 *
 * The stream header's SystemIdentifier names the operating system that wrote it (OS kind and
 * major.minor version, §2.21).
 */
import { TextDecoder } from 'node:util';

/** Properties read from one set. */
const MAX_PROPERTIES = 500;
/** Items of one vector property. */
const MAX_VECTOR_ITEMS = 500;
/** Longest string kept. */
const MAX_STRING_CHARS = 2000;

export type PropertyValue = string | number | boolean | null | PropertyValue[] | { filetime: string | null; minutes: number };

export interface PropertySet {
  /** SystemIdentifier: `Windows 6.1`, `Macintosh 10.0`... */
  system: string | null;
  codepage: number | null;
  /** Values by property id. */
  values: Map<number, PropertyValue>;
}

/** Windows code page numbers as WHATWG encoding labels (what TextDecoder knows). */
const CODEPAGE_LABELS: Record<number, string> = {
  874: 'windows-874', 932: 'shift_jis', 936: 'gbk', 949: 'euc-kr', 950: 'big5', 1200: 'utf-16le', 1201: 'utf-16be',
  1250: 'windows-1250', 1251: 'windows-1251', 1252: 'windows-1252', 1253: 'windows-1253', 1254: 'windows-1254',
  1255: 'windows-1255', 1256: 'windows-1256', 1257: 'windows-1257', 1258: 'windows-1258', 10000: 'macintosh',
  10007: 'x-mac-cyrillic', 20866: 'koi8-r', 21866: 'koi8-u', 28591: 'iso-8859-1', 28595: 'iso-8859-5', 65001: 'utf-8',
};

function decoderFor(codepage: number | null): TextDecoder {
  const label = CODEPAGE_LABELS[codepage ?? 1252] ?? 'windows-1252';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('windows-1252');
  }
}

const FILETIME_EPOCH_MS = 11_644_473_600_000;

/** Reads every property set of a property-set stream (usually one; DocumentSummaryInformation may have two). */
export function readPropertySets(stream: Uint8Array): PropertySet[] {
  if (stream.length < 48) return [];
  const v = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (v.getUint16(0, true) !== 0xfffe) return [];
  const sysId = v.getUint32(4, true);
  const osKind = sysId >>> 16;
  const system = `${osKind === 0 ? 'Windows (16-bit)' : osKind === 1 ? 'Macintosh' : osKind === 2 ? 'Windows' : `OS ${osKind}`} ${sysId & 0xff}.${(sysId >>> 8) & 0xff}`;
  const count = Math.min(v.getUint32(24, true), 4);
  const sets: PropertySet[] = [];
  for (let s = 0; s < count; s++) {
    const headerAt = 28 + s * 20;
    if (headerAt + 20 > stream.length) break;
    const base = v.getUint32(headerAt + 16, true);
    if (base + 8 > stream.length) continue;
    const n = Math.min(v.getUint32(base + 4, true), MAX_PROPERTIES);
    const ids: [number, number][] = [];
    for (let i = 0; i < n && base + 8 + i * 8 + 8 <= stream.length; i++) ids.push([v.getUint32(base + 8 + i * 8, true), v.getUint32(base + 12 + i * 8, true)]);
    const set: PropertySet = { system, codepage: null, values: new Map() };
    // The code page first: strings depend on it.
    const cp = ids.find(([id]) => id === 1);
    if (cp && base + cp[1] + 6 <= stream.length && v.getUint16(base + cp[1], true) === 2) set.codepage = v.getUint16(base + cp[1] + 4, true);
    const decoder = decoderFor(set.codepage);
    for (const [id, off] of ids) {
      if (id === 0 || id === 1 || id >= 0x80000000) continue;
      try {
        set.values.set(id, readValue(v, stream, base + off, decoder, set.codepage, 0).value);
      } catch {
        // A value that runs past the stream is left out.
      }
    }
    sets.push(set);
  }
  return sets;
}

function readValue(v: DataView, bytes: Uint8Array, at: number, decoder: TextDecoder, codepage: number | null, depth: number): { value: PropertyValue; size: number } {
  if (at + 4 > bytes.length) throw new RangeError('past the end');
  const type = v.getUint16(at, true);
  const p = at + 4;
  const str8 = (q: number): { value: string; size: number } => {
    const len = v.getUint32(q, true);
    if (len > bytes.length - q - 4) throw new RangeError('string past the end');
    const raw = bytes.subarray(q + 4, q + 4 + len);
    const text = (codepage === 1200 ? new TextDecoder('utf-16le') : decoder).decode(raw).replace(/\0.*$/s, '');
    return { value: text.slice(0, MAX_STRING_CHARS), size: 4 + len + ((4 - (len % 4)) % 4) };
  };
  const str16 = (q: number): { value: string; size: number } => {
    const len = v.getUint32(q, true);
    if (len * 2 > bytes.length - q - 4) throw new RangeError('string past the end');
    const text = new TextDecoder('utf-16le').decode(bytes.subarray(q + 4, q + 4 + len * 2)).replace(/\0.*$/s, '');
    return { value: text.slice(0, MAX_STRING_CHARS), size: 4 + len * 2 + ((4 - ((len * 2) % 4)) % 4) };
  };
  switch (type) {
    case 0x02:
      return { value: v.getInt16(p, true), size: 8 };
    case 0x03:
    case 0x16:
      return { value: v.getInt32(p, true), size: 8 };
    case 0x12:
      return { value: v.getUint16(p, true), size: 8 };
    case 0x13:
    case 0x17:
      return { value: v.getUint32(p, true), size: 8 };
    case 0x0b:
      return { value: v.getUint16(p, true) !== 0, size: 8 };
    case 0x05:
      return { value: v.getFloat64(p, true), size: 12 };
    case 0x1e: {
      const s = str8(p);
      return { value: s.value, size: 4 + s.size };
    }
    case 0x1f: {
      const s = str16(p);
      return { value: s.value, size: 4 + s.size };
    }
    case 0x40: {
      const low = v.getUint32(p, true);
      const high = v.getUint32(p + 4, true);
      const ticks = high * 4294967296 + low;
      const ms = ticks / 10_000 - FILETIME_EPOCH_MS;
      const filetime = ticks === 0 || ms < -FILETIME_EPOCH_MS || ms > 32503680000000 ? null : new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      return { value: { filetime, minutes: Math.round(ticks / 600_000_000) }, size: 12 };
    }
    case 0x100c:
    case 0x101e:
    case 0x101f: {
      if (depth > 1) throw new RangeError('nested vectors');
      const n = v.getUint32(p, true);
      const items: PropertyValue[] = [];
      let q = p + 4;
      for (let i = 0; i < n && i < MAX_VECTOR_ITEMS && q < bytes.length; i++) {
        if (type === 0x100c) {
          const item = readValue(v, bytes, q, decoder, codepage, depth + 1);
          items.push(item.value);
          q += item.size;
        } else {
          const s = type === 0x101e ? str8(q) : str16(q);
          items.push(s.value);
          q += s.size;
        }
      }
      return { value: items, size: q - at };
    }
    default:
      return { value: null, size: 8 };
  }
}
