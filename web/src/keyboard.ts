/** Keys that work on every page: / to search, Esc to go back, ? for the list of keys. */
import { goBack, navigate } from './router.ts';

/** True when the key goes to a text field (shortcuts must not steal typing). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

export function installGlobalKeys(onHelp: () => void): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(e)) return;
    if (e.key === '/') {
      e.preventDefault();
      const box = document.getElementById('search-input') as HTMLInputElement | null;
      if (box) {
        box.focus();
        box.select();
      } else {
        navigate('/');
        setTimeout(() => document.getElementById('search-input')?.focus(), 50);
      }
    } else if (e.key === 'Escape') {
      if (window.location.pathname !== '/') {
        e.preventDefault();
        goBack();
      }
    } else if (e.key === '?') {
      e.preventDefault();
      onHelp();
    }
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
