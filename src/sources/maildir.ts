/**
 * Maildir naming (https://cr.yp.to/proto/maildir.html): a maildir is a folder with `cur/`, `new/`
 * and `tmp/`; a message file is `<unique>:2,<flags>`, where flags are single ASCII letters.
 */

/** The three folders of a maildir, in delivery order. */
export const MAILDIR_SUBDIRS = ['cur', 'new', 'tmp'] as const;

/** The standard info-2 flag letters (cr.yp.to/proto/maildir.html, "info semantics"). */
export const MAILDIR_FLAG_NAMES: Readonly<Record<string, string>> = {
  D: 'draft',
  F: 'flagged',
  P: 'passed',
  R: 'replied',
  S: 'seen',
  T: 'trashed',
};

/**
 * True when a folder's entries make it a maildir: `cur` and `new` present. `tmp` is optional
 * because leak dumps and many archivers drop empty folders.
 */
export function isMaildir(dirEntries: string[]): boolean {
  const names = new Set(dirEntries.map((entry) => entry.replace(/[/\\]+$/, '')));
  return names.has('cur') && names.has('new');
}

/** A maildir file name, split: `unique` identifies the message; `info` is what followed the separator. */
export interface MaildirName {
  unique: string;
  /** Names of the standard flags set (`['replied', 'seen']`), in file-name order. */
  flags: string[];
  /** The info part without its separator (`2,RS`), when the name has one. */
  info?: string;
}

/**
 * The info separator is `:` on Unix; Windows cannot store `:` in names, so Dovecot, mbsync and
 * others write `;` or `!` instead. Only a separator followed by `1,` or `2,` counts, so a `;` or
 * `!` inside the unique part is left alone; the last one wins (Dovecot's `,S=<size>` fields sit
 * in the unique part before it).
 */
const INFO_SEPARATOR = /[:;!](?=[12],)/g;

/** Split a maildir file name into its unique part and flags (`123.M4P5.host:2,RS` -> seen, replied). */
export function parseMaildirName(fileName: string): MaildirName {
  let at = -1;
  for (const m of fileName.matchAll(INFO_SEPARATOR)) at = m.index;
  if (at === -1) return { unique: fileName, flags: [] };
  const info = fileName.slice(at + 1);
  const flags: string[] = [];
  // Only "2," carries flags ("1," is the never-specified experimental semantics). Lower-case
  // letters are Dovecot keywords, defined per folder in `dovecot-keywords`: they stay in `info`.
  if (info.startsWith('2,')) {
    for (const letter of info.slice(2)) {
      const flag = MAILDIR_FLAG_NAMES[letter];
      if (flag !== undefined && !flags.includes(flag)) flags.push(flag);
    }
  }
  return { unique: fileName.slice(0, at), flags, info };
}
