import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

import {
  DEEP_MULTIPART_LEVELS,
  ZIP_BOMB_BYTES,
  writeBrokenEmails,
  writeCp437NameZip,
  writeEmptyAndGarbageFiles,
  writeEncryptedEntryZip,
  writeLyingSizeZip,
  writeNestedZips,
  writeTraversalZip,
  writeTruncatedZip,
  writeZip64,
  writeZipBomb,
} from './hostile.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trove-hostile-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every entry of a zip, listed by yauzl (names left raw unless `decode`). */
async function listEntries(source: string | Buffer, decode = true): Promise<{ zip: ZipFile; entries: Entry[] }> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: decode };
  const zip = typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(source, options);
  const entries: Entry[] = [];
  for await (const entry of zip.eachEntry()) entries.push(entry);
  return { zip, entries };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function timed<T>(build: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await build();
  const ms = performance.now() - start;
  assert.ok(ms < 1000, `builder took ${Math.round(ms)} ms`);
  return result;
}

describe('hostile zip builders', () => {
  it('writeTruncatedZip: cut before the central directory, so yauzl cannot open it', async () => {
    const fixture = await timed(() => writeTruncatedZip(dir));
    const bytes = await readFile(fixture.path);
    assert.equal(bytes.length, fixture.truncatedBytes);
    assert.ok(fixture.truncatedBytes < fixture.centralDirectoryOffset);
    assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'starts with a local file header');
    assert.equal(bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])), -1, 'no central directory header left');
    await assert.rejects(yauzl.openPromise(fixture.path), /end of central directory record signature not found/i);
  });

  it('writeZipBomb: declares and really inflates to 64 MiB of zeros, at a ratio over 1000', async () => {
    const fixture = await timed(() => writeZipBomb(dir));
    assert.ok(fixture.ratio > 1000, `ratio ${fixture.ratio}`);
    assert.ok((await stat(fixture.path)).size < 100_000);
    const { zip, entries } = await listEntries(fixture.path);
    try {
      const bomb = entries.find((e) => e.fileName === fixture.bombEntry)!;
      assert.equal(bomb.uncompressedSize, ZIP_BOMB_BYTES);
      assert.equal(bomb.compressedSize, fixture.compressedBytes);
      assert.equal(bomb.uncompressedSize / bomb.compressedSize, fixture.ratio);
      const inflated = await readAll(await zip.openReadStreamPromise(bomb));
      assert.equal(inflated.length, ZIP_BOMB_BYTES);
      assert.ok(inflated.equals(Buffer.alloc(ZIP_BOMB_BYTES)), 'all zeros');
      assert.equal(crc32(inflated), bomb.crc32);
      const small = entries.find((e) => e.fileName === fixture.smallEntry)!;
      assert.match((await readAll(await zip.openReadStreamPromise(small))).toString(), /harmless/);
    } finally {
      zip.close();
    }
  });

  it('writeLyingSizeZip: headers declare fewer bytes than the stream holds, and readers notice', async () => {
    const fixture = await timed(() => writeLyingSizeZip(dir));
    const { zip, entries } = await listEntries(fixture.path);
    try {
      const lying = entries.find((e) => e.fileName === fixture.lyingEntry)!;
      assert.equal(lying.uncompressedSize, fixture.declaredBytes);
      const local = await zip.readLocalFileHeaderPromise(lying);
      assert.equal(local.uncompressedSize, fixture.declaredBytes);
      const raw = (await readFile(fixture.path)).subarray(local.fileDataStart, local.fileDataStart + lying.compressedSize);
      const real = inflateRawSync(raw);
      assert.equal(real.length, fixture.actualBytes);
      assert.ok(fixture.actualBytes > fixture.declaredBytes);
      assert.equal(crc32(real), lying.crc32, 'the CRC is of the real bytes');
      assert.notEqual(crc32(real.subarray(0, fixture.declaredBytes)), lying.crc32, 'so the declared prefix fails it');
      await assert.rejects(readAll(await zip.openReadStreamPromise(lying)), /too many bytes in the stream/);
      const honest = entries.find((e) => e.fileName === fixture.honestEntry)!;
      assert.match((await readAll(await zip.openReadStreamPromise(honest))).toString(), /truth/);
    } finally {
      zip.close();
    }
  });

  it('writeTraversalZip: the hostile names are stored byte for byte', async () => {
    const fixture = await timed(() => writeTraversalZip(dir));
    const { zip, entries } = await listEntries(fixture.path, false);
    zip.close();
    const names = entries.map((e) => (e.fileName as unknown as Buffer).toString('utf8'));
    assert.deepEqual(names, fixture.entryNames);
    assert.ok(names.includes('../../outside.txt') && names.includes('/etc/evil.txt'));
    assert.ok(names.includes('a/../../b.txt') && names.includes('C:\\Windows\\x.txt'));
    // A reader that validates names refuses this archive.
    await assert.rejects(listEntries(fixture.path, true), /invalid relative path|absolute path/);
  });

  it('writeEncryptedEntryZip: one entry flagged encrypted in both headers, one plain', async () => {
    const fixture = await timed(() => writeEncryptedEntryZip(dir));
    const { zip, entries } = await listEntries(fixture.path);
    try {
      const plain = entries.find((e) => e.fileName === fixture.plainEntry)!;
      const secret = entries.find((e) => e.fileName === fixture.encryptedEntry)!;
      assert.equal(plain.isEncrypted(), false);
      assert.equal(secret.isEncrypted(), true);
      assert.equal((await zip.readLocalFileHeaderPromise(secret)).generalPurposeBitFlag & 1, 1);
      assert.match((await readAll(await zip.openReadStreamPromise(plain))).toString(), /password/);
      await assert.rejects(zip.openReadStreamPromise(secret), /encrypted/);
    } finally {
      zip.close();
    }
  });

  it('writeZip64: zip64 records throughout, still readable', async () => {
    const fixture = await timed(() => writeZip64(dir));
    const bytes = await readFile(fixture.path);
    assert.notEqual(bytes.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06])), -1, 'zip64 end of central directory record');
    assert.notEqual(bytes.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07])), -1, 'zip64 end of central directory locator');
    const { zip, entries } = await listEntries(fixture.path);
    try {
      assert.deepEqual(entries.map((e) => e.fileName), fixture.entryNames);
      for (const entry of entries) {
        assert.ok(entry.extraFields.some((f) => f.id === 0x0001), `${entry.fileName} has a zip64 extra field`);
        assert.match((await readAll(await zip.openReadStreamPromise(entry))).toString(), /1\n/);
      }
    } finally {
      zip.close();
    }
  });

  it('writeNestedZips: depth archives, the innermost holding deep.txt', async () => {
    for (const depth of [1, 3, 40]) {
      const fixture = await timed(() => writeNestedZips(dir, depth));
      let bytes: Buffer = await readFile(fixture.path);
      const walked: string[] = [];
      for (;;) {
        const { zip, entries } = await listEntries(bytes);
        assert.equal(entries.length, 1);
        const entry = entries[0]!;
        walked.push(entry.fileName);
        const content = await readAll(await zip.openReadStreamPromise(entry));
        zip.close();
        if (!entry.fileName.endsWith('.zip')) {
          assert.equal(content.toString(), fixture.deepText);
          break;
        }
        bytes = content;
      }
      assert.equal(walked.join('/'), fixture.innermostPath);
      assert.equal(walked.length, depth);
    }
    await assert.rejects(writeNestedZips(dir, 0), RangeError);
  });

  it('writeCp437NameZip: CP437 names without the UTF-8 flag, one UTF-8 name with it', async () => {
    const fixture = await timed(() => writeCp437NameZip(dir));
    const { zip, entries } = await listEntries(fixture.path);
    zip.close();
    assert.deepEqual(
      entries.map((e) => [e.fileName, (e.generalPurposeBitFlag & 0x800) !== 0, Buffer.from(e.fileNameRaw)]),
      fixture.entries.map((e) => [e.name, e.utf8Flag, Buffer.from(e.raw)]),
    );
    assert.ok(fixture.entries.some((e) => !e.utf8Flag && e.raw.includes(0x82)));
  });
});

describe('hostile file builders', () => {
  it('writeEmptyAndGarbageFiles: empty, random and mislabelled files', async () => {
    const set = await timed(() => writeEmptyAndGarbageFiles(dir));
    const byName = new Map(set.files.map((f) => [f.path.slice(set.path.length + 1), f.path]));
    assert.deepEqual([...byName.keys()].sort(), ['empty.eml', 'garbage.eml', 'nofrom.mbox', 'notreally.zip']);
    assert.equal((await readFile(byName.get('empty.eml')!)).length, 0);
    const garbage = await readFile(byName.get('garbage.eml')!);
    assert.equal(garbage.length, 4096);
    assert.ok(new Set(garbage).size > 200, 'looks random');
    const notZip = await readFile(byName.get('notreally.zip')!);
    assert.notDeepEqual(notZip.subarray(0, 2), Buffer.from('PK'));
    await assert.rejects(yauzl.openPromise(byName.get('notreally.zip')!));
    const mbox = await readFile(byName.get('nofrom.mbox')!, 'utf8');
    assert.ok(mbox.length > 0);
    assert.doesNotMatch(mbox, /^From /m);
    // Deterministic: the same bytes on every run.
    const again = await writeEmptyAndGarbageFiles(join(dir, 'again'));
    assert.deepEqual(await readFile(again.files[1]!.path), garbage);
  });

  it('writeBrokenEmails: each file has the defect it claims', async () => {
    const set = await timed(() => writeBrokenEmails(dir));
    const read = async (name: string): Promise<Buffer> => {
      const file = set.files.find((f) => f.path.endsWith(`/${name}`));
      assert.ok(file, `${name} written`);
      return readFile(file.path);
    };
    assert.equal(set.files.length, 7);

    const missing = (await read('missing-closing-boundary.eml')).toString();
    assert.match(missing, /boundary="b1"/);
    assert.equal(missing.split('\r\n--b1\r\n').length, 3);
    assert.doesNotMatch(missing, /--b1--/);

    const base64 = (await read('bad-base64.eml')).toString();
    const body = base64.slice(base64.indexOf('Content-Transfer-Encoding: base64'));
    const payload = body.slice(body.indexOf('\r\n\r\n') + 4, body.indexOf('\r\n--b2--'));
    assert.match(payload.replace(/\r\n/g, ''), /[^A-Za-z0-9+/=]/);

    assert.match((await read('unparseable-date.eml')).toString(), /^Date: le 3 mars, vers midi\r$/m);
    assert.equal((await read('unparseable-date.eml')).toString().match(/^Date:/gm)?.length, 1);

    const eightBit = await read('raw-8bit-header.eml');
    const headerEnd = eightBit.indexOf('\r\n\r\n');
    assert.ok(eightBit.subarray(0, headerEnd).some((b) => b >= 0x80), 'raw 8-bit bytes in the header');
    assert.ok(eightBit.includes(0x80) && eightBit.includes(0xe9), 'windows-1252 € and é');
    assert.doesNotMatch(eightBit.toString('latin1'), /=\?/, 'not RFC 2047 encoded');

    const charset = await read('unknown-charset.eml');
    assert.match(charset.toString('latin1'), /charset=x-unknown-42/);
    assert.ok(charset.subarray(charset.indexOf('\r\n\r\n')).some((b) => b >= 0x80));

    const headersOnly = (await read('headers-only.eml')).toString();
    assert.doesNotMatch(headersOnly, /\r\n\r\n/);
    assert.match(headersOnly, /^Subject: .*\r\n/m);

    const deep = (await read('deep-multipart.eml')).toString();
    assert.equal(deep.match(/Content-Type: multipart\/mixed/g)?.length, DEEP_MULTIPART_LEVELS);
    for (const level of [1, 50, DEEP_MULTIPART_LEVELS]) {
      assert.ok(deep.includes(`boundary="deep${level}"`) && deep.includes(`\r\n--deep${level}--`), `level ${level} opened and closed`);
    }
    assert.match(deep, /The bottom, 100 multiparts down\./);
  });
});
