import { useEffect, useState } from 'preact/hooks';
import { Link } from './components/link.tsx';
import { installGlobalKeys } from './keyboard.ts';
import { ItemPage } from './pages/item-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { useLocation } from './router.ts';

function KeysHelp({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        e.stopImmediatePropagation();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
  return (
    <div class="keys-help" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div class="keys-help-box">
        <h2>Keyboard</h2>
        <dl>
          <dt><kbd>/</kbd></dt><dd>search</dd>
          <dt><kbd>j</kbd> <kbd>↓</kbd> · <kbd>k</kbd> <kbd>↑</kbd></dt><dd>next · previous hit</dd>
          <dt><kbd>Enter</kbd></dt><dd>open the selected hit</dd>
          <dt><kbd>Esc</kbd></dt><dd>back (or leave the search box)</dd>
          <dt><kbd>?</kbd></dt><dd>this help</dd>
        </dl>
      </div>
    </div>
  );
}

export function App() {
  const loc = useLocation();
  const [help, setHelp] = useState(false);
  useEffect(() => installGlobalKeys(() => setHelp((h) => !h)), []);
  useEffect(() => {
    if (loc.path === '/') document.title = loc.params.get('q') ? `${loc.params.get('q')} · trove` : 'trove';
  }, [loc.href]);
  let page;
  const itemMatch = /^\/item\/([^/]+)$/.exec(loc.path);
  if (itemMatch) page = <ItemPage id={decodeURIComponent(itemMatch[1]!)} />;
  else if (loc.path === '/overview') page = <OverviewPage />;
  else if (loc.path === '/') page = <SearchPage loc={loc} />;
  else page = <p class="panel">Nothing here. <Link href="/">Search the trove</Link>.</p>;
  return (
    <>
      <header class="top">
        <Link href="/" class="brand" title="Search">
          <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="6" fill="#1e3a5f" /><path d="M8 17l5 5 11-12" fill="none" stroke="#6ee7b7" stroke-width="4" stroke-linecap="round" stroke-linejoin="round" /></svg>
          trove
        </Link>
        <nav>
          <Link href="/" class={loc.path === '/' ? 'active' : undefined}>Search</Link>
          <Link href="/overview" class={loc.path === '/overview' ? 'active' : undefined}>Overview</Link>
        </nav>
        <button type="button" class="keys-button" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>
      <main>{page}</main>
      {help && <KeysHelp onClose={() => setHelp(false)} />}
    </>
  );
}
