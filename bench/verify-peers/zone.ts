/**
 * A deliberately small reader of the generator's `keys.zone` for the benchmark's peers: owner name
 * (lower case, no trailing dot) -> TXT text, quoted strings joined. Independent of trove's own key
 * import, so that the peers do not share trove's parsing.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

export function parseZone(text: string): Map<string, string> {
  const out = new Map<string, string>();
  // Parenthesised records spanning lines are joined first; comments (outside quotes) dropped.
  const joined = text.split(/\r?\n/).map((l) => l.replace(/^((?:[^";]|"(?:[^"\\]|\\.)*")*);.*$/, '$1')).join('\n').replace(/\(([^)]*)\)/g, (_, inner: string) => inner.replace(/\n/g, ' '));
  for (const line of joined.split('\n')) {
    const m = /^(\S+)\s+(?:\d+\s+)?(?:IN\s+)?TXT\s+(.*)$/i.exec(line.trim());
    if (!m) continue;
    const strings = [...m[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => s[1]!.replace(/\\(.)/g, '$1'));
    out.set(m[1]!.toLowerCase().replace(/\.$/, ''), strings.join(''));
  }
  return out;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The public key of a DKIM key record (`k=rsa` SPKI or `k=ed25519` raw), or null when there is none. */
export function keyObjectOf(record: string): KeyObject | null {
  const tags = new Map(record.split(';').map((t) => {
    const eq = t.indexOf('=');
    return [t.slice(0, eq).trim(), t.slice(eq + 1).replace(/\s+/g, '')] as const;
  }));
  const p = tags.get('p');
  if (!p) return null;
  const der = Buffer.from(p, 'base64');
  try {
    if ((tags.get('k') ?? 'rsa') === 'ed25519') return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: 'der', type: 'spki' });
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}
