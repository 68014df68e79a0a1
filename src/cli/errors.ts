/** `trove errors`: every item that could not be read, with the reason. */
import { openCase } from '../store/case-dir.ts';
import { EXIT_OK } from './exit-codes.ts';

export async function run(opts: { case: string; json?: boolean }): Promise<number> {
  const c = openCase(opts.case, { create: false });
  try {
    const all = [];
    for await (const e of c.store.errors()) {
      if (opts.json) all.push(e);
      else console.log(`${e.code.padEnd(22)} ${e.path}${e.id ? `  [${e.id}]` : ''}\n${' '.repeat(23)}${e.message}`);
    }
    if (opts.json) console.log(JSON.stringify(all, null, 2));
    return EXIT_OK;
  } finally {
    await c.store.close();
  }
}
