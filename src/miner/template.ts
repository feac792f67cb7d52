// Block templates: a coinbase paying subsidy plus fees, then the chosen transactions.
import type { Block } from '../core/block.js';
import { headerHash } from '../core/header.js';
import { merkleRoot } from '../core/merkle.js';
import { blockSubsidy, type NetworkParams } from '../core/params.js';
import { bitsToTarget, hashMeetsTarget } from '../core/pow.js';
import { createCoinbase, type Tx, txid } from '../core/tx.js';
import { BLOCK_VERSION } from '../core/validation.js';

export interface TemplateInput {
  readonly params: NetworkParams;
  readonly height: number;
  readonly prevHash: Uint8Array;
  readonly bits: number;
  readonly time: number;
  readonly minerAddress: Uint8Array;
  /** Transactions in block order (parents before children), with their fees (and txids, when known). */
  readonly txs: ReadonlyArray<{ readonly tx: Tx; readonly fee: bigint; readonly txid?: Uint8Array }>;
  readonly extraNonce?: bigint;
  readonly text?: Uint8Array;
}

export function assembleBlock(t: TemplateInput): Block {
  let fees = 0n;
  for (const { fee } of t.txs) fees += fee;
  const others = t.txs.map((x) => x.tx);
  const coinbase = createCoinbase({
    height: t.height,
    outputs: [{ amount: blockSubsidy(t.params, t.height) + fees, address: t.minerAddress }],
    txs: others,
    extraNonce: t.extraNonce ?? 0n,
    text: t.text,
  });
  const txs = [coinbase, ...others];
  return {
    header: {
      version: BLOCK_VERSION,
      prevHash: t.prevHash,
      // The mempool's txids save hashing every transaction again (most of a template's time).
      merkleRoot: merkleRoot([txid(coinbase), ...t.txs.map((x) => x.txid ?? txid(x.tx))]),
      time: t.time,
      bits: t.bits,
      nonce: 0,
    },
    txs,
  };
}

/**
 * Finds a nonce on the calling thread (for easy targets: tests, regtest, the demo).
 * Returns null when `maxTries` nonces fail; the node's miner uses the worker pool instead.
 */
export function solveBlock(block: Block, maxTries = 2 ** 32): Block | null {
  const target = bitsToTarget(block.header.bits);
  if (target === null) return null;
  for (let nonce = 0; nonce < Math.min(maxTries, 2 ** 32); nonce++) {
    const header = { ...block.header, nonce };
    if (hashMeetsTarget(headerHash(header), target)) return { header, txs: block.txs };
  }
  return null;
}
