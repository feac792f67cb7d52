// Fakes of the browser node and the class member for the classroom page's unit tests.
import type { ChainEntry } from '../../../src/chain/entry.js';
import type { ClassGroup, ClassState, RosterEntry } from '../../../src/classroom/types.js';
import type { Block } from '../../../src/core/block.js';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { networkWithId } from '../../../src/core/network-id.js';
import { getNetwork } from '../../../src/core/params.js';
import type { Tx } from '../../../src/core/tx.js';
import { txidHex } from '../../../src/core/tx.js';
import type { MemberOptions, StudentMember } from '../../../web/src/classroom/ports.js';
import type { BrowserCoin, BrowserNode, BrowserNodeOptions } from '../../../web/src/node/types.js';

/** localStorage's surface over a Map. */
export function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

const hashOf = (n: number) => n.toString(16).padStart(64, '0');

/** A chain of `length` entries (heights 0..length-1), tip returned; block n's coinbase pays `payees[n]`. */
export function fakeChain(length: number): ChainEntry {
  let parent: ChainEntry | undefined;
  for (let h = 0; h < length; h++) {
    parent = {
      hashHex: hashOf(h + 1),
      height: h,
      parent,
      header: { prevHash: fromHex(h === 0 ? hashOf(0) : hashOf(h)) },
    } as unknown as ChainEntry;
  }
  return parent!;
}

/** Mines a block on top of `node`'s tip whose coinbase pays `to`; answers its hash. */
export function extendChain(node: FakeNode, to: Uint8Array): string {
  const parent = node.tipEntry;
  const height = parent.height + 1;
  node.tipEntry = {
    hashHex: hashOf(height + 1),
    height,
    parent,
    header: { prevHash: fromHex(parent.hashHex) },
  } as unknown as ChainEntry;
  node.coinbasePays.set(node.tipEntry.hashHex, to);
  return node.tipEntry.hashHex;
}

export interface FakeNode extends BrowserNode {
  readonly calls: string[];
  readonly submitted: Tx[];
  coins: BrowserCoin[];
  pendingTxids: Set<string>;
  found: number;
  tipEntry: ChainEntry;
  coinbasePays: Map<string, Uint8Array>;
  confirmedAt: Map<string, string>;
  fire(): void;
  readonly options: BrowserNodeOptions;
}

export function fakeNode(options: BrowserNodeOptions): FakeNode {
  const listeners = new Set<() => void>();
  let mining = false;
  const node = {
    options,
    calls: [] as string[],
    submitted: [] as Tx[],
    coins: [] as BrowserCoin[],
    pendingTxids: new Set<string>(),
    found: 0,
    tipEntry: fakeChain(5),
    coinbasePays: new Map<string, Uint8Array>(),
    confirmedAt: new Map<string, string>(),
    params: networkWithId(getNetwork('dev'), options.networkId),
    peerId: '12D3KooWStudentPeer',
    p2p: { peerId: '12D3KooWStudentPeer' },
    mempool: { has: (txid: string) => node.pendingTxids.has(txid), minFeeRate: 1 },
    chain: {
      get tip() {
        return node.tipEntry;
      },
      get height() {
        return node.tipEntry.height;
      },
      getBlock: async (hash: string): Promise<Block | undefined> => {
        const to = node.coinbasePays.get(hash) ?? new Uint8Array(20);
        return {
          header: {},
          txs: [{ inputs: [], outputs: [{ amount: 1n, address: to }] }],
        } as unknown as Block;
      },
      getEntry: (hash: string) => {
        for (let e: ChainEntry | undefined = node.tipEntry; e; e = e.parent) if (e.hashHex === hash) return e;
        return undefined;
      },
      isActive: () => true,
      indexer: {
        txLocation: async (txid: Uint8Array) => {
          const block = node.confirmedAt.get(toHex(txid));
          return block ? { blockHash: fromHex(block), index: 1 } : undefined;
        },
      },
    },
    status: () => ({
      network: 'dev-class-1',
      peerId: node.peerId,
      height: node.tipEntry.height,
      tip: node.tipEntry.hashHex,
      peers: 1,
      mining,
      hashRate: mining ? 1500 : 0,
      mempool: node.pendingTxids.size,
    }),
    startMining: (address: Uint8Array, interval = 0) => {
      mining = true;
      node.calls.push(`start ${toHex(address)} ${interval}`);
    },
    stopMining: () => {
      mining = false;
      node.calls.push('stop');
    },
    blocksFoundBy: () => node.found,
    coinsOf: async () => node.coins,
    submitTx: async (tx: Tx) => {
      node.submitted.push(tx);
      const id = txidHex(tx);
      node.pendingTxids.add(id);
      return id;
    },
    onChange: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire: () => {
      for (const l of listeners) l();
    },
    stop: async () => {
      node.calls.push('node stopped');
    },
  };
  return node as unknown as FakeNode;
}

export interface FakeMember extends StudentMember {
  readonly options: MemberOptions;
  readonly log: string[];
  currentState: ClassState | null;
  currentGroup: ClassGroup | null;
  entries: RosterEntry[];
  fire(): void;
}

export function fakeMember(options: MemberOptions): FakeMember {
  const listeners = new Set<() => void>();
  const member: FakeMember = {
    options,
    log: [],
    currentState: null,
    currentGroup: null,
    entries: [],
    start: () => void member.log.push('start'),
    stop: () => void member.log.push('stop'),
    state: () => member.currentState,
    group: () => member.currentGroup,
    roster: () => member.entries,
    addressOf: (name) => member.entries.find((e) => e.report.name === name)?.report.address,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire: () => {
      for (const l of listeners) l();
    },
  };
  return member;
}
