// Step 8: the subsidy schedule, total supply, coinbase maturity and where fees go, from the node's
// own blockSubsidy, isMature and connectBlock.
import { type Block, computeMerkleRoot } from '../../../../src/core/block.js';
import { blockSubsidy, COIN, type NetworkParams } from '../../../../src/core/params.js';
import { createCoinbase, publicKeyHash, txid } from '../../../../src/core/tx.js';
import { BLOCK_VERSION, type Coin, connectBlock, isMature } from '../../../../src/core/validation.js';
import { applyTx, type Ledger, type Person, pay } from './utxo.js';

export interface Era {
  readonly index: number;
  readonly startHeight: number;
  readonly subsidy: bigint;
}

/** Every halving era with a non-zero subsidy, then the first era that pays nothing. */
export function halvingEras(params: NetworkParams): Era[] {
  const eras: Era[] = [];
  for (let i = 0; i <= 64; i++) {
    const startHeight = i * params.halvingInterval;
    const subsidy = blockSubsidy(params, startHeight);
    eras.push({ index: i, startHeight, subsidy });
    if (subsidy === 0n) break;
  }
  return eras;
}

/** All coins the subsidy will ever create: each era's blocks times its subsidy. */
export const totalSupply = (params: NetworkParams): bigint =>
  halvingEras(params).reduce((sum, era) => sum + era.subsidy * BigInt(params.halvingInterval), 0n);

const toCoins = (units: bigint): number => Number(units) / Number(COIN);

/** Chart points of the subsidy (coins per block) as a staircase: the first and last height of each era. */
export function subsidyPoints(params: NetworkParams): { x: number; y: number }[] {
  return halvingEras(params).flatMap((era) => [
    { x: era.startHeight, y: toCoins(era.subsidy) },
    { x: era.startHeight + params.halvingInterval - 1, y: toCoins(era.subsidy) },
  ]);
}

/** Chart points of the coins in existence at the end of each era. */
export function supplyPoints(params: NetworkParams): { x: number; y: number }[] {
  let supply = 0n;
  return halvingEras(params).map((era) => {
    supply += era.subsidy * BigInt(params.halvingInterval);
    return { x: era.startHeight + params.halvingInterval, y: toCoins(supply) };
  });
}

/** The first height at which a coinbase output of `coinHeight` may be spent, asked of isMature. */
export function firstSpendableHeight(params: NetworkParams, coinHeight: number): number {
  const coin: Coin = { amount: 1n, address: new Uint8Array(20), height: coinHeight, coinbase: true };
  for (let h = coinHeight; h <= coinHeight + params.coinbaseMaturity; h++)
    if (isMature(coin, h, params)) return h;
  throw new Error('maturity is more than coinbaseMaturity blocks away');
}

export interface FeeBlock {
  readonly block: Block;
  readonly height: number;
  readonly subsidy: bigint;
  /** Each payment's fee, in block order. */
  readonly fees: readonly bigint[];
  readonly paid: bigint;
  /** connectBlock's verdict: the fees it summed, or the rule the coinbase broke. */
  readonly result: { ok: true; fees: bigint } | { ok: false; code: string; message: string };
}

/**
 * A block at `height` with two of Alice's payments (fee rates 10 and 25 units per byte) and a coinbase
 * paying the miner subsidy + fees + `extra`, connected on Alice's coins by the real connectBlock.
 */
export function feeBlock(
  params: NetworkParams,
  ledger: Ledger,
  alice: Person,
  bob: Person,
  miner: Person,
  height: number,
  extra: bigint,
): FeeBlock {
  const first = pay(ledger, params, alice, bob, 5n * COIN, 10n);
  const second = pay(applyTx(ledger, first.tx, params), params, alice, bob, 3n * COIN, 25n);
  const fees = [first.fee, second.fee];
  const subsidy = blockSubsidy(params, height);
  const paid = subsidy + first.fee + second.fee + extra;
  const coinbase = createCoinbase({
    height,
    outputs: [{ amount: paid, address: publicKeyHash(miner.key.publicKey) }],
    txs: [first.tx, second.tx],
  });
  const txs = [coinbase, first.tx, second.tx];
  const block: Block = {
    header: {
      version: BLOCK_VERSION,
      prevHash: new Uint8Array(32),
      merkleRoot: computeMerkleRoot(txs),
      time: params.genesis.time,
      bits: params.powLimitBits,
      nonce: 0,
    },
    txs,
  };
  const r = connectBlock(block, txs.map(txid), height, ledger.coins, params);
  return {
    block,
    height,
    subsidy,
    fees,
    paid,
    result: r.ok
      ? { ok: true, fees: r.value.fees }
      : { ok: false, code: r.error.code, message: r.error.message },
  };
}
