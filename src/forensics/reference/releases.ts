/**
 * When software and fonts first became available: the reference table behind the calendar signals
 * (`software-anachronism`, `font-anachronism`). Kept as data, one entry per product version, each
 * with the source of its date. A document cannot have been saved by software, nor set in a font,
 * that did not exist yet.
 *
 * Conventions, all chosen to avoid false alarms:
 * - `released` is the first day anyone outside the maker could get it (business or volume-licence
 *   availability when that came before retail); with `precision: 'year'` or `'month'` only the
 *   year (or month) is known and the date is the first day of it, the earliest it can have been.
 * - `preview` is the first public beta or preview, when there was one. Before it, using the product
 *   is impossible for almost everyone (high severity); between it and `released`, only beta testers
 *   had it (medium). Without a preview, the beta window is taken as BETA_WINDOW_DAYS.
 * - Version strings match the earliest release of a line (`LibreOffice 5.2` is 5.2.0): a later
 *   bug-fix release is then never dated too early.
 * - `match` is tested on the software string as the file writes it (OOXML and OLE2 application
 *   names are followed by their AppVersion: `Microsoft Office Word 16.0000`), or on a font's family
 *   name (see fontKey).
 */

export interface Release {
  kind: 'software' | 'font';
  /** What it is, as a journalist would name it: `Microsoft Office 2016`, `Calibri`. */
  product: string;
  match: RegExp;
  /** YYYY-MM-DD. */
  released: string;
  precision?: 'day' | 'month' | 'year';
  /** YYYY-MM-DD of the first public beta or preview. */
  preview?: string;
  /** Where the date comes from (URL). */
  source: string;
  note?: string;
}

/** Without a known preview, a product is taken to have been in public beta this long before release. */
export const BETA_WINDOW_DAYS = 90;

const WIKI = 'https://en.wikipedia.org/wiki/';
const MS_APPS = '(?:Word|Excel|PowerPoint|Outlook|Visio|Publisher|Project|Access|OneNote)';

/** Microsoft Office for Windows, by the AppVersion its applications write in app.xml / DocumentSummaryInformation. */
const officeWindows = (major: number, product: string, released: string, preview: string | undefined, page: string, note?: string, precision?: 'month'): Release => ({
  kind: 'software',
  product,
  match: new RegExp(`^Microsoft (?:Office )?${MS_APPS} ${major}\\.\\d+$`),
  released,
  ...(precision ? { precision } : {}),
  ...(preview ? { preview } : {}),
  source: `${WIKI}${page}`,
  ...(note ? { note } : {}),
});

/** Microsoft Office for Mac (`Microsoft Macintosh Word 15.0000`). */
const officeMac = (major: number, product: string, released: string, preview: string | undefined, page: string, note?: string): Release => ({
  kind: 'software',
  product,
  match: new RegExp(`^Microsoft Macintosh ${MS_APPS} ${major}\\.\\d+$`),
  released,
  ...(preview ? { preview } : {}),
  source: `${WIKI}${page}`,
  ...(note ? { note } : {}),
});

/** The PDF export of Office (`Microsoft® Word 2016`, `Microsoft® Office Word 2007`). */
const officePdf = (year: string, product: string, released: string, preview: string, page: string): Release => ({
  kind: 'software',
  product: `${product} (its PDF export)`,
  match: new RegExp(`^Microsoft® (?:Office )?${MS_APPS}®? ?${year}\\b`),
  released,
  preview,
  source: `${WIKI}${page}`,
});

/** LibreOffice x.y: `LibreOffice/5.2.3.3$Windows...` (Application, meta:generator) and `LibreOffice 5.2` (PDF Producer). */
const libreOffice = (version: string, released: string): Release => ({
  kind: 'software',
  product: `LibreOffice ${version}`,
  match: new RegExp(`^LibreOffice[/ ]${version.replace('.', '\\.')}(?:[.$ ]|$)`),
  released,
  source: `https://wiki.documentfoundation.org/ReleaseNotes/${version}`,
  note: 'x.y.0 release date; see also https://en.wikipedia.org/wiki/LibreOffice#Release_history',
});

/** OpenOffice.org and Apache OpenOffice: `OpenOffice.org/3.3$Win32...`, `OpenOffice.org 3.3`, `OpenOffice 4.1.5`. */
const openOffice = (version: string, released: string, page: string): Release => ({
  kind: 'software',
  product: `${page === 'Apache_OpenOffice' ? 'Apache OpenOffice' : 'OpenOffice.org'} ${version}`,
  match: new RegExp(`^(?:Apache )?OpenOffice(?:\\.org)?[/ ]${version.replace('.', '\\.')}(?:[.$ ]|$)`),
  released,
  source: `${WIKI}${page}#Release_history`,
});

/** Adobe Acrobat and the PDF tools named after its version: Distiller, PDFMaker, Adobe PDF Library. */
const acrobat = (major: string, product: string, released: string, precision?: 'month'): Release => ({
  kind: 'software',
  product,
  match: new RegExp(`^(?:Acrobat Distiller|Acrobat PDFMaker|Adobe PDF Library|Adobe Acrobat(?: Pro(?: DC)?)?) ${major}(?:\\.|\\b)`),
  released,
  ...(precision ? { precision } : {}),
  source: `${WIKI}Adobe_Acrobat#Version_history`,
});

/** macOS as the Quartz PDF producer names it: `Mac OS X 10.12.3 Quartz PDFContext`, `macOS Version 11.2.3 (Build 20D91) Quartz PDFContext`. */
const macos = (version: string, name: string, released: string, preview: string): Release => ({
  kind: 'software',
  product: `macOS ${version} ${name} (Quartz PDF)`,
  match: new RegExp(`^(?:Mac OS X|OS X|macOS)(?: Version)? ${version.replace('.', '\\.')}(?:[. ]|$).*Quartz`),
  released,
  preview,
  source: `${WIKI}MacOS_version_history`,
  note: 'preview: the developer beta announced at WWDC',
});

const font = (product: string, keys: string[], released: string, source: string, extra: Partial<Release> = {}): Release => ({
  kind: 'font',
  product,
  match: new RegExp(`^(?:${keys.join('|')})$`),
  released,
  source,
  ...extra,
});

const CLEARTYPE = 'ClearType collection font, released with Windows Vista and Office 2007 (business availability 2006-11-30, retail 2007-01-30); in public preview with the Office 2007 Beta 2 download of 2006-05-23, and in pre-release builds to testers from 2004';

export const RELEASES: readonly Release[] = [
  // Microsoft Office for Windows: AppVersion 8 (97), 9 (2000), 10 (XP), 11 (2003) in legacy files (Word 97 to 2002 also name it:
  // `Microsoft Word 9.0`), 12 (2007), 14 (2010), 15 (2013), 16 (2016 and every later version: 2019, 2021, 2024, Microsoft 365).
  officeWindows(8, 'Microsoft Office 97', '1996-11-19', undefined, 'Microsoft_Office_97', 'released to manufacturing 1996-11-19, retail 1997-01-16; its beta went to a few hundred testers only'),
  officeWindows(9, 'Microsoft Office 2000', '1999-03-01', '1998-07-01', 'Microsoft_Office_2000', 'released to manufacturing in March 1999 (Microsoft dates language editions from 1999-03-25), retail 1999-06-07; Beta 1 to 20,000 testers in July 1998', 'month'),
  officeWindows(10, 'Microsoft Office XP', '2001-03-05', '2000-08-01', 'Microsoft_Office_XP', 'released to manufacturing 2001-03-05 (corporate preview program the same day), retail 2001-05-31; Beta 1 to testers in August 2000'),
  officeWindows(11, 'Microsoft Office 2003', '2003-08-19', '2002-10-22', 'Microsoft_Office_2003', 'released to manufacturing 2003-08-19, retail 2003-10-21; Beta 1 2002-10-22'),
  officeWindows(12, 'Microsoft Office 2007', '2006-11-30', '2006-05-23', 'Microsoft_Office_2007', 'volume licence 2006-11-30, retail 2007-01-30; Beta 2 public download 2006-05-23'),
  officeWindows(14, 'Microsoft Office 2010', '2010-05-12', '2009-11-16', 'Microsoft_Office_2010', 'business 2010-05-12, retail 2010-06-15; public beta 2009-11-16'),
  officeWindows(15, 'Microsoft Office 2013', '2012-12-01', '2012-07-16', 'Microsoft_Office_2013', 'volume licence 2012-12-01, retail 2013-01-29; customer preview 2012-07-16'),
  officeWindows(16, 'Microsoft Office 2016 (or later: 2019, 2021, 2024, Microsoft 365)', '2015-09-22', '2015-03-16', 'Microsoft_Office_2016', 'AppVersion 16 is written by every version since 2016; IT Pro preview 2015-03-16'),
  officeMac(12, 'Microsoft Office 2008 for Mac', '2008-01-15', undefined, 'Microsoft_Office_2008_for_Mac'),
  officeMac(14, 'Microsoft Office for Mac 2011', '2010-10-26', undefined, 'Microsoft_Office_for_Mac_2011'),
  officeMac(15, 'Microsoft Office 2016 for Mac', '2015-07-09', '2015-03-05', 'Microsoft_Office_2016', 'Office 365 subscribers 2015-07-09; public preview 2015-03-05'),
  officeMac(16, 'Microsoft Office 2016 for Mac (16.x builds) or later', '2015-07-09', '2015-03-05', 'Microsoft_Office_2016', 'dated as the first Office 2016 for Mac release: the earliest it can be'),
  officePdf('2007', 'Microsoft Office 2007', '2006-11-30', '2006-05-23', 'Microsoft_Office_2007'),
  officePdf('2010', 'Microsoft Office 2010', '2010-05-12', '2009-11-16', 'Microsoft_Office_2010'),
  officePdf('2013', 'Microsoft Office 2013', '2012-12-01', '2012-07-16', 'Microsoft_Office_2013'),
  officePdf('2016', 'Microsoft Office 2016', '2015-09-22', '2015-03-16', 'Microsoft_Office_2016'),
  officePdf('2019', 'Microsoft Office 2019', '2018-09-24', '2018-04-24', 'Microsoft_Office_2019'),
  officePdf('2021', 'Microsoft Office 2021', '2021-10-05', '2021-04-20', 'Microsoft_Office_2021'),
  {
    kind: 'software',
    product: 'Microsoft 365 (its PDF export)',
    match: new RegExp(`^Microsoft® ${MS_APPS}®? ?for Microsoft 365\\b`),
    released: '2020-04-21',
    source: `${WIKI}Microsoft_365`,
    note: 'Office 365 consumer plans were renamed Microsoft 365 on 2020-04-21; the PDF producer took the name then',
  },
  {
    kind: 'software',
    product: 'Microsoft Print to PDF (Windows 10)',
    match: /^Microsoft: Print To PDF$/,
    released: '2015-07-29',
    preview: '2014-10-01',
    source: `${WIKI}Windows_10_version_history`,
    note: 'Windows 10 general availability 2015-07-29; Technical Preview 2014-10-01',
  },

  // LibreOffice, x.y.0 releases.
  libreOffice('3.3', '2011-01-25'),
  libreOffice('3.4', '2011-06-03'),
  libreOffice('3.5', '2012-02-14'),
  libreOffice('3.6', '2012-08-08'),
  libreOffice('4.0', '2013-02-07'),
  libreOffice('4.1', '2013-07-25'),
  libreOffice('4.2', '2014-01-30'),
  libreOffice('4.3', '2014-07-30'),
  libreOffice('4.4', '2015-01-29'),
  libreOffice('5.0', '2015-08-05'),
  libreOffice('5.1', '2016-02-10'),
  libreOffice('5.2', '2016-08-03'),
  libreOffice('5.3', '2017-02-01'),
  libreOffice('5.4', '2017-07-28'),
  libreOffice('6.0', '2018-01-31'),
  libreOffice('6.1', '2018-08-08'),
  libreOffice('6.2', '2019-02-07'),
  libreOffice('6.3', '2019-08-08'),
  libreOffice('6.4', '2020-01-29'),
  libreOffice('7.0', '2020-08-05'),
  libreOffice('7.1', '2021-02-03'),
  libreOffice('7.2', '2021-08-19'),
  libreOffice('7.3', '2022-02-02'),
  libreOffice('7.4', '2022-08-18'),
  libreOffice('7.5', '2023-02-02'),
  libreOffice('7.6', '2023-08-21'),
  libreOffice('24.2', '2024-01-31'),
  libreOffice('24.8', '2024-08-22'),
  libreOffice('25.2', '2025-02-06'),

  // OpenOffice.org and Apache OpenOffice.
  openOffice('1.0', '2002-05-01', 'OpenOffice.org'),
  openOffice('1.1', '2003-09-02', 'OpenOffice.org'),
  openOffice('2.0', '2005-10-20', 'OpenOffice.org'),
  openOffice('2.4', '2008-03-27', 'OpenOffice.org'),
  openOffice('3.0', '2008-10-13', 'OpenOffice.org'),
  openOffice('3.1', '2009-05-07', 'OpenOffice.org'),
  openOffice('3.2', '2010-02-11', 'OpenOffice.org'),
  openOffice('3.3', '2011-01-26', 'OpenOffice.org'),
  openOffice('3.4', '2012-05-08', 'Apache_OpenOffice'),
  openOffice('4.0', '2013-07-23', 'Apache_OpenOffice'),
  openOffice('4.1', '2014-04-29', 'Apache_OpenOffice'),

  // Adobe Acrobat (and Distiller, PDFMaker, PDF Library of the same version number).
  acrobat('5', 'Adobe Acrobat 5', '2001-05-01', 'month'),
  acrobat('6', 'Adobe Acrobat 6', '2003-07-01', 'month'),
  acrobat('7', 'Adobe Acrobat 7', '2005-01-01', 'month'),
  acrobat('8', 'Adobe Acrobat 8', '2006-11-01', 'month'),
  acrobat('9', 'Adobe Acrobat 9', '2008-06-01', 'month'),
  acrobat('10', 'Adobe Acrobat X', '2010-11-15'),
  acrobat('11', 'Adobe Acrobat XI', '2012-10-15'),
  acrobat('15', 'Adobe Acrobat DC', '2015-04-07'),
  acrobat('17', 'Adobe Acrobat 2017', '2017-06-06'),

  // Programming libraries that write PDFs.
  {
    kind: 'software',
    product: 'PDFsharp 1.32',
    match: /^PDFsharp 1\.32\b/,
    released: '2013-01-01',
    precision: 'year',
    preview: '2012-01-01',
    source: 'https://github.com/empira/PDFsharp-1.5/blob/master/README.md',
    note: '"The stable version of PDFsharp 1.32 was published in 2013"; projects migrated to it in October 2012, so preview builds circulated in 2012',
  },
  {
    kind: 'software',
    product: 'PDFsharp 1.50',
    match: /^PDFsharp 1\.50?\b/,
    released: '2019-01-01',
    precision: 'year',
    preview: '2013-01-01',
    source: 'https://github.com/empira/PDFsharp-1.5/blob/master/README.md',
    note: 'stable in 2019 after a series of betas; dated no earlier than the 1.32 stable of 2013 it followed',
  },
  {
    kind: 'software',
    product: 'PDFsharp 6',
    match: /^PDFsharp 6\./,
    released: '2023-01-01',
    precision: 'year',
    source: 'https://www.nuget.org/packages/PDFsharp',
  },
  {
    kind: 'software',
    product: 'iText 5',
    match: /^iText(?:Sharp)?™? ?®? ?5\.\d/,
    released: '2009-01-01',
    precision: 'year',
    source: 'https://kb.itextpdf.com/it5kb/can-itext-2-1-7-itextsharp-4-1-6-or-earlier-be-use',
    note: '"iText/iTextSharp version 5 was released in 2009"',
  },
  {
    kind: 'software',
    product: 'iText 7',
    match: /^iText® ?7\.\d/,
    released: '2016-01-01',
    precision: 'year',
    source: `${WIKI}IText`,
  },
  {
    kind: 'software',
    product: 'iText 8',
    match: /^iText® ?8\.\d/,
    released: '2023-01-01',
    precision: 'year',
    source: `${WIKI}IText`,
  },

  // macOS, as the Quartz PDF producer names it.
  macos('10.8', 'Mountain Lion', '2012-07-25', '2012-02-16'),
  macos('10.9', 'Mavericks', '2013-10-22', '2013-06-10'),
  macos('10.10', 'Yosemite', '2014-10-16', '2014-06-02'),
  macos('10.11', 'El Capitan', '2015-09-30', '2015-06-08'),
  macos('10.12', 'Sierra', '2016-09-20', '2016-06-13'),
  macos('10.13', 'High Sierra', '2017-09-25', '2017-06-05'),
  macos('10.14', 'Mojave', '2018-09-24', '2018-06-04'),
  macos('10.15', 'Catalina', '2019-10-07', '2019-06-03'),
  macos('11', 'Big Sur', '2020-11-12', '2020-06-22'),
  macos('12', 'Monterey', '2021-10-25', '2021-06-07'),
  macos('13', 'Ventura', '2022-10-24', '2022-06-06'),
  macos('14', 'Sonoma', '2023-09-26', '2023-06-05'),
  macos('15', 'Sequoia', '2024-09-16', '2024-06-10'),

  // Fonts (family names; see fontKey).
  font('Calibri', ['calibri'], '2006-11-30', 'https://office-watch.com/2017/word-calibri-font-pakistan-government/', { preview: '2006-05-23', note: CLEARTYPE }),
  font('Cambria', ['cambria'], '2006-11-30', `${WIKI}Cambria_(typeface)`, { preview: '2006-05-23', note: CLEARTYPE }),
  font('Cambria Math', ['cambriamath'], '2006-11-30', `${WIKI}Cambria_(typeface)`, { preview: '2006-05-23', note: CLEARTYPE }),
  font('Candara', ['candara'], '2006-11-30', `${WIKI}ClearType_Font_Collection`, { preview: '2006-05-23', note: CLEARTYPE }),
  font('Consolas', ['consolas'], '2006-11-30', `${WIKI}Consolas`, { preview: '2006-05-23', note: CLEARTYPE }),
  font('Constantia', ['constantia'], '2006-11-30', `${WIKI}Constantia_(typeface)`, { preview: '2006-05-23', note: CLEARTYPE }),
  font('Corbel', ['corbel'], '2006-11-30', `${WIKI}Corbel_(typeface)`, { preview: '2006-05-23', note: CLEARTYPE }),
  font('Calibri Light', ['calibrilight'], '2012-12-01', `${WIKI}Calibri`, { preview: '2012-07-16', note: 'added with Office 2013 (volume licence 2012-12-01; customer preview 2012-07-16)' }),
  font('Segoe UI Emoji', ['segoeuiemoji'], '2012-10-26', `${WIKI}Segoe`, { preview: '2012-02-29', note: 'Windows 8 (Consumer Preview 2012-02-29)' }),
  font('Sitka', ['sitka', 'sitkasmall', 'sitkatext', 'sitkasubheading', 'sitkaheading', 'sitkadisplay', 'sitkabanner'], '2013-10-17', `${WIKI}Sitka_(typeface)`, { preview: '2013-06-26', note: 'Windows 8.1 (preview 2013-06-26)' }),
  font('Yu Gothic', ['yugothic', 'yugothicui'], '2013-10-17', `${WIKI}Yu_Gothic`, { preview: '2013-06-26', note: 'Windows 8.1' }),
  font('Leelawadee UI', ['leelawadeeui'], '2015-07-29', `${WIKI}Leelawadee`, { preview: '2014-10-01', note: 'Windows 10 (Technical Preview 2014-10-01)' }),
  font('Bahnschrift', ['bahnschrift'], '2017-10-17', `${WIKI}Bahnschrift`, { preview: '2017-01-01', note: 'Windows 10 Fall Creators Update (1709); in Insider builds during 2017' }),
  font('Segoe UI Variable', ['segoeuivariable', 'segoeuivariabledisplay', 'segoeuivariabletext', 'segoeuivariablesmall'], '2021-10-05', `${WIKI}Segoe`, { preview: '2021-06-28', note: 'Windows 11 (Insider preview 2021-06-28)' }),
  font('Bierstadt, Grandview, Seaford, Skeena, Tenorite', ['bierstadt', 'grandview', 'seaford', 'skeena', 'tenorite'], '2021-04-28', `${WIKI}Aptos_(typeface)`, { note: 'the five fonts Microsoft commissioned to replace Calibri, published as cloud fonts on 2021-04-28' }),
  font('Aptos', ['aptos', 'aptosdisplay', 'aptosnarrow', 'aptosserif', 'aptosmono'], '2023-07-13', 'https://medium.com/microsoft-design/a-change-of-typeface-microsofts-new-default-font-has-arrived-f200eb16718d', { note: 'Bierstadt renamed Aptos and made the Office default from 2023-07-13 (it was available as Bierstadt since 2021-04-28, under that name only)' }),
  font('Liberation Sans, Serif and Mono', ['liberationsans', 'liberationserif', 'liberationmono', 'liberationsansnarrow'], '2007-05-09', `${WIKI}Liberation_fonts`),
  font('Carlito', ['carlito'], '2013-01-01', `${WIKI}Croscore_fonts`, { precision: 'year', note: 'metric-compatible with Calibri; released by Google in 2013' }),
  font('Caladea', ['caladea'], '2013-01-01', `${WIKI}Croscore_fonts`, { precision: 'year', note: 'metric-compatible with Cambria; released by Google in 2013' }),
  font('Roboto', ['roboto', 'robotocondensed', 'robotomono', 'robotoslab'], '2011-10-19', `${WIKI}Roboto`, { note: 'introduced with Android 4.0 Ice Cream Sandwich' }),
  font('Open Sans', ['opensans'], '2011-01-01', `${WIKI}Open_Sans`, { precision: 'year' }),
  font('Source Sans Pro', ['sourcesanspro', 'sourcesans3'], '2012-08-02', `${WIKI}Source_Sans`, { note: "Adobe's first open-source typeface" }),
  font('Source Code Pro', ['sourcecodepro'], '2012-09-24', `${WIKI}Source_Code_Pro`),
  font('Noto Sans and Noto Serif', ['notosans', 'notoserif'], '2013-01-01', `${WIKI}Noto_fonts`, { precision: 'year' }),
  font('Lato', ['lato'], '2010-01-01', `${WIKI}Lato_(typeface)`, { precision: 'year' }),
  font('Inter', ['inter'], '2017-01-01', `${WIKI}Inter_(typeface)`, { precision: 'year' }),
];

/** Weight and style words dropped from a font name to find its family (`Segoe UI Semibold` -> `Segoe UI`). */
const STYLE_WORDS = /(?:bold|italic|oblique|light|semilight|semibold|demibold|black|heavy|medium|regular|thin|extralight|ultralight|extrabold|ultrabold|condensed|narrow|book|roman|mt|ps|psmt)$/;

/**
 * Keys to look a font up by, most specific first: the name lower-cased without spaces, subset
 * tag, or style suffix (`ABCDEF+Calibri-BoldItalic` -> `calibri`; `Calibri Light` -> `calibrilight`,
 * then `calibri`). A family is never older than its variants, so falling back is safe.
 */
export function fontKeys(name: string): string[] {
  const base = name.replace(/^[A-Z]{6}\+/, '').split(/[-,]/)[0] ?? '';
  let key = base.toLowerCase().replace(/[^a-z0-9]/g, '');
  const keys: string[] = [];
  for (let guard = 0; key && guard < 6; guard++) {
    keys.push(key);
    const shorter = key.replace(STYLE_WORDS, '');
    if (shorter === key) break;
    key = shorter;
  }
  return keys;
}

/** The release a software string refers to, or null. */
export function softwareRelease(software: string): Release | null {
  const s = software.trim();
  for (const r of RELEASES) if (r.kind === 'software' && r.match.test(s)) return r;
  return null;
}

/** The release of a font, by its name as written, or null. */
export function fontRelease(name: string): Release | null {
  for (const key of fontKeys(name)) for (const r of RELEASES) if (r.kind === 'font' && r.match.test(key)) return r;
  return null;
}
