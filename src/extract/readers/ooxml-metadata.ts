/**
 * What an Office Open XML file says about itself (ECMA-376 Part 2 §11, core properties; Part 1
 * §22.2, extended properties). Field names are the element names, so a journalist can find them in
 * the file; the forensics issue reads them and may add more, never rename.
 *
 * From `docProps/core.xml` (strings): title, subject, creator, keywords, description,
 * lastModifiedBy, revision, category, contentStatus, language, identifier, version; dates (ISO 8601,
 * see metadata-date.ts): created, modified, lastPrinted.
 * From `docProps/app.xml`: Application, AppVersion, Company, Manager, Template, HyperlinkBase,
 * PresentationFormat (strings); TotalTime (minutes of editing), Pages, Words, Characters,
 * CharactersWithSpaces, Lines, Paragraphs, Slides, Notes, HiddenSlides, MMClips, DocSecurity
 * (numbers; the string as written when it is not an integer).
 * `unreadableParts` (string[], every reader) lists parts that were present but could not be read.
 */
import { isoDate, setDate } from './metadata-date.ts';
import { readRelationships } from './ooxml-package.ts';
import type { ZipPackage } from './package-zip.ts';
import { fieldCollector, walkOptionalPart } from './xml-walk.ts';

const CORE_STRINGS = new Set(['title', 'subject', 'creator', 'keywords', 'description', 'lastModifiedBy', 'revision', 'category', 'contentStatus', 'language', 'identifier', 'version']);
const CORE_DATES = new Set(['created', 'modified', 'lastPrinted']);
const APP_STRINGS = new Set(['Application', 'AppVersion', 'Company', 'Manager', 'Template', 'HyperlinkBase', 'PresentationFormat']);
const APP_NUMBERS = new Set(['TotalTime', 'Pages', 'Words', 'Characters', 'CharactersWithSpaces', 'Lines', 'Paragraphs', 'Slides', 'Notes', 'HiddenSlides', 'MMClips', 'DocSecurity']);

/** The core and extended properties of an OOXML package (empty when it has neither part). */
export async function readOoxmlMetadata(pkg: ZipPackage, problems: string[]): Promise<Record<string, unknown>> {
  const rels = await readRelationships(pkg, '', problems);
  const core = rels.find((r) => r.type === 'core-properties')?.target ?? 'docProps/core.xml';
  const app = rels.find((r) => r.type === 'extended-properties')?.target ?? 'docProps/app.xml';
  const fields: Record<string, unknown> = {};
  await walkOptionalPart(
    pkg,
    core,
    fieldCollector(2, (name, value) => {
      if (CORE_DATES.has(name)) setDate(fields, name, value, isoDate(value));
      else if (CORE_STRINGS.has(name) && value !== '') fields[name] = value;
    }),
    problems,
  );
  await walkOptionalPart(
    pkg,
    app,
    fieldCollector(2, (name, value) => {
      if (APP_NUMBERS.has(name)) fields[name] = /^-?\d{1,15}$/.test(value) ? Number(value) : value;
      else if (APP_STRINGS.has(name) && value !== '') fields[name] = value;
    }),
    problems,
  );
  return fields;
}
