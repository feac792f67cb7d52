import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import { blockHashHex, encodeBlock } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { COIN } from '../../../src/core/params.js';
import { txid } from '../../../src/core/tx.js';
import { openStore } from '../../../src/node/level-store.js';

import {
  makeBlock,
  openTestChain,
  spend,
  testKey,
  withBrokenSignature,
} from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('Chain', () => {
  it('starts at genesis and extends the tip', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    expect(chain.height).toBe(0);
    for (let i = 1; i <= 5; i++) {
      const r = await chain.processBlock(makeBlock(chain));
      expect(r.status).toBe('connected');
      expect(chain.height).toBe(i);
    }
  });

  it('spends a coinbase, tracks coins and rejects a double spend in a later block', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const alice = testKey(1);
    const bob = testKey(2);
    const b1 = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b1);
    const cb = b1.txs[0]!;
    const pay = spend(
      alice,
      [{ txid: txid(cb), index: 0, amount: 50n * COIN }],
      [
        { address: bob.address, amount: 10n * COIN },
        { address: alice.address, amount: 40n * COIN - 1000n },
      ],
    );
    const b2 = makeBlock(chain, { txs: [{ tx: pay, fee: 1000n }] });
    expect((await chain.processBlock(b2)).status).toBe('connected');
    expect(await store.coins.getCoin(txid(cb), 0)).toBeUndefined();
    expect((await store.coins.getCoin(txid(pay), 0))?.amount).toBe(10n * COIN);

    const again = spend(
      alice,
      [{ txid: txid(cb), index: 0, amount: 50n * COIN }],
      [{ address: bob.address, amount: 1n }],
    );
    const b3 = makeBlock(chain, { txs: [{ tx: again, fee: 0n }] });
    const r = await chain.processBlock(b3);
    expect(r.status).toBe('invalid');
    expect(r.error?.code).toBe('missing-inputs');
    expect(chain.height).toBe(2);
  });

  it('reorganises to a heavier branch and hands back the disconnected transactions', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const alice = testKey(1);
    const b1 = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b1);
    const fork = chain.tip;
    const pay = spend(
      alice,
      [{ txid: txid(b1.txs[0]!), index: 0, amount: 50n * COIN }],
      [{ address: testKey(3).address, amount: 49n * COIN }],
    );
    //  genesis - b1 - a2(pay) - a3            (active first)
    //              \- c2 - c3 - c4             (heavier: wins)
    const a2 = makeBlock(chain, { txs: [{ tx: pay, fee: COIN }] });
    await chain.processBlock(a2);
    await chain.processBlock(makeBlock(chain));
    const reorgs: unknown[] = [];
    chain.on('reorg', (e) => reorgs.push(e));
    let parent = fork;
    const side = [];
    for (let i = 0; i < 3; i++) {
      const b = makeBlock(chain, { parent, miner: testKey(4).address, extraNonce: 7n });
      const r = await chain.processBlock(b);
      side.push(b);
      parent = chain.getEntry(r.hash)!;
      expect(r.status).toBe(i < 2 ? 'side' : 'connected');
    }
    expect(chain.tip.hashHex).toBe(blockHashHex(side[2]!));
    expect(reorgs).toHaveLength(1);
    const ev = reorgs[0] as { disconnected: { txs: unknown[] }[] };
    expect(ev.disconnected.flatMap((b) => b.txs)).toContainEqual(pay);
    // The spend is undone: alice's coinbase is unspent again, the payment's output is gone.
    expect(await store.coins.getCoin(txid(b1.txs[0]!), 0)).toBeDefined();
    expect(await store.coins.getCoin(txid(pay), 0)).toBeUndefined();
  });

  it('keeps the first seen block on a work tie', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    const a = makeBlock(chain);
    const b = makeBlock(chain, { extraNonce: 1n });
    expect((await chain.processBlock(a)).status).toBe('connected');
    expect((await chain.processBlock(b)).status).toBe('side');
    expect(chain.tip.hashHex).toBe(blockHashHex(a));
  });

  it('connects orphans when their parent arrives', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    const b1 = makeBlock(chain);
    // Build b2 on b1 without importing b1: use a second chain as a scratch builder.
    await chain.processBlock(b1);
    const b2 = makeBlock(chain);
    await fx.close();
    fx = await openTestChain();
    const r2 = await fx.chain.processBlock(b2);
    expect(r2.status).toBe('orphan');
    expect(fx.chain.hasBlock(r2.hash)).toBe(true);
    const r1 = await fx.chain.processBlock(b1);
    expect(r1.status).toBe('connected');
    expect(fx.chain.tip.hashHex).toBe(blockHashHex(b2));
  });

  it('falls back to the best valid chain when a heavier branch holds an invalid block', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    const alice = testKey(1);
    await chain.processBlock(makeBlock(chain, { miner: alice.address }));
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain));
    const goodTip = chain.tip.hashHex;
    // Side branch: c2 is fine, c3 spends a coin that does not exist (fails only at connect).
    const c2 = makeBlock(chain, { parent: fork, extraNonce: 9n });
    expect((await chain.processBlock(c2)).status).toBe('side');
    const bogus = spend(
      alice,
      [{ txid: new Uint8Array(32).fill(7), index: 0, amount: 1n }],
      [{ address: alice.address, amount: 1n }],
    );
    const c3 = makeBlock(chain, { parent: chain.getEntry(blockHashHex(c2))!, txs: [{ tx: bogus, fee: 0n }] });
    const r = await chain.processBlock(c3);
    expect(r.status).toBe('invalid');
    expect(r.error?.code).toBe('missing-inputs');
    expect(chain.tip.hashHex).toBe(goodTip);
    // A child of the invalid block is rejected as such.
    const c4 = makeBlock(chain, { parent: chain.getEntry(blockHashHex(c3))! });
    expect((await chain.processBlock(c4)).error?.code).toBe('bad-prev-block');
  });

  it('persists: a reopened store has the same tip, and raw bytes import like blocks', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    for (let i = 0; i < 3; i++) await chain.processBlock(encodeBlock(makeBlock(chain)));
    const tip = chain.tip.hashHex;
    const dir = fx.dir;
    await store.close();
    const reopened = await openStore(dir);
    const again = await Chain.open({ store: reopened, params: chain.params });
    expect(again.tip.hashHex).toBe(tip);
    expect(again.height).toBe(3);
    expect(toHex((await reopened.blocks.getHashAtHeight(3))!)).toBe(tip);
    await reopened.close();
    fx = { ...fx, close: async () => {} };
  });

  it('rejects garbage bytes without changing anything', async () => {
    fx = await openTestChain();
    const r = await fx.chain.processBlock(new Uint8Array([1, 2, 3]));
    expect(r.status).toBe('invalid');
    expect(r.error?.code).toBe('bad-encoding');
    expect(fx.chain.height).toBe(0);
  });
});

describe('Chain and corrupted copies', () => {
  it('refuses a copy whose body breaks a transaction rule without condemning its hash', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    const alice = testKey(1);
    const b1 = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b1);
    const pay = spend(
      alice,
      [{ txid: txid(b1.txs[0]!), index: 0, amount: 50n * COIN }],
      [{ address: testKey(2).address, amount: 49n * COIN }],
    );
    const b2 = makeBlock(chain, { txs: [{ tx: pay, fee: COIN }] });
    const copies = [
      { ...b2, txs: [b2.txs[0]!, { ...pay, outputs: [] }] },
      { ...b2, txs: [b2.txs[0]!, { ...pay, data: new Uint8Array(2000) }] },
      { ...b2, txs: [b2.txs[1]!, b2.txs[0]!] },
    ];
    for (const copy of copies) {
      const r = await chain.processBlock(encodeBlock(copy));
      expect([r.status, r.hash, r.error?.code, r.error?.malleated]).toEqual([
        'invalid',
        blockHashHex(b2),
        'bad-merkle-root',
        true,
      ]);
      expect(chain.hasBlock(blockHashHex(b2))).toBe(false);
    }
    expect((await chain.processBlock(b2)).status).toBe('connected');
    expect((await chain.processBlock(makeBlock(chain))).status).toBe('connected');
    expect(chain.height).toBe(3);
  });

  it('refuses a copy with other signatures before storing it; forgets a side block whose committed signature fails, across a restart', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    const alice = testKey(1);
    const b1 = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b1);
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain));
    await chain.processBlock(makeBlock(chain));
    // Side branch fork -> s2: s2 spends alice's coinbase. A copy of s2 with a broken signature has
    // the same hash (signatures are outside the txid), but not the signatures its coinbase commits to.
    const pay = spend(
      alice,
      [{ txid: txid(b1.txs[0]!), index: 0, amount: 50n * COIN }],
      [{ address: testKey(2).address, amount: 49n * COIN }],
    );
    const s2 = makeBlock(chain, { parent: fork, txs: [{ tx: pay, fee: COIN }], extraNonce: 5n });
    const sig = pay.inputs[0]!.signature.slice();
    sig[10]! ^= 0xff;
    const copy = {
      header: s2.header,
      txs: [s2.txs[0]!, { ...pay, inputs: [{ ...pay.inputs[0]!, signature: sig }] }],
    };
    expect(blockHashHex(copy)).toBe(blockHashHex(s2));
    const rc = await chain.processBlock(copy);
    expect([rc.status, rc.error?.code, rc.error?.malleated]).toEqual(['invalid', 'bad-sig-commitment', true]);
    expect(chain.hasBlock(blockHashHex(s2))).toBe(false);

    // A block of its own committing to the broken signature: stored unchecked as a side block, it
    // fails when x4 makes its branch heavier; the node stays put and forgets it.
    const x2 = withBrokenSignature(s2);
    expect((await chain.processBlock(x2)).status).toBe('side');
    const x3 = makeBlock(chain, { parent: chain.getEntry(blockHashHex(x2))! });
    expect((await chain.processBlock(x3)).status).toBe('side');
    const x4 = makeBlock(chain, { parent: chain.getEntry(blockHashHex(x3))! });
    const tip = chain.tip.hashHex;
    const r4 = await chain.processBlock(x4);
    expect(r4.status).toBe('invalid');
    // x4 was built on a block that failed as malleated: refused, but not condemned.
    expect([r4.error?.code, r4.error?.malleated]).toEqual(['bad-prev-block', true]);
    expect(chain.hasBlock(blockHashHex(x4))).toBe(false);
    expect(chain.tip.hashHex).toBe(tip);
    expect(chain.hasBlock(blockHashHex(x2))).toBe(false);
    // After a restart it is not back either.
    const dir = fx.dir;
    await fx.store.close();
    const store = await openStore(dir);
    const again = await Chain.open({ store, params: chain.params, now: () => chain.tip.header.time + 100 });
    expect(again.tip.hashHex).toBe(tip);
    expect(again.hasBlock(blockHashHex(x2))).toBe(false);
    // The real s2, then children built on it, win.
    expect((await again.processBlock(s2)).status).toBe('side');
    const s3 = makeBlock(again, { parent: again.getEntry(blockHashHex(s2))! });
    await again.processBlock(s3);
    const s4 = makeBlock(again, { parent: again.getEntry(blockHashHex(s3))! });
    expect((await again.processBlock(s4)).status).toBe('connected');
    await store.close();
  });
});
