/**
 * Text of Office Open XML documents (ECMA-376 Part 1), in reading order:
 * - Word (§17): the body, paragraphs one per line, table cells separated by tabs and rows by lines,
 *   text boxes where they are anchored; then headers and footers (each distinct text once),
 *   footnotes, endnotes and comments. Deleted text of tracked changes, field codes and the legacy
 *   fallback copy of drawings (`mc:Fallback`) are not shown by Word, so they are left out; text
 *   formatted as hidden (`w:vanish`) is kept, as a search should find what a file hides.
 * - Excel (§18): each sheet in workbook order, its name on a line, then its rows, cells separated by
 *   tabs, values as written in the file (numbers unformatted, shared strings resolved, booleans as
 *   TRUE/FALSE).
 * - PowerPoint (§19): each slide in presentation order, then its speaker notes.
 * Metadata: see ooxml-metadata.ts.
 */
import type { ExtractedDocument } from '../extract-document.ts';
import { ExtractError } from '../extract-document.ts';
import { MAX_INDEXED_TEXT_CHARS } from '../plain-text.ts';
import { readOoxmlMetadata } from './ooxml-metadata.ts';
import { byNumberInName, mainPartOf, readRelationships, type Relationship } from './ooxml-package.ts';
import { ZipPackage } from './package-zip.ts';
import { readerResult } from './reader-result.ts';
import { TextSink } from './text-sink.ts';
import { STOP_WALK, prefixedAttr, walkOptionalPart, walkXml, type XmlVisitor } from './xml-walk.ts';

/** Word elements whose content is not shown: deleted or moved-away text, field codes, fallback copies. */
const WORD_HIDDEN = new Set(['delText', 'delInstrText', 'instrText', 'moveFrom', 'Fallback']);

/** WordprocessingML text: `w:t` (and `m:t` in equations) in runs, `w:p` paragraphs, `w:tbl` tables. */
function wordVisitor(sink: TextSink): XmlVisitor {
  const stack: string[] = [];
  let hidden = 0;
  let inText = false;
  let cells = 0;
  return {
    open(name) {
      const parent = stack.at(-1);
      stack.push(name);
      if (hidden > 0 || WORD_HIDDEN.has(name)) {
        hidden++;
        return;
      }
      if (name === 't') inText = true;
      else if (name === 'tc') cells++;
      // `w:tab` also defines tab stops inside `w:pPr`; only one in a run is a character.
      else if (parent === 'r' && (name === 'tab' || name === 'ptab')) sink.add('\t');
      else if (parent === 'r' && (name === 'br' || name === 'cr')) sink.line();
      else if (name === 'noBreakHyphen') sink.add('-');
    },
    text(t) {
      if (inText && hidden === 0) sink.add(t);
    },
    close(name) {
      stack.pop();
      if (hidden > 0) {
        hidden--;
        return;
      }
      if (name === 't') inText = false;
      else if (name === 'p') {
        // Paragraphs inside a cell stay on the row's line.
        if (cells > 0) sink.add(' ');
        else sink.endLine();
        if (sink.full) throw STOP_WALK;
      } else if (name === 'tc') {
        cells--;
        sink.add('\t');
      } else if (name === 'tr') sink.line();
    },
  };
}

/** DrawingML text (slides, notes): `a:t` in `a:p` paragraphs, `a:tbl` tables. */
function drawingVisitor(sink: TextSink): XmlVisitor {
  let hidden = 0;
  let inText = false;
  return {
    open(name) {
      if (hidden > 0 || name === 'Fallback') {
        hidden++;
        return;
      }
      if (name === 't') inText = true;
      else if (name === 'br') sink.line();
    },
    text(t) {
      if (inText && hidden === 0) sink.add(t);
    },
    close(name) {
      if (hidden > 0) {
        hidden--;
        return;
      }
      if (name === 't') inText = false;
      else if (name === 'p' || name === 'tr') {
        sink.endLine();
        if (sink.full) throw STOP_WALK;
      } else if (name === 'tc') sink.add('\t');
    },
  };
}

/** Runs `read` on an opened package and always closes it. */
async function withPackage(bytes: Uint8Array, what: string, read: (pkg: ZipPackage, problems: string[]) => Promise<ExtractedDocument>): Promise<ExtractedDocument> {
  const pkg = await ZipPackage.open(bytes, what);
  try {
    return await read(pkg, []);
  } finally {
    pkg.close();
  }
}

/** Walks a part that must be there (the main part of a document): a failure fails the document. */
async function walkRequiredPart(pkg: ZipPackage, name: string, visitor: XmlVisitor): Promise<void> {
  const source = await pkg.stream(name);
  if (!source) throw new ExtractError(`the package has no ${name} part`);
  await walkXml(source, name, visitor);
}

const targetsOf = (rels: Relationship[], type: string): string[] => [...new Set(rels.filter((r) => r.type === type).map((r) => r.target))].sort(byNumberInName);

/** A Word document's text and metadata. */
export async function readDocx(bytes: Uint8Array): Promise<ExtractedDocument> {
  return withPackage(bytes, 'Word (docx)', async (pkg, problems) => {
    const main = await mainPartOf(pkg, 'word/document.xml', 'Word document', problems);
    const sink = new TextSink();
    await walkRequiredPart(pkg, main, wordVisitor(sink));
    const rels = await readRelationships(pkg, main, problems);
    // Headers and footers: first-page, even and default ones often say the same; each text once.
    for (const type of ['header', 'footer']) {
      const seen = new Set<string>();
      for (const part of targetsOf(rels, type)) {
        if (sink.full || !pkg.canReadMore) break;
        sink.begin();
        await walkOptionalPart(pkg, part, wordVisitor(sink), problems);
        const text = sink.end().trim();
        if (text !== '' && !seen.has(text)) {
          seen.add(text);
          sink.block();
          sink.add(text);
        }
      }
    }
    for (const type of ['footnotes', 'endnotes', 'comments']) {
      for (const part of targetsOf(rels, type)) {
        if (sink.full || !pkg.canReadMore) break;
        sink.block();
        await walkOptionalPart(pkg, part, wordVisitor(sink), problems);
      }
    }
    return readerResult(sink.toString(), await readOoxmlMetadata(pkg, problems), problems);
  });
}

/** Shared strings (§18.4): the text of each `si`, rich-text runs joined, phonetic guides (`rPh`) left out. */
async function readSharedStrings(pkg: ZipPackage, part: string, problems: string[]): Promise<string[]> {
  const strings: string[] = [];
  let current = '';
  let inText = false;
  let phonetic = 0;
  await walkOptionalPart(
    pkg,
    part,
    {
      open(name) {
        if (name === 'rPh') phonetic++;
        else if (name === 't') inText = phonetic === 0;
        else if (name === 'si') current = '';
      },
      text(t) {
        if (inText) current += t;
      },
      close(name) {
        if (name === 'rPh') phonetic--;
        else if (name === 't') inText = false;
        else if (name === 'si') strings.push(current);
      },
    },
    problems,
  );
  return strings;
}

/** A worksheet's rows (§18.3): each cell's value as written, shared strings resolved. */
function sheetVisitor(sink: TextSink, strings: readonly string[]): XmlVisitor {
  let row: string[] = [];
  // 16,384 cells of one long shared string would make a row longer than a string may be.
  let rowLength = 0;
  let type = 'n';
  let value = '';
  let inValue = false;
  let inline = false;
  let phonetic = 0;
  return {
    open(name, a) {
      if (name === 'row') {
        row = [];
        rowLength = 0;
      }
      else if (name === 'c') {
        type = a.t ?? 'n';
        value = '';
      } else if (name === 'v') inValue = true;
      else if (name === 'is') inline = true;
      else if (name === 'rPh') phonetic++;
      else if (name === 't') inValue = inline && phonetic === 0;
    },
    text(t) {
      if (inValue) value += t;
    },
    close(name) {
      if (name === 'v' || name === 't') inValue = false;
      else if (name === 'is') inline = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'c') {
        const shown = type === 's' ? (strings[Number.parseInt(value, 10)] ?? '') : type === 'b' ? (value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : value) : value;
        if (shown !== '' && rowLength < MAX_INDEXED_TEXT_CHARS) {
          row.push(shown.length > MAX_INDEXED_TEXT_CHARS ? shown.slice(0, MAX_INDEXED_TEXT_CHARS) : shown);
          rowLength += shown.length + 1;
        }
      } else if (name === 'row') {
        if (row.length > 0) {
          sink.add(row.join('\t'));
          sink.line();
        }
        if (sink.full) throw STOP_WALK;
      }
    },
  };
}

/** An Excel workbook's text and metadata. */
export async function readXlsx(bytes: Uint8Array): Promise<ExtractedDocument> {
  return withPackage(bytes, 'Excel (xlsx)', async (pkg, problems) => {
    const main = await mainPartOf(pkg, 'xl/workbook.xml', 'Excel workbook', problems);
    if (/\.bin$/i.test(main)) throw new ExtractError('the workbook is in the binary Excel format (xlsb), which trove does not read');
    const sheets: { name: string; rel: string }[] = [];
    await walkRequiredPart(pkg, main, {
      open(name, a) {
        if (name === 'sheet') sheets.push({ name: a.name ?? '', rel: prefixedAttr(a, 'id') ?? '' });
      },
    });
    const rels = await readRelationships(pkg, main, problems);
    const byId = new Map(rels.map((r) => [r.id, r]));
    const strings = await readSharedStrings(pkg, rels.find((r) => r.type === 'sharedStrings')?.target ?? 'xl/sharedStrings.xml', problems);
    let parts = sheets.map((s) => ({ name: s.name, part: byId.get(s.rel)?.type === 'worksheet' ? byId.get(s.rel)?.target : undefined }));
    if (parts.every((p) => p.part === undefined)) {
      // No usable workbook list: take the worksheet parts Excel would have written.
      parts = pkg.names.filter((n) => /^xl\/worksheets\/[^/]+\.xml$/i.test(n)).sort(byNumberInName).map((n) => ({ name: '', part: n }));
    }
    const sink = new TextSink();
    let failed = 0;
    for (const { name, part } of parts) {
      if (sink.full || !pkg.canReadMore) break;
      if (name !== '') sink.add(name);
      sink.line();
      if (part) {
        const before = problems.length;
        await walkOptionalPart(pkg, part, sheetVisitor(sink, strings), problems);
        if (problems.length > before) failed++;
      }
      sink.block();
    }
    if (failed > 0 && failed === parts.filter((p) => p.part).length) throw new ExtractError(problems.at(-1) ?? 'no sheet could be read');
    return readerResult(sink.toString(), await readOoxmlMetadata(pkg, problems), problems);
  });
}

/** A PowerPoint presentation's text and metadata. */
export async function readPptx(bytes: Uint8Array): Promise<ExtractedDocument> {
  return withPackage(bytes, 'PowerPoint (pptx)', async (pkg, problems) => {
    const main = await mainPartOf(pkg, 'ppt/presentation.xml', 'PowerPoint presentation', problems);
    const ids: string[] = [];
    await walkRequiredPart(pkg, main, {
      open(name, a) {
        if (name === 'sldId') ids.push(prefixedAttr(a, 'id') ?? '');
      },
    });
    const rels = await readRelationships(pkg, main, problems);
    const byId = new Map(rels.map((r) => [r.id, r]));
    let slides = ids.map((id) => byId.get(id)).filter((r) => r?.type === 'slide').map((r) => (r as Relationship).target);
    if (slides.length === 0) slides = pkg.names.filter((n) => /^ppt\/slides\/[^/]+\.xml$/i.test(n)).sort(byNumberInName);
    const sink = new TextSink();
    let failed = 0;
    for (const slide of slides) {
      if (sink.full || !pkg.canReadMore) break;
      const before = problems.length;
      await walkOptionalPart(pkg, slide, drawingVisitor(sink), problems);
      if (problems.length > before) failed++;
      for (const notes of targetsOf(await readRelationships(pkg, slide, problems), 'notesSlide')) {
        sink.endLine();
        await walkOptionalPart(pkg, notes, drawingVisitor(sink), problems);
      }
      sink.block();
    }
    if (failed > 0 && failed === slides.length) throw new ExtractError(problems.at(-1) ?? 'no slide could be read');
    return readerResult(sink.toString(), await readOoxmlMetadata(pkg, problems), problems);
  });
}
