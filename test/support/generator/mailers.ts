/**
 * The habits of each mail program, as seen in 2016-2017 mail: Message-ID shapes, header order,
 * extra headers, encoded-word charsets, body charset and transfer encoding, reply prefixes
 * ("RE : " in French Outlook), quoting style and MIME boundary shapes.
 */
import { createHash } from 'node:crypto';
import type { MailerKind, Person } from './cast.ts';
import type { TextEncoding, WordEncoding } from './email-build.ts';
import type { Charset } from './charsets.ts';
import type { Lang } from './phrases.ts';
import type { Prng } from './prng.ts';

/** How a mailer quotes the message it replies to. */
export type QuoteStyle = 'outlook' | 'gmail' | 'thunderbird' | 'apple' | 'zimbra' | 'thebat' | 'none';

/** HTML flavour of the text/html alternative, or none (plain text only). */
export type HtmlStyle = 'outlook' | 'gmail' | 'apple' | 'zimbra' | 'none';

/** Everything about a message that depends on the sending program. */
export interface MailerProfile {
  kind: MailerKind;
  nameEncoding: WordEncoding;
  subjectEncoding: WordEncoding;
  quoteNames: boolean;
  bodyCharset: Charset;
  bodyCharsetLabel: string;
  textEncoding: TextEncoding;
  flowed: boolean;
  html: HtmlStyle;
  quote: QuoteStyle;
  headerOrder: string[];
  replyPrefix: string;
  forwardPrefix: string;
  preamble?: string;
  /** A fresh Message-ID (without angle brackets). */
  messageId(prng: Prng, date: number): string;
  /** A boundary stem for this message. */
  boundary(prng: Prng, date: number): string;
  /** Mailer-specific header lines. */
  extraHeaders(ctx: { prng: Prng; topic: string; threadIndex: Buffer; hasAttachments: boolean; lang: Lang; date: number }): [string, string][];
  /** Text appended after the signature, if any ("Envoyé de mon iPhone"). */
  sentFrom?: Record<Lang, string>;
}

const HEX = '0123456789ABCDEF';
const B64ISH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function uuid(prng: Prng, upper: boolean): string {
  const h = prng.hex(32);
  const s = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return upper ? s.toUpperCase() : s;
}

/** An Exchange Online mailbox server name, stable per person. */
function exchangeServer(p: Person): string {
  const h = createHash('sha256').update(p.address).digest();
  return `AM${(h[0] as number) % 6}PR0${(h[1] as number) % 8}01MB${1000 + ((h[2] as number) * 7) % 9000}`;
}

/** The profile of `person`'s mail program; `prng` picks among the program's variants. */
export function mailerProfile(person: Person, kind: MailerKind, prng: Prng, lang: Lang): MailerProfile {
  switch (kind) {
    case 'outlook': {
      const server = exchangeServer(person);
      const subjectCharset = prng.chance(0.5) ? { charset: 'windows-1252' as const, label: 'Windows-1252' } : { charset: 'ISO-8859-1' as const, label: 'iso-8859-1' };
      return {
        kind,
        nameEncoding: { charset: 'ISO-8859-1', encoding: 'Q', label: 'iso-8859-1' },
        subjectEncoding: { ...subjectCharset, encoding: 'Q' },
        quoteNames: true,
        bodyCharset: 'ISO-8859-1',
        bodyCharsetLabel: '"iso-8859-1"',
        textEncoding: 'quoted-printable',
        flowed: false,
        html: 'outlook',
        quote: 'outlook',
        headerOrder: ['from', 'to', 'cc', 'subject', 'thread-topic', 'thread-index', 'date', 'message-id', 'references', 'in-reply-to', 'accept-language', 'content-language', 'x-ms-has-attach', 'x-ms-tnef-correlator', 'content-type', 'mime-version'],
        replyPrefix: lang === 'fr' ? 'RE : ' : 'RE: ',
        forwardPrefix: lang === 'fr' ? 'TR : ' : 'FW: ',
        messageId: (r) => `${server}${r.hex(24).toUpperCase()}@${server}.eurprd0${server.charCodeAt(6) % 8}.prod.outlook.com`,
        boundary: (r) => `_004_${server}${r.chars(HEX, 24)}_`,
        extraHeaders: ({ topic, threadIndex, hasAttachments, lang: l }) => [
          ['Thread-Topic', topic],
          ['Thread-Index', threadIndex.toString('base64')],
          ['Accept-Language', 'fr-FR, en-US'],
          ['Content-Language', l === 'en' ? 'en-US' : 'fr-FR'],
          ['X-MS-Has-Attach', hasAttachments ? 'yes' : ''],
          ['X-MS-TNEF-Correlator', ''],
        ],
      };
    }
    case 'gmail':
      return {
        kind,
        nameEncoding: { charset: 'UTF-8', encoding: 'B' },
        subjectEncoding: { charset: 'UTF-8', encoding: 'B' },
        quoteNames: false,
        bodyCharset: 'UTF-8',
        bodyCharsetLabel: '"UTF-8"',
        textEncoding: 'quoted-printable',
        flowed: false,
        html: 'gmail',
        quote: 'gmail',
        headerOrder: ['mime-version', 'references', 'in-reply-to', 'from', 'date', 'message-id', 'subject', 'to', 'cc', 'content-type'],
        replyPrefix: 'Re: ',
        forwardPrefix: 'Fwd: ',
        messageId: (r) => `CA${r.chars(B64ISH, 1)}${r.chars(B64ISH + '+_-', 44)}=${r.chars(B64ISH, 3)}@mail.mail.example`,
        boundary: (r) => `001a11${r.hex(22)}`,
        extraHeaders: () => [],
      };
    case 'thunderbird':
      return {
        kind,
        nameEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'UTF-8', lowerHex: true },
        subjectEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'UTF-8', lowerHex: true },
        quoteNames: false,
        bodyCharset: 'UTF-8',
        bodyCharsetLabel: 'utf-8',
        textEncoding: '8bit',
        flowed: true,
        html: 'none',
        quote: 'thunderbird',
        headerOrder: ['subject', 'to', 'cc', 'references', 'from', 'message-id', 'date', 'user-agent', 'mime-version', 'in-reply-to', 'content-type', 'content-language'],
        replyPrefix: 'Re: ',
        forwardPrefix: 'Fwd: ',
        preamble: 'This is a multi-part message in MIME format.',
        messageId: (r) => `${uuid(r, false)}@${person.org.domain}`,
        boundary: (r) => `------------${r.chars('0123456789', 24)}`,
        extraHeaders: ({ lang: l }) => [
          ['User-Agent', 'Mozilla/5.0 (Windows NT 10.0; WOW64; rv:45.0) Gecko/20100101\r\n Thunderbird/45.8.0'],
          ['Content-Language', l === 'en' ? 'en-US' : 'fr'],
        ],
      };
    case 'apple':
      return {
        kind,
        nameEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'utf-8' },
        subjectEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'utf-8' },
        quoteNames: false,
        bodyCharset: 'UTF-8',
        bodyCharsetLabel: 'utf-8',
        textEncoding: 'quoted-printable',
        flowed: false,
        html: 'apple',
        quote: 'apple',
        headerOrder: ['content-type', 'mime-version', 'subject', 'from', 'in-reply-to', 'date', 'cc', 'message-id', 'references', 'to', 'x-mailer'],
        replyPrefix: 'Re: ',
        forwardPrefix: 'Fwd: ',
        messageId: (r) => `${uuid(r, true)}@${person.org.domain}`,
        boundary: (r) => `Apple-Mail=_${uuid(r, true)}`,
        extraHeaders: () => [['X-Mailer', 'Apple Mail (2.3273)']],
      };
    case 'iphone':
      return {
        kind,
        nameEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'utf-8' },
        subjectEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'utf-8' },
        quoteNames: false,
        bodyCharset: 'UTF-8',
        bodyCharsetLabel: 'utf-8',
        textEncoding: 'quoted-printable',
        flowed: false,
        html: 'none',
        quote: 'apple',
        headerOrder: ['content-type', 'content-transfer-encoding', 'from', 'mime-version', 'subject', 'date', 'message-id', 'references', 'cc', 'in-reply-to', 'to', 'x-mailer'],
        replyPrefix: 'Re: ',
        forwardPrefix: 'Tr: ',
        messageId: (r) => `${uuid(r, true)}@${person.org.domain}`,
        boundary: (r) => `Apple-Mail-${uuid(r, true)}`,
        extraHeaders: () => [['X-Mailer', 'iPhone Mail (14D27)']],
        sentFrom: { fr: 'Envoyé de mon iPhone', en: 'Sent from my iPhone', ru: 'Отправлено с iPhone' },
      };
    case 'zimbra':
      return {
        kind,
        nameEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'utf-8' },
        subjectEncoding: { charset: 'UTF-8', encoding: 'Q', label: 'utf-8' },
        quoteNames: false,
        bodyCharset: 'UTF-8',
        bodyCharsetLabel: 'utf-8',
        textEncoding: 'quoted-printable',
        flowed: false,
        html: 'zimbra',
        quote: 'zimbra',
        headerOrder: ['date', 'from', 'to', 'cc', 'message-id', 'in-reply-to', 'subject', 'mime-version', 'content-type', 'x-mailer', 'thread-topic', 'thread-index'],
        replyPrefix: 'Re: ',
        forwardPrefix: 'Fwd: ',
        messageId: (r, date) => `${r.int(100000000, 999999999)}.${r.int(1000000, 9999999)}.${date}.JavaMail.zimbra@globex.example`,
        boundary: (r, date) => `----=_Part_${r.int(1000000, 9999999)}_${r.int(100000000, 999999999)}.${date}`,
        extraHeaders: ({ topic, threadIndex }) => [
          ['X-Mailer', 'Zimbra 8.6.0_GA_1194 (ZimbraWebClient - GC56 (Win)/8.6.0_GA_1194)'],
          ['Thread-Topic', topic],
          ['Thread-Index', threadIndex.subarray(0, 16).toString('base64').replace(/=+$/, '')],
        ],
      };
    case 'thebat':
      return {
        kind,
        nameEncoding: { charset: 'koi8-r', encoding: 'B', label: 'koi8-r' },
        subjectEncoding: { charset: 'koi8-r', encoding: 'B', label: 'koi8-r' },
        quoteNames: false,
        bodyCharset: 'koi8-r',
        bodyCharsetLabel: 'koi8-r',
        textEncoding: '8bit',
        flowed: false,
        html: 'none',
        quote: 'thebat',
        headerOrder: ['date', 'from', 'x-mailer', 'reply-to', 'x-priority', 'message-id', 'to', 'cc', 'subject', 'in-reply-to', 'references', 'mime-version', 'content-type'],
        replyPrefix: 'Re: ',
        forwardPrefix: 'Fwd: ',
        messageId: (r, date) => `${r.int(100000000, 1999999999)}.${new Date(date).toISOString().replace(/\D/g, '').slice(0, 14)}@pochta.example`,
        boundary: (r) => `----------${r.chars(HEX, 16)}`,
        extraHeaders: () => [
          ['X-Mailer', 'The Bat! (v4.2.44.2) Professional'],
          ['X-Priority', '3 (Normal)'],
        ],
      };
  }
}
