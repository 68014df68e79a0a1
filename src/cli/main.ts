/**
 * The `trove` command. Commands live one per file and are imported only when run (STYLE.md §9);
 * this file is the only place that turns errors into exit codes: 0 ok, 1 user error, 2 some items
 * failed (the run finished and says which).
 */
import { Command, CommanderError, Option } from 'commander';
import { UserError } from '../errors.ts';
import { DEFAULT_CASE_DIR } from '../store/case-dir.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './exit-codes.ts';


/** What a command returns: its exit code. */
export type CommandResult = Promise<number>;

const caseOption = (): Option => new Option('--case <dir>', 'case directory').default(DEFAULT_CASE_DIR);
const jsonOption = (): Option => new Option('--json', 'print JSON instead of text');

function build(): Command {
  const program = new Command('trove')
    .description('Tells what is real in a leaked trove of emails and documents.')
    .showHelpAfterError('(run `trove --help` for the commands)')
    .exitOverride();

  const commands: { name: string; describe: (c: Command) => Command; load: () => Promise<{ run: (...a: never[]) => CommandResult }> }[] = [
    {
      name: 'ingest',
      describe: (c) =>
        c.description('ingest directories, zip, mbox, maildir and eml files into a case (resumable)')
          .argument('<paths...>', 'files or directories as published')
          .addOption(caseOption())
          .option('--workers <n>', 'parser threads (default: one per core)')
          .option('--quiet', 'print only the summary')
          .option('--no-verify', 'do not run `trove verify` after ingesting'),
      load: () => import('./ingest.ts'),
    },
    {
      name: 'verify',
      describe: (c) =>
        c.description('verify every email\'s DKIM signatures offline against the key store (only what changed)')
          .addOption(caseOption())
          .option('--as-of <date>', 'judge x= expiry as of this date (default: now)')
          .option('--all', 'verify every email again, not only new or affected ones')
          .addOption(jsonOption()),
      load: () => import('./verify.ts'),
    },
    {
      name: 'stats',
      describe: (c) => c.description('counts of items by kind and format, duplicates, errors').addOption(caseOption()).addOption(jsonOption()),
      load: () => import('./stats.ts'),
    },
    {
      name: 'show',
      describe: (c) => c.description('everything known about one item').argument('<id>', 'item id (or a prefix of its SHA-256)').addOption(caseOption()).addOption(jsonOption()),
      load: () => import('./show.ts'),
    },
    {
      name: 'search',
      describe: (c) =>
        c.description('search the case with the query language of docs/search.md (words, "phrases", fields, dates ...)')
          .argument('<query>', "for example: 'from:elysee.fr verdict:authentic virement'")
          .addOption(caseOption())
          .option('--limit <n>', 'hits per page (default 20)')
          .option('--offset <n>', 'skip this many hits (the next page)')
          .addOption(new Option('--sort <order>', 'relevance, date (newest first) or oldest').choices(['relevance', 'date', 'oldest']).default('relevance'))
          .option('--no-facets', 'do not count hits per verdict, kind, format, domain and month')
          .addOption(jsonOption()),
      load: () => import('./search.ts'),
    },
    {
      name: 'thread',
      describe: (c) => c.description('the conversation an email belongs to, as a tree').argument('<id>', 'an email, an attachment, or a thread id').addOption(caseOption()).addOption(jsonOption()),
      load: () => import('./thread.ts'),
    },
    {
      name: 'timeline',
      describe: (c) =>
        c.description('items per day, week or month, by verdict (all emails, or the items a query finds)')
          .argument('[query]', 'a search query (docs/search.md)')
          .addOption(caseOption())
          .addOption(new Option('--by <unit>', 'day, week or month').choices(['day', 'week', 'month']).default('month'))
          .addOption(jsonOption()),
      load: () => import('./timeline.ts'),
    },
    {
      name: 'correspondents',
      describe: (c) =>
        c.description('who wrote to whom, how often (all emails, or those a query finds)')
          .argument('[query]', 'a search query (docs/search.md)')
          .addOption(caseOption())
          .option('--limit <n>', 'people and pairs listed (default 25)')
          .addOption(jsonOption()),
      load: () => import('./correspondents.ts'),
    },
    {
      name: 'errors',
      describe: (c) => c.description('every item that could not be read, and why').addOption(caseOption()).addOption(jsonOption()),
      load: () => import('./errors.ts'),
    },
    {
      name: 'report',
      describe: (c) =>
        c.description('write the machine-readable report (streamed)')
          .addOption(caseOption())
          .addOption(new Option('--format <format>', 'json, jsonl or csv').choices(['json', 'jsonl', 'csv']).default('json'))
          .option('-o, --output <file>', 'write to a file instead of standard output'),
      load: () => import('./report.ts'),
    },
    {
      name: 'serve',
      describe: (c) =>
        c.description('open the case in a web browser: search, read, evidence, reports (read-only)')
          .addOption(caseOption())
          .option('--port <n>', 'port to listen on (default 4317; 0: any free port)')
          .option('--host <address>', 'address to listen on (default 127.0.0.1: this machine only)'),
      load: () => import('./serve.ts'),
    },
  ];

  const keys = program.command('keys').description('the offline DKIM key store: import, list, fetch, recover');
  keys.command('import').description('import keys from a zone file, dig output or JSON').argument('<file>').addOption(caseOption())
    .action(async (file: string, opts: { case: string }) => { process.exitCode = await (await import('./keys.ts')).runImport(file, opts); });
  keys.command('list').description('every key, its source and size, and how many messages it verifies').addOption(caseOption()).addOption(jsonOption())
    .action(async (opts: { case: string; json?: boolean }) => { process.exitCode = await (await import('./keys.ts')).runList(opts); });
  keys.command('fetch').description('look up, over live DNS, every selector that signs something in the case (dated)').addOption(caseOption())
    .option('--server <ip>', 'DNS server to ask (default: the system resolver)')
    .action(async (opts: { case: string; server?: string }) => { process.exitCode = await (await import('./keys.ts')).runFetch(opts); });
  keys.command('recover').description('compute the key of every selector without one from its own signatures (RSA, at least two messages)').addOption(caseOption())
    .option('--workers <n>', 'selectors recovered at once, one thread each (default: one per core)').addOption(jsonOption())
    .action(async (opts: { case: string; json?: boolean; workers?: string }) => { process.exitCode = await (await import('./keys.ts')).runRecover(opts); });

  for (const spec of commands) {
    spec.describe(program.command(spec.name)).action(async (...args: unknown[]) => {
      const mod = await spec.load();
      // Commander passes positional arguments, then the options object, then the command.
      process.exitCode = await (mod.run as (...a: unknown[]) => CommandResult)(...args.slice(0, -1));
    });
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `trove report | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw err;
  });
  try {
    await build().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT_OK : EXIT_USER_ERROR;
    } else if (err instanceof UserError) {
      console.error(`trove: ${err.message}`);
      process.exitCode = EXIT_USER_ERROR;
    } else {
      console.error(`trove: an unexpected error stopped the command: ${(err as Error).message}`);
      console.error('This is a bug in trove; please report it with the command you ran.');
      if (process.env.TROVE_DEBUG) console.error((err as Error).stack);
      process.exitCode = EXIT_USER_ERROR;
    }
  }
}

await main(process.argv);
