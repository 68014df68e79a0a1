/**
 * What a worker thread can be asked to do, and how it does it. The same handler runs in-thread when
 * the pool has no workers, so the two paths cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { compareShownWithSigned } from '../dkim/shown-vs-signed.ts';
import { verifyMessage } from '../dkim/verify-message.ts';
import type { MessageVerification } from '../dkim/result.ts';
import type { KeyLookup } from '../dkim/verify.ts';
import { buildKeyLookup } from '../keys/key-lookup.ts';
import type { BlobStore } from '../store/blob-store.ts';
import type { StoredKey } from '../store/store.ts';
import { processBuffer, type BufferJob, type JobResult } from './process-buffer.ts';

export type WorkerRequest =
  | { type: 'ingest'; job: BufferJob }
  | { type: 'keys'; keys: StoredKey[] }
  | { type: 'verify'; sha256s: string[]; asOf: string };

export interface VerifyOutcome {
  sha256: string;
  verification: MessageVerification | null;
  error: string | null;
}

export type WorkerResponse<R extends WorkerRequest> = R extends { type: 'ingest' }
  ? JobResult
  : R extends { type: 'verify' }
    ? VerifyOutcome[]
    : null;

/** The key snapshot of this thread, set by a 'keys' request. */
let lookup: KeyLookup = () => [];

export async function handleRequest<R extends WorkerRequest>(request: R, blobs: BlobStore): Promise<WorkerResponse<R>> {
  switch (request.type) {
    case 'ingest':
      return (await processBuffer(request.job, blobs)) as WorkerResponse<R>;
    case 'keys':
      lookup = buildKeyLookup(request.keys);
      return null as WorkerResponse<R>;
    case 'verify': {
      const asOf = new Date(request.asOf);
      const out: VerifyOutcome[] = [];
      for (const sha256 of request.sha256s) {
        try {
          const bytes = readFileSync(blobs.pathOf(sha256));
          const verification = verifyMessage(bytes, { keys: lookup, asOf });
          verification.shownNotSigned = await compareShownWithSigned(bytes, verification);
          if (verification.shownNotSigned.length > 0) verification.summary = `WARNING: ${verification.shownNotSigned.join(' ')} ${verification.summary}`;
          out.push({ sha256, verification, error: null });
        } catch (err) {
          out.push({ sha256, verification: null, error: (err as Error).message });
        }
      }
      return out as WorkerResponse<R>;
    }
  }
  throw new Error('unknown worker request');
}
