/**
 * Progress for long work: a redrawn bar with rate and ETA on a terminal, a plain line every few
 * seconds otherwise (logs, CI), always on stderr so stdout stays clean for data.
 */
import type { IngestProgress } from '../ingest/pipeline.ts';

const PLAIN_INTERVAL_MS = 5000;
const BAR_WIDTH = 24;

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressLine(p: IngestProgress): string {
  const secs = Math.max(p.elapsedMs / 1000, 0.001);
  const frac = p.totalBytes > 0 ? Math.min(p.sourceBytes / p.totalBytes, 1) : 0;
  const rate = p.items / secs;
  const mbs = p.sourceBytes / secs;
  const eta = frac > 0.01 && frac < 1 ? formatDuration(((1 - frac) * p.elapsedMs) / frac) : frac >= 1 ? '0s' : '?';
  return `${(frac * 100).toFixed(0).padStart(3)}% ${p.items} items (${p.emails} emails) ${rate.toFixed(0)} items/s ${formatBytes(mbs)}/s ` +
    `${p.errors} errors, ETA ${eta}`;
}

export class ProgressReporter {
  readonly #tty: boolean;
  #lastPlain = 0;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#tty = Boolean(stream.isTTY) && !process.env.CI;
  }

  update(p: IngestProgress): void {
    if (this.#tty) {
      const frac = p.totalBytes > 0 ? Math.min(p.sourceBytes / p.totalBytes, 1) : 0;
      const filled = Math.round(frac * BAR_WIDTH);
      const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
      const cols = process.stderr.columns ?? 100;
      const line = `${bar} ${progressLine(p)}  ${p.current}`;
      process.stderr.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
    } else if (p.elapsedMs - this.#lastPlain >= PLAIN_INTERVAL_MS) {
      this.#lastPlain = p.elapsedMs;
      process.stderr.write(`trove: ${progressLine(p)}\n`);
    }
  }

  done(): void {
    if (this.#tty) process.stderr.write('\r\x1b[K');
  }
}
