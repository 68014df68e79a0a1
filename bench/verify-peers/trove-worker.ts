/**
 * What a `trove verify` worker does per message (src/ingest/worker-tasks.ts, request 'verify'),
 * without the pool, the blob store or SQLite: read, `verifyMessage`, then `compareShownWithSigned`
 * (MIME-decodes the stored and the signed body where relaxed canonicalization may have hidden a change).
 * Between the engine row and the CLI row, it tells how much of the CLI's time is the per-message work
 * and how much the rest of the command. A worker thread of bench/verify.ts.
 */
import { readFileSync } from 'node:fs';
import { verifyMessage } from '../../src/dkim/verify-message.ts';
import { compareShownWithSigned } from '../../src/dkim/shown-vs-signed.ts';
import { buildKeyLookup } from '../../src/keys/key-lookup.ts';
import { prepareImport } from '../../src/keys/import-keys.ts';
import { serve, type Code } from './harness.ts';
import { letterOf } from './trove-letter.ts';

serve(({ zone, asOf }) => {
  const imported = prepareImport(zone, 'keys.zone', new Date());
  if (imported.keys.length === 0) throw new Error(`trove imported no key from keys.zone (${imported.rejected.map((r) => r.reason).join('; ')})`);
  const options = { keys: buildKeyLookup(imported.keys), asOf: new Date(asOf) };
  let counts: Record<string, number> = {};

  const verifyFile = async (path: string): Promise<Code> => {
    const bytes = readFileSync(path);
    const v = verifyMessage(bytes, options);
    v.shownNotSigned = await compareShownWithSigned(bytes, v);
    if (v.shownNotSigned.length > 0) v.summary = `WARNING: ${v.shownNotSigned.join(' ')} ${v.summary}`;
    counts[v.verdict] = (counts[v.verdict] ?? 0) + 1;
    if (v.shownNotSigned.length > 0) counts['(shown differs from signed)'] = (counts['(shown differs from signed)'] ?? 0) + 1;
    return letterOf(v);
  };
  return {
    verify: verifyFile,
    async: true,
    extra: () => counts,
    reset: () => {
      counts = {};
    },
  };
});
