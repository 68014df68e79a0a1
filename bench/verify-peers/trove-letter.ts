/** The benchmark's one-letter summary (see Code in harness.ts) of trove's verification of a message. */
import type { MessageVerification } from '../../src/dkim/result.ts';
import type { Code } from './harness.ts';

export function letterOf(v: MessageVerification): Code {
  if (v.signatures.length === 0) return 'n';
  let code: Code = 'f';
  for (const s of v.signatures) {
    if (s.signature !== 'pass' || s.bodyHash !== 'pass') continue;
    if (s.repairs.length > 0) code = 'r';
    else if (!s.expired) return 'p';
    else if (code === 'f') code = 'x';
  }
  return code;
}
