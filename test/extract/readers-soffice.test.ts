/**
 * Real files from a real program: documents made by the project's generators are converted by
 * LibreOffice (`soffice --headless --convert-to`) into odt, rtf, pdf, ods, doc and xls, and each
 * reader must give back the same words as the original. Skipped, with the reason, when soffice is not
 * installed (Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import { extractDocument } from '../../src/extract/extract-document.ts';
import { detectFormat } from '../../src/extract/registry.ts';
import { buildDocx } from '../support/generator/docx-build.ts';
import { buildXlsx } from '../support/generator/xlsx-build.ts';
import { handDocx, wordParagraph } from './office-fixtures.ts';

const probe = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const SKIP = probe.error || probe.status !== 0 ? 'soffice (LibreOffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui to run these tests' : false;

/** Lower-cased words (letters and digits) in order. */
const words = (text: string | null): string[] => (text ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

const PARAGRAPHS = [
  'Compte rendu de la réunion du 3 mai',
  'Le président a été reçu à Évry par le préfet.',
  'Les dépenses de déplacement s’élèvent à 1 234,50 € ; Œuvre et cœur.',
  'Prochaine étape : vérifier les reçus avant vendredi.',
];
const TABLE =
  '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>' +
  '<w:tr><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>Poste</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>Montant</w:t></w:r></w:p></w:tc></w:tr>' +
  '<w:tr><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>Hôtel</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>412</w:t></w:r></w:p></w:tc></w:tr></w:tbl>';

describe('documents converted by LibreOffice', { skip: SKIP }, () => {
  let dir = '';
  const converted = new Map<string, Buffer>();

  /** Converts `file` in `dir` to `format` with a profile of its own (parallel soffice runs do not share one). */
  function convert(file: string, format: string): void {
    const profile = pathToFileURL(join(dir, 'profile')).href;
    const run = spawnSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', format, '--outdir', dir, join(dir, file)], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `soffice --convert-to ${format} ${file}: ${run.stderr}`);
    const out = file.replace(/\.[^.]+$/, `.${format}`);
    converted.set(out, readFileSync(join(dir, out)));
  }

  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-soffice-'));
    const meta = { creator: 'Élise Martin', lastModifiedBy: 'Jean Dupont', title: 'Compte rendu', created: Date.UTC(2017, 4, 3, 9), modified: Date.UTC(2017, 4, 4, 18) };
    writeFileSync(join(dir, 'note.docx'), await buildDocx({ ...meta, paragraphs: PARAGRAPHS }));
    writeFileSync(join(dir, 'table.docx'), await handDocx(wordParagraph('Tableau des frais') + TABLE + wordParagraph('Fin du tableau')));
    writeFileSync(join(dir, 'budget.xlsx'), await buildXlsx({ ...meta, sheets: [{ name: 'Frais', rows: [['Poste', 'Montant'], ['Hôtel à Évry', 412], ['Train', 88]] }, { name: 'Notes', rows: [['à vérifier']] }] }));
    for (const format of ['odt', 'rtf', 'pdf', 'doc']) {
      convert('note.docx', format);
      convert('table.docx', format);
    }
    for (const format of ['ods', 'xls', 'pdf']) convert('budget.xlsx', format);
  });

  /** The format the registry detects for a converted file, and what its reader gives. */
  async function readConverted(name: string): Promise<{ format: string; text: string | null; metadata: Record<string, unknown> | null }> {
    const bytes = converted.get(name);
    assert.ok(bytes, `${name} was converted`);
    const format = detectFormat(bytes, name).name;
    const doc = await extractDocument(format, bytes);
    return { format, text: doc?.text ?? null, metadata: doc?.metadata ?? null };
  }

  it('odt, rtf and pdf give the words of the Word original, in order', async () => {
    for (const name of ['note.odt', 'note.rtf', 'note.pdf']) {
      const { format, text } = await readConverted(name);
      assert.equal(format, name.split('.')[1]);
      assert.deepEqual(words(text), words(PARAGRAPHS.join('\n')), name);
    }
  });

  it('tables survive the conversion: rows on lines, cells apart', async () => {
    for (const name of ['table.odt', 'table.rtf']) {
      const { text } = await readConverted(name);
      assert.match(text ?? '', /^Poste\tMontant$/m, name);
      assert.match(text ?? '', /^Hôtel\t412$/m, name);
      assert.deepEqual(words(text), words('Tableau des frais Poste Montant Hôtel 412 Fin du tableau'), name);
    }
    assert.deepEqual(words((await readConverted('table.pdf')).text), words('Tableau des frais Poste Montant Hôtel 412 Fin du tableau'));
  });

  it('ods and pdf give the cells of the Excel original (ODF cells as displayed, in the sheet\'s currency format)', async () => {
    const { text } = await readConverted('budget.ods');
    assert.equal(text, 'Frais\nPoste\tMontant\nHôtel à Évry\t412.00 €\nTrain\t88.00 €\n\nNotes\nà vérifier');
    assert.deepEqual(words((await readConverted('budget.pdf')).text), words('Poste Montant Hôtel à Évry 412.00 € Train 88.00 € à vérifier'));
  });

  it('metadata carries over: ODF meta.xml, RTF \\info, PDF Info', async () => {
    const odt = (await readConverted('note.odt')).metadata ?? {};
    assert.equal(odt['initial-creator'], 'Élise Martin');
    assert.equal(odt.creator, 'Jean Dupont');
    assert.equal(odt['creation-date'], '2017-05-03T09:00:00');
    assert.match(String(odt.generator), /^LibreOffice\//);
    const rtf = (await readConverted('note.rtf')).metadata ?? {};
    assert.equal(rtf.title, 'Compte rendu');
    assert.equal(rtf.creatim, '2017-05-03T09:00:00');
    const pdf = (await readConverted('note.pdf')).metadata ?? {};
    assert.equal(pdf.Title, 'Compte rendu');
    assert.match(String(pdf.Producer), /^LibreOffice/);
    assert.match(String(pdf.CreationDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
  });

  it('legacy doc and xls are recognised but not read (no safe, maintained reader on npm)', async () => {
    for (const name of ['note.doc', 'table.doc', 'budget.xls']) {
      const { format, text } = await readConverted(name);
      assert.equal(format, name.endsWith('.doc') ? 'doc' : 'xls');
      assert.equal(text, null);
    }
  });
});
