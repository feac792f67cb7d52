// A third party can sometimes swap one satisfaction for another (docs/protocol.md, "Policy witness"):
// here `or(pk(A),pk(A))` is met by A's one signature on either branch. The txid stays, the wtxid moves,
// and under a block's header the swapped copy fails bad-sig-commitment: the block hash commits to the
// witness as to every signature.
import { describe, expect, it } from 'vitest';
import {
  checkBlockSanity,
  concatBytes,
  encodePolicy,
  policyHash,
  sighash,
  TX_VERSION_2,
  type Tx,
  toHex,
  txid,
  wtxid,
} from '../../../src/core/index.js';
import { sign } from '../../../src/crypto/ed25519.js';
import { makeBlock, openTestChain, regtest, testKey } from '../../support/chain-fixture.js';

const alice = testKey(1);

describe('a swapped witness', () => {
  it('keeps the txid, moves the wtxid, and fails bad-sig-commitment under the same header', async () => {
    const fx = await openTestChain();
    try {
      const pk = { type: 'pk', key: alice.publicKey } as const;
      const policy = encodePolicy({ type: 'or', subs: [pk, pk] });
      const unsigned: Tx = {
        version: TX_VERSION_2,
        inputs: [
          {
            prevTxid: new Uint8Array(32).fill(5),
            prevIndex: 0,
            sequence: 0xffffffff,
            publicKey: new Uint8Array(),
            signature: new Uint8Array(),
            policy,
            witness: new Uint8Array(),
          },
        ],
        outputs: [{ amount: 1000n, address: policyHash(policy) }],
        data: new Uint8Array(),
        lockTime: 0,
      };
      const signature = sign(sighash(txid(unsigned), [2000n]), alice.privateKey);
      const on = (branch: number): Tx => ({
        ...unsigned,
        inputs: [{ ...unsigned.inputs[0]!, witness: concatBytes(Uint8Array.of(branch), signature) }],
      });
      const [left, right] = [on(0), on(1)];
      expect(toHex(txid(left))).toBe(toHex(txid(right)));
      expect(toHex(wtxid(left))).not.toBe(toHex(wtxid(right)));

      const block = makeBlock(fx.chain, { txs: [{ tx: left, fee: 1000n }] });
      const now = block.header.time;
      expect(checkBlockSanity(block, regtest, now).ok).toBe(true);
      const swapped = { ...block, txs: [block.txs[0]!, right] };
      const r = checkBlockSanity(swapped, regtest, now);
      expect(r.ok ? 'ok' : r.error.code).toBe('bad-sig-commitment');
    } finally {
      await fx.close();
    }
  });
});
