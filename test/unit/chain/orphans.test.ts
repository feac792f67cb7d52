// The orphan pool is bounded every way a peer could grow it: count, bytes, per peer, time; and the
// chain holds no orphan it could tell is worthless (bad proof of work, a height far above the tip).
import { afterEach, describe, expect, it } from 'vitest';
import { OrphanPool } from '../../../src/chain/orphans.js';
import { type Block, blockHashHex, encodeBlock } from '../../../src/core/block.js';
import { assembleBlock, solveBlock } from '../../../src/miner/template.js';
import { makeBlock, openTestChain, regtest, testKey } from '../../support/chain-fixture.js';

function orphan(n: number, peer: string, size = 100, parent = n + 1000) {
  const hash = n.toString(16).padStart(64, '0');
  return {
    hash,
    previousHash: parent.toString(16).padStart(64, '0'),
    height: 5,
    bytes: new Uint8Array(size),
    peer,
  };
}

describe('OrphanPool', () => {
  it('holds at most `count` orphans, dropping the oldest', () => {
    const pool = new OrphanPool(() => 0, { count: 3, perPeer: 100 });
    for (let i = 0; i < 5; i++) pool.add(orphan(i, `p${i}`));
    expect(pool.size).toBe(3);
    expect(pool.list().map((o) => o.hash)).toEqual([2, 3, 4].map((n) => orphan(n, '').hash));
  });

  it('holds at most `bytes` in all, dropping the oldest until the new one fits', () => {
    const pool = new OrphanPool(() => 0, { bytes: 1000, perPeer: 100 });
    for (let i = 0; i < 4; i++) pool.add(orphan(i, `p${i}`, 300));
    expect(pool.size).toBe(3);
    expect(pool.bytes).toBe(900);
    expect(pool.add(orphan(9, 'p9', 700))).toBe(true);
    expect(pool.list().map((o) => o.hash)).toEqual([orphan(3, '').hash, orphan(9, '').hash]);
    // Larger than the whole budget: not held, nothing dropped for it.
    expect(pool.add(orphan(10, 'p10', 1001))).toBe(false);
    expect(pool.size).toBe(2);
  });

  it("holds at most `perPeer` for one peer: a peer over its share loses its own oldest, not others'", () => {
    const pool = new OrphanPool(() => 0, { perPeer: 2 });
    pool.add(orphan(1, 'honest'));
    for (let i = 10; i < 20; i++) pool.add(orphan(i, 'flooder'));
    const held = pool.list();
    expect(held.filter((o) => o.peer === 'flooder').map((o) => o.hash)).toEqual(
      [18, 19].map((n) => orphan(n, '').hash),
    );
    expect(held.some((o) => o.peer === 'honest')).toBe(true);
  });

  it('drops orphans held longer than `ttlSeconds`', () => {
    let now = 1000;
    const pool = new OrphanPool(() => now, { ttlSeconds: 600 });
    pool.add(orphan(1, 'a'));
    now += 300;
    pool.add(orphan(2, 'b'));
    now += 301;
    expect(pool.list().map((o) => o.hash)).toEqual([orphan(2, '').hash]);
    expect(pool.has(orphan(1, '').hash)).toBe(false);
    now += 300;
    expect(pool.size).toBe(1); // size does not sweep; the next call does
    expect(pool.takeChildren(orphan(2, '').previousHash)).toEqual([]);
    expect(pool.size).toBe(0);
  });

  it('hands back the children of a parent and forgets them', () => {
    const pool = new OrphanPool(() => 0);
    pool.add(orphan(1, 'a', 10, 77));
    pool.add(orphan(2, 'a', 10, 77));
    pool.add(orphan(3, 'b', 10, 78));
    const parent = (77).toString(16).padStart(64, '0');
    expect(pool.takeChildren(parent).map((o) => o.hash)).toEqual([orphan(1, '').hash, orphan(2, '').hash]);
    expect(pool.size).toBe(1);
    expect(pool.bytes).toBe(10);
  });
});

describe('orphans on the chain', () => {
  type Fixture = Awaited<ReturnType<typeof openTestChain>>;
  let fx: Fixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  /** A block on a parent nobody has, claiming `height`. */
  function orphanBlock(height: number, seed: number): Block {
    const block = assembleBlock({
      params: regtest,
      height,
      prevHash: new Uint8Array(32).fill(seed),
      bits: regtest.powLimitBits,
      time: regtest.genesis.time + 100,
      minerAddress: testKey(1).address,
      txs: [],
    });
    return solveBlock(block)!;
  }

  it('holds orphans as bytes, per sending peer, and connects them when the parent comes', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    const b1 = makeBlock(chain);
    await chain.processBlock(b1);
    const b2 = makeBlock(chain);
    // Hand b2 over as a view into a larger buffer: the pool keeps a copy of exactly the block.
    const wire = new Uint8Array(encodeBlock(b2).length + 64);
    wire.set(encodeBlock(b2), 32);
    // Another chain without b1 receives b2 first: an orphan.
    const second = await openTestChain();
    try {
      const view = wire.subarray(32, 32 + encodeBlock(b2).length);
      expect((await second.chain.processBlock(view, { peer: 'p1' })).status).toBe('orphan');
      const [held] = second.chain.orphanBlocks();
      expect(held?.peer).toBe('p1');
      expect(held?.bytes.buffer.byteLength).toBe(view.length);
      expect(held?.height).toBe(2);
      expect((await second.chain.processBlock(b1)).status).toBe('connected');
      expect(second.chain.tip.hashHex).toBe(blockHashHex(b2));
      expect(second.chain.orphanBlocks()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('drops a held orphan whose body does not decode when its parent comes', async () => {
    fx = await openTestChain();
    const { chain } = fx;
    const b1 = makeBlock(chain);
    await chain.processBlock(b1);
    const b2 = encodeBlock(makeBlock(chain));
    const second = await openTestChain();
    try {
      // Header and coinbase intact, a byte of junk after them: held (its body is judged later).
      const junk = Uint8Array.from([...b2, 0x00]);
      expect((await second.chain.processBlock(junk, { peer: 'p' })).status).toBe('orphan');
      expect((await second.chain.processBlock(b1)).status).toBe('connected');
      expect(second.chain.height).toBe(1);
      expect(second.chain.orphanBlocks()).toEqual([]);
      // The good copy is still welcome.
      expect((await second.chain.processBlock(b2)).status).toBe('connected');
    } finally {
      await second.close();
    }
  });

  it('does not hold an orphan claiming a height more than 2,000 above the tip', async () => {
    fx = await openTestChain();
    const far = orphanBlock(2001, 5);
    expect((await fx.chain.processBlock(far, { peer: 'p' })).status).toBe('orphan');
    expect(fx.chain.orphanBlocks()).toEqual([]);
    expect(fx.chain.hasBlock(blockHashHex(far))).toBe(false);
    const near = orphanBlock(2000, 6);
    expect((await fx.chain.processBlock(near, { peer: 'p' })).status).toBe('orphan');
    expect(fx.chain.orphanBlocks().map((o) => o.hash)).toEqual([blockHashHex(near)]);
  });

  it('does not hold an orphan whose proof of work is wrong', async () => {
    fx = await openTestChain();
    const block = orphanBlock(3, 7);
    // Grind a nonce whose hash misses the (easy) regtest target.
    let bad: Block | undefined;
    for (let nonce = 0; nonce < 10_000 && !bad; nonce++) {
      const candidate = { ...block, header: { ...block.header, nonce } };
      if (blockHashHex(candidate)[0]! >= '8') bad = candidate;
    }
    expect(bad).toBeDefined();
    const r = await fx.chain.processBlock(bad!, { peer: 'p' });
    expect([r.status, r.error?.code]).toEqual(['invalid', 'bad-pow']);
    expect(fx.chain.orphanBlocks()).toEqual([]);
  });

  it('keeps at most 8 orphans of one peer and 64 in all by default', async () => {
    fx = await openTestChain();
    for (let i = 0; i < 12; i++) await fx.chain.processBlock(orphanBlock(3, i + 1), { peer: 'flooder' });
    expect(fx.chain.orphanBlocks().length).toBe(8);
    for (let p = 0; p < 10; p++)
      for (let i = 0; i < 8; i++) await fx.chain.processBlock(orphanBlock(4 + p, 100 + i), { peer: `p${p}` });
    const held = fx.chain.orphanBlocks();
    expect(held.length).toBe(64);
    // The oldest went first: the flooder's, then the first peers'.
    expect(held.some((o) => o.peer === 'flooder')).toBe(false);
    expect(held.filter((o) => o.peer === 'p9').length).toBe(8);
  });
});
