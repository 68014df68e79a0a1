/**
 * Hostile and damaged documents: each must end quickly in an ExtractError (which ingest records as
 * `unreadable-document`) or a partial result, never another exception, a hang or an entity
 * expansion. Zip layout offsets are PKWARE APPNOTE §4.3.7 (local header) and §4.3.12 (central).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { extractDocument, ExtractError } from '../../src/extract/extract-document.ts';
import { MAX_PACKAGE_PART_BYTES } from '../../src/extract/readers/package-zip.ts';
import { readPdf } from '../../src/extract/readers/pdf-reader.ts';
import { buildDocx } from '../support/generator/docx-build.ts';
import { buildPdf } from '../support/generator/pdf-build.ts';
import { Prng, hashSeed } from '../support/generator/prng.ts';
import { buildXlsx } from '../support/generator/xlsx-build.ts';
import { buildZip } from '../support/generator/zip-build.ts';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { FRENCH_RTF, handDocx, handOdf, handPptx, wordParagraph } from './office-fixtures.ts';

const MODIFIED = Date.UTC(2017, 4, 4, 17, 42);
const DOCX = { creator: 'Élise Martin', created: MODIFIED, modified: MODIFIED };

/** Runs a reader and says how it ended; fails the test on any exception other than ExtractError, or when slow. */
async function outcome(format: string, bytes: Uint8Array, maxMs = 3000): Promise<{ error: string | null; text: string | null }> {
  const started = performance.now();
  let result: { error: string | null; text: string | null };
  try {
    const doc = await extractDocument(format, bytes);
    result = { error: null, text: doc?.text ?? null };
  } catch (err) {
    assert.ok(err instanceof ExtractError, `${format}: only ExtractError may escape, got ${(err as Error).name}: ${(err as Error).message}`);
    result = { error: err.message, text: null };
  }
  const ms = performance.now() - started;
  assert.ok(ms < maxMs, `${format}: took ${Math.round(ms)} ms (limit ${maxMs})`);
  return result;
}

/** Offsets of a named entry's local and central headers. */
function entryOffsets(zip: Buffer, name: string): { local: number; central: number } {
  const endRecord = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  for (let p = zip.readUInt32LE(endRecord + 16); zip.readUInt32LE(p) === 0x02014b50; ) {
    const nameLength = zip.readUInt16LE(p + 28);
    if (zip.toString('utf8', p + 46, p + 46 + nameLength) === name) return { local: zip.readUInt32LE(p + 42), central: p };
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error(`no entry ${name}`);
}

/** Writes another uncompressed size into both headers of an entry (a lie about what it inflates to). */
function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const { local, central } = entryOffsets(out, name);
  out.writeUInt32LE(size, central + 24);
  out.writeUInt32LE(size, local + 22);
  return out;
}

/** A one-page PDF whose content stream is `mb` MB of blanks deflated about 1000 times (ISO 32000-1 §7.5). */
function inflationBombPdf(mb: number): Buffer {
  const chunk = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  // zlib header, the raw chunks chained (each ends byte-aligned), an empty final block, a dummy Adler-32.
  const stream = Buffer.concat([Buffer.of(0x78, 0x9c), ...Array<Buffer>(mb).fill(chunk), Buffer.of(0x03, 0x00, 0, 0, 0, 0)]);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let at = parts[0]!.length;
  const add = (b: Buffer): void => {
    parts.push(b);
    at += b.length;
  };
  objects.forEach((o, i) => {
    offsets.push(at);
    add(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
  });
  offsets.push(at);
  add(Buffer.concat([Buffer.from(`4 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), stream, Buffer.from('\nendstream\nendobj\n', 'latin1')]));
  parts.push(Buffer.from(`xref\n0 5\n0000000000 65535 f\r\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

describe('damaged and hostile office packages', () => {
  it('a docx cut in half: no central directory', async () => {
    const full = await buildDocx({ ...DOCX, paragraphs: ['Un texte assez long pour que la coupure tombe au milieu.'.repeat(40)] });
    const { error } = await outcome('docx', full.subarray(0, Math.floor(full.length / 2)));
    assert.match(error ?? '', /central directory is missing/);
  });

  it('random bytes named .docx, .xlsx, .odt', async () => {
    const prng = new Prng(hashSeed('random office bytes'));
    const junk = Buffer.from(Array.from({ length: 5000 }, () => prng.int(0, 255)));
    for (const format of ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp']) assert.match((await outcome(format, junk)).error ?? '', /not a (complete|readable) zip/);
  });

  it('a zip that is not a Word document', async () => {
    const zip = await buildZip([{ path: 'readme.txt', data: Buffer.from('hello') }]);
    assert.match((await outcome('docx', zip)).error ?? '', /no word\/document\.xml part: it is not a Word document/);
  });

  it('a docx whose document.xml is not XML', async () => {
    const bytes = await handDocx('', [], 'PK this is not XML at all <<<');
    assert.match((await outcome('docx', bytes)).error ?? '', /word\/document\.xml is not well-formed XML/);
  });

  it('an XXE attempt: the external entity is never fetched nor inlined', async () => {
    const xxe = `${XML}<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document ${W}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`;
    const { error, text } = await outcome('docx', await handDocx('', [], xxe));
    assert.equal(text, null);
    assert.match(error ?? '', /undefined entity/);
    assert.doesNotMatch(error ?? '', /root:/);
  });

  it('a billion-laughs entity bomb is not expanded', async () => {
    const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `${XML}<!DOCTYPE w:document [<!ENTITY l0 "ha">${levels}]><w:document ${W}><w:body><w:p><w:r><w:t>&l10;</w:t></w:r></w:p></w:body></w:document>`;
    const { error } = await outcome('docx', await handDocx('', [], bomb), 1000);
    assert.match(error ?? '', /undefined entity/);
  });

  it('a part that would inflate past MAX_PACKAGE_PART_BYTES is refused before inflating', async () => {
    const bytes = declareSize(await handDocx(wordParagraph('petit')), 'word/document.xml', MAX_PACKAGE_PART_BYTES + 1);
    assert.match((await outcome('docx', bytes)).error ?? '', /would inflate to 67108865 bytes, over the limit .*MAX_PACKAGE_PART_BYTES/);
  });

  it('a zip-bomb part (10 MB of blanks in 10 KB) is refused by its compression ratio', async () => {
    const xml = `${XML}<w:document ${W}><w:body>${' '.repeat(10 * 1024 * 1024)}</w:body></w:document>`;
    const bytes = await handDocx('', [], xml);
    assert.ok(bytes.length < 100_000);
    assert.match((await outcome('docx', bytes)).error ?? '', /would inflate \d+ times .*MAX_COMPRESSION_RATIO.*zip bomb/);
  });

  it('a part that inflates to more than its header declares stops at the declared size', async () => {
    const long = Array.from({ length: 2000 }, (_, i) => wordParagraph(`ligne ${i}`)).join('');
    const bytes = declareSize(await handDocx(long), 'word/document.xml', 1000);
    assert.match((await outcome('docx', bytes)).error ?? '', /word\/document\.xml is damaged \(too many bytes in the stream/);
  });

  it('a password-protected OpenDocument file says so', async () => {
    const bytes = await buildZip([
      { path: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text'), store: true },
      { path: 'content.xml', data: Buffer.from([0x8f, 0x12, 0xee, 0x01, 0x99, 0x42, 0x00, 0x10]) },
      { path: 'META-INF/manifest.xml', data: Buffer.from(`${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>`) },
    ]);
    assert.match((await outcome('odt', bytes)).error ?? '', /password-protected/);
  });

  it('an ODS whose repeated rows and cells would give a billion cells stays small and fast', async () => {
    const row = '<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell></table:table-row>';
    const { text } = await outcome('ods', await handOdf('ods', `<office:spreadsheet><table:table table:name="T">${row.repeat(5)}</table:table></office:spreadsheet>`));
    assert.ok(text !== null && text.length <= 2_000_000 && text.startsWith('T\nx\tx'));
  });

  it('an ODS repeating a 1 MB cell a thousand times across and down is cut at the text limit, not built whole', async () => {
    const cell = `<table:table-cell table:number-columns-repeated="1000"><text:p>${'mot '.repeat(250_000)}</text:p></table:table-cell>`;
    const row = `<table:table-row table:number-rows-repeated="1000">${cell}</table:table-row>`;
    const { text } = await outcome('ods', await handOdf('ods', `<office:spreadsheet><table:table table:name="T">${row}</table:table></office:spreadsheet>`));
    assert.ok(text !== null && text.length > 1_999_000 && text.length <= 2_000_000);
  });

  it('an xlsx row of 16,384 cells each showing the same 1 MB shared string is cut, not joined whole', async () => {
    const bytes = await buildXlsx({ ...DOCX, sheets: [{ name: 'S', rows: [Array<string>(16_384).fill('x'.repeat(1_000_000))] }] });
    const { text } = await outcome('xlsx', bytes);
    assert.equal(text?.length, 2_000_000);
  });

  it('a pptx whose slide list points nowhere falls back on the slide parts', async () => {
    const bytes = await handPptx([{ file: 2, boxes: [['deuxième']] }, { file: 1, boxes: [['première']] }], true);
    const { text } = await outcome('pptx', bytes);
    assert.equal(text, 'première\n\ndeuxième');
  });
});

describe('damaged and hostile PDF and RTF', () => {
  it('a PDF cut in half gives what can be read, or a plain error, quickly', async () => {
    const pdf = buildPdf({ ...DOCX, pages: Array.from({ length: 6 }, (_, i) => ({ lines: [`Page ${i + 1}`, 'Le président a été élu.'] })) });
    const { error, text } = await outcome('pdf', pdf.subarray(0, Math.floor(pdf.length / 2)));
    assert.ok(error !== null || (text !== null && text.includes('Page 1')), `got ${error ?? text}`);
  });

  it('an inflation bomb (a 256 KB PDF whose page inflates to 256 MB) is stopped by the memory watch, and the next PDF reads fine', async () => {
    const started = performance.now();
    await assert.rejects(readPdf(inflationBombPdf(256), { seconds: 60, memoryMb: 64 }), (err: Error) => err instanceof ExtractError && /more than 64 MB of memory/.test(err.message));
    assert.ok(performance.now() - started < 10_000);
    assert.equal((await outcome('pdf', buildPdf({ ...DOCX, pages: [{ lines: ['après'] }] }))).text, 'après');
  });

  it('a PDF over its time limit is stopped, and the next PDF reads fine', async () => {
    const pdf = buildPdf({ ...DOCX, pages: [{ lines: ['lent'] }] });
    await assert.rejects(readPdf(pdf, { seconds: 0.001, memoryMb: 1024 }), /took more than 0\.001 s/);
    assert.equal((await outcome('pdf', pdf)).text, 'lent');
  });

  it('random bytes named .pdf', async () => {
    const prng = new Prng(hashSeed('random pdf bytes'));
    const { error } = await outcome('pdf', Buffer.from(Array.from({ length: 20_000 }, () => prng.int(0, 255))));
    assert.match(error ?? '', /not a readable PDF/);
  });

  it('an empty file', async () => {
    for (const format of ['pdf', 'docx', 'odt', 'rtf']) assert.notEqual((await outcome(format, new Uint8Array(0))).error, null);
  });

  it('RTF: a million nested groups, a huge \\bin, an endless control word, a cut-off \\u', async () => {
    const deep = Buffer.from(`{\\rtf1 ${'{'.repeat(1_000_000)}profond${'}'.repeat(10)}`, 'latin1');
    assert.equal((await outcome('rtf', deep)).text, 'profond');
    const bin = Buffer.from('{\\rtf1 avant \\bin999999999999 apres}', 'latin1');
    assert.equal((await outcome('rtf', bin)).text, 'avant');
    const word = Buffer.from(`{\\rtf1 \\${'a'.repeat(1_000_000)}123456789012345 texte\\u`, 'latin1');
    assert.equal((await outcome('rtf', word)).text, '12345 texte');
    const surrogate = Buffer.from('{\\rtf1 x\\u-10179?y}', 'latin1');
    assert.equal((await outcome('rtf', surrogate)).text, 'x\ufffdy');
  });
});

describe('mutated files (a small deterministic fuzz)', () => {
  it('flipped and cut bytes in every format end in a result or an ExtractError, quickly', async (t) => {
    const samples: [string, Uint8Array][] = [
      ['docx', await buildDocx({ ...DOCX, paragraphs: ['Le président a été élu à Évry.', 'Deuxième paragraphe.'] })],
      ['xlsx', await buildXlsx({ ...DOCX, sheets: [{ name: 'Feuil1', rows: [['a', 1], ['b', 2]] }] })],
      ['pptx', await handPptx([{ file: 1, boxes: [['Titre', 'Texte']], notes: ['note'] }])],
      ['odt', await handOdf('odt', '<office:text><text:p>Un paragraphe</text:p></office:text>')],
      ['pdf', buildPdf({ ...DOCX, pages: [{ lines: ['Titre', 'Ligne une'] }, { lines: ['Page deux'] }] })],
      ['rtf', FRENCH_RTF],
    ];
    const prng = new Prng(hashSeed('reader fuzz'));
    for (const [format, original] of samples) {
      let errors = 0;
      for (let round = 0; round < 60; round++) {
        const bytes = Buffer.from(original);
        const flips = prng.int(1, 8);
        for (let f = 0; f < flips; f++) bytes[prng.int(0, bytes.length - 1)] = prng.int(0, 255);
        const cut = prng.chance(0.2) ? bytes.subarray(0, prng.int(0, bytes.length)) : bytes;
        if ((await outcome(format, cut, 5000)).error !== null) errors++;
      }
      t.diagnostic(`${format}: ${errors} of 60 mutants gave an ExtractError, the others a result`);
    }
  });
});
