/**
 * The document readers (src/extract/readers/), through extractDocument as ingest calls it: the text
 * each format gives, in reading order, and the metadata fields. Files come from the project's
 * generators (docx-build, xlsx-build, pdf-build) and from office-fixtures.ts (hand-written parts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { extractDocument, ExtractError } from '../../src/extract/extract-document.ts';
import { detectFormat } from '../../src/extract/registry.ts';
import { byNumberInName } from '../../src/extract/readers/ooxml-package.ts';
import { normalizePartName, resolvePartName } from '../../src/extract/readers/package-zip.ts';
import { tidyText } from '../../src/extract/readers/text-sink.ts';
import { buildDocx } from '../support/generator/docx-build.ts';
import { buildPdf } from '../support/generator/pdf-build.ts';
import { buildXlsx } from '../support/generator/xlsx-build.ts';
import { FRENCH_RTF, handDocx, handOdf, handPptx, wordParagraph, wordPart } from './office-fixtures.ts';

const CREATED = Date.UTC(2017, 3, 27, 9, 15);
const MODIFIED = Date.UTC(2017, 4, 4, 17, 42);

async function read(format: string, bytes: Uint8Array): Promise<{ text: string; metadata: Record<string, unknown> }> {
  const doc = await extractDocument(format, bytes);
  assert.ok(doc, `${format}: a reader is registered`);
  assert.equal(typeof doc.text, 'string');
  return { text: doc.text as string, metadata: doc.metadata ?? {} };
}

describe('docx', () => {
  it('gives paragraphs in order, one per line, with accents, and the core and app properties', async () => {
    const bytes = await buildDocx({
      title: 'Note sur le déplacement',
      creator: 'Élise Martin',
      lastModifiedBy: 'Рошка Георгий Петрович',
      revision: 4,
      created: CREATED,
      modified: MODIFIED,
      lastPrinted: Date.UTC(2017, 4, 1, 8),
      company: 'En Marche',
      template: 'Normal.dotm',
      totalTimeMinutes: 95,
      keywords: 'campagne',
      subject: 'Logistique',
      paragraphs: [{ text: 'Déplacement à Évry', style: 'Title' }, 'Le président a été reçu à 9 h.', { text: 'Coût : 1 234,50 €', bold: true }],
    });
    assert.equal(detectFormat(bytes, 'note.docx').name, 'docx');
    const { text, metadata } = await read('docx', bytes);
    assert.equal(text, 'Déplacement à Évry\nLe président a été reçu à 9 h.\nCoût : 1 234,50 €');
    assert.deepEqual(
      {
        title: metadata.title,
        subject: metadata.subject,
        keywords: metadata.keywords,
        creator: metadata.creator,
        lastModifiedBy: metadata.lastModifiedBy,
        revision: metadata.revision,
        created: metadata.created,
        modified: metadata.modified,
        lastPrinted: metadata.lastPrinted,
        Application: metadata.Application,
        AppVersion: metadata.AppVersion,
        Company: metadata.Company,
        Template: metadata.Template,
        TotalTime: metadata.TotalTime,
        Pages: metadata.Pages,
      },
      {
        title: 'Note sur le déplacement',
        subject: 'Logistique',
        keywords: 'campagne',
        creator: 'Élise Martin',
        lastModifiedBy: 'Рошка Георгий Петрович',
        revision: '4',
        created: '2017-04-27T09:15:00Z',
        modified: '2017-05-04T17:42:00Z',
        lastPrinted: '2017-05-01T08:00:00Z',
        Application: 'Microsoft Office Word',
        AppVersion: '16.0000',
        Company: 'En Marche',
        Template: 'Normal.dotm',
        TotalTime: 95,
        Pages: 1,
      },
    );
    assert.equal(typeof metadata.Words, 'number');
    assert.equal('createdRaw' in metadata, false, 'a valid ISO date keeps no raw copy');
  });

  it('reads tables row by row, tabs, breaks, text boxes once, headers once, footnotes and comments; not deleted text nor field codes', async () => {
    const table =
      '<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>Nom</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Montant</w:t></w:r></w:p></w:tc></w:tr>' +
      '<w:tr><w:tc><w:p><w:r><w:t>Déplacements</w:t></w:r></w:p><w:p><w:r><w:t>(train)</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1 234,50</w:t></w:r></w:p></w:tc></w:tr></w:tbl>';
    const body =
      '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Avant</w:t></w:r><w:r><w:tab/><w:t>après</w:t><w:br/><w:t>la ligne</w:t></w:r></w:p>' +
      '<w:p><w:r><w:t xml:space="preserve">Version </w:t></w:r><w:del w:author="X"><w:r><w:delText>supprimée </w:delText></w:r></w:del><w:ins w:author="X"><w:r><w:t>définitive</w:t></w:r></w:ins></w:p>' +
      '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>' +
      table +
      '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Encadré</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Encadré</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>' +
      '<w:p><w:r><w:t>Fin</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>';
    const bytes = await handDocx(body, [
      { type: 'header', name: 'header1.xml', xml: wordPart('hdr', wordParagraph('CONFIDENTIEL')) },
      { type: 'header', name: 'header2.xml', xml: wordPart('hdr', wordParagraph('CONFIDENTIEL')) },
      { type: 'footer', name: 'footer1.xml', xml: wordPart('ftr', wordParagraph('Page de pied')) },
      { type: 'footnotes', name: 'footnotes.xml', xml: wordPart('footnotes', `<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1">${wordParagraph('Source : préfecture.')}</w:footnote>`) },
      { type: 'comments', name: 'comments.xml', xml: wordPart('comments', `<w:comment w:id="0" w:author="Bob">${wordParagraph('À vérifier')}</w:comment>`) },
    ]);
    const { text, metadata } = await read('docx', bytes);
    assert.equal(
      text,
      ['Avant\taprès', 'la ligne', 'Version définitive', '3', 'Nom\tMontant', 'Déplacements (train)\t1 234,50', 'Encadré', 'Fin', '', 'CONFIDENTIEL', '', 'Page de pied', '', 'Source : préfecture.', '', 'À vérifier'].join('\n'),
    );
    assert.equal(metadata.modified, null, 'a date that is not one is null...');
    assert.equal(metadata.modifiedRaw, 'yesterday', '...and what the file says is kept');
  });

  it('keeps what it can read when a header is damaged, and says which part was not read', async () => {
    const bytes = await handDocx(wordParagraph('Corps du texte'), [{ type: 'header', name: 'header1.xml', xml: '<w:hdr><w:p>' }]);
    const { text, metadata } = await read('docx', bytes);
    assert.equal(text, 'Corps du texte');
    assert.match(String((metadata.unreadableParts as string[])[0]), /word\/header1\.xml is not well-formed XML/);
  });
});

describe('xlsx', () => {
  it('gives each sheet under its name, rows as lines, cells as tabs, shared strings resolved', async () => {
    const bytes = await buildXlsx({
      creator: 'Élise Martin',
      lastModifiedBy: 'Рошка Георгий Петрович',
      created: CREATED,
      modified: MODIFIED,
      company: 'En Marche',
      application: 'Microsoft Excel',
      appVersion: '15.0300',
      sheets: [
        { name: 'Dépenses mai', rows: [['Poste', 'Montant'], ['Hôtel à Évry', 412.8], ['Total', { formula: 'SUM(B2:B2)', value: 412.8 }]] },
        { name: 'Feuil2', rows: [['seul', null, 'après un vide'], [], ['Hôtel à Évry']] },
      ],
    });
    assert.equal(detectFormat(bytes, 'budget.xlsx').name, 'xlsx');
    const { text, metadata } = await read('xlsx', bytes);
    assert.equal(text, 'Dépenses mai\nPoste\tMontant\nHôtel à Évry\t412.8\nTotal\t412.8\n\nFeuil2\nseul\taprès un vide\nHôtel à Évry');
    assert.equal(metadata.lastModifiedBy, 'Рошка Георгий Петрович');
    assert.equal(metadata.AppVersion, '15.0300');
    assert.equal(metadata.Company, 'En Marche');
  });
});

describe('pptx', () => {
  it('follows the presentation order (not file names), one text box after another, notes after their slide', async () => {
    const bytes = await handPptx([
      { file: 10, boxes: [['Ordre du jour'], ['Réunion du 3 mai', 'Salle Évry']], notes: ['Ne pas oublier la presse'] },
      { file: 2, boxes: [['Budget'], ['1 234,50 €']] },
      { file: 1, boxes: [['Conclusion']] },
    ]);
    assert.equal(detectFormat(bytes, 'deck.pptx').name, 'pptx');
    const { text, metadata } = await read('pptx', bytes);
    assert.equal(text, 'Ordre du jour\nRéunion du 3 mai\nSalle Évry\nNe pas oublier la presse\n\nBudget\n1 234,50 €\n\nConclusion');
    assert.equal(metadata.creator, 'Élise Martin');
    assert.equal(metadata.lastPrinted, '2017-04-28T08:00:00Z');
  });
});

describe('OpenDocument', () => {
  it('odt: paragraphs and headings, ODF spaces and tabs, tables, footnotes and comments after the body, no tracked deletions', async () => {
    const body =
      '<office:text><text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>texte supprimé</text:p></text:deletion></text:changed-region></text:tracked-changes>' +
      '<text:h text:outline-level="1">Procès-verbal</text:h>' +
      '<text:p>Le   président\n  a été <text:span>élu</text:span> à Évry.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Selon la préfecture.</text:p></text:note-body></text:note></text:p>' +
      '<text:p>Deux<text:s text:c="3"/>espaces<text:tab/>tab<text:line-break/>ligne <office:annotation><dc:creator>Bob</dc:creator><dc:date>2017-05-01T10:00:00</dc:date><text:p>Vérifier</text:p></office:annotation>suivante</text:p>' +
      '<draw:frame draw:name="Cadre"><svg:title>titre caché</svg:title><draw:text-box><text:p>Dans le cadre</text:p></draw:text-box></draw:frame>' +
      '<table:table table:name="Tableau1"><table:table-column/><table:table-row><table:table-cell><text:p>Nom</text:p></table:table-cell><table:table-cell><text:p>Montant</text:p></table:table-cell></table:table-row>' +
      '<table:table-row><table:table-cell><text:p>Hôtel</text:p><text:p>(2 nuits)</text:p></table:table-cell><table:table-cell><text:p>412,80</text:p></table:table-cell></table:table-row></table:table></office:text>';
    const bytes = await handOdf('odt', body);
    assert.equal(detectFormat(bytes, 'pv.odt').name, 'odt');
    const { text, metadata } = await read('odt', bytes);
    assert.equal(text, 'Procès-verbal\nLe président a été élu à Évry.\nDeux   espaces\ttab\nligne suivante\nDans le cadre\nNom\tMontant\nHôtel (2 nuits)\t412,80\n\nSelon la préfecture.\n\nVérifier');
    assert.deepEqual(metadata, {
      generator: 'LibreOffice/5.2.3.3$Windows_X86_64 LibreOffice_project/d54a8868f08a7b39642414cf2c8ef2f228f780cf',
      title: 'Procès-verbal',
      'initial-creator': 'Zoé Lefèvre',
      creator: 'Jean Dupont',
      'creation-date': '2017-03-01T10:20:30.123456789',
      date: '2017-05-04T18:00:00',
      'editing-cycles': 12,
      'editing-duration': 'PT2H10M5S',
      'document-statistic': { 'page-count': 2, 'word-count': 40 },
      keyword: ['budget', 'campagne'],
    });
  });

  it('ods: sheet names, repeated cells written out, a million padding rows ignored', async () => {
    const body =
      '<office:spreadsheet><table:table table:name="Dépenses"><table:table-column table:number-columns-repeated="1024"/>' +
      '<table:table-row><table:table-cell office:value-type="string"><text:p>Poste</text:p></table:table-cell><table:table-cell><text:p>Montant</text:p></table:table-cell></table:table-row>' +
      '<table:table-row><table:table-cell><text:p>Hôtel</text:p></table:table-cell><table:table-cell office:value-type="currency" office:value="412.8"><text:p>412,80 €</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1022"/></table:table-row>' +
      '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"><text:p>x</text:p></table:table-cell></table:table-row>' +
      '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>' +
      '<table:table table:name="Feuille2"><table:table-row><table:table-cell><text:p>fin</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>';
    const { text } = await read('ods', await handOdf('ods', body));
    assert.equal(text, 'Dépenses\nPoste\tMontant\nHôtel\t412,80 €\nx\tx\tx\nx\tx\tx\n\nFeuille2\nfin');
  });

  it('odp: pages in order with their notes', async () => {
    const page = (name: string, lines: string[], notes: string): string =>
      `<draw:page draw:name="${name}"><draw:frame><draw:text-box>${lines.map((l) => `<text:p>${l}</text:p>`).join('')}</draw:text-box></draw:frame>` +
      `<presentation:notes><draw:page-thumbnail/><draw:frame><draw:text-box><text:p>${notes}</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>`;
    const bytes = await handOdf('odp', `<office:presentation>${page('page1', ['Ordre du jour', 'Réunion'], 'note une')}${page('page2', ['Budget'], 'note deux')}</office:presentation>`);
    assert.equal(detectFormat(bytes, 'deck.odp').name, 'odp');
    const { text } = await read('odp', bytes);
    assert.equal(text, 'Ordre du jour\nRéunion\nnote une\n\nBudget\nnote deux');
  });
});

describe('pdf', () => {
  it('gives each page text, pages apart, and the Info dictionary with ISO dates and the raw dates', async () => {
    const bytes = buildPdf({
      title: 'Rapport d’été',
      author: 'Zoé Lefèvre',
      creator: 'Microsoft® Word 2013',
      producer: 'Microsoft® Word 2013',
      created: Date.UTC(2017, 4, 2, 8, 30),
      modified: Date.UTC(2017, 4, 3, 10),
      offsetMinutes: 120,
      pages: [{ lines: ['Rapport', 'Le président a été élu à Évry.', 'Coût : 1 234,50 €'] }, { lines: ['Annexe', 'Œuvres déjà payées.'] }],
    });
    const { text, metadata } = await read('pdf', bytes);
    assert.equal(text, 'Rapport\nLe président a été élu à Évry.\nCoût : 1 234,50 €\n\nAnnexe\nŒuvres déjà payées.');
    assert.deepEqual(metadata, {
      PDFFormatVersion: '1.4',
      Title: 'Rapport d’été',
      Author: 'Zoé Lefèvre',
      Creator: 'Microsoft® Word 2013',
      Producer: 'Microsoft® Word 2013',
      CreationDate: '2017-05-02T10:30:00+02:00',
      CreationDateRaw: "D:20170502103000+02'00'",
      ModDate: '2017-05-03T12:00:00+02:00',
      ModDateRaw: "D:20170503120000+02'00'",
      Pages: 2,
      PagesRead: 2,
    });
  });

  it('leaves the caller’s bytes intact (pdf.js detaches the buffer it is given)', async () => {
    const bytes = new Uint8Array(buildPdf({ created: CREATED, modified: MODIFIED, pages: [{ lines: ['un'] }] }));
    const length = bytes.length;
    await read('pdf', bytes);
    assert.equal(bytes.length, length);
    assert.equal(Buffer.from(bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
  });

  it('a scanned page has no text', async () => {
    const { text } = await read('pdf', buildPdf({ created: CREATED, modified: MODIFIED, pages: [{ jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), widthPx: 10, heightPx: 10 }] }));
    assert.equal(text, '');
  });
});

describe('rtf', () => {
  it('decodes \\\'hh in the code page, \\uN with its fallback skipped, a Cyrillic font, tables; skips pictures, field codes, hidden text and list bullets', async () => {
    const { text, metadata } = await read('rtf', FRENCH_RTF);
    assert.equal(detectFormat(FRENCH_RTF, 'c.rtf').name, 'rtf');
    assert.equal(text, 'Le président a été élu à Évry.\nLien vers le site\nPoint un\nNom\tMontant\nDéplacements\t1 234,50 €\nПривет мир\nFin du texte\nligne suivante.');
    assert.deepEqual(metadata, {
      ansicpg: 1252,
      deflang: 1036,
      deflangfe: 1036,
      generator: 'Microsoft Word 16.0',
      title: 'Communiqué',
      author: 'Zoé Lefèvre',
      operator: 'Рошка',
      creatim: '2017-05-03T09:41:00',
      creatimRaw: '\\yr2017\\mo5\\dy3\\hr9\\min41',
      revtim: '2017-05-05T18:02:00',
      revtimRaw: '\\yr2017\\mo5\\dy5\\hr18\\min2',
      version: 3,
      edmins: 47,
      nofpages: 1,
      nofwords: 23,
      company: 'En Marche',
    });
  });

  it('decodes double-byte code pages (Shift-JIS) across \\\'hh pairs, and \\ansicpg1251 text', async () => {
    const sjis = Buffer.from("{\\rtf1\\ansi\\ansicpg932{\\fonttbl{\\f0\\fnil\\fcharset128 MS Mincho;}}\\f0 \\'93\\'fa\\'96\\'7b\\'8c\\'ea\\par}", 'latin1');
    assert.equal((await read('rtf', sjis)).text, '日本語');
    const cp1251 = Buffer.from("{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0 Arial;}}\\'cc\\'ee\\'f1\\'ea\\'e2\\'e0\\par}", 'latin1');
    assert.equal((await read('rtf', cp1251)).text, 'Москва');
  });

  it('decodes a long double-byte run read in pieces without cutting a character in two', async () => {
    const kanji = "\\'93\\'fa".repeat(40_000);
    const rtf = Buffer.from(`{\\rtf1\\ansi\\ansicpg932 a${kanji}\\par}`, 'latin1');
    assert.equal((await read('rtf', rtf)).text, 'a' + '日'.repeat(40_000));
  });

  it('refuses a file that is not RTF', async () => {
    await assert.rejects(extractDocument('rtf', Buffer.from('hello')), ExtractError);
  });
});

describe('reader helpers', () => {
  it('tidyText trims line ends and cells, keeps one empty line between blocks', () => {
    assert.equal(tidyText('\n\na  \t b \t\n\n\n\nc\u00a0\n\n'), 'a\t b\n\nc');
  });

  it('part names: normalised, resolved against their source part, sorted by number', () => {
    assert.equal(normalizePartName('/word//./media/../document.xml'), 'word/document.xml');
    assert.equal(resolvePartName('ppt/slides/slide1.xml', '../notesSlides/notesSlide1.xml'), 'ppt/notesSlides/notesSlide1.xml');
    assert.equal(resolvePartName('word/document.xml', '/word/header%201.xml'), 'word/header 1.xml');
    assert.deepEqual(['slide10.xml', 'slide2.xml', 'slide1.xml', 'notes.xml'].sort(byNumberInName), ['notes.xml', 'slide1.xml', 'slide2.xml', 'slide10.xml']);
  });

  it('gives the same text for the same bytes, every time', async () => {
    const bytes = await handPptx([{ file: 1, boxes: [['a', 'b']] }]);
    assert.deepEqual(await extractDocument('pptx', bytes), await extractDocument('pptx', bytes));
  });

  it('has no reader for the legacy OLE2 formats', async () => {
    for (const format of ['doc', 'xls', 'ppt', 'ole2']) assert.equal(await extractDocument(format, Buffer.from('x')), null);
  });
});
