/**
 * What happens to one item's bytes: hash, store the original, detect the format, and for emails and
 * TNEF parse and recurse into every part. Runs in a worker thread; returns plain records for the main
 * thread to commit. Archives and mailboxes are handed back to be read from disk by the main thread.
 */
import { emailFormat, MAX_HEADER_BYTES, parseEmail } from '../extract/email.ts';
import type { FormatModule, ItemError } from '../extract/format.ts';
import { detectFormat } from '../extract/registry.ts';
import { extractDocument, ExtractError } from '../extract/extract-document.ts';
import { clip, htmlToText } from '../extract/plain-text.ts';
import { readFacts } from '../forensics/facts.ts';
import { signatureBytes, signatureOf } from '../provenance/minhash.ts';
import { readTnef, TnefError } from '../extract/tnef.ts';
import { sha256Of, type BlobStore } from '../store/blob-store.ts';
import { emptyBatch, type PendingContainer, type WriteBatch } from '../store/store.ts';
import { MAX_EMAIL_PARSE_BYTES, MAX_NESTING_DEPTH } from './limits.ts';

export interface BufferJob {
  bytes: Uint8Array;
  /** Known when the caller already hashed and stored the bytes. */
  sha256?: string;
  /** Placement name: the display path for a top-level source, else `/name` or `#n`. */
  name: string;
  parent: string | null;
  /** Full display path, for messages. */
  path: string;
  carried: boolean;
  depth: number;
  notes?: Record<string, unknown> | null;
  /** Set for files in a maildir: they are emails even when their first bytes are unusual. */
  expectEmail?: boolean;
}

/** A container found while processing, to be read by the main thread (`root`: the job's own item). */
export type FoundContainer = PendingContainer;

export interface JobResult {
  batch: WriteBatch;
  containers: FoundContainer[];
  /** SHA-256 of the job's own bytes. */
  sha256: string;
  items: number;
  emails: number;
  errors: number;
  bytes: number;
}

function baseName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('#')) + 1);
}

function pick(bytes: Uint8Array, name: string, expectEmail: boolean): FormatModule {
  const format = detectFormat(bytes.subarray(0, 4096), baseName(name));
  if (expectEmail && (format.name === 'unknown' || format.name === 'text')) return emailFormat;
  return format;
}

export async function processBuffer(job: BufferJob, blobs: BlobStore): Promise<JobResult> {
  const result: JobResult = { batch: emptyBatch(), containers: [], sha256: '', items: 0, emails: 0, errors: 0, bytes: 0 };
  const seen = new Set<string>();

  const fail = (sha256: string | null, path: string, error: ItemError): ItemError => {
    result.batch.errors.push({ path, sha256, code: error.code, message: error.message });
    result.errors++;
    return error;
  };

  const visit = async (
    bytes: Uint8Array, knownSha: string | undefined, name: string, parent: string | null, path: string,
    carried: boolean, depth: number, notes: Record<string, unknown> | null, format: FormatModule,
  ): Promise<string> => {
    const sha256 = knownSha ?? sha256Of(bytes);
    result.batch.placements.push({ sha256, parent, name });
    result.items++;
    if (seen.has(sha256)) return sha256;
    seen.add(sha256);
    result.bytes += bytes.length;
    if (!knownSha) blobs.putBytes(sha256, bytes);

    let error: ItemError | null = null;
    let pending = false;
    if (bytes.length === 0) {
      error = fail(sha256, path, { code: 'empty', message: 'The file is empty (0 bytes): there is nothing to read.' });
    } else if (format.class !== 'document' && depth > MAX_NESTING_DEPTH) {
      error = fail(sha256, path, { code: 'too-deep', message: `Nested more than ${MAX_NESTING_DEPTH} levels deep (MAX_NESTING_DEPTH): stored but not opened.` });
    } else if (format.class === 'email') {
      error = await visitEmail(bytes, sha256, path, depth);
    } else if (format.name === 'tnef') {
      error = await visitTnef(bytes, sha256, path, depth);
    } else if (format.class === 'document') {
      error = await visitDocument(bytes, sha256, path, format);
    } else if (format.class === 'container') {
      pending = true;
      result.containers.push({ sha256, format: format.name, path, carried, depth, root: parent === job.parent && name === job.name });
    }
    result.batch.items.push({ sha256, size: bytes.length, format: format.name, formatClass: format.class, carriedByEmail: carried, depth, error, notes });
    if (!pending) result.batch.done.push(sha256);
    return sha256;
  };

  const visitEmail = async (bytes: Uint8Array, sha256: string, path: string, depth: number): Promise<ItemError | null> => {
    if (bytes.length > MAX_EMAIL_PARSE_BYTES) {
      return fail(sha256, path, { code: 'too-large', message: `The message is ${bytes.length} bytes, over the parsing limit of ${MAX_EMAIL_PARSE_BYTES} (MAX_EMAIL_PARSE_BYTES): stored but not parsed.` });
    }
    let email;
    try {
      email = await parseEmail(bytes);
    } catch (err) {
      const m = (err as Error).message;
      const tooBig = /maxHeadersSize/i.test(m) ? ` (headers over ${MAX_HEADER_BYTES} bytes)` : '';
      return fail(sha256, path, { code: 'malformed-email', message: `The message could not be parsed as MIME${tooBig}: ${m}` });
    }
    if (!/^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(email.rawHeaders)) {
      return fail(sha256, path, { code: 'not-an-email', message: 'The file was expected to be an email but does not start with header fields (From:, Date: ...).' });
    }
    result.emails++;
    const { parts, warnings: _warnings, rawHeaders: _raw, ...record } = email;
    // The original (headers and HTML included) is in the blob store; the index keeps what is read.
    result.batch.emails.push({ sha256, ...record, html: record.text === null ? record.html : null });
    if (record.text === null && record.html) result.batch.extracted.push({ sha256, text: clip(htmlToText(record.html)), metadata: null, extractor: 'html', minhash: null, facts: null });
    for (const part of parts) {
      const childFormat = part.mimeType === 'message/rfc822' ? emailFormat : pick(part.bytes, part.filename, false);
      const notes = part.named ? null : { declaredType: part.mimeType };
      await visit(part.bytes, undefined, `/${part.filename}`, sha256, `${path}/${part.filename}`, true, depth + 1, notes, childFormat);
    }
    return null;
  };

  /** Text and metadata of a document, for search and comparison; a reader that fails is an error on the item. */
  const visitDocument = async (bytes: Uint8Array, sha256: string, path: string, format: FormatModule): Promise<ItemError | null> => {
    let found;
    let error: ItemError | null = null;
    try {
      found = await extractDocument(format.name, bytes);
    } catch (err) {
      const reason = err instanceof ExtractError ? err.message : `unexpected failure: ${(err as Error).message}`;
      error = fail(sha256, path, { code: 'unreadable-document', message: `The ${format.name} file is stored, but its text could not be read: ${reason}` });
    }
    const facts = await readFacts(format.name, bytes);
    if (found || facts) {
      // Fingerprinted here, on the worker threads, while the text is at hand (provenance compares them later).
      const text = found?.text ?? null;
      const sig = text ? signatureOf(text) : null;
      result.batch.extracted.push({
        sha256, text, metadata: found?.metadata ?? null, extractor: format.name,
        minhash: text === null ? null : sig ? signatureBytes(sig) : new Uint8Array(0), facts,
      });
    }
    return error;
  };

  const visitTnef = async (bytes: Uint8Array, sha256: string, path: string, depth: number): Promise<ItemError | null> => {
    let tnef;
    try {
      tnef = readTnef(bytes);
    } catch (err) {
      const reason = err instanceof TnefError ? err.message : `unexpected failure: ${(err as Error).message}`;
      return fail(sha256, path, { code: 'malformed-tnef', message: `The winmail.dat (TNEF) attachment could not be opened: ${reason}` });
    }
    const used = new Set<string>();
    for (const att of tnef.attachments) {
      let fileName = (att.name || 'attachment').replace(/[\\/]/g, '_');
      for (let n = 2; used.has(fileName); n++) fileName = `${att.name} (${n})`;
      used.add(fileName);
      await visit(att.bytes, undefined, `/${fileName}`, sha256, `${path}/${fileName}`, true, depth + 1, null, pick(att.bytes, fileName, false));
    }
    if (tnef.warnings.length > 0) {
      return fail(sha256, path, { code: 'damaged-tnef', message: `The TNEF attachment is damaged: ${tnef.warnings.join('; ')}. What could be read was kept.` });
    }
    return null;
  };

  const format = pick(job.bytes, job.name, job.expectEmail ?? false);
  result.sha256 = await visit(job.bytes, job.sha256, job.name, job.parent, job.path, job.carried, job.depth, job.notes ?? null, format);
  return result;
}
