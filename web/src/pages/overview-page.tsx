/**
 * The overview: what the trove holds by verdict, what needs attention first, messages per week by
 * verdict, and who writes to whom. Everything clicks through to the search that lists it.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AttentionResponse, CorrespondentsResponse, SummaryResponse, TimelineResponse } from '../../../src/server/api-types.ts';
import { verdictMeaning } from '../../../src/server/verdict-words.ts';
import { getJson } from '../api.ts';
import { Link } from '../components/link.tsx';
import { VerdictBadge } from '../components/verdict-badge.tsx';
import { forceLayout, type LayoutEdge, type LayoutNode } from '../force-layout.ts';
import { formatBytes, formatCount } from '../format.ts';
import { itemHref, navigate, searchHref } from '../router.ts';
import { verdictColour, verdictRank } from '../verdict-colours.ts';

function Summary({ summary }: { summary: SummaryResponse }) {
  const s = summary.stats;
  const cards: [string, number, string][] = [
    ['emails', s.byKind.email ?? 0, 'type:email'],
    ['attachments', s.byKind.attachment ?? 0, 'type:attachment'],
    ['documents', s.byKind.document ?? 0, 'type:document'],
    ['archives and mailboxes', s.byKind.container ?? 0, 'type:container'],
  ];
  return (
    <section class="panel summary" aria-label="The trove">
      <h2>
        The trove <span class="muted">({formatCount(s.items)} distinct items, {formatBytes(s.bytes)})</span>
      </h2>
      <div class="cards">
        {cards.map(([label, n, q]) => (
          <Link key={label} href={searchHref(q)} class="card">
            <span class="card-number">{formatCount(n)}</span>
            <span class="card-label">{label}</span>
          </Link>
        ))}
      </div>
      <ul class="verdict-counts">
        {[...summary.verdicts].sort((a, b) => verdictRank(a.value) - verdictRank(b.value)).map((v) => (
          <li key={v.value}>
            {v.value === 'none' ? (
              <span class="muted">
                <VerdictBadge verdict={null} /> {formatCount(v.count)}
              </span>
            ) : (
              <Link href={searchHref(`verdict:${v.value}`)} title={verdictMeaning(v.value)}>
                <VerdictBadge verdict={v.value} /> {formatCount(v.count)}
              </Link>
            )}
          </li>
        ))}
      </ul>
      {s.errors > 0 && <p class="warn">{formatCount(s.errors)} places could not be read (<code>trove errors</code> lists them).</p>}
    </section>
  );
}

function Attention({ attention }: { attention: AttentionResponse }) {
  const groups = attention.groups.filter((g) => g.available);
  const any = groups.some((g) => g.total > 0);
  return (
    <section class="panel attention" aria-label="Needs attention">
      <h2>Needs attention</h2>
      {!any && <p class="muted">Nothing altered, modified or suspicious was found.</p>}
      {groups.filter((g) => g.total > 0).map((g) => (
        <div class="attention-group" key={g.verdict}>
          <h3>
            <VerdictBadge verdict={g.verdict} /> <Link href={searchHref(g.query, 'date')}>{formatCount(g.total)} item{g.total === 1 ? '' : 's'} →</Link>
          </h3>
          <p class="muted">{g.meaning}</p>
          <ul>
            {g.hits.map((h) => (
              <li key={h.id}>
                <Link href={itemHref(h.id)}>
                  <span dir="auto">{h.subject ?? h.filename ?? h.id}</span>
                </Link>{' '}
                <span class="muted" dir="auto">{h.from ?? h.path ?? ''}</span> <span class="muted">{h.day ?? ''}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

const CHART_W = 960;
const CHART_H = 220;
const PAD_L = 36;
const PAD_B = 24;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Messages per week, stacked by verdict; a click on a week searches it. */
function TimelineChart({ timeline }: { timeline: TimelineResponse }) {
  const buckets = timeline.buckets;
  if (buckets.length === 0) return <p class="muted">No dated emails.</p>;
  const verdicts = [...new Set(buckets.flatMap((b) => Object.keys(b.byVerdict)))].sort((a, b) => verdictRank(a) - verdictRank(b));
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const plotW = CHART_W - PAD_L;
  const plotH = CHART_H - PAD_B - 6;
  const bw = plotW / buckets.length;
  const ticks = [max, Math.round(max / 2)].filter((t, i, a) => t > 0 && a.indexOf(t) === i);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${CHART_W} ${CHART_H}`} role="img" aria-label={`Emails per week, by verdict, from ${buckets[0]!.period} to ${buckets[buckets.length - 1]!.period}`}>
        {ticks.map((t) => {
          const y = 6 + plotH - (t / max) * plotH;
          return (
            <g key={t}>
              <line x1={PAD_L} x2={CHART_W} y1={y} y2={y} class="gridline" />
              <text x={PAD_L - 4} y={y + 4} text-anchor="end" class="axis-label">{t}</text>
            </g>
          );
        })}
        {buckets.map((b, i) => {
          let y = 6 + plotH;
          const x = PAD_L + i * bw;
          const query = `type:email date:${b.period}..${addDays(b.period, 6)}`;
          const month = b.period.slice(0, 7);
          const prevMonth = i > 0 ? buckets[i - 1]!.period.slice(0, 7) : '';
          return (
            <g key={b.period} class="bar" onClick={() => navigate(searchHref(query, 'oldest'))}>
              <title>
                {`Week of ${b.period}: ${b.total} email${b.total === 1 ? '' : 's'}\n`}
                {verdicts.filter((v) => b.byVerdict[v]).map((v) => `${v}: ${b.byVerdict[v]}`).join('\n')}
              </title>
              <rect x={x} y={6} width={bw} height={plotH} class="bar-hit" />
              {verdicts.map((v) => {
                const n = b.byVerdict[v] ?? 0;
                if (n === 0) return null;
                const h = (n / max) * plotH;
                y -= h;
                return <rect key={v} x={x + 0.5} y={y} width={Math.max(1, bw - 1)} height={h} fill={verdictColour(v)} />;
              })}
              {month !== prevMonth && (month.endsWith('-01') || i === 0 || buckets.length < 60) && (
                <text x={x} y={CHART_H - 6} class="axis-label">{month.endsWith('-01') || i === 0 ? month : month.slice(5)}</text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {verdicts.map((v) => (
          <span key={v} class="legend-item">
            <svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill={verdictColour(v)} /></svg> {v}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

const GRAPH_W = 960;
const GRAPH_H = 560;

/** Who writes to whom: circle size by emails sent and received, line width by emails between two people. */
function CorrespondentsGraph({ data }: { data: CorrespondentsResponse }) {
  const [hover, setHover] = useState<string | null>(null);
  const layout = useMemo(() => {
    const index = new Map(data.people.map((p, i) => [p.address, i]));
    const nodes: LayoutNode[] = data.people.map((p) => ({ id: p.address, weight: p.sent + p.received, x: 0, y: 0 }));
    const edges: LayoutEdge[] = data.edges
      .filter((e) => index.has(e.from) && index.has(e.to))
      .map((e) => ({ source: index.get(e.from)!, target: index.get(e.to)!, weight: e.count }));
    forceLayout(nodes, edges, GRAPH_W, GRAPH_H);
    return { nodes, edges };
  }, [data]);
  if (data.people.length === 0) return <p class="muted">No correspondents.</p>;
  const maxW = Math.max(1, ...layout.nodes.map((n) => n.weight));
  const maxE = Math.max(1, ...layout.edges.map((e) => e.weight));
  const radius = (w: number): number => 4 + 18 * Math.sqrt(w / maxW);
  const neighbours = new Set<string>();
  if (hover) {
    for (const e of layout.edges) {
      const a = layout.nodes[e.source]!.id;
      const b = layout.nodes[e.target]!.id;
      if (a === hover) neighbours.add(b);
      if (b === hover) neighbours.add(a);
    }
  }
  const labelled = new Set([...layout.nodes].sort((a, b) => b.weight - a.weight).slice(0, 16).map((n) => n.id));
  return (
    <figure class="graph">
      <svg viewBox={`0 0 ${GRAPH_W} ${GRAPH_H}`} role="img" aria-label={`Correspondents: the ${data.people.length} most active addresses and the pairs who write to each other`}>
        {layout.edges.map((e, i) => {
          const a = layout.nodes[e.source]!;
          const b = layout.nodes[e.target]!;
          const lit = hover !== null && (a.id === hover || b.id === hover);
          return (
            <line key={i} x1={a.x} y1={a.y} x2={b.x} y2={b.y} class={`edge${lit ? ' lit' : ''}${hover && !lit ? ' dim' : ''}`} stroke-width={0.5 + 5 * (e.weight / maxE)}
              onClick={() => navigate(searchHref(`from:"${a.id}" to:"${b.id}"`))}>
              <title>{`${a.id} → ${b.id}: ${e.weight} email${e.weight === 1 ? '' : 's'}`}</title>
            </line>
          );
        })}
        {layout.nodes.map((n, i) => {
          const p = data.people[i]!;
          const dim = hover !== null && n.id !== hover && !neighbours.has(n.id);
          return (
            <g key={n.id} class={`node${dim ? ' dim' : ''}`} onMouseEnter={() => setHover(n.id)} onMouseLeave={() => setHover(null)}
              onClick={() => navigate(searchHref(`participant:"${n.id}"`))}>
              <circle cx={n.x} cy={n.y} r={radius(n.weight)} />
              <title>{`${p.name ? `${p.name} <${p.address}>` : p.address}\nsent ${p.sent}, received ${p.received}`}</title>
              {(labelled.has(n.id) || n.id === hover || neighbours.has(n.id)) && (
                <text x={n.x} y={n.y - radius(n.weight) - 3} text-anchor="middle" class="node-label">{p.name || p.address}</text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">The {data.people.length} most active addresses. Click a person for their emails, a line for the emails between two people.</figcaption>
    </figure>
  );
}

export function OverviewPage() {
  const [summary, setSummary] = useState<SummaryResponse | null>(null);
  const [attention, setAttention] = useState<AttentionResponse | null>(null);
  const [timeline, setTimeline] = useState<TimelineResponse | null>(null);
  const [people, setPeople] = useState<CorrespondentsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    const fail = (e: unknown): void => {
      if ((e as Error).name !== 'AbortError') setError((e as Error).message);
    };
    getJson<SummaryResponse>('/api/overview/summary', ac.signal).then(setSummary).catch(fail);
    getJson<AttentionResponse>('/api/overview/attention', ac.signal).then(setAttention).catch(fail);
    getJson<TimelineResponse>('/api/overview/timeline?by=week&q=type%3Aemail', ac.signal).then(setTimeline).catch(fail);
    getJson<CorrespondentsResponse>('/api/overview/correspondents?limit=60', ac.signal).then(setPeople).catch(fail);
    document.title = 'Overview · trove';
    return () => ac.abort();
  }, []);
  return (
    <div class="overview">
      {error && <p class="error" role="alert">{error}</p>}
      <div class="overview-top">
        {summary ? <Summary summary={summary} /> : <p class="loading">Loading…</p>}
        {attention && <Attention attention={attention} />}
      </div>
      <section class="panel" aria-label="Timeline">
        <h2>Emails per week, by verdict</h2>
        {timeline ? <TimelineChart timeline={timeline} /> : <p class="loading">Loading…</p>}
      </section>
      <section class="panel" aria-label="Correspondents">
        <h2>Correspondents</h2>
        {people ? <CorrespondentsGraph data={people} /> : <p class="loading">Loading…</p>}
      </section>
    </div>
  );
}
