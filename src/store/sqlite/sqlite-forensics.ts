/**
 * The forensics pass: every document's facts (`extracted.facts`, read at ingest by
 * forensics/facts.ts) weighed against itself, the calendar and the trove's own baseline, as signals.
 * Runs inside the provenance pass, after hash propagation and before verdicts are decided (a
 * document with no provenance and a high-severity signal is `suspicious`). Replaces what it wrote
 * each time: the same case gives the same signals anywhere.
 *
 * The trove's inputs, read here: the cutoff (the latest date of an email whose DKIM verdict is
 * `authentic`), the mail's display names, scripts and UTC offsets, and which documents are proven
 * (`provenance.strength = 'authentic'`).
 */
import type { DatabaseSync } from 'node:sqlite';
import { baselineSignals, nameKey, type MailBaseline, type TroveDocument } from '../../forensics/rules/baseline.ts';
import { calendarSignals, MAX_UNSIGNED_TAIL_DAYS, type Cutoff } from '../../forensics/rules/calendar.ts';
import { contradictionSignals } from '../../forensics/rules/contradictions.ts';
import { revisionSignals } from '../../forensics/rules/revisions.ts';
import { profileOf } from '../../forensics/profile.ts';
import { scriptOf } from '../../forensics/reference/locales.ts';
import type { Signal } from '../../forensics/signal.ts';

export const FORENSICS_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS signals (
  sha256 TEXT NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (sha256, code, message)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS signals_code ON signals(code, severity);
`;

export interface ForensicsSummary {
  documents: number;
  signals: number;
  byCode: Record<string, number>;
}

type Row = Record<string, string | number | bigint | null | Uint8Array>;

/** What the trove's mail says: names, scripts, clocks; and where it ends. */
function readMail(db: DatabaseSync): { mail: MailBaseline; cutoff: Cutoff | null } {
  const mail: MailBaseline = { names: new Set(), scripts: new Map(), offsets: new Map(), emailsWithOffset: 0 };
  const script = (text: string): void => {
    if (!/[^ -~\s]/.test(text)) {
      if (/[A-Za-z]/.test(text)) mail.scripts.set('Latin', (mail.scripts.get('Latin') ?? 0) + 1);
      return;
    }
    const s = scriptOf(text);
    if (s) mail.scripts.set(s, (mail.scripts.get(s) ?? 0) + 1);
  };
  for (const r of db.prepare("SELECT DISTINCT name FROM search_addresses WHERE name <> ''").iterate() as Iterable<Row>) {
    const name = String(r.name);
    mail.names.add(nameKey(name));
    script(name);
  }
  for (const r of db.prepare('SELECT subject FROM emails WHERE subject IS NOT NULL').iterate() as Iterable<Row>) script(String(r.subject));
  for (const r of db.prepare('SELECT tz_offset, count(*) AS n FROM emails WHERE tz_offset IS NOT NULL GROUP BY tz_offset').iterate() as Iterable<Row>) {
    mail.offsets.set(Number(r.tz_offset), Number(r.n));
    mail.emailsWithOffset += Number(r.n);
  }
  const last = db.prepare(
    `SELECT e.date AS date FROM verifications v JOIN emails e ON e.sha256 = v.sha256
     WHERE v.verdict = 'authentic' AND e.date IS NOT NULL ORDER BY e.date DESC LIMIT 1`,
  ).get() as Row | undefined;
  const ms = last ? Date.parse(String(last.date)) : NaN;
  if (!Number.isFinite(ms)) return { mail, cutoff: null };
  const tail = db.prepare('SELECT max(date) AS date FROM emails WHERE date IS NOT NULL AND date <= ?').get(new Date(ms + MAX_UNSIGNED_TAIL_DAYS * 86_400_000).toISOString()) as Row | undefined;
  const lastMailMs = Math.max(ms, tail?.date ? Date.parse(String(tail.date)) : ms);
  return { mail, cutoff: { ms, what: 'the latest authentic email of the trove', lastMailMs } };
}

/**
 * Computes the signals of every document and stores them (table `signals`, and `search_signals` for
 * `signal:`). Called inside a transaction by the provenance pass.
 */
export function runForensics(db: DatabaseSync): ForensicsSummary {
  db.exec('DELETE FROM signals; DELETE FROM search_signals;');
  const { mail, cutoff } = readMail(db);
  const proven = new Set((db.prepare("SELECT sha256 FROM provenance WHERE strength = 'authentic'").all() as Row[]).map((r) => String(r.sha256)));
  const rows = db.prepare(
    `SELECT i.sha256 AS sha256, i.format AS format, i.carried AS carried, x.facts AS facts, r.rowid AS row
     FROM items i LEFT JOIN extracted x ON x.sha256 = i.sha256 LEFT JOIN search_rows r ON r.sha256 = i.sha256
     WHERE i.class = 'document' ORDER BY i.sha256`,
  ).all() as Row[];

  const docs: (TroveDocument & { sha256: string; row: number | null })[] = rows.map((r) => {
    let facts: Record<string, unknown> | null = null;
    if (typeof r.facts === 'string') {
      try {
        facts = JSON.parse(r.facts) as Record<string, unknown>;
      } catch {
        facts = null;
      }
    }
    const sha256 = String(r.sha256);
    return { sha256, row: r.row === null ? null : Number(r.row), profile: profileOf(String(r.format), facts), proven: proven.has(sha256), carried: Number(r.carried) === 1 };
  });

  const baseline = baselineSignals(docs, mail);
  const put = db.prepare('INSERT OR IGNORE INTO signals(sha256, code, severity, message) VALUES (?, ?, ?, ?)');
  const index = db.prepare('INSERT OR IGNORE INTO search_signals(signal, row) VALUES (?, ?)');
  const byCode: Record<string, number> = {};
  let count = 0;
  docs.forEach((d, i) => {
    const signals: Signal[] = [...contradictionSignals(d.profile), ...calendarSignals(d.profile, cutoff), ...revisionSignals(d.profile), ...(baseline.get(i) ?? [])];
    for (const s of signals) {
      if (Number(put.run(d.sha256, s.code, s.severity, s.message).changes) === 0) continue;
      count++;
      byCode[s.code] = (byCode[s.code] ?? 0) + 1;
      if (d.row !== null) index.run(s.code, d.row);
    }
  });
  return { documents: docs.length, signals: count, byCode: Object.fromEntries(Object.entries(byCode).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** The signals of one item, most severe first. */
export function signalsOf(db: DatabaseSync, sha256: string): Signal[] {
  return (db.prepare(
    `SELECT code, severity, message FROM signals WHERE sha256 = ?
     ORDER BY CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, code, message`,
  ).all(sha256) as { code: string; severity: Signal['severity']; message: string }[]).map((r) => ({ code: r.code, severity: r.severity, message: r.message }));
}
