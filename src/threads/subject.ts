/**
 * Base subject of a message, for threading by subject (JWZ step 5; RFC 5256 §2.1 "base subject").
 * RFC 5256 only strips "Re:", "Fw:" and "Fwd:"; leaks are French and multinational, so the prefix
 * list below also holds what Outlook and other mailers write in other languages ("TR :", "Réf. :",
 * "AW:", "WG:", ...). Subjects arrive already decoded (RFC 2047 is the extractor's job).
 */

/** What the threader needs from a subject. */
export type BaseSubject = {
  /** Prefixes, list tags, "(fwd)" trailers removed; whitespace collapsed; case kept (for display). */
  base: string;
  /** `base` case-folded (NFKC + lower case): equal keys mean "same subject". */
  key: string;
  /** A reply or forward prefix was removed (RFC 5256 §2.1: "re", "fw", "fwd" and our additions). */
  isReplyOrForward: boolean;
};

/**
 * Reply and forward prefixes, lower case, without the colon. Single letters (Italian Outlook "R:",
 * "I:") are left out on purpose: "R: the language" or "I: introduction" are real subjects, and a
 * missed prefix only costs a subject match, while a wrong one merges unrelated threads.
 */
const REPLY_FORWARD_PREFIXES = [
  're', 'fw', 'fwd', // RFC 5256
  'tr', 'réf', 'ref', // French Outlook: "TR :" (transféré), "Réf. :"
  'aw', 'wg', // German: Antwort, Weitergeleitet
  'antw', 'doorst', // Dutch
  'sv', 'vs', 'vb', // Scandinavian and Finnish: svar, vastaus, vidarebefordra
  'rif', 'inoltro', // Italian
  'rv', 'res', 'enc', // Spanish reenviado; Portuguese resposta, encaminhado
  'odp', 'pd', // Polish
  'ynt', // Turkish
  '回复', '回覆', '答复', '转发', '轉寄', // Chinese mailers (often with a full-width colon)
];

// Longest first so that "fwd" is tried before "fw" and "réf" before "re".
const PREFIX_ALTERNATION = [...REPLY_FORWARD_PREFIXES]
  .sort((a, b) => b.length - a.length)
  .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');

/**
 * RFC 5256 subj-leader, widened: any "[list-tag]" blobs, a prefix, an optional dot ("Réf."), a
 * counter ("Re[2]:", "Re(2):", "Re^2:"), spaces before the colon (French typography: "RE :"), an
 * ASCII or full-width colon. The prefix must be a whole word, so "Rebel: ..." keeps its subject.
 */
const LEADER = new RegExp(
  `^(?:\\[[^\\[\\]]*\\]\\s*)*(?:${PREFIX_ALTERNATION})\\.?\\s*(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)?\\s*[:：]\\s*`,
  'iu',
);
/** RFC 5256 §2.1 step 4: a leading "[blob]", removed only if something is left after it. */
const LEADING_BLOB = /^\[[^[\]]*\]\s*/u;
/** RFC 5256 §2.1 step 2: subj-trailer "(fwd)". */
const TRAILER = /\s*\(fwd\)\s*$/iu;
/** RFC 5256 §2.1 step 6: "[fwd: ...]" wrapped subjects. */
const FWD_WRAPPER = /^\[fwd:\s*(.*)\]$/isu;
const WHITESPACE = /[\s\u00a0\u200b\ufeff]+/gu;

/** Strips reply/forward prefixes, list tags and trailers from a subject (RFC 5256 §2.1, widened). */
export function baseSubject(subject: string | null): BaseSubject {
  let s = (subject ?? '').normalize('NFC').replace(WHITESPACE, ' ').trim();
  let isReplyOrForward = false;
  for (;;) {
    const before = s;
    // Step 2: trailers.
    while (TRAILER.test(s)) {
      s = s.replace(TRAILER, '');
      isReplyOrForward = true;
    }
    // Steps 3-5: leaders and blobs, until neither changes anything.
    for (;;) {
      const leader = LEADER.exec(s);
      if (leader !== null) {
        s = s.slice(leader[0].length);
        isReplyOrForward = true;
        continue;
      }
      const blob = LEADING_BLOB.exec(s);
      if (blob !== null && blob[0].length < s.length) {
        s = s.slice(blob[0].length);
        continue;
      }
      break;
    }
    // Step 6: "[fwd: subject]".
    const wrapped = FWD_WRAPPER.exec(s);
    if (wrapped !== null) {
      s = (wrapped[1] ?? '').trim();
      isReplyOrForward = true;
    }
    if (s === before) break;
  }
  return { base: s, key: s.normalize('NFKC').toLowerCase(), isReplyOrForward };
}

/**
 * Subjects too common to mean "same conversation", as keys (see `baseSubject`). Two threads that
 * share one of these are never merged by subject: "(no subject)" in 2015 and in 2017 are unrelated.
 */
const GENERIC_SUBJECT_KEYS = new Set([
  'no subject', '(no subject)', 'none', '(none)', 'untitled', 'subject', 'empty',
  'sans objet', '(sans objet)', 'pas d\'objet', 'aucun objet', '(aucun objet)', 'objet',
  'kein betreff', '(kein betreff)', 'sin asunto', '(sin asunto)', 'senza oggetto',
  'hi', 'hello', 'hey', 'bonjour', 'salut', 'coucou', 'hallo',
  'test', 'fyi', 'pour info', 'pour information', 'info', 'infos', 'information', 'question', 'urgent',
  'thanks', 'thank you', 'merci', 'merci beaucoup', 'ok', 'oui', 'non', 'yes', 'no',
  'pj', 'p.j.', 'pièce jointe', 'pièces jointes', 'attachment', 'attachments', 'document', 'documents',
  'doc', 'fichier', 'file', 'scan', 'photo', 'photos', 'image', 'message', 'mail', 'email', 'e-mail',
]);
const HAS_WORD = /[\p{L}\p{N}]/u;

/** True for subjects that say nothing about the conversation: empty, "(no subject)", "Bonjour"... */
export function isGenericSubject(key: string): boolean {
  return !HAS_WORD.test(key) || GENERIC_SUBJECT_KEYS.has(key);
}
