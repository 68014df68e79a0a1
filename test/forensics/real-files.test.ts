/**
 * Real files made by real programs: LibreOffice converting documents between formats (docx to odt,
 * doc, rtf and pdf, odt back to docx, xlsx to xls and ods), LibreOffice Calc set to French re-saving
 * a spreadsheet by English speakers, qpdf linearizing, repacking and rewriting PDFs, ExifTool editing
 * PDF and photo metadata, ImageMagick resizing, re-saving, turning, cropping and painting on photos.
 * The readers must read what these programs write, and ordinary work (a conversion, a resize, a
 * metadata edit) must never read as forgery (no high signal), while a painted-over photo still does.
 * The French spreadsheet is also judged against a French trove's baseline, as ingest would.
 *
 * Each group is skipped, saying which program is missing, when it is not installed (Debian:
 * apt-get install libreoffice-writer-nogui libreoffice-calc-nogui qpdf libimage-exiftool-perl
 * imagemagick; .ci/run installs them).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { readFacts } from '../../src/forensics/facts.ts';
import { profileOf } from '../../src/forensics/profile.ts';
import type { Ole2Facts } from '../../src/forensics/readers/ole2-facts.ts';
import type { PdfFacts } from '../../src/forensics/readers/pdf-facts.ts';
import { baselineSignals, nameKey, type MailBaseline, type TroveDocument } from '../../src/forensics/rules/baseline.ts';
import { calendarSignals } from '../../src/forensics/rules/calendar.ts';
import { contradictionSignals } from '../../src/forensics/rules/contradictions.ts';
import { revisionSignals } from '../../src/forensics/rules/revisions.ts';
import type { Signal } from '../../src/forensics/signal.ts';
import { buildDocx, buildPdf, buildXlsx, encodeWithThumbnail, buildJpeg } from '../support/generator/index.ts';

function works(cmd: string, args: string[], expect?: RegExp): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return !r.error && r.status === 0 && (!expect || expect.test(r.stdout + r.stderr));
}

const HAS_SOFFICE = works('soffice', ['--version']);
const HAS_QPDF = works('qpdf', ['--version']);
const HAS_EXIFTOOL = works('exiftool', ['-ver']);
/** ImageMagick 7 is `magick`; 6 is `convert` (some systems have an unrelated `convert` first on the PATH). */
const MAGICK = works('magick', ['-version'], /Version: ImageMagick/) ? ['magick'] : ['convert', '/usr/bin/convert'].find((c) => works(c, ['-version'], /Version: ImageMagick/));
const missing = (what: string, pkg: string): string => `${what} is not installed: apt-get install ${pkg} to run these tests`;

const T = (iso: string): number => Date.parse(iso);

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** Every signal a document gets on its own (no trove baseline, no cutoff). */
async function signalsOf(format: string, path: string): Promise<{ facts: Record<string, unknown> | null; signals: Signal[] }> {
  const facts = await readFacts(format, readFileSync(path));
  assert.ok(facts && !facts.unreadable, `${path}: ${JSON.stringify(facts?.unreadable)}`);
  const p = profileOf(format, facts);
  return { facts, signals: [...contradictionSignals(p), ...calendarSignals(p, null), ...revisionSignals(p)] };
}

const noHigh = (signals: Signal[], what: string): void => assert.deepEqual(signals.filter((s) => s.severity === 'high'), [], `${what} reads as forgery`);

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trove-forensics-real-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('documents converted by LibreOffice', { skip: HAS_SOFFICE ? false : missing('soffice (LibreOffice)', 'libreoffice-writer-nogui libreoffice-calc-nogui') }, () => {
  const convert = (file: string, format: string): string => {
    run('soffice', [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--convert-to', format, '--outdir', join(dir, format.split(':')[0]!), join(dir, file)], dir);
    return join(dir, format.split(':')[0]!, file.replace(/^.*\//, '').replace(/\.[^.]+$/, `.${format.split(':')[0]}`));
  };

  before(async () => {
    const meta = { creator: 'Élise Martin', lastModifiedBy: 'Jean Dupont', title: 'Compte rendu', created: T('2016-05-03T09:00:00Z'), modified: T('2016-05-04T18:00:00Z'), totalTimeMinutes: 45, application: 'Microsoft Office Word', appVersion: '16.0000' };
    writeFileSync(join(dir, 'note.docx'), await buildDocx({ ...meta, paragraphs: ['Compte rendu', 'Le président a été reçu à Évry.', 'Fin.'] }));
    writeFileSync(join(dir, 'budget.xlsx'), await buildXlsx({ ...meta, application: 'Microsoft Excel', sheets: [{ name: 'Frais', rows: [['Poste', 'Montant'], ['Hôtel', 412]] }] }));
  });

  it('reads what LibreOffice writes in every format, with the dates it kept, and finds no forgery in a conversion', async () => {
    for (const format of ['odt', 'doc', 'rtf', 'pdf']) {
      const path = convert('note.docx', format);
      const { facts, signals } = await signalsOf(format, path);
      noHigh(signals, `note.docx converted to ${format}`);
      const p = profileOf(format, facts);
      assert.ok(p.software.some((s) => /LibreOffice/.test(s.name)) || format === 'doc', `${format}: names LibreOffice (${JSON.stringify(p.software)})`);
      if (format !== 'pdf') assert.equal(p.created?.iso.slice(0, 16), '2016-05-03T09:00', `${format} keeps the creation date`);
      if (format === 'pdf') assert.equal((facts as unknown as PdfFacts).revisions.length, 1);
    }
    for (const format of ['xls', 'ods']) noHigh((await signalsOf(format, convert('budget.xlsx', format))).signals, `budget.xlsx converted to ${format}`);
    // The legacy formats LibreOffice writes are read from their property sets, dates and names kept.
    for (const [format, file] of [['doc', 'doc/note.doc'], ['xls', 'xls/budget.xls']] as const) {
      const f = (await readFacts(format, readFileSync(join(dir, file)))) as unknown as Ole2Facts;
      assert.equal(f.reader, 'ole2', file);
      assert.equal(f.application, format === 'doc' ? 'word' : 'excel', file);
      assert.equal(f.summary.author, 'Élise Martin', file);
      assert.equal(f.summary.lastAuthor, 'Jean Dupont', file);
      assert.equal(f.summary.lastSaved, '2016-05-04T18:00:00Z', file);
    }
    // Back to Office Open XML: LibreOffice writes AppVersion 15.0000 under its own name, which is not Office 2013.
    const back = convert('odt/note.odt', 'docx');
    const { facts, signals } = await signalsOf('docx', back);
    noHigh(signals, 'a round trip through ODT');
    assert.match(String((facts as { properties: Record<string, unknown> }).properties.Application), /^LibreOffice/);
  });

  it('reads the XMP of a PDF/A export and finds it agrees with the Info dictionary', async () => {
    const path = convert('note.docx', 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}');
    const { facts, signals } = await signalsOf('pdf', path);
    assert.equal((facts as unknown as PdfFacts).xmp?.properties.Producer, (facts as unknown as PdfFacts).info?.Producer);
    assert.deepEqual(signals.filter((s) => s.code === 'xmp-info-mismatch'), []);
  });
});

describe('a French spreadsheet by English speakers, re-saved by LibreOffice Calc set to French, in a French trove', { skip: HAS_SOFFICE ? false : missing('soffice (LibreOffice)', 'libreoffice-calc-nogui') }, () => {
  const STAFF = ['Hélène Durand', 'François Mercier', 'Cécile Bénard', 'Jérôme Lemaître', 'Paul Martin'];
  const trove: TroveDocument[] = [];
  const mail: MailBaseline = { names: new Set(STAFF.map(nameKey)), scripts: new Map([['Latin', 400]]), offsets: new Map([[60, 200], [120, 200]]), emailsWithOffset: 400 };
  /** Calc (and every LibreOffice program) with French as its locale and default document language. */
  const french = (): string => {
    const profile = join(dir, 'profile-fr');
    mkdirSync(join(profile, 'user'), { recursive: true });
    const item = (path: string, name: string, value: string): string => `<item oor:path="${path}"><prop oor:name="${name}" oor:op="fuse"><value>${value}</value></prop></item>`;
    writeFileSync(join(profile, 'user', 'registrymodifications.xcu'), '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      item('/org.openoffice.Setup/L10N', 'ooLocale', 'fr-FR') + item('/org.openoffice.Setup/L10N', 'ooSetupSystemLocale', 'fr-FR') + item('/org.openoffice.Office.Linguistic/General', 'DefaultLocale', 'fr-FR') + '</oor:items>\n');
    return pathToFileURL(profile).href;
  };
  const calc = (file: string, format: string): string => {
    const out = join(dir, `fr-${format}`);
    run('soffice', [`-env:UserInstallation=${french()}`, '--headless', '--norestore', '--convert-to', format, '--outdir', out, join(dir, file)], dir);
    return join(out, file.replace(/\.[^.]+$/, `.${format}`));
  };
  /** Every signal ingest would give the file in this trove: its own, the calendar (the trove ends today), and the baseline. */
  const judged = async (format: string, path: string): Promise<Signal[]> => {
    const facts = await readFacts(format, readFileSync(path));
    assert.ok(facts && !facts.unreadable, path);
    const p = profileOf(format, facts);
    const docs = [...trove, { profile: p, proven: false, carried: false }];
    const now = Date.now() + 86_400_000;
    return [...contradictionSignals(p), ...calendarSignals(p, { ms: now, lastMailMs: now, what: 'the latest authentic email' }), ...revisionSignals(p), ...(baselineSignals(docs, mail).get(trove.length) ?? [])];
  };

  before(async () => {
    // The trove: thirty French Word and Excel files by its staff, found in its mail.
    for (let i = 0; i < 30; i++) {
      const name = STAFF[i % STAFF.length] as string;
      const meta = { creator: name, lastModifiedBy: name, created: T('2016-01-04T09:00:00Z') + i * 86_400_000, modified: T('2016-01-05T17:00:00Z') + i * 86_400_000, totalTimeMinutes: 30 };
      const [format, bytes] = i % 2
        ? ['xlsx', await buildXlsx({ ...meta, application: 'Microsoft Excel', appVersion: '16.0300', sheets: [{ name: 'Feuil1', rows: [['Poste', 'Montant'], ['Repas', 20 + i]] }] })]
        : ['docx', await buildDocx({ ...meta, application: 'Microsoft Office Word', appVersion: '16.0000', paragraphs: ['Note', `Réunion ${i}.`] })];
      trove.push({ profile: profileOf(format, await readFacts(format, bytes)), proven: false, carried: true });
    }
    // The spreadsheet as a French Excel saves it (its headings in French), made and last saved by English speakers nobody in the trove writes to.
    writeFileSync(join(dir, 'expenses.xlsx'), await buildXlsx({
      creator: 'John Whitaker', lastModifiedBy: 'Sarah Collins', created: T('2016-04-11T08:30:00Z'), modified: T('2016-05-02T16:45:00Z'),
      application: 'Microsoft Excel', appVersion: '16.0300', sheets: [{ name: 'Feuil1', rows: [['Poste', 'Montant'], ['Hôtel', 412], ['Train', 89]] }],
    }));
  });

  it('is nothing but French Office and English names, as Excel saved it and after Calc re-saved it in every format', async () => {
    assert.equal(profileOf('xlsx', await readFacts('xlsx', readFileSync(join(dir, 'expenses.xlsx')))).toolLanguage?.language, 'French');
    const files: [string, string][] = [['xlsx', join(dir, 'expenses.xlsx')], ...(['xls', 'ods', 'xlsx', 'pdf'] as const).map((f): [string, string] => [f, calc('expenses.xlsx', f)])];
    for (const [format, path] of files) {
      const signals = await judged(format, path);
      noHigh(signals, path);
      assert.deepEqual(signals.filter((s) => /^foreign-/.test(s.code)), [], `${path}: nothing foreign about English names in a French Office`);
    }
    // Calc kept the names and the dates, and wrote its locale.
    const xls = (await readFacts('xls', readFileSync(join(dir, 'fr-xls', 'expenses.xls')))) as unknown as Ole2Facts;
    assert.equal(xls.summary.author, 'John Whitaker');
    assert.equal(xls.summary.lastAuthor, 'Sarah Collins');
    assert.equal(xls.summary.lastSaved, '2016-05-02T16:45:00Z');
    const roundTrip = profileOf('xlsx', await readFacts('xlsx', readFileSync(join(dir, 'fr-xlsx', 'expenses.xlsx'))));
    assert.match(roundTrip.software[0]?.name ?? '', /^LibreOffice\//);
    assert.equal(roundTrip.lastModifiedBy, 'Sarah Collins');
  });
});

describe('PDFs rewritten by qpdf and edited by ExifTool', { skip: HAS_QPDF && HAS_EXIFTOOL ? false : missing(HAS_QPDF ? 'exiftool' : 'qpdf', 'qpdf libimage-exiftool-perl') }, () => {
  const original = (): string => {
    const path = join(dir, 'orig.pdf');
    writeFileSync(path, buildPdf({ title: 'Note', author: 'Hélène Durand', creator: 'Microsoft® Word 2016', producer: 'Microsoft® Word 2016', created: T('2016-03-01T10:00:00Z'), modified: T('2016-03-01T11:00:00Z'), pages: [{ lines: ['Bonjour'] }, { lines: ['page 2'] }], xmp: {} }));
    return path;
  };

  it('does not count the linearization section as a revision, and reads object streams', async () => {
    const src = original();
    run('qpdf', ['--linearize', src, join(dir, 'lin.pdf')], dir);
    const lin = (await signalsOf('pdf', join(dir, 'lin.pdf'))).facts as unknown as PdfFacts;
    assert.equal(lin.linearized, true);
    assert.equal(lin.eofMarkers, 2);
    assert.equal(lin.revisions.length, 1);
    assert.equal(lin.info?.Producer, 'Microsoft® Word 2016');
    // A plain rewrite (qpdf renumbers and rewrites every object, and keeps the Info dictionary).
    run('qpdf', [src, join(dir, 'rewritten.pdf')], dir);
    const rewritten = await signalsOf('pdf', join(dir, 'rewritten.pdf'));
    assert.equal((rewritten.facts as unknown as PdfFacts).revisions.length, 1);
    assert.equal((rewritten.facts as unknown as PdfFacts).info?.Producer, 'Microsoft® Word 2016');
    noHigh(rewritten.signals, 'a qpdf rewrite');
    run('qpdf', ['--object-streams=generate', src, join(dir, 'objstm.pdf')], dir);
    const os = await signalsOf('pdf', join(dir, 'objstm.pdf'));
    assert.equal((os.facts as unknown as PdfFacts).info?.Author, 'Hélène Durand');
    assert.equal((os.facts as unknown as PdfFacts).pages, 2);
    noHigh(os.signals, 'qpdf repacking');
  });

  it('sees an ExifTool metadata edit as a later revision, without calling it forgery', async () => {
    const src = original();
    run('exiftool', ['-q', '-overwrite_original', '-Author=Paul Martin', '-Keywords=budget', src], dir);
    const { facts, signals } = await signalsOf('pdf', src);
    const pdf = facts as unknown as PdfFacts;
    assert.equal(pdf.revisions.length, 2);
    assert.equal(pdf.info?.Author, 'Paul Martin');
    assert.ok((pdf.revisions[1]?.changes.info ?? 0) > 0);
    noHigh(signals, 'an ExifTool metadata edit');
    assert.ok(signals.some((s) => s.code === 'pdf-incremental-update' || s.code === 'pdf-metadata-revised'));
    // Linearizing rewrites the file: its history is gone, and the reader sees one revision.
    run('qpdf', ['--linearize', src, join(dir, 'flat.pdf')], dir);
    assert.equal(((await signalsOf('pdf', join(dir, 'flat.pdf'))).facts as unknown as PdfFacts).revisions.length, 1);
  });
});

describe('photos edited with ImageMagick and ExifTool', { skip: MAGICK && HAS_EXIFTOOL ? false : missing(MAGICK ? 'exiftool' : 'ImageMagick', 'imagemagick libimage-exiftool-perl') }, () => {
  const im = (args: string[]): void => run(MAGICK as string, args, dir);
  let photo = '';

  before(() => {
    const pics = encodeWithThumbnail(800, 600, 11, 85, 8);
    photo = join(dir, 'photo.jpg');
    writeFileSync(photo, buildJpeg({ scan: pics.scan, exif: { make: 'Canon', model: 'Canon EOS 750D', taken: T('2016-05-03T08:00:00Z'), offsetMinutes: 120, littleEndian: true } }));
    // ExifTool writes the thumbnail ImageMagick made of the photo, as a camera would have.
    im([photo, '-thumbnail', '160x120', join(dir, 'thumb.jpg')]);
    run('exiftool', ['-q', '-overwrite_original', `-ThumbnailImage<=${join(dir, 'thumb.jpg')}`, photo], dir);
    assert.ok(existsSync(photo));
  });

  it('finds the thumbnail ExifTool embedded to match, and resizing or recompressing changes nothing', async () => {
    const { facts, signals } = await signalsOf('jpeg', photo);
    assert.equal((facts as { thumbnail: { width: number } }).thumbnail.width, 160);
    assert.deepEqual(signals, []);
    for (const [name, args] of [['resized', ['-resize', '50%']], ['recompressed', ['-quality', '40']], ['brightened', ['-brightness-contrast', '15x10']]] as const) {
      im([photo, ...args, join(dir, `${name}.jpg`)]);
      assert.deepEqual((await signalsOf('jpeg', join(dir, `${name}.jpg`))).signals, [], name);
    }
  });

  it('calls a turned or cropped photo an ordinary edit (low), and a painted-over one high', async () => {
    im([photo, '-rotate', '90', join(dir, 'rotated.jpg')]);
    assert.deepEqual((await signalsOf('jpeg', join(dir, 'rotated.jpg'))).signals.map((s) => [s.code, s.severity]), [['thumbnail-rotated', 'low']]);
    im([photo, '-crop', '560x420+120+90', '+repage', join(dir, 'cropped.jpg')]);
    assert.deepEqual((await signalsOf('jpeg', join(dir, 'cropped.jpg'))).signals.map((s) => [s.code, s.severity]), [['thumbnail-cropped', 'low']]);
    im([photo, '-fill', 'black', '-draw', 'rectangle 80,80 420,380', join(dir, 'painted.jpg')]);
    const painted = (await signalsOf('jpeg', join(dir, 'painted.jpg'))).signals;
    assert.deepEqual(painted.map((s) => [s.code, s.severity]), [['thumbnail-mismatch', 'high']]);
    assert.match(painted[0]!.message, /does not show the same picture as the photo itself/);
  });

  it('reads dates ExifTool shifted, without contradiction', async () => {
    run('exiftool', ['-q', '-overwrite_original', '-AllDates+=0:0:1 2:00:00', photo], dir);
    const { facts, signals } = await signalsOf('jpeg', photo);
    assert.equal((facts as { dates: { original: string } }).dates.original, '2016-05-04T12:00:00');
    assert.deepEqual(signals, []);
  });
});
