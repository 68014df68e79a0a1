import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SCORE_MAGIC } from '../../src/extract/format.ts';
import { readTnef, TnefError, tnefFormat } from '../../src/extract/tnef.ts';
import {
  ATT,
  LVL_ATTACHMENT,
  LVL_MESSAGE,
  PT,
  concat,
  string8,
  tnefAttribute,
  tnefHeader,
  u32,
  unicode,
  writeTnef,
} from '../support/tnef-writer.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Offsets where an attribute record ends in a well-formed stream (level u8, id u32, length u32, data, u16). */
function recordBoundaries(stream: Uint8Array): Set<number> {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const ends = new Set<number>();
  for (let pos = 6; pos < stream.length; ) {
    pos += 9 + view.getUint32(pos + 5, true) + 2;
    ends.add(pos);
  }
  return ends;
}

/** Two attachments: one named by a PT_UNICODE long name, one by a PT_STRING8 long name. */
function twoAttachmentStream(): Uint8Array {
  return writeTnef({
    subject: 'Budget 2017',
    messageClass: 'IPM.Note',
    body: 'See attached.',
    attachments: [
      {
        name: 'RAPPOR~1.DOC',
        longName: 'Rapport préliminaire — été 2017 (copie n°2) ✓.docx',
        bytes: text('first attachment body'),
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        modified: new Date(Date.UTC(2017, 4, 3, 12, 34, 56)),
      },
      {
        name: 'NOTES~1.TXT',
        longName: 'notes for the meeting.txt',
        longNameType: 'string8',
        bytes: text('second\r\nattachment'),
      },
    ],
  });
}

describe('readTnef: a well-formed stream', () => {
  it('round-trips two attachments, their long names, MIME type and date, and the message fields', () => {
    const result = readTnef(twoAttachmentStream());
    assert.deepEqual(result.warnings, []);
    assert.equal(result.subject, 'Budget 2017');
    assert.equal(result.messageClass, 'IPM.Note');
    assert.equal(result.bodyText, 'See attached.');
    assert.equal(result.attachments.length, 2);
    const [first, second] = result.attachments;
    assert.equal(first?.name, 'Rapport préliminaire — été 2017 (copie n°2) ✓.docx');
    assert.equal(utf8(first!.bytes), 'first attachment body');
    assert.equal(first?.mimeType, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(first?.modified, '2017-05-03T12:34:56');
    assert.equal(second?.name, 'notes for the meeting.txt');
    assert.equal(utf8(second!.bytes), 'second\r\nattachment');
    assert.equal(second?.mimeType, undefined);
    assert.equal(second?.modified, undefined);
  });

  it('falls back to the 8.3 title when there is no long name', () => {
    const result = readTnef(writeTnef({ attachments: [{ name: 'REPORT.PDF', bytes: text('%PDF-1.4') }] }));
    assert.equal(result.attachments[0]?.name, 'REPORT.PDF');
  });

  it('prefers the UTC FILETIME of the attachment over its zone-less DTR date', () => {
    const result = readTnef(
      writeTnef({
        attachments: [
          {
            name: 'A.TXT',
            bytes: text('a'),
            modified: new Date(Date.UTC(2017, 0, 1)),
            modifiedAsFiletime: new Date(Date.UTC(2017, 4, 5, 18, 0, 1)),
          },
        ],
      }),
    );
    assert.equal(result.attachments[0]?.modified, '2017-05-05T18:00:01.000Z');
  });

  it('prefers encapsulated message properties (attMsgProps) over the attributes they duplicate', () => {
    const result = readTnef(
      writeTnef({
        subject: 'legacy subject',
        messageProps: [{ type: PT.unicode, id: 0x0037, values: [unicode('Sujet: réunion')] }],
        attachments: [],
      }),
    );
    assert.equal(result.subject, 'Sujet: réunion');
    assert.deepEqual(result.warnings, []);
  });

  it('skips unknown attributes at both levels', () => {
    const stream = writeTnef({
      subject: 'kept',
      extraAttributes: [
        tnefAttribute(LVL_MESSAGE, 0x00061234, Uint8Array.from({ length: 37 }, (_, i) => i * 7)),
        tnefAttribute(LVL_MESSAGE, 0x00019999, string8('not a known attribute')),
        tnefAttribute(LVL_ATTACHMENT, 0x00069002, new Uint8Array(14)),
        tnefAttribute(LVL_ATTACHMENT, 0x00067777, new Uint8Array(5)),
        tnefAttribute(LVL_ATTACHMENT, ATT.attachData, text('payload of an attachment without title')),
      ],
      attachments: [{ name: 'B.TXT', bytes: text('b') }],
    });
    const result = readTnef(stream);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.subject, 'kept');
    assert.deepEqual(
      result.attachments.map((a) => [a.name, utf8(a.bytes)]),
      [
        ['attachment-1', 'payload of an attachment without title'],
        ['B.TXT', 'b'],
      ],
    );
  });

  it('reads ANSI strings in the code page the stream declares', () => {
    const stream = concat([
      tnefHeader(),
      tnefAttribute(LVL_MESSAGE, ATT.oemCodepage, concat([u32(1251), u32(0)])),
      tnefAttribute(LVL_MESSAGE, ATT.subject, Uint8Array.of(0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0)), // "Привет"
    ]);
    assert.equal(readTnef(stream).subject, 'Привет');
  });
});

describe('readTnef: damaged and hostile streams', () => {
  it('throws TnefError with a clear message when the signature is wrong', () => {
    const stream = twoAttachmentStream();
    stream[0] = 0x50;
    assert.throws(
      () => readTnef(stream),
      (error: unknown) =>
        error instanceof TnefError && error.code === 'not-tnef' && /78 9f 3e 22/.test(error.message),
    );
    assert.throws(() => readTnef(new Uint8Array(0)), TnefError);
    assert.throws(() => readTnef(text('PK\u0003\u0004 not tnef at all')), TnefError);
  });

  it('warns on a checksum mismatch and still returns the data', () => {
    const stream = writeTnef({ subject: 'Original', attachments: [{ name: 'A.TXT', bytes: text('abc') }] });
    const at = Buffer.from(stream).indexOf('Original');
    stream[at] = 'X'.charCodeAt(0);
    const result = readTnef(stream);
    assert.equal(result.subject, 'Xriginal');
    assert.equal(result.attachments.length, 1);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /checksum mismatch on attribute 0x00018004/i);
  });

  it('never throws past the signature when truncated anywhere, and says it was truncated', () => {
    const stream = twoAttachmentStream();
    const offsets = new Set<number>([4, 5, 6, 7, 14, stream.length - 1, stream.length - 2, stream.length - 3]);
    for (let i = 1; offsets.size < 20; i++) offsets.add(Math.floor((stream.length * i) / 13));
    assert.equal(offsets.size, 20);
    const boundaries = recordBoundaries(stream);
    for (const end of offsets) {
      const result = readTnef(stream.subarray(0, end));
      // A cut between two records leaves a shorter, well-formed stream: nothing to warn about.
      if (!boundaries.has(end)) assert.ok(result.warnings.length > 0, `no warning when cut at ${end} of ${stream.length}`);
      assert.ok(result.attachments.length <= 2);
      for (const attachment of result.attachments) assert.ok(attachment.bytes.length <= stream.length);
    }
    for (const end of [0, 1, 2, 3]) assert.throws(() => readTnef(stream.subarray(0, end)), TnefError);
  });

  it('survives random corruption and random bytes after a valid signature', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const original = twoAttachmentStream();
    for (let round = 0; round < 300; round++) {
      const stream = original.slice();
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        const at = 6 + Math.floor(random() * (stream.length - 6));
        stream[at] = Math.floor(random() * 256);
      }
      const result = readTnef(stream);
      assert.ok(Array.isArray(result.warnings));
    }
    for (let round = 0; round < 100; round++) {
      const garbage = Uint8Array.from({ length: 6 + Math.floor(random() * 400) }, () => Math.floor(random() * 256));
      garbage.set([0x78, 0x9f, 0x3e, 0x22]);
      readTnef(garbage);
    }
  });

  it('stops cleanly on a length larger than the stream', () => {
    const stream = concat([
      tnefHeader(),
      tnefAttribute(LVL_MESSAGE, ATT.subject, string8('kept')),
      Uint8Array.of(LVL_ATTACHMENT), u32(ATT.attachData), u32(0xffffffff), text('short'),
    ]);
    const result = readTnef(stream);
    assert.equal(result.subject, 'kept');
    assert.equal(result.attachments.length, 0);
    assert.match(result.warnings.join('\n'), /declares 4294967295 bytes/);
  });

  it('stops reading a property list whose value count cannot fit, keeping the attribute-level name', () => {
    const props = concat([u32(1), Uint8Array.of(0x1f, 0x00, 0x07, 0x37), u32(0x7fffffff), u32(4), text('abcd')]);
    const stream = concat([
      tnefHeader(),
      tnefAttribute(LVL_ATTACHMENT, ATT.attachRendData, new Uint8Array(14)),
      tnefAttribute(LVL_ATTACHMENT, ATT.attachTitle, string8('SHORT.TXT')),
      tnefAttribute(LVL_ATTACHMENT, ATT.attachData, text('data')),
      tnefAttribute(LVL_ATTACHMENT, ATT.attachment, props),
    ]);
    const result = readTnef(stream);
    assert.equal(result.attachments[0]?.name, 'SHORT.TXT');
    assert.match(result.warnings.join('\n'), /value count 2147483647 larger than the data/);
  });

  it('caps the number of attachments, their total size and the number of warnings', () => {
    const many = writeTnef({
      attachments: Array.from({ length: 5 }, (_, i) => ({ name: `F${i}.TXT`, bytes: new Uint8Array(10).fill(i) })),
    });
    const byCount = readTnef(many, { maxAttachments: 3, maxTotalAttachmentBytes: 1000, maxWarnings: 10 });
    assert.equal(byCount.attachments.length, 3);
    assert.match(byCount.warnings.join('\n'), /More than 3 attachments/);

    const bySize = readTnef(many, { maxAttachments: 100, maxTotalAttachmentBytes: 25, maxWarnings: 10 });
    assert.equal(bySize.attachments.length, 2);
    assert.match(bySize.warnings.join('\n'), /past 25 bytes/);

    const badChecksums = concat([
      tnefHeader(),
      ...Array.from({ length: 50 }, () => tnefAttribute(LVL_MESSAGE, 0x00061111, text('x'), 0)),
    ]);
    const capped = readTnef(badChecksums, { maxAttachments: 1, maxTotalAttachmentBytes: 1, maxWarnings: 5 });
    assert.equal(capped.warnings.length, 6);
    assert.match(capped.warnings[5]!, /45 further warnings were dropped/);
  });

  it('rejects limits that would switch a cap off', () => {
    assert.throws(() => readTnef(twoAttachmentStream(), { maxAttachments: NaN, maxTotalAttachmentBytes: 1, maxWarnings: 1 }), RangeError);
  });
});

describe('tnefFormat.sniff', () => {
  it('scores the signature, and nothing for a winmail.dat without it', () => {
    assert.equal(tnefFormat.sniff(twoAttachmentStream().subarray(0, 64), 'anything.bin'), SCORE_MAGIC);
    assert.equal(tnefFormat.sniff(text('hello world'), 'winmail.dat'), 0);
    assert.equal(tnefFormat.sniff(new Uint8Array(0), 'winmail.dat'), 0);
  });
});
