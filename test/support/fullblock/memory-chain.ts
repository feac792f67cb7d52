// A minimal in-memory chain made only of the consensus core (sanity -> context -> connect ->
// signatures) and the fork-choice rules of docs/protocol.md. It checks the full-block table itself
// and is a small model of what src/chain does; it is not a node (no store, no bounds, no events).
import {
  attempt,
  type Block,
  type BlockConnection,
  type BlockContext,
  blockHashHex,
  type Coin,
  checkBlockContext,
  checkBlockSanity,
  connectBlock,
  decodeBlock,
  encodeBlock,
  genesisBlock,
  isRetargetHeight,
  medianTimePast,
  type NetworkParams,
  nextBits,
  outpointKey,
  RuleError,
  retargetWindowStart,
  toHex,
  txid,
  verifySigChecks,
  workForBits,
} from '../../../src/core/index.js';
import { verify } from '../../../src/crypto/ed25519.js';

export type ProcessStatus = 'connected' | 'side' | 'orphan' | 'duplicate' | 'invalid';

export interface ProcessResult {
  readonly status: ProcessStatus;
  readonly hash: string;
  readonly error?: RuleError;
}

interface Entry {
  readonly hash: string;
  readonly block: Block;
  readonly txids: readonly Uint8Array[];
  readonly height: number;
  readonly chainWork: bigint;
  readonly parent: Entry | undefined;
  /** Arrival order: on equal work the earlier entry wins. */
  readonly sequence: number;
  status: 'stored' | 'valid' | 'invalid';
}

export class MemoryChain {
  private readonly index = new Map<string, Entry>();
  /** Why a block is invalid, by hash (never for malleated failures). */
  private readonly rejected = new Map<string, RuleError>();
  private readonly orphans = new Map<string, Block>();
  private active: Entry[] = [];
  private coins = new Map<string, Coin>();
  private readonly undo = new Map<string, BlockConnection>();
  /** Connect failures during the current import, by hash. */
  private readonly failures = new Map<string, RuleError>();
  private sequence = 0;

  constructor(
    readonly params: NetworkParams,
    private readonly now: () => number,
  ) {
    const genesis = genesisBlock(params);
    const txids = genesis.txs.map(txid);
    const entry: Entry = {
      hash: blockHashHex(genesis),
      block: genesis,
      txids,
      height: 0,
      chainWork: workForBits(genesis.header.bits),
      parent: undefined,
      sequence: this.sequence++,
      status: 'valid',
    };
    const created = genesis.txs[0]!.outputs.map(
      (out, i) =>
        [
          outpointKey(txids[0]!, i),
          { amount: out.amount, address: out.address, height: 0, coinbase: true },
        ] as const,
    );
    for (const [key, coin] of created) this.coins.set(key, coin);
    this.undo.set(entry.hash, { spent: [], created, fees: 0n, sigChecks: [] });
    this.index.set(entry.hash, entry);
    this.active = [entry];
  }

  get tip(): { hash: string; height: number; chainWork: bigint } {
    const { hash, height, chainWork } = this.active[this.active.length - 1]!;
    return { hash, height, chainWork };
  }

  /** The context a block on the stored block `parentHash` must satisfy, if that block is stored. */
  contextOn(parentHash: string): BlockContext | undefined {
    const parent = this.index.get(parentHash);
    return parent && this.contextFor(parent);
  }

  /** Imports a block from its bytes; never throws for bad data. */
  processBlock(bytes: Uint8Array): ProcessResult {
    const decoded = attempt(() => decodeBlock(bytes));
    if (!decoded.ok) return { status: 'invalid', hash: '', error: decoded.error };
    const first = this.accept(decoded.value, bytes.length);
    if (first.status !== 'connected' && first.status !== 'side') return first;
    const waiting = [first.hash];
    while (waiting.length > 0) {
      const parent = waiting.shift()!;
      for (const [hash, child] of [...this.orphans]) {
        if (toHex(child.header.prevHash) !== parent) continue;
        this.orphans.delete(hash);
        const r = this.accept(child, encodeBlock(child).length);
        if (r.status === 'connected' || r.status === 'side') waiting.push(r.hash);
      }
    }
    const entry = this.index.get(first.hash);
    return { ...first, status: entry && this.isActive(entry) ? 'connected' : 'side' };
  }

  private accept(block: Block, size: number): ProcessResult {
    const hash = blockHashHex(block);
    const known = this.index.get(hash);
    if (known) {
      return known.status === 'invalid'
        ? { status: 'invalid', hash, error: this.rejected.get(hash)! }
        : { status: 'duplicate', hash };
    }
    const rejected = this.rejected.get(hash);
    if (rejected) return { status: 'invalid', hash, error: rejected };
    if (this.orphans.has(hash)) return { status: 'duplicate', hash };

    const sanity = checkBlockSanity(block, this.params, this.now(), size);
    if (!sanity.ok) {
      // A corrupted copy says nothing of the header; a block from the future may become valid.
      if (!sanity.error.malleated && sanity.error.code !== 'time-too-new')
        this.rejected.set(hash, sanity.error);
      return { status: 'invalid', hash, error: sanity.error };
    }
    const prevHash = toHex(block.header.prevHash);
    if (this.rejected.has(prevHash) && !this.index.has(prevHash)) {
      // The parent failed on its own: the child is refused, not held as an orphan.
      const error = new RuleError('bad-prev-block', 'the parent was rejected');
      this.rejected.set(hash, error);
      return { status: 'invalid', hash, error };
    }
    const parent = this.index.get(prevHash);
    if (!parent) {
      this.orphans.set(hash, block);
      return { status: 'orphan', hash };
    }
    const base = { hash, block, txids: sanity.value.txids, height: parent.height + 1, parent };
    const error =
      parent.status === 'invalid'
        ? new RuleError('bad-prev-block', 'the parent is invalid')
        : checkBlockContext(block, this.contextFor(parent));
    if (error) {
      // Kept in the index as invalid so that children are refused too.
      this.index.set(hash, {
        ...base,
        chainWork: parent.chainWork,
        sequence: this.sequence++,
        status: 'invalid',
      });
      this.rejected.set(hash, error);
      return { status: 'invalid', hash, error };
    }
    const entry: Entry = {
      ...base,
      chainWork: parent.chainWork + workForBits(block.header.bits),
      sequence: this.sequence++,
      status: 'stored',
    };
    this.index.set(hash, entry);
    this.failures.clear();
    this.activateBestChain(entry);
    if (entry.status === 'invalid' || !this.index.has(hash)) {
      const why = this.failures.get(hash) ?? this.rejected.get(hash) ?? new RuleError('bad-prev-block');
      return { status: 'invalid', hash, error: why };
    }
    return { status: this.isActive(entry) ? 'connected' : 'side', hash };
  }

  private contextFor(parent: Entry): BlockContext {
    const height = parent.height + 1;
    let window: { firstTime: number; lastTime: number } | undefined;
    if (isRetargetHeight(this.params, height)) {
      let first = parent;
      while (first.height > retargetWindowStart(this.params, height)) first = first.parent!;
      window = { firstTime: first.block.header.time, lastTime: parent.block.header.time };
    }
    const times: number[] = [];
    for (let e: Entry | undefined = parent; e && times.length < 11; e = e.parent)
      times.unshift(e.block.header.time);
    return {
      height,
      expectedBits: nextBits(this.params, height, parent.block.header.bits, window),
      medianTimePast: medianTimePast(times),
      ...(window ? { retargetParentTime: parent.block.header.time } : {}),
    };
  }

  private isActive(entry: Entry): boolean {
    return this.active[entry.height] === entry;
  }

  /** Moves to the valid branch with the most work; a branch that fails to connect is invalidated. */
  private activateBestChain(candidate: Entry | undefined): void {
    while (candidate && candidate.chainWork > this.tip.chainWork) {
      const failure = this.reorganize(candidate);
      if (failure) this.invalidate(failure.entry, failure.error);
      candidate = this.bestCandidate();
    }
  }

  private bestCandidate(): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.index.values()) {
      if (e.status === 'invalid' || e.chainWork <= this.tip.chainWork) continue;
      if (
        !best ||
        e.chainWork > best.chainWork ||
        (e.chainWork === best.chainWork && e.sequence < best.sequence)
      )
        best = e;
    }
    return best;
  }

  /** Disconnects to the fork and connects the target's branch on a copy of the coins; all or nothing. */
  private reorganize(target: Entry): { entry: Entry; error: RuleError } | undefined {
    const branch: Entry[] = [];
    let fork: Entry = target;
    while (!this.isActive(fork)) {
      branch.unshift(fork);
      fork = fork.parent!;
    }
    const coins = new Map(this.coins);
    for (let h = this.active.length - 1; h > fork.height; h--) {
      const { spent, created } = this.undo.get(this.active[h]!.hash)!;
      for (const [key] of created) coins.delete(key);
      for (const [key, coin] of spent) coins.set(key, coin);
    }
    const connections: BlockConnection[] = [];
    for (const entry of branch) {
      const result = connectBlock(entry.block, entry.txids, entry.height, coins, this.params);
      if (!result.ok) return { entry, error: result.error };
      const sigError = verifySigChecks(result.value.sigChecks, verify);
      if (sigError) return { entry, error: sigError };
      for (const [key] of result.value.spent) coins.delete(key);
      for (const [key, coin] of result.value.created) coins.set(key, coin);
      connections.push(result.value);
    }
    this.coins = coins;
    this.active.length = fork.height + 1;
    branch.forEach((entry, i) => {
      entry.status = 'valid';
      this.undo.set(entry.hash, connections[i]!);
      this.active.push(entry);
    });
    return undefined;
  }

  /** Marks a block and its descendants invalid, or forgets them when the block's body was corrupted. */
  private invalidate(bad: Entry, error: RuleError): void {
    this.failures.set(bad.hash, error);
    for (const e of [...this.index.values()]) {
      let x: Entry | undefined = e;
      while (x && x !== bad && x.height > bad.height) x = x.parent;
      if (x !== bad) continue;
      if (error.malleated) {
        // A corrupted copy: forgotten with what was built on it, none of it condemned.
        this.index.delete(e.hash);
        if (e !== bad)
          this.failures.set(e.hash, new RuleError('bad-prev-block', 'the parent was a corrupted copy', true));
      } else {
        e.status = 'invalid';
        this.rejected.set(
          e.hash,
          e === bad ? error : new RuleError('bad-prev-block', `ancestor ${bad.hash} is invalid`),
        );
      }
    }
  }
}
