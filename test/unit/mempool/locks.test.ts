// The pool judges lock times and relative locks for the next block (docs/protocol.md, "Mempool
// policy"): a transaction not final there is refused with non-final / non-bip68-final, and the same
// bytes are taken once the chain has grown to where they are.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { RuleError } from '../../../src/core/errors.js';
import { COIN } from '../../../src/core/params.js';
import { encodePolicy, type Policy, policyHash, satisfy } from '../../../src/core/policy/index.js';
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

async function setup() {
  fx = await openTestChain();
  const { chain, store } = fx;
  const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
  const coinbases: Tx[] = [];
  for (let i = 0; i < 3; i++) {
    const b = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b);
    coinbases.push(b.txs[0]!);
  }
  const mine = async (txs: Tx[] = []) => {
    const block = makeBlock(chain, { miner: alice.address, txs: txs.map((tx) => ({ tx, fee: 0n })) });
    const r = await chain.processBlock(block);
    if (r.status !== 'connected') throw new Error(`block not connected: ${JSON.stringify(r)}`);
  };
  return { chain, mempool, coinbases, mine };
}

/** A version 2 key spend of `prev`'s output 0 (worth `amount`) paying `address`. */
function keySpend(prev: Tx, amount: bigint, address: Uint8Array, lockTime: number, sequence: number): Tx {
  const unsigned: Tx = {
    version: TX_VERSION_2,
    inputs: [
      {
        prevTxid: txid(prev),
        prevIndex: 0,
        sequence,
        publicKey: alice.publicKey,
        signature: new Uint8Array(64),
      },
    ],
    outputs: [{ amount: amount - 1000n, address }],
    data: new Uint8Array(),
    lockTime,
  };
  const signature = sign(sighash(txid(unsigned), [amount]), alice.privateKey);
  return { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, signature }] };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RuleError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('lock times in the pool', () => {
  it('refuses a lock time the next block does not reach, and takes it once it does', async () => {
    const { chain, mempool, coinbases, mine } = await setup();
    const lockTime = chain.height + 2;
    const tx = keySpend(coinbases[0]!, 50n * COIN, alice.address, lockTime, 0xfffffffe);
    expect(await codeOf(mempool.add(tx))).toBe('non-final');
    expect(mempool.size).toBe(0);
    // A final sequence on every input switches the lock time off.
    const final = keySpend(coinbases[1]!, 50n * COIN, alice.address, lockTime, 0xffffffff);
    expect(await codeOf(mempool.add(final))).toBe('accepted');
    await mine();
    expect(chain.height + 1).toBe(lockTime);
    expect(await codeOf(mempool.add(tx))).toBe('accepted');
  });

  it('refuses a relative lock the next block does not reach, on a policy spend', async () => {
    const { chain, mempool, coinbases, mine } = await setup();
    const policy: Policy = {
      type: 'and',
      subs: [
        { type: 'pk', key: alice.publicKey },
        { type: 'older', n: 2 },
      ],
    };
    const encoded = encodePolicy(policy);
    const fund = keySpend(coinbases[0]!, 50n * COIN, policyHash(encoded), 0, 0xffffffff);
    await mine([fund]);
    const coinHeight = chain.height;
    const amount = 50n * COIN - 1000n;
    const unsigned: Tx = {
      version: TX_VERSION_2,
      inputs: [
        {
          prevTxid: txid(fund),
          prevIndex: 0,
          sequence: 2,
          publicKey: new Uint8Array(),
          signature: new Uint8Array(),
          policy: encoded,
          witness: new Uint8Array(),
        },
      ],
      outputs: [{ amount: amount - 1000n, address: alice.address }],
      data: new Uint8Array(),
      lockTime: 0,
    };
    const signature = sign(sighash(txid(unsigned), [amount]), alice.privateKey);
    const witness = satisfy(policy, {
      lockTime: 0,
      sequence: 2,
      signature: (key) => (key.every((b, i) => b === alice.publicKey[i]) ? signature : undefined),
      preimage: () => undefined,
    });
    expect(witness).toBeDefined();
    const spend: Tx = { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness: witness! }] };
    // The next block is one past the coin's: older(2) waits one more.
    expect(chain.height + 1 - coinHeight).toBe(1);
    expect(await codeOf(mempool.add(spend))).toBe('non-bip68-final');
    await mine();
    expect(await codeOf(mempool.add(spend))).toBe('accepted');
    await mine([spend]);
    expect(chain.height - coinHeight).toBe(2);
  });
});
