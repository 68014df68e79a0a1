/**
 * Signals from a document's own metadata contradicting itself: saved before it was created, edited
 * longer than it existed, an Info dictionary and an XMP packet that disagree, a camera thumbnail of
 * another picture, tracked changes made after the last save.
 *
 * Dates written without a time zone may be off by a time-zone difference (up to 14 hours); every
 * comparison allows for it, and a contradiction smaller than a day is never more than medium.
 */
import { dateClaim, type DateClaim, type DocumentProfile } from '../profile.ts';
import { SAME_PICTURE } from '../readers/image-likeness.ts';
import type { Signal } from '../signal.ts';
import { quoted, spanOf, whenOf } from '../wording.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** Two dates with zones may differ by clock rounding and write order. */
const ZONED_TOLERANCE = 10 * MINUTE;
/** A date without a zone may be up to this far from the instant it stands for. */
const UNZONED_TOLERANCE = 14 * 60 * MINUTE;

/** Thumbnail thresholds (image-likeness.ts): below the first correlation or detail (or above the region difference) the thumbnail shows another picture. */
export const THUMBNAIL_DIFFERENT = { correlation: 0.8, region: 0.8, detail: 0.5 };
export const THUMBNAIL_ALTERED = SAME_PICTURE;

/** How far apart two claims may be without contradiction. */
export function toleranceOf(a: DateClaim, b: DateClaim): number {
  return a.zoned && b.zoned ? ZONED_TOLERANCE : UNZONED_TOLERANCE;
}

function modifiedBeforeCreated(p: DocumentProfile): Signal | null {
  const { created, modified } = p;
  if (!created || !modified) return null;
  const gap = created.ms - modified.ms;
  if (gap <= toleranceOf(created, modified)) return null;
  return {
    code: 'modified-before-created',
    severity: gap > DAY ? 'high' : 'medium',
    message: `Last saved on ${whenOf(modified)} (${modified.field}), ${spanOf(gap / MINUTE)} before it was created on ${whenOf(created)} (${created.field}): a file cannot be saved before it exists, so one of these dates was changed.`,
  };
}

function editTimeExceedsSpan(p: DocumentProfile): Signal | null {
  const { created, modified, editMinutes } = p;
  if (!created || !modified || editMinutes === null || editMinutes <= 0) return null;
  const span = (modified.ms - created.ms) / MINUTE;
  if (span < 0) return null;
  // Editing time is counted in whole minutes, sometimes per session: allow an hour, and the zones.
  const slack = 60 + toleranceOf(created, modified) / MINUTE + span * 0.05;
  if (editMinutes <= span + slack) return null;
  return {
    code: 'edit-time-exceeds-span',
    severity: 'medium',
    message: `The file records ${spanOf(editMinutes)} of editing, but only ${spanOf(span)} passed between its creation (${whenOf(created)}) and its last save (${whenOf(modified)}): its dates or its editing time were changed, or it was saved from an older document under a new creation date.`,
  };
}

function xmpInfoMismatch(p: DocumentProfile): Signal | null {
  const pdf = p.pdf;
  const info = pdf?.info;
  const xmp = pdf?.xmp?.properties;
  if (!pdf || !info || !xmp) return null;
  const found: { severity: Signal['severity']; text: string }[] = [];
  const compareDates = (infoIso: string | null | undefined, xmpIso: string | undefined, what: string, hard: boolean): void => {
    if (!infoIso || !xmpIso) return;
    const a = dateClaim('Info', infoIso);
    const b = dateClaim('XMP', xmpIso);
    if (!a || !b) return;
    const gap = Math.abs(a.ms - b.ms);
    if (gap <= toleranceOf(a, b)) return;
    found.push({ severity: hard && gap > DAY ? 'high' : 'medium', text: `the ${what} is ${infoIso} in the Info dictionary but ${xmpIso} in the XMP metadata (${spanOf(gap / MINUTE)} apart)` });
  };
  compareDates(info.created, xmp.CreateDate, 'creation date', true);
  compareDates(info.modified, xmp.ModifyDate, 'modification date', false);
  const same = (a: string, b: string): boolean => {
    const x = a.replace(/\s+/g, ' ').trim().toLowerCase();
    const y = b.replace(/\s+/g, ' ').trim().toLowerCase();
    return x === y || x.includes(y) || y.includes(x);
  };
  if (info.Producer && xmp.Producer && !same(info.Producer, xmp.Producer)) found.push({ severity: 'medium', text: `the producer is ${quoted(info.Producer)} in the Info dictionary but ${quoted(xmp.Producer)} in the XMP metadata` });
  const xmpAuthor = pdf.xmp?.arrays.creator?.[0];
  if (info.Author && xmpAuthor && !same(info.Author, xmpAuthor)) found.push({ severity: 'medium', text: `the author is ${quoted(info.Author)} in the Info dictionary but ${quoted(xmpAuthor)} in the XMP metadata` });
  if (found.length === 0) return null;
  return {
    code: 'xmp-info-mismatch',
    severity: found.some((f) => f.severity === 'high') ? 'high' : 'medium',
    message: `The PDF's two copies of its metadata disagree: ${found.map((f) => f.text).join('; ')}. PDF writers fill both at once; a tool that changed one and not the other edited the file afterwards${found.some((f) => f.severity === 'high') ? ', and a creation date is never legitimately rewritten' : ''}.`,
  };
}

function thumbnailMismatch(p: DocumentProfile): Signal | null {
  const t = p.image?.thumbnail;
  const l = t?.likeness;
  if (!t || !l) return null;
  const describe = `(similarity ${l.correlation.toFixed(2)} out of 1, and ${Math.max(0, l.detail).toFixed(2)} in detail; the most different part is the ${l.worstRegionName})`;
  if (l.correlation < THUMBNAIL_DIFFERENT.correlation || l.worstRegion > THUMBNAIL_DIFFERENT.region || l.detail < THUMBNAIL_DIFFERENT.detail) {
    return {
      code: 'thumbnail-mismatch',
      severity: 'high',
      message: `The small preview picture stored in the photo's Exif block (${t.width}×${t.height}) does not show the same picture as the photo itself ${describe}: the photo was changed after it was taken, by software that left the camera's preview as it was.`,
    };
  }
  if (l.correlation < THUMBNAIL_ALTERED.correlation || l.worstRegion > THUMBNAIL_ALTERED.region || l.detail < THUMBNAIL_ALTERED.detail) {
    return {
      code: 'thumbnail-mismatch',
      severity: 'medium',
      message: `The small preview picture stored in the photo's Exif block differs in part from the photo itself ${describe}: part of the picture may have been edited after it was taken.`,
    };
  }
  if (l.transform.startsWith('cropped')) {
    return {
      code: 'thumbnail-cropped',
      severity: 'low',
      message: `The Exif preview picture shows more than the photo does: the photo is that picture ${l.transform} (similarity ${l.correlation.toFixed(2)}), cut after it was taken by software that left the preview as it was. Cropping is an ordinary edit, but what was cut away can be seen in the preview.`,
    };
  }
  if (l.transform !== 'none') {
    return {
      code: 'thumbnail-rotated',
      severity: 'low',
      message: `The Exif preview picture shows the photo ${l.transform}: the photo was turned by software that left the preview as it was (an ordinary edit).`,
    };
  }
  return null;
}

function trackedChangeAfterSave(p: DocumentProfile): Signal | null {
  const { modified } = p;
  if (!modified) return null;
  for (const a of p.trackedChanges) {
    if (!a.last) continue;
    const change = dateClaim('tracked change', a.last);
    // Word writes local time marked as UTC in w:date: allow the zones.
    if (change && change.ms - modified.ms > UNZONED_TOLERANCE) {
      return {
        code: 'tracked-change-after-save',
        severity: 'medium',
        message: `A tracked change by ${quoted(a.name || 'an unnamed author')} is dated ${whenOf(change)}, ${spanOf((change.ms - modified.ms) / MINUTE)} after the document's own last save (${whenOf(modified)}): the save date was set back, or the change's date is false.`,
      };
    }
  }
  return null;
}

/** Every contradiction found inside the document's own metadata. */
export function contradictionSignals(p: DocumentProfile): Signal[] {
  return [modifiedBeforeCreated(p), editTimeExceedsSpan(p), xmpInfoMismatch(p), thumbnailMismatch(p), trackedChangeAfterSave(p)].filter((s): s is Signal => s !== null);
}
