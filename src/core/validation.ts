// Consensus validation in three levels, after btcd:
//   sanity     - the block or transaction alone ("now" is a parameter, never read from a clock)
//   contextual - needs facts about the parent chain (height, required bits, median time past)
//   connect    - needs the coins being spent; returns the UTXO changes and the signatures to verify
// Every function is pure and synchronous and reports a RuleError with a stable code.
import { type Block, encodeBlock } from './block.js';
import { equalBytes, toHex } from './bytes.js';
import { attempt, type Result, RuleError } from './errors.js';
import { type BlockHeader, headerHash } from './header.js';
import { merkleRoot } from './merkle.js';
import {
  blockSubsidy,
  COINBASE_DATA_MAX,
  COINBASE_DATA_MIN,
  MAX_BLOCK_SIZE,
  MAX_DATA_SIZE,
  MAX_FUTURE_SECONDS,
  MAX_MONEY,
  MAX_TIMEWARP_SECONDS,
  MAX_TX_SIZE,
  type NetworkParams,
} from './params.js';
import { bitsToTarget, hashMeetsTarget } from './pow.js';
import {
  decodeCoinbaseData,
  isCoinbase,
  outpointKey,
  publicKeyHash,
  sighash,
  signatureRoot,
  TX_VERSION,
  type Tx,
  txid,
  txSize,
} from './tx.js';

export const BLOCK_VERSION = 1;

/** An unspent output, as the UTXO set stores it. */
export interface Coin {
  readonly amount: bigint;
  readonly address: Uint8Array;
  readonly height: number;
  readonly coinbase: boolean;
}

/** Whether a coin may be spent in a block at `spendHeight` (coinbase outputs wait coinbaseMaturity blocks). */
export const isMature = (coin: Coin, spendHeight: number, params: NetworkParams): boolean =>
  !coin.coinbase || spendHeight - coin.height >= params.coinbaseMaturity;

/** Read access to unspent outputs by outpoint key (see outpointKey). */
export interface CoinView {
  get(key: string): Coin | undefined;
}

/** A signature the caller must verify (in a batch, on worker threads, however it likes). */
export interface SigCheck {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly txIndex: number;
  readonly inputIndex: number;
}

const fail = (code: ConstructorParameters<typeof RuleError>[0], message?: string): never => {
  throw new RuleError(code, message);
};

// ---------------------------------------------------------------------------------------------
// Sanity

function assertTxSanity(tx: Tx, size: number): void {
  if (tx.version !== TX_VERSION)
    fail('bad-version', `transaction version ${tx.version} is not ${TX_VERSION}`);
  if (size > MAX_TX_SIZE) fail('tx-too-large', `transaction of ${size} bytes exceeds ${MAX_TX_SIZE}`);
  if (tx.outputs.length === 0) fail('no-outputs');
  let total = 0n;
  for (const [i, out] of tx.outputs.entries()) {
    // A coinbase output may be 0: once the subsidy has halved to nothing, an empty block pays 0.
    const min = isCoinbase(tx) ? 0n : 1n;
    if (out.amount < min || out.amount > MAX_MONEY)
      fail('bad-amount', `output ${i} amount ${out.amount} is out of range`);
    total += out.amount;
  }
  if (total > MAX_MONEY) fail('bad-amount', 'outputs exceed the money supply');
  if (isCoinbase(tx)) {
    if (tx.data.length < COINBASE_DATA_MIN || tx.data.length > COINBASE_DATA_MAX) {
      fail('bad-coinbase-data', `coinbase data must be ${COINBASE_DATA_MIN}..${COINBASE_DATA_MAX} bytes`);
    }
    return;
  }
  if (tx.data.length > MAX_DATA_SIZE) {
    fail('bad-data-size', `data record of ${tx.data.length} bytes exceeds ${MAX_DATA_SIZE}`);
  }
  const seen = new Set<string>();
  for (const input of tx.inputs) {
    const key = outpointKey(input.prevTxid, input.prevIndex);
    if (seen.has(key)) fail('double-spend', `the transaction spends ${key} twice`);
    seen.add(key);
  }
}

/** Checks a transaction on its own. */
export const checkTxSanity = (tx: Tx): RuleError | undefined => {
  const r = attempt(() => assertTxSanity(tx, txSize(tx)));
  return r.ok ? undefined : r.error;
};

export interface BlockSanity {
  readonly hash: Uint8Array;
  readonly txids: readonly Uint8Array[];
}

/**
 * Checks a block on its own, in an order that tells a corrupted copy from an invalid block:
 *   1. the header: version, bits, proof of work, time against `now` (seconds);
 *   2. the body against the header: txids, Merkle root, no repeated txid, then the signatures
 *      against the coinbase's signature root;
 *   3. the rest: block size, coinbase position, every transaction's sanity.
 * A failure in step 2 is malleated: the body is not the one the header commits to. Once both roots
 * match, the header commits to every byte of the body: a failure in step 3 belongs to the header,
 * whoever sends it.
 */
export function checkBlockSanity(
  block: Block,
  params: NetworkParams,
  now: number,
  encodedSize?: number,
): Result<BlockSanity> {
  return attempt(() => {
    const hash = assertHeaderSanity(block.header, params, now);
    const txids = assertBodyMatchesHeader(block);
    assertSignatureCommitment(block);
    const size = encodedSize ?? encodeBlock(block).length;
    if (size > MAX_BLOCK_SIZE) fail('block-too-large', `block of ${size} bytes exceeds ${MAX_BLOCK_SIZE}`);
    if (block.txs.length === 0 || !isCoinbase(block.txs[0]!))
      fail('bad-coinbase', 'the first transaction must be a coinbase');
    for (let i = 1; i < block.txs.length; i++) {
      if (isCoinbase(block.txs[i]!)) fail('bad-coinbase', `transaction ${i} is a second coinbase`);
    }
    for (const tx of block.txs) assertTxSanity(tx, txSize(tx));
    return { hash, txids };
  });
}

/** Version, bits, proof of work and time: what the header alone can break (headers-first sync checks
 * headers before their bodies with this). Returns the header's hash. */
export function checkHeaderSanity(
  header: BlockHeader,
  params: NetworkParams,
  now: number,
): Result<Uint8Array> {
  return attempt(() => assertHeaderSanity(header, params, now));
}

function assertHeaderSanity(header: BlockHeader, params: NetworkParams, now: number): Uint8Array {
  if (header.version !== BLOCK_VERSION)
    fail('bad-version', `block version ${header.version} is not ${BLOCK_VERSION}`);
  const target = bitsToTarget(header.bits);
  if (target === null || target === 0n || target > params.powLimit) {
    fail('bad-bits', `bits 0x${header.bits.toString(16)} do not encode a target within the network's limit`);
  }
  const hash = headerHash(header);
  if (!hashMeetsTarget(hash, target!)) fail('bad-pow', `hash ${toHex(hash)} is above the target`);
  if (header.time > now + MAX_FUTURE_SECONDS) {
    fail('time-too-new', `block time ${header.time} is more than ${MAX_FUTURE_SECONDS} s ahead of ${now}`);
  }
  return hash;
}

/** The txids, once they are known to be exactly the list the header's Merkle root commits to. */
function assertBodyMatchesHeader(block: Block): Uint8Array[] {
  const txids = block.txs.map(txid);
  if (!equalBytes(merkleRoot(txids), block.header.merkleRoot)) fail('bad-merkle-root');
  // A root can match a list with a repeated subtree (CVE-2012-2459: [a, b, c] and [a, b, c, c]
  // share one); any such list repeats a txid, so refusing repeats makes a root name one list.
  const seen = new Set<string>();
  for (const id of txids) {
    const hex = toHex(id);
    if (seen.has(hex)) fail('duplicate-tx', `transaction ${hex} appears twice`);
    seen.add(hex);
  }
  return txids;
}

/**
 * The signatures are the ones the coinbase's signature root commits to. A block whose first
 * transaction is no coinbase, or whose coinbase data is too short to hold a root, is left to the
 * later rules (`bad-coinbase`, `bad-coinbase-data`): the txids cover that, so it is the header's fault.
 */
function assertSignatureCommitment(block: Block): void {
  const coinbase = block.txs[0];
  if (!coinbase || !isCoinbase(coinbase) || coinbase.data.length < COINBASE_DATA_MIN) return;
  const committed = decodeCoinbaseData(coinbase.data).sigRoot;
  if (!equalBytes(signatureRoot(block.txs.slice(1)), committed)) {
    fail('bad-sig-commitment', `the signatures do not match the signature root ${toHex(committed)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Contextual

/** What a block needs to know about its place in the chain. */
export interface BlockContext {
  readonly height: number;
  /** Bits the chain requires at this height (see nextBits). */
  readonly expectedBits: number;
  /** Median time past of the previous 11 blocks (see medianTimePast). */
  readonly medianTimePast: number;
  /**
   * At a retarget height (see isRetargetHeight), the parent's time: the last block of the previous
   * window, which the block may precede by at most MAX_TIMEWARP_SECONDS. Absent at other heights.
   */
  readonly retargetParentTime?: number;
}

export function checkBlockContext(block: Block, ctx: BlockContext): RuleError | undefined {
  const r = attempt(() => {
    assertHeaderContext(block.header, ctx);
    const coinbase = block.txs[0]!;
    if (decodeCoinbaseData(coinbase.data).height !== ctx.height) {
      fail('bad-coinbase-height', `the coinbase does not carry height ${ctx.height}`);
    }
  });
  return r.ok ? undefined : r.error;
}

/** The contextual rules a header alone can break (bits, time): checkBlockContext without the body. */
export function checkHeaderContext(header: BlockHeader, ctx: BlockContext): RuleError | undefined {
  const r = attempt(() => assertHeaderContext(header, ctx));
  return r.ok ? undefined : r.error;
}

function assertHeaderContext(header: BlockHeader, ctx: BlockContext): void {
  if (header.bits !== ctx.expectedBits) {
    fail(
      'bad-bits',
      `bits 0x${header.bits.toString(16)} but the chain requires 0x${ctx.expectedBits.toString(16)}`,
    );
  }
  if (header.time <= ctx.medianTimePast) {
    fail('time-too-old', `block time ${header.time} is not above the median time past ${ctx.medianTimePast}`);
  }
  // Without this, a miner can date each window's last block far ahead and the next window's first
  // far back, so every window looks slow and the difficulty falls without bound (time-warp attack).
  if (ctx.retargetParentTime !== undefined && header.time < ctx.retargetParentTime - MAX_TIMEWARP_SECONDS) {
    fail(
      'time-timewarp-attack',
      `block time ${header.time} is more than ${MAX_TIMEWARP_SECONDS} s before its parent's ${ctx.retargetParentTime}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Connect

export interface TxInputsResult {
  readonly fee: bigint;
  /** The coins this transaction spends, in input order. */
  readonly spent: readonly Coin[];
  readonly sigChecks: readonly SigCheck[];
}

/**
 * Checks a non-coinbase transaction's inputs against coins: they exist, are mature, belong to the
 * signer's key, and cover the outputs. Signatures are returned as checks, not verified here.
 * `spendHeight` is the height of the block that would include the transaction.
 */
export function checkTxInputs(
  tx: Tx,
  view: CoinView,
  spendHeight: number,
  params: NetworkParams,
  txIndex = 0,
  id: Uint8Array = txid(tx),
): Result<TxInputsResult> {
  return attempt(() => assertTxInputs(tx, view, spendHeight, params, txIndex, id));
}

function assertTxInputs(
  tx: Tx,
  view: CoinView,
  spendHeight: number,
  params: NetworkParams,
  txIndex: number,
  id: Uint8Array,
  /** The inputs' outpoint keys, when the caller has them already. */
  inputKeys: readonly string[] = tx.inputs.map((i) => outpointKey(i.prevTxid, i.prevIndex)),
): TxInputsResult {
  const spent: Coin[] = [];
  let inputTotal = 0n;
  for (const [j, input] of tx.inputs.entries()) {
    const key = inputKeys[j]!;
    const coin = view.get(key);
    if (!coin) fail('missing-inputs', `output ${key} does not exist or is already spent`);
    if (!isMature(coin!, spendHeight, params)) {
      fail(
        'immature-coinbase',
        `coinbase output ${key} from height ${coin!.height} cannot be spent before height ${coin!.height + params.coinbaseMaturity}`,
      );
    }
    if (!equalBytes(publicKeyHash(input.publicKey), coin!.address)) {
      fail('bad-pubkey', `the public key of the input spending ${key} does not match the output's address`);
    }
    spent.push(coin!);
    inputTotal += coin!.amount;
  }
  let outputTotal = 0n;
  for (const out of tx.outputs) outputTotal += out.amount;
  if (outputTotal > inputTotal)
    fail('overspend', `outputs total ${outputTotal} but inputs only ${inputTotal}`);
  const message = sighash(
    id,
    spent.map((c) => c.amount),
  );
  const sigChecks = tx.inputs.map((input, inputIndex) => ({
    publicKey: input.publicKey,
    message,
    signature: input.signature,
    txIndex,
    inputIndex,
  }));
  return { fee: inputTotal - outputTotal, spent, sigChecks };
}

/** What connecting a block does to the UTXO set, plus what is needed to undo it. */
export interface BlockConnection {
  /** Coins that existed before the block and are spent by it (key, coin, txid, output index): the undo data, in spend order. */
  readonly spent: ReadonlyArray<readonly [string, Coin, Uint8Array, number]>;
  /** Coins the block creates that are still unspent after it. */
  readonly created: ReadonlyArray<readonly [string, Coin]>;
  readonly fees: bigint;
  readonly sigChecks: readonly SigCheck[];
}

/**
 * Applies a sanity-checked block at `height` to a view of the coins it spends, without mutating the view.
 * Later transactions may spend outputs of earlier ones in the same block.
 */
export function connectBlock(
  block: Block,
  txids: readonly Uint8Array[],
  height: number,
  view: CoinView,
  params: NetworkParams,
  /** Each transaction's input outpoint keys (index 0, the coinbase, unused), when the caller has them. */
  inputKeys?: readonly (readonly string[])[],
): Result<BlockConnection> {
  return attempt(() => {
    const created = new Map<string, Coin>();
    const spentInBlock = new Set<string>();
    const spent: Array<readonly [string, Coin, Uint8Array, number]> = [];
    const layered: CoinView = {
      get: (key) => (spentInBlock.has(key) ? undefined : (created.get(key) ?? view.get(key))),
    };
    let fees = 0n;
    const sigChecks: SigCheck[] = [];
    for (let i = 1; i < block.txs.length; i++) {
      const tx = block.txs[i]!;
      const keys = inputKeys?.[i] ?? tx.inputs.map((input) => outpointKey(input.prevTxid, input.prevIndex));
      for (const key of keys) {
        if (spentInBlock.has(key)) fail('double-spend', `output ${key} is spent twice in the block`);
      }
      const result = assertTxInputs(tx, layered, height, params, i, txids[i]!, keys);
      for (const [j, input] of tx.inputs.entries()) {
        const key = keys[j]!;
        if (created.has(key)) created.delete(key);
        else spent.push([key, result.spent[j]!, input.prevTxid, input.prevIndex]);
        spentInBlock.add(key);
      }
      fees += result.fee;
      sigChecks.push(...result.sigChecks);
      addOutputs(created, tx, txids[i]!, height, false);
    }
    const coinbase = block.txs[0]!;
    const allowed = blockSubsidy(params, height) + fees;
    let paid = 0n;
    for (const out of coinbase.outputs) paid += out.amount;
    if (paid > allowed)
      fail('bad-coinbase-amount', `coinbase pays ${paid} but subsidy plus fees is ${allowed}`);
    addOutputs(created, coinbase, txids[0]!, height, true);
    return { spent, created: [...created], fees, sigChecks };
  });
}

function addOutputs(
  into: Map<string, Coin>,
  tx: Tx,
  id: Uint8Array,
  height: number,
  coinbase: boolean,
): void {
  const hex = toHex(id);
  tx.outputs.forEach((out, index) => {
    into.set(outpointKey(hex, index), { amount: out.amount, address: out.address, height, coinbase });
  });
}

/** Verifies signature checks with the given verifier; the first failure is a bad-signature error. */
export function verifySigChecks(
  checks: readonly SigCheck[],
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean,
): RuleError | undefined {
  for (const c of checks) {
    if (!verify(c.publicKey, c.message, c.signature)) {
      return new RuleError(
        'bad-signature',
        `signature of input ${c.inputIndex} of transaction ${c.txIndex} does not verify`,
      );
    }
  }
  return undefined;
}
