/**
 * Planted forgeries for the forensics benchmark (`generateTrove(..., { forgeries: true })`): loose
 * documents whose own metadata betrays them, one class per forensic signal, among at least as many
 * genuine loose documents with ordinary metadata and the ordinary quirks of real files (a document
 * updated years after it was created, a French Excel with an English author, a file converted by
 * LibreOffice, a PDF printed from Word, a comment or a signature added to a PDF later, a photo
 * whose camera thumbnail was turned).
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

export interface PlantedDocument {
  filename: string;
  kind: FileKind;
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
  const add = (kind: FileKind, made: { bytes: Buffer; filename: string }, forgery: ForgeryTruth | null): void => {
    out.push({ filename: made.filename, kind, contentType: CONTENT_TYPES[kind], bytes: made.bytes, sha256: sha256(made.bytes), forgery });
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
          if (k % 2 === 0) add('xlsx', await xlsx(editor, at, (o) => ({ ...o, creator: displayName(staffer()), lastModifiedBy: displayName(editor), created, modified })), { signal, how });
          else add('docx', await docx(editor, at, (o) => ({ ...o, creator: displayName(staffer()), lastModifiedBy: displayName(editor), created, modified, totalTimeMinutes: prng.int(5, 300) })), { signal, how });
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
          const pick = k % 3;
          if (pick === 0) add('docx', await docx(author, date, (o) => ({ ...o, created, modified, totalTimeMinutes: prng.int(5, 60) })), { signal, how });
          else if (pick === 1) add('xlsx', await xlsx(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          else add('pdf', await pdf(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          break;
        }
        case 'edit-time-exceeds-span': {
          const span = prng.int(5, 300);
          const total = span + prng.int(3000, 30000);
          const how = `TotalTime set to ${total} minutes for a file created ${span} minutes before its last save`;
          add('docx', await docx(author, date, (o) => ({ ...o, created: date - span * MINUTE, modified: date, totalTimeMinutes: total })), { signal, how });
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
          const pick = k % 3;
          if (pick === 0) add('docx', await docx(author, date, (o) => ({ ...o, created, modified, totalTimeMinutes: prng.int(5, 60) })), { signal, how });
          else if (pick === 1) add('xlsx', await xlsx(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          else add('pdf', await pdf(author, date, (o) => ({ ...o, created, modified })), { signal, how });
          break;
        }
        case 'software-anachronism': {
          const pick = k % 4;
          if (pick === 0) {
            const modified = Date.UTC(2013, prng.int(5, 11), prng.int(1, 28));
            add('docx', await docx(author, date, (o) => ({ ...o, created: modified - prng.int(1, 30) * DAY, modified, totalTimeMinutes: 20, application: 'Microsoft Office Word', appVersion: '16.0000' })), { signal, how: 'dated 2013 but saved by Word with AppVersion 16 (Office 2016, released 2015)' });
          } else if (pick === 1) {
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
          if (k % 2 === 0) add('xlsx', await xlsx(author, date, (o) => ({ ...o, lastModifiedBy: editor })), { signal, how });
          else add('docx', await docx(author, date, (o) => ({ ...o, lastModifiedBy: editor })), { signal, how });
          break;
        }
        case 'foreign-language-tool': {
          if (k % 2 === 0) add('xlsx', await xlsx(author, date, (o) => ({ ...o, headingLabel: 'Листы', sheets: o.sheets.map((s, i) => ({ ...s, name: `Лист${i + 1}` })) })), { signal, how: 'saved by a Russian-language Excel (headings "Листы", sheets "Лист1")' });
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
    switch (k % 12) {
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
      default: // an ordinary spreadsheet
        add('xlsx', await xlsx(author, date, (o) => o), null);
    }
  }
  // Fakes and genuine documents mixed, in a reproducible order.
  return prng.sample(out, out.length);
}
