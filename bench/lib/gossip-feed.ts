// Blocks through gossip, the measured node's intake alone: a light libp2p peer (the bare host of
// test/support/hostile-peer.ts: TCP, Noise, Yamux, gossipsub, the status handshake) publishes each
// block on the blocks topic without verifying it, paced by the node's own event stream
// (test/support/block-relay.ts); the bench process only waits while it runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../src/core/bytes.js';
import { type HostilePeer, startHostilePeer } from '../../test/support/hostile-driver.js';
import { type FeedOptions, type FeedRun, withNode } from './live-feed.js';
import { getJson } from './node-process.js';
import type { ProfileWindow } from './profile.js';
import { txCountOf } from './spend-chain.js';

/**
 * Blocks published but not yet announced, at most. A relaying peer sends each block as soon as it has
 * it; the node looks at 2 blocks at once per peer (LIMITS.gossipBlockValidationsPerPeer) and ignores
 * what comes beyond. With 2 in flight the next block is already there when the node finishes one, so
 * the round trip (event stream → peer → libp2p) overlaps the node's work instead of adding to it; the
 * node frees a block's slot as soon as it is connected, before its announcement can come back as the
 * next block. An ignored block would stall the feed: the run then fails, saying so.
 */
export const GOSSIP_IN_FLIGHT = Number(process.env.BENCH_LIVE_GOSSIP_IN_FLIGHT ?? 2);

/** The longest one block may take from its publication to its announcement. */
const BLOCK_TIMEOUT_MS = 30_000;

interface Relayed {
  readonly seconds: number;
  readonly latencies: number[];
  readonly window: ProfileWindow;
}

/**
 * A fresh node process fed by a light peer that dials it and publishes the blocks. The clock runs from
 * the first timed publication until the node announces the last block on its event stream.
 */
export async function importOverGossip(
  blocks: readonly Uint8Array[],
  opts: FeedOptions,
  inFlight = GOSSIP_IN_FLIGHT,
): Promise<FeedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'hashline-bench-gossip-'));
  const file = join(dir, 'blocks.hex');
  writeFileSync(file, blocks.map((b) => toHex(b)).join('\n'));
  try {
    return await withNode({ nodeArgs: opts.nodeArgs }, async (node) => {
      const peer = await connectedPeer(node.url);
      try {
        await peer.command('load-blocks', { path: file });
        const relay = (from: number, to: number, window: number) =>
          peer.command<Relayed>(
            'relay-loaded',
            { from, to, firstHeight: 1, inFlight: window, events: node.url, timeoutMs: BLOCK_TIMEOUT_MS },
            (to - from) * BLOCK_TIMEOUT_MS,
          );
        await relay(0, opts.setup, 1);
        const cpuBefore = node.cpuSeconds();
        const run = await relay(opts.setup, blocks.length, inFlight);
        const nodeCpuSeconds = node.cpuSeconds() - cpuBefore;
        let txs = 0;
        for (let i = opts.setup; i < blocks.length; i++) txs += txCountOf(blocks[i]!) - 1;
        return { txs, seconds: run.seconds, latencies: run.latencies, window: run.window, nodeCpuSeconds };
      } finally {
        await peer.stop();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A light peer on the node's network, connected to it (status exchanged, gossip subscriptions seen). */
async function connectedPeer(nodeUrl: string): Promise<HostilePeer> {
  const status = await getJson<{
    network: string;
    genesis: string;
    p2p: { addrs: string[]; peerId: string };
  }>(`${nodeUrl}/api/v1/status`);
  const peer = await startHostilePeer(status.network, status.genesis);
  const addr = status.p2p.addrs.find((a) => a.includes('/127.0.0.1/')) ?? status.p2p.addrs[0]!;
  const connected = await peer.command('connect', {
    addr: addr.includes('/p2p/') ? addr : `${addr}/p2p/${status.p2p.peerId}`,
  });
  if (connected.ok) return peer;
  await peer.stop();
  throw new Error(`the light peer could not connect: ${JSON.stringify(connected)}`);
}
