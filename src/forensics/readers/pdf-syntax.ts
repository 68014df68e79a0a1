/**
 * PDF objects (ISO 32000-1 §7.2 lexical conventions, §7.3 objects): a small parser for what the
 * forensic reader needs (trailers, cross-reference sections, Info dictionaries, font and page
 * dictionaries), reading from the bytes in place. It does not interpret content streams.
 *
 * Hostile files: nesting is limited (MAX_PDF_DEPTH), as are items per array or dictionary; every
 * read is bounds-checked, and a malformed object ends as a PdfSyntaxError for that object only.
 */

export const MAX_PDF_DEPTH = 64;
export const MAX_PDF_ITEMS = 100_000;

export interface PdfName {
  t: 'name';
  v: string;
}
export interface PdfString {
  t: 'str';
  v: Uint8Array;
}
export interface PdfRef {
  t: 'ref';
  num: number;
  gen: number;
}
export interface PdfDict {
  t: 'dict';
  v: Map<string, PdfValue>;
  /** For a stream object: where its data starts in the file. */
  streamStart?: number;
}
export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfValue[];

/** A top-level indirect object: `num gen obj ... endobj`. */
export interface PdfObject {
  num: number;
  gen: number;
  value: PdfValue;
  end: number;
}

export class PdfSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfSyntaxError';
  }
}

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

export const isWhite = (c: number | undefined): boolean => c !== undefined && WS[c] === 1;
const isRegular = (c: number | undefined): boolean => c !== undefined && WS[c] !== 1 && DELIM[c] !== 1;

/** Reads PDF objects from `bytes` starting at `pos`. */
export class PdfParser {
  readonly bytes: Uint8Array;
  pos: number;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos];
      if (isWhite(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      } else break;
    }
  }

  /** The next regular-character word (keyword or number) without consuming it. */
  peekWord(): string {
    this.skipSpace();
    let end = this.pos;
    while (end < this.bytes.length && end - this.pos < 32 && isRegular(this.bytes[end])) end++;
    return String.fromCharCode(...this.bytes.subarray(this.pos, end));
  }

  readWord(): string {
    const w = this.peekWord();
    this.pos += w.length;
    return w;
  }

  /** An integer at the current position, or null (the position is left unchanged). */
  readInt(): number | null {
    const save = this.pos;
    const w = this.readWord();
    if (/^\d{1,10}$/.test(w)) return Number(w);
    this.pos = save;
    return null;
  }

  /** Parses one value (a reference `n g R` included). */
  readValue(depth = 0): PdfValue {
    if (depth > MAX_PDF_DEPTH) throw new PdfSyntaxError(`objects nested more than ${MAX_PDF_DEPTH} deep`);
    this.skipSpace();
    const b = this.bytes;
    if (this.pos >= b.length) throw new PdfSyntaxError('unexpected end of file');
    const c = b[this.pos] as number;
    if (c === 0x2f) return this.readName();
    if (c === 0x28) return this.readLiteralString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.readDict(depth);
      return this.readHexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= b.length) throw new PdfSyntaxError('unterminated array');
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        if (arr.length >= MAX_PDF_ITEMS) throw new PdfSyntaxError(`an array of more than ${MAX_PDF_ITEMS} items`);
        arr.push(this.readValue(depth + 1));
      }
    }
    const word = this.readWord();
    if (word === '') throw new PdfSyntaxError(`unexpected character 0x${c.toString(16)} at ${this.pos}`);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      // `n g R` is a reference: look ahead two words.
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        const gen = this.readInt();
        if (gen !== null && this.peekWord() === 'R') {
          this.readWord();
          return { t: 'ref', num: Number(word), gen };
        }
        this.pos = save;
      }
      return Number(word);
    }
    throw new PdfSyntaxError(`unexpected keyword "${word.slice(0, 20)}" at ${this.pos - word.length}`);
  }

  readName(): PdfName {
    const b = this.bytes;
    this.pos++;
    const out: number[] = [];
    while (this.pos < b.length && isRegular(b[this.pos]) && out.length < 4096) {
      const c = b[this.pos] as number;
      if (c === 0x23 && this.pos + 2 < b.length) {
        const hex = String.fromCharCode(b[this.pos + 1] as number, b[this.pos + 2] as number);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out.push(parseInt(hex, 16));
          this.pos += 3;
          continue;
        }
      }
      out.push(c);
      this.pos++;
    }
    return { t: 'name', v: new TextDecoder('utf-8').decode(new Uint8Array(out)) };
  }

  readLiteralString(): PdfString {
    const b = this.bytes;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < b.length) {
      const c = b[this.pos++] as number;
      if (c === 0x5c) {
        const e = b[this.pos++];
        if (e === undefined) break;
        if (e === 0x6e) out.push(10);
        else if (e === 0x72) out.push(13);
        else if (e === 0x74) out.push(9);
        else if (e === 0x62) out.push(8);
        else if (e === 0x66) out.push(12);
        else if (e === 13) {
          if (b[this.pos] === 10) this.pos++;
        } else if (e === 10) {
          // line continuation
        } else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && (b[this.pos] ?? 0) >= 0x30 && (b[this.pos] ?? 0) <= 0x37; k++) v = v * 8 + ((b[this.pos++] as number) - 0x30);
          out.push(v & 0xff);
        } else out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) return { t: 'str', v: new Uint8Array(out) };
        out.push(c);
      } else out.push(c);
    }
    throw new PdfSyntaxError('unterminated string');
  }

  readHexString(): PdfString {
    const b = this.bytes;
    this.pos++;
    const digits: number[] = [];
    while (this.pos < b.length && b[this.pos] !== 0x3e) {
      const c = b[this.pos++] as number;
      const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
      if (v >= 0) digits.push(v);
    }
    this.pos++;
    if (digits.length % 2) digits.push(0);
    const out = new Uint8Array(digits.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = ((digits[i * 2] as number) << 4) | (digits[i * 2 + 1] as number);
    return { t: 'str', v: out };
  }

  readDict(depth: number): PdfDict {
    const b = this.bytes;
    this.pos += 2;
    const v = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.pos >= b.length) throw new PdfSyntaxError('unterminated dictionary');
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return { t: 'dict', v };
      }
      if (b[this.pos] !== 0x2f) throw new PdfSyntaxError(`a dictionary key that is not a name at ${this.pos}`);
      const key = this.readName().v;
      if (v.size >= MAX_PDF_ITEMS) throw new PdfSyntaxError(`a dictionary of more than ${MAX_PDF_ITEMS} entries`);
      v.set(key, this.readValue(depth + 1));
    }
  }

  /** Parses `num gen obj value [stream]` at the current position. */
  readObject(): PdfObject {
    const num = this.readInt();
    const gen = this.readInt();
    if (num === null || gen === null || this.readWord() !== 'obj') throw new PdfSyntaxError(`no object header at ${this.pos}`);
    const value = this.readValue();
    const save = this.pos;
    if (value && typeof value === 'object' && !Array.isArray(value) && value.t === 'dict' && this.peekWord() === 'stream') {
      this.readWord();
      // The keyword is followed by CRLF or LF (§7.3.8.1); a lone CR is tolerated.
      if (this.bytes[this.pos] === 13) this.pos++;
      if (this.bytes[this.pos] === 10) this.pos++;
      value.streamStart = this.pos;
      return { num, gen, value, end: this.pos };
    }
    this.pos = save;
    return { num, gen, value, end: this.pos };
  }
}

/** The dictionary of a value, or null. */
export function asDict(v: PdfValue | undefined): PdfDict | null {
  return v && typeof v === 'object' && !Array.isArray(v) && v.t === 'dict' ? v : null;
}

export function asName(v: PdfValue | undefined): string | null {
  return v && typeof v === 'object' && !Array.isArray(v) && v.t === 'name' ? v.v : null;
}

export function asRef(v: PdfValue | undefined): PdfRef | null {
  return v && typeof v === 'object' && !Array.isArray(v) && v.t === 'ref' ? v : null;
}

export function asNumber(v: PdfValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const PDF_DOC_HIGH: Record<number, number> = {
  0x80: 0x2022, 0x81: 0x2020, 0x82: 0x2021, 0x83: 0x2026, 0x84: 0x2014, 0x85: 0x2013, 0x86: 0x0192, 0x87: 0x2044, 0x88: 0x2039, 0x89: 0x203a,
  0x8a: 0x2212, 0x8b: 0x2030, 0x8c: 0x201e, 0x8d: 0x201c, 0x8e: 0x201d, 0x8f: 0x2018, 0x90: 0x2019, 0x91: 0x201a, 0x92: 0x2122, 0x93: 0xfb01,
  0x94: 0xfb02, 0x95: 0x0141, 0x96: 0x0152, 0x97: 0x0160, 0x98: 0x0178, 0x99: 0x017d, 0x9a: 0x0131, 0x9b: 0x0142, 0x9c: 0x0153, 0x9d: 0x0161,
  0x9e: 0x017e, 0xa0: 0x20ac,
};

/** A PDF text string (§7.9.2.2): UTF-16BE or UTF-8 after a byte-order mark, else PDFDocEncoding. */
export function textOf(v: PdfValue | undefined): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  if (v.t === 'name') return v.v;
  if (v.t !== 'str') return null;
  const b = v.v;
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2)).replace(/\0+$/, '');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  let s = '';
  for (const c of b) s += String.fromCharCode(PDF_DOC_HIGH[c] ?? c);
  return s.replace(/\0+$/, '');
}
