// Node processes on separate hosts for the sync bench: Linux network namespaces joined by a bridge
// (test/support/netns.ts; needs root). Serving nodes start on copies of a generated store; a fresh node
// syncs from some of them and its height is polled until it holds the whole chain. A serving node's
// link can be made slow with `tc qdisc … tbf` on its side of the cable: a real node behind a slow
// network, not a node told to answer slowly.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type NetLab, type NsNode, startNsNode } from '../../test/support/netns.js';
import { type NodeStatus, readCpuSeconds } from './node-process.js';
import { monotonicMicros, type ProfileWindow } from './profile.js';

/** Give up when the height has not moved for this long. */
const STALL_MS = 60_000;
const POLL_MS = 100;

export interface SyncRun {
  ok: boolean;
  /** Height first seen above 0, and when (ms since the syncing node was spawned). */
  firstHeight: number;
  firstAt: number;
  doneAt: number;
  finalHeight: number;
  /** Peers the syncing node dropped for stalling its block download (from its log). */
  stalls: number;
  /** CPU seconds (all threads) from the first block seen to the last: the syncing node, the serving ones. */
  cpu: { node: number; servers: number };
  /** From the first block seen to the last, on the monotonic clock in µs (to find its CPU-profile samples). */
  window: ProfileWindow;
  failure?: string;
}

/**
 * `count` serving nodes, each on its own host with a copy of the chain in `storeDir` (of `height`
 * blocks), for the time of `body`. Fresh ones for each run: a node keeps the peers it met, and would
 * tell the next syncing node of a peer it was not given.
 */
export async function withServers<T>(
  lab: NetLab,
  storeDir: string,
  count: number,
  height: number,
  body: (servers: NsNode[]) => Promise<T>,
): Promise<T> {
  const servers: NsNode[] = [];
  try {
    const dataDirs = Array.from({ length: count }, () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'hashline-bench-sync-peer-'));
      cpSync(storeDir, path.join(dataDir, 'chain'), { recursive: true });
      return dataDir;
    });
    // Together: nothing is measured until all are up (each opens and checks its copy of the chain).
    const started = await Promise.allSettled(
      dataDirs.map((dataDir) => startNsNode(lab.addHost(), { dataDir, readyTimeoutMs: 120_000 })),
    );
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (const server of servers) {
      const loaded = (await server.json('/api/v1/status')).height;
      if (loaded !== height) throw new Error(`a serving node loaded height ${loaded}, not ${height}`);
    }
    return await body(servers);
  } finally {
    await Promise.all(
      servers.map(async (server) => {
        await server.stop();
        rmSync(server.dataDir, { recursive: true, force: true });
      }),
    );
  }
}

/**
 * The server's outgoing link held to `mbit` megabits a second by a token bucket filter (tbf: netem, which
 * would add latency too, is a module kernels may lack). Packets wait up to 400 ms in its queue.
 */
export function slowLink(server: NsNode, mbit: number): void {
  const shape = ['tbf', 'rate', `${mbit}mbit`, 'burst', '32kbit', 'latency', '400ms'];
  tc(server, ['qdisc', 'replace', 'dev', 'eth0', 'root', ...shape]);
}

function tc(server: NsNode, args: readonly string[]): void {
  execFileSync('ip', ['netns', 'exec', server.host.ns, 'tc', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh node on a new host of `lab`, given `peers` only, until its height reaches `blocks`. */
export async function syncFrom(
  lab: NetLab,
  peers: readonly NsNode[],
  blocks: number,
  /** Options of the syncing node's Node.js process (a CPU profile: --cpu-prof). */
  nodeArgs: readonly string[] = [],
): Promise<SyncRun> {
  const spawnedAt = performance.now();
  const node = await startNsNode(lab.addHost(), { peers: peers.map((p) => p.multiaddr), nodeArgs });
  try {
    const run = await waitForSync(node, peers, spawnedAt, blocks);
    return { ...run, stalls: node.logs().split('peer stalled the block download').length - 1 };
  } finally {
    await node.stop();
  }
}

async function waitForSync(
  node: NsNode,
  peers: readonly NsNode[],
  spawnedAt: number,
  blocks: number,
): Promise<Omit<SyncRun, 'stalls'>> {
  let firstHeight = 0;
  let firstAt = 0;
  let windowFrom = monotonicMicros();
  const cpuNow = () => ({
    node: readCpuSeconds(node.pid),
    servers: peers.reduce((sum, p) => sum + readCpuSeconds(p.pid), 0),
  });
  let cpuAtFirst = cpuNow();
  let lastHeight = -1;
  let lastMove = performance.now();
  for (;;) {
    const status = (await node.json('/api/v1/status')) as NodeStatus;
    const now = performance.now();
    if (status.height > 0 && firstAt === 0) {
      firstHeight = status.height;
      firstAt = now - spawnedAt;
      cpuAtFirst = cpuNow();
      windowFrom = monotonicMicros();
    }
    const cpuSince = () => {
      const cpu = cpuNow();
      return { node: cpu.node - cpuAtFirst.node, servers: cpu.servers - cpuAtFirst.servers };
    };
    if (status.height >= blocks) {
      const done = { firstHeight, firstAt, doneAt: now - spawnedAt, finalHeight: status.height };
      return { ok: true, ...done, cpu: cpuSince(), window: { from: windowFrom, to: monotonicMicros() } };
    }
    if (status.height !== lastHeight) {
      lastHeight = status.height;
      lastMove = now;
    } else if (now - lastMove > STALL_MS) {
      const peerList = await node.json('/api/v1/peers').catch((e: Error) => e.message);
      return {
        ok: false,
        firstHeight,
        firstAt,
        doneAt: now - spawnedAt,
        finalHeight: status.height,
        cpu: cpuSince(),
        window: { from: windowFrom, to: monotonicMicros() },
        failure:
          `stopped at height ${status.height} of ${blocks} for ${STALL_MS / 1000} s; ` +
          `sync=${JSON.stringify(status.sync)} peers=${status.peers}; /peers=${JSON.stringify(peerList)}; ` +
          `log: ${node.logs().trim().slice(-1500) || '(empty)'}; ` +
          `first peer's log: ${peers[0]?.logs().trim().slice(-800) || '(empty)'}`,
      };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
