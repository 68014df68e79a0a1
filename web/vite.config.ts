/**
 * The web UI build: `npm run build:web` (vite build) writes web/dist, which `trove serve` serves.
 * Preact with the automatic JSX runtime; no inline scripts or styles in the output (the page's CSP
 * forbids them), no source maps shipped.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The entry and its CSS stay files: a module-preload polyfill or inlined asset would be inline code.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
