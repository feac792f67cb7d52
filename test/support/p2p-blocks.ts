// Regtest blocks and transactions built outside any node, for the multi-node tests: blocks a test hands
// to several nodes so that they share a prefix, and the malformed or invalid data a hostile peer sends.
import { type Block, blockHashHex, encodeBlock } from '../../src/core/block.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { headerHash } from '../../src/core/header.js';
import { NETWORKS } from '../../src/core/params.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/pow.js';
import { encodeTx, type Tx } from '../../src/core/tx.js';
import { decodeAddress, encodeAddress } from '../../src/crypto/address.js';
import { assembleBlock, solveBlock } from '../../src/miner/template.js';
import { testKey } from './chain-fixture.js';

export const regtest = NETWORKS.regtest;

/** A regtest address nobody holds the key to (the all-zero key hash). */
export const BURN_ADDRESS = encodeAddress(regtest.addressPrefix, new Uint8Array(20));

export interface BuiltBlock {
  readonly hash: string;
  readonly hex: string;
  readonly bytes: Uint8Array;
  readonly block: Block;
}

export interface BlockSpec {
  /** Hash of the block this one extends. */
  readonly parentHash: string;
  readonly height: number;
  /** Header time (seconds); it must be above the parent's median time past to be valid. */
  readonly time: number;
  /** Address (bech32m) the coinbase pays to. */
  readonly minerAddress: string;
  /** Makes blocks with the same parent and time different. */
  readonly extraNonce?: bigint;
  /** Pick a nonce whose hash is above the target: the block fails proof of work. */
  readonly badPow?: boolean;
  /** Transactions after the coinbase, with their fees (default none). */
  readonly txs?: ReadonlyArray<{ readonly tx: Tx; readonly fee: bigint }>;
}

function finish(block: Block): BuiltBlock {
  const bytes = encodeBlock(block);
  return { hash: blockHashHex(block), hex: toHex(bytes), bytes, block };
}

/** A regtest block (a coinbase, then `spec.txs`), on `parentHash` at the network's fixed difficulty. */
export function buildBlock(spec: BlockSpec): BuiltBlock {
  const template = assembleBlock({
    params: regtest,
    height: spec.height,
    prevHash: fromHex(spec.parentHash),
    bits: regtest.powLimitBits,
    time: spec.time,
    minerAddress: decodeAddress(regtest.addressPrefix, spec.minerAddress),
    txs: spec.txs ?? [],
    extraNonce: spec.extraNonce,
  });
  if (!spec.badPow) {
    const solved = solveBlock(template);
    if (!solved) throw new Error('no nonce meets the regtest target');
    return finish(solved);
  }
  // Regtest's target is half the hash space, so about every other nonce fails.
  const target = bitsToTarget(template.header.bits)!;
  for (let nonce = 0; nonce < 1000; nonce++) {
    const header = { ...template.header, nonce };
    if (!hashMeetsTarget(headerHash(header), target)) return finish({ header, txs: template.txs });
  }
  throw new Error('no nonce fails the regtest target');
}

/** A well-formed transaction that breaks a consensus rule on its own: it has no outputs. */
export function txWithoutOutputs(seed: number): Uint8Array {
  const tx: Tx = {
    version: 1,
    inputs: [
      {
        prevTxid: new Uint8Array(32).fill(seed & 0xff),
        prevIndex: 0,
        publicKey: new Uint8Array(32).fill(1),
        signature: new Uint8Array(64).fill(2),
      },
    ],
    outputs: [],
    data: new Uint8Array(),
  };
  return encodeTx(tx);
}

/** A mined coinbase-only block on `parent`, given as GET /api/v1/blocks/:id shows a block. */
export function coinbaseBlockOn(parent: { hash: string; height: number; time: number; bits: string }): Block {
  const block = assembleBlock({
    params: regtest,
    height: parent.height + 1,
    prevHash: fromHex(parent.hash),
    bits: Number.parseInt(parent.bits, 16),
    time: parent.time + 1,
    minerAddress: testKey(9).address,
    txs: [],
  });
  return solveBlock(block)!;
}
