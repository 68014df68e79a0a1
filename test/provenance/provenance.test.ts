/**
 * Provenance end to end: signed emails carrying files, loose copies and altered copies among loose
 * files, through the real CLI (ingest, keys import, show, report, search).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { diffMetadata, diffTexts, describeChange, wordSimilarity } from '../../src/provenance/text-diff.ts';
import { NeighbourLists } from '../../src/provenance/neighbours.ts';
import { BANDS, ROWS, SIGNATURE_SIZE, candidatePairs, estimateSimilarity, forEachCandidatePair, jaccard, signatureOf } from '../../src/provenance/minhash.ts';
import { email, runCli, writeTree } from '../support/case.ts';
import { deriveDkimKey, zoneLine } from '../support/generator/dkim-keys.ts';
import { signEmail } from '../support/generator/dkim-sign.ts';

const OWN = deriveDkimKey(21, 'campagne-exemple.fr', 'mail', 'rsa-sha256', 1024);
const LIST = deriveDkimKey(21, 'lists.example', 'lst', 'rsa-sha256', 1024);

const MINUTES = `Compte rendu du bureau du 3 mars 2017.
Présents : Hélène Durand, Paul Martin, Zoé Château.
Le budget prévisionnel du meeting de Lyon s'élève à 40 175 euros TTC, dont 21 % pour la location du lieu.
La facture de l'imprimerie Dupuis sera réglée à trente jours, conformément au contrat signé en janvier.
Prochaine réunion le 10 mars à 9 heures au siège.
`;
const FORGED = MINUTES.replace('40 175 euros', '401 757 euros').replace('au siège.', 'au siège. Versement complémentaire de 150 000 euros en espèces.');
/** The next meeting's minutes, from the same template: similar, but a different document, not a copy. */
const SIBLING = `Compte rendu du bureau du 10 mars 2017.
Présents : Paul Martin, Benoît Roussel, Anaïs Garçon.
Le budget prévisionnel du meeting de Marseille s'élève à 12 900 euros TTC, dont 35 % pour la sonorisation.
La facture du traiteur Lenôtre sera réglée à quarante-cinq jours, conformément au devis signé en février.
Prochaine réunion le 17 mars à 14 heures à la permanence.
`;
const OTHER = `Note interne sans rapport : le parking du siège sera fermé du 12 au 19 avril pour travaux.
Merci de prévoir d'autres moyens de transport pendant cette période et de prévenir vos visiteurs.
`;
const LIST_FILE = 'Programme du colloque : accueil à 9 heures, table ronde à 10 heures, déjeuner à midi, clôture à 17 heures précises.\n';

function mail(from: string, subject: string, id: string, files: Record<string, string>): Buffer {
  const parts = Object.entries(files).map(([name, text]) => `--b
Content-Type: text/plain; charset=utf-8; name="${name}"
Content-Disposition: attachment; filename="${name}"
Content-Transfer-Encoding: base64

${Buffer.from(text).toString('base64')}
`).join('');
  return email(`From: ${from}
To: jean@elysee.fr
Subject: ${subject}
Date: Fri, 03 Mar 2017 18:00:00 +0100
Message-ID: <${id}@trove.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

Voici le document.
${parts}--b--
`);
}

describe('provenance', () => {
  let root = '';
  let caseDir = '';
  const ids = new Map<string, string>();

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-provenance-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    writeTree(join(root, 'leak'), {
      'mail/signed.eml': signEmail(mail('Hélène Durand <helene@campagne-exemple.fr>', 'CR bureau', 'a', { 'compte-rendu.txt': MINUTES }), OWN),
      'mail/list.eml': signEmail(mail('Colloque <info@colloque.example>', 'Programme', 'b', { 'programme.txt': LIST_FILE }), LIST),
      'mail/unsigned.eml': mail('Paul <paul@campagne-exemple.fr>', 'Parking', 'c', { 'parking.txt': OTHER }),
      'documents/copie.txt': MINUTES,
      'documents/compte-rendu (version finale).txt': FORGED,
      'documents/programme.txt': LIST_FILE,
      'documents/compte-rendu 10 mars.txt': SIBLING,
      // The proven minutes saved again on Windows: other bytes, the same words.
      'documents/compte-rendu (windows).txt': Buffer.from(`\ufeff${MINUTES.replace(/\n/g, '\r\n')}`, 'utf8'),
    });
    writeFileSync(join(root, 'keys.zone'), `${zoneLine(OWN)}\n${zoneLine(LIST)}\n`);
    caseDir = join(root, 'case');
    assert.equal((await runCli(['ingest', join(root, 'leak'), '--case', caseDir, '--quiet'])).code, 0);
    const imported = await runCli(['keys', 'import', join(root, 'keys.zone'), '--case', caseDir]);
    assert.equal(imported.code, 0, imported.stderr);
    const report = (await runCli(['report', '--format', 'jsonl', '--case', caseDir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; paths: string[] });
    for (const r of report) for (const p of r.paths) ids.set(p.replace(/^leak\//, ''), r.id);
  });

  async function item(path: string): Promise<{ verdict: string; summary: string; provenance: Record<string, unknown> | null; kind: string }> {
    const id = ids.get(path);
    assert.ok(id, `${path} is in the report`);
    const r = await runCli(['report', '--format', 'jsonl', '--case', caseDir]);
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; verdict: string; summary: string; provenance: Record<string, unknown> | null; kind: string }).find((x) => x.id === id)!;
  }

  it('proves an attachment of an authentic email, and its loose copy, naming the email', async () => {
    const attached = await item('mail/signed.eml/compte-rendu.txt');
    const loose = await item('documents/copie.txt');
    assert.equal(ids.get('documents/copie.txt'), ids.get('mail/signed.eml/compte-rendu.txt'), 'the same bytes are one item');
    assert.equal(attached.verdict, 'authentic-by-provenance');
    assert.equal(loose.verdict, 'authentic-by-provenance');
    assert.equal(attached.provenance!.via, ids.get('mail/signed.eml'));
    assert.equal(attached.provenance!.strength, 'authentic');
    assert.match(attached.summary, /Carried by email [0-9a-f]{16} \("CR bureau" from helene@campagne-exemple\.fr\), whose DKIM signature is authentic/);
  });

  it('passes on only a weaker provenance from a third-party signature, and says so', async () => {
    const attached = await item('mail/list.eml/programme.txt');
    assert.equal((await item('mail/list.eml') as { verdict: string }).verdict, 'authentic-third-party');
    assert.equal(attached.verdict, 'unproven');
    assert.equal(attached.provenance!.strength, 'authentic-third-party');
    assert.match(attached.summary, /verifies only as authentic-third-party: unchanged since that signature, but not proven/);
  });

  it('leaves files of unsigned emails unproven', async () => {
    const f = await item('mail/unsigned.eml/parking.txt');
    assert.equal(f.verdict, 'unproven');
    assert.equal(f.provenance!.via, null);
  });

  it('exposes a loose near-copy of a proven file as an altered copy, with the edits', async () => {
    const forged = await item('documents/compte-rendu (version finale).txt');
    assert.equal(forged.verdict, 'altered-copy');
    const p = forged.provenance!;
    assert.equal(p.nearDuplicateOf, ids.get('documents/copie.txt'));
    const changes = p.textChanges as { removed: string; added: string }[];
    assert.deepEqual(changes.map((c) => [c.removed.trim(), c.added.trim()]), [['40 175', '401 757'], ['', 'Versement complémentaire de 150 000 euros en espèces.']]);
    assert.match(forged.summary, /^A copy of [0-9a-f]{16} \(9\d% of its words, in order\), which is proven by an authentic email, but with 2 text changes \(2 words removed, 10 added\)\.$/);

    const shown = await runCli(['show', ids.get('documents/compte-rendu (version finale).txt')!, '--case', caseDir]);
    assert.match(shown.stdout, /VERDICT {3}ALTERED-COPY/);
    assert.match(shown.stdout, /Original {2}[0-9a-f]{16} {2}\(9\d% of its words kept, in order/);
    assert.match(shown.stdout, /• ….*\[-40 175-\] \{\+401 757\+\} euros TTC/);
    assert.match(shown.stdout, /\{\+Versement complémentaire de 150 000 euros en espèces\.\+\}/);
  });

  it('says a file saved again with other bytes has the proven words, without calling it altered', async () => {
    const resaved = await item('documents/compte-rendu (windows).txt');
    assert.equal(resaved.verdict, 'unproven');
    assert.match(resaved.summary, /^The same words as [0-9a-f]{16}, which is proven by an authentic email, in a file saved again with other bytes/);
  });

  it('does not call a different document written from the same template a copy', async () => {
    const sibling = await item('documents/compte-rendu 10 mars.txt');
    assert.equal(sibling.verdict, 'unproven');
    assert.equal(sibling.provenance!.nearDuplicateOf, null);
  });

  it('makes document verdicts searchable', async () => {
    const r = JSON.parse((await runCli(['search', 'verdict:altered-copy', '--case', caseDir, '--json'])).stdout) as { total: number; hits: { filename: string }[] };
    assert.equal(r.total, 1);
    assert.equal(r.hits[0]!.filename, 'compte-rendu (version finale).txt');
    const proven = JSON.parse((await runCli(['search', 'verdict:authentic-by-provenance', '--case', caseDir, '--json'])).stdout) as { total: number };
    assert.equal(proven.total, 1);
  });
});

describe('near-duplicate fingerprints', () => {
  it('estimate similarity close to the exact Jaccard, and find near copies among unrelated texts', () => {
    const a = signatureOf(MINUTES)!;
    const b = signatureOf(FORGED)!;
    const exact = jaccard(MINUTES, FORGED);
    assert.ok(Math.abs(estimateSimilarity(a, b) - exact) < 0.2, `${estimateSimilarity(a, b)} vs ${exact}`);
    assert.equal(signatureOf('trop court'), null);
    // 200 unrelated texts and one near copy: the pair is found, unrelated pairs are not candidates.
    const texts = Array.from({ length: 200 }, (_, i) => `document ${i} ${Array.from({ length: 40 }, (_, k) => `mot${(i * 7919 + k * 104729) % 100000}`).join(' ')}`);
    texts.push(texts[17]!.replace('mot', 'MOTCHANGE'));
    const { pairs } = candidatePairs(texts.map((t) => signatureOf(t)!));
    assert.ok(pairs.some(([x, y]) => x === 17 && y === 200));
    assert.ok(pairs.length < 20, `${pairs.length} candidate pairs`);
  });

  it('visits every pair sharing a band exactly once, without a set of the pairs seen', () => {
    // Documents built from a few bases, band by band: which pairs share which bands is known.
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
    const bases = Array.from({ length: 5 }, () => Uint32Array.from({ length: SIGNATURE_SIZE }, rand));
    const choice = Array.from({ length: 120 }, () => Array.from({ length: BANDS }, () => (rand() % 3 === 0 ? rand() % bases.length : -1)));
    const sigs = choice.map((bands) => {
      const s = Uint32Array.from({ length: SIGNATURE_SIZE }, rand);
      bands.forEach((b, band) => {
        if (b >= 0) s.set(bases[b]!.subarray(band * ROWS, (band + 1) * ROWS), band * ROWS);
      });
      return s;
    });
    const expected: string[] = [];
    for (let x = 0; x < sigs.length; x++) {
      for (let y = x + 1; y < sigs.length; y++) if (choice[x]!.some((b, band) => b >= 0 && b === choice[y]![band])) expected.push(`${x},${y}`);
    }
    const visited: string[] = [];
    const { pairs } = forEachCandidatePair(sigs, (x, y) => visited.push(`${x},${y}`));
    assert.ok(expected.length > 1000, `${expected.length} pairs share a band`);
    assert.equal(pairs, visited.length);
    assert.equal(new Set(visited).size, visited.length, 'each pair once');
    assert.deepEqual(visited.sort(), expected.sort());
  });

  it("keeps every document's k closest neighbours, so that each document reads the same closest ones from what is kept", () => {
    let seed = 11;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
    const documents = 60;
    const k = 3;
    // Similarities in 1/64 steps, as MinHash estimates are: many ties, broken by the lower index.
    const all = new Map<string, number>();
    for (let n = 0; n < 900; n++) {
      const a = rand() % documents;
      const b = rand() % documents;
      if (a !== b) all.set(`${Math.min(a, b)},${Math.max(a, b)}`, 32 + (rand() % 33));
    }
    const lists = new NeighbourLists(documents, k);
    for (const [key, s] of all) {
      const [a, b] = key.split(',').map(Number) as [number, number];
      lists.offer(a, b, s / 64);
      lists.offer(b, a, s / 64);
    }
    const kept = [...lists.pairs()];
    assert.equal(new Set(kept.map(([a, b]) => `${a},${b}`)).size, kept.length, 'each pair once');
    assert.ok(kept.every(([a, b, s]) => a < b && all.get(`${a},${b}`) === s * 64));
    assert.ok(kept.length < all.size / 2, `${kept.length} of ${all.size} pairs kept`);
    const closest = (pairs: [string, number][], doc: number): string[] =>
      pairs
        .flatMap(([key, s]) => {
          const [a, b] = key.split(',').map(Number) as [number, number];
          return a === doc ? [{ other: b, s }] : b === doc ? [{ other: a, s }] : [];
        })
        .sort((x, y) => y.s - x.s || x.other - y.other)
        .slice(0, k)
        .map((x) => `${x.other}@${x.s}`);
    const keptPairs: [string, number][] = kept.map(([a, b, s]) => [`${a},${b}`, s * 64]);
    for (let doc = 0; doc < documents; doc++) assert.deepEqual(closest(keptPairs, doc), closest([...all], doc), `document ${doc}`);
  });

  it('diffs words with context, and metadata field by field', () => {
    const d = diffTexts('Le montant est de 100 euros, payable à trente jours.', 'Le montant est de 1000 euros, payable à trente jours.');
    assert.deepEqual(d.changes.map(describeChange), ['Le montant est de [-100-] {+1000+} euros, payable à trente jours.']);
    assert.deepEqual(diffMetadata({ creator: 'A', created: '2016' }, { creator: 'A', created: '2016', lastModifiedBy: 'Рошка' }), [
      { field: 'lastModifiedBy', original: null, copy: 'Рошка' },
    ]);
    // The cheap measure agrees with the full diff, and gives up below its minimum.
    assert.equal(wordSimilarity(MINUTES, FORGED, 0.5), diffTexts(MINUTES, FORGED).similarity);
    assert.equal(wordSimilarity(MINUTES, SIBLING, 0.85), null);
    assert.ok(diffTexts(MINUTES, SIBLING).similarity < 0.85);
    assert.equal(wordSimilarity('', '', 0.9), 1);
    const started = performance.now();
    const big = diffTexts('a b c', 'x y z '.repeat(5000));
    assert.equal(big.truncated, true, 'too many edits to list');
    assert.ok(performance.now() - started < 2000);
  });
});
