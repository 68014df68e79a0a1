/** Streams the report as one JSON document or as JSON lines, item by item, honouring backpressure. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Store } from '../store/store.ts';
import { reportHeader, toReportItem, type ReportItem } from './report-item.ts';

/** The CSV view of the report: one row per item, lists joined with " | " (RFC 4180 quoting). */
const CSV_COLUMNS: { name: string; value: (r: ReportItem) => string | number | null }[] = [
  { name: 'id', value: (r) => r.id },
  { name: 'sha256', value: (r) => r.sha256 },
  { name: 'kind', value: (r) => r.kind },
  { name: 'format', value: (r) => r.format },
  { name: 'size', value: (r) => r.size },
  { name: 'verdict', value: (r) => r.verdict },
  { name: 'summary', value: (r) => r.summary },
  { name: 'date', value: (r) => r.date },
  { name: 'from', value: (r) => r.from },
  { name: 'subject', value: (r) => r.subject },
  { name: 'messageId', value: (r) => r.messageId },
  { name: 'thread', value: (r) => r.thread },
  { name: 'dkim', value: (r) => (r.dkim ?? []).map((d) => `${d.domain}/${d.selector}: ${d.status}`).join(' | ') },
  { name: 'error', value: (r) => (r.error ? `${r.error.code}: ${r.error.message}` : null) },
  { name: 'paths', value: (r) => r.paths.join(' | ') },
];

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // Quote per RFC 4180; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export type ReportFormat = 'json' | 'jsonl' | 'csv';

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function writeReport(store: Store, format: ReportFormat, out: Writable, now = new Date()): Promise<number> {
  const header = reportHeader(await store.stats(), now);
  let n = 0;
  if (format === 'csv') {
    await write(out, `${CSV_COLUMNS.map((c) => c.name).join(',')}\r\n`);
    for await (const item of store.items()) {
      const row = toReportItem(item);
      await write(out, `${CSV_COLUMNS.map((c) => csvField(c.value(row))).join(',')}\r\n`);
      n++;
    }
    return n;
  }
  if (format === 'jsonl') {
    for await (const item of store.items()) {
      await write(out, JSON.stringify(toReportItem(item)) + '\n');
      n++;
    }
    return n;
  }
  const head = JSON.stringify(header);
  await write(out, `${head.slice(0, -1)},"items":[`);
  for await (const item of store.items()) {
    await write(out, (n === 0 ? '\n' : ',\n') + JSON.stringify(toReportItem(item)));
    n++;
  }
  await write(out, '\n]}\n');
  return n;
}
