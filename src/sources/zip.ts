/**
 * Zip archives, read with yauzl by random access from the stored blob: the central directory is read,
 * then each entry is inflated as a stream, so an archive of any size (zip64 included) never sits in
 * memory. Entry names are data: they are decoded (UTF-8 flag, Info-ZIP Unicode Path, else CP437) and
 * shown, never used to write a file. Limits against bombs are checked before inflating.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ItemError } from '../extract/format.ts';
import { MAX_ARCHIVE_TOTAL_BYTES, MAX_COMPRESSION_RATIO, MAX_ENTRY_BYTES, RATIO_CHECK_MIN_BYTES } from '../ingest/limits.ts';

export interface ZipEntry {
  /** 0-based position in the central directory: the resume point. */
  index: number;
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  modified: string | null;
  /** Set when the entry must not be inflated; the reason is recorded on the archive's path. */
  refused: ItemError | null;
  /** Recovered from its local header because the archive's central directory is missing. */
  salvaged?: boolean;
  open(): Promise<Readable>;
}

// CP437, the DOS code page that zip names use when the UTF-8 flag (bit 11) is not set (APPNOTE 4.4.4).
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Decodes a raw entry name: UTF-8 when the general-purpose flag says so, else CP437. */
export function decodeEntryName(raw: Uint8Array, flags: number): string {
  return flags & UTF8_FLAG ? new TextDecoder('utf-8').decode(raw) : decodeCp437(raw);
}

export function decodeCp437(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

const UTF8_FLAG = 0x800;
const UNICODE_PATH_EXTRA = 0x7075;

function entryName(entry: Entry): string {
  const raw = entry.fileNameRaw;
  if (entry.generalPurposeBitFlag & UTF8_FLAG) return decodeEntryName(raw, entry.generalPurposeBitFlag);
  // Info-ZIP Unicode Path (APPNOTE 4.6.9): version 1, CRC32 of the raw name, then the UTF-8 name.
  const unicode = entry.extraFields.find((f) => f.id === UNICODE_PATH_EXTRA);
  if (unicode && unicode.data.length > 5 && unicode.data[0] === 1) return new TextDecoder('utf-8').decode(unicode.data.subarray(5));
  return decodeCp437(raw);
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    );
  });
}

/** Plain-words reason for a zip that cannot be opened at all. */
export function describeZipOpenError(err: Error, hasZipMagic: boolean): ItemError {
  const m = err.message;
  if (!hasZipMagic) {
    return { code: 'not-an-archive', message: 'The file is named like a zip archive but does not start with a zip signature: it is not a zip (or is damaged from its first byte).' };
  }
  if (/end of central directory record signature not found/i.test(m)) {
    return { code: 'truncated-archive', message: 'The zip archive has no central directory: the file was probably cut short (an incomplete download or copy). Its entries could not be listed.' };
  }
  return { code: 'corrupt-archive', message: `The zip archive could not be read: ${m}.` };
}

/** What the limits need to know of an entry, from the central directory or a local header. */
export interface EntryFacts {
  encrypted: boolean;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
}

/** Why an entry must not be inflated, or null. Checked before a single byte is inflated. */
export function refusal(entry: EntryFacts, totalSoFar: number): ItemError | null {
  if (entry.encrypted) {
    return { code: 'encrypted', message: 'The entry is encrypted; its content cannot be read without the password. Its name and size are recorded.' };
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    return { code: 'unsupported-compression', message: `The entry uses compression method ${entry.compressionMethod}, which trove cannot inflate (only stored and deflate).` };
  }
  if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
    return { code: 'too-large', message: `The entry declares ${entry.uncompressedSize} bytes, over the limit of ${MAX_ENTRY_BYTES} (MAX_ENTRY_BYTES).` };
  }
  if (entry.uncompressedSize >= RATIO_CHECK_MIN_BYTES && entry.uncompressedSize > Math.max(entry.compressedSize, 1) * MAX_COMPRESSION_RATIO) {
    const ratio = Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1));
    return { code: 'zip-bomb', message: `The entry would inflate ${ratio} times (${entry.compressedSize} to ${entry.uncompressedSize} bytes), over the limit of ${MAX_COMPRESSION_RATIO} (MAX_COMPRESSION_RATIO): not extracted, as a zip bomb.` };
  }
  if (totalSoFar + entry.uncompressedSize > MAX_ARCHIVE_TOTAL_BYTES) {
    return { code: 'zip-bomb', message: `The archive would inflate to more than ${MAX_ARCHIVE_TOTAL_BYTES} bytes in total (MAX_ARCHIVE_TOTAL_BYTES): the remaining entries are not extracted.` };
  }
  return null;
}

/**
 * Lists an archive's file entries from `startIndex` on. Throws (before yielding) only when the
 * archive cannot be opened; an error while listing ends the walk with `ZipListError`.
 */
export async function* readZip(path: string, startIndex = 0): AsyncGenerator<ZipEntry> {
  const zip = await openZip(path);
  let total = 0;
  let index = -1;
  try {
    for (;;) {
      const entry = await new Promise<Entry | null>((resolve, reject) => {
        const onEntry = (e: Entry): void => { cleanup(); resolve(e); };
        const onEnd = (): void => { cleanup(); resolve(null); };
        const onError = (err: Error): void => { cleanup(); reject(new ZipListError(err.message)); };
        const cleanup = (): void => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          zip.off('error', onError);
        };
        zip.on('entry', onEntry);
        zip.on('end', onEnd);
        zip.on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      index++;
      const name = entryName(entry);
      if (name.endsWith('/') && entry.uncompressedSize === 0) continue;
      const refused = refusal({ ...entry, encrypted: entry.isEncrypted() }, total);
      if (!refused) total += entry.uncompressedSize;
      if (index < startIndex) continue;
      let modified: string | null = null;
      try {
        modified = entry.getLastModDate({ timezone: 'UTC' }).toISOString();
      } catch {
        modified = null;
      }
      yield {
        index,
        name,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        modified,
        refused,
        open: () =>
          new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream)))),
      };
    }
  } finally {
    zip.close();
  }
}

/** The central directory became unreadable part-way through the listing. */
export class ZipListError extends Error {
  override name = 'ZipListError';
}
