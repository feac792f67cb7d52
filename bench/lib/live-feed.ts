// Feeding a node process blocks one at a time, as users do: an independent client posting each block
// over the API (JSON hex, or the bytes as application/octet-stream) and waiting for its answer; a light
// libp2p peer publishing each block on the blocks topic (gossip-feed.ts); or a second node process
// taking them over the API and relaying each to the measured node over libp2p.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../src/core/bytes.js';
import { watchHeights } from '../../test/support/event-heights.js';
import { getJson, type NodeProcess, startNode } from './node-process.js';
import { monotonicMicros, type ProfileWindow } from './profile.js';
import { txCountOf } from './spend-chain.js';

export type BodyForm = 'json' | 'bytes';

export interface FeedRun {
  readonly txs: number;
  readonly seconds: number;
  /** Milliseconds from sending a block to its answer (API) or announcement (gossip), per timed block. */
  readonly latencies: readonly number[];
  /** The timed span on the monotonic clock, in microseconds (for the measured node's CPU profile). */
  readonly window: ProfileWindow;
  /** CPU seconds of the measured node process (all its threads) over the timed blocks. */
  readonly nodeCpuSeconds?: number;
  /** Relaying node only: seconds the feeder took to accept the timed blocks (the pace it relayed them at). */
  readonly feederSeconds?: number;
}

export interface FeedOptions {
  /** Blocks posted before the clock starts (they fund the payments). */
  readonly setup: number;
  /** Options of node for the measured node process (a CPU profile: --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

/** One POST /api/v1/blocks of the block's bytes; throws unless it connected. */
async function postBytes(node: NodeProcess, block: Uint8Array, height: number): Promise<void> {
  const { status } = await getJson<{ status: string }>(`${node.url}/api/v1/blocks`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: block as Uint8Array<ArrayBuffer>,
  });
  if (status !== 'connected') throw new Error(`block ${height} over the API: ${status}`);
}

export async function withNode<T>(
  opts: { nodeArgs?: readonly string[]; peers?: readonly string[] },
  body: (node: NodeProcess) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hashline-bench-live-'));
  const node = await startNode({ dataDir, ...opts });
  try {
    return await body(node);
  } finally {
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A fresh node process; an independent client posts each block and waits for its answer. */
export function importOverApi(
  blocks: readonly Uint8Array[],
  form: BodyForm,
  opts: FeedOptions,
): Promise<FeedRun> {
  return withNode({ nodeArgs: opts.nodeArgs }, async (node) => {
    // The JSON bodies are written beforehand: the client's own work is not the node's.
    const bodies = blocks.map((b) => (form === 'json' ? JSON.stringify({ hex: toHex(b) }) : b));
    const post = async (i: number) => {
      const { status } = await getJson<{ status: string }>(`${node.url}/api/v1/blocks`, {
        method: 'POST',
        headers: { 'content-type': form === 'json' ? 'application/json' : 'application/octet-stream' },
        body: bodies[i] as string | Uint8Array<ArrayBuffer>,
      });
      if (status !== 'connected') throw new Error(`block ${i + 1} over the API: ${status}`);
    };
    for (let i = 0; i < opts.setup; i++) await post(i);
    const latencies: number[] = [];
    let txs = 0;
    const from = monotonicMicros();
    const cpuBefore = node.cpuSeconds();
    const start = performance.now();
    for (let i = opts.setup; i < blocks.length; i++) {
      const sent = performance.now();
      await post(i);
      latencies.push(performance.now() - sent);
      txs += txCountOf(blocks[i]!) - 1;
    }
    const seconds = (performance.now() - start) / 1000;
    const nodeCpuSeconds = node.cpuSeconds() - cpuBefore;
    const window = { from, to: monotonicMicros() };
    return { txs, seconds, latencies, window, nodeCpuSeconds };
  });
}

/**
 * Blocks relayed by a full node: a feeder node process takes each block over the API (bytes) and relays
 * it to the measured node, its peer, over libp2p. The clock runs from the first timed block sent to the
 * feeder until the measured node announces the last one. The two processes share the machine, and each
 * verifies every block: this measures the pair, at the slower one's pace.
 */
export async function importThroughRelayingNode(
  blocks: readonly Uint8Array[],
  opts: FeedOptions,
): Promise<FeedRun> {
  return withNode({}, async (feeder) => {
    const { p2p } = await feeder.status();
    const addr = p2p.addrs.find((a) => a.includes('/127.0.0.1/')) ?? p2p.addrs[0]!;
    const peer = addr.includes('/p2p/') ? addr : `${addr}/p2p/${p2p.peerId}`;
    return withNode({ nodeArgs: opts.nodeArgs, peers: [peer] }, async (measured) => {
      await peered(measured);
      const heights = await watchHeights(measured.url);
      try {
        for (let i = 0; i < opts.setup; i++) await postBytes(feeder, blocks[i]!, i + 1);
        await heights.reached(opts.setup, 60_000);
        let txs = 0;
        const from = monotonicMicros();
        const start = performance.now();
        for (let i = opts.setup; i < blocks.length; i++) {
          await postBytes(feeder, blocks[i]!, i + 1);
          txs += txCountOf(blocks[i]!) - 1;
        }
        const feederSeconds = (performance.now() - start) / 1000;
        const end = await heights.reached(blocks.length, 300_000);
        const window = { from, to: monotonicMicros() };
        return { txs, seconds: (end - start) / 1000, latencies: [], window, feederSeconds };
      } finally {
        heights.close();
      }
    });
  });
}

/** Waits (at most 30 s) until the measured node has dialled the feeder (given by --peer). */
async function peered(node: NodeProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await node.status()).peers < 1) {
    if (Date.now() > deadline) throw new Error('the measured node did not connect to the feeder in 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
