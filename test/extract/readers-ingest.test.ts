/**
 * End to end: a directory with one file of each document format goes through the real ingest
 * pipeline (in-process and with worker threads), and each document's own words are then found by the
 * store's full-text search. A damaged document is an `unreadable-document` error on its item, and
 * the run goes on.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';

import { ingestInto, snapshot, tempDir, writeTree } from '../support/case.ts';
import { buildDocx } from '../support/generator/docx-build.ts';
import { buildPdf } from '../support/generator/pdf-build.ts';
import { buildXlsx } from '../support/generator/xlsx-build.ts';
import { FRENCH_RTF, handOdf, handPptx } from './office-fixtures.ts';

const CREATED = Date.UTC(2017, 4, 3, 9);
const META = { creator: 'Élise Martin', created: CREATED, modified: CREATED };

/** Each file carries one made-up word that no other file has: search for it must find that file only. */
async function writeDocuments(dir: string): Promise<Record<string, string>> {
  const cp1251 = new TextDecoder('windows-1251');
  const toCp1251 = new Map<string, number>();
  for (let b = 0; b < 256; b++) toCp1251.set(cp1251.decode(Uint8Array.of(b)), b);
  const russian = 'Протокол совещания: бюджет кампании утверждён, ответственный Рошка. zorbalite';
  writeTree(dir, {
    'note.docx': await buildDocx({ ...META, paragraphs: ['Compte rendu', 'Le président a validé le quarvelin pour Évry.'] }),
    'budget.xlsx': await buildXlsx({ ...META, sheets: [{ name: 'Frais', rows: [['Poste', 'Montant'], ['Hôtel brivandelle', 412]] }] }),
    'deck.pptx': await handPptx([{ file: 1, boxes: [['Ordre du jour'], ['Point plomvert']], notes: ['note cachée'] }]),
    'pv.odt': await handOdf('odt', '<office:text><text:p>Procès-verbal du trezonnier.</text:p></office:text>'),
    'tableau.ods': await handOdf('ods', '<office:spreadsheet><table:table table:name="T"><table:table-row><table:table-cell><text:p>gralimonde</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'),
    'diapos.odp': await handOdf('odp', '<office:presentation><draw:page><draw:frame><draw:text-box><text:p>Diapositive vostrelune</text:p></draw:text-box></draw:frame></draw:page></office:presentation>'),
    'rapport.pdf': buildPdf({ ...META, title: 'Rapport', pages: [{ lines: ['Rapport annuel', 'Le mot rare est ombrefix.'] }] }),
    'lettre.rtf': Buffer.concat([FRENCH_RTF.subarray(0, FRENCH_RTF.length - 1), Buffer.from(' glissamont\\par }', 'latin1')]),
    'protokol.txt': Buffer.from(Array.from(russian, (ch) => toCp1251.get(ch) ?? 0x3f)),
    'broken.docx': (await buildDocx({ ...META, paragraphs: ['jamais lu'] })).subarray(0, 300),
  });
  return {
    quarvelin: 'note.docx',
    brivandelle: 'budget.xlsx',
    plomvert: 'deck.pptx',
    trezonnier: 'pv.odt',
    gralimonde: 'tableau.ods',
    vostrelune: 'diapos.odp',
    ombrefix: 'rapport.pdf',
    glissamont: 'lettre.rtf',
    'validé': 'note.docx',
    'бюджет': 'protokol.txt',
    zorbalite: 'protokol.txt',
  };
}

async function ingestAndSearch(t: TestContext, workers: number): Promise<void> {
  const dir = tempDir(t);
  const docs = join(dir, 'docs');
  const expected = await writeDocuments(docs);
  const caseDir = join(dir, 'case');
  const { result, c } = await ingestInto(caseDir, [docs], workers);
  try {
    assert.equal(result.errors, 1, 'only the broken docx fails');
    for (const [word, file] of Object.entries(expected)) {
      const r = await c.store.search({ query: word, limit: 10, offset: 0, sort: 'relevance', facets: false });
      assert.deepEqual(r.hits.map((h) => h.filename), [file], `search ${word}`);
    }
    const errors = snapshot(caseDir).errors.map((e) => JSON.parse(e as string) as { path: string; code: string });
    assert.deepEqual(errors.map((e) => [e.path.split('/').at(-1), e.code]), [['broken.docx', 'unreadable-document']]);
  } finally {
    await c.store.close();
  }
}

describe('documents through the ingest pipeline', () => {
  it('in-process: every format is searchable by its own words', async (t) => {
    await ingestAndSearch(t, 0);
  });

  it('with two worker threads (each starting its own PDF thread): the same', async (t) => {
    await ingestAndSearch(t, 2);
  });
});
