/**
 * Who writes to whom: fictional organisations (reserved `.example` names and clearly fictional
 * `.fr` ones), their people, the mail programs they use, the office software that made their
 * documents, and how each domain signs its mail (selectors, algorithms, key rotation).
 */
import type { Zone } from './date-format.ts';
import type { DkimAlgorithm, Canonicalization } from './dkim-sign.ts';
import type { Lang } from './phrases.ts';

/** The mail programs whose habits the generator imitates (see `mailers.ts`). */
export type MailerKind = 'outlook' | 'gmail' | 'thunderbird' | 'apple' | 'iphone' | 'zimbra' | 'thebat';

/** An organisation and its software habits. */
export interface Organisation {
  id: string;
  domain: string;
  name: string;
  lang: Lang;
  zone: Zone;
  /** Inbound mail server named in Received headers. */
  mx: string;
  /** Documentation-range address of its outbound server (RFC 5737). */
  ip: string;
  /** Word processor that wrote its documents: app.xml Application / AppVersion. */
  wordApp: { application: string; appVersion?: string };
  excelApp: { application: string; appVersion?: string };
  /** PDF Creator / Producer of its exported documents. */
  pdf: { creator: string; producer: string };
  disclaimer?: string;
}

/** A correspondent. `id` names their folders in the leak. */
export interface Person {
  id: string;
  first: string;
  last: string;
  address: string;
  org: Organisation;
  lang: Lang;
  zone: Zone;
  mailer: MailerKind;
  title: string;
  phone: string;
}

/** One DKIM key of a signing domain and when it was in use. */
export interface SigningKeySpec {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  bits: number;
  /** Published period (ms since epoch, end exclusive; null = still published). */
  from: number;
  until: number | null;
}

/** How a domain's outbound server signs. Several keys valid at once means several signatures. */
export interface DomainSigning {
  domain: string;
  keys: SigningKeySpec[];
  canonicalization: Canonicalization;
  headers: string[];
  foldIndent: string;
  timestamp: boolean;
  /** `x=` this many seconds after `t=`. */
  expirySeconds?: number;
}

const MS_OFFICE_FR = { application: 'Microsoft Office Word', appVersion: '16.0000' };
/**
 * Software versions are those released before the trove's first message (2016-01-04), so that no
 * genuine document names software that did not exist yet at its own date (forensics would rightly
 * call that an anachronism): LibreOffice 5.0.3 (2015-11), OS X 10.11.2 (2015-12).
 */
const LIBREOFFICE = { application: 'LibreOffice/5.0.3.2$Windows_X86_64 LibreOffice_project/e5f16313668ac592c1bfb310f4390624e3dbfb75' };

export const ORGANISATIONS: Organisation[] = [
  {
    id: 'campagne',
    domain: 'campagne-exemple.fr',
    name: 'Campagne Exemple',
    lang: 'fr',
    zone: 'Europe/Paris',
    mx: 'mx1.campagne-exemple.fr',
    ip: '192.0.2.25',
    wordApp: MS_OFFICE_FR,
    excelApp: { application: 'Microsoft Excel', appVersion: '16.0300' },
    pdf: { creator: 'Microsoft® Word 2016', producer: 'Microsoft® Word 2016' },
    disclaimer: 'Ce message et ses pièces jointes sont confidentiels et destinés exclusivement à leurs destinataires. Si vous avez reçu ce message par erreur, merci d’en avertir l’expéditeur et de le détruire.',
  },
  {
    id: 'acme',
    domain: 'acme-conseil.fr',
    name: 'Acme Conseil',
    lang: 'fr',
    zone: 'Europe/Paris',
    mx: 'mail.acme-conseil.fr',
    ip: '198.51.100.17',
    wordApp: LIBREOFFICE,
    excelApp: LIBREOFFICE,
    pdf: { creator: 'Writer', producer: 'LibreOffice 5.0' },
  },
  {
    id: 'northwind',
    domain: 'northwind.example',
    name: 'Northwind Analytics',
    lang: 'en',
    zone: 'America/New_York',
    mx: 'mx.northwind.example',
    ip: '203.0.113.40',
    wordApp: { application: 'Microsoft Macintosh Word', appVersion: '15.0000' },
    excelApp: { application: 'Microsoft Macintosh Excel', appVersion: '15.0300' },
    pdf: { creator: 'Word', producer: 'Mac OS X 10.11.2 Quartz PDFContext' },
    disclaimer: 'CONFIDENTIALITY NOTICE: This e-mail message, including any attachments, is for the sole use of the intended recipient(s) and may contain confidential and privileged information. Any unauthorized review, use, disclosure or distribution is prohibited.',
  },
  {
    id: 'globex',
    domain: 'globex.example',
    name: 'Globex Events Ltd',
    lang: 'en',
    zone: 'Europe/London',
    mx: 'mail.globex.example',
    ip: '203.0.113.90',
    wordApp: { application: 'Microsoft Office Word', appVersion: '14.0000' },
    excelApp: { application: 'Microsoft Excel', appVersion: '14.0300' },
    pdf: { creator: 'Acrobat PDFMaker 10.1 for Word', producer: 'Adobe PDF Library 10.0' },
  },
  {
    id: 'webmail',
    domain: 'mail.example',
    name: '',
    lang: 'fr',
    zone: 'Europe/Paris',
    mx: 'mx.mail.example',
    ip: '198.51.100.200',
    wordApp: { application: 'Microsoft Office Word', appVersion: '15.0000' },
    excelApp: { application: 'Microsoft Excel', appVersion: '15.0300' },
    pdf: { creator: 'Microsoft® Word 2013', producer: 'Microsoft® Word 2013' },
  },
  {
    id: 'pochta',
    domain: 'pochta.example',
    name: '',
    lang: 'ru',
    zone: 'Europe/Moscow',
    mx: 'mx.pochta.example',
    ip: '198.51.100.77',
    wordApp: { application: 'Microsoft Office Word', appVersion: '12.0000' },
    excelApp: { application: 'Microsoft Excel', appVersion: '12.0000' },
    pdf: { creator: 'Microsoft® Office Word 2007', producer: 'Microsoft® Office Word 2007' },
  },
];

const ORG = Object.fromEntries(ORGANISATIONS.map((o) => [o.id, o])) as Record<string, Organisation>;

function person(orgId: string, first: string, last: string, local: string, title: string, mailer: MailerKind, lang?: Lang, zone?: Zone): Person {
  const org = ORG[orgId] as Organisation;
  const slug = local.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return {
    id: slug,
    first,
    last,
    address: `${slug}@${org.domain}`,
    org,
    lang: lang ?? org.lang,
    zone: zone ?? org.zone,
    mailer,
    title,
    phone: phoneNumber(org, slug),
  };
}

/** A fictional number in the organisation's country (French 01 numbers, US 555, UK 7946, Moscow 495). */
function phoneNumber(org: Organisation, slug: string): string {
  const d = phonePart(slug);
  if (org.lang === 'fr') return '+33 1 ' + d;
  if (org.lang === 'ru') return '+7 495 ' + d.replace(/ /g, '').slice(0, 3) + '-' + d.replace(/ /g, '').slice(3, 7);
  if (org.zone === 'America/New_York') return '+1 212 555 ' + d.replace(/ /g, '').slice(0, 4);
  return '+44 20 7946 ' + d.replace(/ /g, '').slice(0, 4);
}

function phonePart(seed: string): string {
  let h = 7;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) % 100000000;
  const d = String(h).padStart(8, '0');
  return `${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} ${d.slice(6, 8)}`;
}

/** Everyone. The first six are the campaign staff whose mailboxes leaked. */
export const PEOPLE: Person[] = [
  person('campagne', 'Hélène', 'Durand-Lefèvre', 'helene.durand', 'Directrice de campagne', 'outlook'),
  person('campagne', 'François', 'Mercier', 'francois.mercier', 'Trésorier', 'outlook'),
  person('campagne', 'Cécile', 'Bénard', 'cecile.benard', 'Responsable communication', 'outlook'),
  person('campagne', 'Jérôme', 'Lemaître', 'jerome.lemaitre', 'Chargé des déplacements', 'outlook'),
  person('campagne', 'Anaïs', 'Garçon', 'anais.garcon', 'Coordinatrice des bénévoles', 'outlook'),
  person('campagne', 'Paul', 'Martin', 'paul.martin', 'Responsable informatique', 'outlook'),
  person('campagne', 'Zoé', 'Château', 'zoe.chateau', 'Attachée de presse', 'outlook'),
  person('campagne', 'Benoît', 'Roussel', 'benoit.roussel', 'Chargé d’études', 'outlook'),
  person('acme', 'Mathilde', 'Fauré', 'mathilde.faure', 'Associée', 'thunderbird'),
  person('acme', 'Grégoire', 'Dubœuf', 'gregoire.duboeuf', 'Consultant senior', 'thunderbird'),
  person('acme', 'Élodie', 'Marchand', 'elodie.marchand', 'Juriste', 'thunderbird'),
  person('acme', 'Stéphane', 'Noël', 'stephane.noel', 'Directeur financier', 'thunderbird'),
  person('northwind', 'John', 'Whitaker', 'john.whitaker', 'Managing Director', 'apple'),
  person('northwind', 'Sarah', "O'Connor", 'sarah.oconnor', 'Senior Analyst', 'apple'),
  person('northwind', 'Michael', 'Chen', 'michael.chen', 'Data Engineer', 'apple'),
  person('northwind', 'Emily', 'Rodríguez', 'emily.rodriguez', 'Account Manager', 'apple'),
  person('globex', 'James', 'Thornton', 'james.thornton', 'Head of Production', 'zimbra'),
  person('globex', 'Priya', 'Natarajan', 'priya.natarajan', 'Event Manager', 'zimbra'),
  person('globex', 'Oliver', 'Bennett', 'oliver.bennett', 'Finance Officer', 'zimbra'),
  person('webmail', 'Maxime', 'Lefèvre', 'maxime.lefevre75', 'Bénévole', 'gmail'),
  person('webmail', 'Sophie', 'Girard', 'sophie.girard.pro', 'Journaliste indépendante', 'gmail'),
  person('webmail', 'Thomas', 'Brière', 'thomas.briere', 'Photographe', 'gmail'),
  person('webmail', 'Nathalie', 'Roy', 'nathalie.roy', 'Élue locale', 'gmail'),
  person('webmail', 'Kevin', 'Doyle', 'kevin.doyle', 'Freelance designer', 'gmail', 'en', 'Europe/London'),
  person('webmail', 'Laure', 'Daubigné', 'laure.daubigne', 'Avocate', 'gmail'),
  person('pochta', 'Иван', 'Петров', 'ivan.petrov', 'Менеджер', 'thebat'),
  person('pochta', 'Ольга', 'Смирнова', 'olga.smirnova', 'Бухгалтер', 'thebat'),
];

/** Full display name as people write it. */
export function displayName(p: Person): string {
  return `${p.first} ${p.last}`;
}

/** The staff whose mailboxes are in the leak, in the order the mixed layout assigns them. */
export const MAILBOX_OWNERS: Person[] = PEOPLE.slice(0, 6);

/** A newsletter sender whose mail is signed by its e-mailing provider, not its own domain. */
export const NEWSLETTER = {
  from: { name: 'La lettre de Campagne Exemple', address: 'lettre@campagne-exemple.fr' },
  espDomain: 'envoi-esp.example',
};

const D = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);
const STANDARD_HEADERS = ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'mime-version', 'content-type'];

/** The signing domains; globex.example and pochta.example do not sign. */
export const SIGNING: DomainSigning[] = [
  {
    domain: 'campagne-exemple.fr',
    keys: [
      { domain: 'campagne-exemple.fr', selector: 's2016', algorithm: 'rsa-sha256', bits: 1024, from: D(2015, 6, 1), until: D(2016, 10, 1) },
      { domain: 'campagne-exemple.fr', selector: 's2017', algorithm: 'rsa-sha256', bits: 2048, from: D(2016, 10, 1), until: null },
    ],
    canonicalization: 'relaxed/relaxed',
    headers: STANDARD_HEADERS,
    foldIndent: '\t',
    timestamp: true,
  },
  {
    domain: 'acme-conseil.fr',
    keys: [{ domain: 'acme-conseil.fr', selector: 'mail', algorithm: 'rsa-sha256', bits: 1024, from: D(2014, 3, 1), until: null }],
    canonicalization: 'simple/simple',
    headers: ['from', 'to', 'subject', 'date', 'message-id'],
    foldIndent: '\t',
    timestamp: false,
  },
  {
    domain: 'northwind.example',
    keys: [
      { domain: 'northwind.example', selector: 'ed2016', algorithm: 'ed25519-sha256', bits: 256, from: D(2015, 1, 1), until: null },
      { domain: 'northwind.example', selector: 'rsa2016', algorithm: 'rsa-sha256', bits: 2048, from: D(2015, 1, 1), until: null },
    ],
    canonicalization: 'relaxed/relaxed',
    headers: ['from', 'from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'content-type'],
    foldIndent: '\t',
    timestamp: true,
    expirySeconds: 7 * 86400,
  },
  {
    domain: 'mail.example',
    keys: [
      { domain: 'mail.example', selector: '20120113', algorithm: 'rsa-sha256', bits: 2048, from: D(2012, 1, 13), until: D(2016, 10, 25) },
      { domain: 'mail.example', selector: '20161025', algorithm: 'rsa-sha256', bits: 2048, from: D(2016, 10, 25), until: null },
    ],
    canonicalization: 'relaxed/relaxed',
    headers: ['mime-version', 'in-reply-to', 'references', 'from', 'date', 'message-id', 'subject', 'to', 'cc'],
    foldIndent: '        ',
    timestamp: false,
  },
  {
    domain: 'envoi-esp.example',
    keys: [{ domain: 'envoi-esp.example', selector: 'esp1', algorithm: 'rsa-sha256', bits: 2048, from: D(2015, 1, 1), until: null }],
    canonicalization: 'relaxed/relaxed',
    headers: ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'mime-version', 'content-type'],
    foldIndent: '\t',
    timestamp: true,
  },
];

/** The signing setup of a domain, or undefined when it does not sign. */
export function signingFor(domain: string): DomainSigning | undefined {
  return SIGNING.find((s) => s.domain === domain);
}

/** Keys of `signing` in use at instant `t`. */
export function keysAt(signing: DomainSigning, t: number): SigningKeySpec[] {
  return signing.keys.filter((k) => t >= k.from && (k.until === null || t < k.until));
}
