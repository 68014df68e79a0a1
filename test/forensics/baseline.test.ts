/**
 * The trove's own baseline: foreign-script names, foreign-language software, foreign time zones,
 * rare software and editing bursts, each on a hand-made trove of profiles.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateClaim, emptyProfile, type DocumentProfile } from '../../src/forensics/profile.ts';
import { baselineSignals, nameKey, softwareFamily, type MailBaseline, type TroveDocument } from '../../src/forensics/rules/baseline.ts';
import type { Signal } from '../../src/forensics/signal.ts';

const STAFF = ['Hélène Durand-Lefèvre', 'François Mercier', 'Cécile Bénard', 'Jérôme Lemaître', 'Anaïs Garçon', 'Paul Martin'];

function doc(i: number, over: Partial<DocumentProfile> = {}, carried = true): TroveDocument {
  const p = emptyProfile('docx', 'ooxml');
  const editor = STAFF[i % STAFF.length] as string;
  p.lastModifiedBy = editor;
  p.creator = editor;
  p.names = [{ role: 'last modified by', name: editor }];
  p.created = dateClaim('created', new Date(Date.UTC(2016, 0, 1) + i * 86_400_000).toISOString());
  p.modified = dateClaim('modified', new Date(Date.UTC(2016, 0, 2) + i * 86_400_000).toISOString());
  p.toolLanguage = { language: 'French', evidence: 'the document statistics heading "Titre"' };
  p.software = [{ field: 'Application', name: 'Microsoft Office Word 16.0000', at: p.modified }];
  p.zoneOffsets = [{ field: 'ModDate', minutes: 60 }];
  return { profile: { ...p, ...over }, proven: false, carried };
}

function mail(over: Partial<MailBaseline> = {}): MailBaseline {
  return { names: new Set(STAFF.map(nameKey)), scripts: new Map([['Latin', 500]]), offsets: new Map([[60, 300], [120, 250]]), emailsWithOffset: 550, ...over };
}

function signalsOf(docs: TroveDocument[], m = mail()): Signal[][] {
  const out = baselineSignals(docs, m);
  return docs.map((_, i) => out.get(i) ?? []);
}

const trove = (n = 40): TroveDocument[] => Array.from({ length: n }, (_, i) => doc(i));

describe('baseline', () => {
  it('foreign-script-author: a Cyrillic editor nobody in the trove has, among Latin-script authors', () => {
    const docs = trove();
    const fake = doc(99, { lastModifiedBy: 'Рошка Георгий Петрович', names: [{ role: 'last modified by', name: 'Рошка Георгий Петрович' }] }, false);
    const signals = signalsOf([...docs, fake]);
    const s = signals[40]!.find((x) => x.code === 'foreign-script-author');
    assert.equal(s?.severity, 'high');
    assert.equal(s?.message, 'Last saved by "Рошка Георгий Петрович" (Cyrillic script), a name found in no email and no other document of the trove, while none of its 40 other documents with a named author or editor have a Cyrillic-script name (most are Latin script).');
    assert.ok(signals.slice(0, 40).every((list) => list.length === 0), 'the ordinary documents say nothing');
  });

  it('foreign-script-author: silent for a correspondent the mail knows, and when the script is common', () => {
    const known = doc(99, { lastModifiedBy: 'Иван Петров', names: [{ role: 'last modified by', name: 'Иван Петров' }] }, false);
    assert.deepEqual(signalsOf([...trove(), known], mail({ names: new Set([...STAFF, 'Иван Петров'].map(nameKey)) }))[40], []);
    const mixed = trove().map((d, i) => (i % 4 === 0 ? doc(i, { names: [{ role: 'last modified by', name: `Ольга ${i}` }] }) : d));
    const unknown = doc(99, { names: [{ role: 'last modified by', name: 'Кузнецов Андрей' }] }, false);
    assert.deepEqual(signalsOf([...mixed, unknown])[40]!.map((s) => s.code), []);
  });

  it('foreign-script-author: planted files do not vouch for each other', () => {
    const fakes = Array.from({ length: 12 }, (_, i) => doc(100 + i, { names: [{ role: 'last modified by', name: 'Рошка Георгий Петрович' }] }, false));
    const signals = signalsOf([...trove(), ...fakes]);
    assert.ok(signals.slice(40).every((list) => list.some((s) => s.code === 'foreign-script-author')));
  });

  it('foreign-language-tool: a Russian Excel where every other Office is French, high when nothing in the trove is Cyrillic', () => {
    const fake = doc(99, { toolLanguage: { language: 'Russian', evidence: 'the document statistics heading "Листы"' } }, false);
    const s = signalsOf([...trove(), fake])[40]!.find((x) => x.code === 'foreign-language-tool');
    assert.equal(s?.severity, 'high');
    assert.match(s!.message, /^Saved by a Russian version of the software \(the document statistics heading "Листы"\), while none of the trove's 40 other documents that say their software's language were saved by one \(French 40\), and nothing in the trove's mail or documents is written in Cyrillic script\.$/);
    const withCyrillicMail = signalsOf([...trove(), fake], mail({ scripts: new Map([['Latin', 500], ['Cyrillic', 12]]) }))[40]!.find((x) => x.code === 'foreign-language-tool');
    assert.equal(withCyrillicMail?.severity, 'medium');
  });

  it('foreign-language-tool: an English Office in a French trove is medium at most; a French Excel with an English author is nothing', () => {
    const english = doc(99, { toolLanguage: { language: 'English', evidence: 'the document statistics heading "Worksheets"' } }, false);
    assert.equal(signalsOf([...trove(), english])[40]!.find((x) => x.code === 'foreign-language-tool')?.severity, 'medium');
    const frenchExcel = doc(98, { names: [{ role: 'creator', name: 'John Whitaker' }] }, false);
    assert.deepEqual(signalsOf([...trove(), frenchExcel], mail({ names: new Set([...STAFF, 'John Whitaker'].map(nameKey)) }))[40], []);
  });

  it('foreign-language-tool: a Cyrillic code page in a trove with nothing Cyrillic, when too few documents name a code page', () => {
    const fake = doc(99, { codepage: { family: 'Cyrillic', codepage: 1251 }, toolLanguage: null }, false);
    const s = signalsOf([...trove(), fake])[40]!.find((x) => x.code === 'foreign-language-tool');
    assert.equal(s?.severity, 'medium');
    assert.equal(s?.message, "Written on a computer set to the Cyrillic Windows code page (1251), while nothing in the trove's mail or its other documents is written in Cyrillic script: the computer that saved it was set up for another language than the trove's.");
    assert.deepEqual(signalsOf([...trove(), fake], mail({ scripts: new Map([['Latin', 500], ['Cyrillic', 12]]) }))[40], [], 'the trove has Cyrillic mail');
    assert.deepEqual(signalsOf([...trove(), doc(99, { codepage: { family: 'Western European', codepage: 1252 }, toolLanguage: null }, false)])[40], []);
  });

  it('foreign-language-tool: names the code page when it agrees with the language', () => {
    const fake = doc(99, { toolLanguage: { language: 'Russian', evidence: 'the document statistics heading "Листы"' }, codepage: { family: 'Cyrillic', codepage: 1251 } }, false);
    assert.match(signalsOf([...trove(), fake])[40]!.find((x) => x.code === 'foreign-language-tool')!.message, /^Saved by a Russian version of the software \(the document statistics heading "Листы"; its metadata is written in the Cyrillic Windows code page, 1251\), while none/);
  });

  it('unknown-author: low, for an editor named nowhere else in the trove; names match in any order, placeholders are nobody', () => {
    const stranger = doc(99, { lastModifiedBy: 'Marc Dupuis', names: [{ role: 'last modified by', name: 'Marc Dupuis' }] }, false);
    const s = signalsOf([...trove(), stranger])[40]!;
    assert.deepEqual(s.map((x) => [x.code, x.severity]), [['unknown-author', 'low']]);
    assert.equal(s[0]!.message, 'Last saved by "Marc Dupuis", a name found in no email of the trove and in none of its 40 other documents with a named author or editor: whoever saved it appears nowhere else in the leak.');
    const reversed = doc(99, { lastModifiedBy: 'Mercier François', names: [{ role: 'last modified by', name: 'Mercier François' }] }, false);
    assert.deepEqual(signalsOf([...trove(), reversed])[40], [], 'the mail knows François Mercier');
    for (const nobody of ['Utilisateur Windows', 'Admin', 'J.D.']) {
      assert.deepEqual(signalsOf([...trove(), doc(99, { lastModifiedBy: nobody, creator: nobody, names: [{ role: 'last modified by', name: nobody }] }, false)])[40], [], nobody);
    }
    const cyrillic = doc(99, { lastModifiedBy: 'Рошка Георгий Петрович', names: [{ role: 'last modified by', name: 'Рошка Георгий Петрович' }] }, false);
    assert.deepEqual(signalsOf([...trove(), cyrillic])[40]!.map((x) => x.code), ['foreign-script-author'], 'one signal says it');
  });

  it('foreign-timezone: a UTC offset no email and no other document uses', () => {
    const fake = doc(99, { zoneOffsets: [{ field: 'CreationDate', minutes: 480 }] }, false);
    const s = signalsOf([...trove(), fake])[40]!.find((x) => x.code === 'foreign-timezone');
    assert.equal(s?.severity, 'medium');
    assert.match(s!.message, /^Its dates are written at UTC\+08:00 \(CreationDate\), a time zone that no email of the trove was sent from \(its mail was sent at UTC\+01:00 and UTC\+02:00\)/);
    assert.deepEqual(signalsOf([...trove(), doc(99, { zoneOffsets: [{ field: 'ModDate', minutes: 120 }] }, false)])[40], [], 'summer time in Paris');
  });

  it('rare-software: low, for software nothing else in the trove was made with', () => {
    const p = doc(99, { software: [{ field: 'Producer', name: 'PDFsharp 1.32.2608-g (www.pdfsharp.net)', at: null }] }, false);
    const s = signalsOf([...trove(), p])[40]!.find((x) => x.code === 'rare-software');
    assert.equal(s?.severity, 'low');
    assert.match(s!.message, /the most common: Microsoft Office Word 40/);
    assert.equal(softwareFamily('LibreOffice/5.2.3.3$Windows_X86_64 LibreOffice_project/d54a'), 'libreoffice');
    assert.equal(softwareFamily('Microsoft® Word 2016'), 'microsoft word');
  });

  it('editing-burst: files created years apart, last saved by one person within minutes', () => {
    const at = Date.UTC(2017, 2, 14, 16, 2);
    const burst = Array.from({ length: 6 }, (_, k) => doc(200 + k, {
      lastModifiedBy: 'Paul Martin',
      created: dateClaim('created', new Date(Date.UTC(2010 + k, 3, 1)).toISOString()),
      modified: dateClaim('modified', new Date(at + k * 40_000).toISOString()),
    }, false));
    const signals = signalsOf([...trove(), ...burst]);
    for (const list of signals.slice(40)) {
      const s = list.find((x) => x.code === 'editing-burst');
      assert.equal(s?.severity, 'high');
      assert.match(s!.message, /^One of 6 documents last saved by "Paul Martin" within 3 minutes \(2017-03-14 16:02 UTC to 2017-03-14 16:05 UTC\), although they were created 5 years apart \(2010-04-01 to 2015-04-01\)/);
    }
    assert.ok(signals.slice(0, 40).every((list) => list.length === 0));
  });

  it('editing-burst: low when a proven document is part of it (the organisation works that way), nothing for files created together', () => {
    const at = Date.UTC(2017, 2, 14, 16, 2);
    const burst = Array.from({ length: 6 }, (_, k): TroveDocument => ({ ...doc(200 + k, { lastModifiedBy: 'Paul Martin', created: dateClaim('created', new Date(Date.UTC(2010 + k, 3, 1)).toISOString()), modified: dateClaim('modified', new Date(at + k * 40_000).toISOString()) }), proven: k === 0 }));
    assert.ok(signalsOf([...trove(), ...burst]).slice(40).every((list) => list.find((s) => s.code === 'editing-burst')?.severity === 'low'));
    const sameWeek = Array.from({ length: 6 }, (_, k) => doc(300 + k, { lastModifiedBy: 'Paul Martin', created: dateClaim('created', new Date(Date.UTC(2017, 2, 1 + k)).toISOString()), modified: dateClaim('modified', new Date(at + k * 40_000).toISOString()) }, false));
    assert.ok(signalsOf([...trove(), ...sameWeek]).slice(40).every((list) => list.length === 0));
  });

  it('says nothing when the trove is too small to have a baseline', () => {
    const fake = doc(99, { names: [{ role: 'last modified by', name: 'Рошка Георгий Петрович' }], toolLanguage: { language: 'Russian', evidence: 'x' } }, false);
    assert.deepEqual(signalsOf([...trove(5), fake], mail({ emailsWithOffset: 3, offsets: new Map([[60, 3]]) }))[5], []);
  });
});
