/**
 * Legacy Office files (Word, Excel, PowerPoint 97-2003: OLE2 compound files, [MS-CFB]) with the
 * metadata those programs write: the `\x05SummaryInformation` and `\x05DocumentSummaryInformation`
 * property sets ([MS-OLEPS] §2.21, property ids of [MS-OLEPS] §2.25 and [MS-OSHARED] §2.3.3.2),
 * with strings in the code page of the Windows that saved them, Word's File Information Block
 * ([MS-DOC] §2.5.1: install language and version) and Excel's BOF record ([MS-XLS] §2.4.21).
 *
 * The container is written by the `cfb` package; the streams inside are written here. The body is
 * a token (the title and a few lines): trove reads no text from these formats, only their metadata.
 */
import CFB from 'cfb';

/** A property value: [id, value]. Strings are VT_LPSTR in the set's code page, Dates VT_FILETIME, numbers VT_I4, booleans VT_BOOL. */
export type PropertyInput = [
  number,
  | string
  | number
  | boolean
  | Date
  /** An editing time (VT_FILETIME holding a duration). */
  | { minutes: number }
  /** Heading pairs (VT_VECTOR | VT_VARIANT of VT_LPSTR, VT_I4); a bare string list counts one part each. */
  | string[]
  | { pairs: [string, number][] }
  /** TitlesOfParts (VT_VECTOR | VT_LPSTR). */
  | { strings: string[] },
];

const FMTID_SUMMARY = 'e0859ff2f94f6810ab9108002b27b3d9';
const FMTID_DOC_SUMMARY = '02d5cdd59c2e1b10939708002b2cf9ae';
/** SystemIdentifier of Windows 10 ([MS-OLEPS] §2.21: OS kind 2, version 10.0). */
const WINDOWS_10 = 0x0002000a;
const FILETIME_EPOCH_MS = 11_644_473_600_000;

/** WHATWG labels of the single-byte Windows code pages the generator writes. */
const SINGLE_BYTE: Record<number, string> = { 1250: 'windows-1250', 1251: 'windows-1251', 1252: 'windows-1252', 1253: 'windows-1253', 1254: 'windows-1254' };
const encoders = new Map<number, Map<string, number>>();

/** Bytes of `text` in `codepage` (65001: UTF-8; a single-byte Windows code page; `?` for what it cannot write). */
export function encodeCodepage(text: string, codepage: number): Buffer {
  if (codepage === 65001) return Buffer.from(text, 'utf8');
  const label = SINGLE_BYTE[codepage];
  if (!label) throw new RangeError(`code page ${codepage} is not one the generator writes`);
  let table = encoders.get(codepage);
  if (!table) {
    // The reverse of the decoder: every byte's character, to its byte.
    table = new Map();
    const decoder = new TextDecoder(label);
    for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
    encoders.set(codepage, table);
  }
  const t = table;
  return Buffer.from(Array.from(text, (ch) => t.get(ch) ?? 0x3f));
}

function filetime(ticks: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(ticks);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

function typed(type: number, body: Buffer): Buffer {
  const t = Buffer.alloc(4);
  t.writeUInt16LE(type);
  return Buffer.concat([t, body]);
}

/** A CodePageString: length with its NUL, the bytes, padded to 4. */
function lpstr(text: string, codepage: number): Buffer {
  const body = Buffer.concat([encodeCodepage(text, codepage), Buffer.from([0])]);
  return Buffer.concat([u32(body.length), body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
}

function valueOf(v: PropertyInput[1], codepage: number): Buffer {
  if (typeof v === 'string') return typed(0x1e, lpstr(v, codepage));
  if (typeof v === 'number') {
    const n = Buffer.alloc(4);
    n.writeInt32LE(v);
    return typed(0x03, n);
  }
  if (typeof v === 'boolean') return typed(0x0b, Buffer.from([v ? 0xff : 0, v ? 0xff : 0, 0, 0]));
  if (v instanceof Date) return typed(0x40, filetime(BigInt(v.getTime() + FILETIME_EPOCH_MS) * 10_000n));
  if (Array.isArray(v) || 'pairs' in v) {
    const pairs: [string, number][] = Array.isArray(v) ? v.map((s) => [s, 1]) : v.pairs;
    const items = pairs.flatMap(([s, n]) => [typed(0x1e, lpstr(s, codepage)), valueOf(n, codepage)]);
    return typed(0x100c, Buffer.concat([u32(pairs.length * 2), ...items]));
  }
  if ('strings' in v) return typed(0x101e, Buffer.concat([u32(v.strings.length), ...v.strings.map((s) => lpstr(s, codepage))]));
  return typed(0x40, filetime(BigInt(v.minutes) * 600_000_000n));
}

/** A PropertySetStream ([MS-OLEPS] §2.21) with one property set, its code page first. */
export function propertySetStream(fmtid: 'summary' | 'docSummary', props: PropertyInput[], codepage = 1252, system = WINDOWS_10): Buffer {
  const cp = Buffer.alloc(4);
  cp.writeUInt16LE(codepage);
  const values: [number, Buffer][] = [[1, typed(0x02, cp)], ...props.map(([id, v]): [number, Buffer] => [id, valueOf(v, codepage)])];
  let offset = 8 + values.length * 8;
  const table: Buffer[] = [];
  for (const [id, body] of values) {
    table.push(Buffer.concat([u32(id), u32(offset)]));
    offset += body.length;
  }
  const set = Buffer.concat([u32(offset), u32(values.length), ...table, ...values.map(([, b]) => b)]);
  const head = Buffer.alloc(28);
  head.writeUInt16LE(0xfffe);
  head.writeUInt32LE(system, 4);
  head.writeUInt32LE(1, 24);
  return Buffer.concat([head, Buffer.from(fmtid === 'summary' ? FMTID_SUMMARY : FMTID_DOC_SUMMARY, 'hex'), u32(48), set]);
}

/** Word versions by the FIB they write ([MS-DOC] §2.5.1: nFib 0x00C1, then nFibNew and the size of FibRgFcLcb). */
const WORD_FIB = {
  97: { cbRgFcLcb: 0x5d, nFibNew: null },
  2000: { cbRgFcLcb: 0x6c, nFibNew: 0x00d9 },
  2002: { cbRgFcLcb: 0x88, nFibNew: 0x0101 },
  2003: { cbRgFcLcb: 0xa4, nFibNew: 0x010c },
  2007: { cbRgFcLcb: 0xb7, nFibNew: 0x0112 },
} as const;
export type WordVersion = keyof typeof WORD_FIB;

/** A WordDocument stream: the FIB with the install language `lid` of the Word `version` that saved it, then the text. */
export function wordDocumentStream(lid: number, version: WordVersion, text: string): Buffer {
  const fib = WORD_FIB[version];
  const b = Buffer.alloc(2048);
  b.writeUInt16LE(0xa5ec, 0);
  b.writeUInt16LE(0x00c1, 2);
  b.writeUInt16LE(lid, 6);
  b.writeUInt16LE(14, 32);
  b.writeUInt16LE(22, 62);
  b.writeUInt16LE(fib.cbRgFcLcb, 152);
  const at = 154 + fib.cbRgFcLcb * 8;
  if (fib.nFibNew !== null) {
    b.writeUInt16LE(2, at);
    b.writeUInt16LE(fib.nFibNew, at + 2);
  }
  return Buffer.concat([b, Buffer.from(text, 'utf16le')]);
}

/** Excel versions by BOF verLastXLSaved ([MS-XLS] §2.4.21). */
const EXCEL_SAVED = { 97: 0, 2000: 1, 2002: 2, 2003: 3, 2007: 4, 2010: 6, 2013: 7 } as const;
export type ExcelVersion = keyof typeof EXCEL_SAVED;

function record(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(type);
  h.writeUInt16LE(body.length, 2);
  return Buffer.concat([h, body]);
}

/** A Workbook stream: the globals' BOF (which Excel last saved it), a BoundSheet8 per sheet name, EOF. */
export function workbookStream(version: ExcelVersion, sheets: string[]): Buffer {
  const bof = Buffer.alloc(16);
  bof.writeUInt16LE(0x0600, 0);
  bof.writeUInt16LE(0x0005, 2);
  bof.writeUInt16LE(0x2232, 4);
  bof.writeUInt16LE(1997, 6);
  bof.writeUInt32LE(0x000000c1, 8);
  bof.writeUInt32LE(0x06 | (EXCEL_SAVED[version] << 8), 12);
  const bound = sheets.map((name) => {
    // ShortXLUnicodeString: characters, then a flag byte (1: UTF-16LE), then the characters.
    const wide = Array.from(name).some((ch) => (ch.codePointAt(0) as number) > 0xff);
    const chars = wide ? Buffer.from(name, 'utf16le') : Buffer.from(name, 'latin1');
    return record(0x0085, Buffer.concat([u32(0), Buffer.from([0, 0, name.length, wide ? 1 : 0]), chars]));
  });
  return Buffer.concat([record(0x0809, bof), record(0x0042, Buffer.from([0xb0, 0x04])), ...bound, record(0x000a, Buffer.alloc(0))]);
}

/** What a legacy Office file says about itself. */
export interface LegacyOfficeOptions {
  kind: 'doc' | 'xls' | 'ppt';
  /** The ANSI code page of the Windows that saved it (1252: Western Europe, 1251: Cyrillic). */
  codepage: number;
  /** SummaryInformation properties ([MS-OLEPS] §2.25.1: 2 title, 4 author, 8 last author, 10 edit time, 12 created, 13 last saved, 18 application name...). */
  summary: PropertyInput[];
  /** DocumentSummaryInformation properties ([MS-OSHARED] §2.3.3.2.1: 12 heading pairs, 13 titles of parts, 15 company, 23 application version...). */
  docSummary: PropertyInput[];
  /** Word: the install language (a Windows LCID: 0x040c French, 0x0419 Russian) and version. */
  word?: { lid: number; version: WordVersion };
  /** Excel: which version last saved it, and the sheet names. */
  excel?: { version: ExcelVersion; sheets: string[] };
  /** A few words of body, so that no two files are the same bytes. */
  text: string;
}

/** A .doc, .xls or .ppt file. */
export function buildLegacyOffice(o: LegacyOfficeOptions): Buffer {
  const streams: Record<string, Buffer> = {
    '\u0005SummaryInformation': propertySetStream('summary', o.summary, o.codepage),
    '\u0005DocumentSummaryInformation': propertySetStream('docSummary', o.docSummary, o.codepage),
  };
  if (o.kind === 'doc') {
    streams.WordDocument = wordDocumentStream(o.word?.lid ?? 0x040c, o.word?.version ?? 2007, o.text);
    streams['1Table'] = Buffer.alloc(512);
  } else if (o.kind === 'xls') {
    streams.Workbook = Buffer.concat([workbookStream(o.excel?.version ?? 2010, o.excel?.sheets ?? ['Feuil1']), Buffer.from(o.text, 'utf16le')]);
  } else {
    streams['PowerPoint Document'] = Buffer.concat([Buffer.alloc(64), Buffer.from(o.text, 'utf16le')]);
    streams['Current User'] = Buffer.alloc(64);
  }
  return oleFile(streams);
}

/**
 * An OLE2 file with the given top-level streams. `cfb` always adds a 4-byte placeholder stream,
 * `\x01Sh33tJ5`, which Office never writes: harmless to trove's reader, but a tell of these files.
 */
export function oleFile(streams: Record<string, Buffer>): Buffer {
  const c = CFB.utils.cfb_new();
  for (const [name, data] of Object.entries(streams)) CFB.utils.cfb_add(c, `/${name}`, data);
  return Buffer.from(CFB.write(c, { type: 'buffer' }) as Uint8Array);
}
