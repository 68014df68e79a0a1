/**
 * One shape for what every format's facts claim (readers/*.ts write them format by format): who
 * wrote and last saved the document, when, with what software in which language, in which fonts,
 * with which UTC offsets. The signal rules read profiles only; a format that does not say something
 * leaves it null or empty, and the rules then say nothing about it.
 */
import { CODEPAGE_FAMILIES, LCID_LANGUAGES, languageOfHeading } from './reference/locales.ts';
import type { ImageFacts } from './readers/image-facts.ts';
import type { OdfFacts } from './readers/odf-facts.ts';
import type { Ole2Facts } from './readers/ole2-facts.ts';
import type { ChangeAuthor, OoxmlFacts } from './readers/ooxml-facts.ts';
import type { PdfFacts, PdfInfo } from './readers/pdf-facts.ts';
import type { RtfFacts } from './readers/rtf-facts.ts';
import type { XmpFacts } from './readers/xmp-packet.ts';

/** A date a document claims, as written and as an instant. */
export interface DateClaim {
  /** Where the file says it (`modified`, `PDF ModDate`, `revision 2 ModDate`, `Exif DateTimeOriginal`...). */
  field: string;
  /** As written, in ISO 8601. */
  iso: string;
  /** The instant; a date without a zone is read as UTC, and `zoned` says so. */
  ms: number;
  zoned: boolean;
  /** The UTC offset written with it, in minutes, when there is one. */
  offsetMinutes: number | null;
}

export interface SoftwareClaim {
  /** Where the file names it (`Application`, `PDF Producer`, `revision 2 Producer`...). */
  field: string;
  /** As written; Office application names are followed by their AppVersion (`Microsoft Excel 16.0300`). */
  name: string;
  /** The date it was used at, by this file's own account (the save it wrote). */
  at: DateClaim | null;
}

export interface DocumentProfile {
  format: string;
  reader: string | null;
  /** Who created it (OOXML creator, OLE2 author, ODF initial-creator, PDF Author, Exif Artist). */
  creator: string | null;
  /** Who saved it last (OOXML lastModifiedBy, OLE2 last author, ODF creator, RTF operator). */
  lastModifiedBy: string | null;
  /** Every person the file names, with the role it gives them. */
  names: { role: string; name: string }[];
  created: DateClaim | null;
  modified: DateClaim | null;
  printed: DateClaim | null;
  /** Every date the document claims for itself (for the trove's cutoff). */
  dates: DateClaim[];
  /** Total editing time, in minutes. */
  editMinutes: number | null;
  software: SoftwareClaim[];
  fonts: string[];
  /** The language of the software's user interface, and what says so. */
  toolLanguage: { language: string; evidence: string } | null;
  /** The locale family of the Windows code page the file was written with (`Cyrillic`). */
  codepage: { family: string; codepage: number } | null;
  /** Non-zero UTC offsets written in the document's own dates. */
  zoneOffsets: { field: string; minutes: number }[];
  pdf: PdfFacts | null;
  image: ImageFacts | null;
  trackedChanges: ChangeAuthor[];
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A date claim from an ISO 8601 string, or null when it is not one (or is an implausible year). */
export function dateClaim(field: string, iso: unknown): DateClaim | null {
  if (typeof iso !== 'string') return null;
  const m = ISO.exec(iso.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  // Dates before personal computers are placeholders (`1601-01-01`, `1899-12-30`), not claims.
  if (+y! < 1980 || +y! > 2100) return null;
  let offset: number | null = null;
  if (zone && zone !== 'Z') {
    const z = zone.replace(':', '');
    offset = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  } else if (zone === 'Z') offset = 0;
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  if (!Number.isFinite(local)) return null;
  return { field, iso: iso.trim(), ms: local - (offset ?? 0) * 60_000, zoned: zone !== undefined, offsetMinutes: zone && zone !== 'Z' ? offset : null };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** A profile that claims nothing (the start of every reader's profile; handy in tests). */
export function emptyProfile(format: string, reader: string | null = null): DocumentProfile {
  return {
    format, reader, creator: null, lastModifiedBy: null, names: [], created: null, modified: null, printed: null, dates: [],
    editMinutes: null, software: [], fonts: [], toolLanguage: null, codepage: null, zoneOffsets: [], pdf: null, image: null, trackedChanges: [],
  };
}

/** Office names its applications and versions apart; joined as the reference table expects. */
function officeSoftware(application: unknown, version: unknown): string | null {
  const app = str(application);
  if (!app) return null;
  const v = str(version);
  // Word 97 to 2002 put their version in the name itself (`Microsoft Word 9.0`): nothing to add.
  return /^Microsoft/.test(app) && v && !/ \d+\.\d+$/.test(app) ? `${app} ${v}` : app;
}

function addName(p: DocumentProfile, role: string, name: unknown): void {
  const n = str(name);
  if (n && p.names.length < 200) p.names.push({ role, name: n });
}

function addDate(p: DocumentProfile, c: DateClaim | null): DateClaim | null {
  if (c) {
    p.dates.push(c);
    if (c.offsetMinutes !== null && c.offsetMinutes !== 0) p.zoneOffsets.push({ field: c.field, minutes: c.offsetMinutes });
  }
  return c;
}

function headingsLanguage(headings: string[], what: string): DocumentProfile['toolLanguage'] {
  for (const h of headings) {
    const language = languageOfHeading(h);
    if (language) return { language, evidence: `${what} "${h}"` };
  }
  return null;
}

function fromOoxml(p: DocumentProfile, f: OoxmlFacts): void {
  const m = f.properties;
  p.creator = str(m.creator);
  p.lastModifiedBy = str(m.lastModifiedBy);
  addName(p, 'creator', m.creator);
  addName(p, 'last modified by', m.lastModifiedBy);
  p.created = addDate(p, dateClaim('created', m.created));
  p.modified = addDate(p, dateClaim('modified', m.modified));
  p.printed = addDate(p, dateClaim('last printed', m.lastPrinted));
  p.editMinutes = typeof m.TotalTime === 'number' ? m.TotalTime : null;
  const app = officeSoftware(m.Application, m.AppVersion);
  if (app) p.software.push({ field: 'Application', name: app, at: p.modified ?? p.created });
  p.fonts = [...new Set([...f.fonts, ...f.themeFonts])];
  // Only Office localises the headings; LibreOffice writes none.
  p.toolLanguage = headingsLanguage(f.headingPairs, 'the document statistics heading');
  for (const a of f.trackedChanges.authors) {
    addName(p, 'tracked change', a.name);
    addDate(p, dateClaim(`tracked change by ${a.name}`, a.last));
  }
  for (const a of f.comments.authors) addName(p, 'comment', a.name);
  p.trackedChanges = f.trackedChanges.authors;
}

function fromOle2(p: DocumentProfile, f: Ole2Facts): void {
  const s = f.summary;
  p.creator = str(s.author);
  p.lastModifiedBy = str(s.lastAuthor);
  addName(p, 'author', s.author);
  addName(p, 'last saved by', s.lastAuthor);
  p.created = addDate(p, dateClaim('created', s.created));
  p.modified = addDate(p, dateClaim('last saved', s.lastSaved));
  p.printed = addDate(p, dateClaim('last printed', s.lastPrinted));
  p.editMinutes = typeof s.editMinutes === 'number' ? s.editMinutes : null;
  const app = officeSoftware(s.appName, f.documentSummary.appVersion);
  if (app) p.software.push({ field: 'application name', name: app, at: p.modified ?? p.created });
  p.toolLanguage = headingsLanguage(f.headingPairs, 'the document statistics heading');
  // Word's install language is trustworthy only from Word itself (LibreOffice writes 1033 whatever its language).
  if (!p.toolLanguage && f.word && f.word.nFibNew !== null && /^Microsoft/.test(String(s.appName ?? ''))) {
    const language = LCID_LANGUAGES[f.word.lid & 0x3ff];
    if (language) p.toolLanguage = { language, evidence: `the install language of Word (language id 0x${f.word.lid.toString(16).padStart(4, '0')})` };
  }
  const family = f.codepage === null ? undefined : CODEPAGE_FAMILIES[f.codepage];
  if (family && f.codepage !== null) p.codepage = { family, codepage: f.codepage };
}

function fromOdf(p: DocumentProfile, f: OdfFacts): void {
  const m = f.meta;
  p.creator = str(m['initial-creator']);
  p.lastModifiedBy = str(m.creator);
  addName(p, 'initial creator', m['initial-creator']);
  addName(p, 'last saved by', m.creator);
  addName(p, 'printed by', m['printed-by']);
  p.created = addDate(p, dateClaim('creation date', m['creation-date']));
  p.modified = addDate(p, dateClaim('date', m.date));
  p.printed = addDate(p, dateClaim('print date', m['print-date']));
  p.editMinutes = f.editingMinutes;
  if (m.generator) p.software.push({ field: 'generator', name: m.generator, at: p.modified ?? p.created });
  p.fonts = f.fonts;
  for (const a of f.trackedChanges.authors) {
    addName(p, 'tracked change', a.name);
    addDate(p, dateClaim(`tracked change by ${a.name}`, a.last));
  }
  p.trackedChanges = f.trackedChanges.authors;
}

function fromXmp(p: DocumentProfile, x: XmpFacts | null, label: string): void {
  if (!x) return;
  for (const field of ['CreateDate', 'ModifyDate', 'MetadataDate']) addDate(p, dateClaim(`${label} ${field}`, x.properties[field]));
  for (const ev of x.history) addDate(p, dateClaim(`${label} history (${ev.action ?? 'event'})`, ev.when));
}

function fromPdf(p: DocumentProfile, f: PdfFacts): void {
  const info: PdfInfo = f.info ?? {};
  p.pdf = f;
  p.creator = str(info.Author) ?? str(f.xmp?.arrays.creator?.[0]);
  addName(p, 'author', info.Author);
  addName(p, 'XMP creator', f.xmp?.arrays.creator?.[0]);
  p.created = addDate(p, dateClaim('CreationDate', info.created)) ?? dateClaim('XMP CreateDate', f.xmp?.properties.CreateDate);
  p.modified = addDate(p, dateClaim('ModDate', info.modified)) ?? dateClaim('XMP ModifyDate', f.xmp?.properties.ModifyDate);
  fromXmp(p, f.xmp, 'XMP');
  const at = p.modified ?? p.created;
  if (info.Producer) p.software.push({ field: 'Producer', name: info.Producer, at });
  if (info.Creator) p.software.push({ field: 'Creator', name: info.Creator, at: p.created ?? at });
  const x = f.xmp?.properties;
  if (x?.Producer && x.Producer !== info.Producer) p.software.push({ field: 'XMP Producer', name: x.Producer, at: dateClaim('XMP ModifyDate', x.ModifyDate) ?? at });
  if (x?.CreatorTool && x.CreatorTool !== info.Creator) p.software.push({ field: 'XMP CreatorTool', name: x.CreatorTool, at: dateClaim('XMP CreateDate', x.CreateDate) ?? p.created ?? at });
  for (const r of f.revisions) {
    if (!r.info || f.revisions.length < 2) continue;
    const when = addDate(p, dateClaim(`revision ${r.number} ModDate`, r.info.modified)) ?? dateClaim(`revision ${r.number} CreationDate`, r.info.created);
    if (r.info.Producer) p.software.push({ field: `revision ${r.number} Producer`, name: r.info.Producer, at: when });
  }
  p.fonts = f.fonts;
}

function fromImage(p: DocumentProfile, f: ImageFacts): void {
  p.image = f;
  const e = f.exif;
  addName(p, 'Exif Artist', e?.ifd0.Artist);
  addName(p, 'Exif camera owner', e?.exif.CameraOwnerName);
  p.creator = str(e?.ifd0.Artist) ?? str(f.xmp?.arrays.creator?.[0]);
  p.created = addDate(p, dateClaim('Exif DateTimeOriginal', f.dates.original));
  addDate(p, dateClaim('Exif DateTimeDigitized', f.dates.digitized));
  p.modified = addDate(p, dateClaim('Exif DateTime (modified)', f.dates.modified));
  fromXmp(p, f.xmp, 'XMP');
  const sw = str(e?.ifd0.Software);
  if (sw) p.software.push({ field: 'Exif Software', name: sw, at: p.modified ?? p.created });
  const tool = str(f.xmp?.properties.CreatorTool);
  if (tool && tool !== sw) p.software.push({ field: 'XMP CreatorTool', name: tool, at: dateClaim('XMP ModifyDate', f.xmp?.properties.ModifyDate) ?? p.modified ?? p.created });
  for (const ev of f.xmp?.history ?? []) {
    if (ev.softwareAgent && p.software.length < 50) p.software.push({ field: `XMP history (${ev.action ?? 'event'})`, name: ev.softwareAgent, at: dateClaim('XMP history', ev.when) });
  }
  // Exif dates carry no zone; the GPS time stamp is UTC, so the difference is the camera's offset.
  if (f.dates.original && f.dates.gps && !/[+-]\d\d:\d\d$/.test(f.dates.original)) {
    const local = dateClaim('x', f.dates.original);
    const utc = dateClaim('x', f.dates.gps);
    if (local && utc) {
      const minutes = Math.round((local.ms - utc.ms) / 900_000) * 15;
      if (Math.abs(minutes) <= 14 * 60 && minutes !== 0) p.zoneOffsets.push({ field: 'Exif time against GPS time', minutes });
    }
  }
}

function fromRtf(p: DocumentProfile, f: RtfFacts): void {
  const i = f.info;
  p.creator = str(i.author);
  p.lastModifiedBy = str(i.operator);
  addName(p, 'author', i.author);
  addName(p, 'operator (last editor)', i.operator);
  p.created = addDate(p, dateClaim('creatim', i.creatim));
  p.modified = addDate(p, dateClaim('revtim', i.revtim));
  p.printed = addDate(p, dateClaim('printim', i.printim));
  p.editMinutes = typeof i.edmins === 'number' ? i.edmins : null;
  if (f.generator) p.software.push({ field: 'generator', name: f.generator, at: p.modified ?? p.created });
  p.fonts = f.fonts;
  const family = f.codepage === null ? undefined : CODEPAGE_FAMILIES[f.codepage];
  if (family && f.codepage !== null) p.codepage = { family, codepage: f.codepage };
}

/** The profile of a document from its stored facts (null facts give an empty profile). */
export function profileOf(format: string, facts: Record<string, unknown> | null): DocumentProfile {
  const reader = typeof facts?.reader === 'string' ? facts.reader : null;
  const p = emptyProfile(format, reader);
  if (!facts || facts.unreadable) return p;
  switch (reader) {
    case 'ooxml':
      fromOoxml(p, facts as unknown as OoxmlFacts);
      break;
    case 'ole2':
      fromOle2(p, facts as unknown as Ole2Facts);
      break;
    case 'odf':
      fromOdf(p, facts as unknown as OdfFacts);
      break;
    case 'pdf':
      fromPdf(p, facts as unknown as PdfFacts);
      break;
    case 'image':
      fromImage(p, facts as unknown as ImageFacts);
      break;
    case 'rtf':
      fromRtf(p, facts as unknown as RtfFacts);
      break;
  }
  return p;
}
