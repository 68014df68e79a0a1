/** What the DKIM engine says about a signature and a message: data, never exceptions. */
import type { Canonicalization, SigningAlgorithm } from './signature-field.ts';

export type CheckResult = 'pass' | 'fail' | 'not-checked';

export type SignatureStatus =
  | 'pass'
  | 'body-modified'
  | 'headers-modified'
  | 'key-unavailable'
  | 'key-revoked'
  | 'key-invalid'
  | 'malformed';

export interface KeyEvidence {
  id: string;
  type: 'rsa' | 'ed25519';
  bits: number | null;
  source: string;
  sourceKind: string;
  fingerprint: string | null;
  testing: boolean;
}

export interface SignatureResult {
  /** Which header carried it: `dkim-signature` or `x-google-dkim-signature`. */
  field: string;
  domain: string | null;
  selector: string | null;
  algorithm: SigningAlgorithm | null;
  headerCanon: Canonicalization | null;
  bodyCanon: Canonicalization | null;
  status: SignatureStatus;
  /** Plain words: why this status. */
  reason: string;
  bodyHash: CheckResult;
  signature: CheckResult;
  key: KeyEvidence | null;
  /** h= as written (lower-cased). */
  signedHeaders: string[];
  /** Displayed headers present in the message but not covered (To and Cc are often left out). */
  unsignedHeaders: string[];
  /** Signed header names with more instances in the message than the signature covers (an added From: above the signed one). */
  extraInstances: string[];
  /** l=, and how many canonical body bytes it leaves unsigned. */
  bodyLength: number | null;
  unsignedBodyBytes: number;
  timestamp: string | null;
  expiration: string | null;
  expired: boolean;
  /** d= against the From: domain. */
  aligned: boolean;
  fromDomain: string | null;
  weakKey: boolean;
  weakAlgorithm: boolean;
  /** Transport damage undone before the check passed, by name. */
  repairs: string[];
}

export type EmailVerdict =
  | 'authentic'
  | 'authentic-third-party'
  | 'weak-key'
  | 'recovered-key'
  | 'body-modified'
  | 'headers-modified'
  | 'key-unavailable'
  | 'unsigned'
  | 'malformed';

export interface MessageVerification {
  verdict: EmailVerdict;
  /** One sentence a journalist can quote. */
  summary: string;
  signatures: SignatureResult[];
  /** Differences between what a mail client shows and what was signed (relaxed canonicalization). */
  shownNotSigned: string[];
}
