// Attack: many peer ids from one address connect and leave. gossipsub remembers a departed peer's
// address for an hour, and by default, once more than 10 peer ids share an address, it scores every
// peer there below its graylist: all their gossip is dropped unread. On a devnet every node is on
// 127.0.0.1, so 16 throwaway peer ids would mute the honest nodes too (blocks then crawl through
// status-triggered sync). The node whitelists loopback and its --local-subnet ranges for that
// penalty (src/p2p/gossip-scoring.ts): after the churn, blocks still arrive by gossip within seconds.
//
// Two honest senders: the hostile-peer harness, which claims no chain work (so the victim has no
// reason to sync from it: only gossip can deliver its block), and a real node that mines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  startNode,
  waitFor,
  waitForHeight,
} from '../support/node-process.js';
import { BURN_ADDRESS, buildBlock } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

/** The node's JSON log lines with this message. */
function logsWith(node: NodeProcess, msg: string): Json[] {
  const out: Json[] = [];
  for (const line of node.logs().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line);
      if (entry.msg === msg) out.push(entry);
    } catch {
      // a partial line
    }
  }
  return out;
}

const CHURNED_IDS = 16;

describe('peer ids churning on one address', () => {
  let victim: NodeProcess;
  let honest: NodeProcess;
  let gossiper: HostilePeer;
  let victimAddr: string;

  beforeAll(async () => {
    victim = await startNode({ args: ['--min-peers', '0'], logLevel: 'debug' });
    const status = await getJson(victim.url, '/api/v1/status');
    victimAddr = status.p2p.addrs[0];
    honest = await startNode({ args: ['--peer', victimAddr, '--min-peers', '0'] });
    await mine(victim.url, 2);
    await waitForHeight(honest.url, 2, 30_000);
    gossiper = await startHostilePeer('regtest', status.genesis);
    const connected = await gossiper.command('connect', { addr: victimAddr });
    expect(connected, JSON.stringify(connected)).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    await gossiper?.stop();
  });

  it(`after ${CHURNED_IDS} peer ids came and went, gossip from loopback still reaches the node in seconds`, async () => {
    const churn = await gossiper.command('churn', { addr: victimAddr, count: CHURNED_IDS });
    expect(churn).toMatchObject({ ok: true, churned: CHURNED_IDS });

    // A block only gossip can bring: the sender claims no work, so the victim never syncs from it.
    const tip = await getJson(victim.url, '/api/v1/status');
    const block = buildBlock({
      parentHash: tip.tip,
      height: tip.height + 1,
      time: Math.floor(Date.now() / 1000),
      minerAddress: BURN_ADDRESS,
    });
    const sent = await gossiper.command('gossip', { topic: 'blocks', hex: block.hex });
    expect(sent.recipients.length).toBeGreaterThan(0);
    await waitFor(
      async () => (await getJson(victim.url, '/api/v1/status')).tip === block.hash,
      "the gossiper's block at the victim",
      { timeoutMs: 10_000, intervalMs: 50 },
    );

    // A block the honest node mines arrives by gossip too (not by the sync its status would start).
    await waitForHeight(honest.url, tip.height + 1, 10_000);
    const [mined] = await mine(honest.url, 1);
    await waitFor(
      () => logsWith(victim, 'gossiped block').some((l) => l.hash === mined && l.status === 'accepted'),
      "the honest node's block at the victim by gossip",
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect((await getJson(victim.url, '/api/v1/status')).tip).toBe(mined);
  });
});
