// The hooks a class uses (src/classroom): a topic added at run time, judged by its owner, and the peer
// filter that sets peers apart (no blocks, transactions or sync with them) until it is lifted.
import { afterEach, describe, expect, it } from 'vitest';
import { blockHashOf } from '../../../src/p2p/header.js';
import type { P2PNetwork } from '../../../src/p2p/network.js';
import { LIMITS, protocolIds } from '../../../src/p2p/protocol.js';
import { MAX_SCORE, PENALTY } from '../../../src/p2p/scoring.js';
import { FakeChain } from './fake-chain.js';
import { connect, Nodes, waitFor, waitForMesh } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

const TOPIC = protocolIds('regtest').classTopic;
const utf8 = new TextEncoder();
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** Two connected nodes on the class topic; B's handler rejects messages starting with "bad". */
async function pair() {
  const chains = [new FakeChain(), new FakeChain()];
  for (const chain of chains) chain.extend(3);
  const [a, b] = [await nodes.start(chains[0]!), await nodes.start(chains[1]!)];
  const heard: string[] = [];
  a.addTopic(TOPIC, () => 'accept');
  b.addTopic(TOPIC, (data, from) => {
    heard.push(`${from}:${text(data)}`);
    return text(data).startsWith('bad') ? 'reject' : 'accept';
  });
  await connect(b, a);
  await waitForMesh(a, b);
  let n = 0;
  /** Publishes `body` (made unique) from A until B hears it: gossip in order on the connection, so a marker. */
  const say = async (body: string) => {
    const before = heard.length;
    await waitFor(async () => {
      await a.publishTopic(TOPIC, utf8.encode(`${body} ${n++}`));
      await new Promise((r) => setTimeout(r, 50));
      return heard.length > before;
    }, `B to hear "${body}"`);
  };
  return { chains, a, b, heard, say };
}

const scoreAt = (at: P2PNetwork, of: P2PNetwork) => at.peers().find((p) => p.id === of.peerId)?.score;

describe('added topics', () => {
  it("deliver messages to the owner's handler; a reject costs the sender points, an ignore nothing", async () => {
    const { a, b, heard, say } = await pair();
    await say('hello');
    expect(heard.at(-1)).toMatch(new RegExp(`^${a.peerId}:hello`));
    expect(scoreAt(b, a)).toBe(MAX_SCORE);
    await say('bad control');
    await waitFor(() => scoreAt(b, a) === MAX_SCORE - PENALTY.invalidMessage, 'the penalty');
  });

  it('are bounded, and only the class topic may be added', async () => {
    const { a } = await pair();
    await expect(a.publishTopic(TOPIC, new Uint8Array(LIMITS.maxTopicMessageBytes + 1))).rejects.toThrow(
      /too large/,
    );
    expect(() => a.addTopic('/hashline/regtest/other/1', () => 'accept')).toThrow(
      /not one this network may add/,
    );
  });
});

describe('the peer filter', () => {
  it('ignores a refused peer: its blocks are not imported and cost it nothing; lifting it syncs', async () => {
    const { chains, a, b, say } = await pair();
    b.setPeerFilter((peer) => peer !== a.peerId);
    const block = chains[0]!.nextBlock();
    await chains[0]!.submitBlock(block);
    await a.publishBlock(block);
    await say('marker'); // after the block on the same connection
    expect(chains[1]!.hasBlock(blockHashOf(block))).toBe(false);
    expect(chains[1]!.submissions.some((s) => s.from === a.peerId)).toBe(false);
    expect(scoreAt(b, a)).toBe(MAX_SCORE);
    // A peer that is not refused is heard as before: the filter is per peer.
    b.setPeerFilter(() => true);
    const next = chains[0]!.nextBlock();
    await chains[0]!.submitBlock(next);
    await a.publishBlock(next);
    await waitFor(
      () => chains[1]!.tip().hash === blockHashOf(next),
      'B to take the next block (and sync the first)',
    );
    b.setPeerFilter((peer) => peer !== a.peerId);
    chains[0]!.extend(2);
    a.announceStatus();
    await say('second marker');
    expect(chains[1]!.tip().hash).toBe(blockHashOf(next));
    b.setPeerFilter(null);
    await waitFor(
      () => chains[1]!.tip().hash === chains[0]!.tip().hash,
      'B to sync with A once the filter is lifted',
    );
    expect(scoreAt(b, a)).toBe(MAX_SCORE);
  });
});
