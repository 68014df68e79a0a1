/**
 * Excel workbooks (ECMA-376 SpreadsheetML) as Excel 2010-2016 saves them: workbook, one part per
 * sheet, shared strings, a minimal style sheet, and the docProps metadata parts.
 */
import { CT, REL, XML_DECLARATION, appPropsXml, contentTypesXml, corePropsXml, escapeXml, packageRelsXml, relationshipsXml } from './ooxml-parts.ts';
import type { OfficeMetadata } from './ooxml-parts.ts';
import { buildZip } from './zip-build.ts';

/** A cell: text, a number, or a formula with its cached value. */
export type XlsxCell = string | number | { formula: string; value: number } | null;

/** One worksheet. */
export interface XlsxSheet {
  name: string;
  rows: XlsxCell[][];
}

/** A workbook: metadata and sheets. */
export interface XlsxOptions extends OfficeMetadata {
  sheets: XlsxSheet[];
  /** The app.xml heading Excel writes in its interface language (default `Feuilles de calcul`: a French Excel). */
  headingLabel?: string;
}

const SS = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** `A`, `B` ... `Z`, `AA` ... for a zero-based column index. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const STYLES_XML =
  XML_DECLARATION +
  `<styleSheet ${MAIN_NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00\\ &quot;€&quot;"/></numFmts>` +
  '<fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>';

/** A .xlsx file. */
export async function buildXlsx(opts: XlsxOptions): Promise<Buffer> {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  let stringRefs = 0;
  const sheetXml = opts.sheets.map((sheet) => {
    const width = sheet.rows.reduce((m, r) => Math.max(m, r.length), 1);
    const rows = sheet.rows.map((row, r) => {
      const cells = row.map((cell, c) => {
        const ref = `${columnName(c)}${r + 1}`;
        if (cell === null) return '';
        if (typeof cell === 'string') {
          let idx = stringIndex.get(cell);
          if (idx === undefined) {
            idx = strings.length;
            strings.push(cell);
            stringIndex.set(cell, idx);
          }
          stringRefs++;
          return `<c r="${ref}"${r === 0 ? ' s="1"' : ''} t="s"><v>${idx}</v></c>`;
        }
        if (typeof cell === 'number') return `<c r="${ref}" s="2"><v>${cell}</v></c>`;
        return `<c r="${ref}" s="2"><f>${escapeXml(cell.formula)}</f><v>${cell.value}</v></c>`;
      });
      return `<row r="${r + 1}" spans="1:${width}">${cells.join('')}</row>`;
    });
    return (
      XML_DECLARATION +
      `<worksheet ${MAIN_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
      `<dimension ref="A1:${columnName(width - 1)}${Math.max(1, sheet.rows.length)}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>` +
      `<cols><col min="1" max="1" width="32" customWidth="1"/><col min="2" max="${Math.max(2, width)}" width="14" customWidth="1"/></cols>` +
      `<sheetData>${rows.join('')}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
    );
  });
  const sharedStrings =
    XML_DECLARATION +
    `<sst ${MAIN_NS} count="${stringRefs}" uniqueCount="${strings.length}">` +
    strings.map((s) => `<si><t${/^\s|\s$/.test(s) ? ' xml:space="preserve"' : ''}>${escapeXml(s)}</t></si>`).join('') +
    '</sst>';
  const n = opts.sheets.length;
  const workbook =
    XML_DECLARATION +
    `<workbook ${MAIN_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><fileVersion appName="xl" lastEdited="6" lowestEdited="6" rupBuild="14420"/><workbookPr defaultThemeVersion="153222"/><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="20490" windowHeight="7755"/></bookViews><sheets>` +
    opts.sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets><calcPr calcId="152511"/></workbook>';
  const workbookRels: [string, string, string][] = opts.sheets.map((_, i) => [`rId${i + 1}`, REL.worksheet, `worksheets/sheet${i + 1}.xml`]);
  workbookRels.push([`rId${n + 1}`, REL.styles, 'styles.xml'], [`rId${n + 2}`, REL.sharedStrings, 'sharedStrings.xml']);
  const stats =
    `{APPLICATION}<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>` +
    `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>${escapeXml(opts.headingLabel ?? 'Feuilles de calcul')}</vt:lpstr></vt:variant><vt:variant><vt:i4>${n}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="${n}" baseType="lpstr">${opts.sheets.map((s) => `<vt:lpstr>${escapeXml(s.name)}</vt:lpstr>`).join('')}</vt:vector></TitlesOfParts>`;

  const members = [
    {
      path: '[Content_Types].xml',
      data: Buffer.from(
        contentTypesXml(
          [
            ['rels', CT.rels],
            ['xml', CT.xml],
          ],
          [
            ['/xl/workbook.xml', `${SS}.sheet.main+xml`],
            ...opts.sheets.map((_, i): [string, string] => [`/xl/worksheets/sheet${i + 1}.xml`, `${SS}.worksheet+xml`]),
            ['/xl/styles.xml', `${SS}.styles+xml`],
            ['/xl/sharedStrings.xml', `${SS}.sharedStrings+xml`],
            ['/docProps/core.xml', CT.core],
            ['/docProps/app.xml', CT.app],
          ],
        ),
      ),
    },
    { path: '_rels/.rels', data: Buffer.from(packageRelsXml('xl/workbook.xml')) },
    { path: 'xl/_rels/workbook.xml.rels', data: Buffer.from(relationshipsXml(workbookRels)) },
    { path: 'xl/workbook.xml', data: Buffer.from(workbook) },
    { path: 'xl/styles.xml', data: Buffer.from(STYLES_XML) },
    ...sheetXml.map((xml, i) => ({ path: `xl/worksheets/sheet${i + 1}.xml`, data: Buffer.from(xml) })),
    { path: 'xl/sharedStrings.xml', data: Buffer.from(sharedStrings) },
    { path: 'docProps/core.xml', data: Buffer.from(corePropsXml(opts)) },
    { path: 'docProps/app.xml', data: Buffer.from(appPropsXml(opts, 'Microsoft Excel', stats)) },
  ];
  return buildZip(members);
}
