/** The shape every reader returns: its text, and its metadata fields with the parts it could not read. */
import type { ExtractedDocument } from '../extract-document.ts';

/**
 * Text plus metadata; `unreadableParts` (string[]) lists the optional parts (a header, notes,
 * metadata) that were present but damaged, so that a partial reading is never silent.
 */
export function readerResult(text: string | null, fields: Record<string, unknown>, problems: readonly string[]): ExtractedDocument {
  if (problems.length > 0) fields.unreadableParts = [...problems];
  return { text, metadata: Object.keys(fields).length > 0 ? fields : null };
}
