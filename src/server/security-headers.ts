/**
 * Response headers that keep the UI, and the leaked material it shows, from talking to anything but
 * this server. Three policies: the UI page (its own scripts and styles only, no inline script, no
 * remote anything), a leaked HTML email (no script at all, images only as `data:` URLs, sandboxed
 * even if opened outside its iframe), and downloads (never rendered as a page).
 */
import type { MiddlewareHandler } from 'hono';

/** The UI: code and styles from this server only; frames only this server's sandboxed email views. */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A leaked HTML email. `sandbox` (the directive, with no allowances) sandboxes the document even
 * when opened directly rather than in the UI's `<iframe sandbox>`: no script, an opaque origin.
 */
export const FRAME_CSP = [
  "default-src 'none'",
  'img-src data:',
  "style-src 'unsafe-inline'",
  'font-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox',
].join('; ');

/** Originals and previews: nothing in them runs or loads, whatever a browser makes of them. */
export const DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/** Headers on every response; a route may set a stricter Content-Security-Policy first. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', UI_CSP);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-DNS-Prefetch-Control', 'off');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
    if (!h.has('X-Frame-Options')) h.set('X-Frame-Options', 'DENY');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  };
}

/**
 * Refuses requests whose Host is not this server's own name. A web page the investigator visits
 * could otherwise point a domain of its own at 127.0.0.1 (DNS rebinding) and read the case through
 * the browser. `allowed` holds `host:port` pairs; `null` accepts every Host (a server opened wide
 * with --host, where the operator chose the exposure).
 */
export function hostCheck(allowed: () => Set<string> | null): MiddlewareHandler {
  return async (c, next) => {
    const hosts = allowed();
    const host = (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
    if (hosts !== null && !hosts.has(host)) {
      return c.json({ error: { code: 'bad-host', message: `This server answers to ${[...hosts][0] ?? 'its own address'} only.` } }, 421);
    }
    await next();
  };
}

/** Only GET and HEAD: the server never changes the case. */
export function readOnlyMethods(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return c.json({ error: { code: 'read-only', message: 'trove serve is read-only: only GET requests are answered.' } }, 405, { Allow: 'GET, HEAD' });
    }
    await next();
  };
}
