/** `trove keys import|list|fetch`: the case's offline DKIM key store. */
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors.ts';
import { prepareImport, prepareKeys } from '../keys/import-keys.ts';
import { parseKeyRecord } from '../keys/key-record.ts';
import { describeKeySource } from '../keys/key-lookup.ts';
import { openCase } from '../store/case-dir.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK } from './exit-codes.ts';
import { runVerify, verdictLine } from './verify.ts';

/** A DNS query gets this long before the lookup counts as unanswered (offline machines must not hang). */
const DNS_TIMEOUT_MS = 3000;

async function reverify(caseDir: string, pairs: { domain: string; selector: string }[]): Promise<string> {
  const c = openCase(caseDir, { create: false });
  const n = await c.store.invalidateVerifications(pairs);
  await c.store.close();
  if (n === 0) return 'No message in the case is signed with these selectors yet.';
  const p = await runVerify(caseDir, {});
  return `Re-verified the ${p.done} messages these keys affect: ${verdictLine(p)}.`;
}

export async function runImport(file: string, opts: { case: string }): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError('unreadable-key-file', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const prepared = prepareImport(text, basename(file), new Date());
  const c = openCase(opts.case, { create: true });
  const { added, known } = await c.store.putKeys(prepared.keys);
  await c.store.close();
  console.log(`Read ${prepared.keys.length} keys from ${file} (${prepared.format}): ${added} new, ${known} already in the key store.`);
  for (const r of prepared.rejected) console.log(`  skipped ${r.where}: ${r.reason}`);
  const pairs = [...new Map(prepared.keys.map((k) => [`${k.domain}|${k.selector}`, { domain: k.domain, selector: k.selector }])).values()];
  if (added > 0) console.log(await reverify(opts.case, pairs));
  return prepared.rejected.length > 0 && prepared.keys.length === 0 ? EXIT_ITEMS_FAILED : EXIT_OK;
}

export async function runList(opts: { case: string; json?: boolean }): Promise<number> {
  const c = openCase(opts.case, { create: false });
  try {
    const keys = await c.store.keyUsage();
    const rows = keys.map((k) => {
      const parsed = parseKeyRecord(k.record);
      const r = parsed.ok ? parsed.record : null;
      return {
        ...k,
        keyType: r?.keyType ?? null,
        bits: r?.bits ?? null,
        revoked: r?.revoked ?? false,
        fingerprint: r?.fingerprint ?? null,
        description: describeKeySource(k),
      };
    });
    if (opts.json) {
      console.log(JSON.stringify(rows, null, 2));
      return EXIT_OK;
    }
    if (rows.length === 0) console.log('The key store is empty. Import keys with `trove keys import FILE` (zone file, dig output or JSON).');
    for (const k of rows) {
      const kind = k.revoked ? 'REVOKED' : k.keyType === 'ed25519' ? 'Ed25519' : `${k.bits}-bit RSA${(k.bits ?? 0) < 1024 ? ' (weak)' : ''}`;
      const seen = k.firstSeen || k.lastSeen ? ` seen ${k.firstSeen?.slice(0, 10) ?? '?'} to ${k.lastSeen?.slice(0, 10) ?? '?'}` : '';
      console.log(`${k.selector}._domainkey.${k.domain}  ${kind}  ${k.description}${seen}  verifies ${k.verifies} message${k.verifies === 1 ? '' : 's'}  [${k.id}]`);
    }
    const missing = (await c.store.signers()).filter((s) => !keys.some((k) => k.domain === s.domain && k.selector === s.selector));
    if (missing.length) {
      console.log(`\nNo key yet for ${missing.length} selector${missing.length === 1 ? '' : 's'} that sign messages in this case:`);
      for (const m of missing.slice(0, 50)) console.log(`  ${m.selector}._domainkey.${m.domain}  (${m.messages} messages)`);
    }
    return EXIT_OK;
  } finally {
    await c.store.close();
  }
}

export async function runFetch(opts: { case: string; server?: string }): Promise<number> {
  const c = openCase(opts.case, { create: false });
  const signers = await c.store.signers();
  await c.store.close();
  if (signers.length === 0) {
    console.log('No signed message in the case yet: nothing to fetch. Run `trove ingest` first.');
    return EXIT_OK;
  }
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 1 });
  if (opts.server) {
    try {
      resolver.setServers([opts.server]);
    } catch {
      throw new UserError('bad-dns-server', `--server takes an IP address with an optional port (9.9.9.9 or 127.0.0.1:5353), not "${opts.server}".`);
    }
  }
  const now = new Date();
  const found = [];
  let unanswered = 0;
  let absent = 0;
  for (const s of signers) {
    const name = `${s.selector}._domainkey.${s.domain}`;
    try {
      const txt = (await resolver.resolveTxt(name)).map((parts) => parts.join('')).filter((t) => /p=/.test(t));
      if (txt.length === 0) absent++;
      for (const record of txt) found.push({ domain: s.domain, selector: s.selector, record, firstSeen: now.toISOString(), lastSeen: now.toISOString() });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') absent++;
      else unanswered++;
      if (unanswered >= 2 && found.length === 0 && absent === 0) {
        throw new UserError('dns-unreachable', `DNS does not answer from this machine (${code}): \`trove keys fetch\` needs network access. Offline, import keys from a file instead: \`trove keys import keys.zone\`.`);
      }
    }
  }
  const keys = prepareKeys(found.filter((k) => parseKeyRecord(k.record).ok), { kind: 'dns', name: 'DNS' }, now);
  const c2 = openCase(opts.case, { create: false });
  const { added } = await c2.store.putKeys(keys);
  await c2.store.close();
  console.log(`Looked up ${signers.length} selectors on ${now.toISOString().slice(0, 10)}: ${keys.length} keys published today (${added} new), ${absent} no longer published, ${unanswered} unanswered.`);
  if (added > 0) console.log(await reverify(opts.case, keys.map((k) => ({ domain: k.domain, selector: k.selector }))));
  return EXIT_OK;
}
