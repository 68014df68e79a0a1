/**
 * Turns a planned message into the bytes found in the leak. Sent-folder copies are what the
 * client saved (never DKIM-signed); inbox copies went through the sender's outbound server
 * (Received, then DKIM-Signature per key in use at that date) and the owner's server (Received,
 * Authentication-Results, Return-Path, Delivered-To). A few inbox copies are altered after delivery.
 */
import { factoryPrng } from './attachment-factory.ts';
import type { AttachmentFactory, GeneratedFile } from './attachment-factory.ts';
import { PEOPLE, keysAt, signingFor } from './cast.ts';
import type { Person } from './cast.ts';
import { encodeText, isAscii } from './charsets.ts';
import type { Charset } from './charsets.ts';
import type { MessagePlan } from './correspondence.ts';
import { formatRfc5322Date, zoneOffsetMinutes } from './date-format.ts';
import type { GeneratedKey } from './dkim-keys.ts';
import { parseHeaderFields, signEmail, splitMessage } from './dkim-sign.ts';
import type { Canonicalization, DkimAlgorithm } from './dkim-sign.ts';
import { buildEmail } from './email-build.ts';
import type { EmailOptions, ParamStyle } from './email-build.ts';
import type { MailerKind } from './cast.ts';
import { Prng, hashSeed } from './prng.ts';

/** A signature on a generated message, as recorded in the manifest. */
export interface SignatureRecord {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  canonicalization: Canonicalization;
  keyBits: number;
}

/** What a correct verifier should conclude (the email verdicts of ARCHITECTURE.md). */
export type ExpectedVerdict = 'authentic' | 'authentic-third-party' | 'body-modified' | 'headers-modified' | 'unsigned';

/** A message ready to be written. */
export interface RenderedMessage {
  bytes: Buffer;
  dkim: SignatureRecord[];
  expect: ExpectedVerdict;
  files: GeneratedFile[];
}

/** Files kept for re-sending; older ids fall back to the most recent file. */
const FILE_CACHE = 256;

const FILENAME_STYLE: Record<MailerKind, ParamStyle> = {
  outlook: 'rfc2047',
  gmail: 'rfc2047',
  thunderbird: 'rfc2231',
  apple: 'rfc2231',
  iphone: 'rfc2231',
  zimbra: 'rfc2231',
  thebat: 'rfc2047',
};

/** Renders plans in order; holds the signing keys and a bounded cache of recent files. */
export class MessageRenderer {
  private readonly seed: number;
  private readonly keys: Map<string, GeneratedKey>;
  private readonly factory: AttachmentFactory;
  private readonly files = new Map<number, GeneratedFile>();
  private lastFile: GeneratedFile | undefined;

  constructor(seed: number, keys: Map<string, GeneratedKey>, factory: AttachmentFactory) {
    this.seed = seed;
    this.keys = keys;
    this.factory = factory;
  }

  private async resolveFiles(plan: MessagePlan): Promise<GeneratedFile[]> {
    const out: GeneratedFile[] = [];
    for (const req of plan.attachments) {
      if ('reuse' in req) {
        const f = this.files.get(req.reuse) ?? this.lastFile;
        if (f && !out.includes(f)) out.push(f);
        continue;
      }
      const org = req.author.org;
      const file = await this.factory.make(req.kind, factoryPrng(this.seed, req.id, 0), {
        lang: plan.lang,
        date: plan.date,
        people: PEOPLE.slice(0, 12),
        orgNames: ['Acme Conseil', 'Northwind Analytics', 'Globex Events'],
        author: req.author,
        editor: req.editor,
        org,
      });
      this.files.set(req.id, file);
      this.lastFile = file;
      if (this.files.size > FILE_CACHE) this.files.delete(this.files.keys().next().value as number);
      out.push(file);
    }
    return out;
  }

  /** The bytes of `plan` and its manifest facts. */
  async render(plan: MessagePlan): Promise<RenderedMessage> {
    const r = new Prng(hashSeed(this.seed, 'render', plan.index));
    const files = await this.resolveFiles(plan);
    const profile = plan.profile;
    let bodyCharset: Charset = profile.bodyCharset;
    let bodyLabel = profile.bodyCharsetLabel;
    const allText = plan.text + (plan.html ?? '');
    // Outlook falls back from ISO-8859-1 to windows-1252 (for ’ œ €) and then to UTF-8.
    if (bodyCharset === 'ISO-8859-1' && encodeText(allText, 'ISO-8859-1') === null) {
      [bodyCharset, bodyLabel] = encodeText(allText, 'windows-1252') ? ['windows-1252', '"Windows-1252"'] : ['UTF-8', '"utf-8"'];
    }
    if (bodyCharset === 'koi8-r' && encodeText(allText, 'koi8-r') === null) [bodyCharset, bodyLabel] = ['UTF-8', 'utf-8'];
    const html = plan.html?.replace('charset=iso-8859-1', `charset=${bodyLabel.replace(/"/g, '').toLowerCase()}`);
    const opts: EmailOptions = {
      from: plan.fromAddress,
      to: plan.to.map(addr),
      cc: plan.cc.map(addr),
      subject: plan.subject,
      date: plan.date,
      zoneOffsetMinutes: plan.offsetMinutes,
      messageId: plan.messageId,
      inReplyTo: plan.inReplyTo,
      references: plan.references,
      text: plan.text,
      html,
      attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, bytes: f.bytes, filenameStyle: isAscii(f.filename) ? 'plain' : FILENAME_STYLE[profile.kind] })),
      nameEncoding: profile.nameEncoding,
      quoteNames: profile.quoteNames,
      subjectEncoding: profile.subjectEncoding,
      bodyCharset,
      bodyCharsetLabel: bodyLabel,
      textEncoding: profile.textEncoding,
      flowed: profile.flowed,
      headerOrder: profile.headerOrder,
      preamble: profile.preamble,
      boundary: profile.boundary(r, plan.date),
      extraHeaders: profile.extraHeaders({ prng: r, topic: plan.topic, threadIndex: plan.threadIndex, hasAttachments: files.length > 0, lang: plan.lang, date: plan.date }),
    };
    const composed = buildEmail(opts);
    if (plan.folder === 'sent') return { bytes: composed, dkim: [], expect: 'unsigned', files };

    const fromDomain = plan.fromAddress.address.split('@')[1] as string;
    const senderOrg = plan.from?.org;
    const outbound = senderOrg ? `smtp.${senderOrg.domain}` : 'out.envoi-esp.example';
    const senderReceived = `Received: from [10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}] (unknown [${senderOrg?.ip ?? '192.0.2.150'}])\r\n\tby ${outbound} with ESMTPSA id ${r.hex(12).toUpperCase()};\r\n\t${formatRfc5322Date(plan.date + r.int(1, 4) * 1000, plan.offsetMinutes)}\r\n`;
    const unsigned = Buffer.concat([Buffer.from(senderReceived, 'latin1'), composed]);

    const signing = signingFor(plan.newsletter ? 'envoi-esp.example' : fromDomain);
    const specs = signing ? keysAt(signing, plan.date) : [];
    let signed: Buffer = unsigned;
    const dkim: SignatureRecord[] = [];
    if (signing && specs.length > 0) {
      const present = new Set(parseHeaderFields(splitMessage(composed).header).map((f) => f.name));
      const headers = signing.headers.filter((h, i) => present.has(h) || signing.headers.indexOf(h) !== i);
      const t = Math.floor(plan.date / 1000) + r.int(1, 20);
      for (const spec of specs) {
        const key = this.keys.get(`${spec.selector}._domainkey.${spec.domain}`);
        if (!key) throw new Error(`no key for ${spec.selector}._domainkey.${spec.domain}`);
        signed = signEmail(signed, key, {
          canonicalization: signing.canonicalization,
          headers,
          timestamp: signing.timestamp ? t : undefined,
          expiration: signing.timestamp && signing.expirySeconds ? t + signing.expirySeconds : undefined,
          foldIndent: signing.foldIndent,
        });
        dkim.push({ domain: spec.domain, selector: spec.selector, algorithm: spec.algorithm, canonicalization: signing.canonicalization, keyBits: key.bits });
      }
    }

    let expect: ExpectedVerdict = dkim.length === 0 ? 'unsigned' : dkim.some((d) => d.domain === fromDomain) ? 'authentic' : 'authentic-third-party';
    let delivered: Buffer = signed;
    if (plan.tamper && dkim.length > 0) {
      // Altered after delivery: the signature header block stays, the message under it changes.
      const sigBlock = signed.subarray(0, signed.length - unsigned.length);
      const altered =
        plan.tamper === 'body'
          ? buildEmail({ ...opts, text: plan.text.replace(/\n\n/, plan.lang === 'fr' ? '\n\nLe virement de 45 000 € doit partir aujourd’hui, en toute discrétion.\n\n' : '\n\nThe $45,000 transfer must go out today, quietly.\n\n'), html: opts.html?.replace(/<\/div>|<\/p>/, (m) => `${m}<p>${plan.lang === 'fr' ? 'Le virement de 45 000 € doit partir aujourd’hui.' : 'The $45,000 transfer must go out today.'}</p>`) })
          : buildEmail({ ...opts, subject: `${plan.subject} ${plan.lang === 'fr' ? '(confidentiel)' : '(confidential)'}` });
      delivered = Buffer.concat([sigBlock, Buffer.from(senderReceived, 'latin1'), altered]);
      expect = plan.tamper === 'body' ? 'body-modified' : 'headers-modified';
    }

    const owner = plan.owner;
    const ownerOffset = zoneOffsetMinutes(owner.zone, plan.stored);
    const auth = dkim.length
      ? `Authentication-Results: ${owner.org.mx};\r\n${dkim.map((d, i) => `\tdkim=pass (${d.algorithm === 'ed25519-sha256' ? 'Ed25519' : `${d.keyBits}-bit`} key) header.d=${d.domain} header.i=@${d.domain} header.b="${signatureStart(signed, i)}"`).join(';\r\n')}\r\n`
      : '';
    const trace =
      `Return-Path: <${plan.newsletter ? `bounce-${r.hex(10)}@envoi-esp.example` : plan.fromAddress.address}>\r\n` +
      `Delivered-To: ${owner.address}\r\n` +
      `Received: from ${outbound} (${outbound} [${senderOrg?.ip ?? '192.0.2.150'}])\r\n\tby ${owner.org.mx} (Postfix) with ESMTPS id ${r.chars('0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz', 14)}\r\n\tfor <${owner.address}>; ${formatRfc5322Date(plan.stored, ownerOffset)}\r\n` +
      auth;
    return { bytes: Buffer.concat([Buffer.from(trace, 'latin1'), delivered]), dkim, expect, files };
  }
}

function addr(p: Person): { name: string; address: string } {
  return { name: `${p.first} ${p.last}`, address: p.address };
}

/** First 8 characters of the i-th (top-first) signature's b= value, as header.b= shows. */
function signatureStart(message: Buffer, i: number): string {
  const fields = parseHeaderFields(splitMessage(message).header).filter((f) => f.name === 'dkim-signature');
  const raw = fields[fields.length - 1 - i]?.raw ?? '';
  const m = /;b=([^;]*)/.exec(raw.replace(/\s+/g, ''));
  return (m?.[1] ?? '').slice(0, 8);
}
