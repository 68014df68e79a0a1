/**
 * The rest of the machine, for benchmarks on a shared 2-core box: how busy other processes keep the
 * CPUs (from /proc/stat, less this process), and a wait until they are quiet before measuring.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ on Linux). */
export const CLK_TCK = 100;
/** Other processes below this, in % of one core, leave the machine "quiet". */
export const QUIET_PCT = 15;

/** Busy CPU seconds of the whole machine since boot (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  let first: string;
  try {
    first = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  } catch {
    return 0;
  }
  const f = first.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0)) / CLK_TCK;
}

/** CPU seconds of this process, worker threads included (its own sampling is not "other load"). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU used by everything else on the machine over `seconds`, in % of one core. */
export async function otherLoadPct(seconds: number): Promise<number> {
  const b0 = machineBusySeconds();
  const o0 = ownCpuSeconds();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return Math.max(0, ((machineBusySeconds() - b0 - (ownCpuSeconds() - o0)) / seconds) * 100);
}

/** The busiest other processes (ps's lifetime %CPU), to say what the benchmark is waiting for. */
export function busiestProcesses(): string {
  const r = spawnSync('ps', ['-eo', 'pid,ppid,pcpu,args', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 4 && !f.slice(3).join(' ').startsWith('ps -eo'))
    .filter((f) => Number(f[0]) !== process.pid && Number(f[1]) !== process.pid && Number(f[0]) !== process.ppid)
    .slice(0, 3).map((f) => `${f[2]}% ${f.slice(3).join(' ').slice(0, 100)}`).join('; ');
}

/** Waits until other processes leave the CPUs idle, or `maxSeconds` pass (0: do not wait). */
export async function waitForQuiet(maxSeconds: number, sampleSeconds: number): Promise<void> {
  if (maxSeconds <= 0) return;
  const start = performance.now();
  let said = false;
  for (;;) {
    const pct = await otherLoadPct(sampleSeconds);
    if (pct < QUIET_PCT) {
      if (said) console.log(`  the machine is quiet after ${((performance.now() - start) / 1000).toFixed(0)} s.`);
      return;
    }
    if (!said) {
      console.log(`  waiting for the machine to be quiet (other processes use ${pct.toFixed(0)}% CPU: ${busiestProcesses()})...`);
      said = true;
    }
    if ((performance.now() - start) / 1000 > maxSeconds) {
      console.warn(`  gave up waiting after ${maxSeconds} s: this run shares the CPUs with other processes (${pct.toFixed(0)}% CPU).`);
      return;
    }
  }
}
