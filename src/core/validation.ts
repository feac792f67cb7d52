// Consensus validation in three levels, after btcd:
//   sanity     - the block or transaction alone ("now" is a parameter, never read from a clock)
//   contextual - needs facts about the parent chain (height, required bits, median time past)
//   connect    - needs the coins being spent; returns the UTXO changes and the signatures to verify
// Every function is pure and synchronous and reports a RuleError with a stable code. The rules
// themselves are records in rules.ts: these functions run them in order and stop at the first failure.
import type { Block } from './block.js';
import { toHex } from './bytes.js';
import { attempt, type Result, type RuleError } from './errors.js';
import type { BlockHeader } from './header.js';
import type { NetworkParams } from './params.js';
import { checkWitness, decodePolicy } from './policy/index.js';
import { BLOCK_SIGCHECKS_RULE } from './policy-rules.js';
import {
  BLOCK_CONTEXT_RULES,
  type BlockContext,
  BlockFacts,
  BODY_SANITY_RULES,
  COINBASE_AMOUNT_RULE,
  type Coin,
  HEADER_CONTEXT_RULES,
  HEADER_SANITY_RULES,
  HeaderFacts,
  IN_BLOCK_DOUBLE_SPEND_RULE,
  INPUT_RULES,
  type InputFacts,
  OVERSPEND_RULE,
  runRules,
  SIGNATURE_RULE,
  type SigCheck,
  TX_SANITY_RULES,
  type TxFacts,
  type Verifier,
} from './rules.js';
import { inputSequence, outpointKey, sighash, type Tx, txid, txLockTime, txSize } from './tx.js';

export {
  BLOCK_VERSION,
  type BlockContext,
  type Coin,
  isMature,
  type SigCheck,
  type Verifier,
} from './rules.js';

/** Read access to unspent outputs by outpoint key (see outpointKey). */
export interface CoinView {
  get(key: string): Coin | undefined;
}

// ---------------------------------------------------------------------------------------------
// Sanity

/** Checks a transaction on its own. */
export const checkTxSanity = (tx: Tx): RuleError | undefined => {
  const r = attempt(() => runRules(TX_SANITY_RULES, { tx, size: txSize(tx) }));
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
    const facts = new BlockFacts(block, params, now, encodedSize);
    runRules(HEADER_SANITY_RULES, facts);
    runRules(BODY_SANITY_RULES, facts);
    let total = 0;
    for (const tx of block.txs) {
      const txFacts: TxFacts = { tx, size: txSize(tx) };
      runRules(TX_SANITY_RULES, txFacts);
      total += txFacts.sigChecks ?? tx.inputs.length;
    }
    BLOCK_SIGCHECKS_RULE.check({ total });
    return { hash: facts.hash!, txids: facts.txids };
  });
}

/** Version, bits, proof of work and time: what the header alone can break (headers-first sync checks
 * headers before their bodies with this). Returns the header's hash. */
export function checkHeaderSanity(
  header: BlockHeader,
  params: NetworkParams,
  now: number,
): Result<Uint8Array> {
  return attempt(() => {
    const facts = new HeaderFacts(header, params, now);
    runRules(HEADER_SANITY_RULES, facts);
    return facts.hash!;
  });
}

// ---------------------------------------------------------------------------------------------
// Contextual

export function checkBlockContext(block: Block, ctx: BlockContext): RuleError | undefined {
  const r = attempt(() => runRules(BLOCK_CONTEXT_RULES, { block, header: block.header, ctx }));
  return r.ok ? undefined : r.error;
}

/** The contextual rules a header alone can break (bits, time): checkBlockContext without the body. */
export function checkHeaderContext(header: BlockHeader, ctx: BlockContext): RuleError | undefined {
  const r = attempt(() => runRules(HEADER_CONTEXT_RULES, { header, ctx }));
  return r.ok ? undefined : r.error;
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
  const facts: InputFacts = { tx, input: tx.inputs[0]!, key: '', coin: undefined, spendHeight, params };
  for (let j = 0; j < tx.inputs.length; j++) {
    facts.input = tx.inputs[j]!;
    facts.key = inputKeys[j]!;
    facts.coin = view.get(facts.key);
    runRules(INPUT_RULES, facts);
    spent.push(facts.coin!);
    inputTotal += facts.coin!.amount;
  }
  let outputTotal = 0n;
  for (const out of tx.outputs) outputTotal += out.amount;
  OVERSPEND_RULE.check({ inputTotal, outputTotal });
  const message = sighash(
    id,
    spent.map((c) => c.amount),
  );
  return { fee: inputTotal - outputTotal, spent, sigChecks: txSigChecks(tx, message, txIndex) };
}

/**
 * Every signature of a transaction to verify over `message`: each key spend's, and each signature a
 * policy spend's witness holds, in witness order (its sanity rules have checked the witness).
 */
function txSigChecks(tx: Tx, message: Uint8Array, txIndex: number): SigCheck[] {
  const checks: SigCheck[] = [];
  const lockTime = txLockTime(tx);
  for (let inputIndex = 0; inputIndex < tx.inputs.length; inputIndex++) {
    const input = tx.inputs[inputIndex]!;
    if (input.policy === undefined) {
      checks.push({ publicKey: input.publicKey, message, signature: input.signature, txIndex, inputIndex });
      continue;
    }
    const fields = { lockTime, sequence: inputSequence(input) };
    const witness = checkWitness(decodePolicy(input.policy), input.witness ?? NO_WITNESS, fields);
    for (const { publicKey, signature } of witness.signatures) {
      checks.push({ publicKey, message, signature, txIndex, inputIndex });
    }
  }
  return checks;
}

const NO_WITNESS = new Uint8Array(0);

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
    const connector = new BlockConnector(block, txids, height, view, params, inputKeys);
    for (let i = 1; i < block.txs.length; i++) connector.connectTx(i);
    return connector.finish();
  });
}

/**
 * connectBlock one transaction at a time: connectTx(1), connectTx(2), … in block order, then finish()
 * for the coinbase. Each throws RuleError at the first broken rule. The step-through uses it to show
 * each transaction's verdict, the chain to hand the signature checks to its verifier as they come;
 * connectBlock runs it straight through.
 */
export class BlockConnector {
  private readonly created = new Map<string, Coin>();
  private readonly spentInBlock = new Set<string>();
  private readonly spent: Array<readonly [string, Coin, Uint8Array, number]> = [];
  private readonly sigChecks: SigCheck[] = [];
  private readonly layered: CoinView;
  private fees = 0n;

  constructor(
    private readonly block: Block,
    private readonly txids: readonly Uint8Array[],
    private readonly height: number,
    view: CoinView,
    private readonly params: NetworkParams,
    private readonly inputKeys?: readonly (readonly string[])[],
  ) {
    const { created, spentInBlock } = this;
    this.layered = {
      get: (key) => (spentInBlock.has(key) ? undefined : (created.get(key) ?? view.get(key))),
    };
  }

  /** Transaction `i` (not the coinbase) against the coins and the block's earlier outputs; its signature checks. */
  connectTx(i: number): readonly SigCheck[] {
    const tx = this.block.txs[i]!;
    const { created, spentInBlock } = this;
    const keys =
      this.inputKeys?.[i] ?? tx.inputs.map((input) => outpointKey(input.prevTxid, input.prevIndex));
    IN_BLOCK_DOUBLE_SPEND_RULE.check({ keys, spentInBlock });
    const result = assertTxInputs(tx, this.layered, this.height, this.params, i, this.txids[i]!, keys);
    for (const [j, input] of tx.inputs.entries()) {
      const key = keys[j]!;
      if (created.has(key)) created.delete(key);
      else this.spent.push([key, result.spent[j]!, input.prevTxid, input.prevIndex]);
      spentInBlock.add(key);
    }
    this.fees += result.fee;
    for (const c of result.sigChecks) this.sigChecks.push(c);
    addOutputs(created, tx, this.txids[i]!, this.height, false);
    return result.sigChecks;
  }

  /** The coinbase against subsidy plus fees, after every other transaction; the block's connection. */
  finish(): BlockConnection {
    const coinbase = this.block.txs[0]!;
    const { height, fees, params } = this;
    COINBASE_AMOUNT_RULE.check({ coinbase, height, fees, params });
    addOutputs(this.created, coinbase, this.txids[0]!, height, true);
    return { spent: this.spent, created: [...this.created], fees, sigChecks: this.sigChecks };
  }
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
export function verifySigChecks(checks: readonly SigCheck[], verify: Verifier): RuleError | undefined {
  const r = attempt(() => SIGNATURE_RULE.check({ checks, verify }));
  return r.ok ? undefined : r.error;
}
