/**
 * A snippet with its matched words marked, from [start, end) offsets: the text is only ever text
 * (never parsed as HTML), so a leaked email cannot inject markup through a search result.
 */
export function Highlighted({ text, highlights }: { text: string; highlights: [number, number][] }) {
  const parts = [];
  let at = 0;
  const sorted = [...highlights].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of sorted) {
    if (start < at || end > text.length || end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <span dir="auto">{parts}</span>;
}
