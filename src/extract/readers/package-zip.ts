/**
 * The zip inside Office Open XML (ECMA-376 Part 2, OPC) and OpenDocument (ODF 1.2 Part 3) files,
 * read from bytes already in memory with yauzl. Only the parts a reader asks for are inflated, one at
 * a time, as a stream, under limits against zip bombs: a part may not inflate past
 * MAX_PACKAGE_PART_BYTES nor past MAX_COMPRESSION_RATIO times its compressed size, and one document
 * may not inflate more than MAX_PACKAGE_INFLATED_BYTES or MAX_PACKAGE_PARTS_READ parts in all.
 * Part names are looked up without regard to case (OPC §9.1.1.1) and never touch the file system.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { MAX_COMPRESSION_RATIO, RATIO_CHECK_MIN_BYTES } from '../../ingest/limits.ts';
import { ExtractError } from '../extract-document.ts';

/** One XML part may inflate to this much; Word's document.xml for a 1,000-page report is ~20 MB. */
export const MAX_PACKAGE_PART_BYTES = 64 * 1024 * 1024;
/** All the parts read from one document together. */
export const MAX_PACKAGE_INFLATED_BYTES = 256 * 1024 * 1024;
/** Parts read from one document (slides, sheets and their notes...); the rest is left unread. */
export const MAX_PACKAGE_PARTS_READ = 5_000;
/** Entries listed from one central directory; a document with more is refused. */
export const MAX_PACKAGE_ENTRIES = 100_000;

const utf8 = new TextDecoder('utf-8');

/** The canonical form of a part name: no leading slash, forward slashes, `.` and `..` resolved. */
export function normalizePartName(name: string): string {
  const out: string[] = [];
  for (const seg of name.replace(/\\/g, '/').split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '' && seg !== '.') out.push(seg);
  }
  return out.join('/');
}

/** A part name `target` relative to the folder of part `from` (relationship targets, OPC §9.3). */
export function resolvePartName(from: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A malformed escape is kept as written: the part is then simply not found.
  }
  if (decoded.startsWith('/')) return normalizePartName(decoded);
  return normalizePartName(from.slice(0, from.lastIndexOf('/') + 1) + decoded);
}

export class ZipPackage {
  readonly #zip: ZipFile;
  readonly #entries: Map<string, Entry>;
  readonly #order: string[];
  #inflated = 0;
  #partsRead = 0;

  private constructor(zip: ZipFile, entries: Map<string, Entry>, order: string[]) {
    this.#zip = zip;
    this.#entries = entries;
    this.#order = order;
  }

  /** Lists the parts of a zip held in memory; throws ExtractError when it is not a readable zip. */
  static async open(bytes: Uint8Array, what: string): Promise<ZipPackage> {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let zip: ZipFile;
    try {
      zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
    } catch (err) {
      throw new ExtractError(describeOpenError(err as Error, what));
    }
    if (zip.entryCount > MAX_PACKAGE_ENTRIES) {
      zip.close();
      throw new ExtractError(`the ${what} package lists ${zip.entryCount} parts, over the limit of ${MAX_PACKAGE_ENTRIES} (MAX_PACKAGE_ENTRIES)`);
    }
    const entries = new Map<string, Entry>();
    const order: string[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        const name = normalizePartName(utf8.decode(entry.fileNameRaw));
        const key = name.toLowerCase();
        if (name === '' || name.endsWith('/') || entries.has(key)) continue;
        entries.set(key, entry);
        order.push(name);
      }
    } catch (err) {
      zip.close();
      throw new ExtractError(`the ${what} package's list of parts is damaged (${(err as Error).message})`);
    }
    return new ZipPackage(zip, entries, order);
  }

  /** Part names in the order of the central directory. */
  get names(): readonly string[] {
    return this.#order;
  }

  has(name: string): boolean {
    return this.#entries.has(normalizePartName(name).toLowerCase());
  }

  /** False once the document's read budget (parts, inflated bytes) is spent: readers stop there. */
  get canReadMore(): boolean {
    return this.#partsRead < MAX_PACKAGE_PARTS_READ && this.#inflated < MAX_PACKAGE_INFLATED_BYTES;
  }

  /**
   * The inflated bytes of a part, chunk by chunk, or null when the package has no such part. Throws
   * ExtractError when the part may not be inflated (limits, encryption, unknown compression) or is
   * damaged.
   */
  async stream(name: string): Promise<AsyncIterable<Buffer> | null> {
    const entry = this.#entries.get(normalizePartName(name).toLowerCase());
    if (!entry) return null;
    const size = entry.uncompressedSize;
    if (entry.isEncrypted()) throw new ExtractError(`the part ${name} is encrypted`);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new ExtractError(`the part ${name} uses compression method ${entry.compressionMethod}, which trove cannot inflate`);
    }
    if (size > MAX_PACKAGE_PART_BYTES) {
      throw new ExtractError(`the part ${name} would inflate to ${size} bytes, over the limit of ${MAX_PACKAGE_PART_BYTES} (MAX_PACKAGE_PART_BYTES)`);
    }
    if (size >= RATIO_CHECK_MIN_BYTES && size > Math.max(entry.compressedSize, 1) * MAX_COMPRESSION_RATIO) {
      throw new ExtractError(
        `the part ${name} would inflate ${Math.round(size / Math.max(entry.compressedSize, 1))} times (${entry.compressedSize} to ${size} bytes), over the limit of ${MAX_COMPRESSION_RATIO} (MAX_COMPRESSION_RATIO): a zip bomb`,
      );
    }
    if (!this.canReadMore || this.#inflated + size > MAX_PACKAGE_INFLATED_BYTES) {
      throw new ExtractError(`reading the part ${name} would go over the limits of ${MAX_PACKAGE_PARTS_READ} parts (MAX_PACKAGE_PARTS_READ) or ${MAX_PACKAGE_INFLATED_BYTES} inflated bytes (MAX_PACKAGE_INFLATED_BYTES) per document`);
    }
    this.#partsRead++;
    this.#inflated += size;
    let readable: Readable;
    try {
      readable = await this.#zip.openReadStreamPromise(entry);
    } catch (err) {
      throw new ExtractError(`the part ${name} cannot be read (${(err as Error).message})`);
    }
    return guard(readable, name);
  }

  /** A whole part in memory, or null when the package has no such part. */
  async read(name: string): Promise<Buffer | null> {
    const chunks = await this.stream(name);
    if (!chunks) return null;
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    return Buffer.concat(parts);
  }

  close(): void {
    this.#zip.close();
  }
}

/**
 * Chunks of an inflating part; an inflate error (a damaged or truncated part, or more bytes than the
 * central directory declared, which yauzl checks) becomes an ExtractError. Stopping early destroys
 * the stream.
 */
async function* guard(readable: Readable, name: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of readable) yield chunk as Buffer;
  } catch (err) {
    throw new ExtractError(`the part ${name} is damaged (${(err as Error).message})`);
  } finally {
    readable.destroy();
  }
}

function describeOpenError(err: Error, what: string): string {
  if (/end of central directory record signature not found/i.test(err.message)) {
    return `the ${what} file is not a complete zip package: its central directory is missing, so the file was probably cut short`;
  }
  return `the ${what} file is not a readable zip package (${err.message})`;
}
