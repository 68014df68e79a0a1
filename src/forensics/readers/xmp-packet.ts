/**
 * XMP packets (ISO 16684-1; Adobe XMP Specification Part 1 §7, the RDF/XML serialization), as PDFs
 * (the catalog's /Metadata stream), JPEGs (APP1 `http://ns.adobe.com/xap/1.0/`), PNGs (iTXt
 * `XML:com.adobe.xmp`) and Office files carry them. Properties are kept by their local name
 * (`CreateDate`, `ModifyDate`, `CreatorTool`, `Producer`...): writers agree on namespaces but a few
 * use odd prefixes, and no two XMP namespaces that matter here share a local name.
 *
 * The edit history (`xmpMM:History`, a sequence of `stEvt` resource events) is kept event by event:
 * action, when, softwareAgent, changed, instanceID. The walk is saxes through the extract stage's
 * XML walker, which refuses external and declared entities (XXE, billion laughs).
 */
import { walkXml } from '../../extract/readers/xml-walk.ts';

/** Simple properties kept from one packet. */
export const MAX_XMP_PROPERTIES = 200;
/** Items kept from one array property (`dc:creator`) and events from `xmpMM:History`. */
export const MAX_XMP_ITEMS = 200;
/** Longest value kept. */
export const MAX_XMP_VALUE_CHARS = 1000;
/** Largest packet parsed; XMP in the wild is under 100 KB, thumbnails included. */
export const MAX_XMP_BYTES = 4 * 1024 * 1024;

/** One `stEvt` event of `xmpMM:History`. */
export interface XmpEvent {
  action?: string;
  when?: string;
  softwareAgent?: string;
  changed?: string;
  instanceID?: string;
}

export interface XmpFacts {
  /** Simple properties by local name (`CreateDate`, `CreatorTool`, `Producer`, `DocumentID`...). */
  properties: Record<string, string>;
  /** Array properties by local name (`creator`, `title`, `subject`...), items in order. */
  arrays: Record<string, string[]>;
  history: XmpEvent[];
}

const RDF_STRUCTURE = new Set(['RDF', 'Description', 'Seq', 'Bag', 'Alt', 'li', 'xmpmeta', 'xapmeta']);
const EVENT_FIELDS = new Set(['action', 'when', 'softwareAgent', 'changed', 'instanceID']);

const local = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);
const clip = (s: string): string => s.trim().slice(0, MAX_XMP_VALUE_CHARS);

/** Fields of an attribute list that are data, not `xmlns`/`rdf:` plumbing. */
function dataAttributes(attrs: Readonly<Record<string, string>>): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:') || k.startsWith('rdf:') || k.startsWith('xml:') || k === 'about') continue;
    out.push([local(k), v]);
  }
  return out;
}

/** Finds the first XMP packet (`<x:xmpmeta` ... `</x:xmpmeta>`) in raw bytes, or null. */
export function findXmpPacket(bytes: Uint8Array, from = 0): Uint8Array | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = buf.indexOf('<x:xmpmeta', from, 'latin1');
  const startAlt = start >= 0 ? start : buf.indexOf('<x:xapmeta', from, 'latin1');
  if (startAlt < 0) return null;
  const endTag = buf.indexOf(start >= 0 ? '</x:xmpmeta>' : '</x:xapmeta>', startAlt, 'latin1');
  if (endTag < 0) return null;
  return bytes.subarray(startAlt, endTag + 12);
}

/** The properties, arrays and history of an XMP packet; null when it is not well-formed XML. */
export async function readXmp(packet: Uint8Array): Promise<XmpFacts | null> {
  if (packet.length > MAX_XMP_BYTES) return null;
  const facts: XmpFacts = { properties: {}, arrays: {}, history: [] };
  let propertyCount = 0;
  const setProperty = (name: string, value: string): void => {
    if (name in facts.properties || propertyCount >= MAX_XMP_PROPERTIES) return;
    const v = clip(value);
    if (v === '') return;
    facts.properties[name] = v;
    propertyCount++;
  };

  // The walk: a stack of element names; a property is an element directly inside a top-level
  // rdf:Description; its items are rdf:li elements; an item's fields are its attributes, its
  // child elements or the attributes of an rdf:Description inside it.
  const stack: string[] = [];
  let property: { name: string; text: string; items: string[]; events: XmpEvent[] | null; depth: number } | null = null;
  let item: { text: string; fields: Record<string, string>; depth: number } | null = null;
  let field: { name: string; text: string } | null = null;

  try {
    await walkXml(packet, 'the XMP packet', {
      open(name, attrs) {
        const parent = stack[stack.length - 1];
        stack.push(name);
        if (!property) {
          if (name === 'Description') {
            for (const [k, v] of dataAttributes(attrs)) setProperty(k, v);
          } else if (parent === 'Description' && !RDF_STRUCTURE.has(name)) {
            property = { name, text: '', items: [], events: name === 'History' ? [] : null, depth: stack.length };
            // A struct written with attributes on the property element itself.
            for (const [k, v] of dataAttributes(attrs)) setProperty(`${name}.${k}`, v);
          }
          return;
        }
        if (name === 'li' && !item) {
          item = { text: '', fields: {}, depth: stack.length };
          for (const [k, v] of dataAttributes(attrs)) item.fields[k] = v;
        } else if (item && name === 'Description') {
          for (const [k, v] of dataAttributes(attrs)) item.fields[k] = v;
        } else if (item && !RDF_STRUCTURE.has(name)) {
          field = { name, text: '' };
        }
      },
      text(t) {
        if (field) field.text += t;
        else if (item) item.text += t;
        else if (property && stack.length === property.depth) property.text += t;
      },
      close() {
        const depth = stack.length;
        stack.pop();
        if (field && item && depth > item.depth) {
          if (field.text.trim() !== '') item.fields[field.name] = clip(field.text);
          field = null;
          return;
        }
        if (item && depth === item.depth && property) {
          if (property.events) {
            if (property.events.length < MAX_XMP_ITEMS) {
              const ev: XmpEvent = {};
              for (const [k, v] of Object.entries(item.fields)) if (EVENT_FIELDS.has(k)) ev[k as keyof XmpEvent] = clip(v);
              property.events.push(ev);
            }
          } else if (property.items.length < MAX_XMP_ITEMS && item.text.trim() !== '') {
            property.items.push(clip(item.text));
          }
          item = null;
          return;
        }
        if (property && depth === property.depth) {
          if (property.events) facts.history.push(...property.events);
          else if (property.items.length > 0) {
            if (!(property.name in facts.arrays)) facts.arrays[property.name] = property.items;
          } else setProperty(property.name, property.text);
          property = null;
        }
      },
    });
  } catch {
    // Not well-formed: what was read before the error is kept only if anything was.
    if (propertyCount === 0 && facts.history.length === 0 && Object.keys(facts.arrays).length === 0) return null;
  }
  return facts;
}
