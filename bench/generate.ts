/**
 * `node bench/generate.ts OUT [--messages N] [--seed N] [--layout mixed|maildir|mbox|eml]`
 * Writes a seeded fake leak and its manifest into OUT, then prints one summary line.
 */
import { parseArgs } from 'node:util';
import { GeneratorError, LAYOUTS, generateTrove } from '../test/support/generator/index.ts';
import type { Layout } from '../test/support/generator/index.ts';

const USAGE = `usage: node bench/generate.ts OUT [--messages N] [--seed N] [--layout ${LAYOUTS.join('|')}]`;
const DEFAULT_MESSAGES = 200;

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new GeneratorError('bad-argument', `--${name} takes a whole number, got "${value}".\n${USAGE}`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      messages: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      layout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const out = positionals[0];
  if (!out || positionals.length > 1) throw new GeneratorError('bad-argument', `give exactly one output directory.\n${USAGE}`);
  const layout = (values.layout ?? 'mixed') as Layout;
  if (!LAYOUTS.includes(layout)) throw new GeneratorError('bad-argument', `--layout must be one of ${LAYOUTS.join(', ')}.\n${USAGE}`);
  const messages = wholeNumber('messages', values.messages, DEFAULT_MESSAGES);
  const seed = wholeNumber('seed', values.seed, 1);
  const started = process.hrtime.bigint();
  const summary = await generateTrove(out, { messages, seed, layout });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `generated ${summary.messages} messages, ${summary.files} files, ${summary.bytes} bytes (${(summary.bytes / 1048576).toFixed(1)} MiB) in ${seconds.toFixed(1)} s: ${out} (layout ${layout}, seed ${seed})`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof GeneratorError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`generate: ${err.message}`);
    process.exit(1);
  }
  console.error(err);
  process.exit(2);
});
