// Blocks through gossip, the measured node's intake alone: a light libp2p peer (the bare host of
// test/support/hostile-peer.ts: TCP, Noise, Yamux, gossipsub, the status handshake) publishes each
// block on the blocks topic without verifying it, paced by the node's own announcements.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../src/core/bytes.js';
import { startHostilePeer } from '../../test/support/hostile-driver.js';
import { type FeedOptions, type FeedRun, monotonicMicros, watchHeights, withNode } from './live-feed.js';
import { getJson } from './node-process.js';
import { txCountOf } from './spend-chain.js';

/**
 * Blocks published but not yet announced, at most. A relaying peer sends each block as soon as it has
 * it; the node looks at 2 blocks at once per peer (LIMITS.gossipBlockValidationsPerPeer) and ignores
 * what comes beyond. With 2 in flight the next block is already there when the node finishes one, so
 * the round trip (event stream → bench → peer → libp2p) overlaps the node's work instead of adding to
 * it; the node frees a block's slot right after it connects, well before its announcement comes back
 * as the next publish. An ignored block would stall the feed: it fails the run, saying so.
 */
export const GOSSIP_IN_FLIGHT = Number(process.env.BENCH_LIVE_GOSSIP_IN_FLIGHT ?? 2);

/** The longest one block may take from its publication to its announcement. */
const BLOCK_TIMEOUT_MS = 30_000;

/**
 * A fresh node process fed by a light peer that dials it and publishes the blocks (loaded once from a
 * file, published by index: no 39 kB body per control request). The clock runs from the first timed
 * publication until the node announces the last block on its event stream.
 */
export async function importOverGossip(blocks: readonly Uint8Array[], opts: FeedOptions): Promise<FeedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'hashline-bench-gossip-'));
  const file = join(dir, 'blocks.hex');
  writeFileSync(file, blocks.map((b) => toHex(b)).join('\n'));
  try {
    return await withNode({ nodeArgs: opts.nodeArgs }, async (node) => {
      const status = await getJson<{
        network: string;
        genesis: string;
        p2p: { addrs: string[]; peerId: string };
      }>(`${node.url}/api/v1/status`);
      const peer = await startHostilePeer(status.network, status.genesis);
      const heights = await watchHeights(node);
      try {
        await peer.command('load-blocks', { path: file });
        const addr = status.p2p.addrs.find((a) => a.includes('/127.0.0.1/')) ?? status.p2p.addrs[0]!;
        const connected = await peer.command('connect', {
          addr: addr.includes('/p2p/') ? addr : `${addr}/p2p/${status.p2p.peerId}`,
        });
        if (!connected.ok) throw new Error(`the light peer could not connect: ${JSON.stringify(connected)}`);
        const publish = async (index: number) => {
          const r = await peer.command<{ recipients: number }>('gossip-loaded', { index });
          if (r.recipients < 1) throw new Error(`block ${index + 1} reached no peer`);
        };
        // Block i is at height i + 1.
        for (let i = 0; i < opts.setup; i++) {
          await publish(i);
          await heights.reached(i + 1, BLOCK_TIMEOUT_MS);
        }
        const sentAt: number[] = [];
        let txs = 0;
        const from = monotonicMicros();
        const start = performance.now();
        for (let i = opts.setup; i < blocks.length; i++) {
          if (i - GOSSIP_IN_FLIGHT >= opts.setup)
            await heights.reached(i - GOSSIP_IN_FLIGHT + 1, BLOCK_TIMEOUT_MS);
          sentAt[i] = performance.now();
          await publish(i);
          txs += txCountOf(blocks[i]!) - 1;
        }
        const end = await heights.reached(blocks.length, BLOCK_TIMEOUT_MS);
        const window = { from, to: monotonicMicros() };
        const latencies: number[] = [];
        for (let i = opts.setup; i < blocks.length; i++)
          latencies.push((await heights.reached(i + 1, 0)) - sentAt[i]!);
        return { txs, seconds: (end - start) / 1000, latencies, window };
      } finally {
        heights.close();
        await peer.stop();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
