/**
 * The trove the server and browser tests (and `npm run screenshots`) open: a generated leak, plus a
 * few messages made by hand so that every page has something to show whatever the generator draws:
 * - a DKIM-signed email carrying a document, a loose byte-identical copy of it (proven by
 *   provenance), and a loose edited copy (an altered copy, with its word edits);
 * - an HTML email that references remote images, scripts, stylesheets, frames, fonts, prefetch links,
 *   CSS url() and a meta refresh, all at `remoteBase` (the privacy test counts requests there), plus
 *   an inline `cid:` image that must show;
 * - an email in Arabic and Hebrew (right to left) and one with an endless subject;
 * - a loose PDF whose metadata says it was last saved a year before it was created (suspicious).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, writeTree, email } from '../support/case.ts';
import { generateTrove } from '../support/generator/index.ts';
import { deriveDkimKey, zoneLine } from '../support/generator/dkim-keys.ts';
import { signEmail } from '../support/generator/dkim-sign.ts';
import { buildPdf } from '../support/generator/pdf-build.ts';

const OWN = deriveDkimKey(31, 'campagne-exemple.fr', 'e2e2017', 'rsa-sha256', 2048);

export const MINUTES = `Compte rendu du bureau du 3 mars 2017.
Présents : Hélène Durand, Paul Martin, Zoé Château.
La facture de l'imprimerie Dupuis sera réglée à trente jours, conformément au contrat signé en janvier.
Les badges des bénévoles seront imprimés la veille et distribués à l'entrée nord du palais des congrès.
Le service d'ordre sera assuré par quarante bénévoles répartis en deux équipes, avec un point de ralliement au stand d'accueil.
La presse régionale sera accueillie à partir de 17 heures dans la salle Lumière, où un communiqué lui sera remis.
Les transports en car depuis Villeurbanne, Vénissieux et Bron sont confirmés ; les horaires seront envoyés aux responsables locaux lundi.
Le devis du traiteur pour le buffet des bénévoles reste à valider : deux propositions ont été reçues, la moins chère est retenue sous réserve.
Zoé Château prépare une note sur les règles de financement des campagnes, à diffuser avant la fin du mois à tous les trésoriers départementaux.
Paul Martin rappelle que toute dépense supérieure à 500 euros doit être validée par écrit par le mandataire financier, sans exception.
Le budget prévisionnel du meeting de Lyon s'élève à 40 175 euros TTC, dont 21 % pour la location du lieu.
Prochaine réunion le 10 mars à 9 heures au siège.
`;
export const FORGED = MINUTES.replace('40 175 euros', '401 757 euros').replace('au siège.', 'au siège. Versement complémentaire de 150 000 euros en espèces.');

/** A PDF "created" in March 2017 and last saved in March 2016: a date was rewritten. */
function suspiciousPdf(): Buffer {
  return buildPdf({
    title: 'Attestation de dons',
    author: 'Paul Martin',
    creator: 'Microsoft® Word 2016',
    producer: 'Microsoft® Word 2016',
    created: Date.UTC(2017, 2, 2, 9, 30),
    modified: Date.UTC(2016, 2, 2, 9, 30),
    offsetMinutes: 60,
    pages: [{ lines: ['Attestation de dons', 'Nous attestons avoir reçu 150 000 euros en espèces le 1er mars 2017.'] }],
  });
}

/** A 1x1 PNG (the inline `cid:` image). */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEZgH2oLY5PQAAAABJRU5ErkJggg==', 'base64');

function b64(text: string | Buffer): string {
  return (Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')).toString('base64').replace(/.{76}/g, '$&\n');
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function signedWithAttachment(): Buffer {
  return signEmail(email(`From: =?UTF-8?B?${Buffer.from('Hélène Durand').toString('base64')}?= <helene.durand@campagne-exemple.fr>
To: Paul Martin <paul.martin@campagne-exemple.fr>
Subject: ${encodedWord('Compte rendu du bureau (version validée)')}
Date: Fri, 03 Mar 2017 18:00:00 +0100
Message-ID: <cr-bureau-e2e@campagne-exemple.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

${b64('Bonjour Paul,\n\nVoici le compte rendu validé du bureau de vendredi.\n\nHélène\n')}
--b1
Content-Type: text/plain; charset=utf-8; name="compte-rendu-bureau.txt"
Content-Disposition: attachment; filename="compte-rendu-bureau.txt"
Content-Transfer-Encoding: base64

${b64(MINUTES)}
--b1--
`), OWN);
}

/** The HTML of the privacy email: every way we know for a page to reach out, all pointing at `base`. */
export function trackingHtml(base: string): string {
  return `<!doctype html>
<html><head>
<meta http-equiv="refresh" content="0; url=${base}/meta-refresh">
<meta http-equiv="Content-Security-Policy" content="default-src *">
<base href="${base}/base/">
<link rel="stylesheet" href="${base}/link-stylesheet.css">
<link rel="prefetch" href="${base}/link-prefetch">
<link rel="preload" as="image" href="${base}/link-preload.png">
<link rel="preconnect" href="${base}/">
<link rel="dns-prefetch" href="${base}/">
<link rel="icon" href="${base}/favicon.ico">
<link rel="prerender" href="${base}/link-prerender">
<style>
@import url("${base}/style-import.css");
@import "${base}/style-import-string.css";
@font-face { font-family: Tracker; src: url(${base}/font.woff2) format("woff2"); }
body { font-family: Tracker, sans-serif; background: url('${base}/style-background.png'); }
p { color: #1e293b; }
</style>
<style>
.set { background-image: image-set("${base}/image-set.png" 1x); }
.esc { background: u\\72l(${base}/css-escape.png); }
</style>
<script src="${base}/script-src.js"></script>
<script>new Image().src = "${base}/inline-script"; fetch("${base}/inline-fetch");</script>
</head>
<body background="${base}/body-background.png" onload="fetch('${base}/onload')">
<p>Bonjour Paul, voici le suivi de la campagne d'affichage. Merci de relire avant jeudi.</p>
<p><img src="${base}/tracking-pixel.gif" width="1" height="1" alt=""></p>
<p><img src="relative-to-base.png" alt="relative"></p>
<p><img srcset="${base}/srcset-1x.png 1x, ${base}/srcset-2x.png 2x" alt="srcset"></p>
<picture><source srcset="${base}/picture-source.webp" type="image/webp"><img src="${base}/picture-img.png" alt="picture"></picture>
<p><img src="x" onerror="fetch('${base}/onerror')" alt="broken"></p>
<p><img src="cid:logo-e2e@campagne-exemple.fr" width="48" height="48" alt="logo" id="inline-logo"></p>
<iframe src="${base}/iframe.html"></iframe>
<object data="${base}/object.swf"></object>
<embed src="${base}/embed.swf">
<video poster="${base}/video-poster.png" src="${base}/video.mp4" autoplay></video>
<audio src="${base}/audio.mp3" autoplay></audio>
<svg width="10" height="10"><image href="${base}/svg-image.png" width="10" height="10"/><use href="${base}/svg-use.svg#x"/></svg>
<div style="background-image: url(${base}/inline-style.png)">Styled block</div>
<table background="${base}/table-background.png"><tr><td background="${base}/td-background.png">Cellule</td></tr></table>
<form action="${base}/form-action" method="post"><input type="image" src="${base}/input-image.png"><button formaction="${base}/button-formaction">Envoyer</button></form>
<p><a href="${base}/link-click" ping="${base}/link-ping">Voir le tableau de bord</a></p>
<input type="text" autofocus onfocus="fetch('${base}/onfocus')">
<noscript><img src="${base}/noscript.png"></noscript>
<!--[if mso]><img src="${base}/conditional-comment.png"><![endif]-->
</body></html>`;
}

function htmlEmail(base: string): Buffer {
  return email(`From: Campagne Affichage <affichage@campagne-exemple.fr>
To: Paul Martin <paul.martin@campagne-exemple.fr>
Subject: Suivi de la campagne d'affichage
Date: Mon, 06 Mar 2017 09:30:00 +0100
Message-ID: <html-tracking-e2e@campagne-exemple.fr>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

${b64("Bonjour Paul, voici le suivi de la campagne d'affichage. Merci de relire avant jeudi.\n")}
--alt
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

${b64(trackingHtml(base))}
--alt--
--rel
Content-Type: image/png
Content-ID: <logo-e2e@campagne-exemple.fr>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

${b64(PNG_1X1)}
--rel--
`);
}

export const RTL_SUBJECT = 'ملخص اجتماع الميزانية — סיכום ישיבת התקציב';
export const LONG_SUBJECT = `TR: RE: ${'Réunion-du-comité-de-pilotage-élargi-'.repeat(8)}fin`;

function plainEmail(subject: string, body: string, id: string, date: string): Buffer {
  return email(`From: Youssef Haddad <youssef.haddad@northwind.example>
To: Hélène Durand <helene.durand@campagne-exemple.fr>
Subject: ${encodedWord(subject)}
Date: ${date}
Message-ID: <${id}@northwind.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

${b64(body)}
`);
}

export interface FixtureTrove {
  root: string;
  caseDir: string;
  /** Ids of the hand-made items. */
  ids: { signed: string; attachment: string; altered: string; html: string; rtl: string; long: string; suspicious: string };
}

/**
 * Writes the trove under `root`, ingests it into `root/case` with the CLI and imports its keys.
 * `remoteBase` is where the HTML email's remote references point (no trailing slash).
 */
export async function buildFixtureTrove(root: string, options: { messages: number; remoteBase: string; seed?: number }): Promise<FixtureTrove> {
  await generateTrove(join(root, 'generated'), { messages: options.messages, seed: options.seed ?? 3, layout: 'mixed' });
  writeTree(join(root, 'generated', 'leak', 'extra'), {
    'mail/cr-bureau.eml': signedWithAttachment(),
    'mail/suivi-affichage.eml': htmlEmail(options.remoteBase),
    'mail/rtl.eml': plainEmail(RTL_SUBJECT, 'مرحبا هيلين،\nأرسل لك ملخص اجتماع الميزانية.\n\nשלום הלן, מצורף סיכום הישיבה.\n\nBonne journée, Youssef\n', 'rtl-e2e', 'Tue, 07 Mar 2017 11:00:00 +0100'),
    'mail/long.eml': plainEmail(LONG_SUBJECT, 'Un sujet sans fin, pour vérifier que la page tient.\n', 'long-e2e', 'Wed, 08 Mar 2017 12:00:00 +0100'),
    'documents/copie du compte rendu.txt': MINUTES,
    'documents/compte-rendu (version finale).txt': FORGED,
    'documents/attestation-dons.pdf': suspiciousPdf(),
  });
  const keys = join(root, 'generated', 'keys.zone');
  writeFileSync(keys, `${zoneLine(OWN)}\n`, { flag: 'a' });
  const caseDir = join(root, 'case');
  // Keys first, then verification: every pass (provenance, altered copies) sees the final verdicts.
  const ingest = await runCli(['ingest', join(root, 'generated', 'leak'), '--case', caseDir, '--quiet', '--no-verify']);
  if (ingest.code !== 0) throw new Error(`ingest failed (${ingest.code}): ${ingest.stderr}`);
  const imported = await runCli(['keys', 'import', keys, '--case', caseDir]);
  if (imported.code !== 0) throw new Error(`keys import failed: ${imported.stderr}`);
  const verified = await runCli(['verify', '--case', caseDir]);
  if (verified.code !== 0) throw new Error(`verify failed (${verified.code}): ${verified.stderr}`);
  const report = await runCli(['report', '--format', 'jsonl', '--case', caseDir]);
  const byPath = new Map<string, string>();
  for (const line of report.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { id: string; paths: string[] };
    for (const p of r.paths) byPath.set(p.replace(/^leak\/extra\//, ''), r.id);
  }
  const id = (path: string): string => {
    const found = byPath.get(path);
    if (!found) throw new Error(`${path} is not in the report`);
    return found;
  };
  return {
    root,
    caseDir,
    ids: {
      signed: id('mail/cr-bureau.eml'),
      attachment: id('documents/copie du compte rendu.txt'),
      altered: id('documents/compte-rendu (version finale).txt'),
      html: id('mail/suivi-affichage.eml'),
      rtl: id('mail/rtl.eml'),
      long: id('mail/long.eml'),
      suspicious: id('documents/attestation-dons.pdf'),
    },
  };
}
