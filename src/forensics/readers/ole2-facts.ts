/**
 * What a legacy Office file (OLE2: .doc, .xls, .ppt, .msg) says about itself:
 *
 * - SummaryInformation ([MS-OLEPS] §2.25.1): title, subject, author, keywords, comments, template,
 *   last author, revision number, total editing time, last printed, created, last saved, page /
 *   word / character counts, application name, security; and the code page and writing OS.
 * - DocumentSummaryInformation ([MS-OSHARED] §2.3.3.2.1): category, manager, company, the heading
 *   pairs (localised by the application, like OOXML's), the application version (GKPIDDSI_VERSION:
 *   major << 16 | minor), language.
 * - Word's File Information Block ([MS-DOC] §2.5.1): `lid`, "the install language of the
 *   application that is producing the document", and nFib/nFibNew, which Word version saved it.
 * - Excel's BOF record ([MS-XLS] §2.4.21): verLastXLSaved, which Excel version last saved it.
 */
import { CfbContainer, CfbError } from './cfb-container.ts';
import { readPropertySets, type PropertyValue } from './ole-property-set.ts';

export interface Ole2Facts {
  reader: 'ole2';
  /** From the streams present: `word`, `excel`, `powerpoint`, `outlook`, or null. */
  application: 'word' | 'excel' | 'powerpoint' | 'outlook' | null;
  streams: string[];
  /** The OS that wrote the property sets (`Windows 10.0`). */
  system: string | null;
  codepage: number | null;
  summary: Record<string, string | number | boolean | null>;
  documentSummary: Record<string, string | number | boolean | null>;
  headingPairs: string[];
  word: { nFib: number; nFibNew: number | null; lid: number; encrypted: boolean } | null;
  excel: { verLastXLSaved: number; rupBuild: number; rupYear: number } | null;
  /** Root storage times (some writers set them). */
  rootModified: string | null;
  problems: string[];
}

const SUMMARY: Record<number, [string, 'string' | 'number' | 'date' | 'duration' | 'bool']> = {
  2: ['title', 'string'], 3: ['subject', 'string'], 4: ['author', 'string'], 5: ['keywords', 'string'], 6: ['comments', 'string'],
  7: ['template', 'string'], 8: ['lastAuthor', 'string'], 9: ['revNumber', 'string'], 10: ['editMinutes', 'duration'], 11: ['lastPrinted', 'date'],
  12: ['created', 'date'], 13: ['lastSaved', 'date'], 14: ['pageCount', 'number'], 15: ['wordCount', 'number'], 16: ['charCount', 'number'],
  18: ['appName', 'string'], 19: ['security', 'number'],
};
const DOC_SUMMARY: Record<number, [string, 'string' | 'number' | 'bool' | 'version']> = {
  2: ['category', 'string'], 3: ['presentationFormat', 'string'], 14: ['manager', 'string'], 15: ['company', 'string'],
  23: ['appVersion', 'version'], 26: ['contentType', 'string'], 27: ['contentStatus', 'string'], 28: ['language', 'string'], 29: ['docVersion', 'string'],
};

/** A stream name with its control characters (`\x05SummaryInformation`) written out. */
function printableName(name: string): string {
  return Array.from(name, (c) => (c.charCodeAt(0) < 0x20 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
}

function simple(v: PropertyValue | undefined, kind: string): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (kind === 'date') return typeof v === 'object' && !Array.isArray(v) ? v.filetime : null;
  if (kind === 'duration') return typeof v === 'object' && !Array.isArray(v) ? v.minutes : null;
  if (kind === 'version') return typeof v === 'number' ? `${v >>> 16}.${String(v & 0xffff).padStart(4, '0')}` : null;
  if (Array.isArray(v) || typeof v === 'object') return null;
  if (kind === 'string') return typeof v === 'string' ? v.trim() || null : String(v);
  return v;
}

function readFib(stream: Uint8Array | null): Ole2Facts['word'] {
  if (!stream || stream.length < 160) return null;
  const v = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (v.getUint16(0, true) !== 0xa5ec) return null;
  const nFib = v.getUint16(2, true);
  const lid = v.getUint16(6, true);
  const encrypted = (v.getUint16(10, true) & 0x0100) !== 0;
  let nFibNew: number | null = null;
  const cbRgFcLcb = v.getUint16(152, true);
  const at = 154 + cbRgFcLcb * 8;
  if (at + 4 <= stream.length && v.getUint16(at, true) > 0) nFibNew = v.getUint16(at + 2, true);
  return { nFib, nFibNew, lid, encrypted };
}

function readBof(stream: Uint8Array | null): Ole2Facts['excel'] {
  if (!stream || stream.length < 20) return null;
  const v = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (v.getUint16(0, true) !== 0x0809 || v.getUint16(2, true) < 16) return null;
  return { rupBuild: v.getUint16(8, true), rupYear: v.getUint16(10, true), verLastXLSaved: (v.getUint32(16, true) >>> 8) & 0x0f };
}

/** The facts of an OLE2 file; throws CfbError when it is not a readable compound file. */
export function readOle2Facts(bytes: Uint8Array): Ole2Facts {
  const cfb = new CfbContainer(bytes);
  const top = cfb.topLevel();
  const names = top.map((e) => e.name);
  const has = (n: string): boolean => names.includes(n);
  const application = has('WordDocument') ? 'word' : has('Workbook') || has('Book') ? 'excel' : has('PowerPoint Document') ? 'powerpoint' : names.some((n) => n.startsWith('__substg1.0_') || n === '__properties_version1.0') ? 'outlook' : null;
  const facts: Ole2Facts = {
    reader: 'ole2', application, streams: names.slice(0, 100).map(printableName),
    system: null, codepage: null, summary: {}, documentSummary: {}, headingPairs: [], word: null, excel: null,
    rootModified: cfb.entries[0]?.modified ?? null, problems: [],
  };
  const summary = cfb.stream('\x05SummaryInformation', 1024 * 1024);
  if (summary) {
    const [set] = readPropertySets(summary);
    if (set) {
      facts.system = set.system;
      facts.codepage = set.codepage;
      for (const [id, [name, kind]] of Object.entries(SUMMARY)) {
        const value = simple(set.values.get(Number(id)), kind);
        if (value !== null) facts.summary[name] = value;
      }
    } else facts.problems.push('the SummaryInformation stream is not a property set');
  }
  const docSummary = cfb.stream('\x05DocumentSummaryInformation', 1024 * 1024);
  if (docSummary) {
    const [set] = readPropertySets(docSummary);
    if (set) {
      facts.system ??= set.system;
      facts.codepage ??= set.codepage;
      for (const [id, [name, kind]] of Object.entries(DOC_SUMMARY)) {
        const value = simple(set.values.get(Number(id)), kind);
        if (value !== null) facts.documentSummary[name] = value;
      }
      const pairs = set.values.get(12);
      if (Array.isArray(pairs)) facts.headingPairs = pairs.filter((x): x is string => typeof x === 'string').slice(0, 100);
    }
  }
  if (application === 'word') facts.word = readFib(cfb.stream('WordDocument', 4096));
  if (application === 'excel') facts.excel = readBof(cfb.stream(has('Workbook') ? 'Workbook' : 'Book', 4096));
  return facts;
}

export { CfbError };
