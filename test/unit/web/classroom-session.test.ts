import { describe, expect, it } from 'vitest';
import type { ClassReport, ClassState } from '../../../src/classroom/types.js';
import { toHex } from '../../../src/core/bytes.js';
import { decodeAddress, encodeAddress } from '../../../src/crypto/address.js';
import type { ClassWalletKey } from '../../../web/src/classroom/payment.js';
import type { ClassroomPorts } from '../../../web/src/classroom/ports.js';
import { modeSentence } from '../../../web/src/classroom/StudentView.js';
import { browserClassControls, browserClassSelf, recentBlocks } from '../../../web/src/classroom/self.js';
import { StudentSession } from '../../../web/src/classroom/session.js';
import { joinClass } from '../../../web/src/classroom/storage.js';
import {
  extendChain,
  type FakeMember,
  type FakeNode,
  fakeChain,
  fakeMember,
  fakeNode,
  memoryStorage,
} from './classroom-fakes.js';

const KEY = 'cd'.repeat(32);
const PEER = '/dns4/teacher.local/tcp/15000/ws/p2p/12D3KooWQxBfd4K1LXCzY9uAJVrmRSNvTRJmCPkU2mXzLm8Gj3vP';
const key: ClassWalletKey = {
  address: 'hldev1student',
  hash: new Uint8Array(20).fill(7),
  publicKey: new Uint8Array(32),
  privateKey: new Uint8Array(32),
};

describe('ClassSelf adapter', () => {
  it("reports the browser node's status, the wallet's address and the recent chain", () => {
    const node = fakeNode({ networkId: 'class-1', bootstrap: [] });
    node.found = 3;
    node.startMining(key.hash, 0);
    const self = browserClassSelf(node, key, () => 'Ada');
    expect(self.kind).toBe('browser');
    expect([self.name(), self.address(), self.height(), self.tip()]).toEqual([
      'Ada',
      key.address,
      4,
      node.tipEntry.hashHex,
    ]);
    expect([self.hashRate(), self.mining(), self.blocksFound()]).toEqual([1500, true, 3]);
    const recent = self.recent(3);
    expect(recent.map((b) => b.height)).toEqual([4, 3, 2]);
    expect(recent[0]!.prev).toBe(recent[1]!.hash);
  });

  it('walks back at most the chain and at most 64 blocks, whatever is asked', () => {
    expect(recentBlocks(fakeChain(3), 12)).toHaveLength(3);
    expect(recentBlocks(fakeChain(100), 1000)).toHaveLength(64);
    expect(recentBlocks(fakeChain(3), -1)).toHaveLength(0);
  });

  it("drives mining to the student's address and hands a reset to the page", () => {
    const node = fakeNode({ networkId: 'class-1', bootstrap: [] });
    const resets: string[] = [];
    const controls = browserClassControls(node, key, (id) => resets.push(id));
    controls.setMining(true, 10);
    controls.setMining(false, 10);
    controls.resetTo('class-2');
    expect(node.calls).toEqual([`start ${toHex(key.hash)} 10`, 'stop']);
    expect(resets).toEqual(['class-2']);
  });
});

function harness() {
  const storage = memoryStorage();
  const cls = joinClass(storage, { net: 'class-7f3a01bc', key: KEY, peers: [PEER] }, 'Ada');
  const nodes: FakeNode[] = [];
  const members: FakeMember[] = [];
  const ports: ClassroomPorts = {
    startNode: async (opts) => {
      const node = fakeNode(opts);
      nodes.push(node);
      return node;
    },
    createMember: (opts) => {
      const member = fakeMember(opts);
      members.push(member);
      return member;
    },
    classNetOf: (node) => node.p2p as never,
  };
  const resets: string[] = [];
  let renders = 0;
  const open = () =>
    new StudentSession(
      ports,
      storage,
      cls,
      () => renders++,
      (id) => resets.push(id),
    );
  return { storage, cls, nodes, members, open, resets, renders: () => renders };
}

const report = (over: Partial<ClassReport>): ClassReport => ({
  peerId: 'peer',
  name: 'x',
  kind: 'browser',
  address: 'hldev1x',
  height: 4,
  tip: '',
  hashRate: 0,
  blocksFound: 0,
  mining: false,
  group: null,
  recent: [],
  at: 0,
  ...over,
});

/** Waits for the session's asynchronous reads (bounded). */
async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(done()).toBe(true);
}

describe('class mode sentence', () => {
  const state = (mode: ClassState['mode']) => ({ mode }) as ClassState;
  it('tells each group what its node ignores, in plain words', () => {
    expect(modeSentence(null, null)).toContain('Waiting for the teacher');
    expect(modeSentence(state('together'), null)).toContain('one network');
    expect(modeSentence(state('split'), 'A')).toBe(
      "The teacher has split the class: your node ignores group B's blocks until they heal.",
    );
    expect(modeSentence(state('split'), 'B')).toContain("ignores group A's blocks");
    expect(modeSentence(state('race'), 'B')).toContain('your group B mines in private');
  });
});

describe('StudentSession', () => {
  it('starts the node on the class network and a member with the tag, the teacher key and a browser self', async () => {
    const h = harness();
    const session = h.open();
    await session.start();
    expect(h.nodes[0]!.options).toEqual({ networkId: 'class-7f3a01bc', bootstrap: [PEER] });
    const opts = h.members[0]!.options;
    expect(opts.network).toBe('dev-class-7f3a01bc');
    expect(toHex(opts.teacherKey)).toBe(KEY);
    expect(opts.self.kind).toBe('browser');
    expect(opts.self.name()).toBe('Ada');
    expect(opts.net).toBe(h.nodes[0]!.p2p);
    expect(h.members[0]!.log).toEqual(['start']);
    const snap = session.snapshot();
    expect(snap.phase).toBe('running');
    expect(snap.address).toBe(opts.self.address());
    await session.stop();
    expect(h.members[0]!.log).toEqual(['start', 'stop']);
    expect(h.nodes[0]!.calls).toContain('node stopped');
  });

  it('resumes the same address after a reload (same stored phrase)', async () => {
    const h = harness();
    const first = h.open();
    await first.start();
    const address = first.snapshot().address;
    await first.stop();
    const second = h.open();
    await second.start();
    expect(second.snapshot().address).toBe(address);
  });

  it('shows the roster with who agrees, the balance, and my own blocks marked', async () => {
    const h = harness();
    const session = h.open();
    await session.start();
    const node = h.nodes[0]!;
    const member = h.members[0]!;
    extendChain(node, decodeAddress(node.params.addressPrefix, session.snapshot().address!));
    node.coins = [{ txid: 'aa'.repeat(32), index: 0, value: 5000n, height: 3, coinbase: true }];
    member.entries = [
      { report: report({ peerId: node.peerId, name: 'Ada', tip: node.tipEntry.hashHex }), heardAt: 0 },
      {
        report: report({ peerId: 'p2', name: 'Bob', tip: node.tipEntry.hashHex, blocksFound: 2 }),
        heardAt: 0,
      },
      { report: report({ peerId: 'p3', name: 'Cy', tip: 'ff'.repeat(32) }), heardAt: 0 },
    ];
    member.currentState = { mode: 'split', mining: true, intervalSeconds: 5 } as ClassState;
    member.currentGroup = 'B';
    node.fire();
    await settle(() => session.snapshot().chain[0]?.height === 5);
    const snap = session.snapshot();
    expect(snap.roster.map((r) => [r.name, r.me, r.agrees, r.blocksFound])).toEqual([
      ['Ada', true, true, 0],
      ['Bob', false, true, 2],
      ['Cy', false, false, 0],
    ]);
    expect(snap.balance).toEqual({ confirmed: 5000n, immature: 0n, pending: 0n });
    expect(snap.chain.map((b) => b.mine)).toEqual([true, false, false, false, false, false]);
    expect([snap.classState?.mode, snap.group]).toEqual(['split', 'B']);
  });

  it('pays a classmate by name, submits the signed transaction and follows it to its confirmation', async () => {
    const h = harness();
    const session = h.open();
    await session.start();
    const node = h.nodes[0]!;
    const member = h.members[0]!;
    node.coins = [{ txid: 'aa'.repeat(32), index: 0, value: 10n * 100_000_000n, height: 1, coinbase: true }];
    const bobHash = new Uint8Array(20).fill(9);
    const bob = encodeAddress(node.params.addressPrefix, bobHash);
    member.entries = [
      { report: report({ peerId: 'p1', name: 'Ada', address: session.snapshot().address! }), heardAt: 0 },
      { report: report({ peerId: 'p2', name: 'Bob', address: bob }), heardAt: 0 },
    ];
    // Bad requests are refused before anything is submitted.
    await expect(session.pay('Ada', 100_000_000n)).rejects.toThrow('your own address');
    await expect(session.pay('Nobody', 100_000_000n)).rejects.toThrow('Nobody called');
    await expect(session.pay('Bob', 11n * 100_000_000n)).rejects.toThrow('Not enough coins');
    expect(node.submitted).toHaveLength(0);

    const txid = await session.pay('Bob', 100_000_000n);
    expect(node.submitted).toHaveLength(1);
    expect(toHex(node.submitted[0]!.outputs[0]!.address)).toBe(toHex(bobHash));
    expect(node.submitted[0]!.outputs[0]!.amount).toBe(100_000_000n);
    expect(session.snapshot().payments).toEqual([
      { txid, to: 'Bob', amount: 100_000_000n, confirmations: 0 },
    ]);
    // Mined into the tip, then one more block on top: two confirmations.
    node.confirmedAt.set(txid, extendChain(node, new Uint8Array(20)));
    extendChain(node, new Uint8Array(20));
    node.fire();
    await settle(() => session.snapshot().payments[0]?.confirmations === 2);
  });

  it('mines one block on the button, then goes back to what the teacher says', async () => {
    const h = harness();
    const session = h.open();
    await session.start();
    const node = h.nodes[0]!;
    session.mineOne();
    expect(session.snapshot().miningOne).toBe(true);
    expect(node.status().mining).toBe(true);
    node.found = 1;
    node.fire();
    expect(session.snapshot().miningOne).toBe(false);
    expect(node.status().mining).toBe(false);
    expect(node.calls.at(-1)).toBe('stop');
  });

  it("ends a Mine-one-block search when the teacher's state sets mining", async () => {
    const h = harness();
    const session = h.open();
    await session.start();
    session.mineOne();
    h.members[0]!.options.controls.setMining(true, 5);
    expect(session.snapshot().miningOne).toBe(false);
    expect(h.nodes[0]!.calls.at(-1)).toMatch(/ 5$/);
  });

  it("hands the teacher's reset to a new network to the page, and ignores one to the same network", async () => {
    const h = harness();
    const session = h.open();
    await session.start();
    const controls = h.members[0]!.options.controls;
    controls.resetTo('class-7f3a01bc');
    controls.resetTo('Not An Id');
    controls.resetTo('class-00000002');
    expect(h.resets).toEqual(['class-00000002']);
  });

  it('says so when the node cannot start', async () => {
    const h = harness();
    const session = new StudentSession(
      {
        startNode: async () => {
          throw new Error('no peers reachable');
        },
        createMember: () => {
          throw new Error('unreachable');
        },
        classNetOf: () => {
          throw new Error('unreachable');
        },
      },
      h.storage,
      h.cls,
      () => {},
      () => {},
    );
    await session.start();
    expect(session.snapshot()).toMatchObject({
      phase: 'failed',
      error: 'The class node could not start: no peers reachable',
    });
  });
});
