/**
 * A message's DKIM verification: every signature checked, failures retried after undoing known
 * transport damage, one verdict with the signature that decided it and a sentence that explains it.
 */
import { repairedVariants } from './repairs.ts';
import type { MessageVerification, SignatureResult } from './result.ts';
import { messageVerdict } from './verdict.ts';
import { verifySignatures, type VerifyOptions } from './verify.ts';
import { explainVerdict } from './explain.ts';

const REPAIRABLE = new Set(['body-modified', 'headers-modified', 'malformed']);
/** How much of a signature checks out: a repair is kept only when it makes more of it verify. */
function checked(r: SignatureResult): number {
  return (r.signature === 'pass' ? 2 : 0) + (r.bodyHash === 'pass' ? 1 : 0);
}

export function verifyMessage(bytes: Uint8Array, options: VerifyOptions): MessageVerification {
  const message = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const results: SignatureResult[] = verifySignatures(message, options);
  const open = new Set(results.map((r, i) => (REPAIRABLE.has(r.status) && r.domain !== null ? i : -1)).filter((i) => i >= 0));
  if (open.size > 0) {
    const failing = [...open].map((i) => results[i]!);
    const simple = { header: failing.some((r) => r.headerCanon !== 'relaxed'), body: failing.some((r) => r.bodyCanon !== 'relaxed') };
    for (const variant of repairedVariants(message, simple)) {
      const repaired = verifySignatures(variant.message, options);
      for (const i of open) {
        const r = repaired[i];
        const before = results[i]!;
        if (!r || r.domain !== before.domain || r.selector !== before.selector) continue;
        // Undoing transport damage may show that only the body was altered: that is kept too, and
        // the search goes on in case another repair explains everything.
        if (checked(r) > checked(before)) results[i] = { ...r, repairs: variant.repairs };
        if (checked(r) === 3) open.delete(i);
      }
      if (open.size === 0) break;
    }
  }
  const { verdict, deciding } = messageVerdict(results);
  return { verdict, summary: explainVerdict(verdict, deciding, results), signatures: results, shownNotSigned: [] };
}
