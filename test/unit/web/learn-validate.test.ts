// The validation step-through: a valid block passes every rule of the three levels; each ready-made
// edit breaks exactly the rule it names, with every earlier rule still passing.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { COIN, NETWORKS } from '../../../src/core/params.js';
import {
  outpointKey,
  publicKeyHash,
  SIGNATURE_SIZE,
  TX_VERSION,
  type Tx,
  txidHex,
} from '../../../src/core/tx.js';
import { encodeAddress } from '../../../src/crypto/address.js';
import { signTx } from '../../../src/wallet/build-tx.js';
import type { TxJson } from '../../../web/src/api/types.js';
import { keyFromText } from '../../../web/src/learn/lib/keys.js';
import { SimChain } from '../../../web/src/learn/lib/sim-chain.js';
import {
  BLOCK_EDITS,
  coinsFromTxs,
  contextFromAncestors,
  runValidation,
} from '../../../web/src/learn/lib/validate.js';

const params = NETWORKS.regtest;
const key = keyFromText('validate test');
const owner = publicKeyHash(key.publicKey);

const chain = new SimChain(params);
const mined = (r: ReturnType<SimChain['mine']>) => {
  if (!r.ok) throw new Error(r.code);
  return r.entry;
};
const b1 = mined(chain.mine(chain.genesis.hash, [], owner, { published: true, label: 'b1' }));
const b2 = mined(chain.mine(b1.hash, [], owner, { published: true, label: 'b2' }));
const coin = b1.block.txs[0]!.outputs[0]!.amount;
const payment: Tx = signTx(
  {
    version: TX_VERSION,
    inputs: [
      {
        prevTxid: fromHex(b1.txids[0]!),
        prevIndex: 0,
        publicKey: key.publicKey,
        signature: new Uint8Array(SIGNATURE_SIZE),
      },
    ],
    outputs: [
      { amount: 10n * COIN, address: new Uint8Array(20).fill(9) },
      { amount: coin - 10n * COIN - 500n, address: owner },
    ],
    data: new Uint8Array(),
  },
  [{ amount: coin, keyPair: key }],
);
const b3 = mined(chain.mine(b2.hash, [payment], owner, { published: true, label: 'b3' }));
const block = b3.block;
const ctx = contextFromAncestors(
  params,
  3,
  chain.branch(b2.hash).map((e) => ({ height: e.height, time: e.time, bits: e.bits })),
);
const now = block.header.time;
const statuses = (steps: readonly { status: string }[]) => steps.map((s) => s.status);

describe('runValidation', () => {
  it('passes a valid block through every rule of sanity, context and connect', () => {
    const run = runValidation(block, ctx, b2.coins, params, now);
    expect(run.sanity.length).toBe(9 + block.txs.length + 1); // header and body rules, each tx, the block's signature checks
    expect(run.context.length).toBe(5);
    expect(run.connect.length).toBe(2 * (block.txs.length - 1) + 1);
    for (const steps of [run.sanity, run.context, run.connect])
      expect(statuses(steps).every((s) => s === 'pass')).toBe(true);
  });

  it('stops at the level that fails', () => {
    const run = runValidation(
      { ...block, header: { ...block.header, version: 2 } },
      ctx,
      b2.coins,
      params,
      now,
    );
    expect(run.sanity[0]!.error?.code).toBe('bad-version');
    expect(run.context).toEqual([]);
    expect(run.connect).toEqual([]);
  });
});

describe('contextFromAncestors', () => {
  it('gives the chain parent bits and the median of the last times', () => {
    expect(ctx.height).toBe(3);
    expect(ctx.expectedBits).toBe(params.powLimitBits);
    expect(ctx.medianTimePast).toBe(b1.time);
    expect(() => contextFromAncestors(params, 5, [])).toThrow(/parent/);
  });

  it("carries the parent's time only at a retarget height of a network that retargets", () => {
    const dev = NETWORKS.dev;
    const ancestors = Array.from({ length: 21 }, (_, height) => ({ height, time: 1000 + height, bits: 1 }));
    expect(contextFromAncestors(dev, 20, ancestors).retargetParentTime).toBe(1019);
    expect(contextFromAncestors(dev, 19, ancestors).retargetParentTime).toBeUndefined();
    expect(contextFromAncestors(params, 20, ancestors).retargetParentTime).toBeUndefined();
  });
});

describe('coinsFromTxs', () => {
  it('rebuilds the spent coin from the API shape of the transaction that made it', () => {
    const cb = b1.block.txs[0]!;
    const json = {
      txid: txidHex(cb),
      coinbase: true,
      outputs: cb.outputs.map((o, index) => ({
        index,
        amount: o.amount.toString(),
        address: encodeAddress(params.addressPrefix, o.address),
      })),
      block: { hash: b1.hash, height: 1 },
    } as unknown as TxJson;
    const coins = coinsFromTxs([json], params.addressPrefix);
    const got = coins.get(outpointKey(txidHex(cb), 0))!;
    const want = b2.coins.get(outpointKey(txidHex(cb), 0))!;
    expect({ ...got, address: toHex(got.address) }).toEqual({ ...want, address: toHex(want.address) });
  });
});

describe('ready-made edits', () => {
  it.each(BLOCK_EDITS.map((e) => [e.id, e] as const))(
    '%s breaks its rule and no earlier one',
    (_id, edit) => {
      const edited = edit.apply(block, ctx, now);
      expect(edited).not.toBeNull();
      const run = runValidation(edited!, ctx, b2.coins, params, now);
      const all = [...run.sanity, ...run.context, ...run.connect];
      const first = all.findIndex((s) => s.status === 'fail');
      expect(all[first]?.error?.code).toBe(edit.breaks);
      expect(statuses(all.slice(0, first)).every((s) => s === 'pass')).toBe(true);
    },
  );
});

describe('the genesis block', () => {
  it('runs sanity only: it has no parent', () => {
    const run = runValidation(chain.genesis.block, null, new Map(), params, now);
    expect(statuses(run.sanity).every((s) => s === 'pass')).toBe(true);
    expect(run.context).toEqual([]);
    expect(run.connect).toEqual([]);
  });
});
