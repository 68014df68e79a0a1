/**
 * The search page: the query box (with syntax help and errors marked where they are), facets as
 * filters, hits with highlighted snippets and verdict badges, more hits as the list scrolls, and the
 * report of the current search. j/k or arrows move through hits, Enter opens one.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiErrorBody, FacetCount, SearchFacets, SearchHit, SearchResult } from '../../../src/server/api-types.ts';
import { ApiFailure, getJson, withParams } from '../api.ts';
import { Highlighted } from '../components/highlighted.tsx';
import { Link } from '../components/link.tsx';
import { QueryError } from '../components/query-error.tsx';
import { SyntaxHelp } from '../components/syntax-help.tsx';
import { VerdictBadge } from '../components/verdict-badge.tsx';
import { formatBytes, formatCount } from '../format.ts';
import { itemHref, navigate, searchHref, type Location } from '../router.ts';
import { isTyping } from '../keyboard.ts';

const PAGE = 50;

interface Results {
  href: string;
  query: string;
  sort: string;
  total: number;
  hits: SearchHit[];
  facets: SearchFacets | null;
  tookMs: number;
}

/** The last results, so that coming back from an item shows the same list at the same place. */
let remembered: { results: Results; selected: number; scrollY: number } | null = null;

/** How a facet value is written as a query term. */
const FACET_FIELDS: { key: keyof SearchFacets; label: string; term: (v: string) => string | null }[] = [
  { key: 'verdict', label: 'Verdict', term: (v) => (v === 'none' ? null : `verdict:${v}`) },
  { key: 'kind', label: 'Kind', term: (v) => `type:${v}` },
  { key: 'format', label: 'Format', term: (v) => `type:${v}` },
  { key: 'domain', label: 'Sender domain', term: (v) => (v === 'other' ? null : `domain:${v}`) },
  { key: 'month', label: 'Month', term: (v) => `date:${v}` },
];

function hasTerm(query: string, term: string): boolean {
  return query.split(/\s+/).some((t) => t.toLowerCase() === term.toLowerCase());
}

/** Adds a filter term to the query, or takes it out when it is there. */
export function toggleTerm(query: string, term: string): string {
  if (hasTerm(query, term)) return query.split(/\s+/).filter((t) => t.toLowerCase() !== term.toLowerCase()).join(' ').trim();
  return `${query.trim()} ${term}`.trim();
}

function Facets({ facets, query, sort }: { facets: SearchFacets; query: string; sort: string }) {
  return (
    <aside class="facets" aria-label="Filters">
      {FACET_FIELDS.map(({ key, label, term }) => {
        const values: FacetCount[] = facets[key];
        if (values.length === 0) return null;
        const list = key === 'month' ? [...values].reverse() : values;
        return (
          <section class="facet" key={key}>
            <h3>{label}</h3>
            <ul class={key === 'month' ? 'facet-scroll' : undefined}>
              {list.map((f) => {
                const t = term(f.value);
                const on = t !== null && hasTerm(query, t);
                const inner = (
                  <>
                    {key === 'verdict' ? <VerdictBadge verdict={f.value === 'none' ? null : f.value} /> : <span class="facet-value" dir="auto">{f.value}</span>}
                    <span class="facet-count">{formatCount(f.count)}</span>
                  </>
                );
                return (
                  <li key={f.value} class={on ? 'on' : undefined}>
                    {t === null ? <span class="facet-link disabled">{inner}</span> : (
                      <Link href={searchHref(toggleTerm(query, t), sort)} class="facet-link" title={on ? `Remove ${t}` : `Add ${t}`}>{inner}</Link>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}

function HitRow({ hit, selected, index, onSelect }: { hit: SearchHit; selected: boolean; index: number; onSelect: (i: number) => void }) {
  const title = hit.subject ?? hit.filename ?? hit.path ?? hit.id;
  return (
    <li class={`hit${selected ? ' selected' : ''}`} aria-selected={selected} data-index={index} onClick={() => onSelect(index)}>
      <div class="hit-head">
        <VerdictBadge verdict={hit.verdict} />
        <span class={`kind kind-${hit.kind}`}>{hit.kind === 'email' ? 'email' : `${hit.kind} · ${hit.format}`}</span>
        <Link href={itemHref(hit.id)} class="hit-title">
          <span dir="auto">{title || '(no subject)'}</span>
        </Link>
      </div>
      <div class="hit-meta">
        {hit.from && <span class="hit-from" dir="auto">{hit.from}</span>}
        {hit.day && <span class="hit-date">{hit.day}</span>}
        {hit.kind !== 'email' && <span>{formatBytes(hit.size)}</span>}
        <span class="mono hit-id">{hit.id}</span>
      </div>
      {hit.snippet && (
        <p class="snippet">
          <Highlighted text={hit.snippet} highlights={hit.highlights} />
        </p>
      )}
      {hit.kind !== 'email' && hit.path && <div class="hit-path mono" dir="auto">{hit.path}</div>}
    </li>
  );
}

export function SearchPage({ loc }: { loc: Location }) {
  const query = loc.params.get('q') ?? '';
  const sort = loc.params.get('sort') ?? 'relevance';
  const [input, setInput] = useState(query);
  const [results, setResults] = useState<Results | null>(remembered?.results.href === loc.href ? remembered.results : null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelectedState] = useState(remembered?.results.href === loc.href ? remembered.selected : 0);
  // Keys can come faster than renders: the handler reads and writes the selection through a ref.
  const selectedRef = useRef(selected);
  const setSelected = (i: number): void => {
    selectedRef.current = i;
    setSelectedState(i);
  };
  const inputRef = useRef<HTMLInputElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const loadingMore = useRef(false);

  useEffect(() => setInput(query), [query]);

  // A new query or order: the first page (unless these are the results we came back to).
  useEffect(() => {
    if (results?.href === loc.href) {
      if (remembered?.results.href === loc.href) window.scrollTo(0, remembered.scrollY);
      return;
    }
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    getJson<SearchResult>(withParams('/api/search', { q: query, sort, limit: PAGE }), ac.signal)
      .then((r) => {
        setResults({ href: loc.href, query, sort: r.sort, total: r.total, hits: r.hits, facets: r.facets, tookMs: r.tookMs });
        setSelected(0);
        window.scrollTo(0, 0);
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setResults(null);
        setError(err instanceof ApiFailure ? err.body : { code: 'error', message: String(err) });
        if (err instanceof ApiFailure && err.body.position !== undefined && inputRef.current) {
          // Select the faulty part in the box, where the user will fix it.
          const el = inputRef.current;
          el.focus();
          el.setSelectionRange(err.body.position, err.body.position + Math.max(1, err.body.length ?? 1));
        }
      })
      .finally(() => setLoading(false));
    return () => ac.abort();
  }, [loc.href]);

  useEffect(() => {
    if (results) remembered = { results, selected, scrollY: window.scrollY };
  });
  useEffect(() => {
    const onScroll = (): void => {
      if (remembered) remembered.scrollY = window.scrollY;
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);

  async function loadMore(): Promise<void> {
    if (!results || loadingMore.current || results.hits.length >= results.total) return;
    loadingMore.current = true;
    try {
      const r = await getJson<SearchResult>(withParams('/api/search', { q: results.query, sort, limit: PAGE, offset: results.hits.length, facets: 0 }));
      setResults((prev) => (prev && prev.href === results.href ? { ...prev, hits: [...prev.hits, ...r.hits] } : prev));
    } catch (err) {
      setError(err instanceof ApiFailure ? err.body : { code: 'error', message: String(err) });
    } finally {
      loadingMore.current = false;
    }
  }

  // Infinite scroll: the next page when the end of the list comes into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    }, { rootMargin: '600px' });
    io.observe(el);
    return () => io.disconnect();
  }, [results]);

  // Keyboard: j/k or arrows move through hits, Enter opens the selected one.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!results || isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const n = results.hits.length;
      if (n === 0) return;
      const current = selectedRef.current;
      let next: number;
      if (e.key === 'j' || e.key === 'ArrowDown') next = Math.min(n - 1, current + 1);
      else if (e.key === 'k' || e.key === 'ArrowUp') next = Math.max(0, current - 1);
      else if (e.key === 'Enter') {
        const hit = results.hits[current];
        if (hit) {
          e.preventDefault();
          navigate(itemHref(hit.id));
        }
        return;
      } else return;
      e.preventDefault();
      setSelected(next);
      if (next >= n - 5) void loadMore();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [results]);

  useLayoutEffect(() => {
    document.querySelector(`.hit[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  function submit(e: Event): void {
    e.preventDefault();
    navigate(searchHref(input.trim(), sort));
  }

  const reportQuery = results?.query ?? query;
  const reportSort = sort === 'relevance' ? undefined : sort;
  return (
    <div class="search-page">
      <form class="search-form" role="search" onSubmit={submit}>
        <input
          ref={inputRef}
          id="search-input"
          type="search"
          name="q"
          dir="auto"
          value={input}
          onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.currentTarget as HTMLInputElement).blur();
          }}
          placeholder={'Search: words, "phrases", from:, verdict:, date: …  (press / to come back here)'}
          aria-label="Search query"
          aria-invalid={error?.position !== undefined}
          autocomplete="off"
          spellcheck={false}
        />
        <select aria-label="Order" value={sort} onChange={(e) => navigate(searchHref(query, (e.currentTarget as HTMLSelectElement).value))}>
          <option value="relevance">Most relevant</option>
          <option value="date">Newest first</option>
          <option value="oldest">Oldest first</option>
        </select>
        <button type="submit">Search</button>
      </form>
      <SyntaxHelp onPick={(q) => { setInput(q); inputRef.current?.focus(); }} />
      {error && (error.position !== undefined ? <QueryError error={error} /> : <p class="error" role="alert">{error.message}</p>)}
      {results && (
        <div class="results-layout">
          {results.facets && <Facets facets={results.facets} query={results.query} sort={sort} />}
          <section class="results" aria-label="Results" data-query={results.query} data-sort={results.sort}>
            <div class="results-bar">
              <p class="results-count" aria-live="polite">
                {formatCount(results.total)} item{results.total === 1 ? '' : 's'}
                {results.query ? ' found' : ' in the trove'} <span class="muted">({results.tookMs} ms, {results.sort === 'relevance' ? 'most relevant first' : results.sort === 'date' ? 'newest first' : 'oldest first'})</span>
              </p>
              <p class="reports">
                Report of this search:{' '}
                <a href={withParams('/api/reports/html', { q: reportQuery, sort: reportSort })} download>HTML</a>
                {' · '}
                <a href={withParams('/api/reports/json', { q: reportQuery, sort: reportSort })} download>JSON</a>
                {' · '}
                <a href={withParams('/api/reports/csv', { q: reportQuery, sort: reportSort })} download>CSV</a>
              </p>
            </div>
            {results.hits.length === 0 ? (
              <p class="empty">Nothing found. Check the spelling, remove a filter, or try fewer words.</p>
            ) : (
              <ol class="hits">
                {results.hits.map((h, i) => (
                  <HitRow key={h.sha256} hit={h} index={i} selected={i === selected} onSelect={setSelected} />
                ))}
              </ol>
            )}
            <div ref={sentinel} class="sentinel">
              {results.hits.length < results.total && (
                <button type="button" onClick={() => void loadMore()}>
                  Show more ({formatCount(results.total - results.hits.length)} left)
                </button>
              )}
            </div>
          </section>
        </div>
      )}
      {loading && !results && <p class="loading">Searching…</p>}
    </div>
  );
}
