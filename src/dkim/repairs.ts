/**
 * Known benign damage that storage and export do to signed messages, and how to undo it. When a
 * check fails, each applicable repair is tried (alone, then after restoring CRLF line endings) and
 * the check repeated; a pass names the repair. A repair only changes line endings, mbox quoting,
 * trailing whitespace and header folding, and the signature itself must still verify, so a real edit
 * of the content can never be repaired into a pass.
 */

export interface Repair {
  name: string;
  /** Whitespace repairs matter only where a signature used simple canonicalization of that part. */
  needsSimple?: 'header' | 'body';
  /** Plain words for the evidence. */
  description: string;
  /** The repaired message, or null when the repair does not apply. */
  apply(message: string): string | null;
}

function headerEnd(message: string): number {
  const crlf = message.indexOf('\r\n\r\n');
  const lf = message.indexOf('\n\n');
  if (crlf < 0) return lf < 0 ? message.length : lf + 1;
  return lf < 0 || crlf < lf ? crlf + 2 : lf + 1;
}

function mapBody(message: string, f: (body: string) => string): string | null {
  const end = headerEnd(message);
  const body = message.slice(end);
  const fixed = f(body);
  return fixed === body ? null : message.slice(0, end) + fixed;
}

function mapHeaders(message: string, f: (headers: string) => string): string | null {
  const end = headerEnd(message);
  const headers = message.slice(0, end);
  const fixed = f(headers);
  return fixed === headers ? null : fixed + message.slice(end);
}

const changed = (before: string, after: string): string | null => (after === before ? null : after);

export const REPAIRS: readonly Repair[] = [
  {
    name: 'crlf-line-endings',
    description: 'line endings converted to bare LF (Unix mbox, maildir on disk) were restored to CRLF',
    apply: (m) => changed(m, m.replace(/\r?\n/g, '\r\n')),
  },
  {
    name: 'prepended-from-line',
    description: 'an mbox "From " separator line left at the top of the message was removed',
    apply: (m) => (/^From [^\r\n]*\r?\n/.test(m) && !/^From:/.test(m) ? m.replace(/^From [^\r\n]*\r?\n/, '') : null),
  },
  {
    name: 'mbox-from-unquote',
    description: 'body lines quoted as ">From " by an mbox writer were unquoted',
    apply: (m) => mapBody(m, (b) => b.replace(/^>(>*From )/gm, '$1')),
  },
  {
    name: 'mbox-from-requote',
    description: 'body lines "From " that an mbox reader had unquoted were quoted back as ">From "',
    apply: (m) => mapBody(m, (b) => b.replace(/^(>*From )/gm, '>$1')),
  },
  {
    name: 'trailing-whitespace',
    description: 'whitespace and blank lines added at the end of the message were removed',
    apply: (m) => changed(m, m.replace(/[ \t\r\n]+$/, m.includes('\r\n') ? '\r\n' : '\n')),
  },
  {
    name: 'trailing-line-whitespace',
    needsSimple: 'body',
    description: 'spaces added at the ends of body lines were removed',
    apply: (m) => mapBody(m, (b) => b.replace(/[ \t]+(?=\r?\n|$)/g, '')),
  },
  {
    name: 'header-unfolded',
    needsSimple: 'header',
    description: 'header lines folded by a later program were unfolded',
    apply: (m) => mapHeaders(m, (h) => h.replace(/\r?\n(?=[ \t])/g, '')),
  },
  {
    name: 'header-fold-tab',
    needsSimple: 'header',
    description: 'header continuation lines re-indented with spaces were given back their tab',
    apply: (m) => mapHeaders(m, (h) => h.replace(/(\r?\n) +/g, '$1\t')),
  },
  {
    name: 'header-fold-space',
    needsSimple: 'header',
    description: 'header continuation lines re-indented with a tab were given back a space',
    apply: (m) => mapHeaders(m, (h) => h.replace(/(\r?\n)\t/g, '$1 ')),
  },
];

const CRLF = REPAIRS[0]!;

/** Which parts of the failing signatures were canonicalized with `simple`. */
export interface SimpleParts {
  header: boolean;
  body: boolean;
}

/**
 * Every repaired variant worth trying, in order: single repairs, then CRLF restored followed by each
 * other. Relaxed canonicalization already ignores folding and line-end spaces, so those repairs are
 * tried only for signatures that used simple.
 */
export function* repairedVariants(message: string, simple: SimpleParts = { header: true, body: true }): Generator<{ repairs: string[]; message: string }> {
  const useful = REPAIRS.filter((r) => !r.needsSimple || simple[r.needsSimple]);
  for (const r of useful) {
    const m = r.apply(message);
    if (m !== null) yield { repairs: [r.name], message: m };
  }
  const crlf = CRLF.apply(message);
  if (crlf !== null) {
    for (const r of useful) {
      if (r === CRLF) continue;
      const m = r.apply(crlf);
      if (m !== null) yield { repairs: [CRLF.name, r.name], message: m };
    }
  }
}

export function describeRepair(name: string): string {
  return REPAIRS.find((r) => r.name === name)?.description ?? name;
}
