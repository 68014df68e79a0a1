/**
 * Parts every OOXML package shares (ECMA-376 Part 2 OPC): `[Content_Types].xml`, relationships,
 * and the document properties `docProps/core.xml` (Dublin Core: creator, lastModifiedBy,
 * created, modified ...) and `docProps/app.xml` (Application, AppVersion, Company ...), written
 * byte for byte the way Office 2010-2016 writes them (CRLF after the XML declaration).
 */
import { formatW3cdtf } from './date-format.ts';

/** Document metadata as Office stores it; the forensic signals read exactly these fields. */
export interface OfficeMetadata {
  title?: string;
  subject?: string;
  creator: string;
  lastModifiedBy?: string;
  keywords?: string;
  description?: string;
  revision?: number;
  /** Instants (ms since epoch); written in UTC as Office does. */
  created: number;
  modified: number;
  lastPrinted?: number;
  /** `Microsoft Office Word`, `Microsoft Excel`, `LibreOffice/5.2.3.3$Windows_X86_64 ...`. */
  application?: string;
  /** `14.0000` (2010), `15.0000` (2013), `16.0000` (2016); omitted by LibreOffice. */
  appVersion?: string;
  company?: string;
  manager?: string;
  template?: string;
  totalTimeMinutes?: number;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

/** XML character escaping for text and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

const el = (name: string, value: string | number | undefined): string =>
  value === undefined || value === '' ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;

/** `docProps/core.xml`. */
export function corePropsXml(meta: OfficeMetadata): string {
  return (
    XML_DECLARATION +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    el('dc:title', meta.title) +
    el('dc:subject', meta.subject) +
    el('dc:creator', meta.creator) +
    el('cp:keywords', meta.keywords) +
    el('dc:description', meta.description) +
    el('cp:lastModifiedBy', meta.lastModifiedBy) +
    el('cp:revision', meta.revision) +
    (meta.lastPrinted !== undefined ? el('cp:lastPrinted', formatW3cdtf(meta.lastPrinted)) : '') +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${formatW3cdtf(meta.created)}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${formatW3cdtf(meta.modified)}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** `docProps/app.xml`; `body` holds the application-specific statistics elements. */
export function appPropsXml(meta: OfficeMetadata, defaultApplication: string, body: string): string {
  return (
    XML_DECLARATION +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    el('Template', meta.template) +
    el('TotalTime', meta.totalTimeMinutes) +
    body.replace('{APPLICATION}', el('Application', meta.application ?? defaultApplication)) +
    el('Manager', meta.manager) +
    el('Company', meta.company) +
    '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>' +
    el('AppVersion', meta.application?.startsWith('LibreOffice') ? undefined : (meta.appVersion ?? '16.0000')) +
    '</Properties>'
  );
}

/** `[Content_Types].xml` with the given extension defaults and part overrides. */
export function contentTypesXml(defaults: [string, string][], overrides: [string, string][]): string {
  return (
    XML_DECLARATION +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    defaults.map(([ext, type]) => `<Default Extension="${ext}" ContentType="${type}"/>`).join('') +
    overrides.map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`).join('') +
    '</Types>'
  );
}

/** A `.rels` part; each relationship is `[id, type URI, target]`. */
export function relationshipsXml(rels: [string, string, string][]): string {
  return (
    XML_DECLARATION +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    rels.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('') +
    '</Relationships>'
  );
}

export const REL = {
  officeDocument: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
  coreProps: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
  appProps: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties',
  styles: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles',
  settings: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings',
  fontTable: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable',
  image: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image',
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  sharedStrings: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings',
} as const;

export const CT = {
  rels: 'application/vnd.openxmlformats-package.relationships+xml',
  xml: 'application/xml',
  jpeg: 'image/jpeg',
  core: 'application/vnd.openxmlformats-package.core-properties+xml',
  app: 'application/vnd.openxmlformats-officedocument.extended-properties+xml',
} as const;

/** The package-level `_rels/.rels` pointing at the main part and both property parts. */
export function packageRelsXml(mainPart: string): string {
  return relationshipsXml([
    ['rId3', REL.appProps, 'docProps/app.xml'],
    ['rId2', REL.coreProps, 'docProps/core.xml'],
    ['rId1', REL.officeDocument, mainPart],
  ]);
}
