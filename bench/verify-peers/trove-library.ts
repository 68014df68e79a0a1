/**
 * trove's DKIM engine at library level: `verifyMessage` on each file, keys imported from keys.zone and
 * turned into a lookup once per thread (as `trove verify` does with its key snapshot). A worker
 * thread of bench/verify.ts; reports trove's verdict counts besides the per-message letters.
 */
import { readFileSync } from 'node:fs';
import { verifyMessage } from '../../src/dkim/verify-message.ts';
import { buildKeyLookup } from '../../src/keys/key-lookup.ts';
import { prepareImport } from '../../src/keys/import-keys.ts';
import { serve, type Code } from './harness.ts';
import { letterOf } from './trove-letter.ts';

serve(({ zone, asOf }) => {
  const imported = prepareImport(zone, 'keys.zone', new Date());
  if (imported.keys.length === 0) throw new Error(`trove imported no key from keys.zone (${imported.rejected.map((r) => r.reason).join('; ')})`);
  const keys = buildKeyLookup(imported.keys);
  const options = { keys, asOf: new Date(asOf) };
  let verdicts: Record<string, number> = {};

  const verifyFile = (path: string): Code => {
    const v = verifyMessage(readFileSync(path), options);
    verdicts[v.verdict] = (verdicts[v.verdict] ?? 0) + 1;
    return letterOf(v);
  };
  return {
    verify: verifyFile,
    async: false,
    extra: () => verdicts,
    reset: () => {
      verdicts = {};
    },
  };
});
