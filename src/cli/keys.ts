/** `trove keys import|list|fetch|recover`: the case's offline DKIM key store. */
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { MessageCheck } from '../dkim/recover-key.ts';
import { RECOVERED_KEY_SOURCE } from '../dkim/verdict.ts';
import { UserError } from '../errors.ts';
import { prepareImport, prepareKeys } from '../keys/import-keys.ts';
import { parseKeyRecord } from '../keys/key-record.ts';
import { describeKeySource } from '../keys/key-lookup.ts';
import { planRecovery, recoverCase, type CaseRecoveryProgress, type SelectorOutcome, type SelectorPlan } from '../keys/recover-case.ts';
import { openCase } from '../store/case-dir.ts';
import { idOf } from '../store/store.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';
import { formatDuration } from './progress.ts';
import { provenanceLine, runVerify, verdictLine, type VerifyRun } from './verify.ts';

/** A DNS query gets this long before the lookup counts as unanswered (offline machines must not hang). */
const DNS_TIMEOUT_MS = 3000;

/** Forgets the verifications these selectors affect and runs them again; null when nothing is signed with them. */
async function reverifyPairs(caseDir: string, pairs: { domain: string; selector: string }[], quiet = false): Promise<VerifyRun | null> {
  const c = openCase(caseDir, { create: false });
  const n = await c.store.invalidateVerifications(pairs);
  await c.store.close();
  return n === 0 ? null : runVerify(caseDir, { quiet });
}

async function reverify(caseDir: string, pairs: { domain: string; selector: string }[]): Promise<string> {
  const p = await reverifyPairs(caseDir, pairs);
  if (p === null) return 'No message in the case is signed with these selectors yet.';
  return `Re-verified the ${p.done} messages these keys affect: ${verdictLine(p)}.\nDocuments: ${provenanceLine(p.provenance)}.`;
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
        /** SHA-256 of the DER SubjectPublicKeyInfo, hex. */
        fingerprint: r?.fingerprint ?? null,
        p: r?.p ?? null,
        description: describeKeySource(k),
      };
    });
    // A recovered key that a dated source also holds is confirmed by it: say so beside it.
    const confirmedBy = (k: (typeof rows)[number]): string[] =>
      k.sourceKind === RECOVERED_KEY_SOURCE && k.fingerprint
        ? rows.filter((o) => o !== k && o.sourceKind !== RECOVERED_KEY_SOURCE && o.domain === k.domain && o.selector === k.selector && o.fingerprint === k.fingerprint).map((o) => o.description)
        : [];
    if (opts.json) {
      console.log(JSON.stringify(rows, null, 2));
      return EXIT_OK;
    }
    if (rows.length === 0) console.log('The key store is empty. Import keys with `trove keys import FILE` (zone file, dig output or JSON).');
    for (const k of rows) {
      const kind = k.revoked ? 'REVOKED' : k.keyType === 'ed25519' ? 'Ed25519' : `${k.bits}-bit RSA${(k.bits ?? 0) < 1024 ? ' (weak)' : ''}`;
      const seen = k.firstSeen || k.lastSeen ? ` seen ${k.firstSeen?.slice(0, 10) ?? '?'} to ${k.lastSeen?.slice(0, 10) ?? '?'}` : '';
      console.log(`${k.selector}._domainkey.${k.domain}  ${kind}  ${k.description}${seen}  verifies ${k.verifies} message${k.verifies === 1 ? '' : 's'}  [${k.id}]`);
      const confirmed = confirmedBy(k);
      if (confirmed.length) console.log(`  the same key is ${confirmed.join(', ')}`);
      if (k.fingerprint) console.log(`  fingerprint ${k.fingerprint}  (SHA-256 of the SubjectPublicKeyInfo, hex)`);
      if (k.p) console.log(`  p=${k.p}`);
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

/** The gcd takes about this many times as long as raising the two signatures to e (measured: 27-30× at 512 to 2048 bits). */
const GCD_PER_POWER = 30;
/** Without a terminal, a progress line at most this often (besides one per phase). */
const RECOVER_PLAIN_INTERVAL_MS = 30_000;
/** Messages listed per selector in text output (all of them are in --json). */
const LISTED_MESSAGES = 50;

const selectorName = (p: { domain: string; selector: string }): string => `${p.selector}._domainkey.${p.domain}`;

function phaseWords(slot: CaseRecoveryProgress['running'][number], now: number): string {
  const p = slot.progress;
  const name = `${selectorName(slot.plan)}${p?.modulusBits ? ` (${p.modulusBits}-bit)` : ''}`;
  if (!p) return `${name}: starting`;
  const inPhase = now - slot.phaseStartedMs;
  const pair = p.attempt > 1 ? ` (pair ${p.attempt})` : '';
  switch (p.phase) {
    case 'reading':
      return `${name}: reading ${p.done}/${p.total} signatures`;
    case 'power':
      return `${name}: s^65537 of two signatures${pair}`;
    case 'gcd': {
      const left = (p.powerMs ?? 0) * GCD_PER_POWER - inPhase;
      const eta = left > 0 ? `~${formatDuration(left)} left` : 'longer than estimated';
      return `${name}: gcd of two ${Math.round(((p.modulusBits ?? 0) * 65537) / 1e6)}M-bit numbers${pair}, ${formatDuration(inPhase)}, ${eta}`;
    }
    case 'checking':
      return `${name}: checking ${p.done}/${p.total} messages under the key`;
  }
}

/** Progress on stderr: a redrawn line on a terminal, a plain line per phase (and every 30 s) otherwise. */
function recoverProgressView(): { update: (p: CaseRecoveryProgress) => void; clear: () => void; stop: () => void } {
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  let last: CaseRecoveryProgress | null = null;
  let lastPlain = 0;
  const seen = new Map<string, string>();
  const draw = (): void => {
    if (!last) return;
    const now = Date.now();
    const line = `keys ${last.done}/${last.total} · ${last.running.map((s) => phaseWords(s, now)).join(' · ')}`;
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
  };
  const timer = setInterval(() => {
    if (tty) draw();
    else if (last && Date.now() - lastPlain >= RECOVER_PLAIN_INTERVAL_MS) {
      lastPlain = Date.now();
      for (const s of last.running) process.stderr.write(`trove: ${phaseWords(s, lastPlain)}\n`);
    }
  }, 1000);
  timer.unref();
  return {
    update: (p) => {
      last = p;
      if (tty) return draw();
      for (const s of p.running) {
        const key = selectorName(s.plan);
        const phase = `${s.progress?.phase ?? 'starting'}|${s.progress?.attempt ?? 0}`;
        if (seen.get(key) === phase) continue;
        seen.set(key, phase);
        lastPlain = Date.now();
        process.stderr.write(`trove: ${phaseWords(s, lastPlain)}\n`);
      }
    },
    /** Erases the line (before output on stdout); the next update draws it again. */
    clear: () => {
      if (tty) process.stderr.write('\r\x1b[K');
    },
    stop: () => {
      clearInterval(timer);
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

const NOT_VERIFYING: Record<string, string> = {
  'headers-modified': 'its header signature does not verify under the recovered key: signed with another key, or its signed headers were changed',
  'body-modified': 'its signed headers verify under the recovered key, but the body was altered after signing',
};

interface SelectorReport {
  domain: string;
  selector: string;
  status: 'recovered' | 'needs-two-signatures' | 'ed25519' | 'no-common-key' | 'failed' | 'cancelled' | 'not-started';
  /** Messages in the case that carry this selector's signature. */
  messages: number;
  reason: string | null;
  key: { id: string; bits: number; fingerprint: string; fingerprintFormat: 'sha256-spki-hex'; p: string; record: string; source: string } | null;
  /** Item ids of the signatures the key was computed and confirmed from. */
  messagesUsed: string[];
  verified: number;
  notVerifying: { id: string; sha256: string; path: string | null; status: string; reason: string }[];
  gcdAttempts: number;
  seconds: number;
}

function singleReport(plan: SelectorPlan): SelectorReport {
  return {
    domain: plan.domain, selector: plan.selector, status: 'needs-two-signatures', messages: plan.messages.length,
    reason: `needs at least two signed messages; the case has one (${plan.messages.map(idOf).join(', ')})`,
    key: null, messagesUsed: [], verified: 0, notVerifying: [], gcdAttempts: 0, seconds: 0,
  };
}

async function outcomeReport(o: SelectorOutcome, pathOf: (sha256: string) => Promise<string | null>): Promise<SelectorReport> {
  const base: SelectorReport = {
    domain: o.plan.domain, selector: o.plan.selector, status: 'not-started', messages: o.plan.messages.length, reason: null,
    key: null, messagesUsed: [], verified: 0, notVerifying: [], gcdAttempts: 0, seconds: Math.round(o.elapsedMs / 100) / 10,
  };
  if (o.state === 'failed') return { ...base, status: 'failed', reason: o.error };
  if (o.state !== 'done') return { ...base, status: o.state, reason: o.state === 'cancelled' ? 'stopped by the user before the key was found' : 'not started: the run was stopped' };
  const r = o.result;
  const listed = async (m: MessageCheck): Promise<SelectorReport['notVerifying'][number]> => ({ id: idOf(m.sha256), sha256: m.sha256, path: await pathOf(m.sha256), status: m.status, reason: m.reason });
  if (!r.ok) return { ...base, status: r.code, reason: r.reason, gcdAttempts: r.gcdAttempts, notVerifying: await Promise.all(r.unusable.map(listed)) };
  return {
    ...base,
    status: 'recovered',
    key: { id: o.keyId!, bits: r.key.bits, fingerprint: r.key.fingerprint, fingerprintFormat: 'sha256-spki-hex', p: r.key.p, record: r.key.record, source: `recovered from ${r.used.length} signatures: ${r.used.map(idOf).join(', ')}` },
    messagesUsed: r.used.map(idOf),
    verified: r.verified.length,
    notVerifying: await Promise.all(r.notVerifying.map(listed)),
    gcdAttempts: r.gcdAttempts,
  };
}

function printReport(r: SelectorReport): void {
  const name = selectorName(r);
  if (r.status !== 'recovered' || !r.key) {
    console.log(`${name}: not recovered: ${r.reason}.`);
    for (const m of r.notVerifying.slice(0, LISTED_MESSAGES)) console.log(`    ${m.id}  ${m.path ?? ''}  ${m.reason}`);
    return;
  }
  console.log(`${name}: recovered a ${r.key.bits}-bit RSA key from ${r.messagesUsed.length} signatures (messages ${r.messagesUsed.join(', ')}) in ${formatDuration(r.seconds * 1000)}`);
  console.log(`  fingerprint ${r.key.fingerprint}  (SHA-256 of the SubjectPublicKeyInfo, hex)`);
  console.log(`  p=${r.key.p}`);
  console.log(`  verifies ${r.verified} of the ${r.messages} messages signed with this selector${r.notVerifying.length ? `; ${r.notVerifying.length} do${r.notVerifying.length === 1 ? 'es' : ''} not verify under it:` : '.'}`);
  for (const m of r.notVerifying.slice(0, LISTED_MESSAGES)) {
    console.log(`    ${m.id}  ${m.path ?? ''}\n      ${m.status}: ${NOT_VERIFYING[m.status] ?? m.reason}`);
  }
  if (r.notVerifying.length > LISTED_MESSAGES) console.log(`    ... and ${r.notVerifying.length - LISTED_MESSAGES} more (all of them are in --json)`);
}

function parseWorkers(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UserError('bad-workers', `--workers takes a whole number from 1 to 64, not "${value}".`);
  return n;
}

export async function runRecover(opts: { case: string; json?: boolean; workers?: string }): Promise<number> {
  const workers = parseWorkers(opts.workers);
  const first = openCase(opts.case, { create: false });
  const unverified = (await first.store.emailsToVerify()).length;
  await first.store.close();
  // Which selectors sign what is known from verification: emails not verified yet are verified first.
  if (unverified > 0) {
    process.stderr.write(`trove: verifying ${unverified} emails first (recovery works from verified signatures)\n`);
    await runVerify(opts.case, { quiet: opts.json });
  }
  const c = openCase(opts.case, { create: false });
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++interrupts > 1) {
      // A second Ctrl-C: leave at once, as without a handler.
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.kill(process.pid, signal);
      return;
    }
    process.stderr.write('\ntrove: stopping: the recoveries under way are abandoned (nothing of them is stored); press Ctrl-C again to quit at once\n');
    controller.abort();
  };
  let reports: SelectorReport[];
  let storedPairs: { domain: string; selector: string }[];
  let cancelled: boolean;
  const view = recoverProgressView();
  try {
    const plan = await planRecovery(c.store);
    const pathOf = async (sha256: string): Promise<string | null> => (await c.store.item(sha256))?.paths[0] ?? null;
    const singles = plan.single.map(singleReport);
    if (!opts.json) {
      if (plan.recover.length === 0 && plan.single.length === 0) console.log('Every selector that signs a message in this case has a key in the key store: nothing to recover.');
      else if (plan.recover.length > 0) {
        console.log(`Recovering the keys of ${plan.recover.length} selector${plan.recover.length === 1 ? '' : 's'} without a key, from their signatures (per pair of signatures, about 15 s per 1024 bits of key with native GMP, a minute with the WebAssembly fallback; Ctrl-C stops cleanly).`);
      }
      for (const r of singles) printReport(r);
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const printed: Promise<SelectorReport>[] = [];
    const result = await recoverCase(c, plan.recover, {
      workers,
      asOf: new Date(),
      signal: controller.signal,
      onProgress: (p) => view.update(p),
      onOutcome: (o) => {
        const report = outcomeReport(o, pathOf);
        printed.push(report);
        if (!opts.json) {
          void report.then((r) => {
            view.clear();
            printReport(r);
          });
        }
      },
    });
    await Promise.all(printed);
    reports = [...(await Promise.all(result.outcomes.map((o) => outcomeReport(o, pathOf)))), ...singles];
    storedPairs = result.stored.map((k) => ({ domain: k.domain, selector: k.selector }));
    cancelled = result.cancelled;
  } finally {
    view.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await c.store.close();
  }
  const failed = reports.filter((r) => r.status === 'failed').length;
  if (cancelled) {
    if (opts.json) console.log(JSON.stringify({ selectors: reports, recovered: storedPairs.length, cancelled: true, reverified: null }, null, 2));
    console.error(`trove: stopped by the user. ${storedPairs.length ? `${storedPairs.length} key${storedPairs.length === 1 ? ' was' : 's were'} recovered and stored before that; run \`trove verify\` to check the messages they affect. ` : 'No key was stored. '}Run \`trove keys recover\` again to recover the others.`);
    return EXIT_USER_ERROR;
  }
  const reverified = storedPairs.length ? await reverifyPairs(opts.case, storedPairs, opts.json) : null;
  if (opts.json) {
    console.log(JSON.stringify({ selectors: reports, recovered: storedPairs.length, cancelled: false, reverified }, null, 2));
    return failed ? EXIT_ITEMS_FAILED : EXIT_OK;
  }
  if (reverified) console.log(`Re-verified the ${reverified.done} messages these keys affect: ${verdictLine(reverified)}.\nDocuments: ${provenanceLine(reverified.provenance)}.`);
  if (storedPairs.length) {
    console.log(
      'A recovered key shows that the messages it verifies were signed by one key holder and not changed since, not that the key was the domain\'s: ' +
        'their verdict is recovered-key. Compare the fingerprint or p= with a public key archive; importing the domain\'s key from a dated source (`trove keys import`) upgrades them.',
    );
  }
  return failed ? EXIT_ITEMS_FAILED : EXIT_OK;
}
