// The teacher's view of a class: each member as it reports itself, with its balance and blocks found
// read from the teacher's own chain (a report could claim anything), and the merged block tree of
// what members report and the teacher's node knows (src/classroom/tree.ts), over its last heights.
import type { Static } from '@sinclair/typebox';
import { mergeTree, type TeacherBlock } from '../classroom/tree.js';
import type { ClassState, RosterEntry } from '../classroom/types.js';
import { fromHex, toHex } from '../core/bytes.js';
import { decodeAddress, encodeAddress } from '../crypto/address.js';
import type { ChainReader, ExplorerIndex } from './context.js';
import type { ClassMemberSchema, ClassTreeBlockSchema } from './schemas/index.js';

export type ClassMemberView = Static<typeof ClassMemberSchema>;
export type TreeBlockView = Static<typeof ClassTreeBlockSchema>;

/** Heights of the tree below the highest block shown: the recent race, not the whole history. */
export const CLASS_TREE_DEPTH = 30;
/** Blocks whose coinbase payees are kept in memory for the tree's "mined by". */
const PAYEE_CACHE_SIZE = 4_096;
/** Blocks read per view to bring the count up to the tip: a long chain is counted over a few views. */
const COUNT_STEP = 2_000;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export class ClassViewBuilder {
  /** Coinbase payees (address hashes in hex) along the active chain, by height, as last counted. */
  private counted: { hashes: string[]; payees: string[][] } = { hashes: [], payees: [] };
  private readonly found = new Map<string, number>();
  private readonly payeeCache = new Map<string, string[]>();
  private balances: { tip: string; byAddress: Map<string, bigint> } = { tip: '', byAddress: new Map() };

  constructor(
    private readonly chain: ChainReader,
    private readonly explorer: ExplorerIndex,
  ) {}

  /** Every roster entry as the dashboard shows it, most blocks found first. */
  async members(roster: readonly RosterEntry[], state: ClassState): Promise<ClassMemberView[]> {
    await this.countFound();
    const prefix = this.chain.params.addressPrefix;
    const tip = this.chain.tip.hashHex;
    const views: ClassMemberView[] = [];
    for (const { report, heardAt } of roster) {
      let hash: Uint8Array | undefined;
      try {
        hash = decodeAddress(prefix, report.address);
      } catch {
        hash = undefined; // a member with a bad address has no coins here
      }
      // The teacher's node is the peer the signed state names, whatever a report says.
      const grouped = state.mode !== 'together' && report.peerId !== state.teacherPeer;
      views.push({
        peerId: report.peerId,
        name: report.name,
        kind: report.kind,
        address: report.address,
        height: report.height,
        tip: report.tip,
        agrees: report.tip === tip,
        hashRate: report.hashRate,
        balance: (hash ? await this.balanceOf(hash) : 0n).toString(),
        blocksFound: hash ? (this.found.get(toHex(hash)) ?? 0) : 0,
        mining: report.mining,
        group: grouped ? (state.groups[report.peerId] ?? 'A') : null,
        lastSeen: heardAt,
      });
    }
    return views.sort((a, b) => b.blocksFound - a.blocksFound || a.name.localeCompare(b.name));
  }

  /** The blocks of the last CLASS_TREE_DEPTH heights that members report or the teacher knows (mergeTree). */
  async tree(roster: readonly RosterEntry[]): Promise<TreeBlockView[]> {
    const prefix = this.chain.params.addressPrefix;
    const teacherBlocks: TeacherBlock[] = [];
    for (const e of this.chain.entriesFrom(Math.max(0, this.chain.height - CLASS_TREE_DEPTH))) {
      const [payee] = e.height === 0 ? [] : await this.payeesOf(e.hashHex);
      teacherBlocks.push({
        hash: e.hashHex,
        prev: e.parent?.hashHex ?? '0'.repeat(64),
        height: e.height,
        coinbaseAddress: payee === undefined ? null : encodeAddress(prefix, fromHex(payee)),
        main: this.chain.isActive(e),
      });
    }
    // A member may report any height: blocks far above the teacher's tip (a lie, or a chain it never
    // saw) would set the tree's top and push every real block out of view.
    const highest = this.chain.height + CLASS_TREE_DEPTH;
    const reports = roster
      .map((r) => r.report)
      .map((r) => ({
        ...r,
        recent: r.recent.filter(
          (b) => b.height <= highest && HASH_PATTERN.test(b.hash) && HASH_PATTERN.test(b.prev),
        ),
      }));
    const names = new Map(roster.map((r) => [r.report.address, r.report.name]));
    const merged = mergeTree(reports, teacherBlocks, names);
    const top = merged.reduce((h, b) => Math.max(h, b.height), 0);
    return merged
      .filter((b) => b.height >= top - CLASS_TREE_DEPTH)
      .map((b) => ({ ...b, tipOf: [...b.tipOf] }))
      .sort((a, b) => a.height - b.height || a.hash.localeCompare(b.hash));
  }

  /** Sum of the address's unspent coins at the tip, once per address and tip. */
  private async balanceOf(hash: Uint8Array): Promise<bigint> {
    const tip = this.chain.tip.hashHex;
    if (this.balances.tip !== tip) this.balances = { tip, byAddress: new Map() };
    const key = toHex(hash);
    const known = this.balances.byAddress.get(key);
    if (known !== undefined) return known;
    let sum = 0n;
    for (const { coin } of await this.explorer.addressCoins(hash)) sum += coin.amount;
    this.balances.byAddress.set(key, sum);
    return sum;
  }

  /**
   * Blocks found per payee along the active chain, kept up to date from the last count: the heights
   * above the fork with the last counted chain are taken off, the new ones added (at most COUNT_STEP
   * of them per view, so that the first view of a long chain does not read it all at once).
   */
  private async countFound(): Promise<void> {
    const { hashes, payees } = this.counted;
    let fork = Math.min(hashes.length, this.chain.height + 1);
    while (fork > 0 && this.chain.entryAtHeight(fork - 1)?.hashHex !== hashes[fork - 1]) fork--;
    for (let h = hashes.length - 1; h >= fork; h--) {
      for (const p of payees[h] ?? []) this.found.set(p, (this.found.get(p) ?? 1) - 1);
    }
    hashes.length = fork;
    payees.length = fork;
    const end = Math.min(this.chain.height, fork + COUNT_STEP - 1);
    for (let h = fork; h <= end; h++) {
      const entry = this.chain.entryAtHeight(h);
      if (!entry) break;
      // The genesis block pays nobody of the class.
      const paid = h === 0 ? [] : await this.payeesOf(entry.hashHex);
      hashes.push(entry.hashHex);
      payees.push(paid);
      for (const p of paid) this.found.set(p, (this.found.get(p) ?? 0) + 1);
    }
  }

  /** Distinct address hashes a block's coinbase pays (cached, bounded). */
  private async payeesOf(hashHex: string): Promise<string[]> {
    const cached = this.payeeCache.get(hashHex);
    if (cached) return cached;
    const block = await this.chain.getBlock(hashHex);
    const coinbase = block?.txs[0];
    const paid = coinbase ? [...new Set(coinbase.outputs.map((o) => toHex(o.address)))] : [];
    if (this.payeeCache.size >= PAYEE_CACHE_SIZE) {
      const oldest = this.payeeCache.keys().next().value;
      if (oldest !== undefined) this.payeeCache.delete(oldest);
    }
    this.payeeCache.set(hashHex, paid);
    return paid;
  }
}
