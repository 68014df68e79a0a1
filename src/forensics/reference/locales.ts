/**
 * How a file tells the language of the software that saved it, and the writing system of a name.
 *
 * - Office writes the headings of its document statistics (OOXML app.xml `HeadingPairs`, OLE2
 *   DocumentSummaryInformation property 12) in the language of its user interface: a Russian Excel
 *   writes "Листы" where a French one writes "Feuilles de calcul". The words below are the ones
 *   Office writes; a heading not listed here still tells its script ("a Cyrillic-script Office").
 * - Word's .doc header carries the install language as a Windows language id (LCID, [MS-LCID]).
 * - OLE2 property sets and RTF files carry the Windows code page of the system that wrote them.
 */

/** Office heading names (Word: title; Excel: worksheets, named ranges; PowerPoint: slide titles, fonts, theme). */
export const OFFICE_HEADINGS: Readonly<Record<string, string>> = {
  // English
  Title: 'English', Worksheets: 'English', 'Named Ranges': 'English', Charts: 'English', 'Slide Titles': 'English', 'Fonts Used': 'English', Theme: 'English', 'Design Template': 'English', Headings: 'English',
  // French
  Titre: 'French', 'Feuilles de calcul': 'French', 'Plages nommées': 'French', Graphiques: 'French', 'Titres des diapositives': 'French', 'Polices utilisées': 'French', Thème: 'French',
  // German
  Titel: 'German, Dutch or Swedish', Arbeitsblätter: 'German', 'Benannte Bereiche': 'German', Diagramme: 'German', Folientitel: 'German', 'Verwendete Schriftarten': 'German',
  // Spanish, Portuguese, Italian
  Título: 'Spanish or Portuguese', 'Hojas de cálculo': 'Spanish', 'Rangos con nombre': 'Spanish', 'Títulos de diapositiva': 'Spanish', 'Fuentes usadas': 'Spanish',
  Planilhas: 'Portuguese', 'Intervalos nomeados': 'Portuguese', 'Títulos de slides': 'Portuguese',
  Titolo: 'Italian', 'Fogli di lavoro': 'Italian', 'Intervalli denominati': 'Italian', 'Titoli diapositive': 'Italian', 'Tipi di carattere utilizzati': 'Italian',
  // Dutch, Nordic
  Werkbladen: 'Dutch', 'Benoemde bereiken': 'Dutch', Kalkylblad: 'Swedish', Regneark: 'Danish or Norwegian', Laskentataulukot: 'Finnish', Otsikko: 'Finnish',
  // Slavic and others
  Название: 'Russian', Листы: 'Russian', 'Именованные диапазоны': 'Russian', Диаграммы: 'Russian', 'Заголовки слайдов': 'Russian', 'Использованные шрифты': 'Russian', Тема: 'Russian',
  Назва: 'Ukrainian', Аркуші: 'Ukrainian', Tytuł: 'Polish', Arkusze: 'Polish', Název: 'Czech', Listy: 'Czech', Cím: 'Hungarian', Munkalapok: 'Hungarian',
  Başlık: 'Turkish', 'Çalışma Sayfaları': 'Turkish', Τίτλος: 'Greek', 'Φύλλα εργασίας': 'Greek',
  // Asian, right-to-left
  タイトル: 'Japanese', ワークシート: 'Japanese', 标题: 'Chinese (Simplified)', 工作表: 'Chinese', 標題: 'Chinese (Traditional)', 제목: 'Korean', 워크시트: 'Korean',
  العنوان: 'Arabic', 'أوراق العمل': 'Arabic', כותרת: 'Hebrew', 'גליונות עבודה': 'Hebrew',
};

/** Primary language of a Windows LCID (`lcid & 0x3ff`). */
export const LCID_LANGUAGES: Readonly<Record<number, string>> = {
  0x01: 'Arabic', 0x02: 'Bulgarian', 0x04: 'Chinese', 0x05: 'Czech', 0x06: 'Danish', 0x07: 'German', 0x08: 'Greek', 0x09: 'English', 0x0a: 'Spanish',
  0x0b: 'Finnish', 0x0c: 'French', 0x0d: 'Hebrew', 0x0e: 'Hungarian', 0x10: 'Italian', 0x11: 'Japanese', 0x12: 'Korean', 0x13: 'Dutch',
  0x14: 'Norwegian', 0x15: 'Polish', 0x16: 'Portuguese', 0x18: 'Romanian', 0x19: 'Russian', 0x1a: 'Croatian or Serbian', 0x1b: 'Slovak',
  0x1d: 'Swedish', 0x1e: 'Thai', 0x1f: 'Turkish', 0x22: 'Ukrainian', 0x23: 'Belarusian', 0x25: 'Estonian', 0x26: 'Latvian', 0x27: 'Lithuanian',
  0x29: 'Persian', 0x2a: 'Vietnamese', 0x3f: 'Kazakh',
};

/** Windows code pages that name a locale family (Unicode code pages 1200 and 65001 name none). */
export const CODEPAGE_FAMILIES: Readonly<Record<number, string>> = {
  874: 'Thai', 932: 'Japanese', 936: 'Simplified Chinese', 949: 'Korean', 950: 'Traditional Chinese', 1250: 'Central European',
  1251: 'Cyrillic', 1252: 'Western European', 1253: 'Greek', 1254: 'Turkish', 1255: 'Hebrew', 1256: 'Arabic', 1257: 'Baltic', 1258: 'Vietnamese',
};

/** Writing systems told apart in names. */
const SCRIPTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Han', /\p{Script=Han}/u],
  ['Japanese kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
];

/** The writing system most of a text's letters are in, or null when it has no letters. */
export function scriptOf(text: string): string | null {
  const counts = new Map<string, number>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    const s = SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? 'other';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best: string | null = null;
  let n = 0;
  for (const [s, c] of counts) if (c > n) [best, n] = [s, c];
  return best;
}

/** The UI language an Office heading name tells, or the script it is written in (`a Cyrillic-script version`). */
export function languageOfHeading(heading: string): string | null {
  const h = heading.trim();
  if (!h) return null;
  const known = OFFICE_HEADINGS[h];
  if (known) return known;
  const script = scriptOf(h);
  return script && script !== 'Latin' ? `${script}-script` : null;
}
