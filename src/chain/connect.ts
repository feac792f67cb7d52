// Connect and disconnect: what one block does to the UTXO set and to the store. Consensus work only:
// coins go to the overlay (then the coins cache), and the batch gets the block's undo data, height
// entry and index status. The explorer index (tx locations, address history and coins) is the
// indexer's job, after the connect (see indexer.ts).
import type { Block } from '../core/block.js';
import { decodeBlock } from '../core/block.js';
import type { RuleError } from '../core/errors.js';
import type { NetworkParams } from '../core/params.js';
import { outpointKey, txid } from '../core/tx.js';
import { connectBlock, type SigCheck, verifySigChecks } from '../core/validation.js';
import type { BlockStore, BlockWrites } from '../store/block-store.js';
import type { SpentCoin } from '../store/codec.js';
import type { ChainStore } from '../store/store.js';
import type { CoinOverlay } from './coin-overlay.js';
import { type ChainEntry, indexRecord } from './entry.js';

/** Verifies signature checks; resolves to the index of the first bad one, or -1. */
export interface SignatureVerifier {
  (checks: readonly SigCheck[]): Promise<number>;
  /**
   * True when the checks run on other threads (a pool of workers): the chain then lets the event loop
   * turn between blocks, so that the workers' answers arrive and the next checks reach them.
   */
  readonly inParallel?: boolean;
}

export interface DecodedBlock {
  readonly block: Block;
  readonly txids: readonly Uint8Array[];
}

/** A block of a new branch failed to connect. */
export class ConnectFailure extends Error {
  constructor(
    readonly entry: ChainEntry,
    readonly rule: RuleError,
  ) {
    super(rule.message);
  }
}

/** The scratch state of importing one block (with the orphans and branch it brings). */
export class ImportContext {
  /** Blocks decoded during this import, so a connect does not read them back from the store. */
  readonly blocks = new Map<string, DecodedBlock>();
  /** Why blocks failed to connect during this import. */
  readonly errors = new Map<string, RuleError>();
  /**
   * Work for the main thread while the signatures of the branch are checked elsewhere, run by the first
   * connect attempt only (see Connector.whileVerifying).
   */
  whileVerifying: (() => void) | undefined;
}

export interface Connector {
  /** The chain writes blocks and coins (through the coins cache). */
  readonly store: Pick<ChainStore, 'blocks' | 'coins'>;
  readonly params: NetworkParams;
  /** Undefined when replaying blocks that were connected before (their signatures were checked then). */
  readonly verifySignatures: SignatureVerifier | undefined;
  /** Runs once when every block of a branch is connected and its signature checks may be running. */
  readonly whileVerifying?: () => void;
}

export async function loadForConnect(
  store: Pick<BlockStore, 'getBlockBytes'>,
  entry: ChainEntry,
  ctx?: ImportContext,
): Promise<DecodedBlock> {
  const cached = ctx?.blocks.get(entry.hashHex);
  if (cached) return cached;
  const bytes = await store.getBlockBytes(entry.hash);
  if (!bytes) throw new Error(`block ${entry.hashHex} is in the index but not in the store`);
  const block = decodeBlock(bytes);
  return { block, txids: block.txs.map(txid) };
}

/**
 * What a connect leaves running: its signature checks (on worker threads, while the caller connects the
 * next blocks). Resolves to the failure if one does not verify; never rejects.
 */
export type PendingSignatures = Promise<ConnectFailure | undefined>;

/**
 * Connects `block` on top of the overlay; throws ConnectFailure when it breaks a rule. The batch and the
 * overlay may be written only once the returned `signatures` resolve to undefined.
 */
export async function connectInto(
  c: Connector,
  batch: BlockWrites,
  overlay: CoinOverlay,
  entry: ChainEntry,
  { block, txids }: DecodedBlock,
): Promise<{ signatures: PendingSignatures }> {
  const inputKeys = await overlay.prefetch(block);
  const result = connectBlock(block, txids, entry.height, overlay, c.params, inputKeys);
  if (!result.ok) throw new ConnectFailure(entry, result.error);
  const { spent, created, sigChecks } = result.value;
  const undo: SpentCoin[] = spent.map(([key, coin, id, index]) => {
    overlay.spend(key);
    return { txid: id, index, coin };
  });
  for (const [key, coin] of created) overlay.create(key, coin);
  batch.putUndo(entry.hash, undo).putHeight(entry.height, entry.hash);
  if (entry.status !== 'valid') batch.putIndex(entry.hash, indexRecord(entry, 'valid'));
  if (!c.verifySignatures || sigChecks.length === 0) return { signatures: Promise.resolve(undefined) };
  // Wrapped in an object: an async function returning the promise itself would wait for it.
  const signatures = c
    .verifySignatures(sigChecks)
    .then((bad) =>
      bad < 0 ? undefined : new ConnectFailure(entry, verifySigChecks([sigChecks[bad]!], () => false)!),
    );
  return { signatures };
}

/** The first failure among signature checks started in order (the earliest block's), or undefined. */
export async function firstSignatureFailure(
  pending: readonly PendingSignatures[],
): Promise<ConnectFailure | undefined> {
  // Every check is awaited, so none is left running (or rejecting) unobserved.
  const failures = await Promise.all(pending);
  return failures.find((f) => f !== undefined);
}

/** Takes an active block off the overlay, from its undo data (which stays stored: see layout.ts). */
export async function disconnectInto(
  store: Pick<BlockStore, 'getUndo'>,
  batch: BlockWrites,
  overlay: CoinOverlay,
  entry: ChainEntry,
  { block, txids }: DecodedBlock,
): Promise<void> {
  const undo = await store.getUndo(entry.hash);
  if (!undo) throw new Error(`no undo data for active block ${entry.hashHex}`);
  block.txs.forEach((tx, i) => {
    for (let index = 0; index < tx.outputs.length; index++) overlay.spend(outpointKey(txids[i]!, index));
  });
  for (const { txid: id, index, coin } of undo) overlay.restore(outpointKey(id, index), coin);
  batch.delHeight(entry.height);
}
