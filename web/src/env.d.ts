/** Vite's module types: CSS imported for its side effect, `import.meta.env`. */
/// <reference types="vite/client" />
