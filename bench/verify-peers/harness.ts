/**
 * The worker-thread side of bench/verify.ts: every in-process verifier (the bare-minimum loop, trove's
 * engine, mailauth) runs under this same harness, so they are timed identically.
 *
 * Protocol, per worker: set up (keys parsed once), run the warm-up (the first `warmup` files of the
 * worker's share, untimed), post `ready`; on each `go`, verify every file of the share in order and
 * post `done` with the time taken and one result letter per file; on `stop`, exit. The parent times
 * the wall clock from the `go` it sends to the last `done` it receives; `ms` here is the worker's own
 * figure, which shows how evenly the shares were balanced.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface PeerData {
  /** This worker's share of the messages, absolute paths. */
  files: string[];
  /** Messages verified untimed before the timed pass. */
  warmup: number;
  /** The text of keys.zone. */
  zone: string;
  /** ISO date against which expiry is judged (x=), where the verifier takes one. */
  asOf: string;
}

/**
 * One letter per message:
 * - `n`: no DKIM signature;
 * - `p`: at least one signature verifies (body hash and header signature);
 * - `r`: (trove only) one verifies, but only after undoing transport damage (a repair);
 * - `x`: (trove only) one verifies, but its x= expiry has passed (trove reports it; mailauth and
 *   dkimpy fail such a signature, the bare-minimum loop does not look);
 * - `f`: signed, and no signature verifies (altered, no key, unreadable...).
 */
export type Code = 'n' | 'p' | 'r' | 'x' | 'f';

export interface Peer {
  /** Sync verifiers are called in a plain loop; async ones are awaited one message at a time. */
  verify: ((path: string) => Code) | ((path: string) => Promise<Code>);
  async: boolean;
  /** Anything else worth reporting after the timed pass (trove's verdict counts). */
  extra?: () => Record<string, number>;
  /** Called before each timed pass (clears counts gathered during the warm-up or an earlier pass). */
  reset?: () => void;
}

export type PeerMessage =
  | { type: 'ready'; setupMs: number; warmupMs: number }
  | { type: 'done'; ms: number; codes: string; extra: Record<string, number> | null }
  | { type: 'error'; message: string };

async function pass(peer: Peer, files: string[]): Promise<string> {
  const codes: Code[] = new Array<Code>(files.length);
  if (peer.async) {
    const verify = peer.verify as (path: string) => Promise<Code>;
    for (let i = 0; i < files.length; i++) codes[i] = await verify(files[i]!);
  } else {
    const verify = peer.verify as (path: string) => Code;
    for (let i = 0; i < files.length; i++) codes[i] = verify(files[i]!);
  }
  return codes.join('');
}

/** Runs a peer under the protocol; `setup` is timed separately and never part of the rate. */
export function serve(setup: (data: PeerData) => Peer | Promise<Peer>): void {
  const port = parentPort;
  if (!port) throw new Error('bench/verify-peers: this module runs as a worker thread of bench/verify.ts');
  const data = workerData as PeerData;
  const post = (m: PeerMessage): void => port.postMessage(m);
  void (async () => {
    try {
      let t = performance.now();
      const peer = await setup(data);
      const setupMs = performance.now() - t;
      t = performance.now();
      await pass(peer, data.files.slice(0, data.warmup));
      const warmupMs = performance.now() - t;
      const onMessage = (m: unknown): void => {
        if (m !== 'go') {
          port.off('message', onMessage); // nothing left to wait for: the thread exits (and writes its profile)
          return;
        }
        void (async () => {
          try {
            peer.reset?.();
            const t0 = performance.now();
            const codes = await pass(peer, data.files);
            const ms = performance.now() - t0;
            post({ type: 'done', ms, codes, extra: peer.extra?.() ?? null });
          } catch (err) {
            post({ type: 'error', message: (err as Error).stack ?? String(err) });
          }
        })();
      };
      port.on('message', onMessage);
      post({ type: 'ready', setupMs, warmupMs });
    } catch (err) {
      post({ type: 'error', message: (err as Error).stack ?? String(err) });
    }
  })();
}
