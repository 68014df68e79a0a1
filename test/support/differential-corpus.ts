/**
 * The shared messages of the differential DKIM test (test/dkim/differential.test.ts): one set of
 * bytes, DNS views and clocks that our engine, mailauth and dkimpy all judge.
 *
 *  (a) a generated trove (eml layout), its planted tampered messages included;
 *  (b) messages signed by three implementations other than the engine: the generator's signer,
 *      dkimpy (rsa-sha1, l=, simple/simple, ed25519) and mailauth (rsa-sha1, l=, ed25519, x=);
 *  (c) systematic tampering of signed messages from (a) and (b): body and subject edits, an added
 *      From:, header re-folding and unfolding, trailing blank or whitespace lines, a removed final
 *      line ending, bare LF, mbox ">From " quoting, a swapped, missing or revoked key, a body cut
 *      below l=, text appended after l=, and an expired x=.
 *
 * Deterministic: same seed, same bytes (dkimpy's and mailauth's clocks are pinned when they sign).
 * dkimpy is reached through test/support/dkimpy-verify.py; without python3-dkim the (b) messages
 * it would sign are left out, and `dkimpySigned` says so.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DKIMSignOptions } from 'mailauth';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { deriveDkimKey, dkimRecord, type GeneratedKey } from './generator/dkim-keys.ts';
import { signEmail, type Canonicalization, type DkimSignOptions } from './generator/dkim-sign.ts';
import { generateTrove, troveKeys } from './generator/index.ts';
import { TroveReader, readManifest } from './generator/trove-reader.ts';

/** TXT records the verifiers may look up, by `selector._domainkey.domain`; a name not listed does not exist. */
export type DnsView = Record<string, string>;

export interface CorpusMessage {
  /** Unique and stable: `trove/<path>`, `signed/<signer>/<base>`, `tamper/<kind>/<signed id>`. */
  id: string;
  /** What was done to the message: `trove`, `trove-tampered-body`, `signed`, or a tamper kind. */
  kind: string;
  /** Who signed it (for the trove, the manifest's signers), for reading disagreements. */
  signer: string;
  bytes: Buffer;
  dns: DnsView;
  /**
   * The moment mailauth and dkimpy check t= and x= against: shortly after the message was signed
   * (as its receiving server would have), except for the `expired-x` kind, which is checked at the
   * investigation date. Our engine never fails a signature on x= (it reports `expired`).
   */
  clock: Date;
}

export interface Corpus {
  messages: CorpusMessage[];
  /** The investigation date given to our engine. */
  asOf: Date;
  /** False when python3-dkim was not available, so no message signed by dkimpy is in the corpus. */
  dkimpySigned: boolean;
}

export const CORPUS_SEED = 20170302;
export const AS_OF = new Date('2026-11-26T00:00:00Z');
/** When the (b) messages were signed: 2 March 2017 13:03:11 UTC. */
const SIGNED_AT = 1488459791;
const DELIVERY_DELAY = 3600;
const WEEK = 7 * 86400;
const CRLF = '\r\n';

// ---------------------------------------------------------------------------------------------
// dkimpy through test/support/dkimpy-verify.py
// ---------------------------------------------------------------------------------------------

const DKIMPY_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'dkimpy-verify.py');

/** A Python interpreter that can `import dkim` (Debian's python3-dkim), and the script to run in it. */
export interface Dkimpy {
  python: string;
  /** One process for all items; one parsed JSON result per item, in order. */
  run<T>(op: 'verify' | 'sign', items: object[]): T[];
}

/**
 * Finds python3 with the dkim module: `$TROVE_PYTHON`, then `python3` on PATH, then the system
 * `/usr/bin/python3` (a pyenv or venv python3 on PATH does not see Debian's dist-packages).
 */
export function findDkimpy(): Dkimpy | null {
  const candidates = [process.env.TROVE_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const python of [...new Set(candidates)]) {
    const probe = spawnSync(python, ['-c', 'import dkim, nacl'], { stdio: 'ignore', timeout: 20_000 });
    if (probe.status !== 0) continue;
    return {
      python,
      run<T>(op: 'verify' | 'sign', items: object[]): T[] {
        const r = spawnSync(python, [DKIMPY_SCRIPT], { input: JSON.stringify({ op, items }), maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
        if (r.status !== 0) throw new Error(`dkimpy-verify.py ${op} exited with ${r.status ?? r.signal}: ${r.stderr?.toString().slice(0, 2000)}`);
        const lines = r.stdout.toString('utf8').split('\n').filter(Boolean);
        if (lines.length !== items.length) throw new Error(`dkimpy-verify.py ${op}: ${lines.length} results for ${items.length} items`);
        return lines.map((l) => JSON.parse(l) as T);
      },
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Keys and DNS
// ---------------------------------------------------------------------------------------------

/** PKCS#1 PEM for RSA; the raw 32-byte seed in base64 for Ed25519 (what dkimpy's nacl signer takes). */
function dkimpyPrivateKey(k: GeneratedKey): string {
  if (k.algorithm === 'ed25519-sha256') {
    const der = k.privateKey.export({ type: 'pkcs8', format: 'der' });
    return der.subarray(der.length - 32).toString('base64');
  }
  return k.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

const pkcs8Pem = (k: GeneratedKey): string => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The tags of a message's DKIM-Signature fields (whitespace removed), top first. */
export function signatureTags(message: Buffer): Record<string, string>[] {
  const text = message.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const fields = head.split(/\r?\n(?![ \t])/).filter((f) => /^dkim-signature\s*:/i.test(f));
  return fields.map((f) => {
    const tags: Record<string, string> = {};
    for (const spec of f.slice(f.indexOf(':') + 1).split(';')) {
      const eq = spec.indexOf('=');
      if (eq > 0) tags[spec.slice(0, eq).replace(/\s+/g, '')] = spec.slice(eq + 1).replace(/\s+/g, '');
    }
    return tags;
  });
}

// ---------------------------------------------------------------------------------------------
// Base messages for (b)
// ---------------------------------------------------------------------------------------------

/**
 * Three messages written for this test: a plain text one with a body line starting with "From "
 * (for mbox quoting), runs of spaces and trailing whitespace (so that relaxed and simple body
 * canonicalization differ), a multipart one with folded headers, and one with an empty body.
 */
function baseMessages(domain: string): { name: string; bytes: Buffer }[] {
  const plain =
    `From: =?utf-8?q?Fran=C3=A7ois_Morel?= <francois.morel@${domain}>\r\n` +
    `To: Bob Martin <bob.martin@acme-conseil.fr>,\r\n\tCarol Petit <carol.petit@acme-conseil.fr>\r\n` +
    `Cc: direction@${domain}\r\n` +
    `Subject: Budget =?utf-8?q?r=C3=A9vis=C3=A9?= pour la campagne de printemps,\r\n\tavec les annexes promises\r\n` +
    `Date: Thu, 2 Mar 2017 14:03:11 +0100\r\n` +
    `Message-ID: <budget-2017-03-02@${domain}>\r\n` +
    `MIME-Version: 1.0\r\n` +
    `Content-Type: text/plain; charset=utf-8\r\n` +
    `Content-Transfer-Encoding: 8bit\r\n` +
    `\r\n` +
    `Bonjour Bob,\r\n` +
    `\r\n` +
    `Voici le budget révisé pour la campagne.   Montant total :  45 000 €  \r\n` +
    `From now on, use this version and not the one of Tuesday.\r\n` +
    `\t\r\n` +
    `Les annexes suivent.\r\n` +
    `\r\n` +
    `François\r\n`;
  const boundary = '----=_Part_4711_20170302';
  const multipart =
    `Return-Path: <francois.morel@${domain}>\r\n` +
    `Received: from smtp.${domain} (smtp.${domain} [192.0.2.17])\r\n\tby mx.acme-conseil.fr (Postfix) with ESMTPS id 3vZ9Xq1k2Nz\r\n\tfor <bob.martin@acme-conseil.fr>; Thu,  2 Mar 2017 14:03:15 +0100 (CET)\r\n` +
    `From: "Morel, François" <francois.morel@${domain}>\r\n` +
    `To: bob.martin@acme-conseil.fr\r\n` +
    `Subject: =?iso-8859-1?q?Proc=E8s-verbal_de_la_r=E9union_du_1er_mars?=\r\n` +
    `Date: Thu, 02 Mar 2017 14:05:40 +0100\r\n` +
    `Message-ID: <pv-2017-03-01.4711@${domain}>\r\n` +
    `In-Reply-To: <agenda-2017-02-27@acme-conseil.fr>\r\n` +
    `References: <agenda-2017-02-20@acme-conseil.fr>\r\n <agenda-2017-02-27@acme-conseil.fr>\r\n` +
    `MIME-Version: 1.0\r\n` +
    `Content-Type: multipart/alternative;\r\n\tboundary="${boundary}"\r\n` +
    `\r\n` +
    `This is a multi-part message in MIME format.\r\n` +
    `--${boundary}\r\n` +
    `Content-Type: text/plain; charset=iso-8859-1\r\n` +
    `Content-Transfer-Encoding: quoted-printable\r\n` +
    `\r\n` +
    `Proc=E8s-verbal joint.  Merci de le relire avant vendredi.\r\n` +
    `\r\n` +
    `--${boundary}\r\n` +
    `Content-Type: text/html; charset=iso-8859-1\r\n` +
    `Content-Transfer-Encoding: quoted-printable\r\n` +
    `\r\n` +
    `<html><body><p>Proc=E8s-verbal joint. Merci de le relire avant vendredi.</p></body></html>\r\n` +
    `\r\n` +
    `--${boundary}--\r\n` +
    `\r\n` +
    `\r\n`;
  const empty = `From: alerts@${domain}\r\nTo: bob.martin@acme-conseil.fr\r\nSubject: (no body)\r\nDate: Thu, 2 Mar 2017 14:07:00 +0100\r\nMessage-ID: <empty-2017-03-02@${domain}>\r\n\r\n`;
  return [
    { name: 'plain', bytes: Buffer.from(plain, 'utf8') },
    { name: 'multipart', bytes: Buffer.from(multipart, 'latin1') },
    { name: 'empty-body', bytes: Buffer.from(empty, 'latin1') },
  ];
}

// ---------------------------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------------------------

function split(text: string): { head: string; body: string } | null {
  const end = text.indexOf('\r\n\r\n');
  return end < 0 ? null : { head: text.slice(0, end + 2), body: text.slice(end + 4) };
}

function mapBody(m: Buffer, f: (body: string) => string | null): Buffer | null {
  const s = split(m.toString('latin1'));
  if (!s) return null;
  const body = f(s.body);
  return body === null || body === s.body ? null : Buffer.from(`${s.head}\r\n${body}`, 'latin1');
}

function mapHead(m: Buffer, f: (head: string) => string | null): Buffer | null {
  const s = split(m.toString('latin1'));
  if (!s) return null;
  const head = f(s.head);
  return head === null || head === s.head ? null : Buffer.from(`${head}\r\n${s.body}`, 'latin1');
}

/** The smallest l= among the message's signatures, or null. */
function smallestL(m: Buffer): number | null {
  const ls = signatureTags(m).map((t) => t.l).filter((l): l is string => l !== undefined).map(Number);
  return ls.length ? Math.min(...ls) : null;
}

interface Tamper {
  kind: string;
  /** The altered message, or null when the alteration does not apply to this message. */
  message?: (m: Buffer) => Buffer | null;
  /** The altered DNS view, or null when it does not apply. */
  dns?: (dns: DnsView, m: Buffer, spare: Spare) => DnsView | null;
  /** The altered clock, or null when it does not apply. */
  clock?: (clock: Date, m: Buffer) => Date | null;
}

/** Keys that sign nothing, to swap in for a selector's own key. */
interface Spare {
  rsa: GeneratedKey;
  ed25519: GeneratedKey;
}

function signerNames(m: Buffer): { name: string; ed: boolean }[] {
  return signatureTags(m).map((t) => ({ name: `${t.s}._domainkey.${t.d}`.toLowerCase(), ed: (t.a ?? '').toLowerCase().startsWith('ed25519') }));
}

export const TAMPERS: readonly Tamper[] = [
  {
    kind: 'body-edit',
    // One letter of the first word of four letters or more in the body (inside any l= coverage).
    message: (m) => mapBody(m, (b) => b.replace(/[a-z]{4,}/, (w) => (w[0] === 'a' ? 'e' : 'a') + w.slice(1))),
  },
  {
    kind: 'subject-edit',
    message: (m) => mapHead(m, (h) => h.replace(/^(Subject:[^\r\n]*)/im, '$1 (confidentiel)')),
  },
  {
    kind: 'extra-from',
    message: (m) => Buffer.concat([Buffer.from('From: =?utf-8?q?Pr=C3=A9sident?= <president@elysee.example>\r\n', 'latin1'), m]),
  },
  {
    kind: 'refold-tab-to-space',
    // Header continuation lines that started with a tab re-indented with a space (Exchange, some MTAs).
    message: (m) => mapHead(m, (h) => h.replace(/\r\n\t/g, '\r\n ')),
  },
  {
    kind: 'refold-squeeze',
    // The folding whitespace of every continuation line squeezed to one space.
    message: (m) => mapHead(m, (h) => h.replace(/\r\n[ \t]+/g, '\r\n ')),
  },
  {
    kind: 'unfold',
    // Folded header fields joined onto one line, the folding whitespace kept.
    message: (m) => mapHead(m, (h) => h.replace(/\r\n(?=[ \t])/g, '')),
  },
  {
    kind: 'trailing-blank-lines',
    message: (m) => Buffer.concat([m, Buffer.from('\r\n\r\n\r\n', 'latin1')]),
  },
  {
    kind: 'trailing-whitespace-lines',
    message: (m) => Buffer.concat([m, Buffer.from(' \r\n\t\r\n  \r\n', 'latin1')]),
  },
  {
    kind: 'final-crlf-removed',
    // The last line of the body loses its line ending (both canonicalizations add it back).
    message: (m) => mapBody(m, (b) => b.replace(/(?:\r\n)+$/, '')),
  },
  {
    kind: 'bare-lf',
    message: (m) => Buffer.from(m.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'),
  },
  {
    kind: 'mbox-from-quoting',
    message: (m) => mapBody(m, (b) => b.replace(/^From /gm, '>From ')),
  },
  {
    kind: 'wrong-key',
    // Each signing selector publishes a different key of the same type.
    dns: (dns, m, spare) => {
      const out = { ...dns };
      for (const s of signerNames(m)) out[s.name] = dkimRecord(s.ed ? spare.ed25519 : spare.rsa);
      return signerNames(m).length ? out : null;
    },
  },
  {
    kind: 'missing-key',
    dns: (dns, m) => {
      const out = { ...dns };
      for (const s of signerNames(m)) delete out[s.name];
      return signerNames(m).length ? out : null;
    },
  },
  {
    kind: 'revoked-key',
    dns: (dns, m) => {
      const out = { ...dns };
      for (const s of signerNames(m)) out[s.name] = `v=DKIM1; k=${s.ed ? 'ed25519' : 'rsa'}; p=`;
      return signerNames(m).length ? out : null;
    },
  },
  {
    kind: 'truncated-below-l',
    // The body cut to half of what l= says was signed.
    message: (m) => {
      const l = smallestL(m);
      return l === null ? null : mapBody(m, (b) => `${b.slice(0, Math.floor(l / 2)).replace(/\r?\n?$/, '')}\r\n`);
    },
  },
  {
    kind: 'appended-after-l',
    // What l= allows: text added after the signed part of the body.
    message: (m) => (smallestL(m) === null ? null : mapBody(m, (b) => `${b}\r\nP.S. Le virement de 45 000 € doit partir aujourd'hui.\r\n`)),
  },
  {
    kind: 'expired-x',
    // The message unchanged, checked at the investigation date, after its x=.
    clock: (_clock, m) => (signatureTags(m).some((t) => t.x !== undefined && Number(t.x) * 1000 < AS_OF.getTime()) ? AS_OF : null),
  },
];

function applyTamper(t: Tamper, base: CorpusMessage, spare: Spare): CorpusMessage | null {
  const bytes = t.message ? t.message(base.bytes) : base.bytes;
  const dns = t.dns ? t.dns(base.dns, base.bytes, spare) : base.dns;
  const clock = t.clock ? t.clock(base.clock, base.bytes) : base.clock;
  if (!bytes || !dns || !clock) return null;
  return { id: `tamper/${t.kind}/${base.id}`, kind: t.kind, signer: base.signer, bytes, dns, clock };
}

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

interface SignerSpec {
  name: string;
  impl: 'generator' | 'dkimpy' | 'mailauth';
  key: GeneratedKey;
  algorithm: 'rsa-sha256' | 'rsa-sha1' | 'ed25519-sha256';
  canonicalization: Canonicalization;
  /** l=: true for the whole body (dkimpy), a number for a prefix (mailauth). */
  length?: true | number;
  expiration?: number;
  headers?: string[];
}

interface DkimpySignResult {
  id: string;
  header: string;
}

async function signWith(spec: SignerSpec, message: Buffer): Promise<Buffer> {
  if (spec.impl === 'generator') {
    const o: DkimSignOptions = { canonicalization: spec.canonicalization, timestamp: SIGNED_AT, expiration: spec.expiration };
    if (spec.headers) o.headers = spec.headers;
    return signEmail(message, spec.key, o);
  }
  const signature: DKIMSignOptions = {
    signingDomain: spec.key.domain,
    selector: spec.key.selector,
    privateKey: pkcs8Pem(spec.key),
    ...(typeof spec.length === 'number' ? { maxBodyLength: spec.length } : {}),
    ...(spec.headers ? { headerList: spec.headers } : {}),
  };
  // mailauth signs what signatureData lists; its index.d.ts also wants the key at the top level, where it is unused.
  const r = await dkimSign(message, {
    ...signature,
    canonicalization: spec.canonicalization,
    algorithm: spec.algorithm,
    signTime: new Date(SIGNED_AT * 1000),
    ...(spec.expiration ? { expires: new Date(spec.expiration * 1000) } : {}),
    signatureData: [signature],
  });
  if (r.errors.length || !r.signatures) throw new Error(`mailauth could not sign with ${spec.name}: ${JSON.stringify(r.errors)}`);
  return Buffer.concat([Buffer.from(r.signatures.replace(/\r?\n/g, CRLF), 'latin1'), message]);
}

/** Builds the corpus in `dir` (the trove is generated there). */
export async function buildCorpus(dir: string, dkimpy: Dkimpy | null, troveMessages = 150): Promise<Corpus> {
  // (a) The trove.
  await generateTrove(dir, { messages: troveMessages, seed: CORPUS_SEED, layout: 'eml' });
  const keys = troveKeys(CORPUS_SEED);
  const dns: DnsView = {};
  for (const [name, k] of keys) dns[name.toLowerCase()] = dkimRecord(k);
  const key = (name: string): GeneratedKey => {
    const k = keys.get(name);
    if (!k) throw new Error(`the trove has no key ${name}`);
    return k;
  };
  const spare: Spare = {
    rsa: deriveDkimKey(CORPUS_SEED, 'spare.example', 'swapped', 'rsa-sha256', 1024),
    ed25519: deriveDkimKey(CORPUS_SEED, 'spare.example', 'swapped-ed', 'ed25519-sha256'),
  };

  const messages: CorpusMessage[] = [];
  const reader = new TroveReader(dir);
  const { messages: manifest } = readManifest(dir);
  const tamperBases: CorpusMessage[] = [];
  const seenSigners = new Set<string>();
  for (const m of manifest) {
    const signer = m.dkim.map((d) => `${d.domain}/${d.selector} ${d.algorithm} ${d.canonicalization}`).join(' + ') || 'unsigned';
    const entry: CorpusMessage = {
      id: `trove/${m.path}`,
      kind: m.tampered ? `trove-tampered-${m.tampered}` : 'trove',
      signer,
      bytes: await reader.read(m.path),
      dns,
      clock: new Date(Date.parse(m.date) + DELIVERY_DELAY * 1000),
    };
    messages.push(entry);
    // The first intact message of each signing domain is tampered with in (c).
    const domains = [...new Set(m.dkim.map((d) => d.domain))].join('+');
    if (!m.tampered && m.dkim.length > 0 && !seenSigners.has(domains)) {
      seenSigners.add(domains);
      tamperBases.push(entry);
    }
  }

  // (b) Messages signed by the generator's signer, dkimpy and mailauth.
  const campagne = key('s2017._domainkey.campagne-exemple.fr');
  const acme = key('mail._domainkey.acme-conseil.fr');
  const northwindEd = key('ed2016._domainkey.northwind.example');
  const northwindRsa = key('rsa2016._domainkey.northwind.example');
  const esp = key('esp1._domainkey.envoi-esp.example');
  const specs: SignerSpec[] = [
    { name: 'generator-rsa-sha256-relaxed', impl: 'generator', key: campagne, algorithm: 'rsa-sha256', canonicalization: 'relaxed/relaxed' },
    { name: 'generator-rsa-sha256-simple', impl: 'generator', key: acme, algorithm: 'rsa-sha256', canonicalization: 'simple/simple' },
    { name: 'generator-ed25519-relaxed-x', impl: 'generator', key: northwindEd, algorithm: 'ed25519-sha256', canonicalization: 'relaxed/relaxed', expiration: SIGNED_AT + WEEK },
    { name: 'generator-rsa-sha256-relaxed-simple-x', impl: 'generator', key: northwindRsa, algorithm: 'rsa-sha256', canonicalization: 'relaxed/simple', expiration: SIGNED_AT + WEEK },
    { name: 'dkimpy-rsa-sha1-relaxed-simple', impl: 'dkimpy', key: campagne, algorithm: 'rsa-sha1', canonicalization: 'relaxed/simple' },
    { name: 'dkimpy-rsa-sha256-relaxed-l', impl: 'dkimpy', key: northwindRsa, algorithm: 'rsa-sha256', canonicalization: 'relaxed/relaxed', length: true },
    { name: 'dkimpy-rsa-sha256-simple', impl: 'dkimpy', key: acme, algorithm: 'rsa-sha256', canonicalization: 'simple/simple' },
    { name: 'dkimpy-ed25519-relaxed', impl: 'dkimpy', key: northwindEd, algorithm: 'ed25519-sha256', canonicalization: 'relaxed/relaxed' },
    { name: 'dkimpy-rsa-sha1-simple-l', impl: 'dkimpy', key: esp, algorithm: 'rsa-sha1', canonicalization: 'simple/simple', length: true },
    { name: 'mailauth-rsa-sha1-relaxed', impl: 'mailauth', key: campagne, algorithm: 'rsa-sha1', canonicalization: 'relaxed/relaxed' },
    { name: 'mailauth-rsa-sha256-simple-l', impl: 'mailauth', key: acme, algorithm: 'rsa-sha256', canonicalization: 'simple/simple', length: 120 },
    { name: 'mailauth-ed25519-relaxed-x', impl: 'mailauth', key: northwindEd, algorithm: 'ed25519-sha256', canonicalization: 'relaxed/relaxed', expiration: SIGNED_AT + WEEK },
  ];
  const clock = new Date((SIGNED_AT + DELIVERY_DELAY) * 1000);
  const signed: CorpusMessage[] = [];
  const pending: { spec: SignerSpec; base: { name: string; bytes: Buffer }; id: string }[] = [];
  for (const spec of specs) {
    for (const base of baseMessages(spec.key.domain)) {
      const id = `signed/${spec.name}/${base.name}`;
      if (spec.impl === 'dkimpy') pending.push({ spec, base, id });
      else signed.push({ id, kind: 'signed', signer: spec.name, bytes: await signWith(spec, base.bytes), dns, clock });
    }
  }
  if (dkimpy) {
    const results = dkimpy.run<DkimpySignResult>(
      'sign',
      pending.map(({ spec, base, id }) => ({
        id,
        message: base.bytes.toString('base64'),
        domain: spec.key.domain,
        selector: spec.key.selector,
        key: dkimpyPrivateKey(spec.key),
        algorithm: spec.algorithm,
        canonicalization: spec.canonicalization,
        headers: spec.headers ?? null,
        length: spec.length === true,
        now: SIGNED_AT,
      })),
    );
    results.forEach((r, i) => {
      const p = pending[i]!;
      signed.push({ id: p.id, kind: 'signed', signer: p.spec.name, bytes: Buffer.concat([Buffer.from(r.header, 'base64'), p.base.bytes]), dns, clock });
    });
  }
  signed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  messages.push(...signed);

  // (c) Tampering: every alteration of every applicable base.
  for (const base of [...signed.filter((s) => s.id.endsWith('/plain')), ...tamperBases]) {
    for (const t of TAMPERS) {
      const altered = applyTamper(t, base, spare);
      if (altered) messages.push(altered);
    }
  }
  return { messages, asOf: AS_OF, dkimpySigned: dkimpy !== null };
}
