/**
 * Each signal rule on a hand-made case: the signal fires with its code, severity and the facts in
 * its message, and the ordinary quirk next to it does not fire (or stays below high).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dateClaim, emptyProfile, type DocumentProfile } from '../../src/forensics/profile.ts';
import type { ImageFacts } from '../../src/forensics/readers/image-facts.ts';
import type { PdfFacts, PdfRevision } from '../../src/forensics/readers/pdf-facts.ts';
import { calendarSignals, type Cutoff } from '../../src/forensics/rules/calendar.ts';
import { contradictionSignals } from '../../src/forensics/rules/contradictions.ts';
import { revisionSignals } from '../../src/forensics/rules/revisions.ts';
import { SIGNAL_CODES, type Signal } from '../../src/forensics/signal.ts';
import { FIELDS } from '../../src/search/fields.ts';

function profile(over: Partial<DocumentProfile> & { createdIso?: string; modifiedIso?: string } = {}): DocumentProfile {
  const p = { ...emptyProfile('docx', 'ooxml'), ...over };
  if (over.createdIso) p.created = dateClaim('created', over.createdIso);
  if (over.modifiedIso) p.modified = dateClaim('modified', over.modifiedIso);
  p.dates = [p.created, p.modified, ...(over.dates ?? [])].filter((d): d is NonNullable<typeof d> => d !== null);
  return p;
}

const only = (signals: Signal[], code: string): Signal | undefined => signals.find((s) => s.code === code);

function pdfFacts(over: Partial<PdfFacts>): PdfFacts {
  return { reader: 'pdf', version: '1.7', encrypted: false, linearized: false, eofMarkers: 1, revisions: [], info: null, xmp: null, fonts: [], pages: 1, lang: null, problems: [], ...over };
}

describe('contradictions', () => {
  it('modified-before-created: high beyond a day, medium within, silent within the zones', () => {
    const s = only(contradictionSignals(profile({ createdIso: '2016-06-01T10:00:00Z', modifiedIso: '2015-02-01T10:00:00Z' })), 'modified-before-created');
    assert.equal(s?.severity, 'high');
    assert.match(s!.message, /Last saved on 2015-02-01 10:00 UTC \(modified\), 16 months before it was created on 2016-06-01 10:00 UTC/);
    assert.equal(only(contradictionSignals(profile({ createdIso: '2016-06-01T10:00:00Z', modifiedIso: '2016-06-01T02:00:00Z' })), 'modified-before-created')?.severity, 'medium');
    assert.equal(contradictionSignals(profile({ createdIso: '2016-06-01T10:00:00', modifiedIso: '2016-06-01T09:00:00Z' })).length, 0, 'a date without a zone may be hours off');
    assert.equal(contradictionSignals(profile({ createdIso: '2016-06-01T10:00:05Z', modifiedIso: '2016-06-01T10:00:00Z' })).length, 0, 'seconds of write order');
  });

  it('edit-time-exceeds-span: medium, with the minutes in words', () => {
    const s = only(contradictionSignals(profile({ createdIso: '2016-06-01T10:00:00Z', modifiedIso: '2016-06-01T10:30:00Z', editMinutes: 6000 })), 'edit-time-exceeds-span');
    assert.equal(s?.severity, 'medium');
    assert.match(s!.message, /records 4 days of editing, but only 30 minutes passed/);
    assert.equal(contradictionSignals(profile({ createdIso: '2016-06-01T10:00:00Z', modifiedIso: '2016-06-03T10:30:00Z', editMinutes: 600 })).length, 0);
  });

  it('xmp-info-mismatch: a rewritten creation date is high, a stale modification date medium', () => {
    const pdf = pdfFacts({
      info: { Producer: 'Microsoft® Word 2016', created: '2014-03-01T10:00:00+01:00', modified: '2016-03-01T10:00:00+01:00' },
      xmp: { properties: { Producer: 'Microsoft® Word 2016', CreateDate: '2016-03-01T10:00:00+01:00', ModifyDate: '2016-03-01T10:00:00+01:00' }, arrays: {}, history: [] },
    });
    const s = only(contradictionSignals(profile({ pdf })), 'xmp-info-mismatch');
    assert.equal(s?.severity, 'high');
    assert.match(s!.message, /the creation date is 2014-03-01T10:00:00\+01:00 in the Info dictionary but 2016-03-01T10:00:00\+01:00 in the XMP metadata \(2 years apart\)/);
    const stale = pdfFacts({
      info: { Producer: 'pdftk', created: '2016-03-01T10:00:00+01:00', modified: '2016-09-01T10:00:00+02:00' },
      xmp: { properties: { Producer: 'Microsoft® Word 2016', CreateDate: '2016-03-01T10:00:00+01:00', ModifyDate: '2016-03-01T10:00:00+01:00' }, arrays: {}, history: [] },
    });
    assert.equal(only(contradictionSignals(profile({ pdf: stale })), 'xmp-info-mismatch')?.severity, 'medium');
    const same = pdfFacts({ info: { Producer: 'Acrobat Distiller 11.0 (Windows)', created: '2016-03-01T10:00:00+01:00' }, xmp: { properties: { Producer: 'Acrobat Distiller 11.0 (Windows)', CreateDate: '2016-03-01T09:00:00Z' }, arrays: {}, history: [] } });
    assert.equal(contradictionSignals(profile({ pdf: same })).length, 0, 'the same instant in two zones');
  });

  it('thumbnail-mismatch: another picture is high, a turned one only low', () => {
    const image = (correlation: number, worstRegion: number, transform = 'none', detail = 0.95): ImageFacts => ({
      reader: 'image', format: 'jpeg', width: 800, height: 600, exif: null, dates: { modified: null, original: null, digitized: null, gps: null }, xmp: null, text: {}, problems: [],
      thumbnail: { width: 160, height: 120, bytes: 4000, notCompared: null, likeness: { correlation, worstRegion, worstRegionName: 'centre', detail, transform, trimmed: [0, 0, 0, 0] } },
    });
    assert.equal(only(contradictionSignals(profile({ image: image(0.4, 1.9) })), 'thumbnail-mismatch')?.severity, 'high');
    assert.equal(only(contradictionSignals(profile({ image: image(0.96, 0.3, 'none', 0.2) })), 'thumbnail-mismatch')?.severity, 'high', 'alike in shape, not in detail: another photo of a similar scene');
    assert.equal(only(contradictionSignals(profile({ image: image(0.95, 0.5) })), 'thumbnail-mismatch')?.severity, 'medium');
    assert.equal(only(contradictionSignals(profile({ image: image(0.99, 0.05, 'rotated 90°') })), 'thumbnail-rotated')?.severity, 'low');
    assert.equal(only(contradictionSignals(profile({ image: image(0.99, 0.05, "cropped to about 60% of the camera's width") })), 'thumbnail-cropped')?.severity, 'low');
    assert.equal(contradictionSignals(profile({ image: image(0.995, 0.08) })).length, 0);
  });

  it('tracked-change-after-save: a change dated weeks after the last save', () => {
    const s = only(contradictionSignals(profile({ modifiedIso: '2016-06-01T10:00:00Z', trackedChanges: [{ name: 'Zoé Château', count: 1, first: '2016-07-01T10:00:00Z', last: '2016-07-01T10:00:00Z' }] })), 'tracked-change-after-save');
    assert.equal(s?.severity, 'medium');
    assert.match(s!.message, /"Zoé Château" is dated 2016-07-01 10:00 UTC, 30 days after/);
    assert.equal(contradictionSignals(profile({ modifiedIso: '2016-06-01T10:00:00Z', trackedChanges: [{ name: 'Z', count: 1, first: null, last: '2016-06-01T18:00:00Z' }] })).length, 0, 'Word writes local time marked UTC');
  });
});

describe('calendar', () => {
  const cutoff: Cutoff = { ms: Date.parse('2017-05-03T08:00:00Z'), what: 'the latest authentic email of the trove', lastMailMs: Date.parse('2017-05-05T17:00:00Z') };

  it('date-after-cutoff: high after all the trove’s mail, medium within its unauthenticated tail', () => {
    const late = only(calendarSignals(profile({ modifiedIso: '2017-06-20T10:00:00Z' }), cutoff), 'date-after-cutoff');
    assert.equal(late?.severity, 'high');
    assert.match(late!.message, /Dated 2017-06-20 10:00 UTC \(modified\), 48 days after the latest authentic email of the trove \(2017-05-03 08:00 UTC\): the trove's own mail ends before/);
    assert.equal(only(calendarSignals(profile({ modifiedIso: '2017-05-05T10:00:00Z' }), cutoff), 'date-after-cutoff')?.severity, 'medium');
    assert.equal(only(calendarSignals(profile({ dates: [dateClaim('last printed', '2017-07-01T10:00:00Z')!] }), cutoff), 'date-after-cutoff')?.severity, 'medium', 'a print date is set carelessly');
    assert.equal(calendarSignals(profile({ modifiedIso: '2017-05-03T20:00:00Z' }), cutoff).length, 0, 'within a day');
    assert.equal(calendarSignals(profile({ modifiedIso: '2030-01-01T00:00:00Z' }), null).length, 0, 'no authentic email, no cutoff');
  });

  it('software-anachronism: Office 2016 dated 2013 is high, with the release and its source', () => {
    const p = profile({ modifiedIso: '2013-06-01T10:00:00Z' });
    p.software = [{ field: 'Application', name: 'Microsoft Office Word 16.0000', at: p.modified }];
    const s = only(calendarSignals(p, null), 'software-anachronism');
    assert.equal(s?.severity, 'high');
    assert.match(s!.message, /Saved by "Microsoft Office Word 16\.0000" \(Application\) on 2013-06-01 10:00 UTC \(modified\), 2 years 4 months before that software was released \(Microsoft Office 2016.*first available on 2015-09-22, in public preview from 2015-03-16; source: https:\/\/en\.wikipedia\.org\/wiki\/Microsoft_Office_2016\)/);
  });

  it('software-anachronism: preview versions are medium; a newer Office than the one that created the file is nothing', () => {
    const preview = profile({ modifiedIso: '2015-06-01T10:00:00Z' });
    preview.software = [{ field: 'Application', name: 'Microsoft Office Word 16.0000', at: preview.modified }];
    assert.equal(only(calendarSignals(preview, null), 'software-anachronism')?.severity, 'medium');
    const resaved = profile({ createdIso: '2009-01-01T10:00:00Z', modifiedIso: '2016-06-01T10:00:00Z' });
    resaved.software = [{ field: 'Application', name: 'Microsoft Office Word 16.0000', at: resaved.modified }];
    assert.equal(calendarSignals(resaved, null).length, 0);
  });

  it('software-anachronism: LibreOffice keeps the dates it converts, so it is only medium, and says so', () => {
    const p = profile({ modifiedIso: '2014-06-01T10:00:00' });
    p.software = [{ field: 'generator', name: 'LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2', at: p.modified }];
    const s = only(calendarSignals(p, null), 'software-anachronism');
    assert.equal(s?.severity, 'medium');
    assert.match(s!.message, /may be a later conversion/);
  });

  it('software-anachronism: a copyright year in the producer dates the build', () => {
    const p = profile({ modifiedIso: '2012-06-01T10:00:00Z' });
    p.software = [{ field: 'Producer', name: 'SomePDF Library 3.1 (c) 2001-2015 Example Ltd', at: p.modified }];
    assert.match(only(calendarSignals(p, null), 'software-anachronism')!.message, /copyright notice runs to 2015/);
  });

  it('font-anachronism: Calibri in a document dated February 2006 (the Calibri-gate case)', () => {
    const s = only(calendarSignals(profile({ createdIso: '2006-02-14T09:00:00Z', modifiedIso: '2006-02-14T10:00:00Z', fonts: ['Calibri', 'Times New Roman'] }), null), 'font-anachronism');
    assert.equal(s?.severity, 'high');
    assert.match(s!.message, /Uses the font "Calibri", but its latest date is 2006-02-14 10:00 UTC \(modified\), 9 months before that font was released \(Calibri, first available on 2006-11-30, in public preview from 2006-05-23/);
    assert.equal(calendarSignals(profile({ createdIso: '2006-01-01T09:00:00Z', modifiedIso: '2008-02-14T10:00:00Z', fonts: ['Calibri'] }), null).length, 0, 'a file re-saved after the font came out');
  });
});

describe('edits after the fact (PDF revisions)', () => {
  const rev = (number: number, changes: PdfRevision['changes'], producer?: string, modified?: string): PdfRevision => ({ number, end: 1000 * number, objects: 3, info: producer ? { Producer: producer, modified } : null, changes, fonts: [], problem: null });
  const original = rev(1, {}, 'Microsoft® Word 2016', '2016-03-01T10:00:00+01:00');
  original.info!.created = '2016-03-01T10:00:00+01:00';

  it('pdf-content-revised: high when another tool redrew the pages weeks later, naming both', () => {
    const pdf = pdfFacts({ eofMarkers: 2, revisions: [original, rev(2, { content: 2, info: 1 }, 'PDFsharp 1.32.2608-g', '2016-04-12T10:00:00+02:00')] });
    const [s] = revisionSignals(profile({ pdf }));
    assert.equal(s?.code, 'pdf-content-revised');
    assert.equal(s?.severity, 'high');
    assert.match(s!.message, /^Revision 2 of 2 was added on 2016-04-12 10:00 \(UTC\+02:00\) by "PDFsharp 1\.32\.2608-g", after the PDF was first made \(the original: 2016-03-01 10:00 \(UTC\+01:00\) by "Microsoft® Word 2016"\); it changes 2 page content streams and 1 document information dictionary\./);
  });

  it('a comment or a signature added later is low; rewritten metadata alone is medium', () => {
    assert.deepEqual(revisionSignals(profile({ pdf: pdfFacts({ revisions: [original, rev(2, { annotation: 1, page: 1, info: 1 }, 'Adobe Acrobat Pro DC 15.23', '2016-05-01T10:00:00+02:00')] }) })).map((s) => [s.code, s.severity]), [['pdf-incremental-update', 'low']]);
    assert.deepEqual(revisionSignals(profile({ pdf: pdfFacts({ revisions: [original, rev(2, { signature: 1, form: 1, catalog: 1 })] }) })).map((s) => [s.code, s.severity]), [['pdf-incremental-update', 'low']]);
    assert.deepEqual(revisionSignals(profile({ pdf: pdfFacts({ revisions: [original, rev(2, { info: 1 }, 'iText 5.5.10', '2016-06-01T10:00:00+02:00')] }) })).map((s) => [s.code, s.severity]), [['pdf-metadata-revised', 'medium']]);
    assert.deepEqual(revisionSignals(profile({ pdf: pdfFacts({ revisions: [original] }) })), [], 'one revision: nothing was added');
  });
});

describe('signal codes', () => {
  it('are listed once, raised by the rules, described in docs/forensics.md, and the search examples use real ones', () => {
    const rules = new URL('../../src/forensics/rules/', import.meta.url);
    const raised = new Set(readdirSync(rules).flatMap((f) => [...readFileSync(new URL(f, rules), 'utf8').matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1]!)));
    assert.deepEqual([...raised].sort(), [...SIGNAL_CODES].sort());
    const docs = readFileSync(new URL('../../docs/forensics.md', import.meta.url), 'utf8');
    for (const code of SIGNAL_CODES) assert.ok(docs.includes(`**\`${code}\`**`), `docs/forensics.md describes ${code}`);
    const codes: readonly string[] = SIGNAL_CODES;
    const example = FIELDS.find((f) => f.name === 'signal')?.example ?? '';
    assert.ok(codes.includes(example.replace(/^signal:/, '')), `src/search/fields.ts example ${example}`);
    const search = readFileSync(new URL('../../docs/search.md', import.meta.url), 'utf8');
    const used = [...search.matchAll(/`signal:([a-z-]+)`/g)].map((m) => m[1]!);
    assert.ok(used.length > 0);
    for (const code of used) assert.ok(codes.includes(code), `docs/search.md uses signal:${code}`);
  });
});
