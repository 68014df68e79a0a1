import type { ComponentChildren } from 'preact';
import { linkClick } from '../router.ts';

/** An in-app link: a real href (opens in a new tab with a middle click), navigated here on a plain click. */
export function Link({ href, children, class: cls, title }: { href: string; children: ComponentChildren; class?: string; title?: string }) {
  return (
    <a href={href} class={cls} title={title} onClick={linkClick}>
      {children}
    </a>
  );
}
