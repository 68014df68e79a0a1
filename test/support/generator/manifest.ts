/**
 * The ground truth of a generated trove, `manifest.jsonl`: a header line (seed, options, counts,
 * keys, version), then one line per message and one per loose document, in generation order.
 * Lines are streamed to a side file and the header is put in front at the end, so memory stays
 * flat for a million messages.
 */
import { closeSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpectedVerdict, SignatureRecord } from './message-render.ts';
import type { LineEndings } from './mail-stores.ts';

/** Bumped when the manifest or the trove's content model changes. */
export const GENERATOR_VERSION = '1.1.0';

/** First line of the manifest. */
export interface ManifestHeader {
  type: 'header';
  generator: 'trove-generator';
  version: string;
  seed: number;
  options: { messages: number; layout: string; forgeries?: boolean };
  counts: { messages: number; attachments: number; documents: number; files: number; bytes: number };
  leakDate: string;
  keys: { domain: string; selector: string; algorithm: string; bits: number; publishedFrom: string; publishedUntil: string | null }[];
  notes: string[];
}

/** One generated message. */
export interface ManifestMessage {
  type: 'message';
  index: number;
  /** Relative to the output directory; `file.mbox#n` for the n-th message of an mbox (1-based). */
  path: string;
  /** SHA-256 of the message bytes as in a maildir file: CRLF, no mbox quoting. */
  sha256: string;
  size: number;
  messageId: string;
  threadId: string;
  inReplyTo: string | null;
  date: string;
  from: string;
  owner: string;
  folder: 'inbox' | 'sent';
  lang: string;
  dkim: SignatureRecord[];
  tampered: 'body' | 'headers' | null;
  expect: ExpectedVerdict;
  lineEndings: LineEndings;
  fromQuoted: number;
  attachments: { filename: string; sha256: string; contentType: string; size: number }[];
}

/** One loose document. */
export interface ManifestDocument {
  type: 'document';
  path: string;
  sha256: string;
  size: number;
  contentType: string;
  /** SHA-256 of the attachment this is a byte-identical copy of, or null. */
  copyOf: string | null;
  /** SHA-256 of the attachment this is a forged near-copy of, or null. */
  alteredFrom: string | null;
  /**
   * Only with `forgeries: true`, on the planted documents (forensic-plants.ts): the forensic signal
   * code a planted fake should raise and how it was made, or null for a planted genuine document.
   */
  forgery?: { signal: string; how: string } | null;
}

export type ManifestLine = ManifestHeader | ManifestMessage | ManifestDocument;

/** Lines buffered before one write. */
const FLUSH_BYTES = 1 << 16;

/** Streams manifest lines; `finish` prepends the header. */
export class ManifestWriter {
  private readonly path: string;
  private readonly bodyPath: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingBytes = 0;
  bytes = 0;

  constructor(root: string) {
    this.path = join(root, 'manifest.jsonl');
    this.bodyPath = join(root, '.manifest-body.jsonl');
    this.fd = openSync(this.bodyPath, 'w');
  }

  add(line: ManifestMessage | ManifestDocument): void {
    const text = JSON.stringify(line) + '\n';
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Writes `header` then the buffered lines into manifest.jsonl; returns its size. */
  finish(header: ManifestHeader): number {
    this.flush();
    closeSync(this.fd);
    const out = openSync(this.path + '.tmp', 'w');
    const head = Buffer.from(JSON.stringify(header) + '\n', 'utf8');
    writeSync(out, head);
    const input = openSync(this.bodyPath, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(input, buf); n > 0; n = readSync(input, buf)) writeSync(out, buf, 0, n);
    closeSync(input);
    closeSync(out);
    unlinkSync(this.bodyPath);
    renameSync(this.path + '.tmp', this.path);
    return head.length + this.bytes;
  }
}
