/**
 * The structure of a PDF file: its revisions and the objects each one defines (ISO 32000-1 §7.5).
 *
 * A PDF is saved once, then each incremental update (§7.5.6) appends the objects it changes, a new
 * cross-reference section and trailer (with /Prev pointing back), `startxref` and `%%EOF`. So every
 * `%%EOF` that follows a `startxref` closes one revision, and that revision's cross-reference
 * section lists exactly the objects it (re)defined. Cross-reference sections are tables (§7.5.4) or
 * streams (§7.5.8, PDF 1.5), possibly both in a hybrid file (/XRefStm).
 *
 * A linearized file (Annex F) is the one exception: it is written in one go with two sections, a
 * first-page one near the start and the main one at the end, each followed by `%%EOF`. Those two
 * are one revision.
 *
 * When cross-reference offsets are wrong (a file repaired or edited by hand), objects are found by
 * scanning for `n g obj`, as every PDF reader does.
 */
import { inflateSync, constants as zlib } from 'node:zlib';
import { PdfParser, PdfSyntaxError, asDict, asName, asNumber, asRef, type PdfDict, type PdfObject, type PdfValue } from './pdf-syntax.ts';

/** Revisions (`%%EOF` markers) read; more are counted but not parsed. */
export const MAX_PDF_REVISIONS = 1000;
/** Objects in one cross-reference section. */
export const MAX_XREF_ENTRIES = 2_000_000;
/** One stream may inflate to this much (object streams, XMP, cross-reference streams). */
export const MAX_STREAM_BYTES = 32 * 1024 * 1024;
/** All streams inflated for one file together. */
export const MAX_INFLATED_TOTAL = 128 * 1024 * 1024;
/** Objects found by scanning when cross-references fail. */
const MAX_SCANNED_OBJECTS = 2_000_000;

export type XrefEntry = { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number };

export interface XrefSection {
  offset: number;
  kind: 'table' | 'stream';
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
}

export interface PdfRevisionSection {
  /** Byte just past this revision's `%%EOF`. */
  end: number;
  startxref: number | null;
  sections: XrefSection[];
  problem: string | null;
}

const latin1 = new TextDecoder('latin1');

function indexOfBytes(bytes: Uint8Array, needle: string, from: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.indexOf(needle, from, 'latin1');
}

function lastIndexOfBytes(bytes: Uint8Array, needle: string, from: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.lastIndexOf(needle, from, 'latin1');
}

/** PNG (and TIFF 2) predictors of §7.4.4.4, applied after Flate. */
function unpredict(data: Uint8Array, parms: PdfDict | null): Uint8Array {
  const predictor = asNumber(parms?.v.get('Predictor')) ?? 1;
  if (predictor < 10) return data;
  const colors = asNumber(parms?.v.get('Colors')) ?? 1;
  const bpc = asNumber(parms?.v.get('BitsPerComponent')) ?? 8;
  const columns = asNumber(parms?.v.get('Columns')) ?? 1;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLength = Math.ceil((colors * bpc * columns) / 8);
  if (rowLength <= 0 || rowLength > 1 << 20) return data;
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  let prev = new Uint8Array(rowLength);
  for (let r = 0; r < rows; r++) {
    const filter = data[r * (rowLength + 1)];
    const row = data.subarray(r * (rowLength + 1) + 1, (r + 1) * (rowLength + 1));
    const cur = out.subarray(r * rowLength, (r + 1) * rowLength);
    for (let i = 0; i < rowLength; i++) {
      const left = i >= bpp ? (cur[i - bpp] as number) : 0;
      const up = prev[i] as number;
      const upLeft = i >= bpp ? (prev[i - bpp] as number) : 0;
      const x = row[i] as number;
      let v = x;
      if (filter === 1) v = x + left;
      else if (filter === 2) v = x + up;
      else if (filter === 3) v = x + ((left + up) >> 1);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}

/** One PDF file held in memory: its revisions and its objects, read on demand. */
export class PdfFile {
  readonly bytes: Uint8Array;
  readonly revisions: PdfRevisionSection[] = [];
  /** `%%EOF` markers in the file, all counted. */
  eofMarkers = 0;
  linearized = false;
  problems: string[] = [];
  #inflated = 0;
  #scanned: Map<number, number> | null = null;
  #objStreams = new Map<number, { first: number; offsets: number[]; data: Uint8Array } | null>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.#readRevisions();
  }

  #readRevisions(): void {
    const b = this.bytes;
    const ends: number[] = [];
    for (let at = indexOfBytes(b, '%%EOF', 0); at >= 0; at = indexOfBytes(b, '%%EOF', at + 5)) {
      this.eofMarkers++;
      if (ends.length < MAX_PDF_REVISIONS) ends.push(at + 5);
    }
    const sections: PdfRevisionSection[] = [];
    let from = 0;
    for (const end of ends) {
      const sx = lastIndexOfBytes(b, 'startxref', end - 5);
      if (sx < from) {
        // An %%EOF without its own startxref (a duplicated marker, junk appended): not a revision.
        from = end;
        continue;
      }
      const p = new PdfParser(b, sx + 9);
      const startxref = p.readInt();
      const rev: PdfRevisionSection = { end, startxref, sections: [], problem: null };
      if (startxref !== null && startxref > 0) {
        try {
          this.#readSectionChain(startxref, rev, from);
        } catch (err) {
          rev.problem = (err as Error).message;
        }
      }
      sections.push(rev);
      from = end;
    }
    // Linearized: the first object is the linearization dictionary, and the first-page section
    // (startxref 0, or pointing into itself) is followed by the main one: one revision.
    const head = latin1.decode(b.subarray(0, Math.min(b.length, 2048)));
    this.linearized = /\/Linearized\b/.test(head);
    if (this.linearized && sections.length >= 2) {
      const [a, c] = sections as [PdfRevisionSection, PdfRevisionSection];
      sections.splice(0, 2, { end: c.end, startxref: c.startxref, sections: [...a.sections, ...c.sections], problem: a.problem && c.problem ? c.problem : null });
    }
    this.revisions.push(...sections);
  }

  /** Reads the section at `offset` and, for a hybrid file, its /XRefStm; /Prev sections belong to earlier revisions. */
  #readSectionChain(offset: number, rev: PdfRevisionSection, revisionStart: number): void {
    const section = this.#readSection(offset);
    rev.sections.push(section);
    const stm = asNumber(section.trailer.v.get('XRefStm'));
    if (stm !== null && stm > 0) {
      try {
        const extra = this.#readSection(stm);
        for (const [n, e] of extra.entries) if (!section.entries.has(n)) section.entries.set(n, e);
      } catch (err) {
        this.problems.push(`the hybrid cross-reference stream at ${stm} cannot be read (${(err as Error).message})`);
      }
    }
    // A linearized first-page section's /Prev points forward to the main table: read it here too.
    const prev = asNumber(section.trailer.v.get('Prev'));
    if (prev !== null && prev > offset && prev < rev.end && prev >= revisionStart) {
      try {
        rev.sections.push(this.#readSection(prev));
      } catch {
        // the main revision reading will report it
      }
    }
  }

  #readSection(offset: number): XrefSection {
    const b = this.bytes;
    if (offset >= b.length) throw new PdfSyntaxError(`startxref points past the end of the file (${offset})`);
    const p = new PdfParser(b, offset);
    if (p.peekWord() === 'xref') {
      p.readWord();
      const entries = new Map<number, XrefEntry>();
      for (;;) {
        const start = p.readInt();
        if (start === null) break;
        const count = p.readInt();
        if (count === null) throw new PdfSyntaxError('a damaged cross-reference table');
        if (entries.size + count > MAX_XREF_ENTRIES) throw new PdfSyntaxError(`a cross-reference table of more than ${MAX_XREF_ENTRIES} entries`);
        for (let i = 0; i < count; i++) {
          const off = p.readInt();
          const gen = p.readInt();
          const kind = p.readWord();
          if (off === null || gen === null || (kind !== 'n' && kind !== 'f')) throw new PdfSyntaxError('a damaged cross-reference table');
          if (kind === 'n' && off > 0) entries.set(start + i, { type: 1, offset: off, gen });
        }
      }
      if (p.readWord() !== 'trailer') throw new PdfSyntaxError('no trailer after the cross-reference table');
      const trailer = asDict(p.readValue());
      if (!trailer) throw new PdfSyntaxError('the trailer is not a dictionary');
      return { offset, kind: 'table', trailer, entries };
    }
    const obj = p.readObject();
    const dict = asDict(obj.value);
    if (!dict || asName(dict.v.get('Type')) !== 'XRef') throw new PdfSyntaxError(`startxref (${offset}) points at neither a cross-reference table nor stream`);
    const data = this.streamData(dict);
    if (!data) throw new PdfSyntaxError('the cross-reference stream cannot be decoded');
    const w = (dict.v.get('W') as PdfValue[] | undefined)?.map((x) => asNumber(x) ?? 0) ?? [];
    if (w.length !== 3 || w.some((x) => x < 0 || x > 8)) throw new PdfSyntaxError('a cross-reference stream with a bad /W');
    const size = asNumber(dict.v.get('Size')) ?? 0;
    const index = ((dict.v.get('Index') as PdfValue[] | undefined) ?? [0, size]).map((x) => asNumber(x) ?? 0);
    const rowLength = (w[0] as number) + (w[1] as number) + (w[2] as number);
    const entries = new Map<number, XrefEntry>();
    let row = 0;
    const field = (at: number, width: number, dflt: number): number => {
      if (width === 0) return dflt;
      let v = 0;
      for (let k = 0; k < width; k++) v = v * 256 + (data[at + k] ?? 0);
      return v;
    };
    for (let s = 0; s + 1 < index.length; s += 2) {
      const start = index[s] as number;
      const count = Math.min(index[s + 1] as number, MAX_XREF_ENTRIES);
      for (let i = 0; i < count && (row + 1) * rowLength <= data.length; i++, row++) {
        const at = row * rowLength;
        const type = field(at, w[0] as number, 1);
        const f2 = field(at + (w[0] as number), w[1] as number, 0);
        const f3 = field(at + (w[0] as number) + (w[1] as number), w[2] as number, 0);
        if (type === 1 && f2 > 0) entries.set(start + i, { type: 1, offset: f2, gen: f3 });
        else if (type === 2) entries.set(start + i, { type: 2, stream: f2, index: f3 });
      }
    }
    return { offset, kind: 'stream', trailer: dict, entries };
  }

  /** The decoded data of a stream (Flate with predictors, or unfiltered); null when it cannot be decoded. */
  streamData(dict: PdfDict): Uint8Array | null {
    if (dict.streamStart === undefined) return null;
    const b = this.bytes;
    let length = asNumber(dict.v.get('Length'));
    const lengthRef = asRef(dict.v.get('Length'));
    if (length === null && lengthRef) length = asNumber(this.object(lengthRef.num)?.value);
    let end = length !== null && length >= 0 ? dict.streamStart + length : -1;
    // A wrong /Length is common: trust `endstream` when it is not where /Length says.
    const check = latin1.decode(b.subarray(Math.max(0, end), Math.min(b.length, end + 20)));
    if (end < 0 || end > b.length || !/^\s*endstream/.test(check)) {
      const found = indexOfBytes(b, 'endstream', dict.streamStart);
      if (found < 0) return null;
      end = found;
      while (end > dict.streamStart && (b[end - 1] === 10 || b[end - 1] === 13)) end--;
    }
    const raw = b.subarray(dict.streamStart, end);
    const filter = dict.v.get('Filter');
    const filters = Array.isArray(filter) ? filter.map(asName) : filter === undefined ? [] : [asName(filter)];
    const parmsValue = dict.v.get('DecodeParms');
    const parms = Array.isArray(parmsValue) ? asDict(parmsValue[0]) : asDict(parmsValue);
    if (filters.length === 0) return raw;
    if (filters.length !== 1 || (filters[0] !== 'FlateDecode' && filters[0] !== 'Fl')) return null;
    const budget = Math.min(MAX_STREAM_BYTES, MAX_INFLATED_TOTAL - this.#inflated);
    if (budget <= 0) return null;
    let data: Uint8Array;
    try {
      data = inflateSync(raw, { maxOutputLength: budget });
    } catch {
      try {
        // A truncated or slightly damaged stream: keep what inflates.
        data = inflateSync(raw, { maxOutputLength: budget, finishFlush: zlib.Z_SYNC_FLUSH });
      } catch {
        return null;
      }
    }
    this.#inflated += data.length;
    return unpredict(data, parms);
  }

  /** Merged cross-reference entries of revisions 0..k (later revisions override earlier ones). */
  entriesAt(k: number): Map<number, XrefEntry> {
    const merged = new Map<number, XrefEntry>();
    for (let i = 0; i <= k && i < this.revisions.length; i++) {
      for (const s of (this.revisions[i] as PdfRevisionSection).sections) {
        // Within one revision, an earlier-listed section (the update) wins over its /Prev (read only for linearized files).
        for (const [n, e] of s.entries) merged.set(n, e);
      }
    }
    return merged;
  }

  /** The trailer of revision k (its first section's), or null. */
  trailerOf(k: number): PdfDict | null {
    return this.revisions[k]?.sections[0]?.trailer ?? null;
  }

  /** Objects defined in revision k (numbers), in use. */
  definedIn(k: number): Set<number> {
    const out = new Set<number>();
    for (const s of this.revisions[k]?.sections ?? []) for (const n of s.entries.keys()) out.add(n);
    return out;
  }

  #scan(): Map<number, number> {
    if (this.#scanned) return this.#scanned;
    const found = new Map<number, number>();
    const text = latin1.decode(this.bytes);
    const re = /(?:^|[\r\n\s])(\d{1,10})\s+(\d{1,5})\s+obj\b/g;
    for (let m = re.exec(text); m && found.size < MAX_SCANNED_OBJECTS; m = re.exec(text)) {
      found.set(Number(m[1]), m.index + m[0].length - m[0].trimStart().length);
    }
    this.#scanned = found;
    return found;
  }

  #objectAt(offset: number, num: number): PdfObject | null {
    try {
      const obj = new PdfParser(this.bytes, offset).readObject();
      if (obj.num === num) return obj;
    } catch {
      // fall through to the scan
    }
    return null;
  }

  #fromObjStream(stream: number, index: number, num: number): PdfObject | null {
    let cached = this.#objStreams.get(stream);
    if (cached === undefined) {
      cached = null;
      const obj = this.object(stream);
      const dict = asDict(obj?.value);
      if (dict && asName(dict.v.get('Type')) === 'ObjStm') {
        const data = this.streamData(dict);
        const n = asNumber(dict.v.get('N')) ?? 0;
        const first = asNumber(dict.v.get('First')) ?? 0;
        if (data && n > 0 && n < MAX_XREF_ENTRIES) {
          const p = new PdfParser(data, 0);
          const offsets: number[] = [];
          for (let i = 0; i < n; i++) {
            const objNum = p.readInt();
            const off = p.readInt();
            if (objNum === null || off === null) break;
            offsets.push(objNum, off);
          }
          cached = { first, offsets, data };
        }
      }
      this.#objStreams.set(stream, cached);
    }
    if (!cached) return null;
    let at = -1;
    if (cached.offsets[index * 2] === num) at = cached.offsets[index * 2 + 1] as number;
    else for (let i = 0; i < cached.offsets.length; i += 2) if (cached.offsets[i] === num) at = cached.offsets[i + 1] as number;
    if (at < 0) return null;
    try {
      const p = new PdfParser(cached.data, cached.first + at);
      return { num, gen: 0, value: p.readValue(), end: -1 };
    } catch {
      return null;
    }
  }

  /**
   * Object `num` as of revision k (default: the last), or null. A wrong cross-reference offset
   * falls back on the scanned position; objects inside object streams are read from them.
   */
  object(num: number, k = this.revisions.length - 1, entries?: Map<number, XrefEntry>): PdfObject | null {
    const e = (entries ?? this.entriesAt(k)).get(num);
    if (e?.type === 1) {
      const obj = this.#objectAt(e.offset, num);
      if (obj) return obj;
    } else if (e?.type === 2) {
      const obj = this.#fromObjStream(e.stream, e.index, num);
      if (obj) return obj;
    }
    const at = this.#scan().get(num);
    return at === undefined ? null : this.#objectAt(at, num);
  }

  /** Resolves a reference (one level) as of revision k. */
  resolve(v: PdfValue | undefined, k?: number, entries?: Map<number, XrefEntry>): PdfValue | undefined {
    const ref = asRef(v);
    if (!ref) return v;
    return this.object(ref.num, k, entries)?.value ?? undefined;
  }

  /** Decoded data of every object stream of the last revision (for name scans), within the inflate budget. */
  objectStreamsData(): Uint8Array[] {
    const out: Uint8Array[] = [];
    const streams = new Set<number>();
    for (const e of this.entriesAt(this.revisions.length - 1).values()) if (e.type === 2) streams.add(e.stream);
    for (const s of streams) {
      this.#fromObjStream(s, 0, -1);
      const c = this.#objStreams.get(s);
      if (c) out.push(c.data);
    }
    return out;
  }
}
