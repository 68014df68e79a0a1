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

export function verifyMessage(bytes: Uint8Array, options: VerifyOptions): MessageVerification {
  const message = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const results: SignatureResult[] = verifySignatures(message, options);
  const failing = results.map((r, i) => (REPAIRABLE.has(r.status) && r.domain !== null ? i : -1)).filter((i) => i >= 0);
  if (failing.length > 0) {
    const open = new Set(failing);
    for (const variant of repairedVariants(message)) {
      const repaired = verifySignatures(variant.message, options);
      for (const i of open) {
        const r = repaired[i];
        if (r && r.status === 'pass' && r.domain === results[i]!.domain && r.selector === results[i]!.selector) {
          results[i] = { ...r, repairs: variant.repairs };
          open.delete(i);
        }
      }
      if (open.size === 0) break;
    }
  }
  const { verdict, deciding } = messageVerdict(results);
  return { verdict, summary: explainVerdict(verdict, deciding, results), signatures: results, shownNotSigned: [] };
}
