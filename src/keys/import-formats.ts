/**
 * Key files a user brings: zone-file lines (`sel._domainkey.dom. IN TXT "..." "..."`, strings split at
 * 255 characters and joined, parentheses across lines), `dig` output (its `;; WHEN:` line dates the
 * lookup), and a JSON form. Pure: text in, key entries out, with a reason for every line refused.
 */

export interface KeyEntry {
  domain: string;
  selector: string;
  /** The TXT record text, strings joined. */
  record: string;
  /** When the key was seen published, ISO dates, when the source says. */
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface KeyImport {
  format: 'zone' | 'dig' | 'json';
  keys: KeyEntry[];
  /** Lines or entries that could not be read, with why. */
  rejected: { where: string; reason: string }[];
}

const DKIM_NAME = /^([^\s]+?)\._domainkey\.([^\s]+?)\.?$/i;

/** Splits zone text into records: comments dropped, parenthesised continuations joined. */
function zoneRecords(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let current = '';
  let start = 0;
  let depth = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = '';
    let inQuote = false;
    for (let j = 0; j < lines[i]!.length; j++) {
      const c = lines[i]![j]!;
      if (c === '\\' && inQuote) { line += c + (lines[i]![j + 1] ?? ''); j++; continue; }
      if (c === '"') inQuote = !inQuote;
      if (c === ';' && !inQuote) break;
      if (!inQuote && c === '(') { depth++; line += ' '; continue; }
      if (!inQuote && c === ')') { depth--; line += ' '; continue; }
      line += c;
    }
    if (current === '') start = i + 1;
    current += ` ${line}`;
    if (depth <= 0) {
      if (current.trim() !== '') out.push({ line: start, text: current.trim() });
      current = '';
      depth = 0;
    }
  }
  if (current.trim() !== '') out.push({ line: start, text: current.trim() });
  return out;
}

/** Unescapes RFC 1035 §5.1 character-string escapes (`\"`, `\\`, `\DDD`). */
function unescape(s: string): string {
  return s.replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e));
}

function parseZone(text: string, format: 'zone' | 'dig', seen: string | null): KeyImport {
  const result: KeyImport = { format, keys: [], rejected: [] };
  for (const rec of zoneRecords(text)) {
    const fields = rec.text.split(/\s+/);
    const txtAt = fields.findIndex((f) => f.toUpperCase() === 'TXT');
    if (txtAt < 0) continue; // SOA, NS, A ... lines of a full zone: not keys
    const name = DKIM_NAME.exec(fields[0]!);
    if (!name) {
      if (/_domainkey/i.test(fields[0]!) || /v=DKIM1/i.test(rec.text)) {
        result.rejected.push({ where: `line ${rec.line}`, reason: `"${fields[0]}" is not a selector._domainkey.domain name` });
      }
      continue;
    }
    const strings = [...rec.text.slice(rec.text.toUpperCase().indexOf('TXT') + 3).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => unescape(m[1]!));
    if (strings.length === 0) {
      result.rejected.push({ where: `line ${rec.line}`, reason: 'a TXT record without a quoted string' });
      continue;
    }
    result.keys.push({ selector: name[1]!.toLowerCase(), domain: name[2]!.toLowerCase(), record: strings.join(''), firstSeen: seen, lastSeen: seen });
  }
  return result;
}

/** `;; WHEN: Thu Nov 26 12:00:00 UTC 2026` in dig output: the date of the lookup. */
function digDate(text: string): string | null {
  const m = /^;; WHEN: (.+)$/m.exec(text);
  if (!m) return null;
  const d = new Date(m[1]!.replace(/\s+[A-Z]{3,4}\s+(\d{4})$/, ' $1 UTC'));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

interface JsonKey {
  domain?: unknown;
  selector?: unknown;
  record?: unknown;
  p?: unknown;
  k?: unknown;
  firstSeen?: unknown;
  lastSeen?: unknown;
}

function parseJson(text: string): KeyImport {
  const result: KeyImport = { format: 'json', keys: [], rejected: [] };
  const doc = JSON.parse(text) as JsonKey[] | { keys?: JsonKey[] };
  const list = Array.isArray(doc) ? doc : Array.isArray(doc.keys) ? doc.keys : null;
  if (!list) {
    result.rejected.push({ where: 'the file', reason: 'expected an array of keys, or an object with a "keys" array' });
    return result;
  }
  list.forEach((k, i) => {
    const where = `entry ${i + 1}`;
    if (typeof k.domain !== 'string' || typeof k.selector !== 'string') {
      result.rejected.push({ where, reason: 'needs "domain" and "selector" strings' });
      return;
    }
    const record = typeof k.record === 'string' ? k.record : typeof k.p === 'string' ? `v=DKIM1; k=${typeof k.k === 'string' ? k.k : 'rsa'}; p=${k.p}` : null;
    if (record === null) {
      result.rejected.push({ where, reason: 'needs "record" (the TXT text) or "p" (the public key)' });
      return;
    }
    const date = (v: unknown): string | null => {
      if (typeof v !== 'string') return null;
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? null : d.toISOString();
    };
    result.keys.push({ domain: k.domain.toLowerCase().replace(/\.$/, ''), selector: k.selector.toLowerCase(), record, firstSeen: date(k.firstSeen), lastSeen: date(k.lastSeen) });
  });
  return result;
}

/** Reads a key file in whichever of the three forms it is. */
export function parseKeyFile(text: string): KeyImport {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJson(text);
  if (/^; <<>> DiG/m.test(text) || /^;; ANSWER SECTION:/m.test(text)) return parseZone(text, 'dig', digDate(text));
  return parseZone(text, 'zone', null);
}
