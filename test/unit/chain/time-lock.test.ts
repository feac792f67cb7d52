// A time lock is judged by the parent's median time past, never by the block's own time (which its
// miner chooses): a block dated past the lock time still may not hold the transaction until the
// median of the last 11 blocks reaches it; the pool judges the same for the next block.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { RuleError } from '../../../src/core/errors.js';
import { sighash, TX_VERSION_2, type Tx, txid } from '../../../src/core/tx.js';
import { sign } from '../../../src/crypto/ed25519.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { makeBlock, openTestChain, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);

describe('time locks', () => {
  it('wait for the median time past, not the block time', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    const first = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(first);
    const amount = first.txs[0]!.outputs[0]!.amount;
    // Blocks are 10 s apart: the next block's time is far past the median of the last ones.
    const lockTime = chain.medianTimePast() + 1;
    const unsigned: Tx = {
      version: TX_VERSION_2,
      inputs: [
        {
          prevTxid: txid(first.txs[0]!),
          prevIndex: 0,
          sequence: 0xfffffffe,
          publicKey: alice.publicKey,
          signature: new Uint8Array(64),
        },
      ],
      outputs: [{ amount: amount - 1000n, address: alice.address }],
      data: new Uint8Array(),
      lockTime,
    };
    const signature = sign(sighash(txid(unsigned), [amount]), alice.privateKey);
    const tx: Tx = { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, signature }] };

    const early = makeBlock(chain, { txs: [{ tx, fee: 1000n }] });
    expect(early.header.time).toBeGreaterThanOrEqual(lockTime);
    const refused = await chain.processBlock(early);
    expect(refused.error?.code).toBe('non-final');
    await expect(mempool.add(tx)).rejects.toSatisfy((e) => e instanceof RuleError && e.code === 'non-final');

    // Empty blocks until the tip's median time past reaches the lock time: each block before that
    // would be refused with the transaction, dated past the lock time though it is.
    let waited = 0;
    for (; waited < 20 && chain.medianTimePast() < lockTime; waited++) {
      const r = await chain.processBlock(makeBlock(chain, { txs: [{ tx, fee: 1000n }], extraNonce: 9n }));
      expect(r.error?.code).toBe('non-final');
      await chain.processBlock(makeBlock(chain));
    }
    expect(waited).toBeGreaterThan(1);
    expect(chain.medianTimePast()).toBeGreaterThanOrEqual(lockTime);
    await mempool.add(tx);
    expect(mempool.size).toBe(1);
    const r = await chain.processBlock(makeBlock(chain, { txs: [{ tx, fee: 1000n }] }));
    expect(r.status).toBe('connected');
  });
});
