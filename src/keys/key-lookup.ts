/** The verifier's view of the key store: (domain, selector) -> parsed keys with their provenance. */
import { RECOVERED_KEY_SOURCE } from '../dkim/verdict.ts';
import type { KeyCandidate, KeyLookup } from '../dkim/verify.ts';
import type { StoredKey } from '../store/store.ts';
import { parseKeyRecord } from './key-record.ts';

/** Plain words for where a key came from, as the evidence quotes it. */
export function describeKeySource(k: StoredKey): string {
  const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : 'an unknown date');
  switch (k.sourceKind) {
    case 'dns':
      return `fetched from DNS on ${day(k.lastSeen)}`;
    case RECOVERED_KEY_SOURCE:
      return `recovered from the trove's own signatures (${k.source})`;
    case 'archive':
      return `from the archive ${k.source}${k.firstSeen ? `, seen ${day(k.firstSeen)}` : ''}`;
    default:
      return `imported from ${k.source}`;
  }
}

export function buildKeyLookup(keys: StoredKey[]): KeyLookup {
  const byName = new Map<string, KeyCandidate[]>();
  for (const k of keys) {
    const parsed = parseKeyRecord(k.record);
    if (!parsed.ok) continue;
    const name = `${k.domain}|${k.selector}`;
    const list = byName.get(name) ?? [];
    list.push({ id: k.id, record: parsed.record, source: describeKeySource(k), sourceKind: k.sourceKind });
    byName.set(name, list);
  }
  // The engine uses the first key that verifies: a key from a dated source (import, DNS, archive) is
  // tried before one recovered from the trove, so that importing the same key upgrades the verdicts.
  for (const list of byName.values()) list.sort((a, b) => Number(a.sourceKind === RECOVERED_KEY_SOURCE) - Number(b.sourceKind === RECOVERED_KEY_SOURCE));
  return (domain, selector) => byName.get(`${domain}|${selector}`) ?? [];
}
