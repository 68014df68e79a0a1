/**
 * The trove generator: reproducible output, a manifest that matches the disk, valid file formats,
 * and DKIM signatures that an independent check (written here, on node:crypto) accepts.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PostalMime from 'postal-mime';
import {
  buildDocx,
  buildEmail,
  buildJpeg,
  buildPdf,
  buildXlsx,
  deriveDkimKey,
  generateTrove,
  readManifest,
  readZipMembers,
  signEmail,
  TroveReader,
} from './generator/index.ts';
import type { DkimAlgorithm } from './generator/index.ts';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const work = mkdtempSync(join(tmpdir(), 'trove-generator-'));
after(() => rmSync(work, { recursive: true, force: true }));

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

// ---- An independent DKIM check: RFC 6376 §3.4 canonicalization and §3.7 hashes, by hand. ----

function unfoldHeaders(message: Buffer): { header: string[]; body: string } {
  const text = message.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const fields: string[] = [];
  for (const line of text.slice(0, end).split('\r\n')) {
    if (/^[ \t]/.test(line)) fields[fields.length - 1] += '\r\n' + line;
    else fields.push(line);
  }
  return { header: fields, body: text.slice(end + 4) };
}

function canonHeader(field: string, relaxed: boolean): string {
  if (!relaxed) return field + '\r\n';
  const colon = field.indexOf(':');
  return field.slice(0, colon).toLowerCase().trim() + ':' + field.slice(colon + 1).replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim() + '\r\n';
}

function canonBody(body: string, relaxed: boolean): string {
  let lines = body.split('\r\n');
  if (relaxed) lines = lines.map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return relaxed ? '' : '\r\n';
  return lines.join('\r\n') + '\r\n';
}

/** Verifies the DKIM-Signature field number `which` (0 = topmost) with `publicKey`. */
function checkDkim(message: Buffer, publicKey: KeyObject, which = 0): { bodyHash: boolean; signature: boolean; algorithm: string } {
  const { header, body } = unfoldHeaders(message);
  const sigFields = header.filter((f) => /^dkim-signature:/i.test(f));
  const sigField = sigFields[which] as string;
  const tags = new Map<string, string>();
  for (const part of sigField.slice(sigField.indexOf(':') + 1).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  const [hc, bc] = (tags.get('c') ?? 'simple/simple').split('/');
  const bodyHash = createHash('sha256').update(canonBody(body, bc === 'relaxed'), 'latin1').digest('base64') === tags.get('bh');
  const used = new Set<number>();
  let data = '';
  for (const name of (tags.get('h') ?? '').split(':')) {
    for (let i = header.length - 1; i >= 0; i--) {
      const f = header[i] as string;
      if (!used.has(i) && f.slice(0, f.indexOf(':')).trim().toLowerCase() === name.toLowerCase()) {
        used.add(i);
        data += canonHeader(f, hc === 'relaxed');
        break;
      }
    }
  }
  data += canonHeader(sigField.replace(/(;\s*b=)[^;]*/, '$1'), hc === 'relaxed').slice(0, -2);
  const sig = Buffer.from(tags.get('b') ?? '', 'base64');
  const algorithm = tags.get('a') ?? '';
  const signature =
    algorithm === 'ed25519-sha256'
      ? verify(null, createHash('sha256').update(data, 'latin1').digest(), publicKey, sig)
      : verify('sha256', Buffer.from(data, 'latin1'), publicKey, sig);
  return { bodyHash, signature, algorithm };
}

/** A PDF starts with `%PDF-1.`, ends with `%%EOF`, and each xref entry points at its object. */
function assertPdfXref(pdf: Buffer): void {
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.'));
  assert.ok(text.endsWith('%%EOF\n'));
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  assert.ok(text.startsWith('xref\n', startxref));
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
  assert.equal(Number(first), 0);
  const table = text.slice(startxref).split('\n').slice(2, 2 + Number(count));
  table.forEach((entry, n) => {
    assert.equal(entry.length + 1, 20, 'each xref entry is 20 bytes');
    if (n === 0) return assert.match(entry, /^0000000000 65535 f\r$/);
    assert.ok(text.startsWith(`${n} 0 obj\n`, Number(entry.slice(0, 10))), `object ${n} at its offset`);
  });
}

/** The attached or loose file has the shape its type promises. */
function assertFileShape(bytes: Buffer, contentType: string, where: string): void {
  if (contentType === 'application/pdf') assertPdfXref(bytes);
  else if (contentType === 'image/jpeg') {
    assert.deepEqual([...bytes.subarray(0, 2), ...bytes.subarray(-2)], [0xff, 0xd8, 0xff, 0xd9], where);
  } else assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], where);
}

function zoneKeys(dir: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const line of readFileSync(join(dir, 'keys.zone'), 'utf8').split('\n')) {
    if (!line || line.startsWith(';')) continue;
    const strings = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
    assert.ok(strings.every((s) => s.length <= 255), 'TXT strings are at most 255 characters');
    const record = strings.join('');
    const p = Buffer.from(/p=([^;]+)/.exec(record)?.[1] ?? '', 'base64');
    const name = (line.split(' ')[0] as string).replace(/\.$/, '');
    const key = /k=ed25519/.test(record)
      ? createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), p]), format: 'der', type: 'spki' })
      : createPublicKey({ key: p, format: 'der', type: 'spki' });
    keys.set(name, key);
  }
  return keys;
}

describe('generateTrove', () => {
  const mixedA = join(work, 'mixed-a');
  const mixedB = join(work, 'mixed-b');
  let summary: { messages: number; files: number; bytes: number };

  before(async () => {
    summary = await generateTrove(mixedA, { messages: 60, seed: 7 });
    await generateTrove(mixedB, { messages: 60, seed: 7 });
  });

  it('gives byte-identical troves for the same seed, signatures included', () => {
    assert.equal(readFileSync(join(mixedA, 'manifest.jsonl'), 'utf8'), readFileSync(join(mixedB, 'manifest.jsonl'), 'utf8'));
    assert.equal(readFileSync(join(mixedA, 'keys.private.json'), 'utf8'), readFileSync(join(mixedB, 'keys.private.json'), 'utf8'));
    assert.equal(sha256(readFileSync(join(mixedA, 'leak/archive.zip'))), sha256(readFileSync(join(mixedB, 'leak/archive.zip'))));
  });

  it('gives different troves for different seeds, and the same messages in every layout', async () => {
    const other = join(work, 'maildir-seed-8');
    const same = join(work, 'maildir-seed-7');
    await generateTrove(other, { messages: 20, seed: 8, layout: 'maildir' });
    await generateTrove(same, { messages: 60, seed: 7, layout: 'maildir' });
    const shas = (dir: string): string[] => readManifest(dir).messages.map((m) => m.sha256);
    const seven = new Set(shas(mixedA));
    assert.ok(shas(other).every((s) => !seven.has(s)));
    assert.deepEqual(shas(same), shas(mixedA));
  });

  it('writes a header and counts that match the lines and the disk', () => {
    const { header, messages, documents } = readManifest(mixedA);
    assert.equal(header.seed, 7);
    assert.equal(header.options.layout, 'mixed');
    assert.equal(header.counts.messages, 60);
    assert.equal(messages.length, 60);
    assert.equal(documents.length, header.counts.documents);
    assert.equal(summary.messages, 60);
    assert.equal(countFiles(mixedA), summary.files);
    assert.equal(header.counts.files, summary.files - 1);
    assert.equal(header.counts.attachments, messages.reduce((n, m) => n + m.attachments.length, 0));
    assert.ok(documents.some((d) => d.copyOf !== null), 'some loose documents copy an attachment');
    assert.ok(documents.some((d) => d.alteredFrom !== null), 'some loose documents are forged near-copies');
    assert.ok(messages.some((m) => m.path.includes('.mbox#')) && messages.some((m) => m.path.includes('/Maildir/')));
    assert.ok(messages.some((m) => m.path.startsWith('leak/archive.zip/paul.martin/inbox.mbox#')));
    assert.ok(messages.some((m) => /^leak\/archive\.zip\/paul\.martin\/Envoyés\/.+\.eml$/.test(m.path)));
    assert.ok(documents.some((d) => d.path.startsWith('leak/archive.zip/pieces-jointes/')) && documents.some((d) => d.path.startsWith('leak/documents/')));
    assert.ok(messages.some((m) => m.path.startsWith('leak/eml/')));
    assert.ok(messages.some((m) => m.fromQuoted > 0), 'some mbox body lines needed >From quoting');
    assert.ok(messages.some((m) => m.lineEndings === 'lf'));
  });

  it('records hashes that match every message and document on disk', async () => {
    const reader = new TroveReader(mixedA);
    const { messages, documents } = readManifest(mixedA);
    const attachmentShas = new Set(messages.flatMap((m) => m.attachments.map((a) => a.sha256)));
    for (const m of messages) assert.equal(sha256(await reader.read(m.path)), m.sha256, m.path);
    for (const d of documents) {
      const bytes = await reader.read(d.path);
      assert.equal(sha256(bytes), d.sha256, d.path);
      assertFileShape(bytes, d.contentType, d.path);
      if (d.copyOf) assert.ok(d.copyOf === d.sha256 && attachmentShas.has(d.copyOf), `${d.path} is a copy of an attachment`);
      if (d.alteredFrom) assert.ok(attachmentShas.has(d.alteredFrom) && d.sha256 !== d.alteredFrom);
    }
  });

  it('writes MIME that a parser decodes to the recorded attachments, with CRLF line endings', async () => {
    const reader = new TroveReader(mixedA);
    const { messages } = readManifest(mixedA);
    let withFiles = 0;
    for (const m of messages) {
      const bytes = await reader.read(m.path);
      assert.ok(!/[^\r]\n/.test(bytes.toString('latin1')), `${m.path} has only CRLF line endings`);
      const parsed = await PostalMime.parse(bytes);
      assert.ok(parsed.subject && !parsed.subject.includes('=?'), `${m.path}: subject decodes`);
      assert.equal(parsed.messageId, m.messageId);
      const got = parsed.attachments.map((a) => ({ filename: a.filename, sha256: sha256(new Uint8Array(a.content as ArrayBuffer)) }));
      assert.deepEqual(got, m.attachments.map((a) => ({ filename: a.filename, sha256: a.sha256 })), m.path);
      parsed.attachments.forEach((a, i) => assertFileShape(Buffer.from(a.content as ArrayBuffer), m.attachments[i]?.contentType ?? '', `${m.path} ${a.filename}`));
      if (got.length) withFiles++;
    }
    assert.ok(withFiles > 5);
    const shas = messages.flatMap((m) => m.attachments.map((a) => a.sha256));
    assert.ok(new Set(shas).size < shas.length, 'some attachments are sent more than once');
  });

  it('signs inbox copies so that an independent check verifies them (RSA and Ed25519)', async () => {
    const reader = new TroveReader(mixedA);
    const keys = zoneKeys(mixedA);
    const seen = new Set<string>();
    const tampered = new Set<string>();
    for (const m of readManifest(mixedA).messages) {
      const bytes = await reader.read(m.path);
      // Signers prepend: the last signature in the manifest is the topmost field.
      m.dkim.forEach((sig, i) => {
        const result = checkDkim(bytes, keys.get(`${sig.selector}._domainkey.${sig.domain}`) as KeyObject, m.dkim.length - 1 - i);
        assert.equal(result.algorithm, sig.algorithm);
        // Body altered: headers still verify, the body hash does not; headers altered: the reverse.
        assert.equal(result.bodyHash, m.tampered !== 'body', m.path);
        assert.equal(result.signature, m.tampered !== 'headers', m.path);
        if (m.tampered) tampered.add(m.tampered);
        seen.add(`${sig.algorithm} ${sig.canonicalization}`);
      });
      if (m.folder === 'sent') assert.equal(m.dkim.length, 0);
      assert.equal(m.expect === 'unsigned', m.dkim.length === 0);
    }
    assert.ok(seen.has('rsa-sha256 relaxed/relaxed') && seen.has('ed25519-sha256 relaxed/relaxed'), [...seen].join(', '));
    assert.deepEqual([...tampered].sort(), ['body', 'headers']);
  });

  it('fills the other layouts', async () => {
    for (const layout of ['mbox', 'eml'] as const) {
      const dir = join(work, layout);
      const s = await generateTrove(dir, { messages: 12, seed: 7, layout });
      const reader = new TroveReader(dir);
      const { messages } = readManifest(dir);
      for (const m of messages) assert.equal(sha256(await reader.read(m.path)), m.sha256);
      assert.equal(countFiles(dir), s.files);
      if (layout === 'mbox') assert.ok(messages.every((m) => m.path.startsWith('all.mbox#')));
      else assert.ok(messages.every((m) => /^eml\/[^/]+\/\d{4}\/\d{2}\/\d+\.eml$/.test(m.path)));
    }
    const maildir = join(work, 'maildir-seed-7');
    for (const sub of ['cur', 'new', 'tmp']) assert.ok(statSync(join(maildir, 'Maildir', sub)).isDirectory());
    assert.ok(readdirSync(join(maildir, 'Maildir/cur')).every((n) => /^\d{10}\.M\d+P\d+Q\d+\.[\w-]+,S=\d+:2,[A-Z]*$/.test(n)));
  });

  it('refuses bad options and non-empty foreign directories', async () => {
    await assert.rejects(generateTrove(join(work, 'x'), { messages: -1 }), { code: 'bad-messages' });
    await assert.rejects(generateTrove(join(work, 'x'), { messages: 1, layout: 'pst' as never }), { code: 'bad-layout' });
    await assert.rejects(generateTrove(join(work, 'mixed-a', 'leak'), { messages: 1 }), { code: 'output-not-empty' });
  });
});

describe('file builders', () => {
  it('buildDocx and buildXlsx make OOXML zips with the expected parts and metadata', async () => {
    const meta = { creator: 'Hélène Durand', lastModifiedBy: 'François Mercier', created: Date.UTC(2017, 1, 3, 9), modified: Date.UTC(2017, 2, 2, 13, 3), company: 'Campagne Exemple', appVersion: '15.0000' };
    const docx = await buildDocx({ ...meta, title: 'Note « test »', paragraphs: ['Première ligne, ça marche.'] });
    const xlsx = await buildXlsx({ ...meta, application: 'Microsoft Excel', sheets: [{ name: 'Budget', rows: [['Poste', 'Montant'], ['Salle', 1200.5]] }] });
    assert.deepEqual([...docx.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
    const d = await readZipMembers(writeTemp('t.docx', docx));
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'docProps/core.xml', 'docProps/app.xml']) assert.ok(d.has(part), part);
    const core = d.get('docProps/core.xml')?.toString('utf8') ?? '';
    assert.match(core, /<dc:creator>Hélène Durand<\/dc:creator>/);
    assert.match(core, /<cp:lastModifiedBy>François Mercier<\/cp:lastModifiedBy>/);
    assert.match(core, /<dcterms:created xsi:type="dcterms:W3CDTF">2017-02-03T09:00:00Z<\/dcterms:created>/);
    assert.match(core, /<dcterms:modified xsi:type="dcterms:W3CDTF">2017-03-02T13:03:00Z<\/dcterms:modified>/);
    const app = d.get('docProps/app.xml')?.toString('utf8') ?? '';
    assert.match(app, /<Application>Microsoft Office Word<\/Application>/);
    assert.match(app, /<AppVersion>15.0000<\/AppVersion>/);
    assert.match(app, /<Company>Campagne Exemple<\/Company>/);
    assert.match(d.get('word/document.xml')?.toString('utf8') ?? '', /Première ligne, ça marche\./);
    const x = await readZipMembers(writeTemp('t.xlsx', xlsx));
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'docProps/core.xml', 'docProps/app.xml']) assert.ok(x.has(part), part);
    assert.match(x.get('docProps/app.xml')?.toString('utf8') ?? '', /<Application>Microsoft Excel<\/Application>/);
  });

  it('buildPdf writes a PDF 1.4 whose xref offsets point at their objects', () => {
    const jpeg = buildJpeg({ width: 64, height: 48 });
    const pdf = buildPdf({ title: 'Compte rendu', author: 'Zoé Château', creator: 'Microsoft® Word 2016', producer: 'Microsoft® Word 2016', created: Date.UTC(2017, 2, 1), modified: Date.UTC(2017, 2, 2), pages: [{ lines: ['Réunion (ordre du jour)', 'Œuvre à 25 €'] }, { jpeg, widthPx: 64, heightPx: 48 }] });
    assertPdfXref(pdf);
    const text = pdf.toString('latin1');
    assert.match(text, /\/Info (\d+) 0 R/);
    assert.match(text, /\/Author <FEFF/);
    assert.match(text, /\/CreationDate \(D:20170301010000\+01'00'\)/);
  });

  it('buildJpeg writes a baseline JPEG with an Exif block', () => {
    const jpeg = buildJpeg({ width: 50, height: 30, exif: { make: 'Apple', model: 'iPhone 7', taken: Date.UTC(2017, 2, 2, 13, 3, 11), offsetMinutes: 60, gps: { lat: 48.85, lon: 2.35 } } });
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
    assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9]);
    // Walk the marker segments up to the scan.
    const markers: number[] = [];
    let at = 2;
    let sofAt = 0;
    for (;;) {
      assert.equal(jpeg[at], 0xff);
      const marker = jpeg[at + 1] as number;
      markers.push(marker);
      if (marker === 0xc0) sofAt = at;
      const len = jpeg.readUInt16BE(at + 2);
      if (marker === 0xda) break;
      at += 2 + len;
    }
    assert.deepEqual(markers, [0xe1, 0xdb, 0xc0, 0xc4, 0xda]);
    const exif = jpeg.subarray(4, 4 + jpeg.readUInt16BE(4)).toString('latin1');
    assert.ok(exif.includes('Exif\0\0MM\0*') && exif.includes('Apple') && exif.includes('iPhone 7') && exif.includes('2017:03:02 14:03:11'));
    assert.equal(jpeg[sofAt + 4], 8, 'SOF0 precision');
    assert.equal(jpeg.readUInt16BE(sofAt + 5), 30, 'SOF0 height');
    assert.equal(jpeg.readUInt16BE(sofAt + 7), 50, 'SOF0 width');
  });
});

describe('buildEmail and signEmail', () => {
  const base = {
    from: { name: 'Hélène Durand', address: 'helene@campagne-exemple.fr' },
    to: [{ name: 'Иван Петров', address: 'ivan@pochta.example' }, { address: 'x@northwind.example' }],
    subject: 'Réunion « budget » : œuvres, 25 € — très long sujet pour tester le pliage des en-têtes',
    date: Date.UTC(2017, 2, 2, 13, 3, 11),
    zoneOffsetMinutes: 60,
    messageId: 'abc.123@campagne-exemple.fr',
    text: 'Bonjour,\n\nFrom the start, ça va.   \nÀ bientôt\n',
  };

  it('encodes headers per RFC 2047 and file names per RFC 2231, in the requested charsets', async () => {
    const cases = [
      { charset: 'windows-1252', encoding: 'Q', label: 'windows-1252' },
      { charset: 'ISO-8859-1', encoding: 'Q', label: 'ISO-8859-1' },
      { charset: 'UTF-8', encoding: 'B' },
    ] as const;
    for (const enc of cases) {
      const msg = buildEmail({ ...base, subjectEncoding: enc, attachments: [{ filename: 'Compte-rendu réunion du 2 mars 2017 (version définitive).pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n') }] });
      const text = msg.toString('latin1');
      assert.ok(text.split('\r\n').every((l) => l.length <= 998));
      const label = 'label' in enc ? enc.label : enc.charset;
      if (enc.charset !== 'ISO-8859-1') assert.ok(text.includes(`=?${label}?${enc.encoding}?`), enc.charset);
      assert.match(text, /filename\*0\*=UTF-8''Compte-rendu%20r%C3%A9union/);
      const parsed = await PostalMime.parse(msg);
      assert.equal(parsed.subject, base.subject);
      assert.equal(parsed.to?.[0]?.name, 'Иван Петров');
      assert.equal(parsed.attachments[0]?.filename, 'Compte-rendu réunion du 2 mars 2017 (version définitive).pdf');
      assert.equal(parsed.text?.replace(/\r\n/g, '\n').trimEnd(), 'Bonjour,\n\nFrom the start, ça va.   \nÀ bientôt');
    }
    const russian = buildEmail({ ...base, subject: 'Счёт за март', subjectEncoding: { charset: 'koi8-r', encoding: 'B', label: 'koi8-r' }, bodyCharset: 'koi8-r', textEncoding: '8bit', text: 'Добрый день!' });
    assert.match(russian.toString('latin1'), /Subject: =\?koi8-r\?B\?/);
    const parsed = await PostalMime.parse(russian);
    assert.equal(parsed.subject, 'Счёт за март');
    assert.equal(parsed.text?.trim(), 'Добрый день!');
  });

  for (const algorithm of ['rsa-sha256', 'ed25519-sha256'] as DkimAlgorithm[]) {
    for (const canonicalization of ['relaxed/relaxed', 'simple/simple'] as const) {
      it(`signs with ${algorithm} ${canonicalization} so that node:crypto verifies it`, () => {
        const pair = algorithm === 'rsa-sha256' ? generateKeyPairSync('rsa', { modulusLength: 1024 }) : generateKeyPairSync('ed25519');
        const key = { domain: 'campagne-exemple.fr', selector: 'test', algorithm, privateKey: pair.privateKey };
        const message = buildEmail({ ...base, html: '<p>Bonjour</p>' });
        const signed = signEmail(message, key, { canonicalization, timestamp: 1488459791 });
        assert.ok(signed.subarray(signed.length - message.length).equals(message), 'the message is unchanged under the new header');
        const field = signed.subarray(0, signed.length - message.length).toString('latin1');
        assert.match(field, /^DKIM-Signature: v=1; a=[\w-]+; c=[\w/]+;\s+d=campagne-exemple\.fr;/);
        assert.match(field, /\r\n\th=from:to:subject:date:message-id:mime-version:content-type;\r\n\tbh=/);
        assert.ok(field.split('\r\n').every((l) => l.length <= 80), 'folded like real signers');
        assert.deepEqual(checkDkim(signed, pair.publicKey), { bodyHash: true, signature: true, algorithm });
        const tampered = Buffer.from(signed.toString('latin1').replace('From the start', 'From the close'), 'latin1');
        assert.equal(checkDkim(tampered, pair.publicKey).bodyHash, false);
      });
    }
  }

  it('derives the same keys from the same seed', () => {
    const a = deriveDkimKey(3, 'example.fr', 's1', 'rsa-sha256', 1024);
    const b = deriveDkimKey(3, 'example.fr', 's1', 'rsa-sha256', 1024);
    assert.equal(a.publicKeyDns, b.publicKeyDns);
    assert.equal(a.bits, 1024);
    assert.notEqual(deriveDkimKey(4, 'example.fr', 's1', 'rsa-sha256', 1024).publicKeyDns, a.publicKeyDns);
    assert.equal(Buffer.from(deriveDkimKey(3, 'example.fr', 'ed', 'ed25519-sha256').publicKeyDns, 'base64').length, 32);
  });
});

function writeTemp(name: string, bytes: Buffer): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}
