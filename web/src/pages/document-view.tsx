/**
 * A document or attachment: its verdict in words, forensic signals when there are any, where it came
 * from (the email that carried it), for an altered copy the side-by-side diff with its original, its
 * metadata as the file states it, and its text.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DiffResponse, ItemResponse, Signal, TextResponse } from '../../../src/server/api-types.ts';
import { ApiFailure, getJson } from '../api.ts';
import { DiffView } from '../components/diff-view.tsx';
import { ItemList } from '../components/item-list.tsx';
import { Link } from '../components/link.tsx';
import { VerdictBadge } from '../components/verdict-badge.tsx';
import { VerdictBanner } from '../components/verdict-banner.tsx';
import { formatBytes, percent } from '../format.ts';
import { itemHref, searchHref } from '../router.ts';
import { FoundAt } from './found-at.tsx';

const SEVERITY_ORDER = ['high', 'medium', 'low', 'info'];

function Signals({ signals }: { signals: Signal[] }) {
  const sorted = [...signals].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  return (
    <section class="panel signals" aria-label="Forensic signals">
      <h2>Forensic signals ({signals.length})</h2>
      {signals.length === 0 ? (
        <p class="muted">Nothing in this file's own metadata contradicts itself, the rest of the trove, or the calendar.</p>
      ) : (
        <ul class="signal-list">
          {sorted.map((s, i) => (
            <li key={`${s.code}-${i}`} class={`signal severity-${s.severity}`}>
              <span class={`severity severity-${s.severity}`}>{s.severity}</span>{' '}
              <Link href={searchHref(`signal:${s.code}`)} class="mono" title="Every item with this signal">{s.code}</Link>
              <p>{s.message}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function display(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function AlteredCopy({ item }: { item: ItemResponse }) {
  const alt = item.assessment!.alteredFrom!;
  const [diff, setDiff] = useState<DiffResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    getJson<DiffResponse>(`/api/items/${item.id}/diff`, ac.signal).then(setDiff).catch((e: unknown) => {
      if ((e as Error).name !== 'AbortError') setError(e instanceof ApiFailure ? e.body.message : String(e));
    });
    return () => ac.abort();
  }, [item.id]);
  return (
    <section class="panel altered" aria-label="Compared with the original">
      <h2>Compared with its proven original</h2>
      <p>
        A near-copy ({percent(alt.similarity)} of word sequences shared) of{' '}
        {alt.original ? (
          <>
            <VerdictBadge verdict={alt.original.verdict} />{' '}
            <Link href={itemHref(alt.originalId)}>
              <span dir="auto">{alt.original.name}</span>
            </Link>{' '}
            <span class="mono muted">{alt.originalId}</span>
          </>
        ) : (
          <Link href={itemHref(alt.originalId)} class="mono">{alt.originalId}</Link>
        )}
        :{' '}
        {alt.changes.length === 0 && !alt.truncated
          ? 'the text is the same, the file is not.'
          : alt.changes.length === 0
            ? `the texts differ too much for every edit to be listed (${alt.removedWords} words of the original, ${alt.addedWords} of this copy, not matched).`
            : `${alt.removedWords} word${alt.removedWords === 1 ? '' : 's'} removed and ${alt.addedWords} added, in ${alt.changes.length} place${alt.changes.length === 1 ? '' : 's'}${alt.truncated ? ' (at least)' : ''}.`}
      </p>
      {alt.metadata.length > 0 && (
        <table class="meta-changes">
          <thead>
            <tr>
              <th>Metadata</th>
              <th>Original</th>
              <th>This copy</th>
            </tr>
          </thead>
          <tbody>
            {alt.metadata.map((m) => (
              <tr key={m.field}>
                <th scope="row">{m.field}</th>
                <td dir="auto"><del>{display(m.original)}</del></td>
                <td dir="auto"><ins>{display(m.copy)}</ins></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p class="error">{error}</p>}
      {diff ? (
        <>
          <DiffView
            parts={diff.parts}
            originalLabel={<>Original <span class="mono muted">{diff.original.id}</span></>}
            copyLabel={<>This copy <span class="mono muted">{item.id}</span></>}
          />
          {diff.truncated && <p class="muted">The texts are too long or too different for every edit to be shown side by side; the list of changes above is complete up to its limit.</p>}
        </>
      ) : (
        !error && <p class="muted">Comparing the texts…</p>
      )}
    </section>
  );
}

function Provenance({ item }: { item: ItemResponse }) {
  const p = item.assessment?.provenance;
  if (!p) return null;
  return (
    <section class="panel provenance" aria-label="Provenance">
      <h2>Provenance</h2>
      <p>
        Carried by the email{' '}
        <Link href={itemHref(p.viaId)}>
          <span dir="auto">{p.viaSubject ?? '(no subject)'}</span>
        </Link>{' '}
        <span class="muted" dir="auto">{p.viaFrom ?? ''}</span> <span class="mono muted">{p.viaId}</span>, whose DKIM verdict is <VerdictBadge verdict={p.strength} />.
      </p>
      <p class="muted">
        {p.strength === 'authentic'
          ? 'The signature covers every byte of the message, attachments included: these bytes are unchanged since that email was sent.'
          : 'That signature proves less than an authentic one, so this file is not counted as proven.'}
      </p>
    </section>
  );
}

function ExtractedText({ item }: { item: ItemResponse }) {
  const [text, setText] = useState<TextResponse | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    setText(null);
    getJson<TextResponse>(`/api/items/${item.id}/text`, ac.signal).then(setText).catch(() => undefined);
    return () => ac.abort();
  }, [item.id]);
  if (!item.extracted || item.extracted.textChars === 0) {
    return (
      <section class="panel" aria-label="Text">
        <h2>Text</h2>
        <p class="muted">No text was read from this file{item.extracted ? '' : ' (its format has no text reader yet)'}.</p>
      </section>
    );
  }
  return (
    <section class="panel" aria-label="Text">
      <h2>
        Text <span class="muted">({item.extracted.textChars.toLocaleString('en')} characters, read by {item.extracted.extractor})</span>
      </h2>
      <pre class="document-text" dir="auto">
        {text ? text.text : 'Loading…'}
        {text?.truncated && '\n[… the text goes on: download the original]'}
      </pre>
    </section>
  );
}

function MetadataTable({ metadata }: { metadata: Record<string, unknown> }) {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return null;
  return (
    <section class="panel" aria-label="Metadata">
      <h2>Metadata <span class="muted">(as the file states it)</span></h2>
      <table class="metadata">
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td dir="auto">{display(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function DocumentView({ item }: { item: ItemResponse }) {
  const a = item.assessment;
  return (
    <article class="item-view document-view">
      <header class="item-header">
        <p class="kind-line">
          {item.kind} · {item.format} · {formatBytes(item.size)} · <span class="mono">{item.id}</span>
        </p>
        <h1 dir="auto">{item.name}</h1>
        <p>
          <a class="button" href={item.rawUrl} download>Download the original</a>
        </p>
      </header>
      <VerdictBanner verdict={item.verdict} summary={item.summary} />
      {item.error && (
        <p class="warn panel">
          Could not be read completely ({item.error.code}): {item.error.message}
        </p>
      )}
      {item.signals && <Signals signals={item.signals} />}
      <Provenance item={item} />
      {a?.alteredFrom && <AlteredCopy item={item} />}
      {a && a.nearDuplicates.length > 0 && (
        <section class="panel" aria-label="Similar documents">
          <h2>Similar documents</h2>
          <ul class="near-list">
            {a.nearDuplicates.slice(0, 20).map((n) => (
              <li key={n.id}>
                <Link href={itemHref(n.id)} class="mono">{n.id}</Link> <span class="muted">({percent(n.similarity)} similar)</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {item.preview === 'image' && (
        <section class="panel" aria-label="Preview">
          <h2>Image</h2>
          <img class="preview" src={`/api/items/${item.id}/preview`} alt={`The image ${item.name}`} />
        </section>
      )}
      {item.extracted?.metadata && <MetadataTable metadata={item.extracted.metadata} />}
      {item.kind !== 'container' && <ExtractedText item={item} />}
      {item.children.length > 0 && (
        <section class="panel" aria-label="Contents">
          <h2>Contains {item.childrenTotal} item{item.childrenTotal === 1 ? '' : 's'}</h2>
          <ItemList items={item.children} />
        </section>
      )}
      <FoundAt item={item} />
    </article>
  );
}
