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
