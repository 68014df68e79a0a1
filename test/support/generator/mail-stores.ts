/**
 * The on-disk mail stores a leak contains: mbox files (mboxrd: `From ` separator lines, `>From `
 * quoting of body lines, a blank line between messages; CRLF or LF), maildirs (`cur/new/tmp`,
 * Courier/Dovecot-style unique names with `:2,` flags) and loose `.eml` files. mbox appends are
 * synchronous; whole files are written in the background, a bounded number at a time (opening
 * files dominated the run time), so memory stays flat however many messages go through.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatAsctime } from './date-format.ts';

/** Line endings of a stored copy; the manifest hash is always of the CRLF original. */
export type LineEndings = 'crlf' | 'lf';

/** Bytes and files written, shared by every store of a run. */
export class WriteTally {
  files = 0;
  bytes = 0;
}

/** Whole-file writes in flight at most; each holds one message or document in memory. */
const MAX_WRITES_IN_FLIGHT = 32;

/** Writes whole files in the background; `ready` applies back-pressure, `flush` waits for all. */
export class FileWriter {
  private readonly pending = new Set<Promise<void>>();
  private readonly dirs = new Set<string>();
  private failure: unknown = null;

  /** Starts writing `bytes` to `path`, creating its folder first. */
  write(path: string, bytes: Buffer): void {
    const dir = dirname(path);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    const p: Promise<void> = writeFile(path, bytes).then(
      () => {
        this.pending.delete(p);
      },
      (err: unknown) => {
        this.pending.delete(p);
        this.failure ??= err;
      },
    );
    this.pending.add(p);
  }

  /** Resolves once fewer than the maximum writes are in flight; rethrows a failed write. */
  async ready(): Promise<void> {
    while (this.pending.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(this.pending);
    if (this.failure) throw this.failure;
  }

  /** Waits for every write; rethrows a failed one. */
  async flush(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure) throw this.failure;
  }
}

/** mboxrd quoting (one more `>` on every line matching `>*From `); returns the count too. */
export function quoteMboxrd(message: Buffer): { bytes: Buffer; quoted: number } {
  const text = message.toString('latin1');
  let quoted = 0;
  const out = text.replace(/(^|\n)(>*From )/g, (_, nl: string, from: string) => {
    quoted++;
    return `${nl}>${from}`;
  });
  return { bytes: quoted === 0 ? message : Buffer.from(out, 'latin1'), quoted };
}

/** The inverse of `quoteMboxrd`, for readers and tests. */
export function unquoteMboxrd(message: Buffer): Buffer {
  return Buffer.from(message.toString('latin1').replace(/(^|\n)>(>*From )/g, '$1$2'), 'latin1');
}

/** One mbox file, appended to message by message. */
export class MboxFile {
  readonly relPath: string;
  readonly eol: LineEndings;
  private readonly fd: number;
  private readonly tally: WriteTally;
  count = 0;

  constructor(root: string, relPath: string, eol: LineEndings, tally: WriteTally) {
    this.relPath = relPath;
    this.eol = eol;
    this.tally = tally;
    const abs = join(root, relPath);
    mkdirSync(dirname(abs), { recursive: true });
    this.fd = openSync(abs, 'w');
    tally.files++;
  }

  /** Appends `message` (CRLF bytes); returns its 1-based number and how many lines were quoted. */
  append(message: Buffer, envelopeFrom: string, stored: number): { n: number; quoted: number } {
    const nl = this.eol === 'crlf' ? '\r\n' : '\n';
    const { bytes: quotedBytes, quoted } = quoteMboxrd(message);
    let bytes = quotedBytes;
    if (this.eol === 'lf') bytes = Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    // The message ends with a line break; one empty line separates it from the next "From ".
    const chunk = Buffer.concat([Buffer.from(`From ${envelopeFrom} ${formatAsctime(stored)}${nl}`, 'latin1'), bytes, Buffer.from(nl, 'latin1')]);
    writeSync(this.fd, chunk);
    this.tally.bytes += chunk.length;
    this.count++;
    return { n: this.count, quoted };
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Maildir flags of a message (`:2,` info): Seen, Replied, Flagged. */
export type MaildirFlags = '' | 'S' | 'RS' | 'FS';

/** A maildir (or Maildir++ subfolder) with its cur/new/tmp directories. */
export class Maildir {
  readonly relPath: string;
  private readonly root: string;
  private readonly tally: WriteTally;
  private readonly writer: FileWriter;
  private seq = 0;

  constructor(root: string, relPath: string, tally: WriteTally, writer: FileWriter) {
    this.root = root;
    this.relPath = relPath;
    this.tally = tally;
    this.writer = writer;
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(root, relPath, sub), { recursive: true });
  }

  /**
   * Delivers `message`: `new/` without info when unread and recent, else `cur/` with flags.
   * Names follow `time.MusecPpidQseq.host,S=size:2,flags` (Courier/Dovecot), unique per folder.
   */
  deliver(message: Buffer, stored: number, flags: MaildirFlags | null, micro: number, pid: number): string {
    this.seq++;
    const secs = Math.floor(stored / 1000);
    const base = `${secs}.M${micro}P${pid}Q${this.seq}.srv-mail01,S=${message.length}`;
    const rel = flags === null ? join(this.relPath, 'new', base) : join(this.relPath, 'cur', `${base}:2,${flags}`);
    this.writer.write(join(this.root, rel), message);
    this.tally.files++;
    this.tally.bytes += message.length;
    return rel;
  }
}

/** Writes a whole file (an .eml or a loose document), creating folders as needed. */
export function writeLooseFile(writer: FileWriter, root: string, relPath: string, bytes: Buffer, tally: WriteTally): void {
  writer.write(join(root, relPath), bytes);
  tally.files++;
  tally.bytes += bytes.length;
}
