// A small chain in the browser, built and validated with the node's own code: blocks assembled and
// mined by src/miner/template.ts (regtest target, a couple of tries each), checked by checkBlockSanity,
// checkBlockContext, connectBlock and verifySigChecks, and followed by most cumulative work. A refusal
// names the rule code and the function that gave it.
// Unpublished blocks (a private branch) are validated but do not count for the tip until published.
import { type Block, blockHashHex } from '../../../../src/core/block.js';
import { fromHex, toHex } from '../../../../src/core/bytes.js';
import { medianTimePast } from '../../../../src/core/difficulty.js';
import { genesisBlock } from '../../../../src/core/genesis.js';
import type { NetworkParams } from '../../../../src/core/params.js';
import { workForBits } from '../../../../src/core/pow.js';
import { outpointKey, type Tx, txid } from '../../../../src/core/tx.js';
import {
  type Coin,
  checkBlockContext,
  checkBlockSanity,
  checkTxInputs,
  checkTxSanity,
  connectBlock,
  verifySigChecks,
} from '../../../../src/core/validation.js';
import { verify } from '../../../../src/crypto/ed25519.js';
import { assembleBlock, solveBlock } from '../../../../src/miner/template.js';

export interface SimEntry {
  readonly hash: string;
  readonly block: Block;
  readonly height: number;
  readonly parent: string | null;
  readonly time: number;
  readonly bits: number;
  readonly txids: readonly string[];
  /** Cumulative work up to and including this block. */
  readonly work: bigint;
  /** The UTXO set after this block. */
  readonly coins: ReadonlyMap<string, Coin>;
  readonly published: boolean;
  /** Arrival order: on equal work the earlier block wins. */
  readonly seq: number;
  readonly label: string;
}

/** The node's validation function that refused a block. */
export type RefusedBy =
  | 'checkTxSanity'
  | 'checkTxInputs'
  | 'checkBlockSanity'
  | 'checkBlockContext'
  | 'connectBlock'
  | 'verifySigChecks'
  | 'miner';

export type MineResult =
  | { ok: true; entry: SimEntry }
  | { ok: false; code: string; message: string; by: RefusedBy };

export class SimChain {
  private readonly entries = new Map<string, SimEntry>();
  private seq = 0;
  readonly genesis: SimEntry;

  constructor(readonly params: NetworkParams) {
    const g = genesisBlock(params);
    const id = txid(g.txs[0]!);
    const coins = new Map<string, Coin>();
    g.txs[0]!.outputs.forEach((o, i) => {
      coins.set(outpointKey(id, i), { amount: o.amount, address: o.address, height: 0, coinbase: true });
    });
    this.genesis = {
      hash: blockHashHex(g),
      block: g,
      height: 0,
      parent: null,
      time: g.header.time,
      bits: g.header.bits,
      txids: [toHex(id)],
      work: workForBits(g.header.bits),
      coins,
      published: true,
      seq: this.seq++,
      label: 'genesis',
    };
    this.entries.set(this.genesis.hash, this.genesis);
  }

  get(hash: string): SimEntry | undefined {
    return this.entries.get(hash);
  }

  /**
   * Assembles, mines and fully validates a block on `parentHash`. Like the node's miner, it first checks
   * each transaction alone and against the coins (checkTxSanity, checkTxInputs), then the whole block.
   */
  mine(
    parentHash: string,
    txs: readonly Tx[],
    minerHash: Uint8Array,
    opts: { published: boolean; label: string },
  ): MineResult {
    const parent = this.entries.get(parentHash);
    if (!parent) return { ok: false, code: 'orphan', message: 'unknown parent', by: 'miner' };
    const height = parent.height + 1;
    const withFees: { tx: Tx; fee: bigint }[] = [];
    for (const tx of txs) {
      const sanityError = checkTxSanity(tx);
      if (sanityError)
        return { ok: false, code: sanityError.code, message: sanityError.message, by: 'checkTxSanity' };
      const r = checkTxInputs(tx, parent.coins, height, this.params);
      if (!r.ok) return { ok: false, code: r.error.code, message: r.error.message, by: 'checkTxInputs' };
      withFees.push({ tx, fee: r.value.fee });
    }
    const template = assembleBlock({
      params: this.params,
      height,
      prevHash: fromHex(parentHash),
      bits: parent.bits,
      time: parent.time + this.params.targetSpacing,
      minerAddress: minerHash,
      txs: withFees,
      text: new TextEncoder().encode(opts.label),
    });
    const block = solveBlock(template, 1_000_000);
    if (!block) return { ok: false, code: 'bad-pow', message: 'no nonce found', by: 'miner' };
    const sanity = checkBlockSanity(block, this.params, block.header.time);
    if (!sanity.ok)
      return { ok: false, code: sanity.error.code, message: sanity.error.message, by: 'checkBlockSanity' };
    const contextError = checkBlockContext(block, {
      height,
      expectedBits: parent.bits,
      medianTimePast: medianTimePast(this.ancestorTimes(parent)),
    });
    if (contextError)
      return { ok: false, code: contextError.code, message: contextError.message, by: 'checkBlockContext' };
    const conn = connectBlock(block, sanity.value.txids, height, parent.coins, this.params);
    if (!conn.ok)
      return { ok: false, code: conn.error.code, message: conn.error.message, by: 'connectBlock' };
    const sigError = verifySigChecks(conn.value.sigChecks, verify);
    if (sigError) return { ok: false, code: sigError.code, message: sigError.message, by: 'verifySigChecks' };
    const coins = new Map(parent.coins);
    for (const [key] of conn.value.spent) coins.delete(key);
    for (const [key, coin] of conn.value.created) coins.set(key, coin);
    const entry: SimEntry = {
      hash: toHex(sanity.value.hash),
      block,
      height,
      parent: parentHash,
      time: block.header.time,
      bits: block.header.bits,
      txids: sanity.value.txids.map(toHex),
      work: parent.work + workForBits(block.header.bits),
      coins,
      published: opts.published,
      seq: this.seq++,
      label: opts.label,
    };
    this.entries.set(entry.hash, entry);
    return { ok: true, entry };
  }

  /** Makes a private branch public: from now on it competes for the tip. */
  publish(tipHash: string): void {
    for (
      let e = this.entries.get(tipHash);
      e && !e.published;
      e = e.parent ? this.entries.get(e.parent) : undefined
    ) {
      this.entries.set(e.hash, { ...e, published: true, seq: this.seq++ });
    }
  }

  /** The published block with the most work; the first seen on equal work. */
  tip(): SimEntry {
    let best = this.genesis;
    for (const e of this.entries.values()) {
      if (!e.published) continue;
      if (e.work > best.work || (e.work === best.work && e.seq < best.seq)) best = e;
    }
    return best;
  }

  /** Blocks from genesis to `hash`. */
  branch(hash: string): SimEntry[] {
    const out: SimEntry[] = [];
    for (let e = this.entries.get(hash); e; e = e.parent ? this.entries.get(e.parent) : undefined)
      out.unshift(e);
    return out;
  }

  /** Confirmations of a transaction on the branch ending at `tipHash` (0 when not on it). */
  confirmations(txidHex: string, tipHash: string = this.tip().hash): number {
    const chain = this.branch(tipHash);
    const at = chain.findIndex((e) => e.txids.includes(txidHex));
    return at < 0 ? 0 : chain.length - at;
  }

  private ancestorTimes(parent: SimEntry): number[] {
    return this.branch(parent.hash)
      .slice(-11)
      .map((e) => e.time);
  }
}
