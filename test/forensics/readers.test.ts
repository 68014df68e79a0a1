/**
 * Each forensic facts reader on files made by the trove generator and by hand (fixtures.ts): the
 * fields it promises, read back exactly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFacts } from '../../src/forensics/facts.ts';
import { dateClaim, profileOf } from '../../src/forensics/profile.ts';
import type { ImageFacts } from '../../src/forensics/readers/image-facts.ts';
import { decodeGrey } from '../../src/forensics/readers/image-likeness.ts';
import { decodeDc } from '../../src/forensics/readers/jpeg-dc.ts';
import type { OdfFacts } from '../../src/forensics/readers/odf-facts.ts';
import type { Ole2Facts } from '../../src/forensics/readers/ole2-facts.ts';
import type { OoxmlFacts } from '../../src/forensics/readers/ooxml-facts.ts';
import type { PdfFacts } from '../../src/forensics/readers/pdf-facts.ts';
import type { RtfFacts } from '../../src/forensics/readers/rtf-facts.ts';
import { appendPdfRevision, buildDocx, buildJpeg, buildPdf, buildXlsx, encodeWithThumbnail } from '../support/generator/index.ts';
import { buildLegacyOffice } from '../support/generator/ole2-build.ts';
import { legacyWord, odt, pdfWithObjectStreams, png, rtf, withXmp, xmpPacket } from './fixtures.ts';

const T = (iso: string): number => Date.parse(iso);

describe('OOXML facts', () => {
  it('reads core and app properties, rsids, languages, fonts, headings and tracked changes of a Word file', async () => {
    const bytes = await buildDocx({
      creator: 'Hélène Durand-Lefèvre', lastModifiedBy: 'Paul Martin', revision: 4, created: T('2016-03-01T09:00:00Z'), modified: T('2016-03-02T10:30:00Z'),
      application: 'Microsoft Office Word', appVersion: '16.0000', totalTimeMinutes: 42, company: 'Campagne Exemple', template: 'Normal.dotm',
      paragraphs: ['Compte rendu', 'Le budget est validé.'], headingLabel: 'Название', fonts: ['Calibri', 'Sitka Text'], language: 'fr-FR',
      trackedChanges: [{ author: 'Zoé Château', date: T('2016-03-02T09:00:00Z'), text: 'ajout' }, { author: 'Zoé Château', date: T('2016-03-02T09:30:00Z'), text: 'encore' }],
    });
    const f = (await readFacts('docx', bytes)) as unknown as OoxmlFacts;
    assert.equal(f.reader, 'ooxml');
    assert.equal(f.application, 'word');
    assert.equal(f.properties.creator, 'Hélène Durand-Lefèvre');
    assert.equal(f.properties.lastModifiedBy, 'Paul Martin');
    assert.equal(f.properties.created, '2016-03-01T09:00:00Z');
    assert.equal(f.properties.AppVersion, '16.0000');
    assert.equal(f.properties.TotalTime, 42);
    assert.deepEqual(f.headingPairs, ['Название']);
    assert.equal(f.rsidCount, f.rsids.length);
    assert.ok(f.rsidRoot && f.rsids.includes(f.rsidRoot));
    assert.equal(f.themeFontLang, 'fr-FR');
    assert.equal(f.defaultLanguage, 'fr-FR');
    assert.deepEqual(f.fonts, ['Calibri', 'Sitka Text']);
    assert.equal(f.trackedChanges.insertions, 2);
    assert.deepEqual(f.trackedChanges.authors, [{ name: 'Zoé Château', count: 2, first: '2016-03-02T09:00:00Z', last: '2016-03-02T09:30:00Z' }]);

    const p = profileOf('docx', f as unknown as Record<string, unknown>);
    assert.equal(p.lastModifiedBy, 'Paul Martin');
    assert.deepEqual(p.software.map((s) => s.name), ['Microsoft Office Word 16.0000']);
    assert.deepEqual(p.toolLanguage, { language: 'Russian', evidence: 'the document statistics heading "Название"' });
    assert.equal(p.editMinutes, 42);
    assert.ok(p.names.some((n) => n.role === 'tracked change' && n.name === 'Zoé Château'));
  });

  it('reads an Excel workbook: heading pairs, sheet names, fonts, file version', async () => {
    const bytes = await buildXlsx({ creator: 'John Whitaker', created: T('2016-05-01T08:00:00Z'), modified: T('2016-05-02T08:00:00Z'), application: 'Microsoft Excel', appVersion: '14.0300', sheets: [{ name: 'Лист1', rows: [['a', 1]] }], headingLabel: 'Листы' });
    const f = (await readFacts('xlsx', bytes)) as unknown as OoxmlFacts;
    assert.equal(f.application, 'excel');
    assert.deepEqual(f.headingPairs, ['Листы']);
    assert.deepEqual(f.titlesOfParts, ['Лист1']);
    assert.deepEqual(f.fonts, ['Calibri']);
    assert.equal(f.fileVersion?.lastEdited, '6');
    assert.equal(profileOf('xlsx', f as unknown as Record<string, unknown>).software[0]?.name, 'Microsoft Excel 14.0300');
  });
});

describe('PDF facts', () => {
  const base = {
    title: 'Note', author: 'Hélène Durand', creator: 'Microsoft® Word 2016', producer: 'Microsoft® Word 2016',
    created: T('2016-03-01T10:00:00Z'), modified: T('2016-03-01T11:00:00Z'), offsetMinutes: 60, pages: [{ lines: ['Bonjour', 'le monde'] }, { lines: ['page 2'] }],
  };

  it('reads the Info dictionary, the XMP packet and the fonts without their subset tag', async () => {
    const f = (await readFacts('pdf', buildPdf({ ...base, xmp: {}, fontName: 'ABCDEF+Calibri-Bold' }))) as unknown as PdfFacts;
    assert.equal(f.version, '1.4');
    assert.equal(f.info?.Producer, 'Microsoft® Word 2016');
    assert.equal(f.info?.created, '2016-03-01T11:00:00+01:00');
    assert.equal(f.xmp?.properties.CreateDate, '2016-03-01T11:00:00+01:00');
    assert.equal(f.xmp?.properties.Producer, 'Microsoft® Word 2016');
    assert.deepEqual(f.xmp?.arrays.creator, ['Hélène Durand']);
    assert.deepEqual(f.fonts, ['Calibri-Bold']);
    assert.equal(f.pages, 2);
    assert.equal(f.revisions.length, 1);
  });

  it('counts incremental updates and says what each changed, with its own producer and date', async () => {
    let bytes = buildPdf({ ...base, xmp: {} });
    bytes = appendPdfRevision(bytes, { kind: 'annotation', modified: T('2016-03-03T10:00:00Z'), author: 'Paul Martin', updateXmp: base });
    bytes = appendPdfRevision(bytes, { kind: 'content', modified: T('2016-06-01T10:00:00Z'), producer: 'PDFsharp 1.32.2608-g (www.pdfsharp.net)', lines: ['Autre texte'] });
    const f = (await readFacts('pdf', bytes)) as unknown as PdfFacts;
    assert.equal(f.eofMarkers, 3);
    assert.deepEqual(f.revisions.map((r) => r.number), [1, 2, 3]);
    assert.deepEqual(f.revisions[1]?.changes, { page: 1, annotation: 1, info: 1, metadata: 1 });
    assert.equal(f.revisions[1]?.info?.Producer, 'Microsoft® Word 2016');
    assert.equal(f.revisions[2]?.info?.Producer, 'PDFsharp 1.32.2608-g (www.pdfsharp.net)');
    assert.equal(f.revisions[2]?.info?.modified, '2016-06-01T11:00:00+01:00');
    assert.equal(f.revisions[2]?.changes.content, 2, 'the new content stream and the page that now points at it');
    assert.equal(f.info?.Producer, 'PDFsharp 1.32.2608-g (www.pdfsharp.net)');
    const p = profileOf('pdf', f as unknown as Record<string, unknown>);
    assert.ok(p.software.some((s) => s.field === 'revision 3 Producer' && s.at?.iso === '2016-06-01T11:00:00+01:00'));
  });

  it('reads objects from object streams through a cross-reference stream with a predictor', async () => {
    const f = (await readFacts('pdf', pdfWithObjectStreams({ producer: 'Acrobat Distiller 10.1.16 (Windows)', created: "D:20120502101500+02'00'" }))) as unknown as PdfFacts;
    assert.equal(f.version, '1.5');
    assert.equal(f.info?.Producer, 'Acrobat Distiller 10.1.16 (Windows)');
    assert.equal(f.info?.created, '2012-05-02T10:15:00+02:00');
    assert.deepEqual(f.fonts, ['Cambria Math']);
    assert.equal(f.pages, 1);
    assert.deepEqual(f.problems, []);
  });
});

describe('image facts', () => {
  const exif = { make: 'Canon', model: 'Canon EOS 750D', software: 'Digital Photo Professional', taken: T('2016-05-03T08:00:00Z'), offsetMinutes: 120, littleEndian: true, gps: { lat: 48.85, lon: 2.35 } };

  it('reads Exif fields and dates, and finds the thumbnail the same picture as the photo', async () => {
    const pics = encodeWithThumbnail(640, 480, 7, 80, 8);
    const f = (await readFacts('jpeg', buildJpeg({ scan: pics.scan, exif, thumbnail: pics.thumbnail }))) as unknown as ImageFacts;
    assert.equal(f.width, 640);
    assert.equal(f.exif?.ifd0.Make, 'Canon');
    assert.equal(f.exif?.ifd0.Software, 'Digital Photo Professional');
    assert.equal(f.dates.original, '2016-05-03T10:00:00');
    assert.equal(f.thumbnail?.width, 160);
    assert.ok(f.thumbnail!.likeness!.correlation > 0.98, JSON.stringify(f.thumbnail));
    assert.equal(f.thumbnail?.likeness?.transform, 'none');
  });

  it('finds an edited photo unlike its thumbnail', async () => {
    const pics = encodeWithThumbnail(640, 480, 7, 80, 8, (rgb, w, h) => {
      for (let y = 0; y < h / 2; y++) for (let x = 0; x < w / 2; x++) rgb.set([250, 250, 250], (y * w + x) * 3);
    });
    const f = (await readFacts('jpeg', buildJpeg({ scan: pics.scan, exif, thumbnail: pics.thumbnail }))) as unknown as ImageFacts;
    assert.ok(f.thumbnail!.likeness!.worstRegion > 0.8, JSON.stringify(f.thumbnail));
    assert.match(f.thumbnail?.likeness?.worstRegionName ?? '', /left/);
  });

  it('reads a photo at one eighth of its size from its DC coefficients, as a full decode would average it', () => {
    const bytes = buildJpeg({ scan: encodeWithThumbnail(320, 240, 5, 80, 8).scan, exif: null });
    const dc = decodeDc(bytes)!;
    const full = decodeGrey(bytes)!;
    assert.deepEqual([dc.width, dc.height], [40, 30]);
    let worst = 0;
    for (let by = 0; by < 30; by++) {
      for (let bx = 0; bx < 40; bx++) {
        let sum = 0;
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += full.data[(by * 8 + y) * 320 + bx * 8 + x]!;
        worst = Math.max(worst, Math.abs(sum / 64 - dc.data[by * 40 + bx]!));
      }
    }
    assert.ok(worst < 6, `block means within ${worst.toFixed(1)} grey levels`);
    assert.equal(decodeDc(Buffer.from('not a jpeg')), null);
  });

  it('reads an XMP packet with its edit history from a JPEG', async () => {
    const packet = xmpPacket({ created: '2016-05-03T10:00:00+02:00', modified: '2017-05-06T09:00:00+02:00', tool: 'Adobe Photoshop CC 2017 (Windows)', history: [{ action: 'created', when: '2016-05-03T10:00:00+02:00', agent: 'Canon' }, { action: 'saved', when: '2017-05-06T09:00:00+02:00', agent: 'Adobe Photoshop CC 2017 (Windows)' }] });
    const f = (await readFacts('jpeg', withXmp(buildJpeg({ width: 64, height: 48, exif: null }), packet))) as unknown as ImageFacts;
    assert.equal(f.xmp?.properties.CreatorTool, 'Adobe Photoshop CC 2017 (Windows)');
    assert.equal(f.xmp?.properties.ModifyDate, '2017-05-06T09:00:00+02:00');
    assert.deepEqual(f.xmp?.history.map((h) => [h.action, h.softwareAgent]), [['created', 'Canon'], ['saved', 'Adobe Photoshop CC 2017 (Windows)']]);
    const p = profileOf('jpeg', f as unknown as Record<string, unknown>);
    assert.ok(p.dates.some((d) => d.field === 'XMP ModifyDate'));
    assert.ok(p.software.some((s) => s.name === 'Adobe Photoshop CC 2017 (Windows)'));
  });

  it('reads PNG text chunks, their XMP and the modification time', async () => {
    const f = (await readFacts('png', png({ Software: 'GIMP 2.8.18', Author: 'Thomas Brière' }, xmpPacket({ created: '2016-01-01T00:00:00Z', modified: '2016-01-02T00:00:00Z', tool: 'GIMP 2.8', history: [] })))) as unknown as ImageFacts;
    assert.equal(f.width, 1);
    assert.equal(f.text.Software, 'GIMP 2.8.18');
    assert.equal(f.text.tIME, '2017-05-03T10:20:30Z');
    assert.equal(f.xmp?.properties.CreatorTool, 'GIMP 2.8');
  });
});

describe('OLE2 facts', () => {
  it('reads SummaryInformation and DocumentSummaryInformation, decoding names with the code page', async () => {
    const bytes = legacyWord(
      [[4, 'Иван Петров'], [8, 'Рошка Георгий Петрович'], [7, 'Normal.dot'], [9, '12'], [10, { minutes: 95 }], [12, new Date('2009-04-01T08:00:00Z')], [13, new Date('2010-02-01T08:00:00Z')], [18, 'Microsoft Office Word']],
      [[15, 'ООО Ромашка'], [23, (12 << 16) | 0], [12, ['Название']]],
      1251,
      0x0419,
    );
    const f = (await readFacts('doc', bytes)) as unknown as Ole2Facts;
    assert.equal(f.reader, 'ole2');
    assert.equal(f.application, 'word');
    assert.equal(f.codepage, 1251);
    assert.equal(f.system, 'Windows 10.0');
    assert.equal(f.summary.author, 'Иван Петров');
    assert.equal(f.summary.lastAuthor, 'Рошка Георгий Петрович');
    assert.equal(f.summary.editMinutes, 95);
    assert.equal(f.summary.created, '2009-04-01T08:00:00Z');
    assert.equal(f.summary.lastSaved, '2010-02-01T08:00:00Z');
    assert.equal(f.documentSummary.company, 'ООО Ромашка');
    assert.equal(f.documentSummary.appVersion, '12.0000');
    assert.deepEqual(f.headingPairs, ['Название']);
    assert.equal(f.word?.lid, 0x0419);
    assert.equal(f.word?.nFibNew, 0x0112);
    const p = profileOf('doc', f as unknown as Record<string, unknown>);
    assert.equal(p.software[0]?.name, 'Microsoft Office Word 12.0000');
    assert.equal(p.codepage?.family, 'Cyrillic');
    assert.equal(p.toolLanguage?.language, 'Russian');
  });

  it('falls back on Word’s install language when there are no headings', async () => {
    const f = (await readFacts('doc', legacyWord([[18, 'Microsoft Office Word']], [], 1252, 0x0407))) as unknown as Ole2Facts;
    assert.deepEqual(profileOf('doc', f as unknown as Record<string, unknown>).toolLanguage, { language: 'German', evidence: 'the install language of Word (language id 0x0407)' });
  });
});

describe('OLE2 facts of the generator\'s legacy Office files', () => {
  it('reads an Excel .xls saved by a Russian Excel on a Cyrillic code page, like the 2017 Macron-leak fakes', async () => {
    const bytes = buildLegacyOffice({
      kind: 'xls', codepage: 1251, text: 'Frais',
      summary: [[4, 'Paul Martin'], [8, 'Рошка Георгий Петрович'], [12, new Date('2017-03-14T15:58:00Z')], [13, new Date('2017-03-14T16:02:00Z')], [18, 'Microsoft Excel'], [19, 0]],
      docSummary: [[12, { pairs: [['Листы', 1]] }], [13, { strings: ['Лист1'] }], [23, 14 << 16]],
      excel: { version: 2010, sheets: ['Лист1'] },
    });
    const f = (await readFacts('xls', bytes)) as unknown as Ole2Facts;
    assert.equal(f.application, 'excel');
    assert.deepEqual(f.streams.filter((n) => n !== '\\x01Sh33tJ5').sort(), ['Workbook', '\\x05DocumentSummaryInformation', '\\x05SummaryInformation']);
    assert.equal(f.codepage, 1251);
    assert.equal(f.summary.lastAuthor, 'Рошка Георгий Петрович');
    assert.deepEqual(f.headingPairs, ['Листы']);
    assert.equal(f.excel?.verLastXLSaved, 6);
    const p = profileOf('xls', f as unknown as Record<string, unknown>);
    assert.equal(p.lastModifiedBy, 'Рошка Георгий Петрович');
    assert.equal(p.modified?.iso, '2017-03-14T16:02:00Z');
    assert.deepEqual(p.toolLanguage, { language: 'Russian', evidence: 'the document statistics heading "Листы"' });
    assert.deepEqual(p.codepage, { family: 'Cyrillic', codepage: 1251 });
    assert.equal(p.software[0]?.name, 'Microsoft Excel 14.0000');
  });

  it('reads the version Word 97 to 2002 put in their application name, and the Word version of the file header', async () => {
    const bytes = buildLegacyOffice({
      kind: 'doc', codepage: 1252, text: 'Note', word: { lid: 0x040c, version: 2000 },
      summary: [[4, 'Hélène Durand'], [8, 'Paul Martin'], [10, { minutes: 30 }], [12, new Date('1999-09-01T08:00:00Z')], [13, new Date('1999-09-02T08:00:00Z')], [18, 'Microsoft Word 9.0']],
      docSummary: [[23, 9 << 16]],
    });
    const f = (await readFacts('doc', bytes)) as unknown as Ole2Facts;
    assert.equal(f.word?.nFibNew, 0x00d9);
    assert.equal(f.word?.lid, 0x040c);
    const p = profileOf('doc', f as unknown as Record<string, unknown>);
    assert.equal(p.software[0]?.name, 'Microsoft Word 9.0');
    assert.equal(p.editMinutes, 30);
    assert.equal(p.toolLanguage?.language, 'French');
  });
});

describe('OpenDocument and RTF facts', () => {
  it('reads meta.xml, declared fonts and tracked changes of an ODF file', async () => {
    const f = (await readFacts('odt', await odt({ generator: 'LibreOffice/5.0.3.2$Windows_X86_64', initialCreator: 'Mathilde Fauré', creator: 'Grégoire Dubœuf', created: '2016-02-01T10:00:00', modified: '2016-02-03T11:00:00', duration: 'PT2H30M', change: { author: 'Élodie Marchand', date: '2016-02-02T09:00:00' } }))) as unknown as OdfFacts;
    assert.equal(f.meta.generator, 'LibreOffice/5.0.3.2$Windows_X86_64');
    assert.equal(f.meta['initial-creator'], 'Mathilde Fauré');
    assert.equal(f.editingMinutes, 150);
    assert.deepEqual(f.fonts, ['Calibri', 'Liberation Serif']);
    assert.deepEqual(f.trackedChanges.authors.map((a) => [a.name, a.count]), [['Élodie Marchand', 1]]);
    const p = profileOf('odt', f as unknown as Record<string, unknown>);
    assert.equal(p.lastModifiedBy, 'Grégoire Dubœuf');
    assert.equal(p.created?.zoned, false);
  });

  it('reads the info group, generator, code page and fonts of an RTF file', async () => {
    const f = (await readFacts('rtf', rtf({ author: 'Anna', operator: 'Boris', created: [2016, 4, 1, 9, 30], revised: [2016, 4, 2, 10, 0], edmins: 12 }))) as unknown as RtfFacts;
    assert.equal(f.info.author, 'Anna');
    assert.equal(f.info.operator, 'Boris');
    assert.equal(f.info.creatim, '2016-04-01T09:30:00');
    assert.equal(f.info.edmins, 12);
    assert.equal(f.generator, 'Riched20 10.0.19041');
    assert.equal(f.codepage, 1251);
    assert.equal(f.defaultLanguage, 1049);
    assert.deepEqual(f.fonts, ['Calibri', 'Times New Roman']);
  });
});

describe('readFacts', () => {
  it('has nothing to say about plain text, and says why a damaged file could not be read', async () => {
    assert.equal(await readFacts('text', Buffer.from('hello')), null);
    assert.equal(await readFacts('docx', Buffer.alloc(0)), null);
    const damaged = await readFacts('docx', Buffer.from('PK\x03\x04 not a zip'));
    assert.equal(damaged?.reader, 'ooxml');
    assert.match(String(damaged?.unreadable), /zip/);
  });

  it('reads dates with and without zones into instants', () => {
    assert.deepEqual(dateClaim('x', '2017-05-04T18:00:00+02:00'), { field: 'x', iso: '2017-05-04T18:00:00+02:00', ms: T('2017-05-04T16:00:00Z'), zoned: true, offsetMinutes: 120 });
    assert.equal(dateClaim('x', '2017-05-04T18:00:00')?.zoned, false);
    assert.equal(dateClaim('x', '1601-01-01T00:00:00Z'), null, 'placeholder dates are not claims');
    assert.equal(dateClaim('x', 'yesterday'), null);
  });
});
