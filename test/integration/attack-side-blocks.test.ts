// Attack: a peer gossips big side blocks forking from genesis on the dev network, where blocks 20 s
// apart keep the network's easiest bits (~65k hashes a block). The victim (height 30)
// must store none of them (the first is below the storage window: low-work; the rest have no stored
// parent: orphans, held in memory within their bounds), and relay none of them to its other peer.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockHash } from '../../src/core/block.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { genesisBlock } from '../../src/core/genesis.js';
import { NETWORKS } from '../../src/core/params.js';
import { bulkyBlock } from '../support/bulky-blocks.js';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type NodeProcess,
  startNode,
  waitFor,
  waitForHeight,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const dev = NETWORKS.dev;
const SIDE_BLOCKS = 40;
const FILL = 950_000;

/** Bytes of every file under `dir`. */
function diskUsage(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? diskUsage(path) : statSync(path).size;
  }
  return total;
}

describe('side blocks far below the tip, gossiped by one peer', () => {
  let victim: NodeProcess;
  let other: NodeProcess;
  let hostile: HostilePeer | undefined;
  const side: Array<{ hash: string; bytes: Uint8Array }> = [];

  beforeAll(async () => {
    victim = await startNode({ network: 'dev', args: ['--min-peers', '0'] });
    const status = await getJson(victim.url, '/api/v1/status');
    other = await startNode({ network: 'dev', args: ['--peer', status.p2p.addrs[0], '--min-peers', '0'] });
    // The victim's chain: 30 blocks 20 s apart, so dev's early retarget keeps the easiest bits (mined
    // here in a moment, where the node's miner, honestly timed, would raise the difficulty).
    const genesisBlockOfDev = genesisBlock(dev);
    let tip = blockHash(genesisBlockOfDev);
    for (let i = 1; i <= 30; i++) {
      const own = bulkyBlock({
        params: dev,
        prevHash: tip,
        height: i,
        time: genesisBlockOfDev.header.time + 20 * i + 7,
        bits: dev.powLimitBits,
        fill: 0,
        seed: 10_000 + i,
      });
      const r = await api(victim.url).post('/api/v1/blocks', { hex: Buffer.from(own.bytes).toString('hex') });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      tip = blockHash(own.block);
    }
    await waitForHeight(other.url, 30, 30_000);

    // The attacker's branch: from genesis, 20 s apart (so the retarget keeps the easiest bits).
    const started = Date.now();
    const genesis = genesisBlock(dev);
    let prevHash = blockHash(genesis);
    for (let i = 1; i <= SIDE_BLOCKS; i++) {
      const time = genesis.header.time + 20 * i;
      const b = bulkyBlock({
        params: dev,
        prevHash,
        height: i,
        time,
        bits: dev.powLimitBits,
        fill: FILL,
        seed: i,
      });
      prevHash = blockHash(b.block);
      side.push({ hash: toHex(prevHash), bytes: b.bytes });
    }
    console.log(`built ${SIDE_BLOCKS} side blocks of ~${FILL} bytes in ${Date.now() - started} ms`);
  }, 120_000);

  afterAll(async () => {
    await hostile?.stop();
  });

  it('stores none of them and relays none', async () => {
    const genesisHash = (await getJson(victim.url, '/api/v1/status')).genesis;
    const status = await getJson(victim.url, '/api/v1/status');
    const tipBefore = status.tip;
    const diskBefore = { victim: diskUsage(victim.dataDir), other: diskUsage(other.dataDir) };

    hostile = await startHostilePeer('dev', genesisHash);
    // Sync requests (an orphan makes the victim ask its sender) get an empty answer.
    await hostile.command('serve', { mode: 'headers', headers: [] });
    const connected = await hostile.command('connect', { addr: status.p2p.addrs[0] });
    expect(connected.ok, JSON.stringify(connected)).toBe(true);
    const sent: string[][] = [];
    for (const b of side) {
      const hex = Buffer.from(b.bytes).toString('hex');
      sent.push((await hostile.command('gossip', { topic: 'blocks', hex })).recipients);
    }
    expect(sent[0]).toContain(connected.peer);
    // Blocks from one peer are judged in order: once a last, honest block on the victim's tip is
    // connected, all the side blocks before it were judged.
    const tipBlock = await getJson(victim.url, `/api/v1/blocks/${tipBefore}`);
    const marker = bulkyBlock({
      params: dev,
      prevHash: fromHex(tipBefore),
      height: tipBlock.height + 1,
      time: tipBlock.time + 1,
      bits: Number.parseInt(tipBlock.bits, 16),
      fill: 0,
      seed: 0,
    });
    const markerHash = toHex(blockHash(marker.block));
    await hostile.command('gossip', { topic: 'blocks', hex: Buffer.from(marker.bytes).toString('hex') });
    await waitFor(
      async () => (await getJson(victim.url, '/api/v1/status')).tip === markerHash,
      'the victim to judge the side blocks and connect the block after them',
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    const tree = await getJson(victim.url, '/api/v1/chain/tree');
    // Orphans of one peer: 8 at most, in memory only.
    expect(tree.orphans.length).toBeLessThanOrEqual(8);
    for (const b of side) {
      expect((await api(victim.url).get(`/api/v1/blocks/${b.hash}`)).status).toBe(404);
      expect((await api(other.url).get(`/api/v1/blocks/${b.hash}`)).status).toBe(404);
    }
    expect((await getJson(other.url, '/api/v1/chain/tree')).orphans).toEqual([]);

    const growth = {
      victim: diskUsage(victim.dataDir) - diskBefore.victim,
      other: diskUsage(other.dataDir) - diskBefore.other,
    };
    console.log(`disk growth: victim ${growth.victim} bytes, other ${growth.other} bytes`);
    // Without the storage policy each block costs ~0.95 MB on both nodes.
    expect(growth.victim).toBeLessThan(3_000_000);
    expect(growth.other).toBeLessThan(3_000_000);

    // The honest block after them was relayed: relay works, it just carried none of the side blocks.
    await waitFor(
      async () => (await getJson(other.url, '/api/v1/status')).tip === markerHash,
      'the other node to get the honest block',
      { timeoutMs: 20_000 },
    );
  }, 90_000);
});
