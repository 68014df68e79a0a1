/**
 * Planted forgeries for the forensics benchmark (`generateTrove(..., { forgeries: true })`): loose
 * documents whose own metadata betrays them, one class per forensic signal, among at least as many
 * genuine loose documents with ordinary metadata and the ordinary quirks of real files (a document
 * updated years after it was created, a French Excel with an English author, a file converted by
 * LibreOffice, a PDF printed from Word, a comment or a signature added to a PDF later, a photo
 * whose camera thumbnail was turned).
 *
 * Office documents are planted both as OOXML (docx, xlsx) and in the legacy OLE2 formats (doc, xls,
 * ppt; ole2-build.ts), whose metadata sits in property sets: among the fakes, a spreadsheet like the
 * planted ones of the 2017 Macron leak (a Russian Excel on a Cyrillic code page, last saved by
 * "Рошка Георгий Петрович"), Word files saved before they were created, edited longer than they
 * existed, saved by a Word that did not exist yet or by a Russian Word; among the genuine ones, old
 * Word 2003 files brought up to date, a French Excel 2003 workbook by English speakers, a .doc
 * written by LibreOffice and a French PowerPoint deck.
 *
 * Each planted document carries its ground truth: `forgery: { signal, how }` (the signal code
 * forensics should raise) or `forgery: null` for the genuine ones. Everything comes from a PRNG
 * stream of its own, so the rest of the trove is the same with or without plants.
 */
import { createHash } from 'node:crypto';
import { CONTENT_TYPES, factoryPrng, type AttachmentFactory, type FileKind } from './attachment-factory.ts';
import { displayName, MAILBOX_OWNERS, ORGANISATIONS, PEOPLE, type Person } from './cast.ts';
import { CORPUS_START, LEAK_DATE } from './correspondence.ts';
import { zoneOffsetMinutes } from './date-format.ts';
import { buildDocx, type DocxOptions } from './docx-build.ts';
import { buildJpeg, encodeWithThumbnail, type ExifInfo } from './jpeg-build.ts';
import { buildLegacyOffice, type ExcelVersion, type PropertyInput, type WordVersion } from './ole2-build.ts';
import { appendPdfRevision, buildPdf, type PdfOptions } from './pdf-build.ts';
import { Prng, hashSeed } from './prng.ts';
import { buildXlsx, type XlsxOptions } from './xlsx-build.ts';

/** Ground truth of a planted document. */
export interface ForgeryTruth {
  /** The forensic signal code that should be raised. */
  signal: string;
  /** What was done, in words. */
  how: string;
}

/** What is planted: the factory's kinds, and legacy Office files. */
export type PlantedKind = FileKind | 'doc' | 'xls' | 'ppt';

const LEGACY_CONTENT_TYPES = { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' } as const;

export interface PlantedDocument {
  filename: string;
  kind: PlantedKind;
  contentType: string;
  bytes: Buffer;
  sha256: string;
  forgery: ForgeryTruth | null;
}

/** The signal classes planted, in order. */
export const PLANTED_SIGNALS = [
  'modified-before-created',
  'edit-time-exceeds-span',
  'xmp-info-mismatch',
  'thumbnail-mismatch',
  'tracked-change-after-save',
  'date-after-cutoff',
  'software-anachronism',
  'font-anachronism',
  'foreign-script-author',
  'foreign-language-tool',
  'foreign-timezone',
  'editing-burst',
  'pdf-content-revised',
  'pdf-metadata-revised',
] as const;

/** Bumped when the plants change (2: legacy Office files); benchmarks key their cached corpora on it. */
export const PLANTS_VERSION = 2;

/** Planted fakes per signal class for a trove of `messages` messages. */
export function fakesPerClass(messages: number): number {
  return Math.max(3, Math.ceil(messages / 150));
}

/** The smallest burst planted. */
const BURST_FILES = 5;
/** Genuine loose documents planted per fake: at least one. */
const GENUINE_PER_FAKE = 1.5;
/** Editors of planted fakes with a foreign-script name: nobody in the cast. */
const FOREIGN_NAMES = ['Рошка Георгий Петрович', 'Кузнецов Андрей Викторович', 'Соколова Марина Игоревна', 'Волков Д. С.', 'Морозов Игорь Николаевич'];
/** Time zones no one in the cast writes from: Beijing, India, Brasília, Sydney, Dubai. */
const FOREIGN_OFFSETS = [480, 330, -180, 600, 240];
/** Titles of the legacy Office files (they carry no body text trove reads). */
const LEGACY_TITLES = {
  doc: ['Compte rendu de réunion', 'Note de synthèse', 'Procès-verbal du bureau', 'Convention de partenariat', 'Courrier aux adhérents'],
  xls: ['Budget prévisionnel', 'Frais de déplacement', 'Suivi des dépenses', 'Tableau des dons', 'Planning des meetings'],
  ppt: ['Présentation du programme', 'Plan de campagne', 'Bilan du trimestre'],
} as const;
/** Windows language ids ([MS-LCID]). */
const LCID_FRENCH = 0x040c;
const LCID_RUSSIAN = 0x0419;
const LCID_ENGLISH_US = 0x0409;

/** A legacy Office file's metadata, as its plant wants it. */
interface LegacyPlant {
  kind: 'doc' | 'xls' | 'ppt';
  author: string;
  lastAuthor: string;
  created: number;
  saved: number;
  /** Word and PowerPoint record an editing time; Excel does not. */
  editMinutes?: number;
  /** SummaryInformation application name; none for LibreOffice. */
  appName?: string;
  /** DocumentSummaryInformation application version (major). */
  appMajor?: number;
  codepage?: number;
  /** Heading pairs in the application's interface language, with the names of their parts. */
  headings?: { pairs: [string, number][]; titles: string[] };
  word?: { lid: number; version: WordVersion };
  excel?: { version: ExcelVersion; sheets: string[] };
  company?: string;
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Plants the fakes and the genuine documents; deterministic for a seed and message count. */
export async function plantDocuments(seed: number, messages: number, factory: AttachmentFactory): Promise<PlantedDocument[]> {
  const prng = new Prng(hashSeed(seed, 'forensic-plants'));
  const perClass = fakesPerClass(messages);
  const out: PlantedDocument[] = [];
  let serial = 0;
  const staff = MAILBOX_OWNERS;
  const campagne = ORGANISATIONS.find((o) => o.id === 'campagne')!;
  const people = PEOPLE.slice(0, 12);
  const orgNames = ['Acme Conseil', 'Northwind Analytics', 'Globex Events'];
  /** A date inside the trove's own span, well before the leak. */
  const inTrove = (): number => CORPUS_START + Math.floor(prng.next() * (LEAK_DATE - CORPUS_START - 10 * DAY));
  const between = (from: number, to: number): number => from + Math.floor(prng.next() * (to - from));

  /** A base file of `kind` from the attachment factory (title, text, layout), to be rebuilt with other metadata. */
  const base = async (kind: FileKind, author: Person, date: number) => {
    const file = await factory.make(kind, factoryPrng(seed, 0x50000000 + serial++, 2), { lang: 'fr', date, people, orgNames, author, editor: author, org: author.org });
    return file;
  };
  const docx = async (author: Person, date: number, change: (o: DocxOptions) => DocxOptions): Promise<{ bytes: Buffer; filename: string }> => {
    const f = await base('docx', author, date);
    const opts = (f.recipe as { kind: 'docx'; opts: DocxOptions }).opts;
    return { bytes: await buildDocx(change({ ...opts, image: undefined })), filename: f.filename };
  };
  const xlsx = async (author: Person, date: number, change: (o: XlsxOptions) => XlsxOptions): Promise<{ bytes: Buffer; filename: string }> => {
    const f = await base('xlsx', author, date);
    return { bytes: await buildXlsx(change((f.recipe as { kind: 'xlsx'; opts: XlsxOptions }).opts)), filename: f.filename };
  };
  /** A text PDF (never a scan: the factory's scans carry no author). */
  const pdf = async (author: Person, date: number, change: (o: PdfOptions) => PdfOptions): Promise<{ bytes: Buffer; filename: string; opts: PdfOptions }> => {
    for (;;) {
      const f = await base('pdf', author, date);
      const opts = (f.recipe as { kind: 'pdf'; opts: PdfOptions }).opts;
      if (opts.pages.some((p) => 'jpeg' in p)) continue;
      const changed = change(opts);
      return { bytes: buildPdf(changed), filename: f.filename, opts: changed };
    }
  };
  const add = (kind: PlantedKind, made: { bytes: Buffer; filename: string }, forgery: ForgeryTruth | null): void => {
    const contentType = kind === 'doc' || kind === 'xls' || kind === 'ppt' ? LEGACY_CONTENT_TYPES[kind] : CONTENT_TYPES[kind];
    out.push({ filename: made.filename, kind, contentType, bytes: made.bytes, sha256: sha256(made.bytes), forgery });
  };
  /** A .doc, .xls or .ppt file with the metadata its Office (or LibreOffice) writes. */
  const legacy = (o: LegacyPlant): { bytes: Buffer; filename: string } => {
    const title = prng.pick([...LEGACY_TITLES[o.kind]]);
    const words = prng.int(150, 2500);
    const summary: PropertyInput[] = [[2, title], [4, o.author]];
    if (o.kind === 'doc') summary.push([7, 'Normal.dot']);
    summary.push([8, o.lastAuthor]);
    if (o.kind !== 'xls') summary.push([9, String(prng.int(2, 40))], [10, { minutes: o.editMinutes ?? prng.int(5, 120) }]);
    summary.push([12, new Date(o.created)], [13, new Date(o.saved)]);
    if (o.kind === 'doc') summary.push([14, Math.max(1, Math.round(words / 400))], [15, words], [16, words * 6]);
    if (o.appName) summary.push([18, o.appName]);
    summary.push([19, 0]);
    const docSummary: PropertyInput[] = [];
    if (o.headings) docSummary.push([12, { pairs: o.headings.pairs }], [13, { strings: o.headings.titles }]);
    if (o.company) docSummary.push([15, o.company]);
    if (o.appMajor) docSummary.push([23, o.appMajor << 16]);
    const bytes = buildLegacyOffice({ kind: o.kind, codepage: o.codepage ?? 1252, summary, docSummary, ...(o.word ? { word: o.word } : {}), ...(o.excel ? { excel: o.excel } : {}), text: `${title}\r${o.author}, ${new Date(o.saved).toISOString().slice(0, 10)} (${prng.int(1, 1_000_000)})` });
    return { bytes, filename: `${title.replace(/ /g, '_')}_${prng.int(10, 99)}.${o.kind}` };
  };
  /** French Office headings: Word's title, Excel's worksheets, PowerPoint's fonts, theme and slide titles. */
  const frenchHeadings = (kind: 'doc' | 'xls' | 'ppt', sheets: string[]): LegacyPlant['headings'] =>
    kind === 'doc' ? { pairs: [['Titre', 1]], titles: ['Note'] }
    : kind === 'xls' ? { pairs: [['Feuilles de calcul', sheets.length]], titles: sheets }
    : { pairs: [['Polices utilisées', 2], ['Thème', 1], ['Titres des diapositives', 3]], titles: ['Calibri', 'Arial', 'Thème Office', 'Introduction', 'Programme', 'Calendrier'] };
  /** A French Word or Excel 2010 file by a staffer, to be changed by a plant. */
  const officeFile = (kind: 'doc' | 'xls', author: Person, date: number, change: (o: LegacyPlant) => LegacyPlant): { bytes: Buffer; filename: string } => {
    const sheets = ['Feuil1', 'Feuil2'].slice(0, prng.int(1, 2));
    const base: LegacyPlant = {
      kind, author: displayName(author), lastAuthor: displayName(author), created: date - prng.int(1, 40) * DAY, saved: date,
      ...(kind === 'doc' ? { editMinutes: prng.int(10, 240), appName: 'Microsoft Office Word', word: { lid: LCID_FRENCH, version: 2007 as const } } : { appName: 'Microsoft Excel', excel: { version: 2010 as const, sheets } }),
      appMajor: 14, codepage: 1252, headings: frenchHeadings(kind, sheets), company: author.org.name,
    };
    return legacy(change(base));
  };
  const photo = (forge: 'edit' | 'swap' | null, taken: number, person: Person): { bytes: Buffer; filename: string } => {
    const sizes: [number, number][] = [[800, 600], [640, 480], [960, 720], [600, 800]];
    const [w, h] = prng.pick(sizes);
    const pictureSeed = hashSeed(seed, 'plant-photo', serial++);
    const edit = forge === 'edit'
      ? (rgb: Uint8Array, width: number, height: number): void => {
          // A third of the picture painted over with something that stands out from what was there
          // (a person, a sign, a plate added or removed): an edit a viewer would notice.
          const x0 = Math.floor(width * (0.1 + prng.next() * 0.5));
          const y0 = Math.floor(height * (0.1 + prng.next() * 0.5));
          const x1 = Math.min(width, x0 + Math.floor(width / 3));
          const y1 = Math.min(height, y0 + Math.floor(height / 3));
          let sum = 0;
          for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += rgb[(y * width + x) * 3 + 1] as number;
          const mean = sum / ((y1 - y0) * (x1 - x0));
          const shade = mean > 128 ? Math.max(0, mean - prng.int(90, 120)) : Math.min(255, mean + prng.int(90, 120));
          for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) rgb.set([shade, shade, Math.max(0, shade - 10)], (y * width + x) * 3);
        }
      : undefined;
    const pics = encodeWithThumbnail(w, h, pictureSeed, 78, 8, edit, forge === 'swap' ? hashSeed(pictureSeed, 'another photo') : undefined);
    const camera: Omit<ExifInfo, 'taken' | 'offsetMinutes'> = prng.pick([
      { make: 'Canon', model: 'Canon EOS 750D', littleEndian: true },
      { make: 'NIKON CORPORATION', model: 'NIKON D3300', software: 'Ver.1.00 ', littleEndian: false },
      { make: 'Canon', model: 'Canon PowerShot G7 X', littleEndian: true },
    ]);
    const bytes = buildJpeg({ scan: pics.scan, thumbnail: pics.thumbnail, exif: { ...camera, taken, offsetMinutes: zoneOffsetMinutes(person.zone, taken) } });
    return { bytes, filename: `IMG_${prng.int(1000, 9999)}.JPG` };
  };
  const staffer = (): Person => prng.pick(staff);

  // ---- planted fakes, class by class ----
  for (const signal of PLANTED_SIGNALS) {
    const n = perClass;
    if (signal === 'editing-burst') {
      // Groups of six files created years apart, all last saved by one person within four minutes.
      for (let made = 0; made < n; ) {
        const editor = staffer();
        const at = between(CORPUS_START + 60 * DAY, LEAK_DATE - 15 * DAY);
        const size = Math.min(6, Math.max(BURST_FILES, n - made));
        for (let k = 0; k < size; k++, made++) {
          const created = Date.UTC(2010 + k, prng.int(0, 11), prng.int(1, 28), prng.int(8, 18));
          const modified = at + k * prng.int(10, 45) * 1000;
          const how = `one of ${size} files created from ${2010} to ${2010 + size - 1}, all last saved by ${displayName(editor)} within four minutes`;
          if (k % 3 === 0) add('xlsx', await xlsx(editor, at, (o) => ({ ...o, creator: displayName(staffer()), lastModifiedBy: displayName(editor), created, modified })), { signal, how });
          else if (k % 3 === 1) add('docx', await docx(editor, at, (o) => ({ ...o, creator: displayName(staffer()), lastModifiedBy: displayName(editor), created, modified, totalTimeMinutes: prng.int(5, 300) })), { signal, how });
          else add('xls', officeFile('xls', editor, at, (o) => ({ ...o, author: displayName(staffer()), lastAuthor: displayName(editor), created, saved: modified })), { signal, how: `${how} (an Excel .xls)` });
        }
      }
      continue;
    }
    for (let k = 0; k < n; k++) {
      const author = staffer();
      const date = inTrove();
      switch (signal) {
        case 'modified-before-created': {
          const created = date;
          const modified = created - prng.int(30, 600) * DAY;
          const how = `modified date set ${Math.round((created - modified) / DAY)} days before the creation date`;
          const pick = k % 4;
          if (pick === 0) add('docx', await docx(author, date, (o) => ({ ...o, created, modified, totalTimeMinutes: prng.int(5, 60) })), { signal, how });
          else if (pick === 1) add('doc', officeFile('doc', author, date, (o) => ({ ...o, created, saved: modified, editMinutes: prng.int(5, 60) })), { signal, how: `${how} (a Word .doc)` });
          else if (pick === 2) add('pdf', await pdf(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          else add('xlsx', await xlsx(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          break;
        }
        case 'edit-time-exceeds-span': {
          const span = prng.int(5, 300);
          const total = span + prng.int(3000, 30000);
          if (k % 2 === 0) add('docx', await docx(author, date, (o) => ({ ...o, created: date - span * MINUTE, modified: date, totalTimeMinutes: total })), { signal, how: `TotalTime set to ${total} minutes for a file created ${span} minutes before its last save` });
          else add('doc', officeFile('doc', author, date, (o) => ({ ...o, created: date - span * MINUTE, saved: date, editMinutes: total })), { signal, how: `a Word .doc whose edit time is ${total} minutes, created ${span} minutes before its last save` });
          break;
        }
        case 'xmp-info-mismatch': {
          const back = prng.int(60, 700) * DAY;
          const how = `Info CreationDate moved ${Math.round(back / DAY)} days back, XMP left as written`;
          add('pdf', await pdf(author, date, (o) => ({ ...o, xmp: { created: o.created, modified: o.modified }, created: o.created - back })), { signal, how });
          break;
        }
        case 'thumbnail-mismatch': {
          const forge = k % 2 === 0 ? 'edit' : 'swap';
          add('jpg', photo(forge, date, author), { signal, how: forge === 'edit' ? 'a third of the photo painted over, the Exif thumbnail of the original kept' : 'the Exif thumbnail of another photo' });
          break;
        }
        case 'tracked-change-after-save': {
          const late = prng.int(3, 60) * DAY;
          add('docx', await docx(author, date, (o) => ({ ...o, trackedChanges: [{ author: displayName(staffer()), date: o.modified + late, text: 'Montant révisé après validation.' }] })), { signal, how: `a tracked change dated ${Math.round(late / DAY)} days after the last save` });
          break;
        }
        case 'date-after-cutoff': {
          const modified = LEAK_DATE + prng.int(3, 90) * DAY;
          const created = modified - prng.int(1, 200) * DAY;
          const how = `last saved ${Math.round((modified - LEAK_DATE) / DAY)} days after the leak date`;
          const pick = k % 4;
          if (pick === 0) add('docx', await docx(author, date, (o) => ({ ...o, created, modified, totalTimeMinutes: prng.int(5, 60) })), { signal, how });
          else if (pick === 1) add('xls', officeFile('xls', author, date, (o) => ({ ...o, created, saved: modified })), { signal, how: `${how} (an Excel .xls)` });
          else if (pick === 2) add('pdf', await pdf(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          else add('xlsx', await xlsx(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          break;
        }
        case 'software-anachronism': {
          const pick = k % 5;
          if (pick === 1) {
            const saved = Date.UTC(2005, prng.int(0, 11), prng.int(1, 28), prng.int(8, 18));
            add('doc', officeFile('doc', author, date, (o) => ({ ...o, created: saved - prng.int(1, 60) * DAY, saved, editMinutes: prng.int(10, 90), appMajor: 12 })), { signal, how: 'a .doc dated 2005 whose application version is 12 (Word 2007, released at the end of 2006)' });
          } else if (pick === 0) {
            const modified = Date.UTC(2013, prng.int(5, 11), prng.int(1, 28));
            add('docx', await docx(author, date, (o) => ({ ...o, created: modified - prng.int(1, 30) * DAY, modified, totalTimeMinutes: 20, application: 'Microsoft Office Word', appVersion: '16.0000' })), { signal, how: 'dated 2013 but saved by Word with AppVersion 16 (Office 2016, released 2015)' });
          } else if (pick === 3) {
            const modified = Date.UTC(2014, prng.int(0, 11), prng.int(1, 28));
            add('xlsx', await xlsx(author, date, (o) => ({ ...o, created: modified - prng.int(1, 90) * DAY, modified, application: 'Microsoft Excel', appVersion: '16.0300' })), { signal, how: 'dated 2014 but saved by Excel with AppVersion 16 (Office 2016, released 2015)' });
          } else if (pick === 2) {
            const created = Date.UTC(2014, prng.int(0, 11), prng.int(1, 28));
            add('pdf', await pdf(author, date, (o) => ({ ...o, creator: 'Microsoft® Word 2016', producer: 'Microsoft® Word 2016', created, modified: created + 3600_000 })), { signal, how: 'a PDF from Word 2016 (released 2015) dated 2014' });
          } else {
            const created = Date.UTC(2015, prng.int(0, 5), prng.int(1, 28));
            add('pdf', await pdf(author, date, (o) => ({ ...o, creator: 'Writer', producer: 'LibreOffice 5.3', created, modified: created })), { signal, how: 'a PDF from LibreOffice 5.3 (released 2017) dated 2015' });
          }
          break;
        }
        case 'font-anachronism': {
          const pick = k % 3;
          if (pick === 0) {
            const created = Date.UTC(2005, prng.int(2, 11), prng.int(1, 28));
            add('pdf', await pdf(author, date, (o) => ({ ...o, fontName: 'ABCDEF+Calibri', creator: 'Microsoft Word - note.doc', producer: 'Acrobat Distiller 7.0.5 (Windows)', created, modified: created })), { signal, how: 'a PDF in Calibri (2007) dated 2005' });
          } else {
            const modified = Date.UTC(2011, prng.int(0, 11), prng.int(1, 28));
            const font = pick === 1 ? 'Sitka Text' : 'Segoe UI Emoji';
            add('docx', await docx(author, date, (o) => ({ ...o, created: modified - prng.int(1, 20) * DAY, modified, totalTimeMinutes: 30, appVersion: '14.0000', fonts: ['Calibri', 'Times New Roman', font] })), { signal, how: `a Word 2010 document dated 2011 using ${font} (${pick === 1 ? '2013' : '2012'})` });
          }
          break;
        }
        case 'foreign-script-author': {
          const editor = FOREIGN_NAMES[k % FOREIGN_NAMES.length] as string;
          const how = `last saved by "${editor}", a Cyrillic name no one in the trove has`;
          if (k % 3 === 0) {
            // The Macron-leak spreadsheet: an Excel .xls saved on a Russian Windows (code page 1251) by a Russian Excel.
            add('xls', officeFile('xls', author, date, (o) => ({ ...o, lastAuthor: editor, codepage: 1251, headings: { pairs: [['Листы', 1]], titles: ['Лист1'] }, excel: { version: 2010, sheets: ['Лист1'] } })), { signal, how: `${how}, in an .xls from a Russian Excel on a Cyrillic code page (like the 2017 Macron-leak fakes)` });
          } else if (k % 3 === 1) add('xlsx', await xlsx(author, date, (o) => ({ ...o, lastModifiedBy: editor })), { signal, how });
          else add('docx', await docx(author, date, (o) => ({ ...o, lastModifiedBy: editor })), { signal, how });
          break;
        }
        case 'foreign-language-tool': {
          if (k % 3 === 0) add('xlsx', await xlsx(author, date, (o) => ({ ...o, headingLabel: 'Листы', sheets: o.sheets.map((s, i) => ({ ...s, name: `Лист${i + 1}` })) })), { signal, how: 'saved by a Russian-language Excel (headings "Листы", sheets "Лист1")' });
          else if (k % 3 === 1) add('doc', officeFile('doc', author, date, (o) => ({ ...o, codepage: 1251, word: { lid: LCID_RUSSIAN, version: 2007 }, headings: undefined })), { signal, how: 'a .doc saved by a Russian-language Word (install language 0x0419, code page 1251), no headings' });
          else add('docx', await docx(author, date, (o) => ({ ...o, headingLabel: 'Название' })), { signal, how: 'saved by a Russian-language Word (heading "Название")' });
          break;
        }
        case 'foreign-timezone': {
          const offset = FOREIGN_OFFSETS[k % FOREIGN_OFFSETS.length] as number;
          add('pdf', await pdf(author, date, (o) => ({ ...o, offsetMinutes: offset })), { signal, how: `PDF dates written at UTC${offset >= 0 ? '+' : ''}${offset / 60}` });
          break;
        }
        case 'pdf-content-revised': {
          const made = await pdf(author, date, (o) => ({ ...o, ...campagne.pdf, xmp: {} }));
          const when = made.opts.modified + prng.int(2, 120) * DAY;
          const lines = [made.opts.title ?? 'Note', '', 'Versement complémentaire : 150 000 € (espèces), validé par la direction.'];
          add('pdf', { filename: made.filename, bytes: appendPdfRevision(made.bytes, { kind: 'content', modified: Math.min(when, LEAK_DATE - DAY), producer: 'PDFsharp 1.32.2608-g (www.pdfsharp.net)', lines }) }, { signal, how: 'page 1 redrawn in an incremental update by PDFsharp, weeks after the original' });
          break;
        }
        case 'pdf-metadata-revised': {
          const made = await pdf(author, date, (o) => ({ ...o, ...campagne.pdf }));
          const when = Math.min(made.opts.modified + prng.int(5, 120) * DAY, LEAK_DATE - DAY);
          add('pdf', { filename: made.filename, bytes: appendPdfRevision(made.bytes, { kind: 'metadata', modified: when, producer: 'iText® 5.5.10 ©2000-2016 iText Group NV (AGPL-version)', author: displayName(staffer()) }) }, { signal, how: 'author and producer rewritten in an incremental update by iText, weeks later' });
          break;
        }
      }
    }
  }

  // ---- genuine documents with ordinary metadata and ordinary quirks ----
  const genuine = Math.ceil(out.length * GENUINE_PER_FAKE);
  const english = PEOPLE.filter((p) => p.lang === 'en');
  for (let k = 0; k < genuine; k++) {
    const author = staffer();
    const date = inTrove();
    switch (k % 16) {
      case 0: // an old document brought up to date years later, by someone else
        add('docx', await docx(author, date, (o) => ({ ...o, creator: displayName(staffer()), created: date - prng.int(200, 1500) * DAY, modified: date, totalTimeMinutes: prng.int(30, 900) })), null);
        break;
      case 1: // a French Excel with an English-speaking author
        add('xlsx', await xlsx(author, date, (o) => ({ ...o, creator: displayName(prng.pick(english)), lastModifiedBy: displayName(prng.pick(english)) })), null);
        break;
      case 2: // converted by LibreOffice (its dates kept, its own fonts, no headings)
        add('docx', await docx(author, date, (o) => ({ ...o, application: 'LibreOffice/5.0.3.2$Windows_X86_64 LibreOffice_project/e5f16313668ac592c1bfb310f4390624e3dbfb75', appVersion: undefined, fonts: ['Liberation Serif', 'Liberation Sans', 'Calibri', 'Symbol'] })), null);
        break;
      case 3: // a PDF printed from Word, with its XMP packet
        add('pdf', await pdf(author, date, (o) => ({ ...o, ...campagne.pdf, fontName: 'BCDEEE+Calibri', xmp: {} })), null);
        break;
      case 4: { // a comment added to a PDF by Acrobat a few days later
        const made = await pdf(author, date, (o) => ({ ...o, ...campagne.pdf, xmp: {} }));
        add('pdf', { filename: made.filename, bytes: appendPdfRevision(made.bytes, { kind: 'annotation', modified: Math.min(made.opts.modified + prng.int(1, 10) * DAY, LEAK_DATE - DAY), producer: 'Adobe Acrobat Pro DC 15.23', author: displayName(author), updateXmp: made.opts }) }, null);
        break;
      }
      case 5: { // a signed PDF
        const made = await pdf(author, date, (o) => ({ ...o, ...campagne.pdf, xmp: {} }));
        add('pdf', { filename: made.filename, bytes: appendPdfRevision(made.bytes, { kind: 'signature', modified: made.opts.modified + prng.int(1, 48) * 3600_000, updateXmp: made.opts }) }, null);
        break;
      }
      case 6: // a camera photo with its thumbnail
        add('jpg', photo(null, date, author), null);
        break;
      case 7: // tracked changes by colleagues before the last save
        add('docx', await docx(author, date, (o) => ({ ...o, trackedChanges: [{ author: displayName(staffer()), date: o.modified - prng.int(1, 72) * 3600_000, text: 'Précision ajoutée en réunion.' }] })), null);
        break;
      case 8: // an Excel 2010 still in use in 2016-2017
        add('xlsx', await xlsx(author, date, (o) => ({ ...o, application: 'Microsoft Excel', appVersion: '14.0300', created: date - prng.int(30, 900) * DAY })), null);
        break;
      case 9: { // a PDF made on a Mac in New York
        const p = prng.pick(english.filter((x) => x.zone === 'America/New_York'));
        add('pdf', await pdf(p, date, (o) => ({ ...o, creator: 'Word', producer: 'Mac OS X 10.11.6 Quartz PDFContext', offsetMinutes: zoneOffsetMinutes('America/New_York', date) })), null);
        break;
      }
      case 10: // an ordinary Word document
        add('docx', await docx(author, date, (o) => o), null);
        break;
      case 12: // an old Word 2003 .doc brought up to date years later with Word 2010, in its compatibility mode
        add('doc', officeFile('doc', author, date, (o) => ({ ...o, author: displayName(staffer()), created: date - prng.int(400, 2500) * DAY, editMinutes: prng.int(60, 2000) })), null);
        break;
      case 13: { // a French Excel 2003 workbook made and last saved by English speakers
        const sheets = ['Feuil1', 'Feuil2', 'Feuil3'];
        add('xls', legacy({ kind: 'xls', author: displayName(prng.pick(english)), lastAuthor: displayName(prng.pick(english)), created: date - prng.int(30, 900) * DAY, saved: date, appName: 'Microsoft Excel', appMajor: 11, codepage: 1252, headings: frenchHeadings('xls', sheets), excel: { version: 2003, sheets } }), null);
        break;
      }
      case 14: // a .doc written by LibreOffice (UTF-8 property sets, no application name, a Word 97 header in US English)
        add('doc', legacy({ kind: 'doc', author: displayName(author), lastAuthor: displayName(staffer()), created: date - prng.int(1, 200) * DAY, saved: date, editMinutes: prng.int(5, 90), codepage: 65001, word: { lid: LCID_ENGLISH_US, version: 97 } }), null);
        break;
      case 15: // a French PowerPoint 2010 deck
        add('ppt', legacy({ kind: 'ppt', author: displayName(author), lastAuthor: displayName(author), created: date - prng.int(1, 60) * DAY, saved: date, editMinutes: prng.int(30, 600), appName: 'Microsoft Office PowerPoint', appMajor: 14, codepage: 1252, headings: frenchHeadings('ppt', []), company: author.org.name }), null);
        break;
      default: // an ordinary spreadsheet
        add('xlsx', await xlsx(author, date, (o) => o), null);
    }
  }
  // Fakes and genuine documents mixed, in a reproducible order.
  return prng.sample(out, out.length);
}
