// Block assembly: the txids a caller already has (the mempool's) give the same block as hashing again.
import { describe, expect, it } from 'vitest';
import { computeMerkleRoot } from '../../../src/core/block.js';
import { COIN } from '../../../src/core/params.js';
import { txid } from '../../../src/core/tx.js';
import { assembleBlock } from '../../../src/miner/template.js';
import { regtest, spend, testKey } from '../../support/chain-fixture.js';

describe('assembleBlock', () => {
  it('builds the same Merkle root from given txids as from the transactions', () => {
    const key = testKey(1);
    const txs = [0, 1, 2].map((i) =>
      spend(
        key,
        [{ txid: new Uint8Array(32).fill(i + 1), index: 0, amount: COIN }],
        [{ address: key.address, amount: COIN - 500n }],
      ),
    );
    const input = {
      params: regtest,
      height: 5,
      prevHash: new Uint8Array(32),
      bits: regtest.powLimitBits,
      time: regtest.genesis.time + 50,
      minerAddress: key.address,
    };
    const hashed = assembleBlock({ ...input, txs: txs.map((tx) => ({ tx, fee: 500n })) });
    const given = assembleBlock({ ...input, txs: txs.map((tx) => ({ tx, fee: 500n, txid: txid(tx) })) });
    expect(given).toEqual(hashed);
    expect(given.header.merkleRoot).toEqual(computeMerkleRoot(given.txs));
  });
});
