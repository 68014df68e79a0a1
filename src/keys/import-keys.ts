/** Turning a key file into stored keys: every record validated, every refusal explained. */
import { createHash } from 'node:crypto';
import type { StoredKey } from '../store/store.ts';
import { parseKeyFile, type KeyEntry } from './import-formats.ts';
import { parseKeyRecord } from './key-record.ts';

/** A key's id: the same record for the same selector and domain is the same key, wherever it came from. */
export function keyId(domain: string, selector: string, record: string): string {
  const p = /(?:^|;)\s*p\s*=([^;]*)/.exec(record)?.[1]?.replace(/\s+/g, '') ?? record;
  return createHash('sha256').update(`${domain}\0${selector}\0${p}`).digest('hex').slice(0, 16);
}

export interface PreparedImport {
  format: string;
  keys: StoredKey[];
  rejected: { where: string; reason: string }[];
}

export function prepareKeys(entries: KeyEntry[], source: { kind: string; name: string }, now: Date): StoredKey[] {
  return entries.map((e) => ({
    id: keyId(e.domain, e.selector, e.record),
    domain: e.domain,
    selector: e.selector,
    record: e.record,
    sourceKind: source.kind,
    source: source.name,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    importedAt: now.toISOString(),
  }));
}

export function prepareImport(text: string, sourceName: string, now: Date): PreparedImport {
  let parsed;
  try {
    parsed = parseKeyFile(text);
  } catch (err) {
    return { format: 'unknown', keys: [], rejected: [{ where: sourceName, reason: `not a zone file, dig output or JSON key list: ${(err as Error).message}` }] };
  }
  const rejected = [...parsed.rejected];
  const valid: KeyEntry[] = [];
  for (const e of parsed.keys) {
    const r = parseKeyRecord(e.record);
    if (r.ok) valid.push(e);
    else rejected.push({ where: `${e.selector}._domainkey.${e.domain}`, reason: r.reason });
  }
  const kind = parsed.format === 'dig' ? 'dns' : 'file';
  return { format: parsed.format, keys: prepareKeys(valid, { kind, name: sourceName }, now), rejected };
}
