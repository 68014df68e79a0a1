/**
 * Zip archives through yazl, with timestamps that do not depend on the machine: yazl converts
 * dates to DOS fields in local time, so dates are built from local-time fields, and the extended
 * (UTC) timestamp field is left out.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** One member of an archive: bytes in memory or a file on disk. */
export interface ZipMember {
  path: string;
  data?: Buffer;
  file?: string;
  /** Wall-clock time written in the DOS fields; Office always writes 1980-01-01 00:00. */
  mtime?: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number };
  /** Store instead of deflate (JPEGs inside Office files, already-compressed data). */
  store?: boolean;
}

const OFFICE_EPOCH: NonNullable<ZipMember['mtime']> = { year: 1980, month: 1, day: 1 };

function fillZip(members: ZipMember[]): yazl.ZipFile {
  const zip = new yazl.ZipFile();
  for (const m of members) {
    const t = m.mtime ?? OFFICE_EPOCH;
    const options = {
      mtime: new Date(t.year, t.month - 1, t.day, t.hour ?? 0, t.minute ?? 0, t.second ?? 0),
      forceDosTimestamp: true,
      compress: m.store !== true,
      mode: 0o100644,
    };
    if (m.data) zip.addBuffer(m.data, m.path, options);
    else if (m.file) zip.addFile(m.file, m.path, options);
    else throw new Error(`zip member ${m.path} has neither data nor file`);
  }
  zip.end();
  return zip;
}

/** A zip archive in memory (small archives: Office documents). */
export async function buildZip(members: ZipMember[]): Promise<Buffer> {
  const zip = fillZip(members);
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A zip archive streamed to `path` (large archives: members read from disk one at a time). */
export async function writeZip(path: string, members: ZipMember[]): Promise<void> {
  const zip = fillZip(members);
  await pipeline(zip.outputStream, createWriteStream(path));
}
