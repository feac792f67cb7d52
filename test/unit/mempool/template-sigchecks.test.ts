// A block template must respect the block's signature-check limit (docs/protocol.md, "Signature
// checks"), not only its size: policy spends can hold about 98 bytes per signature check, so a
// template filled by bytes alone could hold more than 8,000 and be an invalid block.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { concatBytes } from '../../../src/core/bytes.js';
import { MAX_BLOCK_SIGCHECKS, MAX_TX_SIGCHECKS } from '../../../src/core/params.js';
import { encodePolicy, policyHash } from '../../../src/core/policy/index.js';
import { sighash, TX_VERSION_2, type Tx, type TxInput, txid } from '../../../src/core/tx.js';
import { sign } from '../../../src/crypto/ed25519.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { BLOCK_TX_BYTES } from '../../../src/mempool/select.js';
import { makeBlock, openTestChain, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const signers = Array.from({ length: 20 }, (_, i) => testKey(100 + i));
const policy = encodePolicy({ type: 'multi', k: 20, keys: signers.map((k) => k.publicKey) });
const EMPTY = new Uint8Array();
const INPUTS_PER_TX = MAX_TX_SIGCHECKS / 20; // 50 inputs of a 20-of-20: 1,000 checks, just under 100 kB
const TXS = 9; // 9,000 checks in under 900 kB

describe('block templates and signature checks', () => {
  it('never selects more than MAX_BLOCK_SIGCHECKS signature checks', { timeout: 60_000 }, async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    const coinbases: Tx[] = [];
    for (let i = 0; i < 2; i++) {
      const b = makeBlock(chain, { miner: alice.address });
      await chain.processBlock(b);
      coinbases.push(b.txs[0]!);
    }
    const subsidy = coinbases[0]!.outputs[0]!.amount;
    const count = INPUTS_PER_TX * TXS;
    const each = (subsidy - 100_000n) / BigInt(count);
    const fundUnsigned: Tx = {
      version: TX_VERSION_2,
      inputs: [
        {
          prevTxid: txid(coinbases[0]!),
          prevIndex: 0,
          sequence: 0xffffffff,
          publicKey: alice.publicKey,
          signature: new Uint8Array(64),
        },
      ],
      outputs: Array.from({ length: count }, () => ({ amount: each, address: policyHash(policy) })),
      data: EMPTY,
      lockTime: 0,
    };
    const fundSig = sign(sighash(txid(fundUnsigned), [subsidy]), alice.privateKey);
    const fund: Tx = { ...fundUnsigned, inputs: [{ ...fundUnsigned.inputs[0]!, signature: fundSig }] };
    const funded = await chain.processBlock(
      makeBlock(chain, { miner: alice.address, txs: [{ tx: fund, fee: subsidy - each * BigInt(count) }] }),
    );
    expect(funded.status).toBe('connected');

    for (let t = 0; t < TXS; t++) {
      const inputs: TxInput[] = Array.from({ length: INPUTS_PER_TX }, (_, i) => ({
        prevTxid: txid(fund),
        prevIndex: t * INPUTS_PER_TX + i,
        sequence: 0xffffffff,
        publicKey: EMPTY,
        signature: EMPTY,
        policy,
        witness: EMPTY,
      }));
      const unsigned: Tx = {
        version: TX_VERSION_2,
        inputs,
        outputs: [{ amount: each * BigInt(INPUTS_PER_TX) - 200_000n - BigInt(t), address: alice.address }],
        data: EMPTY,
        lockTime: 0,
      };
      const message = sighash(
        txid(unsigned),
        inputs.map(() => each),
      );
      const mask = Uint8Array.of(0xff, 0xff, 0x0f, 0x00);
      const witness = concatBytes(mask, ...signers.map((k) => sign(message, k.privateKey)));
      await mempool.add({ ...unsigned, inputs: inputs.map((i) => ({ ...i, witness })) });
    }
    expect(mempool.size).toBe(TXS);

    const selected = mempool.selectForBlock(BLOCK_TX_BYTES);
    const checks = selected.reduce((sum, e) => sum + e.tx.inputs.length * 20, 0);
    expect(checks).toBeLessThanOrEqual(MAX_BLOCK_SIGCHECKS);
    expect(selected).toHaveLength(MAX_BLOCK_SIGCHECKS / MAX_TX_SIGCHECKS);
    // Projections over several blocks (the fee oracle) are by bytes alone.
    expect(mempool.selectPackages(2 * BLOCK_TX_BYTES)).toHaveLength(TXS);
    // And the block the template makes is valid.
    const block = makeBlock(chain, {
      miner: alice.address,
      txs: selected.map((e) => ({ tx: e.tx, fee: e.fee })),
    });
    const result = await chain.processBlock(block);
    expect(result.status).toBe('connected');
  });
});
