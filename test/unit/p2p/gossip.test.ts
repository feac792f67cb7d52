import { afterEach, describe, expect, it } from 'vitest';
import { blockHashOf } from '../../../src/p2p/header.js';
import type { P2PNetwork } from '../../../src/p2p/network.js';
import { PENALTY } from '../../../src/p2p/scoring.js';
import type { BanInfo } from '../../../src/p2p/types.js';
import { FakeChain, makeTx } from './fake-chain.js';
import { connect, Nodes, waitFor, waitForMesh } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

/** Three chains sharing a 5-block prefix, and a line of hosts A — B — C. */
async function line(): Promise<{ chains: FakeChain[]; a: P2PNetwork; b: P2PNetwork; c: P2PNetwork }> {
  const chains = [new FakeChain(), new FakeChain(), new FakeChain()];
  for (const chain of chains) chain.extend(5);
  const [a, b, c] = [
    await nodes.start(chains[0]),
    await nodes.start(chains[1]),
    await nodes.start(chains[2]),
  ];
  await connect(b, a);
  await connect(c, b);
  await waitForMesh(a, b);
  await waitForMesh(b, c);
  return { chains, a, b, c };
}

describe('gossip', () => {
  it('relays a block from A through B to C', async () => {
    const { chains, a, b } = await line();
    const block = chains[0].nextBlock();
    await chains[0].submitBlock(block);
    await a.publishBlock(block);
    const hash = blockHashOf(block);
    await waitFor(() => chains[1].hasBlock(hash) && chains[2].hasBlock(hash), 'block at B and C');
    expect(chains[1].submissions.find((s) => s.hash === hash)).toMatchObject({
      from: a.peerId,
      status: 'accepted',
    });
    // C is connected only to B, so B relayed it.
    expect(chains[2].submissions.find((s) => s.hash === hash)).toMatchObject({
      from: b.peerId,
      status: 'accepted',
    });
    expect(chains[2].tip().hash).toBe(hash);

    // A second block is the marker: once C has it, any echo of the first would have arrived.
    const marker = chains[0].nextBlock();
    await chains[0].submitBlock(marker);
    await a.publishBlock(marker);
    await waitFor(() => chains[2].hasBlock(blockHashOf(marker)), 'marker at C');
    for (const chain of chains) expect(chain.submissions.filter((s) => s.hash === hash)).toHaveLength(1);
  });

  it('does not resubmit a gossiped block the chain already has', async () => {
    const { chains, a } = await line();
    const known = chains[0].nextBlock();
    for (const chain of chains) chain.connectUnchecked(known); // e.g. B and C got it by sync
    await a.publishBlock(known);
    const marker = chains[0].nextBlock();
    await chains[0].submitBlock(marker);
    await a.publishBlock(marker);
    await waitFor(() => chains[2].hasBlock(blockHashOf(marker)), 'marker at C');
    expect(chains[1].submissions.map((s) => s.hash)).toEqual([blockHashOf(marker)]);
  });

  it('relays a transaction from A through B to C, once', async () => {
    const { chains, a, b } = await line();
    const tx = makeTx('pay bob 5');
    await a.publishTx(tx);
    await waitFor(() => chains[1].txs.size === 1 && chains[2].txs.size === 1, 'tx at B and C');
    expect([...chains[2].txs.values()][0].from).toBe(b.peerId);
    // Publishing the same bytes again is deduplicated by gossipsub, not re-processed.
    await a.publishTx(tx);
    const marker = makeTx('marker');
    await a.publishTx(marker);
    await waitFor(() => chains[2].txs.size === 2, 'marker tx at C');
    expect(chains[1].txSubmissions.filter((s) => s.tx === 'tx:pay bob 5')).toHaveLength(1);
    expect(chains[2].txSubmissions.filter((s) => s.tx === 'tx:pay bob 5')).toHaveLength(1);
  });

  it('does not relay an invalid block, and lowers the sender score', async () => {
    const { chains, a, b } = await line();
    const bad = chains[0].nextBlock('evil', true);
    await a.publishBlock(bad);
    const badHash = blockHashOf(bad);
    await waitFor(() => chains[1].submissions.some((s) => s.hash === badHash), 'B to see the bad block');
    expect(chains[1].submissions.find((s) => s.hash === badHash)?.status).toBe('invalid');

    // A good block sent after it takes the same path; once C has it, the bad one would have arrived first.
    const good = chains[0].nextBlock();
    await chains[0].submitBlock(good);
    await a.publishBlock(good);
    await waitFor(() => chains[2].hasBlock(blockHashOf(good)), 'good block at C');
    expect(chains[2].submissions.some((s) => s.hash === badHash)).toBe(false);

    const aAtB = b.peers().find((p) => p.id === a.peerId);
    expect(aAtB?.score).toBeLessThan(100);
    expect(aAtB?.invalid).toBe(1);
  });

  it('a mutated block costs its sender points and is not relayed', async () => {
    const { chains, a, b } = await line();
    const block = chains[0].nextBlock();
    const corrupted = block.slice();
    corrupted[corrupted.length - 1] ^= 1; // payload no longer matches the header commitment
    await a.publishBlock(corrupted);
    await waitFor(() => chains[1].submissions.length > 0, 'B to see the block');
    expect(chains[1].submissions[0]).toMatchObject({ status: 'invalid' });
    const aAtB = b.peers().find((p) => p.id === a.peerId);
    expect(aAtB).toMatchObject({ score: 100 - PENALTY.mutatedBlock, malleated: 1, invalid: 1 });
  });

  it('bans a peer that keeps sending invalid blocks; it cannot come back', async () => {
    const { chains, a, b } = await line();
    const banned: BanInfo[] = [];
    b.on('peer:banned', (info) => banned.push(info));
    for (let i = 0; i < 4; i++) await a.publishBlock(chains[0].nextBlock(`evil${i}`, true));
    await waitFor(() => banned.length === 1, 'ban');
    expect(banned[0].id).toBe(a.peerId);
    expect(banned[0].until).toBeGreaterThan(Date.now());
    await waitFor(() => !b.peers().some((p) => p.id === a.peerId), 'B to drop A');
    await waitFor(() => !a.peers().some((p) => p.id === b.peerId), 'A to see the disconnect');

    // A's new connection is refused by B's connection gater; B does not dial A either.
    await expect(a.dial(b.addrs()[0])).rejects.toThrow();
    await expect(b.dial(a.addrs()[0])).rejects.toThrow();
    expect(b.peers().some((p) => p.id === a.peerId)).toBe(false);
    expect(b.bans().map((x) => x.id)).toEqual([a.peerId]);
    expect((await b.knownAddrs()).some((addr) => addr.endsWith(a.peerId))).toBe(false);
  });
});
