/**
 * Every verdict in plain words, and how alarming it is: one table for the UI badges, the overview
 * and the HTML report (ARCHITECTURE.md "Verdicts"). Pure data: the web UI bundles it too.
 */

/** `proven`: evidence it is genuine; `weak`: genuine-looking but proving less; `altered`: evidence of tampering; `unknown`: neither. */
export type VerdictTone = 'proven' | 'weak' | 'altered' | 'suspect' | 'unknown' | 'broken';

export interface VerdictWords {
  verdict: string;
  tone: VerdictTone;
  /** For emails or documents. */
  of: 'email' | 'document';
  meaning: string;
}

export const VERDICT_WORDS: readonly VerdictWords[] = [
  { verdict: 'authentic', tone: 'proven', of: 'email', meaning: "A valid DKIM signature by the sender's own domain: unchanged since it was sent." },
  { verdict: 'authentic-third-party', tone: 'weak', of: 'email', meaning: "Valid, but signed by another domain (a mailing list or mail provider), not the sender's." },
  { verdict: 'weak-key', tone: 'weak', of: 'email', meaning: 'Valid, but the key is short enough to be forged: it proves little.' },
  { verdict: 'recovered-key', tone: 'weak', of: 'email', meaning: "Valid under a key recovered from the trove itself: unchanged since signed, but nothing proves the key was the domain's." },
  { verdict: 'body-modified', tone: 'altered', of: 'email', meaning: 'The signed headers are genuine, but the text was changed after signing.' },
  { verdict: 'headers-modified', tone: 'altered', of: 'email', meaning: 'The signed headers (sender, date, subject ...) were changed after signing.' },
  { verdict: 'key-unavailable', tone: 'unknown', of: 'email', meaning: 'Signed, but the key is not in the key store: it cannot be checked yet (never a sign of forgery).' },
  { verdict: 'unsigned', tone: 'unknown', of: 'email', meaning: 'No DKIM signature: nothing proves or disproves it.' },
  { verdict: 'malformed', tone: 'broken', of: 'email', meaning: 'A signature or message that cannot be read.' },
  { verdict: 'authentic-by-provenance', tone: 'proven', of: 'document', meaning: 'Byte-identical to an attachment of an authentic email.' },
  { verdict: 'altered-copy', tone: 'altered', of: 'document', meaning: 'A near-copy of a proven document, with differences (shown).' },
  { verdict: 'suspicious', tone: 'suspect', of: 'document', meaning: 'No provenance, and at least one serious forensic signal.' },
  { verdict: 'unproven', tone: 'unknown', of: 'document', meaning: 'Neither proven nor suspected.' },
];

const BY_VERDICT = new Map(VERDICT_WORDS.map((v) => [v.verdict, v]));

export function verdictTone(verdict: string | null): VerdictTone {
  return (verdict && BY_VERDICT.get(verdict)?.tone) || 'unknown';
}

export function verdictMeaning(verdict: string | null): string {
  if (!verdict) return 'Not verified yet.';
  return BY_VERDICT.get(verdict)?.meaning ?? verdict;
}
