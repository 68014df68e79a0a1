/**
 * mailauth's `dkimVerify` on each file, offline: its resolver answers TXT queries from keys.zone (no
 * network). mailauth fetches and parses the key for every signature, as it does in production. A
 * worker thread of bench/verify.ts.
 */
import { readFileSync } from 'node:fs';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { serve, type Code } from './harness.ts';
import { parseZone } from './zone.ts';

serve(({ zone, asOf }) => {
  const records = parseZone(zone);
  const resolver = async (name: string, rrtype: string): Promise<string[][]> => {
    const txt = rrtype.toUpperCase() === 'TXT' ? records.get(name.toLowerCase().replace(/\.$/, '')) : undefined;
    if (txt === undefined) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return [[txt]];
  };
  const options = { resolver, curTime: new Date(asOf) };

  const verifyFile = async (path: string): Promise<Code> => {
    const r = await dkimVerify(readFileSync(path), options);
    const results = r.results.filter((x) => x.status?.result !== 'none');
    if (results.length === 0) return 'n';
    return results.some((x) => x.status?.result === 'pass') ? 'p' : 'f';
  };
  return { verify: verifyFile, async: true };
});
