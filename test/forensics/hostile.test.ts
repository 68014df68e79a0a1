/**
 * Hostile input: the facts readers never throw and never hang, whatever the bytes. Damaged copies
 * of real files (bytes flipped, cut short, doubled), and structures built to loop or explode: PDF
 * cross-reference loops and nesting, OLE2 FAT cycles, Exif IFD loops, XML entity bombs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { readFacts } from '../../src/forensics/facts.ts';
import { CfbContainer } from '../../src/forensics/readers/cfb-container.ts';
import { readExif } from '../../src/forensics/readers/exif-ifd.ts';
import { readXmp } from '../../src/forensics/readers/xmp-packet.ts';
import { appendPdfRevision, buildDocx, buildJpeg, buildPdf, buildXlsx, encodeWithThumbnail } from '../support/generator/index.ts';
import { legacyWord, odt, pdfWithObjectStreams, png, rtf } from './fixtures.ts';

/** Reading one file may take this long at most, even when damaged. */
const MAX_MS = 3000;

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

async function survive(format: string, bytes: Uint8Array, what: string): Promise<Record<string, unknown> | null> {
  const t = performance.now();
  const facts = await readFacts(format, bytes);
  assert.ok(performance.now() - t < MAX_MS, `${what}: took ${Math.round(performance.now() - t)} ms`);
  return facts;
}

describe('facts readers on hostile input', () => {
  it('survive damaged copies of every kind of file', async () => {
    const T = Date.UTC(2016, 2, 1);
    const pics = encodeWithThumbnail(320, 240, 3, 80, 8);
    const files: [string, Buffer][] = [
      ['docx', await buildDocx({ creator: 'A', created: T, modified: T, paragraphs: ['x'], trackedChanges: [{ author: 'B', date: T, text: 'y' }] })],
      ['xlsx', await buildXlsx({ creator: 'A', created: T, modified: T, sheets: [{ name: 'S', rows: [['a', 1]] }] })],
      ['pdf', appendPdfRevision(buildPdf({ creator: 'W', producer: 'W', created: T, modified: T, pages: [{ lines: ['x'] }], xmp: {} }), { kind: 'content', modified: T + 1e9, lines: ['y'] })],
      ['pdf', pdfWithObjectStreams({ producer: 'P', created: 'D:2016' })],
      ['jpeg', buildJpeg({ scan: pics.scan, thumbnail: pics.thumbnail, exif: { make: 'Canon', model: 'X', taken: T, offsetMinutes: 60 } })],
      ['png', png({ Software: 'GIMP' })],
      ['doc', legacyWord([[4, 'A'], [12, new Date(T)]], [[15, 'C']])],
      ['odt', await odt({ generator: 'LibreOffice', initialCreator: 'A', creator: 'B', created: '2016-01-01T00:00:00', modified: '2016-01-02T00:00:00', duration: 'PT1H' })],
      ['rtf', rtf({ author: 'A', operator: 'B', created: [2016, 1, 1, 1, 1], revised: [2016, 1, 2, 1, 1], edmins: 3 })],
    ];
    const rnd = lcg(7);
    for (const [format, original] of files) {
      for (let i = 0; i < 120; i++) {
        const b = Buffer.from(original);
        const mode = i % 4;
        if (mode === 0) for (let k = 0; k < 1 + rnd() * 20; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
        if (mode === 3) for (let k = 0; k < 6; k++) b.writeUInt32LE(Math.floor(rnd() * 0xffffffff), Math.floor(rnd() * (b.length - 4)));
        const bytes = mode === 1 ? b.subarray(0, Math.floor(rnd() * b.length)) : mode === 2 ? Buffer.concat([b, b.subarray(Math.floor(rnd() * b.length))]) : b;
        await survive(format, bytes, `${format} #${i}`);
      }
    }
  });

  it('survive PDFs built to loop or nest: /Prev cycles, deep arrays, huge counts, objects pointing at themselves', async () => {
    const deep = Buffer.from(`%PDF-1.4\n1 0 obj\n${'['.repeat(100_000)}\nendobj\ntrailer\n<< /Root 1 0 R /Info 1 0 R >>\nstartxref\n9\n%%EOF\n`, 'latin1');
    await survive('pdf', deep, 'deep nesting');
    const cycle = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\nxref\n0 2\n0000000000 65535 f\r\n0000000009 00000 n\r\ntrailer\n<< /Size 2 /Root 1 0 R /Prev 55 /Info 1 0 R >>\nstartxref\n55\n%%EOF\n', 'latin1');
    const facts = await survive('pdf', cycle, 'a /Prev that points at itself, pages that contain themselves');
    assert.equal(facts?.reader, 'pdf');
    const huge = Buffer.from('%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 99999999 /W [1 4 4] /Index [0 99999999] /Length 3 >>\nstream\nabc\nendstream\nendobj\nstartxref\n9\n%%EOF\n', 'latin1');
    await survive('pdf', huge, 'a cross-reference stream claiming 100 million entries');
    const objstm = deflateSync(Buffer.from('1 0 '.repeat(10)));
    const bomb = Buffer.concat([Buffer.from(`%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 2000000000 /First 4 /Filter /FlateDecode /Length ${objstm.length} >>\nstream\n`, 'latin1'), objstm, Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 2 0 R >>\nstartxref\n0\n%%EOF\n', 'latin1')]);
    await survive('pdf', bomb, 'an object stream claiming two billion objects');
    const zeros = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    const inflation = Buffer.concat([Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Metadata /Filter /FlateDecode /Length ${zeros.length} >>\nstream\n`, 'latin1'), zeros, Buffer.from('\nendstream\nendobj\n2 0 obj\n<< /Type /Catalog /Metadata 1 0 R >>\nendobj\ntrailer\n<< /Root 2 0 R >>\nstartxref\n0\n%%EOF\n', 'latin1')]);
    await survive('pdf', inflation, 'a metadata stream that inflates to 64 MB');
  });

  it('survive OLE2 files whose FAT and directory loop back on themselves', () => {
    const file = Buffer.from(legacyWord([[4, 'A']]));
    const fatSector = file.readUInt32LE(76);
    // Make every FAT entry point at sector 0: each chain becomes a cycle.
    for (let i = 0; i < 128; i++) file.writeUInt32LE(0, (fatSector + 1) * 512 + i * 4);
    const c = new CfbContainer(file);
    assert.ok(c.entries.length >= 0);
    const dir = Buffer.from(legacyWord([[4, 'A']]));
    const dirSector = dir.readUInt32LE(48);
    // Root's child is entry 1, whose left and right siblings point back at it.
    dir.writeUInt32LE(1, (dirSector + 1) * 512 + 128 + 68);
    dir.writeUInt32LE(1, (dirSector + 1) * 512 + 128 + 72);
    assert.ok(Array.isArray(new CfbContainer(dir).topLevel()));
  });

  it('survive Exif IFDs that point at each other and XMP with entity bombs', async () => {
    const tiff = Buffer.alloc(64);
    tiff.write('II', 0, 'latin1');
    tiff.writeUInt16LE(42, 2);
    tiff.writeUInt32LE(8, 4);
    tiff.writeUInt16LE(0, 8);
    tiff.writeUInt32LE(8, 10);
    const exif = readExif(tiff);
    assert.ok(exif?.problems.some((p) => /loop/.test(p)));
    const laughs = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>&c;</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>`;
    assert.equal(await readXmp(Buffer.from(laughs)), null, 'declared entities are refused, not expanded');
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>&e;</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>`;
    assert.equal(JSON.stringify(await readXmp(Buffer.from(xxe))).includes('root:'), false, 'no external entity is fetched');
  });

  it('survive JPEGs with zero-length segments and thumbnails that are not JPEGs', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x00, 0xff, 0xe1, 0xff, 0xff]), Buffer.alloc(100)]);
    const facts = await survive('jpeg', jpeg, 'zero-length segment');
    assert.equal(facts?.reader, 'image');
  });
});
