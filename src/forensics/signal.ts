/**
 * A forensic signal: one reason a document looks forged (or merely odd), with the facts in the
 * message, in words a journalist can quote. `code` is stable and searchable (`signal:CODE`).
 */
export type Severity = 'high' | 'medium' | 'low';

export interface Signal {
  code: string;
  severity: Severity;
  message: string;
}

/** A document with no provenance and at least one signal of this severity is `suspicious`. */
export const SUSPICIOUS_SEVERITY: Severity = 'high';

/** Every signal code the rules raise (docs/forensics.md describes each): `signal:CODE` searches for them. */
export const SIGNAL_CODES = [
  // Contradictions inside the file (rules/contradictions.ts).
  'modified-before-created', 'edit-time-exceeds-span', 'xmp-info-mismatch', 'thumbnail-mismatch', 'thumbnail-rotated', 'thumbnail-cropped', 'tracked-change-after-save',
  // The calendar (rules/calendar.ts).
  'date-after-cutoff', 'software-anachronism', 'font-anachronism',
  // The trove's own baseline (rules/baseline.ts).
  'foreign-script-author', 'unknown-author', 'foreign-language-tool', 'foreign-timezone', 'rare-software', 'editing-burst',
  // Edits after the fact (rules/revisions.ts).
  'pdf-content-revised', 'pdf-metadata-revised', 'pdf-incremental-update',
] as const;
