/**
 * Every search field, declared once (STYLE.md §5; anchor: notmuch `lib/prefix.cc` `prefix_table[]`).
 * The query parser, `trove search --help`, the index compiler and docs/search.md (checked by a test)
 * all read this table; a new field is one entry here plus its paragraph in the docs.
 */
import { VERDICT_ORDER } from '../dkim/verdict.ts';
import type { ItemKind } from '../extract/format.ts';
import { FORMATS, UNKNOWN_FORMAT } from '../extract/registry.ts';

/**
 * How a field is matched. `text`: full-text columns, folded for case and accents by the index;
 * `keyword`: exact match on a stored value; `date`: a range of calendar days; `size`: a comparison in bytes.
 */
export type FieldKind = 'text' | 'keyword' | 'date' | 'size';

interface FieldBase {
  /** Canonical name, lower case, written before the colon. */
  readonly name: string;
  /** Other names accepted for the same field (shown once, in the docs). */
  readonly aliases: readonly string[];
  /** One line for `trove search --help` and the docs. */
  readonly description: string;
  /** A query that uses the field; the tests check that it parses. */
  readonly example: string;
}

/** Matched against full-text index columns, folded for case and accents. */
export interface TextField extends FieldBase {
  readonly kind: 'text';
  /** Full-text index columns this field searches (several for `participant`). */
  readonly columns: readonly string[];
}

/** Matched exactly against one stored value per item (or several, such as an email's domains). */
export interface KeywordField extends FieldBase {
  readonly kind: 'keyword';
  /** The closed vocabulary, or null when any value matching `pattern` is accepted. */
  readonly values: readonly string[] | null;
  /** Values are compared in lower case (every keyword field but thread IDs). */
  readonly foldCase: boolean;
  /** What a value must look like when there is no closed vocabulary. */
  readonly pattern: RegExp | null;
  /** How to write a value, for error messages ("a domain, like elysee.fr"). */
  readonly hint: string;
}

/** A range of calendar days. */
export interface DateField extends FieldBase {
  readonly kind: 'date';
}

/** A comparison with a number of bytes. */
export interface SizeField extends FieldBase {
  readonly kind: 'size';
}

/** One row of the table. */
export type FieldSpec = TextField | KeywordField | DateField | SizeField;

const ITEM_KINDS = ['email', 'attachment', 'document', 'container'] as const satisfies readonly ItemKind[];
// Compile-time check that ITEM_KINDS lists every ItemKind: adding a kind upstream fails here.
const _everyKind: [Exclude<ItemKind, (typeof ITEM_KINDS)[number]>] extends [never] ? true : false = true;

/**
 * Document verdicts (ARCHITECTURE.md "Verdicts"). Declared here until the provenance and forensics
 * stages that produce them exist; then they should export the list and this should import it.
 */
const DOCUMENT_VERDICTS = ['authentic-by-provenance', 'altered-copy', 'suspicious', 'unproven'] as const;

/** `type:` takes what an item is to an investigator, or its detected format. */
const TYPE_VALUES: readonly string[] = [
  ...new Set([...ITEM_KINDS, ...FORMATS.map((f) => f.name), UNKNOWN_FORMAT.name]),
];

/** Every verdict `verdict:` accepts: email verdicts, then document verdicts. */
export const VERDICT_VALUES: readonly string[] = [...VERDICT_ORDER, ...DOCUMENT_VERDICTS];

/** The fields, in the order `trove search --help` lists them. */
export const FIELDS = [
  {
    name: 'from',
    aliases: [],
    kind: 'text',
    columns: ['from'],
    description: 'sender: name or address in the From: header',
    example: 'from:elysee.fr',
  },
  {
    name: 'to',
    aliases: [],
    kind: 'text',
    columns: ['to'],
    description: 'recipient: name or address in the To: header',
    example: 'to:"jean dupont"',
  },
  {
    name: 'cc',
    aliases: [],
    kind: 'text',
    columns: ['cc'],
    description: 'copied recipient: name or address in the Cc: header',
    example: 'cc:en-marche.fr',
  },
  {
    name: 'participant',
    aliases: ['with'],
    kind: 'text',
    columns: ['from', 'to', 'cc'],
    description: 'anyone on the email: From:, To: or Cc:',
    example: 'participant:macron',
  },
  {
    name: 'subject',
    aliases: [],
    kind: 'text',
    columns: ['subject'],
    description: 'words in the subject line',
    example: 'subject:"budget 2017"',
  },
  {
    name: 'body',
    aliases: [],
    kind: 'text',
    columns: ['body'],
    description: 'words in the text of an email or of a document',
    example: 'body:virement',
  },
  {
    name: 'filename',
    aliases: [],
    kind: 'text',
    columns: ['filename'],
    description: 'words in the name of a file or attachment',
    example: 'filename:facture*',
  },
  {
    name: 'type',
    aliases: [],
    kind: 'keyword',
    values: TYPE_VALUES,
    foldCase: true,
    pattern: null,
    hint: 'a kind of item (email, attachment, document, container) or a format (pdf, docx, xlsx ...)',
    description: 'what the item is (email, attachment, document, container) or its format (pdf, docx ...)',
    example: 'type:pdf',
  },
  {
    name: 'domain',
    aliases: [],
    kind: 'keyword',
    values: null,
    foldCase: true,
    pattern: /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*$/u,
    hint: 'a domain name, like elysee.fr (to find an address, use from:, to: or participant:)',
    description: 'domain of any address on the email, subdomains included',
    example: 'domain:en-marche.fr',
  },
  {
    name: 'verdict',
    aliases: [],
    kind: 'keyword',
    values: VERDICT_VALUES,
    foldCase: true,
    pattern: null,
    hint: 'a verdict, like authentic or body-modified',
    description: "trove's verdict on the item (authentic, body-modified, suspicious ...)",
    example: 'verdict:authentic',
  },
  {
    name: 'signal',
    aliases: [],
    kind: 'keyword',
    values: null,
    foldCase: true,
    pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    hint: 'a signal code: lower-case words joined by hyphens, as `trove show` prints them',
    description: 'a forensic signal raised on the item, by its code',
    example: 'signal:editing-burst',
  },
  {
    name: 'date',
    aliases: [],
    kind: 'date',
    description: "day the email was sent, on the sender's calendar (its Date: header)",
    example: 'date:2017-03-01..2017-04-24',
  },
  {
    name: 'size',
    aliases: [],
    kind: 'size',
    description: 'size of the item in bytes as found (an email includes its attachments)',
    example: 'size:>1MB',
  },
  {
    name: 'has',
    aliases: [],
    kind: 'keyword',
    values: ['attachment'],
    foldCase: true,
    pattern: null,
    hint: 'has:attachment',
    description: 'emails that carry at least one attachment',
    example: 'has:attachment',
  },
  {
    name: 'thread',
    aliases: [],
    kind: 'keyword',
    values: null,
    foldCase: false,
    pattern: /^\S+$/u,
    hint: 'a thread ID, as `trove show` prints it',
    description: 'every item in one thread, by its ID',
    example: 'thread:3f9a6c1e',
  },
] as const satisfies readonly FieldSpec[];

type FieldEntry = (typeof FIELDS)[number];
/** Field names as types, derived from the table so that the AST cannot name a field that does not exist. */
export type FieldName = FieldEntry['name'];
export type TextFieldName = Extract<FieldEntry, { kind: 'text' }>['name'];
export type KeywordFieldName = Extract<FieldEntry, { kind: 'keyword' }>['name'];
export type DateFieldName = Extract<FieldEntry, { kind: 'date' }>['name'];
export type SizeFieldName = Extract<FieldEntry, { kind: 'size' }>['name'];

const BY_NAME = new Map<string, FieldSpec>();
for (const f of FIELDS as readonly FieldSpec[]) {
  for (const n of [f.name, ...f.aliases]) BY_NAME.set(n, f);
}

/** The field called `name` (or one of its aliases), case-insensitively; undefined when there is none. */
export function lookupField(name: string): FieldSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name the parser accepts before a colon: canonical names and aliases. */
export function fieldNames(): string[] {
  return [...BY_NAME.keys()];
}
