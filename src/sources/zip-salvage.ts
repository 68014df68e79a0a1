/**
 * Salvage for zip archives whose central directory is gone (a download or copy cut short, the most
 * common broken archive in a leak). The local file headers (APPNOTE 4.3.7) are walked from the start
 * of the file, as `zip -FF` and 7-Zip do: each entry whose data is complete is recovered, checked
 * against the CRC-32 and size its header declares, and marked as salvaged. Reading stops at the first
 * thing that is not a local header.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { MAX_COMPRESSION_RATIO, RATIO_CHECK_MIN_BYTES } from '../ingest/limits.ts';
import { decodeEntryName, refusal, type ZipEntry } from './zip.ts';

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const LOCAL_HEADER_BYTES = 30;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const ZIP64_EXTRA = 0x0001;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** Sizes from a zip64 extended-information extra field, when the header says 0xFFFFFFFF. */
function zip64Sizes(extra: Buffer, usize: number, csize: number): { usize: number; csize: number } {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === ZIP64_EXTRA) {
      let at = i + 4;
      if (usize === 0xffffffff && at + 8 <= i + 4 + len) { usize = Number(extra.readBigUInt64LE(at)); at += 8; }
      if (csize === 0xffffffff && at + 8 <= i + 4 + len) csize = Number(extra.readBigUInt64LE(at));
    }
    i += 4 + len;
  }
  return { usize, csize };
}

/**
 * For an entry written with a data descriptor (sizes unknown in its header), inflates it once to find
 * where its compressed data ends. Returns null when the file ends first, and stops early on a bomb.
 */
async function measureDeflate(path: string, start: number): Promise<{ csize: number; usize: number } | null> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    const input = createReadStream(path, { start, highWaterMark: 256 * 1024 });
    let usize = 0;
    let fed = 0;
    const stop = (r: { csize: number; usize: number } | null): void => {
      input.destroy();
      inflate.destroy();
      resolve(r);
    };
    inflate.on('data', (c: Buffer) => {
      usize += c.length;
      if (usize >= RATIO_CHECK_MIN_BYTES && usize > Math.max(fed, 1) * MAX_COMPRESSION_RATIO) stop({ csize: fed, usize });
    });
    inflate.on('end', () => stop({ csize: inflate.bytesWritten, usize }));
    inflate.on('error', () => stop(null));
    input.on('data', (c) => { fed += c.length; });
    input.on('end', () => inflate.end());
    input.pipe(inflate, { end: false });
  });
}

/** Passes bytes through, failing at the end when their count or CRC-32 differs from the header's. */
function verifying(expectedSize: number, expectedCrc: number | null): Transform {
  let size = 0;
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (expectedCrc !== null) crc = crc32(chunk, crc);
      cb(null, chunk);
    },
    flush(cb) {
      if (size !== expectedSize) cb(new Error(`invalid size: ${size} bytes where the header declares ${expectedSize}`));
      else if (expectedCrc !== null && crc !== expectedCrc) cb(new Error('invalid CRC-32: the content differs from what the header declares'));
      else cb();
    },
  });
}

/** Yields the recoverable entries of an archive without a central directory. */
export async function* salvageZip(path: string, startIndex = 0): AsyncGenerator<ZipEntry> {
  const fh = await open(path, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    let offset = 0;
    let total = 0;
    for (let index = 0; ; index++) {
      const h = await readAt(fh, offset, LOCAL_HEADER_BYTES);
      if (h.length < LOCAL_HEADER_BYTES || h.readUInt32LE(0) !== LOCAL_HEADER) return;
      const flags = h.readUInt16LE(6);
      const method = h.readUInt16LE(8);
      const crc = h.readUInt32LE(14);
      const nameLen = h.readUInt16LE(26);
      const extraLen = h.readUInt16LE(28);
      const nameExtra = await readAt(fh, offset + LOCAL_HEADER_BYTES, nameLen + extraLen);
      if (nameExtra.length < nameLen + extraLen) return;
      const name = decodeEntryName(nameExtra.subarray(0, nameLen), flags);
      let { usize, csize } = zip64Sizes(nameExtra.subarray(nameLen), h.readUInt32LE(22), h.readUInt32LE(18));
      const dataStart = offset + LOCAL_HEADER_BYTES + nameLen + extraLen;
      const described = (flags & FLAG_DATA_DESCRIPTOR) !== 0;
      let next: number;
      if (described) {
        // Sizes and CRC follow the data; only deflate data tells where it ends.
        if (method !== 8 || flags & FLAG_ENCRYPTED) return;
        const m = await measureDeflate(path, dataStart);
        if (!m) {
          csize = fileSize - dataStart + 1;
          usize = 0;
          next = fileSize;
        } else {
          ({ csize, usize } = m);
          next = dataStart + csize;
          const sig = await readAt(fh, next, 4);
          const zip64 = csize > 0xffffffff || usize > 0xffffffff;
          next += (sig.length === 4 && sig.readUInt32LE(0) === DATA_DESCRIPTOR ? 4 : 0) + (zip64 ? 20 : 12);
        }
      } else {
        next = dataStart + csize;
      }
      const cut = dataStart + csize > fileSize;
      const facts = { encrypted: (flags & FLAG_ENCRYPTED) !== 0, compressionMethod: method, compressedSize: csize, uncompressedSize: usize };
      const refused = cut
        ? { code: 'truncated-entry', message: 'The archive ends inside this entry: its content is incomplete and was not kept.' }
        : refusal(facts, total);
      if (!refused) total += usize;
      if (index >= startIndex) {
        const start = dataStart;
        const length = csize;
        yield {
          index,
          name,
          compressedSize: csize,
          uncompressedSize: usize,
          modified: null,
          refused,
          salvaged: true,
          open: async (): Promise<Readable> => {
            const raw = length === 0 ? new PassThrough().end() : createReadStream(path, { start, end: start + length - 1 });
            const inflated = method === 8 ? raw.pipe(createInflateRaw()) : raw;
            return inflated.pipe(verifying(usize, described ? null : crc));
          },
        };
      }
      if (cut) return;
      offset = next;
    }
  } finally {
    await fh.close();
  }
}
