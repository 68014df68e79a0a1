/**
 * The practical ceiling for DKIM verification in Node: per message, read the file, split header and
 * body, and for each DKIM-Signature canonicalize the body (relaxed: two regexes; simple: trailing
 * CRLFs), SHA-256 it, pick the signed headers naively (last unused instance from the bottom),
 * canonicalize them, and make one `crypto.verify` with a KeyObject parsed once at start. No repairs,
 * no evidence, no validation beyond what a verdict needs. Unsigned messages cost a read and a header
 * scan. A worker thread of bench/verify.ts.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serve, type Code } from './harness.ts';
import { keyObjectOf, parseZone } from './zone.ts';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');
const HAS_SIGNATURE = /^dkim-signature[ \t]*:/im;
const FIELD_BREAK = /\r?\n(?![ \t])/;

function tags(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function canonBody(body: string, canon: string): string {
  let s = canon === 'relaxed' ? body.replace(/[ \t]+\r\n/g, '\r\n').replace(/[ \t]+/g, ' ') : body;
  let end = s.length;
  while (end >= 2 && s.charCodeAt(end - 1) === 10 && s.charCodeAt(end - 2) === 13) end -= 2;
  s = `${s.slice(0, end)}\r\n`;
  return canon === 'relaxed' && s === '\r\n' ? '' : s;
}

function canonHeader(field: string, canon: string): string {
  if (canon !== 'relaxed') return field;
  const colon = field.indexOf(':');
  return `${field.slice(0, colon).trimEnd().toLowerCase()}:${field.slice(colon + 1).replace(/\r?\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
}

serve(({ zone }) => {
  const keys = new Map<string, KeyObject>();
  for (const [name, record] of parseZone(zone)) {
    const k = keyObjectOf(record);
    if (k) keys.set(name, k);
  }

  const verifyFile = (path: string): Code => {
    const buf = readFileSync(path);
    let end = buf.indexOf(CRLFCRLF);
    let sep = 4;
    if (end < 0) {
      end = buf.indexOf(LFLF);
      sep = 2;
      if (end < 0) [end, sep] = [buf.length, 0];
    }
    const head = buf.toString('latin1', 0, end);
    if (!HAS_SIGNATURE.test(head)) return 'n';
    const fields = head.split(FIELD_BREAK);
    const names = fields.map((f) => f.slice(0, f.indexOf(':')).trim().toLowerCase());
    let body: string | null = null;
    const bodyHashes = new Map<string, string>();
    let passed = false;
    for (let i = 0; i < fields.length; i++) {
      if (names[i] !== 'dkim-signature') continue;
      const raw = fields[i]!;
      const t = tags(raw.slice(raw.indexOf(':') + 1));
      const key = keys.get(`${t.get('s')}._domainkey.${t.get('d')}`.toLowerCase());
      const a = t.get('a');
      const b = t.get('b');
      const h = t.get('h');
      if (!key || !a || !b || !h) continue;
      const [hc = 'simple', bc = 'simple'] = (t.get('c') ?? 'simple').split('/');

      let bh = bodyHashes.get(bc);
      if (bh === undefined) {
        body ??= buf.toString('latin1', end + sep);
        bh = createHash('sha256').update(canonBody(body, bc), 'latin1').digest('base64');
        bodyHashes.set(bc, bh);
      }
      if (bh !== t.get('bh')?.replace(/\s+/g, '')) continue;

      let data = '';
      const next = new Map<string, number>();
      for (const n of h.split(':')) {
        const name = n.trim().toLowerCase();
        let j = (next.get(name) ?? fields.length) - 1;
        while (j >= 0 && (names[j] !== name || j === i)) j--;
        next.set(name, Math.max(j, 0));
        if (j >= 0) data += `${canonHeader(fields[j]!, hc)}\r\n`;
      }
      const colon = raw.indexOf(':');
      data += canonHeader(raw.slice(0, colon + 1) + raw.slice(colon + 1).replace(/((?:^|;)[ \t\r\n]*b[ \t\r\n]*=)[^;]*/, '$1'), hc);
      const signature = Buffer.from(b.replace(/\s+/g, ''), 'base64');
      const ok = a === 'ed25519-sha256'
        ? verify(null, createHash('sha256').update(data, 'latin1').digest(), key, signature)
        : verify(a === 'rsa-sha1' ? 'sha1' : 'sha256', Buffer.from(data, 'latin1'), key, signature);
      if (ok) passed = true;
    }
    return passed ? 'p' : 'f';
  };
  return { verify: verifyFile, async: false };
});
