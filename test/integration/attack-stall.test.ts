// A peer that claims huge chain work and answers each sync request just under its timeout with one
// block must not hold up a node that has an honest peer: the victim (regtest, height 10) catches up
// to the honest peer (height 30) at the honest peer's speed, and the staller is disconnected. Before
// the parallel download with its stall timeout, the victim sat at height 10 for about 150 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  type NodeProcess,
  startNode,
  waitFor,
} from '../support/node-process.js';
import { BURN_ADDRESS, type BuiltBlock, buildBlock } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

const HONEST_HEIGHT = 30;
const VICTIM_HEIGHT = 10;
/** Each of the staller's answers waits this long: under the node's headers (20 s) and blocks (60 s) timeouts. */
const STALL_DELAY_MS = 15_000;
/** The victim must reach the honest tip within this (it took 150 s before). */
const CATCH_UP_MS = 30_000;

/** A regtest chain of `count` blocks on genesis, built here so that every process can be given it. */
function chainOn(genesis: string, count: number): BuiltBlock[] {
  const blocks: BuiltBlock[] = [];
  const start = Math.floor(Date.now() / 1000) - 3600;
  let parent = genesis;
  for (let height = 1; height <= count; height++) {
    const block = buildBlock({
      parentHash: parent,
      height,
      time: start + height,
      minerAddress: BURN_ADDRESS,
    });
    blocks.push(block);
    parent = block.hash;
  }
  return blocks;
}

async function submitAll(node: NodeProcess, blocks: BuiltBlock[]): Promise<void> {
  for (const block of blocks) {
    const res = await api(node.url).post('/api/v1/blocks', { hex: block.hex });
    expect(res.status, res.text).toBe(201);
  }
}

describe('a peer that stalls the sync', () => {
  let honest: NodeProcess;
  let victim: NodeProcess;
  let staller: HostilePeer;
  let blocks: BuiltBlock[];

  beforeAll(async () => {
    honest = await startNode({ args: ['--min-peers', '0'] });
    victim = await startNode({ args: ['--min-peers', '0'] });
    const genesis: string = (await getJson(honest.url, '/api/v1/status')).genesis;
    blocks = chainOn(genesis, HONEST_HEIGHT);
    await submitAll(honest, blocks);
    await submitAll(victim, blocks.slice(0, VICTIM_HEIGHT));
    staller = await startHostilePeer('regtest', genesis);
  }, 90_000);

  afterAll(async () => {
    await staller?.stop();
  });

  it('catches up from the honest peer at its speed and disconnects the staller', async () => {
    const tip = blocks.at(-1)!;
    // The staller has the honest chain, claims far more work than it, and serves it slowly.
    await staller.command('serve', {
      mode: 'slow',
      delayMs: STALL_DELAY_MS,
      blocks: blocks.map((b) => b.hex),
    });
    const victimStatus = await getJson(victim.url, '/api/v1/status');
    const connected = await staller.command<Json>('connect', { addr: victimStatus.p2p.addrs[0] });
    expect(connected.ok, JSON.stringify(connected)).toBe(true);
    await staller.command('announce', {
      height: 1_000_000,
      tipHash: tip.hash,
      chainWork: (10n ** 30n).toString(),
    });
    // The victim asks the staller first; then the honest peer joins.
    await waitFor(
      async () => ((await staller.command<Json>('state')).requests as string[]).length > 0 || undefined,
      'the victim to ask the staller',
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    const honestAddr: string = (await getJson(honest.url, '/api/v1/status')).p2p.addrs[0];
    const started = Date.now();
    const added = await api(victim.url).post('/api/v1/peers', { address: honestAddr });
    expect(added.status, added.text).toBe(201);

    await waitFor(
      async () => ((await getJson(victim.url, '/api/v1/status')).tip === tip.hash ? true : undefined),
      `the victim to reach height ${HONEST_HEIGHT}`,
      { timeoutMs: CATCH_UP_MS, intervalMs: 100 },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(CATCH_UP_MS / 1000);

    // The staller held up the window and was disconnected.
    await waitFor(
      async () => ((await staller.command<Json>('state')).connections as string[]).length === 0 || undefined,
      'the staller to be disconnected',
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const peers: { id: string }[] = (await getJson(victim.url, '/api/v1/peers')).peers;
    expect(peers.map((p) => p.id)).not.toContain(staller.peerId);
    expect(victim.logs()).toMatch(/stalled the block download/);
  }, 90_000);
});
