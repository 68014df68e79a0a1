/** Streams the report as one JSON document or as JSON lines, item by item, honouring backpressure. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Store } from '../store/store.ts';
import { reportHeader, toReportItem } from './report-item.ts';

export type ReportFormat = 'json' | 'jsonl';

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function writeReport(store: Store, format: ReportFormat, out: Writable, now = new Date()): Promise<number> {
  const header = reportHeader(await store.stats(), now);
  let n = 0;
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
