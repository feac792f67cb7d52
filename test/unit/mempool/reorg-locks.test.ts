// Relative locks across a reorganisation: a pool transaction waiting on a confirmed coin must leave
// the pool when the reorganisation puts the coin's transaction back in the pool (a relative lock on a
// pool output is never reached), or the next block template, taking both, would be invalid.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { toHex } from '../../../src/core/bytes.js';
import { encodePolicy, policyHash } from '../../../src/core/policy/index.js';
import { sighash, TX_VERSION_2, type Tx, txid } from '../../../src/core/tx.js';
import { sign } from '../../../src/crypto/ed25519.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { BLOCK_TX_BYTES } from '../../../src/mempool/select.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const EMPTY = new Uint8Array();
const policy = encodePolicy({
  type: 'and',
  subs: [
    { type: 'pk', key: alice.publicKey },
    { type: 'older', n: 1 },
  ],
});

describe('relative locks across a reorganisation', () => {
  it('drop the waiting spend when its coin goes back to the pool', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    const first = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(first);
    const amount = first.txs[0]!.outputs[0]!.amount;
    const fundUnsigned: Tx = {
      version: TX_VERSION_2,
      inputs: [
        {
          prevTxid: txid(first.txs[0]!),
          prevIndex: 0,
          sequence: 0xffffffff,
          publicKey: alice.publicKey,
          signature: new Uint8Array(64),
        },
      ],
      outputs: [{ amount: amount - 1000n, address: policyHash(policy) }],
      data: EMPTY,
      lockTime: 0,
    };
    const fundSig = sign(sighash(txid(fundUnsigned), [amount]), alice.privateKey);
    const fund: Tx = { ...fundUnsigned, inputs: [{ ...fundUnsigned.inputs[0]!, signature: fundSig }] };
    const forkPoint = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: fund, fee: 1000n }] }));

    const spendUnsigned: Tx = {
      version: TX_VERSION_2,
      inputs: [
        {
          prevTxid: txid(fund),
          prevIndex: 0,
          sequence: 1,
          publicKey: EMPTY,
          signature: EMPTY,
          policy,
          witness: EMPTY,
        },
      ],
      outputs: [{ amount: amount - 3000n, address: alice.address }],
      data: EMPTY,
      lockTime: 0,
    };
    const witness = sign(sighash(txid(spendUnsigned), [amount - 1000n]), alice.privateKey);
    const waiting: Tx = { ...spendUnsigned, inputs: [{ ...spendUnsigned.inputs[0]!, witness }] };
    // One block after the coin's: older(1) is met by the next block.
    await mempool.add(waiting);
    expect(mempool.has(toHex(txid(waiting)))).toBe(true);

    // A heavier branch from before the funding block: the funding transaction comes back to the pool.
    let parent = forkPoint;
    for (let i = 0; i < 2; i++) {
      const r = await chain.processBlock(makeBlock(chain, { parent, extraNonce: 4n }));
      parent = chain.getEntry(r.hash)!;
    }
    expect(chain.tip).toBe(parent);
    await mempool.settled();
    expect(mempool.has(toHex(txid(fund)))).toBe(true);
    expect(mempool.has(toHex(txid(waiting)))).toBe(false);

    // The template is a valid block.
    const selected = mempool.selectForBlock(BLOCK_TX_BYTES);
    const r = await chain.processBlock(
      makeBlock(chain, { txs: selected.map((e) => ({ tx: e.tx, fee: e.fee })) }),
    );
    expect(r.status).toBe('connected');
  });

  it("gives an empty template while the pool is rebuilt for a new tip, never the old tip's", async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    const first = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(first);
    const forkPoint = chain.tip;
    const amount = first.txs[0]!.outputs[0]!.amount;
    const fund = spend(
      alice,
      [{ txid: txid(first.txs[0]!), index: 0, amount }],
      [{ address: alice.address, amount: amount - 1000n }],
    );
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: fund, fee: 1000n }] }));
    // A pool child of the confirmed funding transaction.
    const child = spend(
      alice,
      [{ txid: txid(fund), index: 0, amount: amount - 1000n }],
      [{ address: alice.address, amount: amount - 2000n }],
    );
    await mempool.add(child);

    // A heavier branch without the funding block: the miner templates as soon as the tip moves.
    let parent = forkPoint;
    const templates: string[][] = [];
    chain.on('tip', () => templates.push(mempool.selectForBlock(BLOCK_TX_BYTES).map((e) => e.txidHex)));
    for (let i = 0; i < 2; i++) {
      const r = await chain.processBlock(makeBlock(chain, { parent, extraNonce: 4n }));
      parent = chain.getEntry(r.hash)!;
    }
    expect(chain.tip).toBe(parent);
    // At the reorganisation the pool still holds the child, whose parent is no coin of the new tip.
    const atReorg = templates.at(-1)!;
    const block = makeBlock(chain, {
      txs: atReorg.map((id) => ({ tx: mempool.get(id)!.tx, fee: mempool.get(id)!.fee })),
      extraNonce: 5n,
    });
    const result = await chain.processBlock(block);
    expect(result.error?.code ?? result.status).toBe('connected');
    expect(atReorg).toEqual([]);
    // Once rebuilt, the pool holds the funding transaction again, then its child.
    await mempool.settled();
    expect(mempool.selectForBlock(BLOCK_TX_BYTES).map((e) => e.txidHex)).toEqual(
      [fund, child].map((t) => toHex(txid(t))),
    );
  });
});
