/**
 * TNEF reader: the attachments, subject, message class and plain body that Outlook and Exchange wrap in
 * `winmail.dat` (application/ms-tnef). Pure: bytes in, value out.
 *
 * Spec: [MS-OXTNEF] "Transport Neutral Encapsulation Format (TNEF) Data Algorithm".
 * - §2.1.3     processing rules: signature, legacy key, then attributes; message attributes first,
 *              each attachment's attributes begin with attAttachRendData; encapsulated MAPI properties
 *              (attMsgProps, attAttachment) win over the attributes they duplicate.
 * - §2.1.3.2   ABNF of the stream: attribute = level, id, length, data, checksum; the MAPI property
 *              lists (MsgPropertyList) carried by attMsgProps and attAttachment.
 * - §2.1.3.3.x one section per attribute (attTnefVersion, attOemCodepage, the Date attributes as DTR
 *              records, attAttachRendData in §2.1.3.3.15 ...).
 * MAPI property types and tags: [MS-OXCDATA] §2.11.1, [MS-OXPROPS].
 *
 * Hostile input: winmail.dat arrives from strangers. Every length is checked against the bytes that
 * remain before it is used, every loop consumes input or is bounded by a count checked against the
 * remaining bytes, and a damaged stream yields what was read before the damage plus a warning. Only a
 * missing signature throws (`TnefError`): then the bytes are not TNEF at all.
 */
import type { FormatModule } from './format.ts';
import { SCORE_MAGIC, startsWithBytes } from './format.ts';

/** One file carried in a TNEF stream. `bytes` is a view into the input, not a copy. */
export interface TnefAttachment {
  /** Best name found: long file name, else the 8.3 title, else a generated `attachment-N`. Untrusted: may hold `/`, `..`. */
  name: string;
  bytes: Uint8Array;
  mimeType?: string;
  /**
   * Last modification time. Ends in `Z` when it came from the UTC FILETIME property; without a zone when
   * it came from attAttachModifyDate, whose DTR record holds the sender's local clock and no offset.
   */
  modified?: string;
}

/** What a TNEF stream held, plus what was wrong with it. */
export interface TnefResult {
  attachments: TnefAttachment[];
  messageClass?: string;
  subject?: string;
  bodyText?: string;
  /** Damage found while reading (bad checksum, truncation, caps reached ...): plain words, capped in number. */
  warnings: string[];
}

/** Thrown only when the bytes do not start with the TNEF signature. */
export class TnefError extends Error {
  /** Stable, kebab-case. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'TnefError';
    this.code = code;
  }
}

/** Caps on what one stream may make us produce. */
export interface TnefLimits {
  /** Attachments kept; later ones are dropped with a warning. */
  maxAttachments: number;
  /** Sum of attachment sizes kept, in bytes; attachments past it are dropped with a warning. */
  maxTotalAttachmentBytes: number;
  /** Warnings kept; a final one says how many more were dropped. */
  maxWarnings: number;
}

/** Attachments kept from one stream; Outlook caps a message far below this. */
export const MAX_TNEF_ATTACHMENTS = 1000;
/** Total attachment bytes kept from one stream (1 GiB). */
export const MAX_TNEF_ATTACHMENT_BYTES = 1024 * 1024 * 1024;
/** Warnings kept for one stream: garbage can otherwise produce one per 11 bytes. */
export const MAX_TNEF_WARNINGS = 100;

export const DEFAULT_TNEF_LIMITS: Readonly<TnefLimits> = Object.freeze({
  maxAttachments: MAX_TNEF_ATTACHMENTS,
  maxTotalAttachmentBytes: MAX_TNEF_ATTACHMENT_BYTES,
  maxWarnings: MAX_TNEF_WARNINGS,
});

/** TNEFSignature (§2.1.3.2): the u32 0x223E9F78, little-endian on the wire. */
export const TNEF_SIGNATURE = 0x223e9f78;
const TNEF_MAGIC = [0x78, 0x9f, 0x3e, 0x22] as const;

/** Signature (u32) + LegacyKey (u16). */
const STREAM_HEADER_BYTES = 6;
/** Level (u8) + id (u32) + length (u32) before an attribute's data. */
const ATTRIBUTE_HEADER_BYTES = 9;
const CHECKSUM_BYTES = 2;

// attrLevelMessage / attrLevelAttachment (§2.1.3.2).
const LVL_MESSAGE = 0x01;
const LVL_ATTACHMENT = 0x02;

// Attribute ids, type in the high word and tag in the low word (§2.1.3.3).
const ATT_SUBJECT = 0x00018004;
const ATT_MESSAGE_CLASS = 0x00078008;
const ATT_BODY = 0x0002800c;
const ATT_OEM_CODEPAGE = 0x00069007;
const ATT_MSG_PROPS = 0x00069003;
const ATT_ATTACH_REND_DATA = 0x00069002;
const ATT_ATTACH_TITLE = 0x00018010;
const ATT_ATTACH_DATA = 0x0006800f;
const ATT_ATTACH_MODIFY_DATE = 0x00038013;
const ATT_ATTACHMENT = 0x00069005;

// MAPI property ids ([MS-OXPROPS]).
const PID_MESSAGE_CLASS = 0x001a;
const PID_SUBJECT = 0x0037;
const PID_BODY = 0x1000;
const PID_DISPLAY_NAME = 0x3001;
const PID_LAST_MODIFICATION_TIME = 0x3008;
const PID_ATTACH_DATA = 0x3701;
const PID_ATTACH_FILENAME = 0x3704;
const PID_ATTACH_LONG_FILENAME = 0x3707;
const PID_ATTACH_MIME_TAG = 0x370e;

// MAPI property types ([MS-OXCDATA] §2.11.1).
const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;
const PT_SYSTIME = 0x0040;
const MV_FLAG = 0x1000;
/** First id of the named-property range: such tags are followed by their name (§2.1.3.2 PropertyName). */
const FIRST_NAMED_ID = 0x8000;

/** Size of one value of each fixed-size type; TNEF pads every value to 4 bytes. */
const FIXED_TYPE_BYTES: ReadonlyMap<number, number> = new Map([
  [0x0002, 2], // PT_I2
  [0x0003, 4], // PT_LONG
  [0x0004, 4], // PT_R4
  [0x0005, 8], // PT_DOUBLE
  [0x0006, 8], // PT_CURRENCY
  [0x0007, 8], // PT_APPTIME
  [0x000a, 4], // PT_ERROR
  [0x000b, 2], // PT_BOOLEAN
  [0x0014, 8], // PT_I8
  [PT_SYSTIME, 8],
  [0x0048, 16], // PT_CLSID
]);
/** Types whose values are a u32 size then padded data, preceded by a value count even when single. */
const VARIABLE_TYPES: ReadonlySet<number> = new Set([PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT, 0x00fb]);

/** Windows code pages (attOemCodepage, §2.1.3.3.2) that WHATWG TextDecoder knows, by label. */
const CODEPAGE_LABELS: ReadonlyMap<number, string> = new Map([
  [866, 'ibm866'],
  [874, 'windows-874'],
  [932, 'shift_jis'],
  [936, 'gbk'],
  [949, 'euc-kr'],
  [950, 'big5'],
  [1250, 'windows-1250'],
  [1251, 'windows-1251'],
  [1252, 'windows-1252'],
  [1253, 'windows-1253'],
  [1254, 'windows-1254'],
  [1255, 'windows-1255'],
  [1256, 'windows-1256'],
  [1257, 'windows-1257'],
  [1258, 'windows-1258'],
  [10000, 'macintosh'],
  [20866, 'koi8-r'],
  [21866, 'koi8-u'],
  [28591, 'iso-8859-1'],
  [28592, 'iso-8859-2'],
  [28595, 'iso-8859-5'],
  [28597, 'iso-8859-7'],
  [28599, 'iso-8859-9'],
  [28605, 'iso-8859-15'],
  [54936, 'gb18030'],
  [65001, 'utf-8'],
]);
/** ANSI strings without a usable attOemCodepage are read as Windows-1252, Outlook's usual ANSI code page. */
const FALLBACK_CODEPAGE = 1252;

/** Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const FILETIME_EPOCH_OFFSET_SECONDS = 11_644_473_600n;

/** A string as stored: ANSI bytes in the stream's code page, or UTF-16LE. Decoded once the code page is known. */
interface RawText {
  bytes: Uint8Array;
  unicode: boolean;
}

/** One MAPI property from a property list; `values` holds each value's bytes without padding. */
interface MapiProperty {
  id: number;
  /** Base type, without the multi-value flag. */
  type: number;
  named: boolean;
  values: Uint8Array[];
}

interface AttachmentDraft {
  /** 1-based position in the stream, for messages. */
  number: number;
  title?: Uint8Array;
  data?: Uint8Array;
  modifiedLocal?: string;
  props: MapiProperty[];
}

/** Mutable state of one read; kept in one place so the attribute handlers stay small. */
interface ReadState {
  limits: TnefLimits;
  warnings: string[];
  droppedWarnings: number;
  codepage?: number;
  subject?: Uint8Array;
  messageClass?: Uint8Array;
  body?: Uint8Array;
  messageProps: MapiProperty[];
  attachments: AttachmentDraft[];
  current?: AttachmentDraft;
  attachmentsCapped: boolean;
}

/** Read a TNEF stream. Throws `TnefError` only when the signature is wrong; damage becomes warnings. */
export function readTnef(bytes: Uint8Array, limits: TnefLimits = DEFAULT_TNEF_LIMITS): TnefResult {
  validateLimits(limits);
  if (!startsWithBytes(bytes, TNEF_MAGIC)) {
    const found = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new TnefError(
      'not-tnef',
      `Not a TNEF (winmail.dat) stream: it must start with 78 9f 3e 22 but starts with "${found}". ` +
        'The file is another format or was damaged before this point.',
    );
  }
  const state: ReadState = {
    limits,
    warnings: [],
    droppedWarnings: 0,
    messageProps: [],
    attachments: [],
    attachmentsCapped: false,
  };
  if (bytes.length < STREAM_HEADER_BYTES) {
    warn(state, `Stream truncated after ${bytes.length} bytes, inside the header.`);
  } else if (bytes.length === STREAM_HEADER_BYTES) {
    // §2.1.3.2: a stream holds at least attTnefVersion; a bare header is a cut-off stream.
    warn(state, 'Stream holds a header and no attributes: it was probably cut off.');
  } else {
    readAttributes(bytes, state);
  }
  return buildResult(state);
}

function validateLimits(limits: TnefLimits): void {
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`TNEF limit ${key} must be a non-negative integer, got ${String(value)}`);
    }
  }
}

function warn(state: ReadState, message: string): void {
  if (state.warnings.length < state.limits.maxWarnings) state.warnings.push(message);
  else state.droppedWarnings++;
}

/**
 * Walk the attribute records (§2.1.3.2). Each iteration consumes at least 11 bytes or stops, so the
 * loop ends on any input.
 */
function readAttributes(bytes: Uint8Array, state: ReadState): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = STREAM_HEADER_BYTES;
  while (pos < bytes.length) {
    const remaining = bytes.length - pos;
    if (remaining < ATTRIBUTE_HEADER_BYTES) {
      warn(state, `Stream truncated at offset ${pos}: ${remaining} bytes left, an attribute header needs 9.`);
      return;
    }
    const level = view.getUint8(pos);
    const id = view.getUint32(pos + 1, true);
    const length = view.getUint32(pos + 5, true);
    if (level !== LVL_MESSAGE && level !== LVL_ATTACHMENT) {
      // Only two levels exist: anything else means the stream lost its framing (garbage or bad length).
      warn(state, `Invalid attribute level ${level} at offset ${pos}; the rest of the stream (${remaining} bytes) is unreadable.`);
      return;
    }
    const dataStart = pos + ATTRIBUTE_HEADER_BYTES;
    const available = bytes.length - dataStart;
    if (length > available) {
      warn(state, `Stream truncated: attribute ${hex(id, 8)} at offset ${pos} declares ${length} bytes, only ${available} remain.`);
      return;
    }
    const data = bytes.subarray(dataStart, dataStart + length);
    const checksumAt = dataStart + length;
    if (bytes.length - checksumAt < CHECKSUM_BYTES) {
      warn(state, `Stream truncated: the checksum of attribute ${hex(id, 8)} at offset ${pos} is missing; its data is used unverified.`);
      applyAttribute(level, id, data, state);
      return;
    }
    const stored = view.getUint16(checksumAt, true);
    const computed = checksumOf(data);
    if (stored !== computed) {
      warn(state, `Checksum mismatch on attribute ${hex(id, 8)} at offset ${pos}: stored ${hex(stored)}, computed ${hex(computed)}; its data may be damaged.`);
    }
    applyAttribute(level, id, data, state);
    pos = checksumAt + CHECKSUM_BYTES;
  }
}

/** §2.1.3.2: the checksum is the sum of the data bytes modulo 65536. */
function checksumOf(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + data[i]!) & 0xffff;
  return sum;
}

function applyAttribute(level: number, id: number, data: Uint8Array, state: ReadState): void {
  if (level === LVL_MESSAGE) applyMessageAttribute(id, data, state);
  else applyAttachmentAttribute(id, data, state);
}

function applyMessageAttribute(id: number, data: Uint8Array, state: ReadState): void {
  switch (id) {
    case ATT_SUBJECT:
      state.subject = data;
      return;
    case ATT_MESSAGE_CLASS:
      state.messageClass = data;
      return;
    case ATT_BODY:
      state.body = data;
      return;
    case ATT_OEM_CODEPAGE:
      // §2.1.3.3.2: primary code page (u32) then secondary (u32); only the primary matters.
      if (data.length >= 4) state.codepage = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
      else warn(state, `attOemCodepage holds ${data.length} bytes, needs 4; using code page ${FALLBACK_CODEPAGE}.`);
      return;
    case ATT_MSG_PROPS:
      for (const prop of readMapiProperties(data, 'attMsgProps', state)) state.messageProps.push(prop);
      return;
    default:
      // attTnefVersion, dates, priority, sender, recipients ...: not needed here, skipped by length.
      return;
  }
}

function applyAttachmentAttribute(id: number, data: Uint8Array, state: ReadState): void {
  if (id === ATT_ATTACH_REND_DATA) {
    // §2.1.3: each attachment's attributes begin with attAttachRendData (§2.1.3.3.15).
    startAttachment(state);
    return;
  }
  if (state.attachmentsCapped) return;
  let current = state.current;
  if (current === undefined) {
    warn(state, `Attachment attribute ${hex(id, 8)} before any attAttachRendData; starting an attachment for it.`);
    current = startAttachment(state);
    if (current === undefined) return;
  }
  switch (id) {
    case ATT_ATTACH_TITLE:
      current.title = data;
      return;
    case ATT_ATTACH_DATA:
      current.data = data;
      return;
    case ATT_ATTACH_MODIFY_DATE:
      current.modifiedLocal = readDtr(data, current.number, state);
      return;
    case ATT_ATTACHMENT:
      for (const prop of readMapiProperties(data, `attAttachment of attachment ${current.number}`, state)) {
        current.props.push(prop);
      }
      return;
    default:
      return;
  }
}

function startAttachment(state: ReadState): AttachmentDraft | undefined {
  if (state.attachments.length >= state.limits.maxAttachments) {
    if (!state.attachmentsCapped) {
      warn(state, `More than ${state.limits.maxAttachments} attachments; the rest are not extracted.`);
      state.attachmentsCapped = true;
    }
    state.current = undefined;
    return undefined;
  }
  const draft: AttachmentDraft = { number: state.attachments.length + 1, props: [] };
  state.attachments.push(draft);
  state.current = draft;
  return draft;
}

/**
 * A DTR record (Date attributes, §2.1.3.3): year, month, day, hour, minute, second, day of week, each u16.
 * It holds the sender's local clock and no zone, so the result carries no offset.
 */
function readDtr(data: Uint8Array, attachment: number, state: ReadState): string | undefined {
  if (data.length < 12) {
    warn(state, `attAttachModifyDate of attachment ${attachment} holds ${data.length} bytes, a date needs 12; ignored.`);
    return undefined;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const [year, month, day, hour, minute, second] = [0, 2, 4, 6, 8, 10].map((at) => view.getUint16(at, true)) as [
    number, number, number, number, number, number,
  ];
  const valid =
    year >= 1601 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour < 24 && minute < 60 && second < 60;
  if (!valid) {
    warn(state, `attAttachModifyDate of attachment ${attachment} is not a real date (${year}-${month}-${day} ${hour}:${minute}:${second}); ignored.`);
    return undefined;
  }
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A MAPI property list (§2.1.3.2 MsgPropertyList): count u32, then per property a tag (type u16,
 * id u16), a name when the id is in the named range (GUID, kind u32, then id u32 or a length-prefixed
 * UTF-16 string padded to 4), then the value(s). Returns the properties read before any damage.
 */
function readMapiProperties(data: Uint8Array, where: string, state: ReadState): MapiProperty[] {
  const props: MapiProperty[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fail = (pos: number, why: string): MapiProperty[] => {
    warn(state, `${where}: ${why} at offset ${pos} of the property list; kept the ${props.length} properties before it.`);
    return props;
  };
  if (data.length < 4) return fail(0, 'no property count');
  const count = view.getUint32(0, true);
  let pos = 4;
  for (let i = 0; i < count; i++) {
    // Every property takes at least 8 bytes (tag + one 4-byte value), so a count is bounded by the data.
    if (data.length - pos < 4) return fail(pos, `truncated before property ${i + 1} of ${count}`);
    const type = view.getUint16(pos, true);
    const id = view.getUint16(pos + 2, true);
    pos += 4;
    const named = id >= FIRST_NAMED_ID;
    if (named) {
      const after = skipPropertyName(view, pos);
      if (after === undefined) return fail(pos, `bad name of named property ${hex(id)}`);
      pos = after;
    }
    const baseType = type & ~MV_FLAG;
    const multi = (type & MV_FLAG) !== 0;
    const read = readPropertyValues(view, pos, baseType, multi);
    if (typeof read === 'string') return fail(pos, `${read} (property ${hex(id)}, type ${hex(type)})`);
    props.push({ id, type: baseType, named, values: read.values });
    pos = read.end;
  }
  return props;
}

/** Skip a PropertyName (GUID, kind, id or string); undefined when it does not fit or the kind is unknown. */
function skipPropertyName(view: DataView, start: number): number | undefined {
  let pos = start + 16; // property set GUID
  if (pos + 4 > view.byteLength) return undefined;
  const kind = view.getUint32(pos, true);
  pos += 4;
  if (kind === 0) return pos + 4 <= view.byteLength ? pos + 4 : undefined; // MNID_ID
  if (kind !== 1) return undefined; // MNID_STRING is the only other kind
  if (pos + 4 > view.byteLength) return undefined;
  const length = view.getUint32(pos, true);
  pos += 4;
  if (length > view.byteLength - pos) return undefined;
  return Math.min(pos + padded4(length), view.byteLength);
}

/**
 * Values of one property. Variable types (strings, binary, objects) and every multi-valued property
 * carry a u32 value count; variable values are a u32 size, the bytes, padding to 4 (not counted in the
 * size). Fixed values are padded to 4. Returns a reason string when the value cannot be read.
 */
function readPropertyValues(
  view: DataView,
  start: number,
  type: number,
  multi: boolean,
): { values: Uint8Array[]; end: number } | string {
  const variable = VARIABLE_TYPES.has(type);
  const fixedSize = FIXED_TYPE_BYTES.get(type);
  if (!variable && fixedSize === undefined) return 'unknown property type, cannot skip it';
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let pos = start;
  let count = 1;
  if (variable || multi) {
    if (pos + 4 > view.byteLength) return 'truncated value count';
    count = view.getUint32(pos, true);
    pos += 4;
  }
  // Each value takes at least 4 bytes (a size, or a padded fixed value): a bigger count cannot fit.
  if (count > (view.byteLength - pos) / 4) return `value count ${count} larger than the data`;
  const values: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (variable) {
      if (pos + 4 > view.byteLength) return 'truncated value size';
      const size = view.getUint32(pos, true);
      pos += 4;
      if (size > view.byteLength - pos) return `value of ${size} bytes larger than the data`;
      values.push(bytes.subarray(pos, pos + size));
      // The padding of the very last value may be missing in the wild; tolerate it.
      pos = Math.min(pos + padded4(size), view.byteLength);
    } else {
      const size = fixedSize!;
      if (pos + size > view.byteLength) return 'truncated fixed-size value';
      values.push(bytes.subarray(pos, pos + size));
      pos = Math.min(pos + padded4(size), view.byteLength);
    }
  }
  return { values, end: pos };
}

function padded4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

function buildResult(state: ReadState): TnefResult {
  const decode = makeDecoder(state);
  const result: TnefResult = { attachments: [], warnings: state.warnings };

  // §2.1.3: encapsulated properties win over the attributes they duplicate.
  const messageClass = textProperty(state.messageProps, PID_MESSAGE_CLASS, decode) ?? ansi(state.messageClass, decode);
  const subject = textProperty(state.messageProps, PID_SUBJECT, decode) ?? ansi(state.subject, decode);
  const body = textProperty(state.messageProps, PID_BODY, decode) ?? ansi(state.body, decode);
  if (messageClass !== undefined) result.messageClass = messageClass;
  if (subject !== undefined) result.subject = subject;
  if (body !== undefined) result.bodyText = body;

  let totalBytes = 0;
  let sizeCapped = false;
  for (const draft of state.attachments) {
    const name =
      textProperty(draft.props, PID_ATTACH_LONG_FILENAME, decode) ??
      ansi(draft.title, decode) ??
      textProperty(draft.props, PID_ATTACH_FILENAME, decode) ??
      textProperty(draft.props, PID_DISPLAY_NAME, decode) ??
      `attachment-${draft.number}`;
    const bytes = draft.data ?? binaryProperty(draft.props, PID_ATTACH_DATA);
    if (bytes === undefined) {
      const embedded = draft.props.some((p) => p.id === PID_ATTACH_DATA && p.type === PT_OBJECT);
      warn(
        state,
        embedded
          ? `Attachment ${draft.number} ("${name}") is an embedded message or OLE object; it is not extracted.`
          : `Attachment ${draft.number} ("${name}") has no data; it is not extracted.`,
      );
      continue;
    }
    if (sizeCapped || totalBytes + bytes.length > state.limits.maxTotalAttachmentBytes) {
      if (!sizeCapped) {
        warn(state, `Attachments past ${state.limits.maxTotalAttachmentBytes} bytes in total are not extracted (from attachment ${draft.number}, "${name}").`);
        sizeCapped = true;
      }
      continue;
    }
    totalBytes += bytes.length;
    const attachment: TnefAttachment = { name, bytes };
    const mimeType = textProperty(draft.props, PID_ATTACH_MIME_TAG, decode);
    if (mimeType !== undefined && mimeType !== '') attachment.mimeType = mimeType;
    const modified = filetimeProperty(draft.props, PID_LAST_MODIFICATION_TIME) ?? draft.modifiedLocal;
    if (modified !== undefined) attachment.modified = modified;
    result.attachments.push(attachment);
  }
  if (state.droppedWarnings > 0) {
    result.warnings.push(`${state.droppedWarnings} further warnings were dropped.`);
  }
  return result;
}

type Decode = (text: RawText) => string;

/** Decode ANSI text in the stream's code page (attOemCodepage), UTF-16LE as is; cut at the first NUL. */
function makeDecoder(state: ReadState): Decode {
  const codepage = state.codepage ?? FALLBACK_CODEPAGE;
  let label = CODEPAGE_LABELS.get(codepage);
  if (label === undefined) {
    warn(state, `Code page ${codepage} is not supported; ANSI strings are read as Windows-${FALLBACK_CODEPAGE}.`);
    label = CODEPAGE_LABELS.get(FALLBACK_CODEPAGE)!;
  }
  const ansiDecoder = new TextDecoder(label);
  const unicodeDecoder = new TextDecoder('utf-16le');
  return (text) => {
    const decoded = (text.unicode ? unicodeDecoder : ansiDecoder).decode(text.bytes);
    const nul = decoded.indexOf('\0');
    return nul === -1 ? decoded : decoded.slice(0, nul);
  };
}

function ansi(bytes: Uint8Array | undefined, decode: Decode): string | undefined {
  return bytes === undefined ? undefined : decode({ bytes, unicode: false });
}

/** First value of a non-named string property (PT_STRING8 or PT_UNICODE) with this id. */
function textProperty(props: readonly MapiProperty[], id: number, decode: Decode): string | undefined {
  const prop = props.find((p) => !p.named && p.id === id && (p.type === PT_STRING8 || p.type === PT_UNICODE));
  const value = prop?.values[0];
  return value === undefined ? undefined : decode({ bytes: value, unicode: prop!.type === PT_UNICODE });
}

function binaryProperty(props: readonly MapiProperty[], id: number): Uint8Array | undefined {
  return props.find((p) => !p.named && p.id === id && p.type === PT_BINARY)?.values[0];
}

/** A PT_SYSTIME (FILETIME: 100 ns ticks since 1601, UTC) as an ISO string, when it is a plausible date. */
function filetimeProperty(props: readonly MapiProperty[], id: number): string | undefined {
  const value = props.find((p) => !p.named && p.id === id && p.type === PT_SYSTIME)?.values[0];
  if (value === undefined || value.length < 8) return undefined;
  const ticks = new DataView(value.buffer, value.byteOffset, 8).getBigUint64(0, true);
  const ms = Number(ticks / 10_000n - FILETIME_EPOCH_OFFSET_SECONDS * 1000n);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime()) || ticks === 0n) return undefined;
  const year = date.getUTCFullYear();
  return year >= 1601 && year <= 9999 ? date.toISOString() : undefined;
}

function hex(n: number, digits = 4): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** Format module: TNEF is a container whose children are its attachments. */
export const tnefFormat: FormatModule = {
  name: 'tnef',
  class: 'container',
  mimeTypes: ['application/ms-tnef', 'application/vnd.ms-tnef'],
  extensions: ['dat', 'tnef'],
  // Only the signature counts: most files called *.dat are not TNEF, and a winmail.dat without the
  // signature is not either.
  sniff(head: Uint8Array, _name: string): number {
    return startsWithBytes(head, TNEF_MAGIC) ? SCORE_MAGIC : 0;
  },
};
