// Big blocks an attacker can make for the price of proof of work alone, for the attack tests: their
// bodies are filler transactions that pass every check needing no coins (they spend coins nobody
// has), so a node can only tell them apart from honest blocks once it tries to connect them.
import { type Block, encodeBlock } from '../../src/core/block.js';
import { concatBytes } from '../../src/core/bytes.js';
import { sha256d } from '../../src/core/hash.js';
import { encodeHeader, HEADER_SIZE, NONCE_OFFSET } from '../../src/core/header.js';
import type { NetworkParams } from '../../src/core/params.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/pow.js';
import type { Tx } from '../../src/core/tx.js';
import { installNativeSha256 } from '../../src/crypto/sha256-native.js';
import { assembleBlock } from '../../src/miner/template.js';

installNativeSha256();

/** Inputs per filler transaction: ~132 bytes each, under MAX_TX_SIZE (100 kB). */
const INPUTS_PER_TX = 700;

/** Filler transactions of about `bytes` in all; `seed` makes their inputs (and txids) differ. */
export function fillerTxs(bytes: number, seed: number): Tx[] {
  const txs: Tx[] = [];
  const perTx = INPUTS_PER_TX * 132;
  for (let t = 0; t * perTx < bytes; t++) {
    const count = Math.min(INPUTS_PER_TX, Math.ceil((bytes - t * perTx) / 132));
    const inputs = Array.from({ length: count }, (_, i) => {
      const prevTxid = new Uint8Array(32);
      new DataView(prevTxid.buffer).setUint32(0, seed);
      new DataView(prevTxid.buffer).setUint32(4, t);
      new DataView(prevTxid.buffer).setUint32(8, i);
      return {
        prevTxid,
        prevIndex: 0,
        publicKey: new Uint8Array(32).fill(3),
        signature: new Uint8Array(64).fill(4),
      };
    });
    txs.push({
      version: 1,
      inputs,
      outputs: [{ amount: 1n, address: new Uint8Array(20) }],
      data: new Uint8Array(),
    });
  }
  return txs;
}

export interface BulkySpec {
  readonly params: NetworkParams;
  readonly prevHash: Uint8Array;
  readonly height: number;
  readonly time: number;
  readonly bits: number;
  /** Filler bytes besides the coinbase. */
  readonly fill: number;
  readonly seed: number;
  readonly minerAddress?: Uint8Array;
}

/** A block of about `fill` bytes with valid proof of work at `bits`. */
export function bulkyBlock(spec: BulkySpec): { block: Block; bytes: Uint8Array } {
  const template = assembleBlock({
    params: spec.params,
    height: spec.height,
    prevHash: spec.prevHash,
    bits: spec.bits,
    time: spec.time,
    minerAddress: spec.minerAddress ?? new Uint8Array(20),
    txs: fillerTxs(spec.fill, spec.seed).map((tx) => ({ tx, fee: 0n })),
  });
  const header = grind(encodeHeader(template.header), spec.bits);
  const bytes = encodeBlock(template);
  bytes.set(header, 0);
  return { block: { header: { ...template.header, nonce: readNonce(header) }, txs: template.txs }, bytes };
}

/** The same body under another parent (the nonce ground again): many distinct blocks for one build. */
export function withParent(bytes: Uint8Array, prevHash: Uint8Array, bits: number): Uint8Array {
  const header = bytes.slice(0, HEADER_SIZE);
  header.set(prevHash, 4);
  return concatBytes(grind(header, bits), bytes.subarray(HEADER_SIZE));
}

/** Finds a nonce for an 80-byte header (bounded: the nonce space). */
function grind(header: Uint8Array, bits: number): Uint8Array {
  const target = bitsToTarget(bits)!;
  // The target's first byte: a hash above it fails without the bigint comparison.
  const topByte = Number(target >> 248n);
  const view = new DataView(header.buffer, header.byteOffset, HEADER_SIZE);
  for (let nonce = 0; nonce < 2 ** 32; nonce++) {
    view.setUint32(NONCE_OFFSET, nonce, true);
    const hash = sha256d(header);
    if (hash[0]! <= topByte && hashMeetsTarget(hash, target)) return header;
  }
  throw new Error('no nonce meets the target');
}

function readNonce(header: Uint8Array): number {
  return new DataView(header.buffer, header.byteOffset, HEADER_SIZE).getUint32(NONCE_OFFSET, true);
}
