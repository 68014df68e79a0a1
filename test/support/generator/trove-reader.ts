/**
 * Reads a generated trove back by its manifest, for tests: the manifest lines, the messages of an
 * mbox (split on `From ` separator lines, mboxrd-unquoted, LF restored to CRLF), members of the
 * leak's zip archive, and the exact bytes behind any manifest path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { unquoteMboxrd } from './mail-stores.ts';
import type { ManifestDocument, ManifestHeader, ManifestLine, ManifestMessage } from './manifest.ts';

/** The parsed manifest of the trove in `dir`. */
export function readManifest(dir: string): { header: ManifestHeader; messages: ManifestMessage[]; documents: ManifestDocument[] } {
  const lines = readFileSync(join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ManifestLine);
  const [header, ...rest] = lines;
  if (header?.type !== 'header') throw new Error('manifest.jsonl does not start with a header line');
  return {
    header,
    messages: rest.filter((l): l is ManifestMessage => l.type === 'message'),
    documents: rest.filter((l): l is ManifestDocument => l.type === 'document'),
  };
}

/**
 * The messages of an mbox file as a maildir would hold them: separator lines dropped, the blank
 * line before each separator dropped, `>From ` unquoted, LF turned back into CRLF.
 */
export function splitMbox(mbox: Buffer): Buffer[] {
  const text = mbox.toString('latin1');
  const crlf = /^From [^\n]*\r\n/.test(text);
  const nl = crlf ? '\r\n' : '\n';
  const parts = text.split(new RegExp(`(?:^|${nl}${nl})From [^\\r\\n]*${nl}`));
  return parts.slice(1).map((part, i, all) => {
    // The last message keeps the file's final empty line; the others lost it to the split.
    let body = i === all.length - 1 && part.endsWith(nl + nl) ? part.slice(0, -nl.length) : part + (i === all.length - 1 ? '' : nl);
    if (!crlf) body = body.replace(/\n/g, '\r\n');
    return unquoteMboxrd(Buffer.from(body, 'latin1'));
  });
}

/** Every member of a zip archive, read into memory (test troves are small). */
export function readZipMembers(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.open(path, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Resolves manifest paths (`leak/a/inbox.mbox#3`, `leak/archive.zip/x/y.eml`) to bytes, caching containers. */
export class TroveReader {
  private readonly dir: string;
  private readonly zips = new Map<string, Map<string, Buffer>>();
  private readonly mboxes = new Map<string, Buffer[]>();

  constructor(dir: string) {
    this.dir = dir;
  }

  private async file(path: string): Promise<Buffer> {
    const zipAt = path.indexOf('.zip/');
    if (zipAt < 0) return readFileSync(join(this.dir, path));
    const zipPath = path.slice(0, zipAt + 4);
    let members = this.zips.get(zipPath);
    if (!members) {
      members = await readZipMembers(join(this.dir, zipPath));
      this.zips.set(zipPath, members);
    }
    const member = members.get(path.slice(zipAt + 5));
    if (!member) throw new Error(`${path}: no such archive member`);
    return member;
  }

  /** The bytes a manifest path names; for mbox paths, the n-th message restored to CRLF and unquoted. */
  async read(path: string): Promise<Buffer> {
    const hash = path.lastIndexOf('#');
    if (hash < 0) return this.file(path);
    const container = path.slice(0, hash);
    let messages = this.mboxes.get(container);
    if (!messages) {
      messages = splitMbox(await this.file(container));
      this.mboxes.set(container, messages);
    }
    const n = Number(path.slice(hash + 1));
    const message = messages[n - 1];
    if (!message) throw new Error(`${path}: the mbox holds ${messages.length} messages`);
    return message;
  }
}
