/**
 * Splits a message into header fields and body, byte-faithfully (latin1 strings: one char per byte).
 * Line endings are kept as stored, so damage such as bare LFs stays visible to the verifier and to
 * the repairs that undo it.
 */

export interface HeaderField {
  /** Lower-cased field name, without surrounding whitespace. */
  key: string;
  /** The whole field as stored, continuation lines included, without its final line ending. */
  raw: string;
}

export interface SplitMessage {
  /** In message order (top first). */
  headers: HeaderField[];
  /** Everything after the blank line that ends the header block ('' when there is none). */
  body: string;
  /** True when the header block ended with an empty line (a message with no body may lack it). */
  hasSeparator: boolean;
}

export function splitMessage(message: string): SplitMessage {
  const headers: HeaderField[] = [];
  let pos = 0;
  let current: { start: number; end: number } | null = null;
  const close = (): void => {
    if (!current) return;
    const raw = message.slice(current.start, current.end);
    const colon = raw.indexOf(':');
    headers.push({ key: (colon < 0 ? raw : raw.slice(0, colon)).trim().toLowerCase(), raw });
    current = null;
  };
  while (pos < message.length) {
    let nl = message.indexOf('\n', pos);
    if (nl < 0) nl = message.length;
    const lineEnd = nl > pos && message.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (lineEnd === pos) {
      // The empty line: the body starts after it.
      close();
      return { headers, body: message.slice(Math.min(nl + 1, message.length)), hasSeparator: true };
    }
    const first = message.charCodeAt(pos);
    if ((first === 32 || first === 9) && current) current.end = lineEnd;
    else {
      close();
      current = { start: pos, end: lineEnd };
    }
    pos = nl + 1;
  }
  close();
  return { headers, body: '', hasSeparator: false };
}

/**
 * The header fields a signature covers (RFC 6376 §5.4.2): for each name in h=, the last instance not
 * yet used, counting from the bottom; a name with no instance left contributes nothing.
 */
export function selectSignedHeaders(headers: HeaderField[], names: string[]): (HeaderField | null)[] {
  const used = new Map<string, number>();
  return names.map((name) => {
    const skip = used.get(name) ?? 0;
    let seen = 0;
    for (let i = headers.length - 1; i >= 0; i--) {
      if (headers[i]!.key !== name) continue;
      if (seen++ === skip) {
        used.set(name, skip + 1);
        return headers[i]!;
      }
    }
    used.set(name, skip + 1);
    return null;
  });
}
