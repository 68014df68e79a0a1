/**
 * One verdict per email from its signatures (ARCHITECTURE.md "Verdicts"): the strongest evidence any
 * signature gives, in the vocabulary's order.
 */
import type { EmailVerdict, SignatureResult } from './result.ts';

export const VERDICT_ORDER: readonly EmailVerdict[] = [
  'authentic',
  'authentic-third-party',
  'weak-key',
  'recovered-key',
  'body-modified',
  'headers-modified',
  'key-unavailable',
  'unsigned',
  'malformed',
];

/** Where keys recovered from the trove's own signatures come from (the key recovery issue). */
export const RECOVERED_KEY_SOURCE = 'recovered-from-trove';

export function signatureVerdict(r: SignatureResult): EmailVerdict {
  switch (r.status) {
    case 'pass':
      if (r.key?.sourceKind === RECOVERED_KEY_SOURCE) return 'recovered-key';
      if (r.weakKey) return 'weak-key';
      return r.aligned ? 'authentic' : 'authentic-third-party';
    case 'body-modified':
      return 'body-modified';
    case 'headers-modified':
      return 'headers-modified';
    case 'key-unavailable':
    case 'key-revoked':
    case 'key-invalid':
      return 'key-unavailable';
    case 'malformed':
      return 'malformed';
  }
}

export function messageVerdict(signatures: SignatureResult[]): { verdict: EmailVerdict; deciding: SignatureResult | null } {
  let best: { verdict: EmailVerdict; deciding: SignatureResult | null } = { verdict: 'unsigned', deciding: null };
  for (const s of signatures) {
    const v = signatureVerdict(s);
    if (best.deciding === null || VERDICT_ORDER.indexOf(v) < VERDICT_ORDER.indexOf(best.verdict)) best = { verdict: v, deciding: s };
  }
  return best;
}
