// A full-block test generator after btcd's fullblocktests: it builds blocks on a regtest-like network
// (easy proof of work, mined by counting the nonce up from 0; bits as the network requires) with deterministic keys and timestamps,
// tracks the tip and the outputs it can spend, and records what a correct node must do with each block.
// Everything is deterministic: the same table comes out byte for byte on every run.
import {
  BLOCK_VERSION,
  type Block,
  type BlockHeader,
  bitsToTarget,
  blockHashHex,
  blockSubsidy,
  COINBASE_DATA_MAX,
  COINBASE_DATA_MIN,
  commitSignatures,
  computeMerkleRoot,
  createCoinbase,
  encodeBlock,
  encodeTx,
  fromHex,
  genesisBlock,
  hashMeetsTarget,
  headerHash,
  MAX_TX_SIZE,
  medianTimePast,
  NETWORKS,
  type NetworkParams,
  nextBits,
  outpointKey,
  publicKeyHash,
  type RuleCode,
  retargetWindowStart,
  sha256,
  sighash,
  TX_VERSION,
  type Tx,
  type TxOutput,
  toHex,
  txid,
} from '../../../src/core/index.js';
import { type KeyPair, keyPairFromPrivate, sign } from '../../../src/crypto/ed25519.js';

/** regtest with a coinbase maturity of 3 instead of 1, so that spending too early can be tested. */
export const FULLBLOCK_PARAMS: NetworkParams = Object.freeze({ ...NETWORKS.regtest, coinbaseMaturity: 3 });

/** The clock (seconds) every implementation under test must use: one day after genesis. */
export const FULLBLOCK_NOW = FULLBLOCK_PARAMS.genesis.time + 86_400;

/** What a correct node does with a block (or where its tip must be), in order. */
export type TestInstance =
  /** The block is valid and stored; when `expectTip` is set, that block hash is the tip afterwards. */
  | { readonly kind: 'accept'; readonly name: string; readonly block: Block; readonly expectTip?: string }
  /**
   * The block breaks `code`. `malleated`: the failure does not condemn the hash (the body was a
   * corrupted copy), so the same hash may still be accepted. `raw`, when set, is the exact bytes to
   * submit instead of the encoded block.
   */
  | {
      readonly kind: 'reject';
      readonly name: string;
      readonly block: Block;
      readonly code: RuleCode;
      readonly malleated: boolean;
      readonly raw?: Uint8Array;
    }
  /** The block's parent is unknown: it is held back, neither accepted nor rejected. */
  | { readonly kind: 'orphan'; readonly name: string; readonly block: Block }
  /** The tip is now the block with this hash. */
  | { readonly kind: 'tip'; readonly name: string; readonly hash: string };

/** The bytes a test instance submits. */
export const instanceBytes = (t: { block: Block; raw?: Uint8Array }): Uint8Array =>
  t.raw ?? encodeBlock(t.block);

/** An output the generator holds the key for. */
export interface SpendableOut {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly amount: bigint;
}

/** A block the generator built, by the name the table gives it. */
export interface NamedBlock {
  readonly name: string;
  readonly block: Block;
  readonly hash: string;
  readonly height: number;
  readonly parent: NamedBlock | undefined;
}

/** Changes a valid block to break one rule; gets the generator to re-sign what it edits. */
export type Munger = (block: Block, g: FullBlockGenerator) => Block;

export interface BlockOptions {
  /** Each out is spent by its own transaction paying the out's amount minus `fee` back to the miner key. */
  readonly spends?: readonly SpendableOut[];
  /** Fee of each spend transaction (default 1). */
  readonly fee?: bigint;
  /** Further transactions, after the spends. */
  readonly txs?: readonly Tx[];
  readonly munge?: Munger | readonly Munger[];
  /** Keep the Merkle root the munger left (the default recomputes it after munging). */
  readonly keepMerkleRoot?: boolean;
  /** Keep the coinbase's signature root the munger left (the default recomputes it after munging). */
  readonly keepSigRoot?: boolean;
  /** Keep the nonce the munger left (the default mines the block after munging). */
  readonly keepNonce?: boolean;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A key pair from a label: SHA-256 of the label is the Ed25519 seed. */
export const deterministicKey = (label: string): KeyPair => keyPairFromPrivate(sha256(utf8(label)));

/** Finds the first nonce, counting from 0, whose header hash meets the header's target. */
export function solve(block: Block): Block {
  const target = bitsToTarget(block.header.bits);
  if (target === null || target === 0n) throw new Error('cannot mine a block whose bits encode no target');
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    const header: BlockHeader = { ...block.header, nonce };
    if (hashMeetsTarget(headerHash(header), target)) return { ...block, header };
  }
  throw new Error('no nonce meets the target');
}

export class FullBlockGenerator {
  readonly params: NetworkParams;
  /** Receives every coinbase and, by default, every spend. */
  readonly minerKey: KeyPair;
  readonly instances: TestInstance[] = [];
  private current: NamedBlock;
  private readonly byName = new Map<string, NamedBlock>();
  private readonly keysByPublicKey = new Map<string, KeyPair>();
  private readonly keysByAddress = new Map<string, KeyPair>();
  /** Every output any generated transaction created (valid or not), for signing and fees. */
  private readonly outputs = new Map<string, TxOutput>();

  constructor(params: NetworkParams = FULLBLOCK_PARAMS) {
    this.params = params;
    this.minerKey = this.key('fullblock miner');
    const genesis = genesisBlock(params);
    this.current = this.remember('genesis', genesis, 0, undefined);
  }

  // -------------------------------------------------------------------------------------------
  // Keys and coins

  /** A deterministic key the generator can sign with. */
  key(label: string): KeyPair {
    const pair = deterministicKey(label);
    this.keysByPublicKey.set(toHex(pair.publicKey), pair);
    this.keysByAddress.set(toHex(publicKeyHash(pair.publicKey)), pair);
    return pair;
  }

  get minerAddress(): Uint8Array {
    return publicKeyHash(this.minerKey.publicKey);
  }

  /** Output 0 of a named block's coinbase. */
  coinbaseOut(name: string): SpendableOut {
    return this.txOut(this.get(name).block.txs[0]!, 0);
  }

  txOut(tx: Tx, index: number): SpendableOut {
    const output = tx.outputs[index];
    if (!output) throw new Error(`no output ${index}`);
    return { txid: txid(tx), index, amount: output.amount };
  }

  /** A signed transaction spending `outs` (default: all of it, less `fee`, back to the miner key). */
  spendTx(
    outs: readonly SpendableOut[],
    opts: { fee?: bigint; outputs?: readonly TxOutput[]; data?: Uint8Array; key?: KeyPair } = {},
  ): Tx {
    const total = outs.reduce((sum, o) => sum + o.amount, 0n);
    const outputs = opts.outputs ?? [{ amount: total - (opts.fee ?? 1n), address: this.minerAddress }];
    const tx: Tx = {
      version: TX_VERSION,
      inputs: outs.map((o) => ({
        prevTxid: o.txid,
        prevIndex: o.index,
        publicKey: (opts.key ?? this.ownerOf(o)).publicKey,
        signature: new Uint8Array(64),
      })),
      outputs,
      data: opts.data ?? new Uint8Array(),
    };
    return this.sign(tx);
  }

  /**
   * Signs every input with the key its public key names, over the sighash of the amounts the
   * generator knows for the spent outputs (0 for outputs it never created). Call after editing a tx.
   */
  sign(tx: Tx): Tx {
    const amounts = tx.inputs.map(
      (i) => this.outputs.get(outpointKey(i.prevTxid, i.prevIndex))?.amount ?? 0n,
    );
    const message = sighash(txid(tx), amounts);
    const signed: Tx = {
      ...tx,
      inputs: tx.inputs.map((input) => {
        const pair = this.keysByPublicKey.get(toHex(input.publicKey));
        if (!pair) throw new Error('the generator does not hold the key of this input');
        return { ...input, signature: sign(message, pair.privateKey) };
      }),
    };
    this.registerOutputs(signed);
    return signed;
  }

  /** Inputs minus outputs, counting unknown inputs as 0 and never below 0. */
  feeOf(tx: Tx): bigint {
    let fee = 0n;
    for (const i of tx.inputs) fee += this.outputs.get(outpointKey(i.prevTxid, i.prevIndex))?.amount ?? 0n;
    for (const o of tx.outputs) fee -= o.amount;
    return fee > 0n ? fee : 0n;
  }

  private ownerOf(out: SpendableOut): KeyPair {
    const output = this.outputs.get(outpointKey(out.txid, out.index));
    const pair = output && this.keysByAddress.get(toHex(output.address));
    if (!pair) throw new Error(`the generator cannot spend ${outpointKey(out.txid, out.index)}`);
    return pair;
  }

  private registerOutputs(tx: Tx): void {
    const id = toHex(txid(tx));
    tx.outputs.forEach((out, index) => {
      this.outputs.set(outpointKey(id, index), out);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Blocks

  get tip(): NamedBlock {
    return this.current;
  }

  get(name: string): NamedBlock {
    const named = this.byName.get(name);
    if (!named) throw new Error(`no block named ${name}`);
    return named;
  }

  setTip(name: string): void {
    this.current = this.get(name);
  }

  /** Timestamps are a function of height: genesis time plus the target spacing per block. */
  defaultTime(height: number): number {
    return this.params.genesis.time + height * this.params.targetSpacing;
  }

  /** Median time past of the blocks up to and including `name` (default: the tip). */
  medianTimePast(name = this.current.name): number {
    const times: number[] = [];
    for (let b: NamedBlock | undefined = this.get(name); b && times.length < 11; b = b.parent) {
      times.unshift(b.block.header.time);
    }
    return medianTimePast(times);
  }

  /**
   * Builds the next block on the tip: a coinbase paying subsidy plus fees to the miner key (its
   * text is the block's name, so every block is unique), then the spends and extra transactions.
   * Mungers run on the finished block; then the Merkle root is recomputed and the block mined
   * (unless told to keep them). The new block becomes the tip.
   */
  nextBlock(name: string, opts: BlockOptions = {}): Block {
    const parent = this.current;
    const height = parent.height + 1;
    const spends = (opts.spends ?? []).map((out) => this.spendTx([out], { fee: opts.fee ?? 1n }));
    const txs = [...spends, ...(opts.txs ?? [])];
    const fees = txs.reduce((sum, tx) => sum + this.feeOf(tx), 0n);
    const coinbase = createCoinbase({
      height,
      outputs: [{ amount: blockSubsidy(this.params, height) + fees, address: this.minerAddress }],
      txs,
      text: utf8(name),
    });
    this.registerOutputs(coinbase);
    let block: Block = {
      header: {
        version: BLOCK_VERSION,
        prevHash: fromHex(parent.hash),
        merkleRoot: computeMerkleRoot([coinbase, ...txs]),
        time: this.defaultTime(height),
        bits: this.requiredBits(parent, height),
        nonce: 0,
      },
      txs: [coinbase, ...txs],
    };
    const mungers =
      opts.munge === undefined ? [] : typeof opts.munge === 'function' ? [opts.munge] : opts.munge;
    for (const munge of mungers) block = munge(block, this);
    if (!opts.keepSigRoot) block = commitSignatures(block);
    if (!opts.keepMerkleRoot)
      block = { ...block, header: { ...block.header, merkleRoot: computeMerkleRoot(block.txs) } };
    if (!opts.keepNonce) block = solve(block);
    for (const tx of block.txs) this.registerOutputs(tx);
    this.current = this.remember(name, block, height, parent);
    return block;
  }

  /** The bits a block at `height` on `parent` must carry (the network limit where it never retargets). */
  private requiredBits(parent: NamedBlock, height: number): number {
    let first = parent;
    while (first.height > retargetWindowStart(this.params, height) && first.parent) first = first.parent;
    const window = { firstTime: first.block.header.time, lastTime: parent.block.header.time };
    return nextBits(this.params, height, parent.block.header.bits, window);
  }

  /**
   * A copy of a named block with a different body but the same header (so the same hash): the
   * "malleated" blocks a node must reject without condemning the hash. Becomes the tip.
   */
  corruptCopy(name: string, of: string, corrupt: (block: Block, g: FullBlockGenerator) => Block): Block {
    const original = this.get(of);
    const block = corrupt(original.block, this);
    if (blockHashHex(block) !== original.hash) throw new Error(`${name} must keep the header of ${of}`);
    this.current = this.remember(name, block, original.height, original.parent);
    return block;
  }

  private remember(name: string, block: Block, height: number, parent: NamedBlock | undefined): NamedBlock {
    if (this.byName.has(name)) throw new Error(`block name ${name} is already used`);
    if (utf8(name).length > COINBASE_DATA_MAX - COINBASE_DATA_MIN)
      throw new Error(`block name ${name} is too long`);
    const named: NamedBlock = { name, block, hash: blockHashHex(block), height, parent };
    this.byName.set(name, named);
    return named;
  }

  // -------------------------------------------------------------------------------------------
  // Test instances

  /** The block (default: the tip) is accepted; the tip is then `tip` (default: that block). */
  accept(opts: { block?: string; tip?: string; as?: string } = {}): void {
    const b = this.get(opts.block ?? this.current.name);
    this.instances.push({
      kind: 'accept',
      name: opts.as ?? b.name,
      block: b.block,
      expectTip: this.get(opts.tip ?? b.name).hash,
    });
  }

  /**
   * The block (default: the tip) is rejected with `code`, as malleated when `malleated` is set.
   * `raw` replaces its encoding when set, and `as` names that variant.
   */
  reject(
    code: RuleCode,
    opts: { block?: string; raw?: Uint8Array; as?: string; malleated?: boolean } = {},
  ): void {
    const b = this.get(opts.block ?? this.current.name);
    this.instances.push({
      kind: 'reject',
      name: opts.as ?? b.name,
      block: b.block,
      code,
      malleated: opts.malleated ?? false,
      ...(opts.raw ? { raw: opts.raw } : {}),
    });
  }

  orphan(name = this.current.name): void {
    const b = this.get(name);
    this.instances.push({ kind: 'orphan', name: b.name, block: b.block });
  }

  expectTip(name: string): void {
    this.instances.push({ kind: 'tip', name, hash: this.get(name).hash });
  }
}

// ---------------------------------------------------------------------------------------------
// Mungers: small edits that break one rule each.

export const setHeader =
  (patch: Partial<BlockHeader>): Munger =>
  (b) => ({ ...b, header: { ...b.header, ...patch } });

/** Replaces transaction `index`; non-coinbase transactions are re-signed so their signatures stay valid. */
export const editTx =
  (index: number, edit: (tx: Tx, g: FullBlockGenerator) => Tx, opts: { resign?: boolean } = {}): Munger =>
  (b, g) => {
    const edited = edit(b.txs[index]!, g);
    const tx = index > 0 && (opts.resign ?? true) ? g.sign(edited) : edited;
    return { ...b, txs: b.txs.map((t, i) => (i === index ? tx : t)) };
  };

export const editCoinbase = (edit: (tx: Tx, g: FullBlockGenerator) => Tx): Munger =>
  editTx(0, edit, { resign: false });

export const setTxs =
  (txs: (block: Block, g: FullBlockGenerator) => readonly Tx[]): Munger =>
  (b, g) => ({ ...b, txs: txs(b, g) });

/** The coinbase pays `delta` more than the block is allowed to claim. */
export const coinbasePaysExtra = (delta: bigint): Munger =>
  editCoinbase((cb) => ({
    ...cb,
    outputs: cb.outputs.map((o, i) => (i === 0 ? { ...o, amount: o.amount + delta } : o)),
  }));

/** Leaves the header with a nonce whose hash does not meet the target (use with keepNonce). */
export const unmine: Munger = (b) => {
  const target = bitsToTarget(b.header.bits)!;
  for (let nonce = 0; ; nonce++) {
    const header = { ...b.header, nonce };
    if (!hashMeetsTarget(headerHash(header), target)) return { ...b, header };
  }
};

/**
 * A transaction of exactly `size` bytes (at least 8,000) spending `out` into many small outputs to
 * the miner, padded with 0..27 bytes of data.
 */
export function sizedSpendTx(g: FullBlockGenerator, out: SpendableOut, size: number): Tx {
  const base = 4 + 1 + 132 + 3 + 1; // version, 1 input, output count (3-byte varint), data length
  const n = Math.floor((size - base) / 28);
  if (n < 253) throw new Error('sizedSpendTx needs at least 253 outputs');
  const pad = size - base - 28 * n;
  const each = out.amount / BigInt(n);
  const outputs = Array.from({ length: n }, () => ({ amount: each, address: g.minerAddress }));
  const tx = g.spendTx([out], { outputs, data: new Uint8Array(pad) });
  if (encodeTx(tx).length !== size) throw new Error(`sized tx came out at ${encodeTx(tx).length} bytes`);
  return tx;
}

/**
 * A munger that adds spends of `outs` so the block encodes to exactly `blockSize` bytes, each
 * transaction within the size limit.
 */
export const fillTo =
  (outs: readonly SpendableOut[], blockSize: number): Munger =>
  (b, g) => {
    const remaining = blockSize - encodeBlock({ ...b, txs: [b.txs[0]!] }).length;
    const count = Math.ceil(remaining / (MAX_TX_SIZE - 1000));
    if (count > outs.length) throw new Error(`filling ${blockSize} bytes needs ${count} outs`);
    const txs = Array.from({ length: count }, (_, i) =>
      sizedSpendTx(g, outs[i]!, Math.floor(remaining / count) + (i < remaining % count ? 1 : 0)),
    );
    return { ...b, txs: [b.txs[0]!, ...txs] };
  };
