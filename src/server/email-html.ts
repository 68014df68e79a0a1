/**
 * The HTML of an email, made safe (safe-html.ts), from its original bytes. The case keeps an email's
 * HTML only when it has no text part, so the message is parsed again, as ingest parsed it; inline
 * images (`cid:`) come from its own parts when they are images by their magic bytes.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseEmail } from '../extract/email.ts';
import { sanitizeHtml, type SafeHtml } from './safe-html.ts';

/** Emails larger than this are not parsed for their HTML (the text and the download remain). */
export const MAX_HTML_EMAIL_BYTES = 50_000_000;
/** HTML longer than this is cut before it is rewritten. */
export const MAX_HTML_CHARS = 5_000_000;
/** Inline images embedded as data: URLs at most, in bytes, per email. */
const MAX_INLINE_IMAGE_BYTES = 20_000_000;

const IMAGE_MAGIC: { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  { type: 'image/webp', test: (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50 },
];

/** The image type of `bytes` by magic bytes, or null: a part's declared type is not trusted. */
export function imageTypeOf(bytes: Uint8Array): string | null {
  return IMAGE_MAGIC.find((m) => m.test(bytes))?.type ?? null;
}

export interface EmailHtml extends SafeHtml {
  hasHtml: boolean;
  /** True when the HTML was cut at MAX_HTML_CHARS. */
  truncated: boolean;
}

const NO_HTML: EmailHtml = { hasHtml: false, html: '', blocked: [], blockedTotal: 0, inlineImages: 0, truncated: false };

/** Shown instead of HTML that could not be rewritten (nested too deeply to walk, for example). */
const UNREADABLE = '<!doctype html><meta charset="utf-8"><p style="font:14px system-ui">This HTML could not be shown safely. Read the text version, or download the original.</p>';

export async function loadEmailHtml(blobPath: string): Promise<EmailHtml> {
  const size = (await stat(blobPath)).size;
  if (size > MAX_HTML_EMAIL_BYTES) return NO_HTML;
  const parsed = await parseEmail(await readFile(blobPath));
  if (!parsed.html) return NO_HTML;
  const truncated = parsed.html.length > MAX_HTML_CHARS;
  const cids = new Map<string, string>();
  let budget = MAX_INLINE_IMAGE_BYTES;
  for (const p of parsed.parts) {
    if (!p.contentId || p.bytes.length > budget) continue;
    const type = imageTypeOf(p.bytes);
    if (!type) continue;
    budget -= p.bytes.length;
    cids.set(p.contentId.replace(/^<|>$/g, '').trim().toLowerCase(), `data:${type};base64,${Buffer.from(p.bytes).toString('base64')}`);
  }
  try {
    const safe = sanitizeHtml(truncated ? parsed.html.slice(0, MAX_HTML_CHARS) : parsed.html, (cid) => cids.get(cid.trim().toLowerCase()) ?? null);
    return { ...safe, hasHtml: true, truncated };
  } catch {
    return { hasHtml: true, html: UNREADABLE, blocked: [], blockedTotal: 0, inlineImages: 0, truncated };
  }
}
