/**
 * What an RTF file says about itself (RTF 1.9.1 specification): the `\info` group (author,
 * operator = last editor, creation / revision / print times, editing minutes, version), the
 * `{\*\generator}` destination, the code page (`\ansicpg`) and default language (`\deflang`, an
 * LCID), and the font table's names. Only the head of the file is read: these all come first.
 */
import { TextDecoder } from 'node:util';
import { rtfTimeToIso } from '../../extract/readers/metadata-date.ts';

/** RTF read for metadata: the info group and font table precede the text. */
const MAX_RTF_HEAD_BYTES = 1024 * 1024;
const MAX_FONTS = 300;

export interface RtfFacts {
  reader: 'rtf';
  info: Record<string, string | number | null>;
  generator: string | null;
  codepage: number | null;
  defaultLanguage: number | null;
  fonts: string[];
}

const TEXT_FIELDS = ['title', 'subject', 'author', 'operator', 'keywords', 'comment', 'doccomm', 'company', 'manager', 'category'];
const TIME_FIELDS = ['creatim', 'revtim', 'printim', 'buptim'];

function decodeText(raw: string, decoder: TextDecoder): string {
  const bytes: number[] = [];
  let out = '';
  const flush = (): void => {
    if (bytes.length) out += decoder.decode(new Uint8Array(bytes.splice(0)));
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\') {
      const hex = /^'([0-9a-fA-F]{2})/.exec(raw.slice(i + 1, i + 4));
      if (hex) {
        bytes.push(parseInt(hex[1] as string, 16));
        i += 3;
        continue;
      }
      const u = /^u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|\?)?/.exec(raw.slice(i + 1, i + 20));
      if (u) {
        flush();
        out += String.fromCharCode((Number(u[1]) + 65536) % 65536);
        i += u[0].length;
        continue;
      }
      const word = /^[a-z]+-?\d* ?/.exec(raw.slice(i + 1, i + 40));
      if (word) {
        i += word[0].length;
        continue;
      }
      flush();
      out += raw[i + 1] ?? '';
      i++;
      continue;
    }
    if (c === '{' || c === '}' || c === '\r' || c === '\n') continue;
    flush();
    out += c;
  }
  flush();
  return out.trim();
}

/** The body of the group that starts at `start` (just after its `{`), or null if unbalanced. */
function groupAt(text: string, start: number): string | null {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i);
  }
  return null;
}

/** The facts of an RTF file, or null when it does not start like one. */
export function readRtfFacts(bytes: Uint8Array): RtfFacts | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_RTF_HEAD_BYTES)).toString('latin1');
  if (!head.startsWith('{\\rtf')) return null;
  const codepage = Number(/\\ansicpg(\d+)/.exec(head)?.[1] ?? NaN);
  const defaultLanguage = Number(/\\deflang(\d+)/.exec(head)?.[1] ?? NaN);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(Number.isFinite(codepage) && codepage !== 0 ? `windows-${codepage}` : 'windows-1252');
  } catch {
    decoder = new TextDecoder('windows-1252');
  }
  const facts: RtfFacts = { reader: 'rtf', info: {}, generator: null, codepage: Number.isFinite(codepage) ? codepage : null, defaultLanguage: Number.isFinite(defaultLanguage) ? defaultLanguage : null, fonts: [] };

  const infoAt = head.search(/\{\\info[\s\\{]/);
  const info = infoAt >= 0 ? groupAt(head, infoAt + 1) : null;
  if (info) {
    for (const f of TEXT_FIELDS) {
      const m = new RegExp(`\\{\\\\(?:\\*\\\\)?${f}[ \\\\{]`).exec(info);
      if (!m) continue;
      const body = groupAt(info, m.index + 1);
      if (body !== null) {
        const v = decodeText(body.replace(new RegExp(`^\\\\(?:\\*\\\\)?${f} ?`), ''), decoder).slice(0, 1000);
        if (v) facts.info[f] = v;
      }
    }
    for (const f of TIME_FIELDS) {
      const m = new RegExp(`\\{\\\\${f}((?:\\\\[a-z]+-?\\d+\\s*)+)\\}`).exec(info);
      if (!m) continue;
      const t: Record<string, number> = {};
      for (const p of (m[1] as string).matchAll(/\\([a-z]+)(-?\d+)/g)) t[p[1] as string] = Number(p[2]);
      facts.info[f] = rtfTimeToIso(t);
    }
    for (const f of ['edmins', 'vern', 'version', 'nofpages', 'nofwords']) {
      const m = new RegExp(`\\{\\\\${f}\\s*(-?\\d+)\\s*\\}|\\\\${f}(-?\\d+)`).exec(info);
      if (m) facts.info[f] = Number(m[1] ?? m[2]);
    }
  }
  const genAt = head.indexOf('{\\*\\generator');
  if (genAt >= 0) {
    const body = groupAt(head, genAt + 1);
    if (body) facts.generator = decodeText(body.replace(/^\\\*\\generator ?/, ''), decoder).replace(/;$/, '').slice(0, 500) || null;
  }
  const tableAt = head.indexOf('{\\fonttbl');
  const table = tableAt >= 0 ? groupAt(head, tableAt + 1) : null;
  if (table) {
    const fonts = new Set<string>();
    for (const m of table.matchAll(/\\f\d+[^;{}]*?(?:\\[a-z]+-?\d* ?)* ?([^\\;{}][^;{}]*);/g)) {
      const name = decodeText(m[1] as string, decoder).replace(/\s+/g, ' ').trim();
      if (name && fonts.size < MAX_FONTS) fonts.add(name);
    }
    facts.fonts = [...fonts].sort();
  }
  return facts;
}
