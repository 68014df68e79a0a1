/**
 * Makes the files that travel with the mail: Word, Excel, PDF (text or scanned) and camera JPEGs
 * with metadata consistent with their sender, plus the "altered copies" a forger would plant.
 * Pictures come from a small pool of encoded scans, each file made distinct by its own Exif block
 * or PDF Info, so that thousands of photos cost a dozen encodes.
 */
import { createHash } from 'node:crypto';
import type { Organisation, Person } from './cast.ts';
import { displayName } from './cast.ts';
import { fillTemplate } from './compose-text.ts';
import type { SlotContext } from './compose-text.ts';
import { zoneOffsetMinutes } from './date-format.ts';
import { buildDocx } from './docx-build.ts';
import type { DocxOptions } from './docx-build.ts';
import { buildJpeg, encodePicture } from './jpeg-build.ts';
import type { ExifInfo, JpegScan } from './jpeg-build.ts';
import { buildPdf } from './pdf-build.ts';
import type { PdfOptions } from './pdf-build.ts';
import { DOCUMENT_TITLES, PARAGRAPHS } from './phrases.ts';
import type { Lang } from './phrases.ts';
import { Prng, hashSeed } from './prng.ts';
import { buildXlsx } from './xlsx-build.ts';
import type { XlsxCell, XlsxOptions } from './xlsx-build.ts';

/** File kinds the factory makes. */
export type FileKind = 'docx' | 'xlsx' | 'pdf' | 'jpg';

export const CONTENT_TYPES: Record<FileKind, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
};

/** A generated file and enough of its recipe to make an altered copy later. */
export interface GeneratedFile {
  kind: FileKind;
  filename: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
  recipe?: { kind: 'docx'; opts: DocxOptions } | { kind: 'xlsx'; opts: XlsxOptions } | { kind: 'pdf'; opts: PdfOptions };
}

/** Photo sizes of the pool (camera and phone pictures scaled down to keep troves small). */
const PHOTO_SIZES: [number, number][] = [
  [800, 600],
  [1024, 768],
  [640, 480],
  [768, 1024],
  [960, 720],
];
const PHOTO_POOL = 10;
/** Encoder settings tuned so photos average ~65 KB: 20,000 messages come to ~500 MB. */
const PHOTO_QUALITY = 78;
const PHOTO_GRAIN = 8;
const SCAN_QUALITY = 50;
const SCAN_POOL = 4;
/** Scanned A4 page at 75 dpi. */
const SCAN_SIZE: [number, number] = [620, 877];

const CAMERAS: Omit<ExifInfo, 'taken' | 'offsetMinutes'>[] = [
  { make: 'Apple', model: 'iPhone 6s', software: '10.2.1', fNumber: [22, 10], focalLength: [415, 100] },
  { make: 'Apple', model: 'iPhone 7', software: '10.3.1', fNumber: [18, 10], focalLength: [399, 100] },
  { make: 'samsung', model: 'SM-G930F', software: 'G930FXXU1BQB3', littleEndian: true, fNumber: [17, 10], focalLength: [420, 100] },
  { make: 'Canon', model: 'Canon EOS 750D', littleEndian: true, fNumber: [56, 10], focalLength: [3500, 100], artist: '' },
  { make: 'NIKON CORPORATION', model: 'NIKON D3300', software: 'Ver.1.00 ', littleEndian: false, fNumber: [80, 10], focalLength: [180, 10] },
];

/** Who signs altered copies in the forged documents (the 2017 leak's fakes carried Cyrillic editor names). */
const FORGER_NAMES = ['Рошка Георгий Петрович', 'Admin', 'Пользователь'];

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Office-style file name from a title: accents kept (mailers encode them), unsafe characters dropped. */
function fileName(title: string, ext: string, prng: Prng): string {
  const base = title.replace(/[/\\:*?"<>|#–—«»]/g, ' ').replace(/\s+/g, ' ').trim();
  if (prng.chance(0.3)) {
    const ascii = base.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
    return `${ascii}.${ext}`;
  }
  return `${base}.${ext}`;
}

/** Encoded pictures by seed, shared by every factory of the process (a dozen per seed, ~1 MB). */
const pictureCache = new Map<number, { photos: Map<number, JpegScan>; scans: Map<number, JpegScan> }>();

/** Makes attachment and loose files; keeps the picture pool and nothing else between calls. */
export class AttachmentFactory {
  private readonly seed: number;
  private readonly photos: Map<number, JpegScan>;
  private readonly scans: Map<number, JpegScan>;

  constructor(seed: number) {
    this.seed = seed;
    let pool = pictureCache.get(seed);
    if (!pool) {
      pool = { photos: new Map(), scans: new Map() };
      pictureCache.set(seed, pool);
    }
    this.photos = pool.photos;
    this.scans = pool.scans;
  }

  private photo(i: number): JpegScan {
    let scan = this.photos.get(i);
    if (!scan) {
      const [w, h] = PHOTO_SIZES[i % PHOTO_SIZES.length] as [number, number];
      scan = encodePicture('photo', w, h, hashSeed(this.seed, 'photo', i), PHOTO_QUALITY, PHOTO_GRAIN);
      this.photos.set(i, scan);
    }
    return scan;
  }

  private scan(i: number): JpegScan {
    let scan = this.scans.get(i);
    if (!scan) {
      scan = encodePicture('scan', SCAN_SIZE[0], SCAN_SIZE[1], hashSeed(this.seed, 'scan', i), SCAN_QUALITY);
      this.scans.set(i, scan);
    }
    return scan;
  }

  /** A new file of `kind` written by `author` (of `org`) around instant `date`. */
  async make(kind: FileKind, prng: Prng, ctx: SlotContext & { author: Person; editor: Person; org: Organisation }): Promise<GeneratedFile> {
    const lang: Lang = ctx.lang === 'ru' ? 'ru' : ctx.lang;
    const title = fillTemplate(prng.pick(DOCUMENT_TITLES[lang]), prng, ctx);
    const created = ctx.date - prng.int(1, 60 * 24 * 45) * 60_000;
    const modified = Math.min(ctx.date - prng.int(2, 60 * 24 * 2) * 60_000, ctx.date);
    const offset = zoneOffsetMinutes(ctx.author.zone, modified);
    const paragraphs = (n: number): string[] => {
      const out: string[] = [];
      while (out.length < n) out.push(...prng.sample(PARAGRAPHS[lang], Math.min(n - out.length, PARAGRAPHS[lang].length)).map((t) => fillTemplate(t, prng, ctx)));
      return out;
    };
    switch (kind) {
      case 'docx': {
        const withImage = prng.chance(0.12);
        const image = withImage ? this.photo(prng.int(0, PHOTO_POOL - 1)) : undefined;
        const opts: DocxOptions = {
          title,
          creator: displayName(ctx.author),
          lastModifiedBy: displayName(ctx.editor),
          revision: prng.int(1, 24),
          created,
          modified: Math.max(modified, created + 60_000),
          ...ctx.org.wordApp,
          company: ctx.org.name || undefined,
          template: 'Normal.dotm',
          // Word counts editing time while the file is open: never more than its life so far.
          totalTimeMinutes: Math.min(prng.int(1, 240), Math.max(1, Math.floor((Math.max(modified, created + 60_000) - created) / 60_000))),
          language: lang === 'fr' ? 'fr-FR' : lang === 'ru' ? 'ru-RU' : 'en-US',
          paragraphs: [{ text: title, style: 'Title' }, ...paragraphs(prng.int(4, 36))],
          image: image ? { jpeg: buildJpeg({ scan: image, exif: null }), widthPx: 480, heightPx: Math.round((480 * image.height) / image.width) } : undefined,
        };
        const bytes = await buildDocx(opts);
        return { kind, filename: fileName(title, 'docx', prng), contentType: CONTENT_TYPES.docx, bytes, sha256: sha256(bytes), recipe: { kind, opts } };
      }
      case 'xlsx': {
        const labels = lang === 'fr' ? ['Location salle', 'Sonorisation', 'Traiteur', 'Impression tracts', 'Transport', 'Hébergement', 'Sécurité', 'Communication', 'Frais bancaires', 'Divers'] : ['Venue', 'Audio-visual', 'Catering', 'Printing', 'Travel', 'Hotel', 'Security', 'Marketing', 'Bank fees', 'Misc.'];
        const months = prng.int(1, 6);
        const rows: XlsxCell[][] = [[lang === 'fr' ? 'Poste' : 'Item', ...Array.from({ length: months }, (_, m) => (lang === 'fr' ? `Mois ${m + 1}` : `Month ${m + 1}`)), 'Total']];
        const n = prng.int(8, 120);
        for (let r = 0; r < n; r++) {
          const values = Array.from({ length: months }, () => prng.int(0, 400000) / 100);
          const rowNo = r + 2;
          rows.push([`${prng.pick(labels)} ${fillTemplate(prng.pick(['{ville}', '{mois}', '{n}', '']), prng, ctx)}`.trim(), ...values, { formula: `SUM(B${rowNo}:${String.fromCharCode(65 + months)}${rowNo})`, value: Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100 }]);
        }
        const opts: XlsxOptions = {
          title,
          creator: displayName(ctx.author),
          lastModifiedBy: displayName(ctx.editor),
          created,
          modified: Math.max(modified, created + 60_000),
          ...ctx.org.excelApp,
          company: ctx.org.name || undefined,
          sheets: [{ name: lang === 'fr' ? 'Budget' : 'Budget', rows }, ...(prng.chance(0.3) ? [{ name: lang === 'fr' ? 'Hypothèses' : 'Assumptions', rows: [[title], ...paragraphs(3).map((p) => [p])] }] : [])],
        };
        const bytes = await buildXlsx(opts);
        return { kind, filename: fileName(title, 'xlsx', prng), contentType: CONTENT_TYPES.xlsx, bytes, sha256: sha256(bytes), recipe: { kind, opts } };
      }
      case 'pdf': {
        const scanned = prng.chance(0.15);
        let opts: PdfOptions;
        if (scanned) {
          const pages = Array.from({ length: prng.int(1, 2) }, () => {
            const s = this.scan(prng.int(0, SCAN_POOL - 1));
            return { jpeg: buildJpeg({ scan: s, exif: null }), widthPx: s.width, heightPx: s.height };
          });
          opts = { creator: 'Canon iR-ADV C5235  PDF', producer: 'Adobe PSL 1.2e for Canon', created: modified, modified, offsetMinutes: offset, pages };
        } else {
          const lines: string[] = [title];
          for (const p of paragraphs(prng.int(3, 30))) {
            // Wrap at ~90 characters per line, as the page is laid out in 11 pt Helvetica.
            let rest = p;
            while (rest.length > 90) {
              const cut = rest.lastIndexOf(' ', 90);
              lines.push(rest.slice(0, cut > 0 ? cut : 90));
              rest = rest.slice(cut > 0 ? cut + 1 : 90);
            }
            lines.push(rest, '');
          }
          const pages: { lines: string[] }[] = [];
          for (let i = 0; i < lines.length; i += 50) pages.push({ lines: lines.slice(i, i + 50) });
          opts = { title, author: displayName(ctx.author), ...ctx.org.pdf, created, modified: Math.max(modified, created + 60_000), offsetMinutes: offset, pages };
        }
        const bytes = buildPdf(opts);
        return { kind, filename: scanned ? `${ctx.lang === 'fr' ? 'Numérisation' : 'Scan'}_${prng.int(1000, 9999)}.pdf` : fileName(title, 'pdf', prng), contentType: CONTENT_TYPES.pdf, bytes, sha256: sha256(bytes), recipe: { kind, opts } };
      }
      case 'jpg': {
        const camera = prng.pick(CAMERAS);
        const taken = ctx.date - prng.int(1, 60 * 24 * 10) * 60_000;
        const exif: ExifInfo = {
          ...camera,
          taken,
          offsetMinutes: zoneOffsetMinutes(ctx.author.zone, taken),
          exposure: [1, prng.pick([30, 60, 125, 250, 500])],
          iso: prng.pick([50, 100, 200, 400, 800]),
          gps: camera.make === 'Apple' && prng.chance(0.6) ? { lat: 43 + prng.next() * 7, lon: -1 + prng.next() * 8 } : undefined,
        };
        if (camera.make === 'Canon') exif.artist = displayName(ctx.author);
        const bytes = buildJpeg({ scan: this.photo(prng.int(0, PHOTO_POOL - 1)), exif });
        const filename = camera.make === 'Apple' ? `IMG_${prng.int(1000, 9999)}.JPG` : camera.make === 'samsung' ? `${new Date(taken).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_')}.jpg` : `DSC_${String(prng.int(1, 9999)).padStart(4, '0')}.JPG`;
        return { kind, filename, contentType: CONTENT_TYPES.jpg, bytes, sha256: sha256(bytes) };
      }
    }
  }

  /**
   * A forged near-copy of `file`: one passage changed, saved later by someone else with other
   * software, as in planted leak documents. Null for kinds without a recipe (photos).
   */
  async alter(file: GeneratedFile, prng: Prng, leakDate: number): Promise<GeneratedFile | null> {
    const recipe = file.recipe;
    if (!recipe) return null;
    const editor = prng.pick(FORGER_NAMES);
    const modified = leakDate - prng.int(0, 60 * 24 * 3) * 60_000;
    let bytes: Buffer;
    if (recipe.kind === 'docx') {
      const paragraphs = recipe.opts.paragraphs.slice();
      const i = paragraphs.length > 1 ? prng.int(1, paragraphs.length - 1) : 0;
      const p = paragraphs[i];
      const text = typeof p === 'string' ? p : (p?.text ?? '');
      paragraphs[i] = text.replace(/\d+/, (d) => String(Number(d) * 10 + 7)) + ' Ce point doit rester strictement confidentiel.';
      bytes = await buildDocx({ ...recipe.opts, paragraphs, lastModifiedBy: editor, modified, revision: (recipe.opts.revision ?? 1) + 1, appVersion: '12.0000' });
    } else if (recipe.kind === 'xlsx') {
      const sheets = recipe.opts.sheets.map((s, k) =>
        k === 0 ? { ...s, rows: s.rows.map((r, ri) => (ri === 1 ? r.map((c) => (typeof c === 'number' ? Math.round(c * 13) / 10 : c)) : r)) } : s,
      );
      bytes = await buildXlsx({ ...recipe.opts, sheets, lastModifiedBy: editor, modified, appVersion: '12.0000' });
    } else {
      const pages = recipe.opts.pages.map((pg, k) => (k === 0 && 'lines' in pg ? { lines: [...pg.lines, 'Versement complémentaire : 150 000 € (espèces).'] } : pg));
      bytes = buildPdf({ ...recipe.opts, pages, author: editor, producer: 'PDFsharp 1.32.2608-g (www.pdfsharp.net)', modified });
    }
    return { ...file, bytes, sha256: sha256(bytes), recipe: undefined };
  }
}

/** Derive a per-purpose stream for the factory without disturbing the message stream. */
export function factoryPrng(seed: number, index: number, k: number): Prng {
  return new Prng(hashSeed(seed, 'attachment', index, k));
}
