/** One colour per verdict for charts (badges use the tone classes of styles.css). Ordered as stacked: proven at the bottom. */
export const VERDICT_COLOURS: [string, string][] = [
  ['authentic', '#059669'],
  ['authentic-by-provenance', '#10b981'],
  ['authentic-third-party', '#6ee7b7'],
  ['recovered-key', '#fbbf24'],
  ['weak-key', '#f59e0b'],
  ['body-modified', '#dc2626'],
  ['headers-modified', '#f87171'],
  ['altered-copy', '#b91c1c'],
  ['suspicious', '#ea580c'],
  ['malformed', '#a855f7'],
  ['key-unavailable', '#94a3b8'],
  ['unsigned', '#cbd5e1'],
  ['unproven', '#e2e8f0'],
  ['none', '#e5e7eb'],
];

const MAP = new Map(VERDICT_COLOURS);

export function verdictColour(v: string): string {
  return MAP.get(v) ?? '#d1d5db';
}

export function verdictRank(v: string): number {
  const i = VERDICT_COLOURS.findIndex(([k]) => k === v);
  return i < 0 ? VERDICT_COLOURS.length : i;
}
