/** `trove show ID`: everything known about one item, in plain words (or `--json`). */
import { describeRepair } from '../dkim/repairs.ts';
import type { MessageVerification } from '../dkim/result.ts';
import { UserError } from '../errors.ts';
import { openCase } from '../store/case-dir.ts';
import { describeChange } from '../provenance/text-diff.ts';
import { idOf, type AddressRecord, type AssessmentRecord, type ItemView } from '../store/store.ts';
import { EXIT_OK } from './exit-codes.ts';
import { formatBytes } from './progress.ts';

/** Body text shown at most; the rest is in `--json` and the blob. */
const MAX_BODY_CHARS = 4000;
/** Edits of an altered copy listed in text; all of them are in --json. */
const MAX_CHANGES_SHOWN = 40;

function addr(list: AddressRecord[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

function offset(mins: number | null): string {
  if (mins === null) return 'unknown offset';
  const sign = mins < 0 ? '-' : '+';
  const m = Math.abs(mins);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function describeVerification(m: MessageVerification): string[] {
  const out = [`VERDICT   ${m.verdict.toUpperCase()}`, `          ${m.summary}`];
  m.signatures.forEach((s, i) => {
    out.push(`Signature ${i + 1}: ${s.field} d=${s.domain ?? '?'} s=${s.selector ?? '?'} ${s.algorithm ?? ''} c=${s.headerCanon ?? '?'}/${s.bodyCanon ?? '?'}  -> ${s.status}`);
    out.push(`          ${s.reason}`);
    if (s.key) out.push(`          key: ${s.key.type === 'ed25519' ? 'Ed25519' : `${s.key.bits}-bit RSA`}, ${s.key.source}, fingerprint ${s.key.fingerprint?.slice(0, 16) ?? '?'}`);
    out.push(`          header signature: ${s.signature}; body hash: ${s.bodyHash}; aligned with From (${s.fromDomain ?? 'none'}): ${s.aligned ? 'yes' : 'no'}`);
    out.push(`          signed headers: ${s.signedHeaders.join(', ')}`);
    if (s.unsignedHeaders.length) out.push(`          NOT signed: ${s.unsignedHeaders.join(', ')}`);
    if (s.extraInstances.length) out.push(`          EXTRA unsigned instances of: ${s.extraInstances.join(', ')}`);
    if (s.bodyLength !== null) out.push(`          l=${s.bodyLength}: ${s.unsignedBodyBytes} body bytes after it are not signed`);
    if (s.timestamp) out.push(`          signed at ${s.timestamp}${s.expiration ? `, expires ${s.expiration}${s.expired ? ' (expired; reported, not fatal)' : ''}` : ''}`);
    if (s.repairs.length) out.push(`          repairs: ${s.repairs.map(describeRepair).join('; ')}`);
    if (s.weakAlgorithm) out.push('          rsa-sha1 is a weak algorithm');
  });
  return out;
}

/** A document's verdict, then its evidence: the carrying email, the edits of an altered copy, look-alikes. */
function describeAssessment(a: AssessmentRecord): string[] {
  const out = [`VERDICT   ${a.verdict.toUpperCase()}`, `          ${a.summary}`];
  const e = a.evidence;
  if (e.provenance) {
    out.push(`Carried by ${e.provenance.viaId}  (${e.provenance.strength})  ${e.provenance.viaFrom ?? ''}: ${e.provenance.viaSubject ?? '(no subject)'}`);
  }
  const alt = e.alteredFrom;
  if (alt) {
    out.push(`Original  ${alt.originalId}  (${Math.round(alt.similarity * 100)}% of its words kept, in order; \`trove show ${alt.originalId}\`)`);
    if (alt.text.changes.length === 0) out.push('          The text is the same as the original\'s.');
    else out.push(`Text changes (${alt.text.removedWords} word${alt.text.removedWords === 1 ? '' : 's'} removed, ${alt.text.addedWords} added; [-removed-] {+added+}):`);
    for (const c of alt.text.changes.slice(0, MAX_CHANGES_SHOWN)) out.push(`  • ${describeChange(c)}`);
    if (alt.text.changes.length > MAX_CHANGES_SHOWN) out.push(`  ... and ${alt.text.changes.length - MAX_CHANGES_SHOWN} more (see --json)`);
    if (alt.text.truncated) out.push('  (the texts differ too much, or are too long, for every edit to be listed)');
    if (alt.metadata.length > 0) {
      out.push('Metadata changes (original -> this copy):');
      for (const m of alt.metadata) out.push(`  • ${m.field}: ${JSON.stringify(m.original)} -> ${JSON.stringify(m.copy)}`);
    }
  }
  if (e.signals.length > 0) {
    out.push(`Signals (${e.signals.length}):`);
    for (const s of e.signals) out.push(`  • [${s.severity}] ${s.code}: ${s.message}`);
  }
  const others = e.nearDuplicates.filter((n) => n.sha256 !== alt?.original);
  if (others.length > 0) {
    out.push(`Similar   ${others.slice(0, 10).map((n) => `${n.id} (${Math.round(n.similarity * 100)}%)`).join(', ')}${others.length > 10 ? ` and ${others.length - 10} more` : ''}`);
  }
  return out;
}

export function describe(v: ItemView, blobPath: string): string {
  const lines: string[] = [];
  lines.push(`${v.kind} ${v.id}  (${v.format}, ${formatBytes(v.size)})`);
  lines.push(`SHA-256   ${v.sha256}`);
  lines.push(`Original  ${blobPath}`);
  lines.push(`Found at  ${v.paths.length} place${v.paths.length === 1 ? '' : 's'}:`);
  for (const p of v.paths) lines.push(`          ${p}`);
  if (v.error) lines.push(`ERROR     ${v.error.code}: ${v.error.message}`);
  if (v.status === 'pending') lines.push('UNFINISHED: this container was not read to the end; run the same `trove ingest` again.');
  const e = v.email;
  if (e) {
    lines.push('');
    lines.push(`From      ${addr(e.from)}`);
    if (e.sender.length) lines.push(`Sender    ${addr(e.sender)}`);
    if (e.to.length) lines.push(`To        ${addr(e.to)}`);
    if (e.cc.length) lines.push(`Cc        ${addr(e.cc)}`);
    if (e.bcc.length) lines.push(`Bcc       ${addr(e.bcc)}`);
    if (e.replyTo.length) lines.push(`Reply-To  ${addr(e.replyTo)}`);
    lines.push(`Subject   ${e.subject ?? '(none)'}`);
    lines.push(`Date      ${e.dateRaw ?? '(no Date header)'}`);
    lines.push(e.date ? `          = ${e.date} (sender's clock at ${offset(e.tzOffsetMinutes)})` : `          could not be read: ${e.dateError}`);
    lines.push(`Message-ID ${e.messageId ?? '(none)'}`);
    if (v.messageIdConflicts.length) {
      lines.push(`WARNING   ${v.messageIdConflicts.length} other message(s) carry the same Message-ID with different bytes: ` +
        v.messageIdConflicts.map(idOf).join(', '));
    }
    if (e.inReplyTo) lines.push(`In-Reply-To ${e.inReplyTo}`);
  }
  if (v.thread) lines.push(`Thread    ${v.thread}  (\`trove thread ${v.id}\` shows the conversation)`);
  if (v.children.length) {
    lines.push('');
    lines.push(`Contains ${v.children.length} item${v.children.length === 1 ? '' : 's'}:`);
    for (const c of v.children.slice(0, 200)) lines.push(`  ${idOf(c.sha256)}  ${c.name.replace(/^\//, '')}`);
    if (v.children.length > 200) lines.push(`  ... and ${v.children.length - 200} more (see --json)`);
  }
  if (v.assessment) lines.push('', ...describeAssessment(v.assessment));
  if (v.extracted?.metadata) {
    lines.push('', 'Metadata (as the file states it):');
    for (const [k, val] of Object.entries(v.extracted.metadata)) lines.push(`          ${k.padEnd(16)} ${typeof val === 'string' ? val : JSON.stringify(val)}`);
  }
  if (v.verification) lines.push('', ...describeVerification(v.verification.result as MessageVerification));
  else if (e) lines.push('', 'DKIM      not verified yet: run `trove verify`.');
  if (v.notes) lines.push('', `Notes     ${JSON.stringify(v.notes)}`);
  if (e?.text) {
    lines.push('', '-'.repeat(72));
    lines.push(e.text.length > MAX_BODY_CHARS ? `${e.text.slice(0, MAX_BODY_CHARS)}\n[... ${e.text.length - MAX_BODY_CHARS} more characters]` : e.text);
  }
  return lines.join('\n');
}

export async function run(id: string, opts: { case: string; json?: boolean }): Promise<number> {
  const c = openCase(opts.case, { create: false });
  try {
    const sha = await c.store.resolveId(id);
    if (!sha) throw new UserError('no-such-item', `No item ${id} in this case. Ids are shown by \`trove search\`, \`trove report\` and \`trove errors\`.`);
    const v = (await c.store.item(sha))!;
    if (opts.json) console.log(JSON.stringify({ ...v, blob: c.blobs.pathOf(sha) }, null, 2));
    else console.log(describe(v, c.blobs.pathOf(sha)));
    return EXIT_OK;
  } finally {
    await c.store.close();
  }
}
