import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SCORE_EXTENSION, SCORE_MAGIC } from '../../src/extract/format.ts';
import {
  MAX_MBOX_MESSAGE_BYTES,
  MBOX_READ_CHUNK_BYTES,
  isFromLine,
  looksLikeMbox,
  mboxFormat,
  readMbox,
  unquoteFromLines,
  type MboxMessage,
  type ReadMboxOptions,
} from '../../src/sources/mbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'trove-mbox-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function writeMbox(content: string | Buffer): string {
  const path = join(dir, `${++fileCount}.mbox`);
  writeFileSync(path, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  return path;
}

async function collect(path: string, opts?: ReadMboxOptions): Promise<MboxMessage[]> {
  const out: MboxMessage[] = [];
  for await (const message of readMbox(path, opts)) out.push(message);
  return out;
}

/** Comparable view of a message: bytes as latin1 text. */
function view(m: MboxMessage): Record<string, unknown> {
  return { ...m, bytes: m.bytes.toString('latin1') };
}

/** Split `content` with the default chunk size and with tiny ones; all must agree. */
async function split(content: string | Buffer, opts: ReadMboxOptions = {}): Promise<Record<string, unknown>[]> {
  const path = writeMbox(content);
  const expected = (await collect(path, opts)).map(view);
  for (const highWaterMark of [1, 2, 3, 5, 7, 16]) {
    const actual = (await collect(path, { ...opts, highWaterMark })).map(view);
    assert.deepEqual(actual, expected, `highWaterMark ${highWaterMark} splits differently`);
  }
  return expected;
}

const FROM_A = 'From alice@example.com Thu Mar  2 14:03:11 2017';
const FROM_B = 'From MAILER-DAEMON Fri Jul  8 12:08:34 2011';

describe('isFromLine', () => {
  test('accepts separators real archives write', () => {
    for (const line of [
      FROM_A,
      FROM_B,
      'From - Mon Jan 01 00:00:00 2001',
      'From jdoe@ex.com  Sat Jan  3 01:05:34 1996',
      'From "a b"@x.y Tue, 7 Mar 2017 10:00:00 +0100',
      'From bounce+srs=abc@lists.example.org Wed Mar 15 10:00:00 2017 +0000',
    ]) {
      assert.equal(isFromLine(line), true, line);
    }
  });

  test('rejects body prose', () => {
    for (const line of [
      'From here on, we do it differently.',
      'From the desk of X',
      'From 2010 to 2015 revenue grew.',
      'From Monday 10:00 we meet.',
      'From: alice@example.com',
      'From alice@example.com',
      'from alice@example.com Thu Mar  2 14:03:11 2017',
    ]) {
      assert.equal(isFromLine(line), false, line);
    }
  });
});

describe('readMbox', () => {
  test('splits an LF mbox and drops the blank line before each separator', async () => {
    const first = `${FROM_A}\nSubject: one\n\nbody one\n\n`;
    const content = `${first}${FROM_B}\nSubject: two\n\nbody two\n\n`;
    const messages = await split(content);
    assert.equal(messages.length, 2);
    assert.deepEqual(messages[0], {
      index: 1,
      offset: 0,
      endOffset: first.length,
      fromLine: FROM_A,
      bytes: 'Subject: one\n\nbody one\n',
      unquoted: 0,
    });
    assert.equal(messages[1]?.offset, first.length);
    assert.equal(messages[1]?.fromLine, FROM_B);
    assert.equal(messages[1]?.bytes, 'Subject: two\n\nbody two\n');
    assert.equal(messages[1]?.endOffset, content.length);
  });

  test('splits a CRLF mbox and keeps CRLF in the messages', async () => {
    const messages = await split(`${FROM_A}\r\nSubject: one\r\n\r\nbody one\r\n\r\n${FROM_B}\r\nSubject: two\r\n\r\nbody two\r\n\r\n`);
    assert.deepEqual(
      messages.map((m) => [m.fromLine, m.bytes]),
      [
        [FROM_A, 'Subject: one\r\n\r\nbody one\r\n'],
        [FROM_B, 'Subject: two\r\n\r\nbody two\r\n'],
      ],
    );
  });

  test('unquotes >From lines the mboxrd way, one > per line, and counts them', async () => {
    const [message] = await split(
      `${FROM_A}\nSubject: q\n\n>From the start\nsay >From not at line start\n>>From deeper\n>>>From deepest\n> From not quoted\n\n`,
    );
    assert.equal(message?.bytes, 'Subject: q\n\nFrom the start\nsay >From not at line start\n>From deeper\n>>From deepest\n> From not quoted\n');
    assert.equal(message?.unquoted, 3);
  });

  test('a From line not preceded by a blank line stays in the body', async () => {
    const messages = await split(`${FROM_A}\nSubject: x\n\nSee below.\n${FROM_B}\nFrom here on, all is body.\n`);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.bytes, `Subject: x\n\nSee below.\n${FROM_B}\nFrom here on, all is body.\n`);
  });

  test('a From line after a blank line that is no From_ line stays in the body', async () => {
    const messages = await split(`${FROM_A}\nSubject: x\n\nHello,\n\nFrom the desk of X\n\n${FROM_B}\n\nsecond\n`);
    assert.deepEqual(
      messages.map((m) => m.bytes),
      ['Subject: x\n\nHello,\n\nFrom the desk of X\n', '\nsecond\n'],
    );
  });

  test('splits on Thunderbird "From - " separators', async () => {
    const messages = await split(
      'From - Mon Jan 01 00:00:00 2001\r\nX-Mozilla-Status: 0001\r\nSubject: a\r\n\r\na\r\n\r\nFrom - Tue Jan 02 00:00:00 2001\r\nSubject: b\r\n\r\nb\r\n',
    );
    assert.deepEqual(
      messages.map((m) => [m.index, m.bytes]),
      [
        [1, 'X-Mozilla-Status: 0001\r\nSubject: a\r\n\r\na\r\n'],
        [2, 'Subject: b\r\n\r\nb\r\n'],
      ],
    );
  });

  test('an empty file yields nothing, and so does a blank one', async () => {
    assert.deepEqual(await split(''), []);
    assert.deepEqual(await split('\n\r\n\n'), []);
  });

  test('bytes before the first separator are a raw preamble with index 0', async () => {
    const preamble = 'Subject: orphan\n\n>From kept raw\n\n';
    const messages = await split(`${preamble}${FROM_A}\n\nfirst\n`);
    assert.deepEqual(messages[0], {
      index: 0,
      preamble: true,
      offset: 0,
      endOffset: preamble.length,
      fromLine: '',
      bytes: 'Subject: orphan\n\n>From kept raw\n',
      unquoted: 0,
    });
    assert.deepEqual(messages.slice(1).map((m) => [m.index, m.bytes]), [[1, '\nfirst\n']]);
  });

  test('a file with only a preamble is one preamble message', async () => {
    const content = 'Subject: no separator\n\nFrom the desk of X\n';
    const messages = await split(content);
    assert.deepEqual(messages, [
      { index: 0, preamble: true, offset: 0, endOffset: content.length, fromLine: '', bytes: content, unquoted: 0 },
    ]);
  });

  test('a blank line at the very start still lets the next line be a separator', async () => {
    const messages = await split(`\n${FROM_A}\n\nonly\n`);
    assert.deepEqual(messages.map((m) => [m.index, m.offset, m.bytes]), [[1, 1, '\nonly\n']]);
  });

  test('a file cut in the middle of a message yields the partial message', async () => {
    const messages = await split(`${FROM_A}\nSubject: one\n\none\n\n${FROM_B}\nSubject: tw`);
    assert.deepEqual(messages.map((m) => m.bytes), ['Subject: one\n\none\n', 'Subject: tw']);
    const cutInFromLine = await split(`${FROM_A}\nSubject: one\n\none\n\nFrom MAILER-DAEMON Fri Jul  8 12:0`);
    assert.deepEqual(cutInFromLine.map((m) => m.bytes), ['Subject: one\n\none\n\nFrom MAILER-DAEMON Fri Jul  8 12:0']);
    const fromLineAtEof = await split(`${FROM_A}\nSubject: one\n\none\n\n${FROM_B}`);
    assert.deepEqual(fromLineAtEof.map((m) => [m.fromLine, m.bytes]), [[FROM_A, 'Subject: one\n\none\n'], [FROM_B, '']]);
  });

  test('the same email gets the same bytes in the middle and at the end', async () => {
    const email = 'Subject: same\n\nbody\n';
    const messages = await split(`${FROM_A}\n${email}\n${FROM_A}\n${email}\n`);
    assert.deepEqual(messages.map((m) => m.bytes), [email, email]);
  });

  test('resuming at any endOffset yields the same remaining messages', async () => {
    const content = `junk\n\n${FROM_A}\nSubject: 1\n\n>From a\n\n${FROM_B}\r\nSubject: 2\r\n\r\n2\r\n\r\nFrom - Mon Jan 01 00:00:00 2001\n\n3\n\n${FROM_A}\nSubject: 4\n`;
    const path = writeMbox(content);
    const all = await collect(path);
    assert.deepEqual(all.map((m) => m.index), [0, 1, 2, 3, 4]);
    for (const [i, m] of all.entries()) {
      for (const highWaterMark of [3, MBOX_READ_CHUNK_BYTES]) {
        const rest = await collect(path, { startOffset: m.endOffset, startIndex: m.index + 1, highWaterMark });
        assert.deepEqual(rest.map(view), all.slice(i + 1).map(view), `resume after message ${m.index}`);
      }
    }
  });

  test('a too-large message is streamed past and the following ones are still read', async () => {
    const big = `Subject: big\n\n${'x'.repeat(200)}\n\n>From y\n`;
    const messages = await split(`${FROM_A}\nSubject: small\n\nok\n\n${FROM_B}\n${big}\n${FROM_A}\nSubject: after\n\nok\n`, {
      maxMessageBytes: 100,
    });
    assert.deepEqual(
      messages.map((m) => [m.index, m.fromLine, m.bytes, m.tooLarge]),
      [
        [1, FROM_A, 'Subject: small\n\nok\n', undefined],
        [2, FROM_B, '', { size: Buffer.byteLength(big) }],
        [3, FROM_A, 'Subject: after\n\nok\n', undefined],
      ],
    );
    assert.equal(messages[2]?.offset, messages[1]?.endOffset);
  });

  test('a separator across the default 1 MiB read boundary is found', async () => {
    const first = `${FROM_A}\nSubject: fill\n\n`;
    // Put the boundary inside "\n\nFrom ", then inside the From_ line, then right after it.
    for (const cut of [1, 2, 4, 10, FROM_B.length + 2]) {
      const fill = 'a'.repeat(MBOX_READ_CHUNK_BYTES - first.length - cut - 1) + '\n';
      const messages = await collect(writeMbox(`${first}${fill}\n${FROM_B}\nSubject: second\n\n2\n`));
      assert.deepEqual(
        messages.map((m) => [m.index, m.bytes.length, m.offset]),
        [
          [1, first.length - FROM_A.length - 1 + fill.length, 0],
          [2, 'Subject: second\n\n2\n'.length, MBOX_READ_CHUNK_BYTES - cut + 1],
        ],
        `boundary ${cut} bytes before the From_ line`,
      );
    }
  });

  test('a very long From line is body text', async () => {
    const long = `From x ${'y'.repeat(5000)} Thu Mar  2 14:03:11 2017`;
    const content = `${FROM_A}\n\nbody\n\n${long}\n\nmore\n`;
    const path = writeMbox(content);
    for (const highWaterMark of [7, 4096, MBOX_READ_CHUNK_BYTES]) {
      const messages = await collect(path, { highWaterMark });
      assert.deepEqual(messages.map((m) => m.bytes.length), [content.length - FROM_A.length - 1], `highWaterMark ${highWaterMark}`);
    }
  });

  test('agrees with a line-by-line reference splitter on random mboxes', async () => {
    const pieces = [FROM_A, FROM_B, 'From - Mon Jan 01 00:00:00 2001', 'From here on', 'From the desk of X', '>From x', '>>From y', '', '', 'Subject: s', 'body'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 80; round++) {
      let content = '';
      const lineCount = random(14);
      for (let i = 0; i < lineCount; i++) {
        content += pieces[random(pieces.length)] ?? '';
        if (i < lineCount - 1 || random(2) === 0) content += random(3) === 0 ? '\r\n' : '\n';
      }
      assert.deepEqual(await split(content), referenceSplit(content), JSON.stringify(content));
    }
  });

  test('rejects invalid options and honours an aborted signal', async () => {
    const path = writeMbox(`${FROM_A}\n\nx\n`);
    await assert.rejects(collect(path, { maxMessageBytes: -1 }), RangeError);
    await assert.rejects(collect(path, { startIndex: 0 }), RangeError);
    await assert.rejects(collect(path, { startOffset: 1.5 }), RangeError);
    await assert.rejects(collect(path, { signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.equal(MAX_MBOX_MESSAGE_BYTES, 256 * 1024 * 1024);
  });
});

describe('unquoteFromLines', () => {
  test('returns the same buffer when nothing is quoted', () => {
    const bytes = Buffer.from('a\n> From\nx>From \n');
    assert.equal(unquoteFromLines(bytes).bytes, bytes);
  });
});

describe('mbox sniffing', () => {
  test('looksLikeMbox wants a From_ line at the start', () => {
    assert.equal(looksLikeMbox(Buffer.from(`${FROM_A}\r\nSubject: x\r\n`)), true);
    assert.equal(looksLikeMbox(Buffer.from('From alice@example.com Thu Mar  2 14:03:11 20')), true);
    assert.equal(looksLikeMbox(Buffer.from('From: alice@example.com\n')), false);
    assert.equal(looksLikeMbox(Buffer.from(`\n${FROM_A}\n`)), false);
    assert.equal(looksLikeMbox(new Uint8Array()), false);
  });

  test('sniff scores magic over extension, and nothing for an empty or binary head', () => {
    assert.equal(mboxFormat.sniff(Buffer.from(`${FROM_A}\n`), 'inbox'), SCORE_MAGIC);
    assert.equal(mboxFormat.sniff(Buffer.from('Subject: x\n'), 'Inbox.MBOX'), SCORE_EXTENSION);
    assert.equal(mboxFormat.sniff(Buffer.from('Subject: x\n'), 'a.mbx'), SCORE_EXTENSION);
    assert.equal(mboxFormat.sniff(new Uint8Array(), 'inbox.mbox'), 0);
    assert.equal(mboxFormat.sniff(Buffer.from([0x50, 0x4b, 3, 4, 0, 0]), 'inbox.mbox'), 0);
    assert.equal(mboxFormat.sniff(Buffer.from('Subject: x\n'), 'notes.txt'), 0);
  });
});

/**
 * The rules of `readMbox`, written the slow obvious way: line by line through strings. A line is
 * a separator when it is a From_ line at the start of the file or after an empty line.
 */
function referenceSplit(content: string): Record<string, unknown>[] {
  const lines = content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const isBlank = (line: string | undefined): boolean => line === '\n' || line === '\r\n';
  const out: Record<string, unknown>[] = [];
  let current: { offset: number; fromLine: string; lines: string[] } | null = null;
  let preamble: string[] = [];
  let offset = 0;
  let index = 1;
  const finish = (body: string[], endOffset: number): void => {
    if (isBlank(body.at(-1))) body = body.slice(0, -1);
    if (current === null) {
      const text = body.join('');
      if (/[^\r\n \t]/.test(text)) out.push({ index: 0, preamble: true, offset: 0, endOffset, fromLine: '', bytes: text, unquoted: 0 });
      return;
    }
    let unquoted = 0;
    const text = body
      .map((line) => (/^>+From /.test(line) ? (unquoted++, line.slice(1)) : line))
      .join('');
    out.push({ index: index++, offset: current.offset, endOffset, fromLine: current.fromLine, bytes: text, unquoted });
  };
  for (const [i, line] of lines.entries()) {
    const text = line.replace(/\r?\n$/, '');
    if ((i === 0 || isBlank(lines[i - 1])) && isFromLine(text)) {
      finish(current === null ? preamble : current.lines, offset);
      preamble = [];
      current = { offset, fromLine: text, lines: [] };
    } else if (current === null) {
      preamble.push(line);
    } else {
      current.lines.push(line);
    }
    offset += line.length;
  }
  finish(current === null ? preamble : current.lines, offset);
  return out;
}
