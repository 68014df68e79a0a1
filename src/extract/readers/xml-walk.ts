/**
 * Walks an XML part as a stream of open, text and close events (saxes, a non-validating SAX parser),
 * with element names reduced to their local part: Office and OpenDocument writers agree on
 * namespaces but not always on prefixes. Attributes keep their written names (`<p:sldId id="256"
 * r:id="rId2"/>` has two `id`s); `attr` and `prefixedAttr` find them by local name. Bytes are read
 * as UTF-8, or UTF-16 after a byte-order mark: the only encodings OOXML and ODF parts use.
 *
 * Safe on hostile parts: saxes reads the DOCTYPE but never fetches an external entity (XXE) nor
 * expands a declared one (billion laughs); a reference to either is a well-formedness error, which
 * ends the walk with an ExtractError, as does any other malformation (Word and LibreOffice refuse
 * such a file too).
 */
import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';
import { ExtractError } from '../extract-document.ts';
import type { ZipPackage } from './package-zip.ts';

/** Attributes of an element, by their names as written (`r:id`, `table:name`, `t`). */
export type XmlAttributes = Readonly<Record<string, string>>;

/** What a reader does with the events of one part. Any method may throw STOP_WALK to end early. */
export interface XmlVisitor {
  open?(name: string, attrs: XmlAttributes): void;
  close?(name: string): void;
  /** Character data (text and CDATA), entities already decoded. */
  text?(text: string): void;
}

/** Thrown by a visitor to stop reading a part (the text limit is reached). */
export const STOP_WALK: unique symbol = Symbol('stop walking');

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

/** The attribute of this local name: unprefixed if there is one, else with any prefix. */
export function attr(attrs: XmlAttributes, local: string): string | undefined {
  if (local in attrs) return attrs[local];
  for (const k in attrs) if (k.endsWith(local) && k.length > local.length && k[k.length - local.length - 1] === ':') return attrs[k];
  return undefined;
}

/** The attribute of this local name in some namespace (`r:id`, not `id`). */
export function prefixedAttr(attrs: XmlAttributes, local: string): string | undefined {
  for (const k in attrs) if (k.endsWith(local) && k.length > local.length && k[k.length - local.length - 1] === ':') return attrs[k];
  return undefined;
}

/**
 * Feeds a part, given whole or as chunks of bytes, to a visitor. `label` names the part in error
 * messages. Returns normally at the end of the part or when the visitor threw STOP_WALK.
 */
export async function walkXml(source: Uint8Array | AsyncIterable<Uint8Array>, label: string, visitor: XmlVisitor): Promise<void> {
  const parser = new SaxesParser({ position: true });
  parser.on('error', (err) => {
    throw new ExtractError(`${label} is not well-formed XML (${err.message.replace(/\.$/, '')})`);
  });
  if (visitor.open) {
    const open = visitor.open.bind(visitor);
    parser.on('opentag', (tag) => open(localName(tag.name), tag.attributes as XmlAttributes));
  }
  if (visitor.close) {
    const close = visitor.close.bind(visitor);
    parser.on('closetag', (tag) => close(localName(tag.name)));
  }
  if (visitor.text) {
    const text = visitor.text.bind(visitor);
    parser.on('text', text);
    parser.on('cdata', text);
  }
  let decoder: TextDecoder | null = null;
  const feed = (chunk: Uint8Array): void => {
    decoder ??= new TextDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8');
    parser.write(decoder.decode(chunk, { stream: true }));
  };
  try {
    if (source instanceof Uint8Array) feed(source);
    else for await (const chunk of source) feed(chunk);
    if (decoder) parser.write((decoder as TextDecoder).decode());
    parser.close();
  } catch (err) {
    if (err !== STOP_WALK) throw err;
  }
}

/**
 * Walks a part that the document can do without (a header, notes, metadata): when it is missing
 * nothing happens; when it is damaged, the reason goes to `problems` and the reader goes on.
 */
export async function walkOptionalPart(pkg: ZipPackage, name: string, visitor: XmlVisitor, problems: string[]): Promise<void> {
  try {
    const source = await pkg.stream(name);
    if (source) await walkXml(source, name, visitor);
  } catch (err) {
    if (!(err instanceof ExtractError)) throw err;
    problems.push(err.message);
  }
}

/** Longest metadata value kept; longer ones are cut (a 1 MB "title" is itself a finding, not a title). */
export const MAX_METADATA_FIELD_CHARS = 4096;

/**
 * Collects the text of simple elements at `depth` (the root is 1): `<root><title>x</title>...` at
 * depth 2. Elements with children (`HeadingPairs` vectors) are skipped.
 */
export function fieldCollector(depth: number, onField: (name: string, value: string, attrs: XmlAttributes) => void): XmlVisitor {
  let level = 0;
  let current: string | null = null;
  let attributes: XmlAttributes = {};
  let value = '';
  let nested = false;
  return {
    open(name, attrs) {
      level++;
      if (level === depth) {
        current = name;
        attributes = attrs;
        value = '';
        nested = false;
      } else if (level > depth) nested = true;
    },
    text(t) {
      if (level === depth && current !== null && value.length < MAX_METADATA_FIELD_CHARS) value += t;
    },
    close() {
      if (level === depth && current !== null && !nested) onField(current, value.trim().slice(0, MAX_METADATA_FIELD_CHARS), attributes);
      if (level === depth) current = null;
      level--;
    },
  };
}
