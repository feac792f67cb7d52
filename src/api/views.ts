// JSON views of blocks and transactions for the API (see docs/api.md). Amounts are decimal strings.
import type { ChainEntry } from '../chain/entry.js';
import type { Block } from '../core/block.js';
import { toHex } from '../core/bytes.js';
import { merkleProofFromTree } from '../core/merkle.js';
import { blockSubsidy, COINBASE_DATA_MIN, type NetworkParams } from '../core/params.js';
import { bitsToTarget } from '../core/pow.js';
import {
  decodeCoinbaseData,
  inputSequence,
  isCoinbase,
  outpointKey,
  type Tx,
  txid,
  txLockTime,
  txSize,
} from '../core/tx.js';
import type { Coin } from '../core/validation.js';
import { addressKind, encodeAddress } from '../crypto/address.js';
import type { ChainReader, UndoReader } from './context.js';
import { policyView } from './policy-view.js';

export const hex32 = (b: Uint8Array): string => toHex(b);

/** Difficulty as a multiple of the easiest target the network allows. */
export function difficulty(params: NetworkParams, bits: number): number {
  const target = bitsToTarget(bits);
  if (!target) return 0;
  // Scale down before dividing so both fit in a double.
  return Number((params.powLimit * 1_000_000n) / target) / 1_000_000;
}

function utf8OrNull(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return '';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A coinbase's data: height, extra-nonce and signature root, then the miner's free text. */
function coinbaseDataView(data: Uint8Array) {
  // Too short to hold them: a block the node refuses (bad-coinbase-data), shown by POST /api/v1/decode.
  if (data.length < COINBASE_DATA_MIN) return { hex: toHex(data), text: utf8OrNull(data) };
  const { height, extraNonce, sigRoot, text } = decodeCoinbaseData(data);
  return {
    hex: toHex(data),
    text: utf8OrNull(text),
    height,
    extraNonce: extraNonce.toString(),
    sigRoot: toHex(sigRoot),
  };
}

export interface TxContext {
  /** The confirming block; with its Merkle tree (see merkleTree), the proof is included. */
  readonly block?: { hash: string; height: number; tree?: readonly (readonly Uint8Array[])[]; index: number };
  readonly confirmations: number;
  /** Coins spent by the inputs, in input order, when known. */
  readonly spent?: ReadonlyArray<Coin | undefined>;
  /** The transaction's id when the caller has it already (a block's txids are hashed once). */
  readonly txid?: Uint8Array;
  /** Encodes address hashes; a block view shares one memo across its transactions. */
  readonly address?: (hash: Uint8Array) => string;
}

/** An address encoder that remembers what it encoded: a block pays the same few addresses often. */
export function addressMemo(params: NetworkParams): (hash: Uint8Array) => string {
  const names = new Map<string, string>();
  return (hash) => {
    const key = toHex(hash);
    let name = names.get(key);
    if (name === undefined) {
      name = encodeAddress(params.addressPrefix, hash);
      names.set(key, name);
    }
    return name;
  };
}

export function txView(params: NetworkParams, tx: Tx, ctx: TxContext) {
  const address = ctx.address ?? ((hash: Uint8Array) => encodeAddress(params.addressPrefix, hash));
  const size = txSize(tx);
  const coinbase = isCoinbase(tx);
  let inTotal = 0n;
  let known = true;
  const inputs = tx.inputs.map((input, i) => {
    const coin = ctx.spent?.[i];
    if (coin) inTotal += coin.amount;
    else known = false;
    return {
      prevTxid: toHex(input.prevTxid),
      prevIndex: input.prevIndex,
      sequence: inputSequence(input),
      publicKey: toHex(input.publicKey),
      signature: toHex(input.signature),
      policy: policyView(tx, input),
      witness: input.witness ? toHex(input.witness) : null,
      address: coin ? address(coin.address) : null,
      amount: coin ? coin.amount.toString() : null,
    };
  });
  const outTotal = tx.outputs.reduce((s, o) => s + o.amount, 0n);
  const fee = coinbase ? 0n : known ? inTotal - outTotal : null;
  const outputs = tx.outputs.map((o, index) => ({
    index,
    amount: o.amount.toString(),
    address: address(o.address),
    kind: addressKind(o.address),
  }));
  return {
    txid: toHex(ctx.txid ?? txid(tx)),
    version: tx.version,
    lockTime: txLockTime(tx),
    size,
    coinbase,
    inputs,
    outputs,
    data: coinbase ? coinbaseDataView(tx.data) : { hex: toHex(tx.data), text: utf8OrNull(tx.data) },
    fee: fee === null ? null : fee.toString(),
    feeRate: fee === null ? null : Number(fee) / size,
    sender: coinbase ? '0' : (inputs[0]?.address ?? null),
    recipient: outputs[0]?.address ?? null,
    amount: outputs[0]?.amount ?? '0',
    block: ctx.block ? { hash: ctx.block.hash, height: ctx.block.height } : null,
    confirmations: ctx.confirmations,
    merkleProof: ctx.block?.tree
      ? merkleProofFromTree(ctx.block.tree, ctx.block.index).map((s) => ({
          hash: toHex(s.hash),
          side: s.side,
        }))
      : null,
  };
}

export type TxView = ReturnType<typeof txView>;

/** Serialized size of a block, from its transactions' sizes (no encoding). */
function blockSize(block: Block): number {
  const n = block.txs.length;
  let size = 80 + (n < 0xfd ? 1 : n <= 0xffff ? 3 : 5);
  for (const tx of block.txs) size += txSize(tx);
  return size;
}

export function blockSummary(params: NetworkParams, entry: ChainEntry, block: Block) {
  const miner = block.txs[0]?.outputs[0];
  return {
    hash: entry.hashHex,
    height: entry.height,
    previousHash: toHex(entry.header.prevHash),
    time: entry.header.time,
    bits: entry.header.bits.toString(16).padStart(8, '0'),
    difficulty: difficulty(params, entry.header.bits),
    nonce: entry.header.nonce,
    txCount: block.txs.length,
    size: blockSize(block),
    miner: miner ? encodeAddress(params.addressPrefix, miner.address) : null,
  };
}

/** Coins spent by each transaction of a confirmed block, from its undo data and its own outputs. */
export async function spentCoinsOfBlock(
  store: UndoReader,
  entry: ChainEntry,
  block: Block,
  txids: readonly Uint8Array[],
) {
  const undo = (await store.getUndo(entry.hash)) ?? [];
  const coins = new Map<string, Coin>();
  for (const u of undo) coins.set(outpointKey(u.txid, u.index), u.coin);
  block.txs.forEach((tx, i) => {
    tx.outputs.forEach((o, index) => {
      coins.set(outpointKey(txids[i]!, index), {
        amount: o.amount,
        address: o.address,
        height: entry.height,
        coinbase: i === 0,
      });
    });
  });
  return block.txs.map((tx) => tx.inputs.map((inp) => coins.get(outpointKey(inp.prevTxid, inp.prevIndex))));
}

export async function blockView(chain: ChainReader, entry: ChainEntry, block: Block) {
  const params = chain.params;
  const txids = block.txs.map(txid);
  const active = chain.isActive(entry);
  const confirmations = active ? chain.height - entry.height + 1 : 0;
  const spent = await spentCoinsOfBlock(chain.store.blocks, entry, block, txids);
  const address = addressMemo(params);
  // No Merkle proofs here (merkleProof is null): the tx view has them, one per request.
  const txs = block.txs.map((tx, index) =>
    txView(params, tx, {
      block: { hash: entry.hashHex, height: entry.height, index },
      confirmations,
      spent: spent[index],
      txid: txids[index],
      address,
    }),
  );
  const fees = txs.reduce((s, t) => s + BigInt(t.fee ?? '0'), 0n);
  const next = active ? chain.entryAtHeight(entry.height + 1) : undefined;
  return {
    ...blockSummary(params, entry, block),
    version: entry.header.version,
    merkleRoot: toHex(entry.header.merkleRoot),
    target: (bitsToTarget(entry.header.bits) ?? 0n).toString(16).padStart(64, '0'),
    chainWork: entry.chainWork.toString(),
    confirmations,
    nextHash: next?.hashHex ?? null,
    reward: blockSubsidy(params, entry.height).toString(),
    fees: fees.toString(),
    txs,
  };
}

/**
 * A transaction in the tutorials' block shape: the Tx view plus the field names adil's blockchain client
 * reads (sender_address, recipient_address, value), copies of sender, recipient and amount.
 */
function classicTx<T extends { sender: string | null; recipient: string | null; amount: string }>(tx: T) {
  return { ...tx, sender_address: tx.sender, recipient_address: tx.recipient, value: tx.amount };
}

/**
 * The tutorials' block shape, with Hashline's extra fields. With the coins each transaction spent
 * (spentCoinsOfBlock), every transaction names its sender and fee, as a pending one does.
 */
export function classicBlock(
  params: NetworkParams,
  entry: ChainEntry,
  block: Block,
  confirmations: number,
  spent?: ReadonlyArray<ReadonlyArray<Coin | undefined>>,
) {
  return {
    index: entry.height,
    // adil's tutorial client reads the height under this name.
    block_number: entry.height,
    timestamp: entry.header.time,
    transactions: block.txs.map((tx, index) =>
      classicTx(
        txView(params, tx, {
          confirmations,
          block: { hash: entry.hashHex, height: entry.height, index },
          spent: spent?.[index],
        }),
      ),
    ),
    proof: entry.header.nonce,
    nonce: entry.header.nonce,
    previous_hash: toHex(entry.header.prevHash),
    hash: entry.hashHex,
    merkle_root: toHex(entry.header.merkleRoot),
    bits: entry.header.bits.toString(16).padStart(8, '0'),
  };
}
