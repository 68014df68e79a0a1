/** `trove serve`: the web UI and HTTP API on a case, read-only, on this machine only unless told otherwise. */
import { UserError } from '../errors.ts';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, startServer } from '../server/serve.ts';
import { EXIT_OK } from './exit-codes.ts';

export async function run(opts: { case: string; port?: string; host?: string }): Promise<number> {
  const port = opts.port === undefined ? DEFAULT_PORT : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(String(opts.port ?? port))) {
    throw new UserError('bad-port', `--port takes a port number from 0 to 65535 (0: any free port), not "${opts.port}".`);
  }
  const host = opts.host ?? DEFAULT_HOST;
  const server = await startServer({ caseDir: opts.case, host, port });
  if (!isLoopback(host)) {
    console.error(`trove: WARNING: serving on ${host}: anyone who can reach this machine on port ${server.port} can read the whole case, without a password.`);
    console.error('trove: the leak, its emails and every document are then visible to them. Use the default (127.0.0.1) unless you mean it.');
  }
  if (!server.webBuilt) console.error('trove: the web UI is not built: run `npm run build:web` (the API answers meanwhile).');
  console.log(`trove: serving ${server.caseDir} (read-only) at ${server.url}`);
  console.log('trove: press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT_OK;
}
