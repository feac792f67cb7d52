// Blocks an attacker makes at no cost, built with the node's own template code (src/miner/template.ts), so
// they follow the coinbase and header format of the code under test: big bodies of well-formed
// transactions that spend outputs nobody has (a block's sanity checks pass; only connecting it would
// fail), side blocks mined at the network's easiest target with the miner's kernel, orphans, and corrupted copies of one block.
import { randomBytes } from 'node:crypto';
import { type Block, blockHashHex, encodeBlock } from '../../src/core/block.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { encodeHeader } from '../../src/core/header.js';
import type { NetworkParams } from '../../src/core/params.js';
import { bitsToTarget, targetToBytes } from '../../src/core/pow.js';
import { encodeTx, TX_VERSION, type Tx } from '../../src/core/tx.js';
import { loadPowKernel } from '../../src/miner/pow-kernel.js';
import { assembleBlock } from '../../src/miner/template.js';
import type { BuiltBlock } from '../../test/support/p2p-blocks.js';

/** The bytes of one input: outpoint (36), public key (32), signature (64). */
const INPUTS_PER_TX = 700;
const NOBODY = new Uint8Array(20);

function fillerTx(inputs: number): Tx {
  return {
    version: TX_VERSION,
    inputs: Array.from({ length: inputs }, () => ({
      prevTxid: randomBytes(32),
      prevIndex: 0,
      publicKey: randomBytes(32),
      signature: randomBytes(64),
    })),
    outputs: [{ amount: 1n, address: NOBODY }],
    data: new Uint8Array(),
  };
}

/** Well-formed transactions of about `bytes` in all (each under the 100 kB transaction limit). */
export function fillerTxs(bytes: number): Tx[] {
  const txs: Tx[] = [];
  let size = 0;
  while (size < bytes) {
    const left = bytes - size;
    const tx = fillerTx(Math.max(1, Math.min(INPUTS_PER_TX, Math.floor(left / 132))));
    size += encodeTx(tx).length;
    txs.push(tx);
  }
  return txs;
}

export function built(block: Block): BuiltBlock {
  const bytes = encodeBlock(block);
  return { hash: blockHashHex(block), hex: toHex(bytes), bytes, block };
}

export interface BigBlockSpec {
  readonly params: NetworkParams;
  readonly parentHash: string;
  readonly height: number;
  /** Header time, seconds. */
  readonly time: number;
  readonly txs: readonly Tx[];
  readonly extraNonce: bigint;
}

/** A block with these transactions on `parentHash`, solved at the network's easiest target. */
export function bigBlock(spec: BigBlockSpec): BuiltBlock {
  const template = assembleBlock({
    params: spec.params,
    height: spec.height,
    prevHash: fromHex(spec.parentHash),
    bits: spec.params.powLimitBits,
    time: spec.time,
    minerAddress: NOBODY,
    txs: spec.txs.map((tx) => ({ tx, fee: 0n })),
    extraNonce: spec.extraNonce,
  });
  return built(solve(template));
}

let kernel: ReturnType<typeof loadPowKernel> | undefined;

/** The miner's own kernel (native when built): dev's easiest target takes about 65,000 hashes. */
function solve(block: Block): Block {
  kernel ??= loadPowKernel();
  const target = targetToBytes(bitsToTarget(block.header.bits)!);
  const { nonce } = kernel.scan(encodeHeader(block.header), target, 0, 0xffffffff);
  if (nonce === null) throw new Error('no nonce meets the target');
  return { header: { ...block.header, nonce }, txs: block.txs };
}

/**
 * A copy of `block` with the same header and one corruption in its body: even `n` change the signature
 * of input n/2 of the first filler transaction (the txids stay the same), odd `n` its outpoint index
 * (a txid changes, so the body no longer matches the header's Merkle root).
 */
export function corruptedCopy(block: Block, n: number): Uint8Array {
  const [coinbase, first, ...rest] = block.txs;
  if (!coinbase || !first) throw new Error('a corrupted copy needs a block with a transaction');
  const j = Math.floor(n / 2) % first.inputs.length;
  const inputs = first.inputs.map((input, i) => {
    if (i !== j) return input;
    if (n % 2 === 1) return { ...input, prevIndex: input.prevIndex + 1 };
    const signature = Uint8Array.from(input.signature);
    signature[0] = (signature[0]! + 1 + n) & 0xff;
    return { ...input, signature };
  });
  return encodeBlock({ header: block.header, txs: [coinbase, { ...first, inputs }, ...rest] });
}
