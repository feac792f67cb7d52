// Builds blocks on regtest for chain, mempool and store tests: deterministic keys, times and nonces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain, type ChainOptions, type SignatureVerifier } from '../../src/chain/chain.js';
import type { ChainEntry } from '../../src/chain/entry.js';
import { type Block, commitSignatures, computeMerkleRoot } from '../../src/core/block.js';
import { nextBits } from '../../src/core/difficulty.js';
import { NETWORKS, type NetworkParams } from '../../src/core/params.js';
import { publicKeyHash, sighash, type Tx, txid } from '../../src/core/tx.js';
import { keyPairFromPrivate, sign } from '../../src/crypto/ed25519.js';
import { assembleBlock, solveBlock } from '../../src/miner/template.js';
import { openStore } from '../../src/node/level-store.js';

export const regtest: NetworkParams = NETWORKS.regtest;

export function testKey(n: number) {
  const seed = new Uint8Array(32).fill(n);
  const kp = keyPairFromPrivate(seed);
  return { ...kp, address: publicKeyHash(kp.publicKey) };
}

export function tempDir(prefix = 'hashline-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export async function openTestChain(
  params: NetworkParams = regtest,
  opts: Partial<Omit<ChainOptions, 'store' | 'params' | 'now'>> & {
    verifySignatures?: SignatureVerifier;
  } = {},
) {
  const dir = tempDir();
  const store = await openStore(dir.path);
  let clock = params.genesis.time + 1_000_000;
  const chain = await Chain.open({ store, params, now: () => clock, ...opts });
  return {
    chain,
    store,
    dir: dir.path,
    setNow: (t: number) => {
      clock = t;
    },
    close: async () => {
      await store.close();
      dir.cleanup();
    },
  };
}

/** A block on `parent` (default: the tip), paying the coinbase to `miner`, with the given transactions. */
export function makeBlock(
  chain: Chain,
  opts: {
    parent?: ChainEntry;
    miner?: Uint8Array;
    txs?: Array<{ tx: Tx; fee: bigint }>;
    extraNonce?: bigint;
    timeOffset?: number;
  } = {},
): Block {
  const parent = opts.parent ?? chain.tip;
  const height = parent.height + 1;
  const block = assembleBlock({
    params: chain.params,
    height,
    prevHash: parent.hash,
    bits: nextBits(chain.params, height, parent.header.bits),
    time: parent.header.time + 10 + (opts.timeOffset ?? 0),
    minerAddress: opts.miner ?? testKey(1).address,
    txs: opts.txs ?? [],
    extraNonce: opts.extraNonce,
  });
  return solveBlock(block)!;
}

/** A signed transaction spending outputs of earlier transactions owned by `key`. */
export function spend(
  key: ReturnType<typeof testKey>,
  inputs: Array<{ txid: Uint8Array; index: number; amount: bigint }>,
  outputs: Array<{ address: Uint8Array; amount: bigint }>,
  data: Uint8Array = new Uint8Array(),
): Tx {
  const unsigned: Tx = {
    version: 1,
    inputs: inputs.map((i) => ({
      prevTxid: i.txid,
      prevIndex: i.index,
      publicKey: key.publicKey,
      signature: new Uint8Array(64),
    })),
    outputs,
    data,
  };
  const msg = sighash(
    txid(unsigned),
    inputs.map((i) => i.amount),
  );
  const signature = sign(msg, key.privateKey);
  return { ...unsigned, inputs: unsigned.inputs.map((i) => ({ ...i, signature })) };
}

/** Accepts every signature: a builder chain for blocks that only a node skipping signatures would take. */
export const acceptAnySignature: SignatureVerifier = async () => -1;

/**
 * `block` with the first signature of its second transaction (or of each transaction at `txIndexes`)
 * broken and its coinbase committing to that (Merkle root recomputed, re-mined): a block of its own,
 * with another hash, that fails `bad-signature` when connected. (A copy under the same header fails
 * `bad-sig-commitment` instead.)
 */
export function withBrokenSignature(block: Block, txIndexes: readonly number[] = [1]): Block {
  const broken = block.txs.map((tx, i) => {
    if (i === 0 || !txIndexes.includes(i)) return tx;
    const signature = tx.inputs[0]!.signature.slice();
    signature[7]! ^= 0x40;
    return { ...tx, inputs: [{ ...tx.inputs[0]!, signature }, ...tx.inputs.slice(1)] };
  });
  const { txs } = commitSignatures({ header: block.header, txs: broken });
  return solveBlock({ header: { ...block.header, merkleRoot: computeMerkleRoot(txs), nonce: 0 }, txs })!;
}
