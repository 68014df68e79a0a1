/**
 * RFC 6376 §3.2 tag=value lists, shared by DKIM-Signature fields and key records. Whitespace (FWS)
 * around tags and values is ignored; a duplicate tag makes the whole list invalid (§3.2: "Tags with
 * duplicate names MUST NOT occur within a single tag-list").
 */

export type TagList = Map<string, string>;

export type TagListResult = { ok: true; tags: TagList } | { ok: false; reason: string };

const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function parseTagList(text: string): TagListResult {
  const tags: TagList = new Map();
  for (const raw of text.split(';')) {
    const spec = raw.replace(/\r?\n/g, '').trim();
    if (spec === '') continue; // a trailing ';' is allowed
    const eq = spec.indexOf('=');
    if (eq < 0) return { ok: false, reason: `"${spec.slice(0, 40)}" is not a tag=value pair` };
    const name = spec.slice(0, eq).trim();
    if (!TAG_NAME.test(name)) return { ok: false, reason: `"${name.slice(0, 40)}" is not a valid tag name` };
    if (tags.has(name)) return { ok: false, reason: `the tag ${name}= appears twice` };
    tags.set(name, spec.slice(eq + 1).trim());
  }
  return { ok: true, tags };
}

/** Removes all folding whitespace from a base64 value (§3.5: b= and bh= may be folded anywhere). */
export function stripWhitespace(value: string): string {
  return value.replace(/[ \t\r\n]+/g, '');
}
