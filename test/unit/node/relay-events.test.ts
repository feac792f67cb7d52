// What the node reports to the network layer for relay (chain-access.ts): its new tip blocks when
// they are news, its own transactions, and the transactions a reorganisation put back; never side
// blocks, peers' transactions, or the tips of a long catch-up.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { blockHashHex, encodeBlock } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { encodeTx, txid } from '../../../src/core/tx.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { chainAccess } from '../../../src/node/chain-access.js';
import type { RelayEvent } from '../../../src/p2p/types.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup() {
  const fixture = await openTestChain();
  closers.push(fixture.close);
  const { chain, store } = fixture;
  const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
  let now = chain.tip.time;
  const access = chainAccess(chain, mempool, () => now);
  const events: RelayEvent[] = [];
  closers.push(async () => unfollow());
  const unfollow = access.onRelay((e) => events.push(e));
  // Resolves once the store read behind a block event is done.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  return { chain, mempool, access, events, settle, setNow: (t: number) => (now = t) };
}

describe('relay events', () => {
  it('a new tip block is reported with its bytes; a side block is not', async () => {
    const { chain, events, settle, setNow } = await setup();
    const first = makeBlock(chain);
    setNow(first.header.time);
    await chain.processBlock(first);
    await settle();
    expect(events.map((e) => e.kind === 'block' && { hash: e.hash, hex: toHex(e.bytes) })).toEqual([
      { hash: blockHashHex(first), hex: toHex(encodeBlock(first)) },
    ]);

    const side = makeBlock(chain, { parent: chain.genesis, extraNonce: 7n });
    expect((await chain.processBlock(side)).status).toBe('side');
    await settle();
    expect(events).toHaveLength(1);
  });

  it('the tips of a catch-up (older than a day) are not news', async () => {
    const { chain, events, settle, setNow } = await setup();
    const block = makeBlock(chain);
    setNow(block.header.time + 24 * 60 * 60 + 1);
    await chain.processBlock(block);
    await settle();
    expect(events).toEqual([]);
  });

  it("the node's own transactions are reported, peers' are not", async () => {
    const { chain, mempool, access, events, settle, setNow } = await setup();
    const key = testKey(1);
    const funding = makeBlock(chain, { miner: key.address });
    setNow(funding.header.time);
    await chain.processBlock(funding);
    const coinbase = funding.txs[0]!;
    const amount = coinbase.outputs[0]!.amount;
    const pay = (n: number) =>
      spend(
        key,
        [{ txid: txid(coinbase), index: 0, amount }],
        [{ address: testKey(2 + n).address, amount: amount - 1000n }],
      );
    await settle();
    events.length = 0;

    const fromPeer = pay(0);
    expect((await access.submitTx(encodeTx(fromPeer), 'peer-1')).status).toBe('accepted');
    expect(events).toEqual([]);

    // Another spend of the same coin with a higher fee would conflict; use the peer's tx's output.
    const child = spend(
      testKey(2),
      [{ txid: txid(fromPeer), index: 0, amount: amount - 1000n }],
      [{ address: testKey(9).address, amount: amount - 3000n }],
    );
    const entry = await mempool.add(child, 'local');
    expect(events.map((e) => e.kind === 'tx' && { txid: e.txid, hex: toHex(e.bytes) })).toEqual([
      { txid: toHex(txid(child)), hex: toHex(entry.bytes) },
    ]);
  });
});
