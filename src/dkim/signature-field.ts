/**
 * The DKIM-Signature header field (RFC 6376 §3.5; RFC 8463 for ed25519-sha256). Every tag is validated
 * with a precise reason; a signature that fails validation is reported as malformed, never skipped.
 */
import { parseTagList, stripWhitespace } from './tag-list.ts';

export type SigningAlgorithm = 'rsa-sha256' | 'rsa-sha1' | 'ed25519-sha256';
export type Canonicalization = 'simple' | 'relaxed';

export interface DkimSignature {
  algorithm: SigningAlgorithm;
  /** b=, decoded. */
  signature: Buffer;
  /** bh=, decoded. */
  bodyHash: Buffer;
  headerCanon: Canonicalization;
  bodyCanon: Canonicalization;
  domain: string;
  selector: string;
  /** h=, lower-cased, in order, repeats kept. */
  signedHeaders: string[];
  /** i=, or `@d` when absent (§3.5). */
  identity: string;
  /** l=: body bytes covered, or null for the whole body. */
  bodyLength: number | null;
  /** t= and x=, seconds since the epoch, or null. */
  timestamp: number | null;
  expiration: number | null;
  /** The tags as written, for the evidence. */
  raw: Record<string, string>;
}

export type SignatureParse = { ok: true; signature: DkimSignature } | { ok: false; reason: string; domain: string | null; selector: string | null };

const ALGORITHMS: readonly SigningAlgorithm[] = ['rsa-sha256', 'rsa-sha1', 'ed25519-sha256'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const SELECTOR = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;
/** §3.5: "at most 76 decimal digits" for l=, t=, x=; we also refuse what JS cannot hold exactly. */
const DIGITS = /^\d{1,15}$/;

function decodeBase64(value: string): Buffer | null {
  const v = stripWhitespace(value);
  if (!BASE64.test(v) || v.length % 4 === 1) return null;
  return Buffer.from(v, 'base64');
}

/** Parses and validates the value of a DKIM-Signature field (everything after the colon). */
export function parseSignatureField(value: string): SignatureParse {
  const parsed = parseTagList(value);
  if (!parsed.ok) return { ok: false, reason: `unreadable tag list: ${parsed.reason}`, domain: null, selector: null };
  const t = parsed.tags;
  const domain = t.get('d')?.toLowerCase() ?? null;
  const selector = t.get('s')?.toLowerCase() ?? null;
  const fail = (reason: string): SignatureParse => ({ ok: false, reason, domain, selector });

  for (const required of ['v', 'a', 'b', 'bh', 'd', 'h', 's']) {
    if (!t.has(required)) return fail(`the required tag ${required}= is missing`);
  }
  if (t.get('v') !== '1') return fail(`v=${t.get('v')} is not a supported version (only v=1)`);
  const algorithm = t.get('a')!.toLowerCase() as SigningAlgorithm;
  if (!ALGORITHMS.includes(algorithm)) return fail(`a=${t.get('a')} is not a known signing algorithm`);
  const signature = decodeBase64(t.get('b')!);
  if (!signature || signature.length === 0) return fail('b= is empty or not valid base64');
  const bodyHash = decodeBase64(t.get('bh')!);
  if (!bodyHash || bodyHash.length === 0) return fail('bh= is empty or not valid base64');
  const expectedHashBytes = algorithm === 'rsa-sha1' ? 20 : 32;
  if (bodyHash.length !== expectedHashBytes) return fail(`bh= holds ${bodyHash.length} bytes; ${algorithm} needs ${expectedHashBytes}`);
  if (!domain || !DOMAIN.test(domain)) return fail(`d=${t.get('d')} is not a domain name`);
  if (!selector || !SELECTOR.test(selector)) return fail(`s=${t.get('s')} is not a valid selector`);

  const canon = (t.get('c') ?? 'simple/simple').toLowerCase().split('/');
  const [hc, bc = 'simple'] = canon;
  if (canon.length > 2 || (hc !== 'simple' && hc !== 'relaxed') || (bc !== 'simple' && bc !== 'relaxed')) {
    return fail(`c=${t.get('c')} is not a known canonicalization`);
  }

  const signedHeaders = t.get('h')!.split(':').map((h) => h.replace(/[ \t\r\n]+/g, '').toLowerCase());
  if (signedHeaders.some((h) => h === '' || !/^[\x21-\x39\x3b-\x7e]+$/.test(h))) return fail(`h=${t.get('h')} holds an invalid header name`);
  // §3.5: "The From header field MUST be signed".
  if (!signedHeaders.includes('from')) return fail('h= does not include From, which RFC 6376 requires to be signed');

  const identity = t.get('i') ?? `@${domain}`;
  const at = identity.lastIndexOf('@');
  if (at < 0) return fail(`i=${identity} has no @domain`);
  const iDomain = identity.slice(at + 1).toLowerCase();
  // §3.5: the i= domain must be d= or a subdomain of it.
  if (iDomain !== domain && !iDomain.endsWith(`.${domain}`)) return fail(`i=${identity} is not in the signing domain ${domain}`);

  const number = (tag: string): number | null | 'bad' => {
    const v = t.get(tag);
    if (v === undefined) return null;
    return DIGITS.test(v) ? Number(v) : 'bad';
  };
  const bodyLength = number('l');
  if (bodyLength === 'bad') return fail(`l=${t.get('l')} is not a byte count`);
  const timestamp = number('t');
  if (timestamp === 'bad') return fail(`t=${t.get('t')} is not a timestamp`);
  const expiration = number('x');
  if (expiration === 'bad') return fail(`x=${t.get('x')} is not a timestamp`);
  // §3.5: x= "MUST be greater than the value of the t= tag if both are present".
  if (timestamp !== null && expiration !== null && expiration < timestamp) return fail(`x=${expiration} is before t=${timestamp}`);
  const q = t.get('q');
  if (q !== undefined && !q.split(':').some((m) => m.trim().toLowerCase() === 'dns/txt')) return fail(`q=${q} names no supported key query method (dns/txt)`);

  return {
    ok: true,
    signature: {
      algorithm,
      signature,
      bodyHash,
      headerCanon: hc,
      bodyCanon: bc,
      domain: domain.replace(/\.$/, ''),
      selector,
      signedHeaders,
      identity,
      bodyLength,
      timestamp,
      expiration,
      raw: Object.fromEntries(t),
    },
  };
}
