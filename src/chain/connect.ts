// Connect and disconnect: what one block does to the UTXO set and to the store. Consensus work only:
// coins go to the overlay (then the coins cache), and the batch gets the block's undo data, height
// entry and index status. The explorer index (tx locations, address history and coins) is the
// indexer's job, after the connect (see indexer.ts).
import type { Block } from '../core/block.js';
import { decodeBlock } from '../core/block.js';
import { RuleError } from '../core/errors.js';
import type { NetworkParams } from '../core/params.js';
import { outpointKey, txid } from '../core/tx.js';
import { type BlockConnection, BlockConnector, type SigCheck, verifySigChecks } from '../core/validation.js';
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
 * What a connect leaves running: its signature checks (on worker threads, from the block's first chunk
 * while its other transactions connect, and while the caller connects the next blocks). Resolves to the
 * failure if one does not verify; never rejects.
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
  const checks = c.verifySignatures && new SignatureChunks(c.verifySignatures);
  const connector = new BlockConnector(block, txids, entry.height, overlay, c.params, inputKeys);
  let connection: BlockConnection;
  try {
    connection = connectHandingChecks(connector, block.txs.length, checks);
  } catch (e) {
    // A broken rule wins over any bad signature (as when signatures are checked after the rules), but
    // the chunks already handed over are waited for: none is left running, or rejecting, unobserved.
    await checks?.settle();
    throw e instanceof RuleError ? new ConnectFailure(entry, e) : e;
  }
  // The last checks go out before the writes below, so that the workers start on them first.
  checks?.send();
  const signatures: PendingSignatures = checks
    ? checks.firstBad().then((bad) => bad && new ConnectFailure(entry, verifySigChecks([bad], () => false)!))
    : Promise.resolve(undefined);
  const { spent, created } = connection;
  const undo: SpentCoin[] = spent.map(([key, coin, id, index]) => {
    overlay.spend(key);
    return { txid: id, index, coin };
  });
  for (const [key, coin] of created) overlay.create(key, coin);
  batch.putUndo(entry.hash, undo).putHeight(entry.height, entry.hash);
  if (entry.status !== 'valid') batch.putIndex(entry.hash, indexRecord(entry, 'valid'));
  // Wrapped in an object: an async function returning the promise itself would wait for it.
  return { signatures };
}

/**
 * connectBlock, handing each transaction's signature checks to `checks` as it connects; throws
 * RuleError at the first broken rule.
 */
function connectHandingChecks(
  connector: BlockConnector,
  txCount: number,
  checks: SignatureChunks | undefined,
): BlockConnection {
  for (let i = 1; i < txCount; i++) {
    // Connected whether or not there is a verifier (`checks?.add(…)` would skip its argument).
    const txChecks = connector.connectTx(i);
    checks?.add(txChecks);
  }
  return connector.finish();
}

/**
 * Checks per call to a verifier in parallel while a block connects: the pool's least for its workers
 * (it verifies fewer on the calling thread, see MIN_PARALLEL in src/node/verifier.ts).
 */
export const SIGNATURE_CHUNK = 32;

/**
 * A block's signature checks, handed to the verifier in block order: to one in parallel in chunks as
 * the transactions connect, so that its workers verify while the main thread connects the rest; to
 * any other in one call once the block connected (chunks would only add calls).
 */
class SignatureChunks {
  private readonly checks: SigCheck[] = [];
  /** Per call, in order: the block-wide index of its first bad check, or -1. */
  private readonly calls: Promise<number>[] = [];
  private sent = 0;
  private readonly chunk: number;

  constructor(private readonly verify: SignatureVerifier) {
    this.chunk = verify.inParallel ? SIGNATURE_CHUNK : Number.POSITIVE_INFINITY;
  }

  add(checks: readonly SigCheck[]): void {
    for (const check of checks) this.checks.push(check);
    if (this.checks.length - this.sent >= this.chunk) this.send();
  }

  /** Hands over the checks not handed over yet. */
  send(): void {
    const from = this.sent;
    if (from === this.checks.length) return;
    this.sent = this.checks.length;
    let call: Promise<number>;
    try {
      call = this.verify(this.checks.slice(from));
    } catch (e) {
      // A throw becomes the call's answer, so that a rule broken later still wins.
      call = Promise.reject(e);
    }
    this.calls.push(call.then((bad) => (bad < 0 ? -1 : from + bad)));
  }

  /** The first bad check in block order (each call's first bad one, the earliest call's), or undefined. */
  async firstBad(): Promise<SigCheck | undefined> {
    const bad = (await Promise.all(this.calls)).find((index) => index >= 0);
    return bad === undefined ? undefined : this.checks[bad];
  }

  /** Waits for every call handed over, whatever it answers. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.calls);
  }
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
