/**
 * Writes TNEF (winmail.dat) streams for tests, following [MS-OXTNEF] §2.1.3 independently of the reader
 * in src/extract/tnef.ts (its own constants), so a misread id or layout in one does not hide in the other.
 * Strings written as PT_STRING8 / ANSI attributes are Latin-1 under attOemCodepage 1252.
 */

export const LVL_MESSAGE = 0x01;
export const LVL_ATTACHMENT = 0x02;

/** Attribute ids from [MS-OXTNEF] §2.1.3.3 (type in the high word, tag in the low word). */
export const ATT = {
  tnefVersion: 0x00089006,
  oemCodepage: 0x00069007,
  messageClass: 0x00078008,
  subject: 0x00018004,
  body: 0x0002800c,
  msgProps: 0x00069003,
  attachRendData: 0x00069002,
  attachTitle: 0x00018010,
  attachModifyDate: 0x00038013,
  attachData: 0x0006800f,
  attachment: 0x00069005,
} as const;

/** MAPI property types ([MS-OXCDATA] §2.11.1). */
export const PT = {
  short: 0x0002,
  long: 0x0003,
  boolean: 0x000b,
  systime: 0x0040,
  string8: 0x001e,
  unicode: 0x001f,
  binary: 0x0102,
  multiValue: 0x1000,
} as const;

/** PS_PUBLIC_STRINGS {00020329-0000-0000-C000-000000000046} in its on-disk (mixed-endian) byte order. */
export const PS_PUBLIC_STRINGS = Uint8Array.of(
  0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
);

export interface MapiPropertySpec {
  /** Property type, with `PT.multiValue` or'ed in for multi-valued properties. */
  type: number;
  id: number;
  /** Required when `id >= 0x8000`: the named property's set and numeric id or string name. */
  name?: { guid: Uint8Array; id: number } | { guid: Uint8Array; name: string };
  /** Each value's bytes, unpadded (the writer pads). */
  values: Uint8Array[];
}

export interface TnefWriterAttachment {
  /** 8.3 name, written as attAttachTitle. */
  name: string;
  /** Written as PR_ATTACH_LONG_FILENAME in attAttachment. */
  longName?: string;
  /** How the long name is typed: PT_UNICODE (default) or PT_STRING8. */
  longNameType?: 'unicode' | 'string8';
  bytes: Uint8Array;
  /** Written as PR_ATTACH_MIME_TAG (PT_STRING8). */
  mimeType?: string;
  /** Written as attAttachModifyDate (a DTR of the UTC fields of this date). */
  modified?: Date;
  /** Also write PR_LAST_MODIFICATION_TIME (FILETIME) into attAttachment. */
  modifiedAsFiletime?: Date;
}

export interface TnefWriterInput {
  attachments: TnefWriterAttachment[];
  subject?: string;
  /** Defaults to `IPM.Note`. */
  messageClass?: string;
  body?: string;
  /** When given, written as attMsgProps after the other message attributes. */
  messageProps?: MapiPropertySpec[];
  /** Extra raw attributes inserted after the message attributes (to test skipping of unknown ones). */
  extraAttributes?: Uint8Array[];
}

/** A whole TNEF stream with correct checksums and one attAttachment property block per attachment. */
export function writeTnef(input: TnefWriterInput): Uint8Array {
  const parts: Uint8Array[] = [tnefHeader()];
  parts.push(tnefAttribute(LVL_MESSAGE, ATT.tnefVersion, u32(0x00010000)));
  parts.push(tnefAttribute(LVL_MESSAGE, ATT.oemCodepage, concat([u32(1252), u32(0)])));
  parts.push(tnefAttribute(LVL_MESSAGE, ATT.messageClass, string8(input.messageClass ?? 'IPM.Note')));
  if (input.subject !== undefined) parts.push(tnefAttribute(LVL_MESSAGE, ATT.subject, string8(input.subject)));
  if (input.body !== undefined) parts.push(tnefAttribute(LVL_MESSAGE, ATT.body, latin1(input.body)));
  for (const extra of input.extraAttributes ?? []) parts.push(extra);
  if (input.messageProps !== undefined) {
    parts.push(tnefAttribute(LVL_MESSAGE, ATT.msgProps, mapiPropertyList(input.messageProps)));
  }
  for (const attachment of input.attachments) parts.push(...attachmentAttributes(attachment));
  return concat(parts);
}

function attachmentAttributes(a: TnefWriterAttachment): Uint8Array[] {
  // RENDDATA (§2.1.3.3.15): AttachType u16 (1 = file), AttachPosition u32, width u16, height u16, flags u32.
  const rendData = concat([u16(1), u32(0xffffffff), u16(0), u16(0), u32(0)]);
  const parts = [
    tnefAttribute(LVL_ATTACHMENT, ATT.attachRendData, rendData),
    tnefAttribute(LVL_ATTACHMENT, ATT.attachTitle, string8(a.name)),
  ];
  if (a.modified !== undefined) parts.push(tnefAttribute(LVL_ATTACHMENT, ATT.attachModifyDate, dtr(a.modified)));
  parts.push(tnefAttribute(LVL_ATTACHMENT, ATT.attachData, a.bytes));

  // Properties the reader must skip come first, so that finding the long name proves it skipped them.
  const props: MapiPropertySpec[] = [
    { type: PT.long, id: 0x3705, values: [u32(1)] }, // PR_ATTACH_METHOD = ATTACH_BY_VALUE
    { type: PT.binary, id: 0x0ff9, values: [Uint8Array.from({ length: 13 }, (_, i) => i)] }, // PR_RECORD_KEY
    { type: PT.boolean, id: 0x8001, name: { guid: PS_PUBLIC_STRINGS, name: 'X-Trove-Flag' }, values: [u16(1)] },
    {
      type: PT.unicode | PT.multiValue,
      id: 0x8002,
      name: { guid: PS_PUBLIC_STRINGS, id: 0x8510 },
      values: [unicode('one'), unicode('three')],
    },
    { type: PT.short | PT.multiValue, id: 0x8003, name: { guid: PS_PUBLIC_STRINGS, id: 7 }, values: [u16(1), u16(2), u16(3)] },
  ];
  if (a.modifiedAsFiletime !== undefined) {
    props.push({ type: PT.systime, id: 0x3008, values: [filetime(a.modifiedAsFiletime)] });
  }
  if (a.longName !== undefined) {
    const typed = a.longNameType === 'string8' ? { type: PT.string8, value: string8(a.longName) } : { type: PT.unicode, value: unicode(a.longName) };
    props.push({ type: typed.type, id: 0x3707, values: [typed.value] }); // PR_ATTACH_LONG_FILENAME
  }
  if (a.mimeType !== undefined) props.push({ type: PT.string8, id: 0x370e, values: [string8(a.mimeType)] });
  parts.push(tnefAttribute(LVL_ATTACHMENT, ATT.attachment, mapiPropertyList(props)));
  return parts;
}

/** TNEFSignature then LegacyKey. */
export function tnefHeader(signature = 0x223e9f78, legacyKey = 0x0001): Uint8Array {
  return concat([u32(signature), u16(legacyKey)]);
}

/** One attribute record: level, id, length, data, checksum (sum of data bytes mod 65536 unless overridden). */
export function tnefAttribute(level: number, id: number, data: Uint8Array, checksum?: number): Uint8Array {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) % 65536;
  return concat([Uint8Array.of(level), u32(id), u32(data.length), data, u16(checksum ?? sum)]);
}

/** A MAPI property list as attMsgProps / attAttachment carry it (§2.1.3.2). */
export function mapiPropertyList(props: readonly MapiPropertySpec[]): Uint8Array {
  const parts: Uint8Array[] = [u32(props.length)];
  for (const prop of props) {
    parts.push(u16(prop.type), u16(prop.id));
    if (prop.id >= 0x8000) {
      if (prop.name === undefined) throw new Error(`named property 0x${prop.id.toString(16)} needs a name`);
      parts.push(prop.name.guid);
      if ('name' in prop.name) {
        const name = unicode(prop.name.name);
        parts.push(u32(1), u32(name.length), pad4(name));
      } else {
        parts.push(u32(0), u32(prop.name.id));
      }
    }
    const base = prop.type & ~PT.multiValue;
    const variable = base === PT.string8 || base === PT.unicode || base === PT.binary;
    if (variable || (prop.type & PT.multiValue) !== 0) parts.push(u32(prop.values.length));
    for (const value of prop.values) {
      if (variable) parts.push(u32(value.length));
      parts.push(pad4(value));
    }
  }
  return concat(parts);
}

/** NUL-terminated Latin-1 bytes (PT_STRING8 / ANSI attribute under code page 1252). */
export function string8(text: string): Uint8Array {
  return concat([latin1(text), Uint8Array.of(0)]);
}

/** NUL-terminated UTF-16LE bytes (PT_UNICODE). */
export function unicode(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(`${text}\0`, 'utf16le'));
}

/** A DTR record (§2.1.3.3): the UTC fields of `date`. */
export function dtr(date: Date): Uint8Array {
  return concat(
    [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCDay()].map(u16),
  );
}

/** A FILETIME: 100 ns ticks since 1601-01-01 UTC. */
export function filetime(date: Date): Uint8Array {
  const ticks = (BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, ticks, true);
  return out;
}

export function u16(n: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, n, true);
  return out;
}

export function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0, true);
  return out;
}

function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

function pad4(bytes: Uint8Array): Uint8Array {
  const padding = (4 - (bytes.length % 4)) % 4;
  return padding === 0 ? bytes : concat([bytes, new Uint8Array(padding)]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
