/**
 * Originals, content-addressed: every distinct byte sequence is written once under its SHA-256 and
 * never modified. Writes go to a temporary file and are renamed into place, so a killed process leaves
 * either a complete blob or a stray temporary file (removed at the next open), never a partial blob.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export class BlobStore {
  readonly root: string;
  readonly #tmp: string;
  /** Fan-out directories known to exist: one mkdir per directory per process, not per blob. */
  readonly #dirs = new Set<string>();

  constructor(root: string) {
    this.root = root;
    this.#tmp = join(root, 'tmp');
    mkdirSync(this.#tmp, { recursive: true });
  }

  /** Removes temporary files left by a killed run. */
  cleanTemporary(): void {
    for (const f of readdirSync(this.#tmp)) rmSync(join(this.#tmp, f), { force: true });
  }

  /** One level of 256 directories: a million blobs is 4,000 per directory, and few mkdirs. */
  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  #tmpName(): string {
    return join(this.#tmp, `${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  #install(tmp: string, sha256: string): void {
    const dir = join(this.root, sha256.slice(0, 2));
    if (!this.#dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.#dirs.add(dir);
    }
    // rename(2) replaces atomically: a concurrent writer of the same blob wrote the same bytes.
    renameSync(tmp, join(dir, sha256));
  }

  /** Stores bytes whose hash the caller computed; a no-op when the blob exists. */
  putBytes(sha256: string, bytes: Uint8Array): void {
    if (this.has(sha256)) return;
    const tmp = this.#tmpName();
    writeFileSync(tmp, bytes);
    this.#install(tmp, sha256);
  }

  /**
   * Streams bytes into the store, hashing them on the way (one pass over the data). `head` receives the
   * first `headBytes` bytes for format sniffing.
   */
  async putStream(source: Readable, headBytes: number): Promise<{ sha256: string; size: number; head: Buffer }> {
    const tmp = this.#tmpName();
    const out = createWriteStream(tmp);
    const hash = createHash('sha256');
    const heads: Buffer[] = [];
    let headLen = 0;
    let size = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        if (headLen < headBytes) {
          heads.push(chunk.subarray(0, headBytes - headLen));
          headLen += Math.min(chunk.length, headBytes - headLen);
        }
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (err) {
      out.destroy();
      rmSync(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    this.#install(tmp, sha256);
    return { sha256, size, head: Buffer.concat(heads) };
  }
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
