/**
 * A small history router: pages are real paths (`/`, `/item/ID`, `/overview`) so that links can be
 * opened in a new tab and the back button works; the server answers every such path with the UI.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  params: URLSearchParams;
  /** `path?query`, for keys and caches. */
  href: string;
}

const EVENT = 'trove:navigate';

function current(): Location {
  return { path: window.location.pathname, params: new URLSearchParams(window.location.search), href: window.location.pathname + window.location.search };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  // The state counts in-app steps, so that "back" never leaves the UI for the page before it.
  const depth = (window.history.state as { trove?: number } | null)?.trove ?? 0;
  if (options.replace) window.history.replaceState({ trove: depth }, '', to);
  else window.history.pushState({ trove: depth + 1 }, '', to);
  window.dispatchEvent(new Event(EVENT));
}

/** Back to where the user came from, or to the search page when the page was opened directly. */
export function goBack(): void {
  if (((window.history.state as { trove?: number } | null)?.trove ?? 0) > 0) window.history.back();
  else navigate('/');
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = (): void => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return loc;
}

/** Click handler for in-app links: a plain left click navigates here, anything else is left to the browser. */
export function linkClick(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null);
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href);
  if (url.origin !== window.location.origin || a.target || a.hasAttribute('download')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}

export function searchHref(query: string, sort?: string): string {
  const p = new URLSearchParams();
  if (query) p.set('q', query);
  if (sort && sort !== 'relevance') p.set('sort', sort);
  const s = p.toString();
  return s ? `/?${s}` : '/';
}

export function itemHref(id: string): string {
  return `/item/${encodeURIComponent(id)}`;
}
