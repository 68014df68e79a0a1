/**
 * Streaming mbox splitter. Splits on From_ separator lines the way real archives write them
 * (mbox(5) as qmail documents it: a line starting `From ` at the start of the file or after an
 * empty line), unquotes mboxrd `>From ` lines, and never holds more than the current message:
 * a 2 GB mbox is read in `MBOX_READ_CHUNK_BYTES` chunks and scanned with `Buffer.indexOf`.
 */
import { createReadStream } from 'node:fs';
import {
  SCORE_EXTENSION,
  SCORE_MAGIC,
  extensionOf,
  startsWithBytes,
  type FormatModule,
} from '../extract/format.ts';

/** Messages with more raw bytes than this are skipped (streamed past) and reported `tooLarge`. */
export const MAX_MBOX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Read size: large reads keep the splitter at memory bandwidth, not syscall rate. */
export const MBOX_READ_CHUNK_BYTES = 1024 * 1024;
/** A `From ` line longer than this is body text, not a separator (real ones are < 300 bytes). */
export const MAX_FROM_LINE_BYTES = 4096;

/** One message of an mbox, or (index 0, `preamble: true`) the bytes before the first separator. */
export interface MboxMessage {
  /** 1-based position in the mbox; 0 for the preamble. */
  index: number;
  /** Byte offset of the From_ line (for the preamble: where reading started). */
  offset: number;
  /** Offset where the next From_ line (or EOF) starts: pass it as `startOffset` to resume. */
  endOffset: number;
  /** The separator line, latin1-decoded, without its line ending ('' for the preamble). */
  fromLine: string;
  /** The message, `>From ` lines unquoted; empty when `tooLarge`. */
  bytes: Buffer;
  /** How many `>From ` lines were unquoted. */
  unquoted: number;
  /** Set when the message exceeded `maxMessageBytes`; `size` counts its raw bytes. */
  tooLarge?: { size: number };
  /** Set on the bytes found before the first separator (kept raw, never unquoted). */
  preamble?: true;
}

/** Options of `readMbox`; every limit is validated (a RangeError names the bad one). */
export interface ReadMboxOptions {
  /** Where to start: 0, or an earlier message's `endOffset`. */
  startOffset?: number;
  /** Index the first message read gets (default 1; when resuming: the earlier message's index + 1). */
  startIndex?: number;
  /** Default `MAX_MBOX_MESSAGE_BYTES`. Counts raw bytes after the From_ line. */
  maxMessageBytes?: number;
  signal?: AbortSignal;
  /** Read chunk size, default `MBOX_READ_CHUNK_BYTES` (tests use tiny chunks to hit boundaries). */
  highWaterMark?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const NL_FROM = Buffer.from('\nFrom ', 'latin1');
const QUOTED_FROM = Buffer.from('>From ', 'latin1');
const EMPTY = Buffer.alloc(0);
/** Bytes kept across a chunk boundary: a partial `\nFrom` (5) plus the 2 bytes looked back at. */
const BOUNDARY_KEEP = 8;

/**
 * `From <sender> <date>`: the sender is one token (or a quoted local part with spaces), the date
 * starts with a weekday followed by a month or day (`Thu Mar  2`, `Tue, 7 Mar`) or with a digit;
 * `DATE_MARK` then demands a 4-digit year or an hh:mm:ss. That rejects body prose such as
 * `From the desk of X` or `From here on, ...` even after a blank line.
 */
const FROM_LINE =
  /^From (?:"[^"]*"\S*|\S*)\s+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|\d)|\d)/;
const DATE_MARK = /\b\d{4}\b|\b\d{1,2}:\d{2}:\d{2}\b/;

/** True when `line` (without its line ending) is an mbox From_ separator line. */
export function isFromLine(line: string): boolean {
  const m = FROM_LINE.exec(line);
  return m !== null && DATE_MARK.test(line.slice(m[0].length - 1));
}

/** True when `head` starts with a From_ line (the line may be cut at the end of `head`). */
export function looksLikeMbox(head: Uint8Array): boolean {
  if (!startsWithBytes(head, 'From ')) return false;
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const nl = bytes.indexOf(LF);
  let end = nl === -1 ? bytes.length : nl;
  if (end > 0 && bytes[end - 1] === CR) end--;
  return isFromLine(bytes.toString('latin1', 0, end));
}

/** mbox is text: a NUL in the first bytes means the `.mbox` name is lying. */
function isClearlyNotMbox(head: Uint8Array): boolean {
  return head.length === 0 || head.subarray(0, 1024).includes(0);
}

/** Registry entry: an mbox is a container of emails. */
export const mboxFormat: FormatModule = {
  name: 'mbox',
  class: 'container',
  mimeTypes: ['application/mbox'],
  extensions: ['mbox', 'mbx'],
  sniff(head: Uint8Array, name: string): number {
    if (looksLikeMbox(head)) return SCORE_MAGIC;
    if (mboxFormat.extensions.includes(extensionOf(name)) && !isClearlyNotMbox(head)) return SCORE_EXTENSION;
    return 0;
  },
};

/**
 * Undo mboxrd quoting: every line matching `^>+From ` loses exactly one `>` (also right for
 * mboxo, which only ever added one). Returns the input itself when nothing was quoted.
 */
export function unquoteFromLines(bytes: Buffer): { bytes: Buffer; unquoted: number } {
  let hit = bytes.indexOf(QUOTED_FROM);
  if (hit === -1) return { bytes, unquoted: 0 };
  const removals: number[] = [];
  while (hit !== -1) {
    let lineStart = hit;
    while (lineStart > 0 && bytes[lineStart - 1] === GT) lineStart--;
    if (lineStart === 0 || bytes[lineStart - 1] === LF) removals.push(lineStart);
    hit = bytes.indexOf(QUOTED_FROM, hit + QUOTED_FROM.length);
  }
  if (removals.length === 0) return { bytes, unquoted: 0 };
  const out = Buffer.allocUnsafe(bytes.length - removals.length);
  let from = 0;
  let to = 0;
  for (const at of removals) {
    to += bytes.copy(out, to, from, at);
    from = at + 1;
  }
  bytes.copy(out, to, from);
  return { bytes: out, unquoted: removals.length };
}

function isWhitespace(parts: readonly Buffer[]): boolean {
  for (const part of parts) {
    for (const b of part) if (b !== LF && b !== CR && b !== 0x20 && b !== 0x09) return false;
  }
  return true;
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`readMbox: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Stream the messages of the mbox at `filePath`, in order.
 *
 * Separators: a From_ line (see `isFromLine`) at `startOffset` or right after an empty line
 * (LF or CRLF). A message's bytes run from after its From_ line to before the single blank line
 * that precedes the next separator (at EOF, one trailing blank line is dropped too, so the same
 * email has the same bytes wherever it sits); everything else is kept byte for byte.
 *
 * Preamble: non-blank bytes before the first separator (a file that does not start with a From_
 * line, or a wrong `startOffset`) are yielded raw as `{ index: 0, preamble: true }`. They are not
 * numbered as message 1, so message indexes always match what mail clients count; the caller may
 * still try to parse them as an email. A file with no separator at all is one preamble.
 *
 * A message cut by EOF is yielded as it is (it is data). A message is held until it passes
 * `maxMessageBytes`; from then on it is dropped and only counted while the rest streams past, so
 * memory stays under the limit. It is yielded with `tooLarge` and empty `bytes`; indexes and
 * offsets still advance.
 */
export async function* readMbox(filePath: string, opts: ReadMboxOptions = {}): AsyncGenerator<MboxMessage> {
  const start = checkCount('startOffset', opts.startOffset ?? 0, 0);
  let nextIndex = checkCount('startIndex', opts.startIndex ?? 1, 1);
  const maxBytes = checkCount('maxMessageBytes', opts.maxMessageBytes ?? MAX_MBOX_MESSAGE_BYTES, 0);
  const highWaterMark = checkCount('highWaterMark', opts.highWaterMark ?? MBOX_READ_CHUNK_BYTES, 1);
  const signal = opts.signal;
  signal?.throwIfAborted();

  // `buf` holds the unconsumed tail of the previous chunk (plus a few look-back bytes) and the
  // current chunk; `bufBase` is the file offset of buf[0]. All other positions index `buf`.
  let buf: Buffer = EMPTY;
  let bufBase = start;
  let segStart = 0; // first byte of the current message not yet moved to `parts`
  let scanFrom = 0; // where the next search for "\nFrom " begins
  let atStart = true; // whether the stream start is a From_ line is not yet known
  let current: { offset: number; fromLine: string } | null = null; // null: in the preamble
  let parts: Buffer[] = [];
  let rawLength = 0; // bytes moved out of `buf` for the current message, kept or not

  /** Move buf[segStart, end) into the current message, or only count it once it is too large. */
  function flush(end: number): void {
    if (end <= segStart) return;
    const n = end - segStart;
    if (rawLength + n <= maxBytes) parts.push(buf.subarray(segStart, end));
    else parts = [];
    rawLength += n;
    segStart = end;
  }

  /** Finish the current message at `contentEnd`; the next separator (or EOF) is at `endOffset`. */
  function close(contentEnd: number, endOffset: number): MboxMessage | null {
    flush(contentEnd);
    const collected = parts;
    const size = rawLength;
    parts = [];
    rawLength = 0;
    if (current === null) {
      if (isWhitespace(collected) && size <= maxBytes) return null;
      const preamble: MboxMessage = { index: 0, offset: start, endOffset, fromLine: '', bytes: EMPTY, unquoted: 0, preamble: true };
      if (size > maxBytes) preamble.tooLarge = { size };
      else preamble.bytes = Buffer.concat(collected, size);
      return preamble;
    }
    const message: MboxMessage = { index: nextIndex++, offset: current.offset, endOffset, fromLine: current.fromLine, bytes: EMPTY, unquoted: 0 };
    if (size > maxBytes) {
      message.tooLarge = { size };
    } else {
      const unquoted = unquoteFromLines(Buffer.concat(collected, size));
      message.bytes = unquoted.bytes;
      message.unquoted = unquoted.unquoted;
    }
    return message;
  }

  /**
   * The From_ line starting at `p`: its text and the index after its LF, 'more' when the line is
   * not complete yet (and may still be short enough), or null when it is no separator.
   */
  function readFromLine(p: number, eof: boolean): { line: string; next: number } | 'more' | null {
    const nl = buf.indexOf(LF, p);
    let end: number;
    let next: number;
    if (nl !== -1 && nl - p <= MAX_FROM_LINE_BYTES) {
      end = nl;
      next = nl + 1;
    } else if (nl === -1 && buf.length - p <= MAX_FROM_LINE_BYTES) {
      if (!eof) return 'more';
      end = buf.length;
      next = buf.length;
    } else {
      return null;
    }
    if (end > p && buf[end - 1] === CR) end--;
    const line = buf.toString('latin1', p, end);
    return isFromLine(line) ? { line, next } : null;
  }

  function startMessage(p: number, line: string, next: number): void {
    current = { offset: bufBase + p, fromLine: line };
    segStart = next;
    scanFrom = next - 1;
  }

  /** Decide whether the stream starts with a From_ line. False when more bytes are needed. */
  function classifyStart(eof: boolean): boolean {
    if (buf.length < 5 && !eof) return false;
    if (startsWithBytes(buf, 'From ')) {
      const found = readFromLine(0, eof);
      if (found === 'more') return false;
      if (found !== null) startMessage(0, found.line, found.next);
    }
    atStart = false;
    return true;
  }

  /**
   * Where the message before a `\nFrom ` at `idx` ends when the line before it is empty (that
   * empty line is the separator's, not the message's), or -1 when it is not empty.
   */
  function contentEndBefore(idx: number): number {
    const abs = bufBase + idx;
    if (abs === start || buf[idx - 1] === LF) return idx;
    if (buf[idx - 1] === CR && (abs - 1 === start || buf[idx - 2] === LF)) return idx - 1;
    return -1;
  }

  /** Split what `buf` holds; returns the index of a separator candidate still waiting for bytes. */
  function* scan(eof: boolean): Generator<MboxMessage, number> {
    if (atStart && !classifyStart(eof)) return 0;
    for (;;) {
      const idx = buf.indexOf(NL_FROM, scanFrom);
      if (idx === -1) return -1;
      const contentEnd = contentEndBefore(idx);
      if (contentEnd === -1) {
        scanFrom = idx + 1;
        continue;
      }
      const found = readFromLine(idx + 1, eof);
      if (found === 'more') return idx;
      if (found === null) {
        scanFrom = idx + 1;
        continue;
      }
      const message = close(contentEnd, bufBase + idx + 1);
      if (message !== null) yield message;
      startMessage(idx + 1, found.line, found.next);
    }
  }

  const stream = createReadStream(filePath, { start, highWaterMark, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    signal?.throwIfAborted();
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    const pending = yield* scan(false);
    // Keep what a separator spanning into the next chunk needs: the pending candidate and the
    // two bytes before it, or else the last few bytes; everything before is message content.
    let keepFrom: number;
    if (pending === 0 && atStart) {
      keepFrom = 0;
    } else if (pending >= 0) {
      keepFrom = Math.max(0, pending - 2);
      flush(Math.max(segStart, keepFrom));
    } else {
      keepFrom = Math.max(0, buf.length - BOUNDARY_KEEP);
      flush(Math.max(segStart, keepFrom));
    }
    segStart -= keepFrom;
    scanFrom = pending >= 0 ? pending - keepFrom : Math.max(0, scanFrom - keepFrom);
    bufBase += keepFrom;
    buf = buf.subarray(keepFrom);
  }
  signal?.throwIfAborted();
  yield* scan(true);

  // At EOF the message ends with the file, minus the blank line an mbox writer puts after it.
  let contentEnd = buf.length;
  if (buf[contentEnd - 1] === LF) {
    if (buf[contentEnd - 2] === LF) contentEnd -= 1;
    else if (buf[contentEnd - 2] === CR && buf[contentEnd - 3] === LF) contentEnd -= 2;
  }
  const last = close(Math.max(segStart, contentEnd), bufBase + buf.length);
  if (last !== null) yield last;
}
