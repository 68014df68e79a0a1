/**
 * Compound File Binary containers ([MS-CFB]): the OLE2 storage of .doc, .xls, .ppt and .msg files.
 * Only what the forensic reader needs: the root's top-level streams, by name, and their bytes.
 *
 * Written here rather than taken from the `cfb` package: on hostile files its sector walks and its
 * path builder can loop forever (a FAT chain or a directory tree that points back at itself). Here
 * every chain and every tree walk remembers where it has been and stops at the first repeat, and
 * stream sizes are capped.
 */

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENDOFCHAIN = 0xfffffffe;
const NOSTREAM = 0xffffffff;
/** Directory entries walked. */
const MAX_DIRECTORY_ENTRIES = 100_000;
/** Largest stream returned whole. */
export const MAX_CFB_STREAM_BYTES = 64 * 1024 * 1024;

export class CfbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CfbError';
  }
}

export interface CfbEntry {
  name: string;
  type: 'storage' | 'stream' | 'root' | 'other';
  start: number;
  size: number;
  clsid: string;
  created: string | null;
  modified: string | null;
  left: number;
  right: number;
  child: number;
}

/** FILETIME (100 ns since 1601-01-01 UTC) to ISO 8601 UTC; null for zero or out of range. */
export function filetimeToIso(low: number, high: number): string | null {
  if (low === 0 && high === 0) return null;
  const ms = (high * 4294967296 + low) / 10_000 - 11_644_473_600_000;
  if (!Number.isFinite(ms) || ms < -11_644_473_600_000 || ms > 32503680000000) return null;
  return new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An OLE2 compound file held in memory. */
export class CfbContainer {
  readonly bytes: Uint8Array;
  readonly entries: CfbEntry[] = [];
  readonly sectorSize: number;
  readonly #view: DataView;
  readonly #fat: Uint32Array;
  #miniFat: Uint32Array = new Uint32Array(0);
  #miniStream: Uint8Array = new Uint8Array(0);
  readonly #miniCutoff: number;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    if (bytes.length < 512 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new CfbError('not an OLE2 compound file (no signature)');
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const v = this.#view;
    const shift = v.getUint16(30, true);
    if (shift !== 9 && shift !== 12) throw new CfbError(`a sector shift of ${shift} (only 9 and 12 exist)`);
    this.sectorSize = 1 << shift;
    const sectors = Math.floor((bytes.length - this.sectorSize + this.sectorSize - 1) / this.sectorSize);
    this.#miniCutoff = v.getUint32(56, true) || 4096;

    // FAT sector numbers: 109 in the header, the rest in the DIFAT chain.
    const fatSectors: number[] = [];
    const numFat = v.getUint32(44, true);
    for (let i = 0; i < 109 && fatSectors.length < numFat; i++) fatSectors.push(v.getUint32(76 + i * 4, true));
    let difat = v.getUint32(68, true);
    const seenDifat = new Set<number>();
    while (difat < sectors && fatSectors.length < numFat && !seenDifat.has(difat)) {
      seenDifat.add(difat);
      const at = this.#sectorOffset(difat);
      const per = this.sectorSize / 4 - 1;
      for (let i = 0; i < per && fatSectors.length < numFat; i++) fatSectors.push(v.getUint32(at + i * 4, true));
      difat = v.getUint32(at + per * 4, true);
    }
    const per = this.sectorSize / 4;
    this.#fat = new Uint32Array(Math.min(fatSectors.length, sectors + 1) * per);
    fatSectors.slice(0, sectors + 1).forEach((s, k) => {
      if (s >= sectors) return;
      const at = this.#sectorOffset(s);
      for (let i = 0; i < per; i++) this.#fat[k * per + i] = v.getUint32(at + i * 4, true);
    });

    // Directory.
    const dir = this.#readChain(v.getUint32(48, true), Number.MAX_SAFE_INTEGER);
    for (let at = 0; at + 128 <= dir.length && this.entries.length < MAX_DIRECTORY_ENTRIES; at += 128) {
      const d = new DataView(dir.buffer, dir.byteOffset + at, 128);
      const nameLength = Math.min(64, d.getUint16(64, true));
      const name = new TextDecoder('utf-16le').decode(dir.subarray(at, at + Math.max(0, nameLength - 2)));
      const t = d.getUint8(66);
      const clsid = Array.from(dir.subarray(at + 80, at + 96), (b) => b.toString(16).padStart(2, '0')).join('');
      this.entries.push({
        name,
        type: t === 1 ? 'storage' : t === 2 ? 'stream' : t === 5 ? 'root' : 'other',
        left: d.getUint32(68, true),
        right: d.getUint32(72, true),
        child: d.getUint32(76, true),
        clsid,
        created: filetimeToIso(d.getUint32(100, true), d.getUint32(104, true)),
        modified: filetimeToIso(d.getUint32(108, true), d.getUint32(112, true)),
        start: d.getUint32(116, true),
        // Version 3 files may leave junk in the high half of the size (MS-CFB 2.6.3).
        size: this.sectorSize === 512 ? d.getUint32(120, true) : d.getUint32(120, true) + d.getUint32(124, true) * 4294967296,
      });
    }
    const root = this.entries[0];
    if (!root || root.type !== 'root') throw new CfbError('the directory has no root entry');
    this.#miniStream = this.#readChain(root.start, root.size);
    this.#miniFat = (() => {
      const raw = this.#readChain(v.getUint32(60, true), v.getUint32(64, true) * this.sectorSize);
      const out = new Uint32Array(Math.floor(raw.length / 4));
      const rv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      for (let i = 0; i < out.length; i++) out[i] = rv.getUint32(i * 4, true);
      return out;
    })();
  }

  #sectorOffset(sector: number): number {
    return (sector + 1) * this.sectorSize;
  }

  /** The bytes of a FAT chain, up to `limit` bytes; a loop or a bad sector ends it. */
  #readChain(start: number, limit: number): Uint8Array {
    const parts: Uint8Array[] = [];
    const seen = new Set<number>();
    let total = 0;
    for (let s = start; s !== ENDOFCHAIN && s < this.#fat.length && !seen.has(s) && total < Math.min(limit, MAX_CFB_STREAM_BYTES); s = this.#fat[s] as number) {
      seen.add(s);
      const at = this.#sectorOffset(s);
      if (at >= this.bytes.length) break;
      const part = this.bytes.subarray(at, Math.min(at + this.sectorSize, this.bytes.length));
      parts.push(part);
      total += part.length;
    }
    const out = Buffer.concat(parts);
    return out.subarray(0, Math.min(out.length, limit));
  }

  #readMiniChain(start: number, limit: number): Uint8Array {
    const parts: Uint8Array[] = [];
    const seen = new Set<number>();
    let total = 0;
    for (let s = start; s !== ENDOFCHAIN && s < this.#miniFat.length && !seen.has(s) && total < limit; s = this.#miniFat[s] as number) {
      seen.add(s);
      const at = s * 64;
      if (at >= this.#miniStream.length) break;
      const part = this.#miniStream.subarray(at, Math.min(at + 64, this.#miniStream.length));
      parts.push(part);
      total += part.length;
    }
    return Buffer.concat(parts).subarray(0, limit);
  }

  /** Entries directly under the root storage. */
  topLevel(): CfbEntry[] {
    const out: CfbEntry[] = [];
    const seen = new Set<number>();
    const stack = [this.entries[0]?.child ?? NOSTREAM];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (i === NOSTREAM || i >= this.entries.length || seen.has(i)) continue;
      seen.add(i);
      const e = this.entries[i] as CfbEntry;
      out.push(e);
      stack.push(e.left, e.right);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A top-level stream by name, or null; at most `limit` bytes of it. */
  stream(name: string, limit = MAX_CFB_STREAM_BYTES): Uint8Array | null {
    const e = this.topLevel().find((x) => x.name === name && x.type === 'stream');
    if (!e) return null;
    const size = Math.min(e.size, limit, MAX_CFB_STREAM_BYTES);
    return e.size < this.#miniCutoff ? this.#readMiniChain(e.start, size) : this.#readChain(e.start, size);
  }
}
