// A student's session: the browser node on the class network, the classroom wallet's one address, and the
// class member that reports and obeys the teacher. Plain TypeScript (the page subscribes to it), so the
// whole of it runs in tests on a fake node and member.

import type { ClassControls, ClassGroup, ClassState } from '../../../src/classroom/types.js';
import { equalBytes, fromHex, toHex } from '../../../src/core/bytes.js';
import { networkIdProblem, networkTag } from '../../../src/core/network-id.js';
import { HdWallet } from '../../../src/wallet/keys.js';
import type { BrowserNode, BrowserNodeStatus } from '../node/types.js';
import { buildClassPayment, type ClassBalance, type ClassWalletKey, classBalance } from './payment.js';
import type { ClassroomPorts, StudentMember } from './ports.js';
import { browserClassControls, browserClassSelf, recentBlocks } from './self.js';
import { classMnemonic, type KeyValueStorage, type StoredClass } from './storage.js';

/** Blocks of the student's recent chain the page lists ("my blocks"). */
export const MY_BLOCKS_SHOWN = 12;
/** Payments of this session the page follows to their confirmation. */
export const PAYMENTS_KEPT = 8;

export interface RosterRow {
  readonly peerId: string;
  readonly name: string;
  readonly kind: string;
  readonly address: string;
  readonly height: number;
  /** Its tip is this node's tip. */
  readonly agrees: boolean;
  readonly blocksFound: number;
  readonly me: boolean;
}

export interface ChainRow {
  readonly hash: string;
  readonly height: number;
  /** The coinbase pays the student's address; null until the block has been read. */
  readonly mine: boolean | null;
}

export interface PaymentRow {
  readonly txid: string;
  readonly to: string;
  readonly amount: bigint;
  /** 0 while in the mempool (or not yet indexed), then the depth of its block on the active chain. */
  readonly confirmations: number;
}

export interface StudentSnapshot {
  readonly phase: 'starting' | 'running' | 'failed' | 'stopped';
  readonly error: string | null;
  readonly name: string;
  readonly networkId: string;
  readonly address: string | null;
  readonly status: BrowserNodeStatus | null;
  readonly balance: ClassBalance | null;
  readonly classState: ClassState | null;
  readonly group: ClassGroup | null;
  readonly roster: readonly RosterRow[];
  readonly chain: readonly ChainRow[];
  readonly payments: readonly PaymentRow[];
  readonly minedBlocks: number;
  /** The Mine-one-block button's block is being searched for. */
  readonly miningOne: boolean;
}

export class StudentSession {
  private node: BrowserNode | null = null;
  private member: StudentMember | null = null;
  private key: ClassWalletKey | null = null;
  private phase: StudentSnapshot['phase'] = 'starting';
  private error: string | null = null;
  private balance: ClassBalance | null = null;
  private chainRows: ChainRow[] = [];
  private payments: PaymentRow[] = [];
  private readonly coinbaseOwner = new Map<string, boolean>();
  private mineOneTarget: number | null = null;
  private unsubscribe: Array<() => void> = [];
  private refreshing = false;
  private dirty = false;
  private stopped = false;

  constructor(
    private readonly ports: ClassroomPorts,
    private readonly storage: KeyValueStorage,
    readonly cls: StoredClass,
    private readonly listener: () => void,
    /** The teacher moved the class to a new network id. */
    private readonly onReset: (networkId: string) => void,
  ) {}

  async start(): Promise<void> {
    try {
      const mnemonic = classMnemonic(this.storage, this.cls.net);
      const node = await this.ports.startNode({ networkId: this.cls.net, bootstrap: this.cls.peers });
      if (this.stopped) {
        await node.stop();
        return;
      }
      this.node = node;
      const wallet = await HdWallet.fromMnemonic(mnemonic, node.params);
      const k = wallet.receiveKey(0);
      const key: ClassWalletKey = {
        address: k.address,
        hash: k.hash,
        publicKey: k.publicKey,
        privateKey: k.privateKey,
      };
      this.key = key;
      const member = this.ports.createMember({
        net: this.ports.classNetOf(node),
        network: networkTag(node.params),
        teacherKey: fromHex(this.cls.key),
        self: browserClassSelf(node, key, () => this.cls.name),
        controls: this.controls(node, key),
      });
      this.member = member;
      this.unsubscribe.push(
        node.onChange(() => this.changed()),
        member.onChange(() => this.changed()),
      );
      member.start();
      this.phase = 'running';
      this.changed();
    } catch (e) {
      this.phase = 'failed';
      this.error = `The class node could not start: ${e instanceof Error ? e.message : String(e)}`;
      this.listener();
    }
  }

  /** The teacher's controls; a teacher's mining change ends a Mine-one-block search. */
  private controls(node: BrowserNode, key: ClassWalletKey): ClassControls {
    const inner = browserClassControls(node, key, (id) => {
      if (id !== this.cls.net && networkIdProblem(id) === undefined) this.onReset(id);
    });
    return {
      setMining: (on, intervalSeconds) => {
        this.mineOneTarget = null;
        inner.setMining(on, intervalSeconds);
      },
      resetTo: inner.resetTo,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.member?.stop();
    const node = this.node;
    this.node = null;
    if (this.phase === 'running') this.phase = 'stopped';
    await node?.stop();
  }

  snapshot(): StudentSnapshot {
    const node = this.node;
    const status = node ? node.status() : null;
    const roster: RosterRow[] = (this.member?.roster() ?? []).map(({ report }) => ({
      peerId: report.peerId,
      name: report.name,
      kind: report.kind,
      address: report.address,
      height: report.height,
      agrees: status !== null && report.tip === status.tip,
      blocksFound: report.blocksFound,
      me: node !== null && report.peerId === node.peerId,
    }));
    return {
      phase: this.phase,
      error: this.error,
      name: this.cls.name,
      networkId: this.cls.net,
      address: this.key?.address ?? null,
      status,
      balance: this.balance,
      classState: this.member?.state() ?? null,
      group: this.member?.group() ?? null,
      roster,
      chain: this.chainRows,
      payments: this.payments,
      minedBlocks: node && this.key ? node.blocksFoundBy(this.key.hash) : 0,
      miningOne: this.mineOneTarget !== null,
    };
  }

  /** Mines until this node finds one block, then goes back to what the teacher's state says. */
  mineOne(): void {
    const { node, key } = this;
    if (!node || !key || node.status().mining) return;
    this.mineOneTarget = node.blocksFoundBy(key.hash) + 1;
    node.startMining(key.hash, 0);
    this.listener();
  }

  /** Pays `amount` to the classmate called `to`; answers the txid. Throws WalletError or the node's rule error. */
  async pay(to: string, amount: bigint): Promise<string> {
    const { node, key, member } = this;
    if (!node || !key || !member) throw new Error('the class node is not running');
    const built = buildClassPayment({
      params: node.params,
      coins: await node.coinsOf(key.hash),
      tipHeight: node.chain.height,
      isPending: (c) => node.mempool.has(c.txid),
      key,
      to,
      amount,
      feeRate: BigInt(Math.max(1, Math.ceil(node.mempool.minFeeRate))),
      addressOf: (name) => member.addressOf(name),
    });
    const txid = await node.submitTx(built.tx);
    this.payments = [{ txid, to, amount, confirmations: 0 }, ...this.payments].slice(0, PAYMENTS_KEPT);
    this.changed();
    return txid;
  }

  private changed(): void {
    this.finishMineOne();
    this.listener();
    void this.refresh();
  }

  private finishMineOne(): void {
    const { node, key, member } = this;
    if (this.mineOneTarget === null || !node || !key) return;
    if (node.blocksFoundBy(key.hash) < this.mineOneTarget) return;
    this.mineOneTarget = null;
    const state = member?.state();
    if (state?.mining) node.startMining(key.hash, state.intervalSeconds);
    else node.stopMining();
  }

  /** Balance, "my blocks" and payment confirmations: read asynchronously, one refresh at a time. */
  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.dirty = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.dirty = false;
        await this.readNode();
      } while (this.dirty && !this.stopped);
    } catch (e) {
      // A read that fails now (the node stopping, a store error) is retried at the next change.
      this.error = `Reading the node failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.refreshing = false;
    }
    if (!this.stopped) this.listener();
  }

  private async readNode(): Promise<void> {
    const { node, key } = this;
    if (!node || !key) return;
    const coins = await node.coinsOf(key.hash);
    this.balance = classBalance(coins, node.chain.height, node.params, (c) => node.mempool.has(c.txid));
    const rows: ChainRow[] = [];
    for (const b of recentBlocks(node.chain.tip, MY_BLOCKS_SHOWN)) {
      rows.push({ hash: b.hash, height: b.height, mine: await this.isMine(node, key, b.hash) });
    }
    this.chainRows = rows;
    this.payments = await Promise.all(this.payments.map((p) => this.confirmations(node, p)));
    this.error = null;
  }

  private async isMine(node: BrowserNode, key: ClassWalletKey, hash: string): Promise<boolean | null> {
    const known = this.coinbaseOwner.get(hash);
    if (known !== undefined) return known;
    const block = await node.chain.getBlock(hash);
    if (!block) return null;
    const mine = block.txs[0]?.outputs.some((o) => equalBytes(o.address, key.hash)) ?? false;
    // Bounded: a block's coinbase never changes, and only the recent ones are asked about.
    if (this.coinbaseOwner.size >= 4 * MY_BLOCKS_SHOWN) this.coinbaseOwner.clear();
    this.coinbaseOwner.set(hash, mine);
    return mine;
  }

  private async confirmations(node: BrowserNode, p: PaymentRow): Promise<PaymentRow> {
    const at = await node.chain.indexer.txLocation(fromHex(p.txid));
    const entry = at ? node.chain.getEntry(toHex(at.blockHash)) : undefined;
    const confirmations = entry && node.chain.isActive(entry) ? node.chain.height - entry.height + 1 : 0;
    return confirmations === p.confirmations ? p : { ...p, confirmations };
  }
}
