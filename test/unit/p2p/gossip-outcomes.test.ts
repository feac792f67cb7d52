// What gossip does with each outcome the chain gives, and its bounds: a side block is not relayed,
// a low-work block costs its sender points, a block from the future costs nothing, mutated copies of
// one header are looked at twice at most, and validations in flight per peer are capped (the rest
// Ignored without reaching the chain).
import { afterEach, describe, expect, it } from 'vitest';
import { blockHashOf } from '../../../src/p2p/header.js';
import type { P2PNetwork } from '../../../src/p2p/network.js';
import { LIMITS } from '../../../src/p2p/protocol.js';
import { MAX_SCORE, PENALTY } from '../../../src/p2p/scoring.js';
import type { SubmitResult } from '../../../src/p2p/types.js';
import { FakeChain, makeTx } from './fake-chain.js';
import { connect, Nodes, waitFor, waitForMesh } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

/** A FakeChain whose answers a test may script, and whose submissions it may hold at a gate. */
class ScriptedChain extends FakeChain {
  script?: (bytes: Uint8Array) => SubmitResult | undefined;
  gate?: Promise<void>;
  txGate?: Promise<void>;
  inflight = 0;
  txInflight = 0;

  override async submitBlock(bytes: Uint8Array, fromPeer?: string): Promise<SubmitResult> {
    this.inflight++;
    try {
      await this.gate;
      const scripted = this.script?.(bytes);
      if (!scripted) return await super.submitBlock(bytes, fromPeer);
      this.submissions.push({ hash: blockHashOf(bytes), from: fromPeer, status: scripted.status });
      return scripted;
    } finally {
      this.inflight--;
    }
  }

  override async submitTx(bytes: Uint8Array, fromPeer?: string): Promise<SubmitResult> {
    this.txInflight++;
    try {
      await this.txGate;
      return await super.submitTx(bytes, fromPeer);
    } finally {
      this.txInflight--;
    }
  }
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A — B — C, all sharing 5 blocks; B's chain is scripted. */
async function line(): Promise<{ chains: FakeChain[]; chainB: ScriptedChain; a: P2PNetwork; b: P2PNetwork }> {
  const chainB = new ScriptedChain();
  const chains = [new FakeChain(), chainB, new FakeChain()];
  for (const chain of chains) chain.extend(5);
  const [a, b, c] = [await nodes.start(chains[0]!), await nodes.start(chainB), await nodes.start(chains[2]!)];
  await connect(b, a);
  await connect(c, b);
  await waitForMesh(a, b);
  await waitForMesh(b, c);
  return { chains, chainB, a, b };
}

/** Sends a good block A—B—C; once C has it, anything A sent before would have reached C too. */
async function marker(chains: FakeChain[], a: P2PNetwork): Promise<void> {
  const block = chains[0]!.nextBlock('marker');
  await chains[0]!.submitBlock(block);
  await a.publishBlock(block);
  await waitFor(() => chains[2]!.hasBlock(blockHashOf(block)), 'the marker block at C');
}

const scoreAt = (net: P2PNetwork, id: string) => net.peers().find((p) => p.id === id)?.score;

describe('gossip outcomes', () => {
  it('a block that became a side block is not relayed, and costs nothing', async () => {
    const { chains, chainB, a, b } = await line();
    const side = chains[0]!.nextBlock('side');
    const sideHash = blockHashOf(side);
    chainB.script = (bytes) =>
      blockHashOf(bytes) === sideHash ? { status: 'accepted', tip: false } : undefined;
    await a.publishBlock(side);
    await waitFor(() => chainB.submissions.some((s) => s.hash === sideHash), 'B to see the side block');
    chainB.script = undefined;
    await marker(chains, a);
    expect(chains[2]!.submissions.some((s) => s.hash === sideHash)).toBe(false);
    expect(scoreAt(b, a.peerId)).toBe(MAX_SCORE);
  });

  it('a low-work block costs its sender points and is not relayed; a block from the future costs nothing', async () => {
    const { chains, chainB, a, b } = await line();
    const low = chains[0]!.nextBlock('low');
    const future = chains[0]!.nextBlock('future');
    chainB.script = (bytes) => {
      const hash = blockHashOf(bytes);
      if (hash === blockHashOf(low)) return { status: 'low-work' };
      if (hash === blockHashOf(future)) return { status: 'invalid', code: 'time-too-new' };
      return undefined;
    };
    await a.publishBlock(future);
    await waitFor(() => chainB.submissions.length === 1, 'B to see the block from the future');
    await a.publishBlock(low);
    await waitFor(() => scoreAt(b, a.peerId) === MAX_SCORE - PENALTY.lowWork, 'the low-work penalty');
    chainB.script = undefined;
    await marker(chains, a);
    expect(scoreAt(b, a.peerId)).toBe(MAX_SCORE - PENALTY.lowWork);
    expect(chains[2]!.submissions.map((s) => s.hash)).not.toContain(blockHashOf(low));
    expect(chains[2]!.submissions.map((s) => s.hash)).not.toContain(blockHashOf(future));
  });

  it('mutated copies of one header: each costs 10, and after 2 further copies are not looked at', async () => {
    const { chains, chainB, a, b } = await line();
    const block = chains[0]!.nextBlock('copied');
    const hash = blockHashOf(block);
    const copies = [1, 2, 3, 4].map((i) => {
      const copy = new Uint8Array(block.length + 1);
      copy.set(block);
      copy[block.length] = i; // a body that no longer matches the header's commitment
      return copy;
    });
    for (const copy of copies) await a.publishBlock(copy);
    await waitFor(() => chainB.submissions.filter((s) => s.hash === hash).length === 2, 'two copies at B');
    await marker(chains, a);
    expect(chainB.submissions.filter((s) => s.hash === hash)).toHaveLength(2);
    expect(b.peers().find((p) => p.id === a.peerId)).toMatchObject({
      score: MAX_SCORE - 2 * PENALTY.mutatedBlock,
      malleated: 2,
    });
    // The honest copy is still welcome once it comes.
    await chains[0]!.submitBlock(block);
    expect(await chainB.submitBlock(block)).toMatchObject({ status: 'accepted' });
  });

  it("Rejects count in gossipsub's own score of the sender: enough of them and it is graylisted", async () => {
    const { chains, a, b } = await line();
    expect(b.gossipScore(a.peerId)).toBeGreaterThanOrEqual(0);
    await a.publishBlock(chains[0]!.nextBlock('evil0', true));
    await waitFor(() => b.gossipScore(a.peerId) < 0, 'a negative gossip score after one Reject');
    for (let i = 1; i < 5; i++) await a.publishBlock(chains[0]!.nextBlock(`evil${i}`, true));
    // Five Rejects: -10 × 0.5 × 25 = -125, below the graylist threshold (-80).
    await waitFor(() => b.gossipScore(a.peerId) < -80, 'a graylisting gossip score');
  });

  it('at most 2 block validations per peer are in flight; the rest are ignored unsubmitted', async () => {
    const { chains, chainB, a, b } = await line();
    const held = gate();
    chainB.gate = held.promise;
    const blocks = [1, 2, 3, 4, 5].map((i) => chains[0]!.nextBlock(`burst${i}`));
    for (const block of blocks) await a.publishBlock(block);
    // A transaction sent after them on the same connection: once B has it, B has seen the blocks.
    const tx = makeTx('after the blocks');
    await a.publishTx(tx);
    await waitFor(() => chainB.txs.size === 1, 'the transaction at B');
    expect(chainB.inflight).toBe(LIMITS.gossipBlockValidationsPerPeer);
    held.open();
    chainB.gate = undefined;
    await waitFor(() => chainB.inflight === 0, 'validations done');
    const burst = new Set(blocks.map(blockHashOf));
    expect(chainB.submissions.filter((s) => burst.has(s.hash))).toHaveLength(2);
    expect(scoreAt(b, a.peerId)).toBe(MAX_SCORE); // ignored, not held against it
  });

  it('at most 64 transaction validations per peer are in flight', async () => {
    const { chains, chainB, a } = await line();
    const held = gate();
    chainB.txGate = held.promise;
    for (let i = 0; i < 80; i++) await a.publishTx(makeTx(`burst ${i}`));
    // A block sent after them on the same connection: once B has it, B has seen the transactions.
    const block = chains[0]!.nextBlock('after the txs');
    await a.publishBlock(block);
    await waitFor(() => chainB.hasBlock(blockHashOf(block)), 'the block at B');
    expect(chainB.txInflight).toBe(LIMITS.gossipTxValidationsPerPeer);
    held.open();
    await waitFor(() => chainB.txInflight === 0, 'validations done');
    expect(chainB.txs.size).toBe(LIMITS.gossipTxValidationsPerPeer);
  });
});
