/**
 * The seeded trove generator: a realistic fake leak (French and English business mail with
 * threads, attachments, DKIM signatures, mbox/maildir/eml stores, loose and forged documents)
 * plus its ground-truth manifest. Same seed and options, same bytes. Used by tests, benchmarks
 * and the sample trove; the CLI is `bench/generate.ts`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachmentFactory, factoryPrng } from './attachment-factory.ts';
import type { FileKind, GeneratedFile } from './attachment-factory.ts';
import { MAILBOX_OWNERS, PEOPLE, SIGNING } from './cast.ts';
import { Correspondence, LEAK_DATE } from './correspondence.ts';
import { deriveDkimKey, dkimRecord, zoneLine } from './dkim-keys.ts';
import type { GeneratedKey } from './dkim-keys.ts';
import { GENERATOR_VERSION, ManifestWriter } from './manifest.ts';
import type { ManifestHeader } from './manifest.ts';
import { plantDocuments } from './forensic-plants.ts';
import { MessageRenderer } from './message-render.ts';
import { Prng, hashSeed } from './prng.ts';
import { LAYOUTS, TroveLayout } from './trove-layout.ts';
import type { Layout } from './trove-layout.ts';

export { buildEmail } from './email-build.ts';
export type { EmailOptions, AttachmentSpec, Address, WordEncoding, Charset, TextEncoding, ParamStyle } from './email-build.ts';
export { buildDocx } from './docx-build.ts';
export type { DocxOptions, DocxParagraph } from './docx-build.ts';
export { buildXlsx } from './xlsx-build.ts';
export type { XlsxOptions, XlsxSheet, XlsxCell } from './xlsx-build.ts';
export { buildPdf } from './pdf-build.ts';
export type { PdfOptions } from './pdf-build.ts';
export { buildJpeg } from './jpeg-build.ts';
export type { JpegOptions, ExifInfo } from './jpeg-build.ts';
export { signEmail, canonicalizeBody, relaxedHeader } from './dkim-sign.ts';
export type { DkimSigningKey, DkimSignOptions, DkimAlgorithm, Canonicalization } from './dkim-sign.ts';
export { deriveDkimKey, dkimRecord, zoneLine } from './dkim-keys.ts';
export type { GeneratedKey } from './dkim-keys.ts';
export { quoteMboxrd, unquoteMboxrd } from './mail-stores.ts';
export { TroveReader, readManifest, readZipMembers, splitMbox } from './trove-reader.ts';
export type { ManifestHeader, ManifestMessage, ManifestDocument, ManifestLine } from './manifest.ts';
export { LAYOUTS } from './trove-layout.ts';
export { PLANTED_SIGNALS, fakesPerClass } from './forensic-plants.ts';
export type { ForgeryTruth } from './forensic-plants.ts';
export { appendPdfRevision } from './pdf-build.ts';
export type { PdfRevisionOptions, PdfXmp } from './pdf-build.ts';
export { encodeWithThumbnail } from './jpeg-build.ts';
export type { Layout } from './trove-layout.ts';

/** What to generate. */
export interface TroveOptions {
  messages: number;
  seed?: number;
  layout?: Layout;
  /**
   * Also plant loose documents for the forensics benchmark (forensic-plants.ts): fakes of every
   * forensic signal class among more genuine documents, each with its ground truth (`forgery`) in
   * the manifest. Mixed layout only; off by default (the rest of the trove is the same either way).
   */
  forgeries?: boolean;
}

/** What was written. */
export interface TroveSummary {
  messages: number;
  files: number;
  bytes: number;
}

/** Thrown for options the generator cannot honour; `code` is stable. */
export class GeneratorError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'GeneratorError';
    this.code = code;
  }
}

/** What a previous run leaves in an output directory (removed before a new run there). */
const GENERATED_ENTRIES = ['leak', 'Maildir', 'all.mbox', 'eml', 'manifest.jsonl', 'keys.zone', 'keys.private.json', '.archive-staging', '.manifest-body.jsonl'];

/** Share of fresh attachments also found as loose files, and of Office/PDF ones forged. */
const LOOSE_COPY_RATE = 0.12;
const FORGERY_RATE = 0.015;
const LOOSE_ORIGINAL_RATE = 0.02;
const ARCHIVE_DOCUMENT_RATE = 0.2;

function prepareOutput(outDir: string): void {
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes('manifest.jsonl') && !entries.includes('.manifest-body.jsonl')) {
      throw new GeneratorError('output-not-empty', `${outDir} is not empty and holds no generated trove; choose an empty or new directory.`);
    }
    for (const name of GENERATED_ENTRIES) rmSync(join(outDir, name), { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Keys already derived in this process (deriving a 2048-bit RSA key takes ~80 ms). */
const keyCache = new Map<number, Map<string, GeneratedKey>>();

/** The DKIM keys of every signing domain for `seed`, keyed `selector._domainkey.domain`. */
export function troveKeys(seed: number): Map<string, GeneratedKey> {
  const cached = keyCache.get(seed);
  if (cached) return cached;
  const keys = new Map<string, GeneratedKey>();
  keyCache.set(seed, keys);
  for (const s of SIGNING) for (const k of s.keys) keys.set(`${k.selector}._domainkey.${k.domain}`, deriveDkimKey(seed, k.domain, k.selector, k.algorithm, k.bits));
  return keys;
}

function writeKeys(outDir: string, keys: Map<string, GeneratedKey>): number {
  const zone: string[] = ['; DKIM public keys of the generated trove (test keys derived from the seed).', ''];
  const priv: object[] = [];
  for (const s of SIGNING) {
    for (const spec of s.keys) {
      const key = keys.get(`${spec.selector}._domainkey.${spec.domain}`) as GeneratedKey;
      zone.push(`; ${spec.domain} ${spec.algorithm} ${key.bits} bits, published ${iso(spec.from)?.slice(0, 10)} to ${spec.until === null ? 'now' : iso(spec.until)?.slice(0, 10)}`);
      zone.push(zoneLine(key));
      priv.push({
        domain: spec.domain,
        selector: spec.selector,
        algorithm: spec.algorithm,
        bits: key.bits,
        publishedFrom: iso(spec.from),
        publishedUntil: iso(spec.until),
        txt: dkimRecord(key),
        privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      });
    }
  }
  const zoneText = zone.join('\n') + '\n';
  const privText = JSON.stringify({ note: 'Test keys derived from the generator seed: anyone with the seed can sign. Never use them for real mail.', keys: priv }, null, 2) + '\n';
  writeFileSync(join(outDir, 'keys.zone'), zoneText);
  writeFileSync(join(outDir, 'keys.private.json'), privText);
  return Buffer.byteLength(zoneText) + Buffer.byteLength(privText);
}

/** Generates a trove in `outDir` (created; a previous trove there is replaced). */
export async function generateTrove(outDir: string, opts: TroveOptions): Promise<TroveSummary> {
  const seed = opts.seed ?? 1;
  const layoutName = opts.layout ?? 'mixed';
  if (!Number.isInteger(opts.messages) || opts.messages < 0) throw new GeneratorError('bad-messages', `messages must be a whole number >= 0, got ${opts.messages}.`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new GeneratorError('bad-seed', `seed must be a whole number between 0 and 4294967295, got ${seed}.`);
  if (!LAYOUTS.includes(layoutName)) throw new GeneratorError('bad-layout', `layout must be one of ${LAYOUTS.join(', ')}, got ${layoutName}.`);
  if (opts.forgeries && layoutName !== 'mixed') throw new GeneratorError('bad-forgeries', 'forgeries are planted among loose documents, which only the mixed layout has: use layout "mixed".');
  prepareOutput(outDir);

  const keys = troveKeys(seed);
  const keyBytes = writeKeys(outDir, keys);
  const layout = new TroveLayout(outDir, layoutName);
  const manifest = new ManifestWriter(outDir);
  const correspondence = new Correspondence(seed, opts.messages);
  const factory = new AttachmentFactory(seed);
  const renderer = new MessageRenderer(seed, keys, factory);
  const placement = new Prng(hashSeed(seed, 'placement', layoutName));
  const seenFiles = new Set<string>();
  let attachmentCount = 0;
  let documents = 0;
  let copied = false;
  let forged = false;

  const addDocument = (file: GeneratedFile, copyOf: string | null, alteredFrom: string | null, nameOverride?: string): void => {
    // The second loose document always goes into the archive, so that even small troves have one there.
    const inArchive = documents === 1 || placement.chance(ARCHIVE_DOCUMENT_RATE);
    const path = layout.writeDocument(nameOverride ?? file.filename, file.bytes, inArchive, file.kind === 'jpg' ? 'Photos' : '');
    manifest.add({ type: 'document', path, sha256: file.sha256, size: file.bytes.length, contentType: file.contentType, copyOf, alteredFrom });
    documents++;
  };

  for (let i = 0; i < opts.messages; i++) {
    const plan = correspondence.next(i);
    const msg = await renderer.render(plan);
    const stored = layout.writeMessage(plan, msg.bytes, placement);
    await layout.writer.ready();
    attachmentCount += msg.files.length;
    manifest.add({
      type: 'message',
      index: i,
      path: stored.path,
      sha256: sha256(msg.bytes),
      size: msg.bytes.length,
      messageId: `<${plan.messageId}>`,
      threadId: `<${plan.threadId}>`,
      inReplyTo: plan.inReplyTo ? `<${plan.inReplyTo}>` : null,
      date: new Date(plan.date).toISOString(),
      from: plan.fromAddress.address,
      owner: plan.owner.address,
      folder: plan.folder,
      lang: plan.lang,
      dkim: msg.dkim,
      tampered: msg.dkim.length > 0 ? plan.tamper : null,
      expect: msg.expect,
      lineEndings: stored.lineEndings,
      fromQuoted: stored.fromQuoted,
      attachments: msg.files.map((f) => ({ filename: f.filename, sha256: f.sha256, contentType: f.contentType, size: f.bytes.length })),
    });
    if (layoutName !== 'mixed') continue;

    for (const file of msg.files) {
      if (seenFiles.has(file.sha256)) continue;
      seenFiles.add(file.sha256);
      if (seenFiles.size > 4096) seenFiles.delete(seenFiles.values().next().value as string);
      if (!copied || placement.chance(LOOSE_COPY_RATE)) {
        addDocument(file, file.sha256, null);
        copied = true;
      }
      if (file.recipe && (!forged || placement.chance(FORGERY_RATE))) {
        const fake = await factory.alter(file, placement, LEAK_DATE);
        if (fake) {
          addDocument(fake, null, file.sha256, file.filename.replace(/(\.[^.]+)$/, ' (version finale)$1'));
          forged = true;
        }
      }
    }
    if (placement.chance(LOOSE_ORIGINAL_RATE)) {
      const kind = placement.weighted<FileKind>([
        ['docx', 35],
        ['xlsx', 20],
        ['pdf', 30],
        ['jpg', 15],
      ]);
      const author = placement.pick(MAILBOX_OWNERS);
      const file = await factory.make(kind, factoryPrng(seed, 0x40000000 + i, 1), {
        lang: 'fr',
        date: plan.date,
        people: PEOPLE.slice(0, 12),
        orgNames: ['Acme Conseil', 'Northwind Analytics', 'Globex Events'],
        author,
        editor: author,
        org: author.org,
      });
      addDocument(file, null, null);
    }
  }
  if (opts.forgeries) {
    for (const doc of await plantDocuments(seed, opts.messages, factory)) {
      const path = layout.writeDocument(doc.filename, doc.bytes, false, doc.kind === 'jpg' ? 'Photos' : '');
      manifest.add({ type: 'document', path, sha256: doc.sha256, size: doc.bytes.length, contentType: doc.contentType, copyOf: null, alteredFrom: null, forgery: doc.forgery });
      documents++;
    }
  }
  await layout.finish();

  const header: ManifestHeader = {
    type: 'header',
    generator: 'trove-generator',
    version: GENERATOR_VERSION,
    seed,
    options: { messages: opts.messages, layout: layoutName, ...(opts.forgeries ? { forgeries: true } : {}) },
    counts: {
      messages: opts.messages,
      attachments: attachmentCount,
      documents,
      files: layout.tally.files + 2,
      bytes: layout.tally.bytes + keyBytes,
    },
    leakDate: new Date(LEAK_DATE).toISOString(),
    keys: SIGNING.flatMap((s) =>
      s.keys.map((k) => ({ domain: k.domain, selector: k.selector, algorithm: k.algorithm, bits: k.bits, publishedFrom: iso(k.from) as string, publishedUntil: iso(k.until) })),
    ),
    notes: [
      'DKIM keys are test keys derived from the seed (keys.private.json); the same seed and options reproduce every byte, signatures included.',
      'Message sha256 is of the message as a maildir file holds it: CRLF line endings, without mbox >From quoting. Messages in an mbox with lineEndings "lf" were converted to LF after delivery.',
      'Sent-folder copies are never DKIM-signed (the client saved them before the server signed); "tampered" messages were altered after delivery.',
      'counts.files and counts.bytes cover everything written except manifest.jsonl itself.',
    ],
  };
  const manifestBytes = manifest.finish(header);
  return { messages: opts.messages, files: layout.tally.files + 3, bytes: layout.tally.bytes + keyBytes + manifestBytes };
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
