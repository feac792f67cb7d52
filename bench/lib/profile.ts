// CPU profiles of one part of a bench (node:inspector, the same profiler as `node --cpu-prof`), written
// as .cpuprofile files (open them in Chrome DevTools) and summarised as the frames that cost the most.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds on the monotonic clock (process.hrtime's), and between samples. */
  startTime?: number;
  timeDeltas?: number[];
}

/** A span of the monotonic clock in microseconds: `process.hrtime.bigint() / 1000n` in any process. */
export interface ProfileWindow {
  readonly from: number;
  readonly to: number;
}

/** Now on that clock, in microseconds (the clock of `--cpu-prof`'s timestamps). */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** The samples taken within `window` (all of them without one). */
function samplesIn(profile: CpuProfile, window?: ProfileWindow): number[] {
  if (!window || profile.startTime === undefined || !profile.timeDeltas) return profile.samples;
  const kept: number[] = [];
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t >= window.from && t <= window.to) kept.push(profile.samples[i]!);
  }
  return kept;
}

/** Runs `body` under the CPU profiler and writes the profile to `file`. */
export async function profiled<T>(file: string, body: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  try {
    return await body();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

const frameName = (n: ProfileNode): string => {
  const url = n.callFrame.url
    .replace(/^.*\/node_modules\//, '')
    .replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'}${url ? ` ${url}` : ''}`;
};

/**
 * Share of samples per frame: `self` (in the frame itself) and `inclusive` (with its callees); only
 * those within `window` when given (a `node --cpu-prof` profile of another process: the clock is shared).
 */
export function summarizeProfile(
  profile: CpuProfile,
  top = 15,
  window?: ProfileWindow,
): { self: string[]; inclusive: string[] } {
  const samples = samplesIn(profile, window);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const s of samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    const name = frameName(byId.get(id)!);
    self.set(name, (self.get(name) ?? 0) + count);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const n = frameName(byId.get(x)!);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + count);
    }
  }
  const total = samples.length;
  const list = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => name !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${name}`);
  return { self: list(self), inclusive: list(inclusive) };
}
