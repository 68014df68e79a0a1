/**
 * Turns the phrase templates into message text: slot filling, bodies with greeting, paragraphs,
 * sign-off and signature block, quoting of the previous message in each mailer's style, and the
 * HTML alternative of a text body.
 */
import { displayName } from './cast.ts';
import type { Person } from './cast.ts';
import { formatAttribution, formatLongDate, formatOutlookSent, localFields } from './date-format.ts';
import { escapeXml } from './ooxml-parts.ts';
import type { HtmlStyle, QuoteStyle } from './mailers.ts';
import {
  CITIES_EN,
  CITIES_FR,
  CLOSINGS,
  FROM_LINES,
  GREETINGS,
  MONTHS_EN,
  MONTHS_FR,
  MONTHS_RU,
  PARAGRAPHS,
  REPLY_LEADS,
  ROOMS,
  THEMES_FR,
  WEEKDAYS_EN,
  WEEKDAYS_FR,
} from './phrases.ts';
import type { Lang } from './phrases.ts';
import type { Prng } from './prng.ts';

/** Context for slot values. */
export interface SlotContext {
  lang: Lang;
  date: number;
  first?: string;
  people: Person[];
  orgNames: string[];
}

const NBSP = '\u00a0';

function groupThousands(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** Fills `{slot}` placeholders with values drawn from `prng`. */
export function fillTemplate(template: string, prng: Prng, ctx: SlotContext): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'first':
        return ctx.first ?? (ctx.lang === 'fr' ? 'à tous' : 'all');
      case 'jour':
        return prng.pick(WEEKDAYS_FR);
      case 'day':
        return prng.pick(WEEKDAYS_EN);
      case 'date':
        return formatLongDate(ctx.lang === 'en' ? 'en' : 'fr', ctx.date + prng.int(-10, 20) * 86_400_000);
      case 'mois':
        return prng.pick(MONTHS_FR);
      case 'month':
        return ctx.lang === 'ru' ? prng.pick(MONTHS_RU) : prng.pick(MONTHS_EN);
      case 'ville':
        return prng.pick(CITIES_FR);
      case 'city':
        return prng.pick(CITIES_EN);
      case 'heure':
        return ctx.lang === 'fr' ? `${prng.int(8, 19)} h ${prng.pick(['00', '15', '30', '45'])}` : `${prng.int(8, 19)}:${prng.pick(['00', '15', '30', '45'])}`;
      case 'time':
        return `${prng.int(1, 11)}:${prng.pick(['00', '15', '30', '45'])} ${prng.pick(['AM', 'PM'])}`;
      case 'montant':
        return `${groupThousands(prng.int(8, 4800) * 25, prng.chance(0.5) ? NBSP : ' ')}${NBSP}€`;
      case 'amount':
        return ctx.lang === 'ru' ? `${groupThousands(prng.int(10, 900) * 1000, ' ')} руб.` : `${prng.pick(['$', '€', '£'])}${groupThousands(prng.int(8, 4800) * 25, ',')}`;
      case 'num':
        return `${prng.pick(['F', 'FA', 'INV-', ''])}${prng.int(2016, 2017)}-${String(prng.int(1, 999)).padStart(4, '0')}`;
      case 'org':
        return prng.pick(ctx.orgNames);
      case 'theme':
        return prng.pick(THEMES_FR);
      case 'salle':
        return prng.pick(ROOMS);
      case 'pct':
        return String(prng.int(2, 45));
      case 'n':
        return String(prng.int(2, 250));
      case 'semaine':
        return String(prng.int(1, 52));
      case 'quarter':
        return String(prng.int(1, 4));
      case 'person':
        return displayName(prng.pick(ctx.people));
      default:
        return slot;
    }
  });
}

/** The signature block under a message. */
export function signatureBlock(p: Person, withDashes: boolean): string {
  const lines = [displayName(p), p.title];
  if (p.org.name) lines.push(p.org.name);
  lines.push(p.phone);
  const block = lines.join('\n');
  const disclaimer = p.org.disclaimer ? `\n\n${p.org.disclaimer}` : '';
  return (withDashes ? '-- \n' : '') + block + disclaimer;
}

/** The sender's own words: greeting, paragraphs, closing, signature. */
export function composeBody(
  prng: Prng,
  ctx: SlotContext,
  opts: { sender: Person; reply: boolean; paragraphs: number; fromLine: boolean; sentFrom?: string; gmailDashes: boolean },
): string {
  const lang = ctx.lang;
  const parts: string[] = [fillTemplate(prng.pick(GREETINGS[lang]), prng, ctx)];
  if (opts.reply) parts.push(fillTemplate(prng.pick(REPLY_LEADS[lang]), prng, ctx));
  for (const tpl of prng.sample(PARAGRAPHS[lang], opts.paragraphs)) parts.push(fillTemplate(tpl, prng, ctx));
  if (opts.fromLine) parts.splice(1 + prng.int(0, parts.length - 1), 0, prng.pick(FROM_LINES));
  if (opts.sentFrom) {
    parts.push(fillTemplate(prng.pick(CLOSINGS[lang]), prng, ctx) + '\n' + opts.sender.first, opts.sentFrom);
  } else {
    parts.push(fillTemplate(prng.pick(CLOSINGS[lang]), prng, ctx) + '\n' + opts.sender.first, signatureBlock(opts.sender, opts.gmailDashes));
  }
  return parts.join('\n\n');
}

/** What a reply quotes: the previous message's sender, date, recipients, subject and full text. */
export interface QuotedMessage {
  from: Person;
  to: Person[];
  cc: Person[];
  date: number;
  offsetMinutes: number;
  subject: string;
  text: string;
}

/** Longest quoted history kept in a reply, in characters: real threads get long, this keeps messages bounded. */
export const MAX_QUOTED_CHARS = 6000;

const mailbox = (p: Person): string => `${displayName(p)} <${p.address}>`;

/** `own` followed (or preceded) by the previous message quoted in `style`. */
export function quotePrevious(own: string, prev: QuotedMessage, style: QuoteStyle, lang: Lang): string {
  const prevText = prev.text.length > MAX_QUOTED_CHARS ? prev.text.slice(0, MAX_QUOTED_CHARS) + '\n[...]' : prev.text;
  const prefixed = prevText
    .split('\n')
    .map((l) => (l.startsWith('>') ? '>' + l : l === '' ? '>' : '> ' + l))
    .join('\n');
  const l = lang === 'ru' ? 'en' : lang;
  switch (style) {
    case 'outlook': {
      const fr = l === 'fr';
      const head = [
        `${fr ? 'De' : 'From'} : ${displayName(prev.from)} [mailto:${prev.from.address}]`,
        `${fr ? 'Envoyé' : 'Sent'} : ${formatOutlookSent(l, prev.date, prev.offsetMinutes)}`,
        `${fr ? 'À' : 'To'} : ${prev.to.map(displayName).join(' ; ')}`,
        ...(prev.cc.length ? [`${fr ? 'Cc' : 'Cc'} : ${prev.cc.map(displayName).join(' ; ')}`] : []),
        `${fr ? 'Objet' : 'Subject'} : ${prev.subject}`,
      ].map((h) => (fr ? h : h.replace(' : ', ': ')));
      return `${own}\n\n${'_'.repeat(32)}\n${head.join('\n')}\n\n${prevText}`;
    }
    case 'gmail':
    case 'apple':
      return `${own}\n\n${formatAttribution(l, prev.date, prev.offsetMinutes, mailbox(prev.from))}\n\n${prefixed}`;
    case 'thunderbird': {
      const f = localFields(prev.date, prev.offsetMinutes);
      const d = `${String(f.day).padStart(2, '0')}/${String(f.month + 1).padStart(2, '0')}/${f.year}`;
      const t = `${String(f.hour).padStart(2, '0')}:${String(f.minute).padStart(2, '0')}`;
      const attribution = l === 'fr' ? `Le ${d} à ${t}, ${displayName(prev.from)} a écrit :` : `On ${d} ${t}, ${displayName(prev.from)} wrote:`;
      return `${own}\n\n${attribution}\n${prefixed}`;
    }
    case 'zimbra':
      return `${own}\n\n----- Original Message -----\nFrom: "${displayName(prev.from)}" <${prev.from.address}>\nTo: ${prev.to.map(mailbox).join(', ')}\nSent: ${formatOutlookSent('en', prev.date, prev.offsetMinutes)}\nSubject: ${prev.subject}\n\n${prefixed}`;
    case 'thebat':
      return `${own}\n\nВы писали ${formatLongDate('en', prev.date)}:\n\n${prefixed}`;
    case 'none':
      return own;
  }
}

const OUTLOOK_HEAD =
  '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\n<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n<style><!--\n/* Font Definitions */\n@font-face\n\t{font-family:"Cambria Math";\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\n@font-face\n\t{font-family:Calibri;\n\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\n/* Style Definitions */\np.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tmargin-bottom:.0001pt;\n\tfont-size:11.0pt;\n\tfont-family:"Calibri",sans-serif;\n\tmso-fareast-language:EN-US;}\na:link, span.MsoHyperlink\n\t{mso-style-priority:99;\n\tcolor:#0563C1;\n\ttext-decoration:underline;}\nspan.EmailStyle17\n\t{mso-style-type:personal-compose;\n\tfont-family:"Calibri",sans-serif;\n\tcolor:windowtext;}\n.MsoChpDefault\n\t{mso-style-type:export-only;\n\tfont-family:"Calibri",sans-serif;\n\tmso-fareast-language:EN-US;}\n@page WordSection1\n\t{size:612.0pt 792.0pt;\n\tmargin:70.85pt 70.85pt 70.85pt 70.85pt;}\ndiv.WordSection1\n\t{page:WordSection1;}\n--></style><!--[if gte mso 9]><xml>\n<o:shapedefaults v:ext="edit" spidmax="1026" />\n</xml><![endif]--><!--[if gte mso 9]><xml>\n<o:shapelayout v:ext="edit">\n<o:idmap v:ext="edit" data="1" />\n</o:shapelayout></xml><![endif]-->\n</head>\n<body lang="FR" link="#0563C1" vlink="#954F72">\n<div class="WordSection1">\n';

/** The text/html alternative of `text` in a mailer's flavour. */
export function renderHtml(text: string, style: HtmlStyle): string {
  const blocks = text.split(/\n{2,}/);
  const para = (b: string): string => escapeXml(b).replace(/\n/g, '<br>\n');
  const quoteAware = (render: (b: string) => string, open: string, close: string): string =>
    blocks.map((b) => (b.startsWith('>') ? `${open}${render(b.replace(/^> ?/gm, ''))}${close}` : render(b))).join('\n');
  switch (style) {
    case 'outlook':
      return (
        OUTLOOK_HEAD +
        blocks.map((b) => `<p class="MsoNormal">${para(b)}<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>`).join('\n') +
        '\n</div>\n</body>\n</html>\n'
      );
    case 'gmail':
      return `<div dir="ltr">${quoteAware((b) => `<div>${para(b)}</div><div><br></div>`, '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">', '</blockquote>')}</div>\n`;
    case 'apple':
      return `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body style="word-wrap: break-word; -webkit-nbsp-mode: space; -webkit-line-break: after-white-space;" class="">${quoteAware((b) => `<div class="">${para(b)}</div><div class=""><br class=""></div>`, '<blockquote type="cite" class="">', '</blockquote>')}</body></html>\n`;
    case 'zimbra':
      return `<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">${quoteAware((b) => `<div>${para(b)}</div><div><br data-mce-bogus="1"></div>`, '<blockquote style="border-left:2px solid #1010FF;margin-left:5px;padding-left:5px;">', '</blockquote>')}</div></body></html>\n`;
    case 'none':
      return '';
  }
}
