/** One email: its verdict in words, headers, text or safe HTML, attachments with their own verdicts, DKIM evidence, thread. */
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { AddressRecord, HeadersResponse, ItemResponse, RemoteContentResponse } from '../../../src/server/api-types.ts';
import { getJson } from '../api.ts';
import { DkimPanel } from '../components/dkim-panel.tsx';
import { ItemList } from '../components/item-list.tsx';
import { Link } from '../components/link.tsx';
import { ThreadView } from '../components/thread-view.tsx';
import { VerdictBanner } from '../components/verdict-banner.tsx';
import { formatBytes, formatOffset } from '../format.ts';
import { itemHref, searchHref } from '../router.ts';
import { FoundAt } from './found-at.tsx';

function Addresses({ list }: { list: AddressRecord[] }) {
  return (
    <span class="addresses">
      {list.map((a, i) => (
        <span key={`${a.address}-${i}`} class="address">
          <Link href={searchHref(`participant:"${a.address}"`)} title={`Everything with ${a.address}`}>
            {a.name ? (
              <>
                <span dir="auto">{a.name}</span> <span class="muted">&lt;{a.address}&gt;</span>
              </>
            ) : (
              a.address
            )}
          </Link>
          {i < list.length - 1 ? ', ' : ''}
        </span>
      ))}
    </span>
  );
}

function HeaderRows({ item }: { item: ItemResponse }) {
  const e = item.email!;
  const rows: [string, ComponentChildren][] = [['From', <Addresses list={e.from} />]];
  if (e.sender.length) rows.push(['Sender', <Addresses list={e.sender} />]);
  if (e.replyTo.length) rows.push(['Reply-To', <Addresses list={e.replyTo} />]);
  if (e.to.length) rows.push(['To', <Addresses list={e.to} />]);
  if (e.cc.length) rows.push(['Cc', <Addresses list={e.cc} />]);
  if (e.bcc.length) rows.push(['Bcc', <Addresses list={e.bcc} />]);
  rows.push([
    'Date',
    <>
      <span>{e.dateRaw ?? '(no Date header)'}</span>
      {e.date ? (
        <span class="muted"> = {e.date.replace('T', ' ').replace('.000Z', ' UTC')} (sender's clock at {formatOffset(e.tzOffsetMinutes)})</span>
      ) : (
        e.dateError && <span class="warn"> could not be read: {e.dateError}</span>
      )}
    </>,
  ]);
  rows.push(['Message-ID', <span class="mono">{e.messageId ?? '(none)'}</span>]);
  if (e.inReplyTo) rows.push(['In-Reply-To', <span class="mono">{e.inReplyTo}</span>]);
  return (
    <table class="headers">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type BodyTab = 'text' | 'html' | 'headers';

/** The leaked HTML in a sandboxed frame (no scripts, no same-origin, nothing remote), and what was blocked. */
function HtmlBody({ id }: { id: string }) {
  const [remote, setRemote] = useState<RemoteContentResponse | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    getJson<RemoteContentResponse>(`/api/items/${id}/remote-content`, ac.signal).then(setRemote).catch(() => undefined);
    return () => ac.abort();
  }, [id]);
  return (
    <div class="html-body">
      <p class="safe-note">
        Shown safely: scripts never run and nothing is loaded from the internet (a remote image could tell the sender who read this, and when).
        {remote && remote.blockedTotal > 0 && (
          <>
            {' '}
            <b>
              {remote.blockedTotal} remote reference{remote.blockedTotal === 1 ? ' was' : 's were'} blocked.
            </b>
          </>
        )}
      </p>
      {remote && remote.blocked.length > 0 && (
        <details class="blocked-list">
          <summary>What this email tried to load</summary>
          <ul>
            {remote.blocked.map((b, i) => (
              <li key={i}>
                <span class="chip">{b.kind}</span> <span class="muted">&lt;{b.element}&gt;</span> <span class="mono url">{b.url}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <iframe class="html-frame" title="The email's HTML, sandboxed" sandbox="" referrerpolicy="no-referrer" src={`/api/items/${id}/html`} loading="lazy" />
    </div>
  );
}

function RawHeaders({ id }: { id: string }) {
  const [raw, setRaw] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    getJson<HeadersResponse>(`/api/items/${id}/headers`, ac.signal).then((h) => setRaw(h.raw)).catch(() => setRaw('(could not read the headers)'));
    return () => ac.abort();
  }, [id]);
  return <pre class="raw-headers">{raw ?? 'Loading…'}</pre>;
}

export function EmailView({ item }: { item: ItemResponse }) {
  const e = item.email!;
  const [tab, setTab] = useState<BodyTab>(e.text === null && e.hasHtml ? 'html' : 'text');
  useEffect(() => setTab(e.text === null && e.hasHtml ? 'html' : 'text'), [item.id]);
  const attachments = item.children;
  return (
    <article class="item-view email-view">
      <header class="item-header">
        <p class="kind-line">
          email <span class="mono">{item.id}</span> · {formatBytes(item.size)}
        </p>
        <h1 dir="auto">{e.subject ?? '(no subject)'}</h1>
      </header>
      <VerdictBanner verdict={item.verdict} summary={item.summary} />
      {item.messageIdConflicts.length > 0 && (
        <p class="warn panel">
          {item.messageIdConflicts.length} other message{item.messageIdConflicts.length === 1 ? '' : 's'} carr{item.messageIdConflicts.length === 1 ? 'ies' : 'y'} the same Message-ID with different bytes:{' '}
          {item.messageIdConflicts.map((id) => (
            <Link key={id} href={itemHref(id)} class="mono">{id} </Link>
          ))}
        </p>
      )}
      <div class="email-grid">
        <div class="email-main">
          <HeaderRows item={item} />
          <div class="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'text'} onClick={() => setTab('text')}>Text</button>
            {e.hasHtml !== false && (
              <button role="tab" aria-selected={tab === 'html'} onClick={() => setTab('html')}>HTML (safe view)</button>
            )}
            <button role="tab" aria-selected={tab === 'headers'} onClick={() => setTab('headers')}>All headers</button>
            <a class="tab-link" href={item.rawUrl} download>Download the original (.eml)</a>
          </div>
          {tab === 'text' && (
            <pre class="email-text" dir="auto">
              {e.text ?? (e.hasHtml ? 'This message has no text part: see the HTML view.' : '(no text)')}
              {e.textTruncated && '\n[… the text goes on: download the original to read it all]'}
            </pre>
          )}
          {tab === 'html' && <HtmlBody id={item.id} />}
          {tab === 'headers' && <RawHeaders id={item.id} />}
          {attachments.length > 0 && (
            <section class="panel attachments" aria-label="Attachments">
              <h2>Attachments ({item.childrenTotal})</h2>
              <ItemList items={attachments} download />
              {item.childrenTotal > attachments.length && <p class="muted">The first {attachments.length} are listed.</p>}
            </section>
          )}
        </div>
        <div class="email-side">
          <DkimPanel dkim={item.dkim} />
          {item.thread && <ThreadView id={item.thread} current={item.id} />}
          <FoundAt item={item} />
        </div>
      </div>
    </article>
  );
}
