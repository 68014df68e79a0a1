/**
 * Plans the correspondence message by message: which leaked mailbox it belongs to, who writes to
 * whom, in which language, when (business hours, 2016-01 to the 2017-05-05 leak), and whether it
 * starts a thread, replies to one or forwards it. Keeps only a bounded window of open threads, so
 * a million messages need no more memory than a hundred.
 */
import { MAILBOX_OWNERS, NEWSLETTER, PEOPLE, displayName } from './cast.ts';
import type { Person } from './cast.ts';
import { composeBody, fillTemplate, quotePrevious, renderHtml } from './compose-text.ts';
import type { QuotedMessage, SlotContext } from './compose-text.ts';
import { zoneOffsetMinutes } from './date-format.ts';
import type { FileKind } from './attachment-factory.ts';
import { mailerProfile } from './mailers.ts';
import type { MailerProfile } from './mailers.ts';
import { SUBJECTS } from './phrases.ts';
import type { Lang } from './phrases.ts';
import { Prng, hashSeed } from './prng.ts';

/** First instant of the correspondence. */
export const CORPUS_START = Date.UTC(2016, 0, 4, 7, 0, 0);
/** The leak: nothing is dated after this. */
export const LEAK_DATE = Date.UTC(2017, 4, 5, 18, 0, 0);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Threads kept open for replies; older ones are forgotten (bounded memory). */
const OPEN_THREADS = 200;
/** References kept in a reply, as clients trim long chains. */
const MAX_REFERENCES = 12;

/** A file to attach: made fresh (with a new id), or the same bytes as the earlier file `reuse`. */
export type AttachmentRequest = { id: number; kind: FileKind; author: Person; editor: Person } | { reuse: number };

/** Everything needed to write one message. */
export interface MessagePlan {
  index: number;
  owner: Person;
  folder: 'inbox' | 'sent';
  from: Person | null;
  fromAddress: { name: string; address: string };
  to: Person[];
  cc: Person[];
  lang: Lang;
  subject: string;
  topic: string;
  date: number;
  offsetMinutes: number;
  /** When the owner's server received it (inbox) or it was saved (sent). */
  stored: number;
  messageId: string;
  inReplyTo?: string;
  references: string[];
  threadId: string;
  threadIndex: Buffer;
  text: string;
  html?: string;
  profile: MailerProfile;
  attachments: AttachmentRequest[];
  newsletter: boolean;
  /** Damage done after signing, to plant provably altered messages. */
  tamper: null | 'body' | 'headers';
}

interface Thread {
  id: string;
  topic: string;
  lang: Lang;
  owner: Person;
  participants: Person[];
  last: QuotedMessage & { messageId: string; references: string[] };
  threadIndex: Buffer;
  /** Attachment ids carried by the thread's last message with files (for forwards). */
  files: number[];
  /** Replies still to come; the thread closes at zero. */
  repliesLeft: number;
}

const ORG_NAMES = ['Acme Conseil', 'Northwind Analytics', 'Globex Events', 'Campagne Exemple', 'la mairie', 'l’imprimerie Dupuis'];

/** Counterpart groups for a mailbox owner, with weights. */
const GROUPS: [string, number][] = [
  ['campagne', 40],
  ['acme', 14],
  ['northwind', 10],
  ['globex', 8],
  ['webmail', 20],
  ['pochta', 3],
  ['newsletter', 5],
];

/** Positions (index mod 100) of the messages altered after delivery. */
const TAMPER_BODY_AT = 17;
const TAMPER_HEADERS_AT = 41;

/** Share of messages carrying files, and how many. */
const ATTACHMENT_RATE = 0.3;

export class Correspondence {
  private readonly prng: Prng;
  private readonly total: number;
  private readonly threads: Thread[] = [];
  private nextFileId = 0;

  constructor(seed: number, total: number) {
    this.prng = new Prng(hashSeed(seed, 'correspondence'));
    this.total = total;
  }

  private pickPeople(group: string, exclude: Person[], count: number): Person[] {
    const pool = PEOPLE.filter((p) => p.org.id === group && !exclude.includes(p));
    return this.prng.sample(pool, count);
  }

  /** A business-hours instant for message `index`, spread evenly over the corpus period. */
  private baseDate(index: number, zone: Person['zone']): number {
    const r = this.prng;
    const span = LEAK_DATE - CORPUS_START - 2 * DAY;
    let t = CORPUS_START + ((index + r.next()) / this.total) * span;
    let day = Math.floor(t / DAY) * DAY;
    const dow = new Date(day).getUTCDay();
    if ((dow === 0 || dow === 6) && r.chance(0.8)) day += (dow === 6 ? 2 : 1) * DAY;
    const localHour = r.weighted<number>([
      [8, 6], [9, 10], [10, 12], [11, 12], [12, 6], [13, 7], [14, 11], [15, 11], [16, 10], [17, 9], [18, 7], [19, 4], [20, 3], [21, 2], [22, 2], [23, 1], [7, 2],
    ]);
    t = day + localHour * HOUR + r.int(0, 3599) * 1000;
    t -= zoneOffsetMinutes(zone, t) * 60_000;
    return Math.min(t, LEAK_DATE - r.int(60, 86_400) * 1000);
  }

  private langFor(from: Person, to: Person[]): Lang {
    if (from.lang === 'ru') return 'ru';
    if (from.lang === 'en' || to.some((p) => p.lang === 'en' || p.lang === 'ru')) return 'en';
    return 'fr';
  }

  private attachmentsFor(from: Person, rate: number): AttachmentRequest[] {
    const r = this.prng;
    if (!r.chance(rate)) return [];
    const count = r.weighted<number>([
      [1, 75],
      [2, 20],
      [3, 5],
    ]);
    const out: AttachmentRequest[] = [];
    for (let i = 0; i < count; i++) {
      // About one attachment in eight is a file already sent before: the same bytes again.
      if (this.nextFileId > 0 && r.chance(0.12)) {
        out.push({ reuse: Math.max(0, this.nextFileId - 1 - Math.floor(r.exponential(6))) });
        continue;
      }
      const kind = r.weighted<FileKind>([
        ['pdf', 30],
        ['docx', 30],
        ['xlsx', 15],
        ['jpg', 25],
      ]);
      const colleagues = PEOPLE.filter((p) => p.org === from.org);
      const author = r.chance(0.6) ? from : r.pick(colleagues);
      out.push({ id: this.nextFileId++, kind, author, editor: r.chance(0.7) ? from : author });
    }
    return out;
  }

  /** The plan of message `index` (call with 0, 1, 2 ... in order). */
  next(index: number): MessagePlan {
    const r = this.prng;
    // Every 20th message carries a line starting with "From " and lands in an mbox of the mixed layout.
    const forceFromLine = index % 20 === 3;
    // Two messages in a hundred are altered after delivery (signed inbox copies, so it shows).
    const tamper = index % 100 === TAMPER_BODY_AT ? 'body' : index % 100 === TAMPER_HEADERS_AT ? 'headers' : null;
    const roll = r.next();
    let plan: MessagePlan;
    if (!forceFromLine && !tamper && this.threads.length > 0 && roll < 0.42) plan = this.reply(index, false);
    else if (!forceFromLine && !tamper && this.threads.length > 0 && roll < 0.46) plan = this.reply(index, true);
    else plan = this.start(index, forceFromLine, tamper);
    return plan;
  }

  private start(index: number, forceFromLine: boolean, tamper: MessagePlan['tamper']): MessagePlan {
    const r = this.prng;
    const owner = forceFromLine ? (MAILBOX_OWNERS[0] as Person) : r.weighted(MAILBOX_OWNERS.map((p, i): [Person, number] => [p, i === 0 ? 3 : 2]));
    const group = forceFromLine ? 'northwind' : tamper ? r.pick(['acme', 'webmail', 'northwind']) : r.weighted(GROUPS);
    if (group === 'newsletter') return this.newsletter(index, owner);
    const sent = !forceFromLine && !tamper && r.chance(0.35);
    const others = this.pickPeople(group, [owner], group === 'campagne' ? r.int(1, 3) : r.int(1, 2));
    if (others.length === 0) others.push(PEOPLE[6] as Person);
    let from: Person;
    let to: Person[];
    if (sent) {
      from = owner;
      to = others;
    } else {
      from = others[0] as Person;
      to = [owner, ...others.slice(1)];
    }
    const cc = r.chance(0.3) ? this.pickPeople('campagne', [from, ...to], r.int(1, 2)) : [];
    const lang = this.langFor(from, [...to, ...cc]);
    const date = this.baseDate(index, from.zone);
    const profile = this.profileFor(from, lang, forceFromLine);
    const topic = fillTemplate(r.pick(SUBJECTS[lang]), r, this.slots(lang, date, to[0]));
    const messageId = profile.messageId(r, date);
    const text = this.body(profile, from, to, lang, date, { reply: false, fromLine: forceFromLine || r.chance(lang === 'en' ? 0.2 : 0.03) });
    const threadIndex = r.bytes(22);
    const plan = this.finish({ index, owner, folder: sent ? 'sent' : 'inbox', from, to, cc, lang, topic, subject: topic, date, messageId, references: [], threadId: messageId, threadIndex, text, profile, attachments: this.attachmentsFor(from, ATTACHMENT_RATE), tamper });
    this.remember({
      id: messageId,
      topic,
      lang,
      owner,
      participants: [from, ...to, ...cc],
      threadIndex,
      files: [],
      repliesLeft: r.weighted<number>([
        [0, 30],
        [1, 30],
        [2, 12],
        [3, 10],
        [4, 8],
        [6, 6],
        [10, 4],
      ]),
      last: this.quoted(plan),
    }, plan);
    return plan;
  }

  private reply(index: number, forward: boolean): MessagePlan {
    const r = this.prng;
    // Recent threads are likelier to get answers.
    const at = this.threads.length - 1 - Math.min(this.threads.length - 1, Math.floor(r.exponential(12)));
    const t = this.threads[at] as Thread;
    if (--t.repliesLeft <= 0) this.threads.splice(at, 1);
    const prev = t.last;
    const owner = t.owner;
    let from: Person;
    let to: Person[];
    let cc: Person[];
    if (forward) {
      from = owner;
      const group = r.weighted(GROUPS.filter(([g]) => g !== 'newsletter' && g !== 'pochta'));
      to = this.pickPeople(group, [owner], 1);
      if (to.length === 0) to = [PEOPLE[7] as Person];
      cc = [];
    } else {
      const candidates = t.participants.filter((p) => p !== prev.from && (p === owner || prev.from === owner || r.chance(0.5)));
      from = prev.from === owner ? r.pick(candidates.length ? candidates : [t.participants.find((p) => p !== owner) ?? (PEOPLE[6] as Person)]) : r.chance(0.6) ? owner : r.pick(candidates.length ? candidates : [owner]);
      to = [prev.from];
      cc = t.participants.filter((p) => p !== from && p !== prev.from && r.chance(0.6));
      if (from !== owner && !to.includes(owner) && !cc.includes(owner)) cc.push(owner);
    }
    let lang = t.lang;
    if (lang === 'ru' && from.lang !== 'ru') lang = 'en';
    // Answers come minutes to days later (mean five hours), never after the leak.
    const date = Math.min(prev.date + 120_000 + Math.floor(r.exponential(5 * HOUR)), LEAK_DATE - r.int(60, 3600) * 1000);
    const profile = this.profileFor(from, lang, false);
    const prefix = forward ? profile.forwardPrefix : profile.replyPrefix;
    // Outlook stacks prefixes now and then ("RE : RE : ..."), others strip them.
    const subject = prefix + (r.chance(profile.kind === 'outlook' ? 0.25 : 0.05) ? prev.subject : t.topic);
    const messageId = profile.messageId(r, date);
    const references = [...prev.references, prev.messageId].slice(-MAX_REFERENCES);
    const own = this.body(profile, from, to, lang, date, { reply: !forward, fromLine: r.chance(lang === 'en' ? 0.15 : 0.02) });
    const text = quotePrevious(own, prev, forward && profile.quote === 'none' ? 'gmail' : profile.quote, lang);
    const threadIndex = Buffer.concat([t.threadIndex, r.bytes(5)]);
    const attachments: AttachmentRequest[] = forward && t.files.length > 0 ? t.files.map((id) => ({ reuse: id })) : this.attachmentsFor(from, forward ? 0.5 : ATTACHMENT_RATE * 0.8);
    const plan = this.finish({ index, owner, folder: from === owner ? 'sent' : 'inbox', from, to, cc, lang, topic: t.topic, subject, date, messageId, inReplyTo: forward ? undefined : prev.messageId, references: forward ? [] : references, threadId: t.id, threadIndex, text, profile, attachments });
    t.last = this.quoted(plan);
    t.threadIndex = threadIndex;
    for (const p of [from, ...to, ...cc]) if (!t.participants.includes(p)) t.participants.push(p);
    this.trackFiles(t, plan);
    return plan;
  }

  private newsletter(index: number, owner: Person): MessagePlan {
    const r = this.prng;
    const date = this.baseDate(index, 'Europe/Paris');
    const base = mailerProfile(PEOPLE[6] as Person, 'apple', r, 'fr');
    const profile: MailerProfile = {
      ...base,
      html: 'gmail',
      headerOrder: ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'precedence', 'mime-version', 'content-type', 'x-mailer'],
      messageId: (p) => `${p.hex(16)}.${p.hex(8)}@envoi-esp.example`,
      extraHeaders: ({ prng }) => [
        ['List-Unsubscribe', `<mailto:unsub-${prng.hex(12)}@${NEWSLETTER.espDomain}>`],
        ['Precedence', 'bulk'],
        ['X-Mailer', 'ESP Mailer 3.1'],
      ],
    };
    const topic = `La lettre de Campagne Exemple – n° ${1 + Math.floor((date - Date.UTC(2016, 0, 1)) / (7 * DAY))}`;
    const messageId = profile.messageId(r, date);
    const ctx = this.slots('fr', date, owner);
    const text = composeBody(r, ctx, { sender: PEOPLE[6] as Person, reply: false, paragraphs: r.int(3, 6), fromLine: false, gmailDashes: false, sentFrom: 'Pour vous désinscrire, répondez « STOP » à ce message.' });
    return this.finish({
      index,
      owner,
      folder: 'inbox',
      from: null,
      fromAddress: NEWSLETTER.from,
      to: [owner],
      cc: [],
      lang: 'fr',
      topic,
      subject: topic,
      date,
      messageId,
      references: [],
      threadId: messageId,
      threadIndex: r.bytes(22),
      text,
      profile,
      attachments: [],
      newsletter: true,
    });
  }

  private profileFor(from: Person, lang: Lang, plainNonFlowed: boolean): MailerProfile {
    const r = this.prng;
    let kind = from.mailer;
    if (kind === 'outlook' && r.chance(0.12)) kind = 'iphone';
    if (plainNonFlowed && kind === 'thunderbird') kind = 'gmail';
    return mailerProfile(from, kind, r, lang);
  }

  private slots(lang: Lang, date: number, first?: Person): SlotContext {
    // Russian mailers write in KOI8-R, which has no accented Latin letters: "Anaïs" becomes "Anais".
    const name = lang === 'ru' ? first?.first.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : first?.first;
    return { lang, date, first: name, people: PEOPLE.slice(0, 12), orgNames: ORG_NAMES };
  }

  private body(profile: MailerProfile, from: Person, to: Person[], lang: Lang, date: number, opts: { reply: boolean; fromLine: boolean }): string {
    const r = this.prng;
    const ctx = this.slots(lang, date, to.length === 1 ? to[0] : undefined);
    const paragraphs = lang === 'ru' ? r.int(1, 2) : opts.reply ? r.int(0, 3) : r.int(2, 6);
    return composeBody(r, ctx, {
      sender: from,
      reply: opts.reply,
      paragraphs,
      fromLine: opts.fromLine && !profile.flowed,
      sentFrom: profile.sentFrom?.[lang],
      gmailDashes: profile.kind === 'gmail' || profile.kind === 'thunderbird',
    });
  }

  private finish(p: Omit<MessagePlan, 'offsetMinutes' | 'stored' | 'html' | 'newsletter' | 'tamper' | 'fromAddress'> & Partial<Pick<MessagePlan, 'newsletter' | 'fromAddress' | 'tamper'>>): MessagePlan {
    const r = this.prng;
    const zone = p.from?.zone ?? 'Europe/Paris';
    const offsetMinutes = zoneOffsetMinutes(zone, p.date);
    const stored = p.folder === 'sent' ? p.date : p.date + r.int(2, 180) * 1000;
    const html = p.profile.html === 'none' ? undefined : renderHtml(p.text, p.profile.html);
    return {
      ...p,
      fromAddress: p.fromAddress ?? { name: displayName(p.from as Person), address: (p.from as Person).address },
      offsetMinutes,
      stored,
      html,
      newsletter: p.newsletter ?? false,
      tamper: p.tamper ?? null,
    };
  }

  private quoted(plan: MessagePlan): Thread['last'] {
    return {
      from: plan.from as Person,
      to: plan.to,
      cc: plan.cc,
      date: plan.date,
      offsetMinutes: plan.offsetMinutes,
      subject: plan.subject,
      text: plan.text,
      messageId: plan.messageId,
      references: plan.references,
    };
  }

  private remember(thread: Thread, plan: MessagePlan): void {
    this.trackFiles(thread, plan);
    if (thread.repliesLeft === 0) return;
    this.threads.push(thread);
    if (this.threads.length > OPEN_THREADS) this.threads.shift();
  }

  /** Notes the files of `plan` on its thread, for later forwards. */
  private trackFiles(thread: Thread, plan: MessagePlan): void {
    if (plan.attachments.length > 0) thread.files = plan.attachments.map((a) => ('reuse' in a ? a.reuse : a.id));
  }
}
