/**
 * The trove `bench:provenance` measures: `node bench/provenance-corpus.ts OUT --size N --seed S`.
 *
 * N plain-text documents of a few hundred words (French and English), written as files:
 * - 20% attached, two or three to an email, to DKIM-signed emails (`leak/mail/`, keys in `keys.zone`):
 *   these are proven once the keys are imported;
 * - 5% loose byte-identical copies of attachments, 1% loose re-saved copies of attachments (the same
 *   text, other bytes: CRLF line ends, a byte-order mark, Windows-1252, a final newline), 5% loose
 *   ALTERED copies of attachments (a number changed, words or a sentence inserted, a paragraph removed,
 *   a name replaced, or several or many of these);
 * - the rest loose originals (`leak/documents/`).
 *
 * Unrelated documents share what real ones share, so that the rules meet realistic look-alikes: an
 * organisation's letterhead and legal footer, the phrase bank's stock paragraphs, and template
 * families (form letters, invoices, minutes) whose members differ only in their figures, names and
 * dates, some attached, some loose. Every document also has content of its own (a reference, names,
 * amounts, sentences from a small grammar), so unrelated documents are not near-copies.
 *
 * `truth.json` lists every document with its SHA-256 and what it is (which original a copy is of, the
 * edits made and the exact shingle similarity to the original). Same size and seed, same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jaccard } from '../src/provenance/minhash.ts';
import { PEOPLE } from '../test/support/generator/cast.ts';
import type { Person } from '../test/support/generator/cast.ts';
import { fillTemplate } from '../test/support/generator/compose-text.ts';
import type { SlotContext } from '../test/support/generator/compose-text.ts';
import { formatRfc5322Date } from '../test/support/generator/date-format.ts';
import { deriveDkimKey, zoneLine } from '../test/support/generator/dkim-keys.ts';
import type { GeneratedKey } from '../test/support/generator/dkim-keys.ts';
import { signEmail } from '../test/support/generator/dkim-sign.ts';
import { DOCUMENT_TITLES, PARAGRAPHS } from '../test/support/generator/phrases.ts';
import { Prng, hashSeed } from '../test/support/generator/prng.ts';

// ---- proportions ---------------------------------------------------------------------------------

/** Shares of the N documents (the rest are loose originals). */
export const SHARE_ATTACHED = 0.2;
export const SHARE_COPIES = 0.05;
export const SHARE_ALTERED = 0.05;
export const SHARE_RESAVED = 0.01;
/** Attachments per email: 1 to this many. */
const MAX_ATTACHMENTS_PER_EMAIL = 4;
/** One template family per this many documents; template instances among attachments and loose originals. */
const DOCUMENTS_PER_FAMILY = 100;
const TEMPLATED_ATTACHMENTS = 0.25;
const TEMPLATED_LOOSE = 0.15;
/** Files per directory, so that no directory holds 70,000 names. */
const FILES_PER_DIR = 1000;
/** Emails are dated in the campaign year; documents near their email's date. */
const START_MS = Date.UTC(2016, 5, 1);
const SPAN_MS = 330 * 86_400_000;

// ---- what the truth file says ---------------------------------------------------------------------

export type DocumentKind = 'attachment' | 'copy' | 'resaved' | 'altered' | 'sibling' | 'loose';
export type EditKind = 'number' | 'words-inserted' | 'sentence-added' | 'paragraph-removed' | 'name-replaced';

export interface PlantedEdit {
  kind: EditKind;
  removed: string;
  added: string;
}

/** One document file. `of` is the attachment a copy was made from. */
export interface TruthDocument {
  sha256: string;
  /** Path under `leak/`; an attachment's is the email's path, then `/` and its file name. */
  path: string;
  kind: DocumentKind;
  words: number;
  family?: number;
  of?: string;
  /** `altered`: what was done; `resaved`: how the bytes were changed. */
  edits?: PlantedEdit[];
  editClass?: string;
  resavedAs?: string;
  /** `altered` and `sibling`: exact shingle Jaccard with `of` (altered) or with the closest attached sibling (sibling). */
  jaccard?: number;
}

export interface Truth {
  size: number;
  seed: number;
  emails: number;
  keys: { domain: string; selector: string; algorithm: string; bits: number }[];
  counts: Record<DocumentKind, number>;
  documents: TruthDocument[];
}

// ---- words ---------------------------------------------------------------------------------------

type DocLang = 'fr' | 'en';

interface Letterhead {
  name: string;
  lang: DocLang;
  lines: string;
  footer: string;
}

const LETTERHEADS: Letterhead[] = [
  { name: 'Campagne Exemple', lang: 'fr', lines: 'Campagne Exemple — Direction de campagne\n12, rue de l’Exemple, 75015 Paris\nTél. 01 45 00 00 00 — contact@campagne-exemple.fr', footer: 'Association de financement de la campagne, déclarée en préfecture. Document interne : ne pas diffuser, ne pas transférer hors de l’équipe de campagne sans l’accord de la direction.' },
  { name: 'Acme Conseil', lang: 'fr', lines: 'ACME CONSEIL\nConseil en stratégie et affaires publiques\n8, place du Marché, 69002 Lyon — www.acme-conseil.fr', footer: 'Acme Conseil SAS au capital de 40 000 €, RCS Lyon B 512 000 000. Ce document est confidentiel et couvert par le secret des affaires ; toute reproduction est interdite.' },
  { name: 'Cabinet Durand & Associés', lang: 'fr', lines: 'Cabinet Durand & Associés\nAvocats au barreau de Paris\n44, boulevard Haussmann, 75009 Paris', footer: 'Correspondance couverte par le secret professionnel (article 66-5 de la loi du 31 décembre 1971). Si vous l’avez reçue par erreur, merci de la détruire et d’en avertir le cabinet.' },
  { name: 'Imprimerie Dupuis', lang: 'fr', lines: 'Imprimerie Dupuis SARL\nZone artisanale des Tilleuls, 45000 Orléans\nTél. 02 38 00 00 00', footer: 'Conditions générales de vente disponibles sur demande. Tout retard de paiement entraîne une indemnité forfaitaire de 40 € pour frais de recouvrement (article L441-10 du code de commerce).' },
  { name: 'Traiteur Le Bon Goût', lang: 'fr', lines: 'Traiteur Le Bon Goût\nRéceptions et cocktails\n3, quai des Brotteaux, 69006 Lyon', footer: 'Devis valable trente jours. Acompte de 30 % à la commande, solde à réception de facture. TVA non applicable sur les prestations de service en salle.' },
  { name: 'Association Ensemble Demain', lang: 'fr', lines: 'Association Ensemble Demain\nLoi 1901 — reconnue d’intérêt général\n27, avenue de la République, 59000 Lille', footer: 'Conformément au règlement général sur la protection des données, vous disposez d’un droit d’accès et de rectification des informations vous concernant auprès du secrétariat de l’association.' },
  { name: 'Mairie de Villeneuve-Exemple', lang: 'fr', lines: 'République française\nMairie de Villeneuve-Exemple\nCabinet du maire', footer: 'Toute correspondance doit être adressée à Monsieur le Maire, hôtel de ville, place de la Mairie. Les données recueillies font l’objet d’un traitement informatique destiné au service du courrier.' },
  { name: 'Agence Horizon Communication', lang: 'fr', lines: 'Agence Horizon Communication\nConseil, événementiel, relations presse\n18, rue des Arts, 33000 Bordeaux', footer: 'Propriété intellectuelle : les créations présentées restent la propriété de l’agence jusqu’au paiement intégral. Document confidentiel réservé au destinataire.' },
  { name: 'Northwind Analytics', lang: 'en', lines: 'NORTHWIND ANALYTICS\nResearch · Data · Strategy\n350 Fifth Avenue, New York, NY 10118', footer: 'CONFIDENTIAL. This document contains proprietary information of Northwind Analytics and is intended solely for the use of the addressee. Any unauthorized review, use or distribution is prohibited.' },
  { name: 'Globex Events Ltd', lang: 'en', lines: 'Globex Events Ltd\nUnit 4, Riverside Park, Manchester M3 4LZ\nCompany no. 09000000 — VAT GB 000 0000 00', footer: 'Registered in England and Wales. Quotations are valid for thirty days and subject to our standard terms and conditions, available on request.' },
  { name: 'Initech Research LLP', lang: 'en', lines: 'Initech Research LLP\nPolicy and Public Affairs\n1 Canal Street, Boston, MA 02114', footer: 'Privileged and confidential. Prepared at the request of counsel. Do not forward, copy or distribute without written consent of Initech Research LLP.' },
];

const FIRST_NAMES: Record<DocLang, string[]> = {
  fr: ['Alain', 'Amélie', 'Antoine', 'Aurélie', 'Bernard', 'Camille', 'Caroline', 'Christophe', 'Claire', 'Damien', 'Delphine', 'Émilie', 'Éric', 'Florence', 'Gaëlle', 'Guillaume', 'Isabelle', 'Jacques', 'Julien', 'Karine', 'Laurent', 'Léa', 'Marc', 'Marion', 'Nicolas', 'Olivier', 'Pascale', 'Philippe', 'Romain', 'Sandrine', 'Sébastien', 'Sylvie', 'Thierry', 'Valérie', 'Vincent', 'Yann'],
  en: ['Andrew', 'Anna', 'Ben', 'Catherine', 'Daniel', 'David', 'Emma', 'George', 'Grace', 'Hannah', 'Jack', 'Laura', 'Lucy', 'Mark', 'Matthew', 'Megan', 'Paul', 'Rachel', 'Robert', 'Ruth', 'Samuel', 'Tom'],
};
const LAST_NAMES: Record<DocLang, string[]> = {
  fr: ['Arnaud', 'Barbier', 'Bertrand', 'Blanchard', 'Bonnet', 'Boucher', 'Brunet', 'Caron', 'Chevalier', 'Clément', 'Colin', 'Dumas', 'Dupont', 'Fabre', 'Faure', 'Fontaine', 'Fournier', 'Gauthier', 'Gautier', 'Giraud', 'Guérin', 'Henry', 'Joly', 'Lacroix', 'Lambert', 'Laurent', 'Lemoine', 'Leroy', 'Lucas', 'Marchal', 'Masson', 'Mathieu', 'Meyer', 'Morel', 'Muller', 'Perrin', 'Picard', 'Renard', 'Rolland', 'Roux', 'Roy', 'Schmitt', 'Vidal'],
  en: ['Adams', 'Baker', 'Campbell', 'Clarke', 'Collins', 'Davies', 'Edwards', 'Evans', 'Fisher', 'Graham', 'Hughes', 'Jones', 'Kelly', 'Lewis', 'Morgan', 'Murphy', 'Parker', 'Price', 'Reed', 'Shaw', 'Turner', 'Walsh', 'Ward', 'Wood'],
};

/** A small grammar for document-specific sentences: subject, verb, object, one or two complements. */
const GRAMMAR: Record<DocLang, { subjects: string[]; verbs: string[]; objects: string[]; complements: string[] }> = {
  fr: {
    subjects: ['Le cabinet', 'La direction financière', 'Notre équipe de {ville}', '{name}', 'Le prestataire retenu', 'Le comité de pilotage', 'Le service juridique', 'La mission d’audit', 'Le groupe de travail sur {theme}', 'Le trésorier', 'La fédération de {ville}', '{name}, pour {org},', 'Le conseil d’administration', 'L’équipe numérique', 'Le responsable de la logistique', 'La commission des finances', 'Le pôle études', 'Le secrétariat général', 'Le collectif des bénévoles', 'Le chargé de mission'],
    verbs: ['a validé', 'propose de reporter', 'demande de revoir', 'a transmis', 'recommande d’accepter', 'a refusé', 'conteste', 'prévoit de signer', 'a chiffré', 'souhaite renégocier', 'a présenté', 'doit finaliser', 'a mis à jour', 'attend encore', 'juge insuffisant', 'a fait corriger', 'a annoncé', 'examinera', 'a contresigné', 'refuse de publier'],
    objects: ['le plan de financement', 'la convention de partenariat', 'le calendrier des livraisons', 'l’avenant n° {n}', 'la grille tarifaire', 'le rapport d’étape', 'le cahier des charges', 'la maquette du site', 'le dossier de presse', 'le protocole de sécurité', 'le budget du meeting de {ville}', 'la liste des intervenants', 'le tableau des dépenses', 'la note de cadrage', 'le compte rendu du {date}', 'le bon de commande {num}', 'le devis de {org}', 'le planning des déplacements', 'l’accord de confidentialité', 'le programme détaillé', 'la facture {num}', 'le relevé bancaire de {mois}', 'la proposition de {name}', 'le contrat de location', 'l’état des remboursements'],
    complements: ['pour un montant de {montant}', 'avant le {date}', 'à hauteur de {pct} %', 'lors de la réunion du {date}', 'en accord avec {name}', 'sous réserve de l’avis du conseil', 'dans un délai de {n} jours', 'après arbitrage du trésorier', 'malgré les réserves de {name}', 'pour la tournée de {ville}', 'avec un acompte de {montant}', 'sans attendre la réponse de {org}', 'au plus tard {jour} à {heure}', 'en deux versements de {montant}', 'conformément à la décision du {date}', 'selon les chiffres de {mois}', 'pour {n} participants', 'en présence de {name}'],
  },
  en: {
    subjects: ['The board', 'Our finance team', 'The {city} office', '{name}', 'The selected vendor', 'The steering committee', 'Legal', 'The audit team', 'The working group on data', 'The treasurer', '{name}, for {org},', 'The programme lead', 'Procurement', 'The events team', 'Our partners in {city}'],
    verbs: ['approved', 'proposed to postpone', 'asked us to revise', 'sent over', 'recommended accepting', 'rejected', 'disputed', 'plans to sign', 'costed', 'wants to renegotiate', 'presented', 'must finalise', 'updated', 'is still waiting for', 'queried', 'announced', 'will review', 'countersigned'],
    objects: ['the funding plan', 'the partnership agreement', 'the delivery schedule', 'amendment no. {n}', 'the rate card', 'the interim report', 'the statement of work', 'the site mock-up', 'the press pack', 'the security protocol', 'the {city} event budget', 'the speaker list', 'the expense tracker', 'the scoping note', 'the minutes of {date}', 'purchase order {num}', 'the quote from {org}', 'the travel plan', 'the NDA', 'invoice {num}', 'the proposal from {name}'],
    complements: ['for {amount}', 'before {date}', 'at {pct}%', 'at the meeting on {date}', 'with {name}', 'subject to board approval', 'within {n} days', 'after review by finance', 'despite concerns from {name}', 'for the {city} leg', 'with a deposit of {amount}', 'without waiting for {org}', 'by {day} at {time}', 'in two instalments of {amount}', 'for {n} attendees', 'in the presence of {name}'],
  },
};

const FIELD_LABELS: Record<DocLang, string[]> = {
  fr: ['Référence : {num}', 'Date : {date}', 'Dossier suivi par : {name}', 'Montant engagé : {montant}', 'Destinataire : {name}, {ville}', 'Objet : {theme}', 'Échéance : {date}', 'Nombre de participants : {n}', 'Lieu : salle {salle}, {ville}', 'Acompte versé : {montant}', 'Taux appliqué : {pct} %', 'Visa du trésorier : {name}', 'Code analytique : {num}', 'Semaine : {semaine}'],
  en: ['Reference: {num}', 'Date: {date}', 'Owner: {name}', 'Amount committed: {amount}', 'Recipient: {name}, {city}', 'Due date: {date}', 'Attendees: {n}', 'Venue: {city}', 'Deposit paid: {amount}', 'Rate: {pct}%', 'Approved by: {name}', 'Cost code: {num}', 'Quarter: Q{quarter}'],
};

const INSERTED_WORDS: Record<DocLang, string[]> = {
  fr: ['en espèces', 'à titre personnel', 'sans justificatif', 'non', 'par erreur', 'en urgence', 'hors contrat', 'secrètement'],
  en: ['in cash', 'personally', 'without a receipt', 'not', 'by mistake', 'urgently', 'off the books', 'secretly'],
};

// ---- composing documents ---------------------------------------------------------------------------

/** A document as parts, so that edits can find its paragraphs and names. */
interface Doc {
  lang: DocLang;
  head: string[];
  body: string[];
  tail: string[];
  names: string[];
}

function textOf(d: Doc): string {
  return [...d.head, ...d.body, ...d.tail].join('\n\n') + '\n';
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

class Composer {
  readonly prng: Prng;
  private readonly orgNames = LETTERHEADS.map((l) => l.name);
  private refs = 0;

  constructor(prng: Prng) {
    this.prng = prng;
  }

  ctx(lang: DocLang, date: number): SlotContext {
    return { lang, date, people: PEOPLE, orgNames: this.orgNames };
  }

  name(lang: DocLang): string {
    return `${this.prng.pick(FIRST_NAMES[lang])} ${this.prng.pick(LAST_NAMES[lang])}`;
  }

  /** Fills `{name}` with generated names (remembered in `names`), then the phrase bank's slots. */
  fill(template: string, lang: DocLang, date: number, names: string[]): string {
    const withNames = template.replace(/\{name\}/g, () => {
      const n = this.name(lang);
      names.push(n);
      return n;
    });
    return fillTemplate(withNames, this.prng, this.ctx(lang, date));
  }

  sentence(lang: DocLang, date: number, names: string[]): string {
    const g = GRAMMAR[lang];
    const parts = [this.prng.pick(g.subjects), this.prng.pick(g.verbs), this.prng.pick(g.objects), this.prng.pick(g.complements)];
    if (this.prng.chance(0.5)) parts.push(this.prng.pick(g.complements));
    const s = this.fill(parts.join(' '), lang, date, names);
    return s[0]!.toUpperCase() + s.slice(1) + '.';
  }

  ownParagraph(lang: DocLang, date: number, names: string[]): string {
    return Array.from({ length: this.prng.int(2, 4) }, () => this.sentence(lang, date, names)).join(' ');
  }

  fields(labels: string[], lang: DocLang, date: number, names: string[]): string {
    return labels.map((l) => this.fill(l, lang, date, names)).join('\n');
  }

  /** A reference no other document has, so that no two documents are byte-identical by chance. */
  ref(lang: DocLang): string {
    this.refs++;
    return `${lang === 'fr' ? 'Réf.' : 'Ref.'} ${this.prng.chars('ABCDEFGHJKLMNPRSTUVWXYZ', 2)}-${this.refs}-${this.prng.int(100, 999)}`;
  }

  title(lang: DocLang, date: number, names: string[]): string {
    return `${this.fill(this.prng.pick(DOCUMENT_TITLES[lang]), lang, date, names)} — ${this.ref(lang)}`;
  }

  /** A free-standing document: letterhead and footer of its organisation now and then, its own content always. */
  freeDocument(date: number): Doc {
    const lh = this.prng.pick(LETTERHEADS);
    const lang = this.prng.chance(0.75) ? lh.lang : (lh.lang === 'fr' ? 'en' : 'fr');
    const names: string[] = [];
    const head: string[] = [];
    if (this.prng.chance(0.5)) head.push(lh.lines);
    head.push(this.title(lang, date, names));
    if (this.prng.chance(0.6)) head.push(this.fields(this.prng.sample(FIELD_LABELS[lang], this.prng.int(3, 6)), lang, date, names));
    const body: string[] = [];
    const n = this.prng.int(3, 7);
    for (let i = 0; i < n; i++) {
      body.push(this.prng.chance(0.55) ? this.fill(this.prng.pick(PARAGRAPHS[lang]), lang, date, names) : this.ownParagraph(lang, date, names));
    }
    // At least two paragraphs of its own: the phrase bank is small, and real documents are not made of stock phrases only.
    for (let own = 0; own < 2; own++) body.splice(this.prng.int(0, body.length), 0, this.ownParagraph(lang, date, names));
    const tail: string[] = [];
    if (this.prng.chance(0.5)) {
      const signer = this.name(lang);
      names.push(signer);
      tail.push(signer);
    }
    if (this.prng.chance(0.4)) tail.push(lh.footer);
    return { lang, head, body, tail, names };
  }
}

/**
 * A template family: a document skeleton whose slots are left open for each instance. How many slots
 * stay open (and how many paragraphs each instance writes itself) differs between families, so that
 * siblings range from nearly identical form letters to reports that share only their skeleton.
 */
interface Family {
  id: number;
  lang: DocLang;
  letterhead: string | null;
  footer: string | null;
  titleStem: string;
  fieldLabels: string[];
  paragraphs: string[];
  ownParagraphs: number;
  members: number;
  attached: number;
}

function openSlotsOnly(c: Composer, template: string, lang: DocLang, date: number, openShare: number): string {
  // Each slot is fixed once for the whole family, or left open for every instance to fill.
  return template.replace(/\{(\w+)\}/g, (whole) => (c.prng.chance(openShare) ? whole : c.fill(whole, lang, date, [])));
}

function makeFamily(c: Composer, id: number): Family {
  const p = c.prng;
  const lh = p.pick(LETTERHEADS);
  const lang = lh.lang;
  const date = START_MS + p.next() * SPAN_MS;
  const form = p.chance(0.6);
  const openShare = form ? 0.3 + p.next() * 0.7 : 0.5;
  const paragraphs = p.sample(PARAGRAPHS[lang], p.int(2, 5)).map((t) => openSlotsOnly(c, t, lang, date, openShare));
  return {
    id,
    lang,
    letterhead: p.chance(0.8) ? lh.lines : null,
    footer: p.chance(0.7) ? lh.footer : null,
    titleStem: c.fill(p.pick(DOCUMENT_TITLES[lang]).replace(/\{\w+\}/g, ''), lang, date, []).replace(/\s+$/, ''),
    fieldLabels: p.sample(FIELD_LABELS[lang], form ? p.int(4, 10) : p.int(2, 4)),
    paragraphs,
    ownParagraphs: form ? (p.chance(0.3) ? 1 : 0) : p.int(1, 3),
    members: 0,
    attached: 0,
  };
}

function familyInstance(c: Composer, f: Family, date: number): Doc {
  const names: string[] = [];
  const head: string[] = [];
  if (f.letterhead) head.push(f.letterhead);
  head.push(`${f.titleStem} — ${c.ref(f.lang)}`);
  head.push(c.fields(f.fieldLabels, f.lang, date, names));
  const body = f.paragraphs.map((t) => c.fill(t, f.lang, date, names));
  for (let i = 0; i < f.ownParagraphs; i++) body.splice(c.prng.int(0, body.length), 0, c.ownParagraph(f.lang, date, names));
  const tail: string[] = [];
  const signer = c.name(f.lang);
  names.push(signer);
  tail.push(signer);
  if (f.footer) tail.push(f.footer);
  return { lang: f.lang, head, body, tail, names };
}

// ---- altering a document ---------------------------------------------------------------------------

function copyDoc(d: Doc): Doc {
  return { lang: d.lang, head: [...d.head], body: [...d.body], tail: [...d.tail], names: [...d.names] };
}

/** One edit of `d` in place, or null when the document offers nothing for it (no number, one paragraph...). */
function applyEdit(c: Composer, d: Doc, kind: EditKind, date: number): PlantedEdit | null {
  const p = c.prng;
  switch (kind) {
    case 'number': {
      const spots: { para: number; index: number; value: string }[] = [];
      d.body.forEach((t, para) => {
        for (const m of t.matchAll(/\d+/g)) spots.push({ para, index: m.index, value: m[0] });
      });
      if (spots.length === 0) return null;
      const s = p.pick(spots);
      let value = s.value;
      while (value === s.value) value = String(p.int(s.value.length > 1 ? 10 ** (s.value.length - 1) : 0, 10 ** s.value.length - 1));
      const t = d.body[s.para]!;
      d.body[s.para] = t.slice(0, s.index) + value + t.slice(s.index + s.value.length);
      return { kind, removed: s.value, added: value };
    }
    case 'words-inserted': {
      const para = p.int(0, d.body.length - 1);
      const t = d.body[para]!;
      const gaps = [...t.matchAll(/ /g)].map((m) => m.index);
      if (gaps.length === 0) return null;
      const at = p.pick(gaps);
      const words = p.pick(INSERTED_WORDS[d.lang]);
      d.body[para] = `${t.slice(0, at)} ${words}${t.slice(at)}`;
      return { kind, removed: '', added: words };
    }
    case 'sentence-added': {
      const para = p.int(0, d.body.length - 1);
      const t = d.body[para]!;
      const ends = [...t.matchAll(/[.!?](?= |$)/g)].map((m) => m.index + 1);
      const at = ends.length ? p.pick(ends) : t.length;
      const sentence = c.sentence(d.lang, date, []);
      d.body[para] = `${t.slice(0, at)} ${sentence}${t.slice(at)}`;
      return { kind, removed: '', added: sentence };
    }
    case 'paragraph-removed': {
      if (d.body.length < 4) return null;
      const para = p.int(0, d.body.length - 1);
      const [removed] = d.body.splice(para, 1);
      return { kind, removed: removed!, added: '' };
    }
    case 'name-replaced': {
      const text = textOf(d);
      const present = [...new Set(d.names)].filter((n) => text.includes(n));
      if (present.length === 0) return null;
      const old = p.pick(present);
      let name = old;
      while (name === old) name = c.name(d.lang);
      const swap = (s: string): string => s.split(old).join(name);
      d.head = d.head.map(swap);
      d.body = d.body.map(swap);
      d.tail = d.tail.map(swap);
      d.names = d.names.map((n) => (n === old ? name : n));
      return { kind, removed: old, added: name };
    }
  }
}

const SINGLE_EDITS: EditKind[] = ['number', 'words-inserted', 'sentence-added', 'paragraph-removed', 'name-replaced'];
/** Small edits only: a document reworked in many places keeps most of its paragraphs. */
const SMALL_EDITS: EditKind[] = ['number', 'words-inserted', 'sentence-added', 'name-replaced'];
/**
 * How altered copies are made, with weights: one edit of a kind, several (2–6, any kind) or many
 * (7–12 small ones, so that a rule counting edits meets a forger who changed a lot).
 */
const EDIT_CLASSES: readonly (readonly [string, number])[] = [
  ['number', 18], ['words-inserted', 12], ['sentence-added', 14], ['paragraph-removed', 12], ['name-replaced', 14], ['several', 24], ['many', 6],
];

function alter(c: Composer, original: Doc, date: number): { doc: Doc; edits: PlantedEdit[]; editClass: string } {
  const p = c.prng;
  for (;;) {
    const editClass = p.weighted(EDIT_CLASSES);
    const kinds = editClass === 'several' ? Array.from({ length: p.int(2, 6) }, () => p.pick(SINGLE_EDITS))
      : editClass === 'many' ? Array.from({ length: p.int(7, 12) }, () => p.pick(SMALL_EDITS))
      : [editClass as EditKind];
    const doc = copyDoc(original);
    const edits: PlantedEdit[] = [];
    for (const k of kinds) {
      const e = applyEdit(c, doc, k, date);
      if (e) edits.push(e);
    }
    if (edits.length === kinds.length && textOf(doc) !== textOf(original)) return { doc, edits, editClass };
  }
}

// ---- re-saving the same text ------------------------------------------------------------------------

/** Windows-1252's characters in 0x80–0x9F (the rest of the 8-bit range is Latin-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function encodeCp1252(text: string): Buffer | null {
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) out[i] = code;
    else {
      const k = CP1252_HIGH.indexOf(text[i]!);
      if (k < 0) return null;
      out[i] = 0x80 + k;
    }
  }
  return out;
}

function resave(prng: Prng, text: string): { bytes: Buffer; how: string } {
  for (;;) {
    const how = prng.pick(['crlf', 'bom', 'cp1252', 'final-newline']);
    if (how === 'crlf') return { bytes: Buffer.from(text.replace(/\n/g, '\r\n')), how };
    if (how === 'bom') return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), how };
    if (how === 'final-newline') return { bytes: Buffer.from(text + '\n'), how };
    const cp = encodeCp1252(text);
    // Only a text with some non-ASCII character has other bytes in Windows-1252.
    if (cp && !cp.equals(Buffer.from(text))) return { bytes: cp, how };
  }
}

// ---- emails -------------------------------------------------------------------------------------------

/** The organisations whose mail servers sign (their staff send the attachments). */
const SIGNING_ORGS = ['campagne', 'acme', 'northwind', 'globex'];
const SELECTOR = 'bench2017';

function encodeWord(s: string): string {
  // RFC 2047 encoded-word for header text that is not ASCII.
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
}

function base64Lines(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

function slug(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase().slice(0, 48) || 'document';
}

function emailBytes(c: Composer, i: number, from: Person, to: Person, date: number, files: { name: string; bytes: Buffer }[]): Buffer {
  const lang: DocLang = from.lang === 'en' ? 'en' : 'fr';
  const boundary = `=_bench_${i}_${c.prng.hex(8)}`;
  const subject = files.length === 1 ? files[0]!.name.replace(/\.txt$/, '') : (lang === 'fr' ? `Documents (${files.length})` : `Documents (${files.length})`);
  const body = [c.fill(c.prng.pick(PARAGRAPHS[lang]), lang, date, []), c.fill(c.prng.pick(PARAGRAPHS[lang]), lang, date, [])].join('\r\n\r\n');
  const parts = files.map((f) => [
    `--${boundary}`,
    `Content-Type: text/plain; charset=utf-8; name="${f.name}"`,
    `Content-Disposition: attachment; filename="${f.name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(f.bytes),
  ].join('\r\n'));
  const text = [
    `From: ${encodeWord(`${from.first} ${from.last}`)} <${from.address}>`,
    `To: ${encodeWord(`${to.first} ${to.last}`)} <${to.address}>`,
    `Subject: ${encodeWord(subject)}`,
    `Date: ${formatRfc5322Date(date, 60)}`,
    `Message-ID: <prov-${i}-${c.prng.hex(12)}@${from.address.split('@')[1]}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    ...parts,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.from(text, 'utf8');
}

// ---- the whole corpus ------------------------------------------------------------------------------

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

interface Original {
  doc: Doc;
  text: string;
  sha256: string;
  date: number;
  family: number | null;
}

/** Writes the corpus into `dir` (`leak/`, `keys.zone`, `truth.json`); returns the truth. */
export function writeCorpus(dir: string, size: number, seed: number, log: (line: string) => void = () => {}): Truth {
  const root = new Prng(hashSeed(seed, 'bench-provenance', size));
  const c = new Composer(root.fork('text'));
  const p = root.fork('plan');
  const attachedCount = Math.round(size * SHARE_ATTACHED);
  const copies = Math.round(size * SHARE_COPIES);
  const alteredCount = Math.round(size * SHARE_ALTERED);
  const resavedCount = Math.round(size * SHARE_RESAVED);
  const looseCount = size - attachedCount - copies - alteredCount - resavedCount;
  const families = Array.from({ length: Math.max(1, Math.round(size / DOCUMENTS_PER_FAMILY)) }, (_, i) => makeFamily(c, i));

  const dateOf = (): number => START_MS + p.next() * SPAN_MS;
  const make = (templated: boolean, attached: boolean): Original => {
    const date = dateOf();
    let doc: Doc;
    let family: number | null = null;
    if (templated) {
      const f = p.pick(families);
      f.members++;
      if (attached) f.attached++;
      family = f.id;
      doc = familyInstance(c, f, date);
    } else {
      doc = c.freeDocument(date);
    }
    const text = textOf(doc);
    return { doc, text, sha256: sha256(Buffer.from(text)), date, family };
  };

  rmSync(dir, { recursive: true, force: true });
  const leak = join(dir, 'leak');
  const documents: TruthDocument[] = [];

  // Attachments, two or three to an email on average, each email signed by its sender's domain.
  log(`composing ${attachedCount} attachments...`);
  const attachments: Original[] = Array.from({ length: attachedCount }, () => make(p.chance(TEMPLATED_ATTACHMENTS), true));
  const keys = new Map<string, GeneratedKey>();
  const senders = PEOPLE.filter((x) => SIGNING_ORGS.includes(x.org.id));
  for (const orgId of SIGNING_ORGS) {
    const domain = senders.find((x) => x.org.id === orgId)!.org.domain;
    keys.set(domain, deriveDkimKey(seed, domain, SELECTOR, 'rsa-sha256', 2048));
  }
  log(`signing the emails (${keys.size} domains)...`);
  let emails = 0;
  for (let i = 0; i < attachments.length; ) {
    const n = Math.min(p.int(1, MAX_ATTACHMENTS_PER_EMAIL), attachments.length - i);
    const group = attachments.slice(i, i + n);
    i += n;
    const from = p.pick(senders);
    let to = p.pick(PEOPLE);
    while (to === from) to = p.pick(PEOPLE);
    const names = new Set<string>();
    const files = group.map((a) => {
      let name = `${slug(a.doc.head.find((h) => /R[ée]f\. /.test(h)) ?? 'document')}.txt`;
      for (let k = 2; names.has(name); k++) name = name.replace(/(-\d+)?\.txt$/, `-${k}.txt`);
      names.add(name);
      return { name, bytes: Buffer.from(a.text) };
    });
    const date = Math.max(...group.map((a) => a.date)) + p.int(1, 72) * 3_600_000;
    const signed = signEmail(emailBytes(c, emails, from, to, date, files), keys.get(from.address.split('@')[1]!)!, { canonicalization: 'relaxed/relaxed' });
    const rel = join('mail', `m${String(Math.floor(emails / FILES_PER_DIR)).padStart(3, '0')}`, `${String(emails).padStart(6, '0')}.eml`);
    mkdirSync(join(leak, rel, '..'), { recursive: true });
    writeFileSync(join(leak, rel), signed);
    group.forEach((a, k) => documents.push({
      sha256: a.sha256, path: `${rel}/${files[k]!.name}`, kind: 'attachment', words: wordCount(a.text), ...(a.family !== null ? { family: a.family } : {}),
    }));
    emails++;
  }
  writeFileSync(join(dir, 'keys.zone'), [...keys.values()].map(zoneLine).join('\n') + '\n');

  // Loose files, in one shuffled list: nothing in a name or a place tells what a file is.
  log(`composing ${copies + alteredCount + resavedCount + looseCount} loose files...`);
  const loose: { bytes: Buffer; name: string; truth: Omit<TruthDocument, 'path'> }[] = [];
  const pickOriginals = (n: number): Original[] => p.sample(attachments, n);
  for (const a of pickOriginals(copies)) {
    loose.push({ bytes: Buffer.from(a.text), name: a.doc.head.find((h) => / — R[ée]f\. /.test(h)) ?? 'copie', truth: { sha256: a.sha256, kind: 'copy', words: wordCount(a.text), of: a.sha256 } });
  }
  for (const a of pickOriginals(resavedCount)) {
    const { bytes, how } = resave(p, a.text);
    loose.push({ bytes, name: 'document', truth: { sha256: sha256(bytes), kind: 'resaved', words: wordCount(a.text), of: a.sha256, resavedAs: how } });
  }
  for (const a of pickOriginals(alteredCount)) {
    const { doc, edits, editClass } = alter(c, a.doc, a.date);
    const text = textOf(doc);
    const bytes = Buffer.from(p.chance(0.1) ? text.replace(/\n/g, '\r\n') : text);
    loose.push({
      bytes, name: p.chance(0.5) ? 'version-finale' : 'document',
      truth: { sha256: sha256(bytes), kind: 'altered', words: wordCount(text), of: a.sha256, edits, editClass, jaccard: Math.round(jaccard(a.text, text) * 1000) / 1000 },
    });
  }
  const attachedByFamily = new Map<number, Original[]>();
  for (const a of attachments) if (a.family !== null) attachedByFamily.set(a.family, [...(attachedByFamily.get(a.family) ?? []), a]);
  for (let i = 0; i < looseCount; i++) {
    const o = make(p.chance(TEMPLATED_LOOSE), false);
    const attachedSiblings = o.family !== null ? attachedByFamily.get(o.family) ?? [] : [];
    const truth: Omit<TruthDocument, 'path'> = { sha256: o.sha256, kind: attachedSiblings.length ? 'sibling' : 'loose', words: wordCount(o.text) };
    if (o.family !== null) truth.family = o.family;
    if (attachedSiblings.length) {
      let best = { sha: '', j: -1 };
      for (const s of attachedSiblings) {
        const j = jaccard(s.text, o.text);
        if (j > best.j) best = { sha: s.sha256, j };
      }
      truth.of = best.sha;
      truth.jaccard = Math.round(best.j * 1000) / 1000;
    }
    loose.push({ bytes: Buffer.from(o.text), name: o.doc.head.find((h) => / — R[ée]f\. /.test(h)) ?? 'document', truth });
  }
  // Fisher–Yates with the seeded stream.
  for (let i = loose.length - 1; i > 0; i--) {
    const j = p.int(0, i);
    [loose[i], loose[j]] = [loose[j]!, loose[i]!];
  }
  log(`writing ${loose.length} loose files...`);
  loose.forEach((f, i) => {
    const rel = join('documents', `d${String(Math.floor(i / FILES_PER_DIR)).padStart(3, '0')}`, `${slug(f.name)}-${String(i).padStart(6, '0')}.txt`);
    if (i % FILES_PER_DIR === 0) mkdirSync(join(leak, rel, '..'), { recursive: true });
    writeFileSync(join(leak, rel), f.bytes);
    documents.push({ ...f.truth, path: rel });
  });

  const counts: Record<DocumentKind, number> = { attachment: 0, copy: 0, resaved: 0, altered: 0, sibling: 0, loose: 0 };
  for (const d of documents) counts[d.kind]++;
  const truth: Truth = {
    size, seed, emails,
    keys: [...keys.values()].map((k) => ({ domain: k.domain, selector: k.selector, algorithm: k.algorithm, bits: k.bits })),
    counts, documents,
  };
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
  return truth;
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { size: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  const out = positionals[0];
  const size = Number(values.size);
  const seed = Number(values.seed);
  if (!out || !Number.isInteger(size) || size < 100 || !Number.isInteger(seed) || seed < 0) {
    console.error('usage: node bench/provenance-corpus.ts OUT --size N (at least 100) [--seed S]');
    process.exit(1);
  }
  const started = performance.now();
  const truth = writeCorpus(out, size, seed, (line) => console.log(`  ${line}`));
  console.log(`  ${truth.documents.length} documents (${Object.entries(truth.counts).map(([k, v]) => `${v} ${k}`).join(', ')}), ${truth.emails} emails, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.main) main();
