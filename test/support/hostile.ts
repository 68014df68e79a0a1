/**
 * Builders of hostile input for the ingest tests: each writes one bad case (or one small set of bad
 * files) into a directory and says what it wrote. They are deterministic (fixed dates, seeded "random"
 * bytes), fast (tens of milliseconds) and small on disk (the 64 MiB zip bomb takes ~65 KB).
 *
 * Zip layout references are to PKWARE's APPNOTE.TXT: local file header §4.3.7, central directory
 * header §4.3.12, end of central directory §4.3.16, general purpose flags §4.4.4 (bit 0 encrypted,
 * bit 3 data descriptor, bit 11 UTF-8 names), CP437 names when bit 11 is clear (Appendix D).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';

/** One file written by a builder. */
export interface HostileFixture {
  path: string;
  /** What is wrong with it, in plain words, for test names and failure messages. */
  description: string;
}

/** Several files written into one new subdirectory (`path`); `files` describes each. */
export interface HostileFileSet extends HostileFixture {
  files: HostileFixture[];
}

export interface TruncatedZipFixture extends HostileFixture {
  /** Names of the entries of the zip before it was cut. */
  entryNames: string[];
  fullBytes: number;
  truncatedBytes: number;
  /** Where the central directory started in the full zip; the cut is before it. */
  centralDirectoryOffset: number;
}

export interface ZipBombFixture extends HostileFixture {
  bombEntry: string;
  smallEntry: string;
  /** What the bomb entry inflates to (and declares): 64 MiB of zeros. */
  uncompressedBytes: number;
  compressedBytes: number;
  /** uncompressedBytes / compressedBytes. */
  ratio: number;
}

export interface LyingSizeZipFixture extends HostileFixture {
  lyingEntry: string;
  honestEntry: string;
  /** The uncompressed size written in the local and central headers. */
  declaredBytes: number;
  /** What the deflate stream really inflates to (the CRC in the headers is of these bytes). */
  actualBytes: number;
}

export interface ZipEntriesFixture extends HostileFixture {
  entryNames: string[];
}

export interface EncryptedZipFixture extends HostileFixture {
  plainEntry: string;
  encryptedEntry: string;
}

export interface NestedZipFixture extends HostileFixture {
  depth: number;
  /** Path of deep.txt through the nested archives, e.g. `level-2.zip/level-3.zip/deep.txt`. */
  innermostPath: string;
  /** Content of deep.txt. */
  deepText: string;
}

export interface Cp437ZipFixture extends HostileFixture {
  entries: { raw: Uint8Array; name: string; utf8Flag: boolean }[];
}

/** The size of the zip bomb's entry. */
export const ZIP_BOMB_BYTES = 64 * 1024 * 1024;
/** How deep `writeBrokenEmails` nests multiparts. */
export const DEEP_MULTIPART_LEVELS = 100;
/** Upper bound accepted by `writeNestedZips`, to keep it a fixture and not a disk filler. */
export const MAX_FIXTURE_NESTING = 1000;

/** Every zip entry gets this date, so fixtures are byte-identical from run to run. */
const FIXED_DATE = new Date(Date.UTC(2017, 4, 5, 12, 0, 0));
// DOS time and date of FIXED_DATE (APPNOTE §4.4.6): 12:00:00 on 2017-05-05.
const DOS_TIME = 12 << 11;
const DOS_DATE = ((2017 - 1980) << 9) | (5 << 5) | 5;

const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const LOCAL_HEADER_SIG = 0x04034b50;
const CENTRAL_HEADER_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;

/** A valid yazl zip with a few text entries, cut in half: local headers and data, no central directory. */
export async function writeTruncatedZip(dir: string): Promise<TruncatedZipFixture> {
  const entries = ['letters/one.txt', 'letters/two.txt', 'notes.txt'];
  const full = await yazlZip((zip) => {
    entries.forEach((name, i) => zip.addBuffer(Buffer.from(lines(`${name} line`, 120 + i * 40)), name, { mtime: FIXED_DATE, compress: false }));
  });
  const { centralDirectoryOffset } = centralDirectory(full);
  const cut = Math.floor(full.length / 2);
  if (cut >= centralDirectoryOffset) throw new Error('truncated zip fixture: the cut must fall before the central directory');
  const path = join(dir, 'truncated.zip');
  await writeFile(path, full.subarray(0, cut));
  return {
    path,
    description: `a zip of ${entries.length} text entries cut at byte ${cut} of ${full.length}: no central directory, no end record`,
    entryNames: entries,
    fullBytes: full.length,
    truncatedBytes: cut,
    centralDirectoryOffset,
  };
}

/** One deflated entry of 64 MiB of zeros (~65 KB compressed, ratio > 1000) and one small text entry. */
export async function writeZipBomb(dir: string): Promise<ZipBombFixture> {
  const { deflated, crc } = zerosDeflated();
  const small = Buffer.from('This entry is small and harmless.\n');
  const zip = buildZip([
    { name: 'zeros.bin', data: deflated, method: 8, crc32: crc, uncompressedSize: ZIP_BOMB_BYTES },
    { name: 'readme.txt', data: small },
  ]);
  const path = join(dir, 'bomb.zip');
  await writeFile(path, zip);
  const ratio = ZIP_BOMB_BYTES / deflated.length;
  return {
    path,
    description: `zip bomb: zeros.bin inflates ${deflated.length} bytes to ${ZIP_BOMB_BYTES} (ratio ${Math.round(ratio)}), next to a small readme.txt`,
    bombEntry: 'zeros.bin',
    smallEntry: 'readme.txt',
    uncompressedBytes: ZIP_BOMB_BYTES,
    compressedBytes: deflated.length,
    ratio,
  };
}

let zerosCache: { deflated: Buffer; crc: number } | undefined;

/**
 * 64 MiB of zeros as one raw deflate stream, built from one deflated 4 MiB chunk repeated: a full flush
 * ends the chunk byte-aligned with no reference to earlier data, so copies of it chain into a valid
 * stream, closed by an empty final fixed-Huffman block (bits 1, 01, then end-of-block: bytes 03 00).
 * About 20 ms instead of ~300 ms for deflating 64 MiB.
 */
function zerosDeflated(): { deflated: Buffer; crc: number } {
  if (zerosCache !== undefined) return zerosCache;
  const chunkBytes = 4 * 1024 * 1024;
  const zeros = Buffer.alloc(chunkBytes);
  const chunk = deflateRawSync(zeros, { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  const copies = ZIP_BOMB_BYTES / chunkBytes;
  let crc = 0;
  for (let i = 0; i < copies; i++) crc = crc32(zeros, crc);
  zerosCache = { deflated: Buffer.concat([...Array<Buffer>(copies).fill(chunk), Buffer.of(0x03, 0x00)]), crc };
  return zerosCache;
}

/**
 * A yazl zip whose deflated `lying.txt` declares 1 KiB uncompressed (local and central headers) while
 * its stream inflates to ~100 KB. The CRC stays that of the real 100 KB, so a reader that stops at the
 * declared size also sees a CRC mismatch.
 */
export async function writeLyingSizeZip(dir: string): Promise<LyingSizeZipFixture> {
  const lying = Buffer.from(lines('this line is part of a much longer entry than its header says', 1500));
  const honest = Buffer.from('This entry tells the truth about its size.\n');
  const declared = 1024;
  const zip = await yazlZip((z) => {
    z.addBuffer(lying, 'lying.txt', { mtime: FIXED_DATE, compress: true });
    z.addBuffer(honest, 'honest.txt', { mtime: FIXED_DATE, compress: true });
  });
  const entry = centralDirectory(zip).entries.find((e) => e.name === 'lying.txt');
  if (entry === undefined) throw new Error('lying-size zip fixture: lying.txt not found');
  const flags = zip.readUInt16LE(entry.centralOffset + 8);
  if ((flags & FLAG_DATA_DESCRIPTOR) !== 0) throw new Error('lying-size zip fixture: yazl wrote a data descriptor; patch it too');
  zip.writeUInt32LE(declared, entry.centralOffset + 24); // central header: uncompressed size
  zip.writeUInt32LE(declared, entry.localOffset + 22); // local header: uncompressed size
  const path = join(dir, 'lying-size.zip');
  await writeFile(path, zip);
  return {
    path,
    description: `lying.txt declares ${declared} bytes but its deflate stream inflates to ${lying.length}; the CRC is of the real bytes`,
    lyingEntry: 'lying.txt',
    honestEntry: 'honest.txt',
    declaredBytes: declared,
    actualBytes: lying.length,
  };
}

/** Stored entries whose names try to escape the extraction directory, next to one safe entry. */
export async function writeTraversalZip(dir: string): Promise<ZipEntriesFixture> {
  const names = ['../../outside.txt', '/etc/evil.txt', 'a/../../b.txt', 'C:\\Windows\\x.txt', 'safe/inside.txt'];
  const zip = buildZip(names.map((name) => ({ name, data: Buffer.from(`content of ${name}\n`) })));
  const path = join(dir, 'traversal.zip');
  await writeFile(path, zip);
  return {
    path,
    description: 'entries named ../../outside.txt, /etc/evil.txt, a/../../b.txt and C:\\Windows\\x.txt (path traversal), plus safe/inside.txt',
    entryNames: names,
  };
}

/** One plain entry and one with the "encrypted" flag (bit 0) in both headers and random bytes as content. */
export async function writeEncryptedEntryZip(dir: string): Promise<EncryptedZipFixture> {
  // Traditional PKWARE encryption (APPNOTE §6.1): a 12-byte encryption header, then the ciphertext.
  const ciphertext = seededBytes(12 + 200, 0x5ec2e7);
  const zip = buildZip([
    { name: 'readme.txt', data: Buffer.from('The other entry is password protected.\n') },
    {
      name: 'secret.docx',
      data: ciphertext,
      flags: FLAG_ENCRYPTED,
      crc32: 0x1badc0de,
      uncompressedSize: ciphertext.length - 12,
    },
  ]);
  const path = join(dir, 'encrypted.zip');
  await writeFile(path, zip);
  return {
    path,
    description: 'secret.docx is flagged encrypted (general purpose bit 0) in its local and central headers; readme.txt is plain',
    plainEntry: 'readme.txt',
    encryptedEntry: 'secret.docx',
  };
}

/** A small zip that uses zip64 records throughout (yazl `forceZip64Format`). */
export async function writeZip64(dir: string): Promise<ZipEntriesFixture> {
  const names = ['first.txt', 'folder/second.txt'];
  const zip = await yazlZip(
    (z) => names.forEach((name) => z.addBuffer(Buffer.from(lines(name, 20)), name, { mtime: FIXED_DATE, forceZip64Format: true })),
    true,
  );
  const path = join(dir, 'zip64.zip');
  await writeFile(path, zip);
  return { path, description: 'a small zip written with zip64 extra fields, zip64 end record and locator', entryNames: names };
}

/** A zip holding a zip holding a zip ... `depth` archives in all; the innermost holds deep.txt. */
export async function writeNestedZips(dir: string, depth: number): Promise<NestedZipFixture> {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_FIXTURE_NESTING) {
    throw new RangeError(`depth must be an integer from 1 to ${MAX_FIXTURE_NESTING}, got ${depth}`);
  }
  const deepText = `You reached the bottom: ${depth} archives deep.\n`;
  let inner = await yazlZip((z) => z.addBuffer(Buffer.from(deepText), 'deep.txt', { mtime: FIXED_DATE }));
  for (let level = depth; level > 1; level--) {
    const child = inner;
    // Stored, not deflated: a zip does not compress, and this keeps deep nesting fast.
    inner = await yazlZip((z) => z.addBuffer(child, `level-${level}.zip`, { mtime: FIXED_DATE, compress: false }));
  }
  const path = join(dir, `nested-${depth}.zip`);
  await writeFile(path, inner);
  const innermostPath = [...Array.from({ length: depth - 1 }, (_, i) => `level-${i + 2}.zip`), 'deep.txt'].join('/');
  return { path, description: `zips nested ${depth} deep; the innermost holds deep.txt`, depth, innermostPath, deepText };
}

/** Entry names in CP437 without the UTF-8 flag, and one UTF-8 name with the flag (bit 11). */
export async function writeCp437NameZip(dir: string): Promise<Cp437ZipFixture> {
  const entries = [
    { raw: Uint8Array.from([...ascii('caf'), 0x82, ...ascii('.txt')]), name: 'café.txt', utf8Flag: false },
    { raw: Uint8Array.from([0x8e, 0x99, 0x9a, ...ascii('-'), 0x81, ...ascii('ber.txt')]), name: 'ÄÖÜ-über.txt', utf8Flag: false },
    { raw: Uint8Array.from([...ascii('stra'), 0xe1, ...ascii('e.txt')]), name: 'straße.txt', utf8Flag: false },
    { raw: new Uint8Array(Buffer.from('résumé.txt', 'utf8')), name: 'résumé.txt', utf8Flag: true },
  ];
  const zip = buildZip(
    entries.map((e) => ({ name: e.raw, data: Buffer.from(`This file is called ${e.name}.\n`), flags: e.utf8Flag ? FLAG_UTF8 : 0 })),
  );
  const path = join(dir, 'cp437-names.zip');
  await writeFile(path, zip);
  return {
    path,
    description: 'names café.txt, ÄÖÜ-über.txt, straße.txt in CP437 bytes without the UTF-8 flag, and résumé.txt in UTF-8 with it',
    entries,
  };
}

/** In `dir/empty-and-garbage/`: an empty .eml, random bytes as .eml and as .zip, and an mbox with no `From ` line. */
export async function writeEmptyAndGarbageFiles(dir: string): Promise<HostileFileSet> {
  const out = join(dir, 'empty-and-garbage');
  await mkdir(out, { recursive: true });
  const noFromMbox = [
    'Subject: a mailbox without separators',
    'From: alice@example.org',
    '',
    'This file is called .mbox, but no line starts with "From ", so it holds no message boundaries.',
    '',
  ].join('\n');
  const files: [string, Uint8Array | string, string][] = [
    ['empty.eml', '', 'an empty .eml (0 bytes)'],
    ['garbage.eml', seededBytes(4096, 0xe111), '4096 random bytes named .eml'],
    ['notreally.zip', seededBytes(4096, 0x21b), '4096 random bytes named .zip (no zip signature)'],
    ['nofrom.mbox', noFromMbox, 'an .mbox with headers and text but no "From " separator line'],
  ];
  return writeFileSet(out, 'empty and garbage files', files);
}

/** In `dir/broken-emails/`: .eml files each broken in one way a real leak shows. */
export async function writeBrokenEmails(dir: string): Promise<HostileFileSet> {
  const out = join(dir, 'broken-emails');
  await mkdir(out, { recursive: true });
  const files: [string, Uint8Array | string, string][] = [
    ['missing-closing-boundary.eml', missingClosingBoundary(), 'multipart/mixed whose closing boundary (--b1--) never comes'],
    ['bad-base64.eml', badBase64(), 'a base64 attachment with characters outside the base64 alphabet'],
    ['unparseable-date.eml', email(['Date: le 3 mars, vers midi', 'Subject: rendez-vous'], 'On se voit demain.'), 'Date: le 3 mars, vers midi'],
    ['raw-8bit-header.eml', raw8BitHeader(), 'Subject and From with raw windows-1252 bytes (no RFC 2047 encoding)'],
    [
      'unknown-charset.eml',
      Buffer.concat([
        Buffer.from(crlf(['From: a@example.org', 'Subject: unknown charset', 'Content-Type: text/plain; charset=x-unknown-42', '', 'Bytes: '])),
        Buffer.of(0xe9, 0xe8, 0x80, 0xff, 0x0d, 0x0a),
      ]),
      'Content-Type text/plain; charset=x-unknown-42 with 8-bit body bytes',
    ],
    ['headers-only.eml', crlf(['From: a@example.org', 'To: b@example.org', 'Subject: headers and nothing else', 'Message-ID: <headers-only@example.org>', '']), 'only headers, each ending in CRLF: no blank line, no body'],
    ['deep-multipart.eml', deepMultipart(DEEP_MULTIPART_LEVELS), `multipart/mixed nested ${DEEP_MULTIPART_LEVELS} levels deep`],
  ];
  return writeFileSet(out, 'broken emails', files);
}

async function writeFileSet(out: string, what: string, files: [string, Uint8Array | string, string][]): Promise<HostileFileSet> {
  const written: HostileFixture[] = [];
  for (const [name, content, description] of files) {
    const path = join(out, name);
    await writeFile(path, content);
    written.push({ path, description });
  }
  return { path: out, description: `${what}: ${files.map(([name]) => name).join(', ')}`, files: written };
}

const HEADERS = ['From: Alice <alice@example.org>', 'To: Bob <bob@example.org>', 'Date: Fri, 05 May 2017 12:00:00 +0200'];

function email(headers: string[], body: string): string {
  const names = new Set(headers.map((h) => h.slice(0, h.indexOf(':')).toLowerCase()));
  const defaults = HEADERS.filter((h) => !names.has(h.slice(0, h.indexOf(':')).toLowerCase()));
  return crlf([...defaults, ...headers, '', body, '']);
}

function missingClosingBoundary(): string {
  return email(
    ['Subject: cut before the end', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"'],
    crlf(['--b1', 'Content-Type: text/plain; charset=utf-8', '', 'First part.', '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Second part, and then the message just stops.']),
  );
}

function badBase64(): string {
  return email(
    ['Subject: damaged attachment', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b2"'],
    crlf([
      '--b2',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the attachment.',
      '--b2',
      'Content-Type: application/pdf; name="contrat.pdf"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="contrat.pdf"',
      '',
      'JVBERi0xLjQKJeLjz9MK!!!@@@###$$$%%%^^^&&&***',
      'JVBERi0x Lj QK?? Je Lj*z9 MK====ZZZ',
      '~~~ not base64 at all ~~~',
      '--b2--',
    ]),
  );
}

function raw8BitHeader(): Buffer {
  // windows-1252: 0xE9 é, 0x80 €, 0x93/0x94 curly double quotes, 0xE7 ç.
  return Buffer.concat([
    Buffer.from('From: '),
    Buffer.of(0x46, 0x72, 0x61, 0x6e, 0xe7, 0x6f, 0x69, 0x73), // "François"
    Buffer.from(' <francois@example.org>\r\nTo: bob@example.org\r\nSubject: '),
    Buffer.of(0x93, 0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9, 0x94, 0x20, 0x31, 0x30, 0x30, 0x20, 0x80), // “Résumé” 100 €
    Buffer.from('\r\nDate: Fri, 05 May 2017 12:00:00 +0200\r\n\r\nBody in plain ASCII.\r\n'),
  ]);
}

function deepMultipart(levels: number): string {
  const head = ['Subject: deeply nested', 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="deep1"`];
  const parts: string[] = [];
  for (let level = 1; level < levels; level++) {
    parts.push(`--deep${level}`, `Content-Type: multipart/mixed; boundary="deep${level + 1}"`, '');
  }
  parts.push(`--deep${levels}`, 'Content-Type: text/plain; charset=utf-8', '', `The bottom, ${levels} multiparts down.`);
  for (let level = levels; level >= 1; level--) parts.push(`--deep${level}--`);
  return email(head, crlf(parts));
}

function crlf(parts: string[]): string {
  return parts.join('\r\n');
}

function lines(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join('');
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/** Deterministic pseudo-random bytes (mulberry32): fixtures must not change between runs. */
function seededBytes(length: number, seed: number): Buffer {
  let state = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

async function yazlZip(fill: (zip: yazl.ZipFile) => void, forceZip64 = false): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  fill(zip);
  zip.end({ forceZip64Format: forceZip64, comment: '' });
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface RawZipEntry {
  /** A string is written as UTF-8 bytes; set FLAG_UTF8 in `flags` to say so. */
  name: string | Uint8Array;
  /** Bytes as stored in the archive (already deflated when `method` is 8). */
  data: Uint8Array;
  method?: 0 | 8;
  flags?: number;
  /** Defaults to the CRC-32 of `data` (right for stored entries). */
  crc32?: number;
  /** Defaults to `data.length` (right for stored entries). */
  uncompressedSize?: number;
}

/** A minimal zip writer for what yazl refuses to write (hostile names, flags, hand-made streams). */
function buildZip(entries: readonly RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : Buffer.from(entry.name);
    const method = entry.method ?? 0;
    const flags = entry.flags ?? 0;
    const crc = entry.crc32 ?? crc32(entry.data);
    const size = entry.uncompressedSize ?? entry.data.length;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER_SIG, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, Buffer.from(entry.data));

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER_SIG, 0);
    central.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal and external attributes: all 0.
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + entry.data.length;
  }
  const centralBytes = centrals.reduce((sum, b) => sum + b.length, 0);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(EOCD_SIG, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(centralBytes, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, eocd]);
}

/** Where the central directory of a (non-zip64, comment-free) zip is, and each entry's header offsets. */
function centralDirectory(zip: Buffer): {
  centralDirectoryOffset: number;
  entries: { name: string; centralOffset: number; localOffset: number }[];
} {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  const centralDirectoryOffset = zip.readUInt32LE(eocd + 16);
  const entries: { name: string; centralOffset: number; localOffset: number }[] = [];
  let pos = centralDirectoryOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(pos) !== CENTRAL_HEADER_SIG) throw new Error(`bad central header at ${pos}`);
    const nameLength = zip.readUInt16LE(pos + 28);
    const extraLength = zip.readUInt16LE(pos + 30);
    const commentLength = zip.readUInt16LE(pos + 32);
    entries.push({
      name: zip.toString('utf8', pos + 46, pos + 46 + nameLength),
      centralOffset: pos,
      localOffset: zip.readUInt32LE(pos + 42),
    });
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return { centralDirectoryOffset, entries };
}
