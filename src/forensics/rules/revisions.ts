/**
 * Signals from edits made after the fact: a PDF whose later revisions (incremental updates) change
 * what the pages show, or rewrite its document information, with who and when by the revision's
 * own account. Adding comments, filling a form or signing is what incremental updates are for: those
 * are reported, as low.
 */
import type { ChangeKind, PdfRevision } from '../readers/pdf-facts.ts';
import { dateClaim, type DocumentProfile } from '../profile.ts';
import type { Signal } from '../signal.ts';
import { countOf, listOf, quoted, spanOf, whenOf } from '../wording.ts';

const MINUTE = 60_000;
/** A content change this long after the original counts as an edit after the fact whatever the tool. */
const LATE_EDIT_MINUTES = 24 * 60;

const CHANGE_WORDS: Record<ChangeKind, [string, string]> = {
  content: ['page content stream', 'page content streams'],
  'page-added': ['added page', 'added pages'],
  page: ['page object (annotations or resources)', 'page objects (annotations or resources)'],
  annotation: ['annotation or comment', 'annotations or comments'],
  form: ['form field', 'form fields'],
  signature: ['signature', 'signatures'],
  font: ['font', 'fonts'],
  image: ['image', 'images'],
  info: ['document information dictionary', 'document information dictionaries'],
  metadata: ['XMP metadata stream', 'XMP metadata streams'],
  catalog: ['document catalog or page tree', 'document catalog or page tree objects'],
  structure: ['cross-reference or object stream', 'cross-reference or object streams'],
  other: ['other object', 'other objects'],
};

function whatChanged(r: PdfRevision): string {
  const parts = (Object.entries(r.changes) as [ChangeKind, number][])
    .filter(([k]) => k !== 'structure')
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${n === 1 ? CHANGE_WORDS[k][0] : CHANGE_WORDS[k][1]}`);
  return parts.length > 0 ? listOf(parts) : 'no object that could be read';
}

/** Signals about the later revisions of a PDF. */
export function revisionSignals(p: DocumentProfile): Signal[] {
  const pdf = p.pdf;
  if (!pdf || pdf.revisions.length < 2) return [];
  const first = pdf.revisions[0] as PdfRevision;
  const original = first.info ?? null;
  const originalWhen = dateClaim('CreationDate', original?.created) ?? dateClaim('ModDate', original?.modified) ?? p.created;
  const originalProducer = original?.Producer ?? null;
  const out: Signal[] = [];
  const total = pdf.revisions.length;
  let producer = originalProducer;
  for (const r of pdf.revisions.slice(1)) {
    const c = r.changes;
    const contentChanged = (c.content ?? 0) + (c['page-added'] ?? 0) > 0;
    const infoRewritten = (c.info ?? 0) + (c.metadata ?? 0) > 0;
    // Comments, form entries and signatures are what incremental updates are for; saving them also rewrites the Info.
    const ordinary = (c.annotation ?? 0) + (c.form ?? 0) + (c.signature ?? 0) > 0;
    const when = dateClaim(`revision ${r.number} ModDate`, r.info?.modified);
    const by = r.info?.Producer ?? null;
    const newProducer = by !== null && by !== producer;
    const late = when && originalWhen ? (when.ms - originalWhen.ms) / MINUTE : null;
    const who = `${when ? ` on ${whenOf(when)}` : ' (the revision does not say when)'}${by ? ` by ${quoted(by)}` : ''}`;
    const origin = originalWhen || originalProducer ? ` (the original${originalWhen ? `: ${whenOf(originalWhen)}` : ''}${originalProducer ? ` by ${quoted(originalProducer)}` : ''})` : '';
    const lead = `Revision ${r.number} of ${total} was added${who}, after the PDF was first made${origin}; it changes ${whatChanged(r)}`;
    if (contentChanged) {
      const serious = newProducer || (late !== null && late > LATE_EDIT_MINUTES);
      out.push({
        code: 'pdf-content-revised',
        severity: serious ? 'high' : 'medium',
        message: `${lead}. What the pages show was changed after the document was first saved${late !== null && late > 0 ? `, ${spanOf(late)} later` : ''}${newProducer ? ', with other software' : ''}.`,
      });
    } else if (infoRewritten && !ordinary && (newProducer || (late !== null && late > LATE_EDIT_MINUTES))) {
      out.push({
        code: 'pdf-metadata-revised',
        severity: 'medium',
        message: `${lead}. The pages are unchanged, but the document's metadata (author, dates or producer) was rewritten afterwards.`,
      });
    } else {
      out.push({
        code: 'pdf-incremental-update',
        severity: 'low',
        message: `${lead}. Nothing drawn on the pages changed: this is how PDF readers save comments, form entries and signatures.`,
      });
    }
    if (by) producer = by;
  }
  if (out.length > 1) {
    // One signal per code: the most severe revision's words, with the count.
    const byCode = new Map<string, Signal>();
    const rank = { high: 0, medium: 1, low: 2 } as const;
    for (const s of out) {
      const had = byCode.get(s.code);
      if (!had || rank[s.severity] < rank[had.severity]) byCode.set(s.code, s);
    }
    const n = out.length;
    return [...byCode.values()].map((s) => ({ ...s, message: `${s.message} (${countOf(n, 'later revision')} in all.)` }));
  }
  return out;
}
