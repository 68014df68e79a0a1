/**
 * `node bench/verify-peers/profile-top.ts DIR|FILE... [--top N]`: the functions with the most self
 * time in V8 .cpuprofile files (as written by `--cpu-prof`, or `bench/verify.ts --profile DIR`),
 * summed over the files given, with the self time summed per source file and the functions with the
 * most total time (self and callees) below. Percentages are of the busy time: `(idle)` (a thread
 * waiting for work) is left out and reported apart.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const files = positionals.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(p, f)) : [p]));
if (files.length === 0) {
  console.error('usage: node bench/verify-peers/profile-top.ts DIR|FILE... [--top N]');
  process.exit(1);
}

const byFunction = new Map<string, number>();
/** Inclusive time: a function counted once per sample it is anywhere on the stack of. */
const inclusive = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
let idle = 0;
const short = (url: string): string => (url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url || '(native)');
for (const f of files) {
  const p = JSON.parse(readFileSync(f, 'utf8')) as Profile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode): string => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || '(anonymous)'}  ${short(url)}${url ? `:${lineNumber + 1}` : ''}`;
  };
  for (let i = 0; i < p.samples.length; i++) {
    const n = nodes.get(p.samples[i]!);
    const us = p.timeDeltas[i] ?? 0;
    if (!n) continue;
    if (n.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const key = keyOf(n);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const k = keyOf(nodes.get(id)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
    const file = short(n.callFrame.url);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    total += us;
  }
}

const top = Number(values.top);
const show = (title: string, m: Map<string, number>, n: number): void => {
  console.log(`\n${title}`);
  console.log('| self ms | % | where |\n| ---: | ---: | --- |');
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`| ${(us / 1000).toFixed(0)} | ${((us / total) * 100).toFixed(1)} | ${k} |`);
};
console.log(`${files.length} profile(s): ${(total / 1000).toFixed(0)} ms busy (the 100% below), ${(idle / 1000).toFixed(0)} ms idle`);
show(`Top ${top} functions by self time`, byFunction, top);
show('Self time by source file', byFile, 15);
show(`Top ${top} functions by total time (self and callees)`, new Map([...inclusive].filter(([k]) => !k.startsWith('(root)'))), top);
