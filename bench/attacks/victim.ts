// The node under attack and what the attack bench measures on it: disk (du of its data directory),
// resident memory (VmRSS from /proc), `GET /api/v1/status` latency while something runs, and its peers.
// Nodes are real processes (test/support/node-process.ts: the built CLI on loopback ports).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { PeerInfo } from '../../src/p2p/types.js';
import {
  getJson,
  type Json,
  type Network,
  type NodeProcess,
  startNode,
  waitFor,
} from '../../test/support/node-process.js';
import { latencyPercentile, type StatusSample, startStatusPoller } from '../lib/status-poller.js';

export const MB = 1024 * 1024;

/** A peer as `GET /api/v1/peers` lists it. */
export type PeerView = PeerInfo;

/** Bytes under `dir` as `du` counts them (apparent sizes). */
export function diskBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

export function rssBytes(pid: number): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(text)?.[1] ?? Number.NaN) * 1024;
}

/** CPU time the process has used (user + system), from /proc/<pid>/stat, in seconds (USER_HZ 100). */
export function cpuSeconds(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts a node for the bench: quiet logs, dialling only the peers it is given. */
export function startBenchNode(
  network: Network = 'regtest',
  args: readonly string[] = [],
): Promise<NodeProcess> {
  return startNode({
    network,
    logLevel: 'warn',
    readyTimeoutMs: 60_000,
    args: ['--min-peers', '0', '--threads', '1', ...args],
  });
}

export const status = (node: NodeProcess): Promise<Json> => getJson(node.url, '/api/v1/status');

/** The node's first libp2p address (with /p2p/<id>). */
export async function p2pAddr(node: NodeProcess): Promise<string> {
  return (await status(node)).p2p.addrs[0];
}

export async function peersOf(node: NodeProcess): Promise<PeerView[]> {
  return (await getJson(node.url, '/api/v1/peers')).peers;
}

/** True when the node serves the block (on its chain or stored as a side block). */
export async function hasBlock(node: NodeProcess, hash: string): Promise<boolean> {
  const res = await fetch(`${node.url}/api/v1/blocks/${hash}`, { signal: AbortSignal.timeout(10_000) });
  await res.body?.cancel();
  return res.status === 200;
}

/** How many of `hashes` the node stores. */
export async function storedCount(node: NodeProcess, hashes: readonly string[]): Promise<number> {
  let n = 0;
  for (const h of hashes) if (await hasBlock(node, h)) n++;
  return n;
}

/** Waits, at most `timeoutMs`, until the node's tip is `hash`; the time it took (ms) or undefined. */
/** How often arrival times are polled: they are read to within this. */
export const ARRIVAL_POLL_MS = 20;

export async function timeToTip(
  node: NodeProcess,
  hash: string,
  timeoutMs: number,
): Promise<number | undefined> {
  const t0 = performance.now();
  try {
    await waitFor(async () => (await status(node)).tip === hash, `tip ${hash.slice(0, 12)}`, {
      timeoutMs,
      intervalMs: ARRIVAL_POLL_MS,
    });
    return performance.now() - t0;
  } catch {
    return undefined;
  }
}

/** What one step did to the node. */
export interface Window {
  readonly seconds: number;
  readonly diskDelta: number;
  readonly rssDelta: number;
  readonly rssPeak: number;
  /** CPU seconds the node spent in the window. */
  readonly cpu: number;
  readonly samples: readonly StatusSample[];
  readonly p99: number;
  /** Status requests that failed or timed out. */
  readonly failed: number;
}

/**
 * Runs `step` while polling the node's status and sampling its VmRSS every 50 ms; disk and RSS are read
 * before, and after `settleMs` once the step has returned (what the node keeps, not what is in flight).
 */
export async function measure<T>(
  node: NodeProcess,
  step: () => Promise<T>,
  settleMs = 1000,
): Promise<{ result: T; window: Window }> {
  const disk0 = diskBytes(node.dataDir);
  const rss0 = rssBytes(node.pid);
  const cpu0 = cpuSeconds(node.pid);
  let rssPeak = rss0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssBytes(node.pid));
  }, 50);
  const poller = startStatusPoller(node.url);
  const t0 = performance.now();
  let result: T;
  try {
    result = await step();
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - t0) / 1000;
  const samples = await poller.stop();
  const rss1 = rssBytes(node.pid);
  return {
    result,
    window: {
      seconds,
      diskDelta: diskBytes(node.dataDir) - disk0,
      rssDelta: rss1 - rss0,
      rssPeak: Math.max(rssPeak, rss1),
      cpu: cpuSeconds(node.pid) - cpu0,
      samples,
      p99: latencyPercentile(samples, 99),
      failed: samples.filter((s) => !s.ok).length,
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
