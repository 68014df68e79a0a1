/**
 * Rich Text Format (Microsoft RTF 1.9.1): our own small reader, one pass over the bytes.
 * - Groups `{}` nest formatting state; destinations that are not text (font, colour and style tables,
 *   pictures, field instructions, `{\*\...}` groups) are skipped whole.
 * - Text bytes, literal or `\'hh`, are decoded in the code page of the current font's `\fcharset`
 *   (or `\cpg`), else the document's `\ansicpg` (Windows-1252 by default); consecutive bytes are
 *   decoded together, so double-byte code pages (Shift-JIS, GBK, Big5) come out right.
 * - `\uN` is a UTF-16 code unit (negative N counts from 65536), followed by `\ucN` fallback
 *   characters that are skipped.
 * - `\par`, `\line`, `\row`, `\sect`, `\page` end a line; `\tab` and `\cell` give a tab; hidden
 *   text (`\v`) and list numbers (`\listtext`, `\pntext`) are left out.
 * Hostile input: every step moves forward; nesting deeper than MAX_RTF_DEPTH keeps the outer
 * state; `\binN` skips at most to the end of the data.
 *
 * Metadata, from the `\info` group and the header, by RTF keyword: title, subject, author,
 * manager, company, operator (last editor), category, keywords, comment, doccomm, hlinkbase,
 * generator (strings); creatim, revtim, printim, buptim (dates, ISO 8601 local time without zone,
 * see metadata-date.ts; `<name>Raw` holds the fields as written); version, vern, edmins (minutes
 * of editing), nofpages, nofwords, nofchars, nofcharsws, id, ansicpg, deflang, deflangfe (numbers).
 */
import { TextDecoder } from 'node:util';
import type { ExtractedDocument } from '../extract-document.ts';
import { ExtractError } from '../extract-document.ts';
import { decodeCp437 } from '../../sources/zip.ts';
import { rtfTimeToIso, setDate } from './metadata-date.ts';
import { readerResult } from './reader-result.ts';
import { TextSink } from './text-sink.ts';
import { MAX_METADATA_FIELD_CHARS } from './xml-walk.ts';

/** Groups nested deeper than this do not get a state of their own (Word nests a few dozen at most). */
export const MAX_RTF_DEPTH = 1_000;

/** Destinations whose content is not text a reader sees. */
const SKIPPED = new Set([
  'colortbl', 'stylesheet', 'listtable', 'listoverridetable', 'revtbl', 'rsidtbl', 'pict', 'objdata', 'objclass', 'objname',
  'fldinst', 'datafield', 'xmlnstbl', 'themedata', 'colorschememapping', 'latentstyles', 'datastore', 'pgdsctbl', 'filetbl',
  'listtext', 'pntext', 'pntxta', 'pntxtb', 'bkmkstart', 'bkmkend', 'template', 'userprops', 'docvar', 'nonshppict',
  'shpinst', 'fchars', 'lchars', 'private', 'wgrffmtfilter', 'mmathPr', 'atnid', 'atnauthor', 'atrfstart', 'atrfend',
  'falt', 'panose', 'blipuid', 'passwordhash', 'xe', 'tc', 'txe', 'rxe',
]);
/** `\info` sub-destinations holding text. */
const INFO_TEXT = new Set(['title', 'subject', 'author', 'manager', 'company', 'operator', 'category', 'keywords', 'comment', 'doccomm', 'hlinkbase']);
/** `\info` sub-destinations holding a date as `\yr \mo \dy \hr \min \sec`. */
const INFO_TIME = new Set(['creatim', 'revtim', 'printim', 'buptim']);
/** Numeric control words kept as metadata. */
const INFO_NUMBERS = new Set(['version', 'vern', 'edmins', 'nofpages', 'nofwords', 'nofchars', 'nofcharsws', 'id', 'ansicpg', 'deflang', 'deflangfe']);
const TIME_PARTS = new Set(['yr', 'mo', 'dy', 'hr', 'min', 'sec']);

/** Control words that stand for a character. */
const SYMBOLS: Record<string, string> = {
  par: '\n', line: '\n', row: '\n', nestrow: '\n', sect: '\n', page: '\n', tab: '\t', cell: '\t', nestcell: '\t',
  emdash: '\u2014', endash: '\u2013', emspace: ' ', enspace: ' ', qmspace: ' ', bullet: '\u2022',
  lquote: '\u2018', rquote: '\u2019', ldblquote: '\u201c', rdblquote: '\u201d',
};

/** `\fcharsetN` (a Windows character set) to its code page. */
const CHARSET_CODEPAGES: Record<number, number> = {
  77: 10000, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256,
  186: 1257, 204: 1251, 222: 874, 238: 1250, 254: 437, 255: 850,
};

/** Code page number to a WHATWG encoding label; Windows-1252 for those TextDecoder lacks. */
function encodingLabel(codepage: number): string {
  if (codepage >= 1250 && codepage <= 1258) return `windows-${codepage}`;
  if (codepage >= 28591 && codepage <= 28606) return `iso-8859-${codepage - 28590}`;
  const labels: Record<number, string> = {
    866: 'ibm866', 874: 'windows-874', 932: 'shift_jis', 936: 'gbk', 949: 'euc-kr', 950: 'big5', 10000: 'macintosh',
    10007: 'x-mac-cyrillic', 20866: 'koi8-r', 21866: 'koi8-u', 20936: 'gb2312', 54936: 'gb18030', 65001: 'utf-8',
  };
  return labels[codepage] ?? 'windows-1252';
}

/** Decodes bytes; with `more`, an incomplete double-byte character waits for the next call. */
type Decode = (bytes: Uint8Array, more: boolean) => string;

/** A long run of text is decoded in pieces of this many bytes, not held whole. */
const PENDING_BYTES = 64 * 1024;

function decoderFor(codepage: number, decoders: Map<number, Decode>): Decode {
  let decode = decoders.get(codepage);
  if (!decode) {
    if (codepage === 437) decode = (bytes) => decodeCp437(bytes);
    else {
      let d: TextDecoder;
      try {
        d = new TextDecoder(encodingLabel(codepage));
      } catch {
        d = new TextDecoder('windows-1252');
      }
      decode = (bytes, more) => d.decode(bytes, { stream: more });
    }
    decoders.set(codepage, decode);
  }
  return decode;
}

interface GroupState {
  /** Content not shown (a skipped destination, or a destination we read only for control words). */
  skip: boolean;
  hidden: boolean;
  /** Fallback characters after `\u`. */
  uc: number;
  /** Current font number; -1 until a `\f`. */
  font: number;
  /** Where text goes: the body, a metadata field, or nowhere (font table). */
  target: 'body' | 'field' | 'fonttbl' | 'info';
  field: string;
}

const isLetter = (b: number): boolean => (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a);
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const hexValue = (b: number): number => (isDigit(b) ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1);

/** An RTF document's text and metadata. */
export function readRtf(bytes: Uint8Array): ExtractedDocument {
  if (!(bytes[0] === 0x7b && bytes[1] === 0x5c && bytes[2] === 0x72 && bytes[3] === 0x74 && bytes[4] === 0x66)) {
    throw new ExtractError('the file does not start with {\\rtf: it is not RTF');
  }
  const sink = new TextSink();
  const fields: Record<string, unknown> = {};
  const fieldText = new Map<string, string>();
  const times = new Map<string, Record<string, number>>();
  const fonts = new Map<number, number>();
  let ansiCodepage = 1252;
  let defaultFont = -1;
  let definingFont = -1;

  let state: GroupState = { skip: false, hidden: false, uc: 1, font: -1, target: 'body', field: '' };
  const stack: GroupState[] = [];
  let overflow = 0;
  /** A `\*` was just read: the next control word names an optional destination. */
  let starred = false;
  /** Fallback characters still to skip after a `\u`. */
  let skipChars = 0;
  const pending: number[] = [];
  // Per document: a streaming decoder may hold half a character between two pieces.
  const decoders = new Map<number, Decode>();

  const codepageOf = (font: number): number => {
    const own = fonts.get(font >= 0 ? font : defaultFont);
    return own ?? ansiCodepage;
  };
  const emit = (text: string): void => {
    if (state.skip || state.hidden) return;
    if (state.target === 'body') sink.add(text);
    else if (state.target === 'field') {
      const prev = fieldText.get(state.field) ?? '';
      if (prev.length < MAX_METADATA_FIELD_CHARS) fieldText.set(state.field, prev + text);
    }
  };
  /** True while a streaming decoder may hold part of a character from the last piece. */
  let streaming = false;
  const flush = (more = false): void => {
    if (pending.length === 0 && !streaming) return;
    const text = decoderFor(codepageOf(state.font), decoders)(Uint8Array.from(pending), more);
    pending.length = 0;
    streaming = more;
    emit(text);
  };
  const textByte = (b: number): void => {
    if (skipChars > 0) {
      skipChars--;
      return;
    }
    if (state.skip || state.hidden || state.target === 'fonttbl' || state.target === 'info') return;
    pending.push(b);
    if (pending.length >= PENDING_BYTES) flush(true);
  };
  const destination = (word: string): void => {
    if (state.target === 'info') {
      if (INFO_TEXT.has(word)) {
        state.target = 'field';
        state.field = word;
      } else if (INFO_TIME.has(word)) {
        state.target = 'field';
        state.field = word;
        times.set(word, {});
      } else if (!INFO_NUMBERS.has(word)) state.skip = true;
      return;
    }
    if (word === 'fonttbl') state.target = 'fonttbl';
    else if (word === 'info') state.target = 'info';
    else if (SKIPPED.has(word)) state.skip = true;
  };
  const controlWord = (word: string, param: number | null): void => {
    if (state.target === 'fonttbl') {
      if (word === 'f' && param !== null) definingFont = param;
      else if (word === 'fcharset' && param !== null && definingFont >= 0 && !fonts.has(definingFont)) {
        const cp = CHARSET_CODEPAGES[param];
        if (cp !== undefined) fonts.set(definingFont, cp);
      } else if (word === 'cpg' && param !== null && definingFont >= 0) fonts.set(definingFont, param);
      return;
    }
    if (state.target === 'field' && TIME_PARTS.has(word) && param !== null) {
      const t = times.get(state.field);
      if (t) t[word] = param;
      return;
    }
    if (INFO_NUMBERS.has(word) && param !== null) {
      if (state.target === 'info' || word === 'ansicpg' || word === 'deflang' || word === 'deflangfe') fields[word] = param;
      if (word === 'ansicpg' && param > 0) ansiCodepage = param;
      return;
    }
    const symbol = SYMBOLS[word];
    if (symbol !== undefined) {
      emit(symbol);
      return;
    }
    switch (word) {
      case 'u':
        if (param !== null) {
          emit(String.fromCharCode(param < 0 ? param + 65536 : param & 0xffff));
          skipChars = state.uc;
        }
        return;
      case 'uc':
        if (param !== null && param >= 0) state.uc = Math.min(param, 16);
        return;
      case 'f':
        if (param !== null) state.font = param;
        return;
      case 'deff':
        if (param !== null) defaultFont = param;
        return;
      case 'v':
        state.hidden = param !== 0;
        return;
      case 'plain':
        state.hidden = false;
        return;
      case 'mac':
        ansiCodepage = 10000;
        return;
      case 'pc':
        ansiCodepage = 437;
        return;
      case 'pca':
        ansiCodepage = 850;
        return;
      default:
        destination(word);
    }
  };

  let i = 0;
  const n = bytes.length;
  while (i < n && !sink.full) {
    const b = bytes[i] as number;
    if (starred && !(b === 0x5c && isLetter(bytes[i + 1] ?? 0))) {
      starred = false;
      state.skip = true;
    }
    if (b === 0x7b) {
      flush();
      skipChars = 0;
      if (stack.length < MAX_RTF_DEPTH) {
        stack.push(state);
        state = { ...state };
      } else overflow++;
      i++;
    } else if (b === 0x7d) {
      flush();
      skipChars = 0;
      if (overflow > 0) overflow--;
      else {
        const closing = state;
        state = stack.pop() ?? state;
        if (closing.target === 'field' && state.target !== 'field') finishField(closing.field);
      }
      i++;
    } else if (b === 0x5c) {
      const next = bytes[i + 1];
      if (next === undefined) break;
      if (isLetter(next)) {
        let j = i + 1;
        while (j < n && isLetter(bytes[j] as number)) j++;
        const word = String.fromCharCode(...bytes.subarray(i + 1, Math.min(j, i + 33)));
        let param: number | null = null;
        let k = j;
        if (bytes[k] === 0x2d && isDigit(bytes[k + 1] ?? 0)) k++;
        const digitsStart = k;
        while (k < n && isDigit(bytes[k] as number) && k - digitsStart < 10) k++;
        if (k > digitsStart) param = Number.parseInt(String.fromCharCode(...bytes.subarray(j, k)), 10);
        else k = j;
        if (bytes[k] === 0x20) k++;
        i = k;
        if (word === 'bin') {
          flush();
          i = Math.min(n, i + Math.max(0, param ?? 0));
          continue;
        }
        if (skipChars > 0 && word !== 'u') {
          skipChars--;
          continue;
        }
        flush();
        if (starred) {
          starred = false;
          if (word === 'generator' && !state.skip) {
            state.target = 'field';
            state.field = word;
          } else if (state.target === 'info' && (INFO_TEXT.has(word) || INFO_TIME.has(word))) destination(word);
          else state.skip = true;
          continue;
        }
        controlWord(word, param);
      } else if (next === 0x27) {
        const hi = hexValue(bytes[i + 2] ?? 0);
        const lo = hexValue(bytes[i + 3] ?? 0);
        i += hi >= 0 && lo >= 0 ? 4 : 2;
        if (hi >= 0 && lo >= 0) textByte(hi * 16 + lo);
      } else if (next === 0x2a) {
        // `{\*\dest ...}`: an optional destination; skipped unless it is one this reader knows.
        i += 2;
        starred = true;
      } else {
        i += 2;
        if (skipChars > 0) {
          skipChars--;
          continue;
        }
        if (next === 0x5c || next === 0x7b || next === 0x7d) textByte(next);
        else {
          flush();
          if (next === 0x7e) emit('\u00a0');
          else if (next === 0x5f) emit('-');
          else if (next === 0x0a || next === 0x0d) emit('\n');
        }
      }
    } else {
      if (b === 0x09) {
        flush();
        emit('\t');
      } else if (b >= 0x20) textByte(b);
      i++;
    }
  }
  flush();
  // A file cut short leaves groups open: what was read of their fields still counts.
  if (state.target === 'field') finishField(state.field);
  for (const s of stack) if (s.target === 'field') finishField(s.field);

  function finishField(name: string): void {
    const t = times.get(name);
    if (t) {
      // Word writes `\yr0` for "never" (a document not yet printed or backed up).
      const raw = Object.entries(t).map(([k, v]) => `\\${k}${v}`).join('');
      if (raw !== '' && t.yr !== 0) setDate(fields, name, raw, rtfTimeToIso(t));
      times.delete(name);
      return;
    }
    const value = (fieldText.get(name) ?? '').replace(/;\s*$/, '').trim();
    if (value !== '') fields[name] = value.slice(0, MAX_METADATA_FIELD_CHARS);
    fieldText.delete(name);
  }
  return readerResult(sink.toString(), fields, []);
}
