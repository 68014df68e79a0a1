/**
 * The reference table of release dates (src/forensics/reference/releases.ts): every entry sourced,
 * dated sensibly, and matching the strings real files write.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fontKeys, fontRelease, RELEASES, softwareRelease } from '../../src/forensics/reference/releases.ts';
import { languageOfHeading, scriptOf } from '../../src/forensics/reference/locales.ts';

describe('reference table of releases', () => {
  it('gives every entry a source URL and a real date, with the preview before the release', () => {
    assert.ok(RELEASES.length >= 100, `${RELEASES.length} entries`);
    for (const r of RELEASES) {
      assert.match(r.source, /^https:\/\/[\w.-]+\/\S+$/, `${r.product}: a source URL`);
      assert.match(r.released, /^\d{4}-\d{2}-\d{2}$/, r.product);
      assert.ok(Number.isFinite(Date.parse(r.released)), r.product);
      if (r.preview) assert.ok(Date.parse(r.preview) <= Date.parse(r.released), `${r.product}: preview before release`);
      if (r.precision === 'year') assert.match(r.released, /-01-01$/, `${r.product}: a year is dated from its first day`);
      assert.ok(Date.parse(r.released) > Date.UTC(1990, 0, 1) && Date.parse(r.released) < Date.UTC(2026, 0, 1), r.product);
    }
  });

  it('recognises what real files write', () => {
    const cases: [string, string | undefined][] = [
      ['Microsoft Office Word 16.0000', 'Microsoft Office 2016 (or later: 2019, 2021, 2024, Microsoft 365)'],
      ['Microsoft Excel 12.0000', 'Microsoft Office 2007'],
      ['Microsoft Word 8.0', 'Microsoft Office 97'],
      ['Microsoft Word 9.0', 'Microsoft Office 2000'],
      ['Microsoft Word 10.0', 'Microsoft Office XP'],
      ['Microsoft Office Word 11.0000', 'Microsoft Office 2003'],
      ['Microsoft Excel 11.6560', 'Microsoft Office 2003'],
      ['Microsoft Macintosh Word 15.0000', 'Microsoft Office 2016 for Mac'],
      ['Microsoft® Word 2013', 'Microsoft Office 2013 (its PDF export)'],
      ['Microsoft® Excel® 2016', 'Microsoft Office 2016 (its PDF export)'],
      ['Microsoft® Word for Microsoft 365', 'Microsoft 365 (its PDF export)'],
      ['LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2', 'LibreOffice 7.4'],
      ['LibreOffice 5.0', 'LibreOffice 5.0'],
      ['OpenOffice.org 3.3', 'OpenOffice.org 3.3'],
      ['Acrobat Distiller 10.1.16 (Windows)', 'Adobe Acrobat X'],
      ['Adobe PDF Library 15.0', 'Adobe Acrobat DC'],
      ['Mac OS X 10.12.3 Quartz PDFContext', 'macOS 10.12 Sierra (Quartz PDF)'],
      ['macOS Version 11.2.3 (Build 20D91) Quartz PDFContext', 'macOS 11 Big Sur (Quartz PDF)'],
      ['PDFsharp 1.32.2608-g (www.pdfsharp.net)', 'PDFsharp 1.32'],
      ['iText® 5.5.10 ©2000-2016 iText Group NV (AGPL-version)', 'iText 5'],
      ['Microsoft Office Word', undefined],
      ['LibreOffice 5.21', undefined],
      ['GPL Ghostscript 9.50', undefined],
    ];
    for (const [software, product] of cases) assert.equal(softwareRelease(software)?.product, product, software);
  });

  it('finds fonts by family, without subset tags or style suffixes', () => {
    assert.deepEqual(fontKeys('ABCDEF+Calibri-BoldItalic'), ['calibri']);
    assert.deepEqual(fontKeys('Segoe UI Semibold'), ['segoeuisemibold', 'segoeui']);
    assert.equal(fontRelease('Calibri Light')?.product, 'Calibri Light');
    assert.equal(fontRelease('CalibriLight')?.product, 'Calibri Light');
    assert.equal(fontRelease('Calibri,Bold')?.product, 'Calibri');
    assert.equal(fontRelease('Aptos Display')?.product, 'Aptos');
    assert.equal(fontRelease('TimesNewRomanPSMT'), null);
    assert.equal(fontRelease('Arial'), null);
  });

  it('tells the language of Office headings and the script of names', () => {
    assert.equal(languageOfHeading('Листы'), 'Russian');
    assert.equal(languageOfHeading('Feuilles de calcul'), 'French');
    assert.equal(languageOfHeading('Дiаграми'), 'Cyrillic-script');
    assert.equal(languageOfHeading('Unknown words'), null);
    assert.equal(scriptOf('Рошка Георгий Петрович'), 'Cyrillic');
    assert.equal(scriptOf('Hélène Durand-Lefèvre'), 'Latin');
    assert.equal(scriptOf('山田太郎'), 'Han');
    assert.equal(scriptOf('12 345'), null);
  });
});
