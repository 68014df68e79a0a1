/**
 * The built web UI (web/dist, from `npm run build:web`), read into memory once at start: a few
 * hundred kilobytes, served without touching the disk, and no request path ever reaches the file
 * system (nothing to traverse). Paths that are not files are the UI's own routes: index.html.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { Context } from 'hono';

export const WEB_DIST = join(import.meta.dirname, '..', '..', 'web', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
  /** Vite puts a content hash in every name under assets/: such files never change. */
  immutable: boolean;
}

export class WebAssets {
  readonly dir: string;
  readonly #files = new Map<string, Asset>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Reads the build; false when there is none (the server then says how to make it). */
  load(): boolean {
    this.#files.clear();
    if (!existsSync(join(this.dir, 'index.html'))) return false;
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else {
          const body = readFileSync(p);
          const url = '/' + relative(this.dir, p).split(sep).join('/');
          this.#files.set(url, {
            body,
            type: TYPES[extname(p).toLowerCase()] ?? 'application/octet-stream',
            etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
            immutable: url.startsWith('/assets/'),
          });
        }
      }
    };
    walk(this.dir);
    return true;
  }

  get built(): boolean {
    return this.#files.has('/index.html');
  }

  /** The response for a GET of `path`: a file, the UI's index for its own routes, or null. */
  respond(c: Context, path: string): Response | null {
    if (!this.built) return c.html(MISSING_BUILD, 503);
    let asset = this.#files.get(path);
    if (!asset) {
      // A file-looking path that is not in the build is a 404; everything else is a page of the UI.
      if (/\.[a-z0-9]+$/i.test(path) || path.startsWith('/assets/')) return null;
      asset = this.#files.get('/index.html')!;
    }
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, { ETag: asset.etag });
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': asset.type,
      ETag: asset.etag,
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
}

export const MISSING_BUILD = `<!doctype html><meta charset="utf-8"><title>trove: web UI not built</title>
<h1>The web UI is not built</h1>
<p>Run <code>npm run build:web</code> in the trove directory, then reload this page. The API answers meanwhile under <code>/api/</code>.</p>`;
