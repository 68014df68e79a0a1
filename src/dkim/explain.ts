/** Verdicts in plain words a journalist can quote (`trove show`, the HTML report). */
import { describeRepair } from './repairs.ts';
import type { EmailVerdict, SignatureResult } from './result.ts';

function keyWords(r: SignatureResult): string {
  const k = r.key;
  if (!k) return `key ${r.selector}`;
  const kind = k.type === 'ed25519' ? 'Ed25519' : `${k.bits}-bit RSA`;
  return `key ${r.selector} (${kind}, ${k.source})`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "on 2 Mar 2017" (UTC). Not Intl: a formatter per message cost as much as the RSA check. */
function when(r: SignatureResult): string {
  if (!r.timestamp) return '';
  const d = new Date(r.timestamp);
  return ` on ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function explainVerdict(verdict: EmailVerdict, r: SignatureResult | null, all: SignatureResult[]): string {
  const repairs = r && r.repairs.length > 0 ? ` (after undoing transport damage: ${r.repairs.map(describeRepair).join('; ')})` : '';
  const partial = r && r.bodyLength !== null && r.unsignedBodyBytes > 0 ? ` Only the first ${r.bodyLength} bytes of the body are signed; ${r.unsignedBodyBytes} bytes after them are not covered.` : '';
  const unsigned = r && r.unsignedHeaders.length > 0 ? ` Not covered by the signature: ${r.unsignedHeaders.map((h) => `${h}:`).join(', ')}.` : '';
  const sha1 = r?.weakAlgorithm ? ' It was signed with rsa-sha1, an algorithm RFC 8301 retired for new signatures.' : '';
  switch (verdict) {
    case 'authentic':
      return `Signed by ${r!.domain} with ${keyWords(r!)}. Headers and body match the signature${repairs}: this message is unchanged since ${r!.domain} sent it${when(r!)}.${partial}${unsigned}${sha1}`;
    case 'authentic-third-party':
      return `Signed by ${r!.domain} with ${keyWords(r!)}, which is not the sender's domain (${r!.fromDomain ?? 'none'}): a mailing list, sending service or forwarder vouches for it${repairs}, not the sender's own domain.${partial}${unsigned}`;
    case 'weak-key':
      return `The signature by ${r!.domain} verifies${repairs}, but with ${keyWords(r!)}, a key short enough to be forged: it proves little.${partial}`;
    case 'recovered-key':
      return `The signature by ${r!.domain} verifies under a key recovered from the trove's own signatures${repairs}: the message is unchanged since signed by that key holder, but nothing proves the key was ${r!.domain}'s.`;
    case 'body-modified':
      return `Signed by ${r!.domain} with ${keyWords(r!)}: the signed headers are genuine, but the body was altered after signing.`;
    case 'headers-modified':
      return `Signed by ${r!.domain} with ${keyWords(r!)}, but ${r!.reason.charAt(0).toLowerCase()}${r!.reason.slice(1)}`;
    case 'key-unavailable':
      return `Signed by ${all.map((s) => `${s.domain} (selector ${s.selector})`).join(', ')}, but no key for it is in the key store: it cannot be checked yet. Import the key (trove keys import), or recover it from the trove's own signatures (trove keys recover), to verify it.`;
    case 'unsigned':
      return 'The message carries no DKIM signature: nothing proves or disproves it.';
    case 'malformed':
      return `The signature cannot be read: ${r?.reason ?? 'the message could not be parsed.'}`;
  }
}
