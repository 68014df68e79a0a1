#!/usr/bin/env node
// Entry shim: npm links bins as .js; the CLI itself is TypeScript run by Node's type stripping.
import '../src/cli/main.ts';
