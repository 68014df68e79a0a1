/**
 * `trove keys recover` end to end, in child processes on real case directories: a selector's key is
 * withheld from the key store, recovered from the trove's own signatures, and its messages turn from
 * key-unavailable into recovered-key; a forger's message under the same selector is flagged; a later
 * import of the real key upgrades the verdicts to authentic; a selector with one message, or an
 * Ed25519 one, is reported, not recovered; Ctrl-C stops cleanly with nothing stored.
 *
 * The forger's message is made to sort after the genuine ones (the recovery pairs signatures in the
 * store's order), so that each recovery here is one gcd; the retry past a forged pair is tested in
 * test/dkim/recover-key.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateTrove, readManifest } from '../support/generator/index.ts';
import { deriveDkimKey, zoneLine, type GeneratedKey } from '../support/generator/dkim-keys.ts';
import { signEmail, type DkimSignOptions } from '../support/generator/dkim-sign.ts';
import { CLI, REPO, runCli, tempDir } from '../support/case.ts';

interface ReportLine {
  sha256: string;
  paths: string[];
  verdict: string | null;
  dkim: { domain: string; selector: string; status: string; keySource: string | null }[] | null;
}

interface KeyRow {
  sourceKind: string;
  source: string;
  selector: string;
  verifies: number;
  fingerprint: string;
  p: string;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const fingerprintOf = (key: GeneratedKey): string => sha256(Buffer.from(key.publicKeyDns, 'base64'));

async function report(caseDir: string): Promise<Map<string, ReportLine>> {
  const r = await runCli(['report', '--format', 'jsonl', '--case', caseDir]);
  assert.equal(r.code, 0, r.stderr);
  const bySha = new Map<string, ReportLine>();
  for (const line of r.stdout.trim().split('\n')) {
    const item = JSON.parse(line) as ReportLine;
    bySha.set(item.sha256, item);
  }
  return bySha;
}

function email(from: string, subject: string): Buffer {
  return Buffer.from(
    `From: ${from}\r\nTo: bob@example.com\r\nSubject: ${subject}\r\nDate: Thu, 2 Mar 2017 14:03:11 +0100\r\nMessage-ID: <${sha256(Buffer.from(subject)).slice(0, 12)}@example>\r\n\r\nBonjour,\r\nvoici le document.\r\n`,
    'latin1',
  );
}

/** A message signed with `key` whose SHA-256 sorts after every one of `after` (a nonce in the subject). */
function signedAfter(after: string[], key: GeneratedKey, from: string, options: DkimSignOptions = {}): Buffer {
  for (let nonce = 0; ; nonce++) {
    const bytes = signEmail(email(from, `Virement urgent ${nonce}`), key, options);
    if (after.every((s) => sha256(bytes) > s)) return bytes;
  }
}

test('recover a withheld 1024-bit key: key-unavailable becomes recovered-key, the forger is flagged, an import upgrades to authentic', { timeout: 900_000 }, async (t) => {
  const dir = tempDir(t);
  const g = join(dir, 'g');
  await generateTrove(g, { messages: 40, seed: 5, layout: 'eml' });
  const { messages } = readManifest(g);
  const signsWith = (selector: string, domain: string) => messages.filter((m) => m.dkim.some((d) => d.selector === selector && d.domain === domain));
  const acme = signsWith('mail', 'acme-conseil.fr');
  assert.ok(acme.length >= 2 && acme.some((m) => m.expect === 'authentic'), 'the generated trove has messages for the withheld selector');
  assert.equal(acme[0]!.dkim.find((d) => d.selector === 'mail')!.keyBits, 1024);

  // A forger signs a fake with a key of their own under the same selector; a lone selector signs one message.
  const forger = deriveDkimKey(99, 'acme-conseil.fr', 'mail', 'rsa-sha256', 1024);
  const forged = signedAfter(acme.map((m) => m.sha256), forger, 'Paul <paul@acme-conseil.fr>', { canonicalization: 'simple/simple', headers: ['from', 'to', 'subject', 'date', 'message-id'] });
  const lone = signEmail(email('Ines <ines@acme-conseil.fr>', 'Seule'), deriveDkimKey(5, 'acme-conseil.fr', 'solo', 'rsa-sha256', 1024));
  mkdirSync(join(g, 'eml', 'extra'), { recursive: true });
  writeFileSync(join(g, 'eml', 'extra', 'forged.eml'), forged);
  writeFileSync(join(g, 'eml', 'extra', 'lone.eml'), lone);
  const withheld = (line: string): boolean => line.startsWith('mail._domainkey.acme-conseil.fr.') || line.startsWith('ed2016._domainkey.northwind.example.');
  writeFileSync(join(dir, 'partial.zone'), readFileSync(join(g, 'keys.zone'), 'utf8').split('\n').filter((l) => !withheld(l)).join('\n'));

  const caseDir = join(dir, 'case');
  assert.equal((await runCli(['ingest', join(g, 'eml'), '--case', caseDir, '--quiet'])).code, 0);
  assert.equal((await runCli(['keys', 'import', join(dir, 'partial.zone'), '--case', caseDir])).code, 0);
  const before = await report(caseDir);
  for (const m of acme) assert.equal(before.get(m.sha256)?.verdict, 'key-unavailable', m.path);
  assert.equal(before.get(sha256(forged))?.verdict, 'key-unavailable');

  const recovered = await runCli(['keys', 'recover', '--case', caseDir]);
  assert.equal(recovered.code, 0, recovered.stdout + recovered.stderr);
  const out = recovered.stdout;
  const real = deriveDkimKey(5, 'acme-conseil.fr', 'mail', 'rsa-sha256', 1024);
  assert.match(out, /mail\._domainkey\.acme-conseil\.fr: recovered a 1024-bit RSA key from \d+ signatures \(messages [0-9a-f]{16}, [0-9a-f]{16}/);
  assert.ok(out.includes(`fingerprint ${fingerprintOf(real)}  (SHA-256 of the SubjectPublicKeyInfo, hex)`), out);
  assert.ok(out.includes(`p=${real.publicKeyDns}`), 'the p= shown is the real key\'s');
  assert.match(out, new RegExp(`does not verify under it:\\n {4}${sha256(forged).slice(0, 16)}  eml/extra/forged\\.eml\\n {6}headers-modified: its header signature does not verify under the recovered key`));
  assert.match(out, /solo\._domainkey\.acme-conseil\.fr: not recovered: needs at least two signed messages; the case has one \([0-9a-f]{16}\)\./);
  assert.match(out, /ed2016\._domainkey\.northwind\.example: not recovered: the selector signs with Ed25519/);
  assert.match(out, /Re-verified the \d+ messages these keys affect: .*recovered-key/);
  assert.match(recovered.stderr, /mail\._domainkey\.acme-conseil\.fr \(1024-bit\): gcd of two 67M-bit numbers/, 'progress on stderr');

  assert.equal((await runCli(['verify', '--case', caseDir])).code, 0);
  const after = await report(caseDir);
  for (const m of messages) {
    const item = after.get(m.sha256)!;
    const acmeMail = acme.includes(m);
    const expect = acmeMail && m.expect === 'authentic' ? 'recovered-key' : m.expect;
    assert.equal(item.verdict, expect, `${m.path} (${m.expect})`);
    if (acmeMail && m.expect === 'authentic') {
      assert.match(item.dkim!.find((d) => d.selector === 'mail')!.keySource!, /^recovered from the trove's own signatures \(\d+ signatures: [0-9a-f]{16}/);
    }
  }
  assert.equal(after.get(sha256(forged))?.verdict, 'headers-modified', 'the forger\'s message is flagged');
  assert.equal(after.get(sha256(lone))?.verdict, 'key-unavailable');

  const list = await runCli(['keys', 'list', '--case', caseDir]);
  assert.match(list.stdout, /mail\._domainkey\.acme-conseil\.fr {2}1024-bit RSA {2}recovered from the trove's own signatures/);
  assert.ok(list.stdout.includes(`  fingerprint ${fingerprintOf(real)}`) && list.stdout.includes(`  p=${real.publicKeyDns}`));

  // The domain's real key from a dated source: the verdicts become authentic, the recovered key is kept beside it.
  const imported = await runCli(['keys', 'import', join(g, 'keys.zone'), '--case', caseDir]);
  assert.match(imported.stdout, /2 new/);
  assert.match(imported.stdout, /Re-verified the \d+ messages these keys affect/);
  const upgraded = await report(caseDir);
  for (const m of messages) assert.equal(upgraded.get(m.sha256)!.verdict, m.expect, m.path);
  assert.equal(upgraded.get(sha256(forged))?.verdict, 'headers-modified');
  const keys = JSON.parse((await runCli(['keys', 'list', '--json', '--case', caseDir])).stdout) as KeyRow[];
  const mailKeys = keys.filter((k) => k.selector === 'mail');
  assert.deepEqual(mailKeys.map((k) => k.sourceKind).sort(), ['file', 'recovered-from-trove']);
  assert.ok(mailKeys.every((k) => k.fingerprint === fingerprintOf(real) && k.p === real.publicKeyDns));
  assert.equal(mailKeys.find((k) => k.sourceKind === 'recovered-from-trove')!.verifies, 0, 'the dated source is preferred');
  assert.equal(mailKeys.find((k) => k.sourceKind === 'file')!.verifies, acme.filter((m) => m.expect === 'authentic').length);
  assert.match((await runCli(['keys', 'list', '--case', caseDir])).stdout, /the same key is imported from keys\.zone/);
});

/** A small trove under one 512-bit selector (three genuine messages, a forged one sorting last) and a lone selector. */
function smallTrove(dir: string): { key: GeneratedKey; genuine: Buffer[]; forged: Buffer; lone: Buffer } {
  const key = deriveDkimKey(21, 'example.org', 'sel1', 'rsa-sha256', 512);
  const genuine = [1, 2, 3].map((i) => signEmail(email('Alice <alice@example.org>', `Budget ${i}`), key));
  const forged = signedAfter(genuine.map(sha256), deriveDkimKey(22, 'example.org', 'sel1', 'rsa-sha256', 512), 'Alice <alice@example.org>');
  const lone = signEmail(email('Bob <bob@example.net>', 'Seul'), deriveDkimKey(23, 'example.net', 'solo', 'rsa-sha256', 512));
  mkdirSync(join(dir, 'leak'), { recursive: true });
  genuine.forEach((b, i) => writeFileSync(join(dir, 'leak', `genuine-${i}.eml`), b));
  writeFileSync(join(dir, 'leak', 'forged.eml'), forged);
  writeFileSync(join(dir, 'leak', 'lone.eml'), lone);
  writeFileSync(join(dir, 'real.zone'), `${zoneLine(key)}\n`);
  return { key, genuine, forged, lone };
}

test('`keys recover --json`: the key, its fingerprint and p=, the messages used, and the ones that do not verify', { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const { key, genuine, forged, lone } = smallTrove(dir);
  const caseDir = join(dir, 'case');
  assert.equal((await runCli(['ingest', join(dir, 'leak'), '--case', caseDir, '--quiet'])).code, 0);
  const r = await runCli(['keys', 'recover', '--json', '--case', caseDir]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    recovered: number;
    cancelled: boolean;
    reverified: { byVerdict: Record<string, number> } | null;
    selectors: { selector: string; status: string; messages: number; reason: string | null; key: { bits: number; fingerprint: string; fingerprintFormat: string; p: string; record: string } | null; messagesUsed: string[]; verified: number; notVerifying: { id: string; path: string; status: string }[] }[];
  };
  assert.equal(doc.recovered, 1);
  assert.equal(doc.cancelled, false);
  const sel1 = doc.selectors.find((s) => s.selector === 'sel1')!;
  assert.equal(sel1.status, 'recovered');
  assert.deepEqual(
    { bits: sel1.key!.bits, fingerprint: sel1.key!.fingerprint, format: sel1.key!.fingerprintFormat, p: sel1.key!.p },
    { bits: 512, fingerprint: fingerprintOf(key), format: 'sha256-spki-hex', p: key.publicKeyDns },
  );
  assert.equal(sel1.key!.record, `v=DKIM1; k=rsa; p=${key.publicKeyDns}`);
  const genuineIds = genuine.map((b) => sha256(b).slice(0, 16));
  assert.ok(sel1.messagesUsed.length >= 2 && sel1.messagesUsed.every((id) => genuineIds.includes(id)));
  assert.equal(sel1.messages, 4);
  assert.equal(sel1.verified, 3);
  assert.deepEqual(sel1.notVerifying.map((m) => [m.id, m.path, m.status]), [[sha256(forged).slice(0, 16), 'leak/forged.eml', 'headers-modified']]);
  const solo = doc.selectors.find((s) => s.selector === 'solo')!;
  assert.equal(solo.status, 'needs-two-signatures');
  assert.match(solo.reason!, new RegExp(`needs at least two signed messages; the case has one \\(${sha256(lone).slice(0, 16)}\\)`));
  // A recovered weak key still gives recovered-key: where the key came from decides first.
  assert.deepEqual(doc.reverified?.byVerdict, { 'recovered-key': 3, 'headers-modified': 1 });

  const show = await runCli(['show', genuineIds[0]!, '--case', caseDir]);
  assert.match(show.stdout, /recovered from the trove's own signatures/);
  const again = await runCli(['keys', 'recover', '--json', '--case', caseDir]);
  assert.deepEqual((JSON.parse(again.stdout) as typeof doc).selectors.map((s) => [s.selector, s.status]), [['solo', 'needs-two-signatures']], 'a selector with a key is not recovered again');
});

test('a selector that signs one message only is reported as needing at least two, and nothing is stored', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const lone = signEmail(email('Bob <bob@example.net>', 'Seul'), deriveDkimKey(23, 'example.net', 'solo', 'rsa-sha256', 512));
  mkdirSync(join(dir, 'leak'), { recursive: true });
  writeFileSync(join(dir, 'leak', 'lone.eml'), lone);
  const caseDir = join(dir, 'case');
  assert.equal((await runCli(['ingest', join(dir, 'leak'), '--case', caseDir, '--quiet'])).code, 0);
  const r = await runCli(['keys', 'recover', '--case', caseDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `solo._domainkey.example.net: not recovered: needs at least two signed messages; the case has one (${sha256(lone).slice(0, 16)}).`);
  assert.equal((await runCli(['keys', 'list', '--json', '--case', caseDir])).stdout.trim(), '[]');
});

test('Ctrl-C during the gcd stops at once, stores nothing, and leaves the case as it was', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  smallTrove(dir);
  const caseDir = join(dir, 'case');
  assert.equal((await runCli(['ingest', join(dir, 'leak'), '--case', caseDir, '--quiet'])).code, 0);
  const child = spawn(process.execPath, [CLI, 'keys', 'recover', '--case', caseDir], { cwd: REPO });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let interruptedAt = 0;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/gcd of two/.test(stderr) && interruptedAt === 0) {
      interruptedAt = Date.now();
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const stoppedAfter = Date.now() - interruptedAt;
  assert.equal(code, 1, stdout + stderr);
  assert.match(stderr, /stopping: the recoveries under way are abandoned/);
  assert.match(stderr, /stopped by the user\. No key was stored\. Run `trove keys recover` again/);
  assert.ok(stoppedAfter < 5_000, `the gcd is abandoned, not waited for (${stoppedAfter} ms)`);
  assert.equal((await runCli(['keys', 'list', '--json', '--case', caseDir])).stdout.trim(), '[]');
  const verdicts = [...(await report(caseDir)).values()].map((i) => i.verdict);
  assert.deepEqual(verdicts, ['key-unavailable', 'key-unavailable', 'key-unavailable', 'key-unavailable', 'key-unavailable']);
});
