// The classroom routes over a fake ClassroomPort and a real in-process chain: 404 on a node that teaches
// no class, the view's balances and blocks found read from the chain (not the reports), the merged tree,
// and each control rule refused with a 400 that names it, the port left untouched.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassControlChange, ClassroomPort } from '../../../src/api/context.js';
import { errorHandler } from '../../../src/api/errors.js';
import { classRoutes } from '../../../src/api/impl/class.js';
import type { ClassReport, ClassState, RosterEntry } from '../../../src/classroom/types.js';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';

const STUDENT_ID = '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN';
const dir = tempDir('hashline-class-routes-');
let node: HashlineNode;

const state: ClassState = {
  seq: 3,
  issuedAt: 1_700_000_000_000,
  network: 'regtest',
  teacherPeer: '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo',
  mining: false,
  intervalSeconds: 10,
  mode: 'together',
  groups: {},
  resetTo: null,
};

const report = (over: Partial<ClassReport>): ClassReport => ({
  peerId: STUDENT_ID,
  name: 'ada',
  kind: 'browser',
  address: 'nobody',
  height: 0,
  tip: '00'.repeat(32),
  hashRate: 0,
  blocksFound: 0,
  mining: false,
  group: null,
  recent: [],
  at: 0,
  ...over,
});

/** A port that records the controls it is given. */
function fakePort(
  roster: () => RosterEntry[],
  current: ClassState = state,
): ClassroomPort & { controls: ClassControlChange[] } {
  const controls: ClassControlChange[] = [];
  return {
    controls,
    teacherKey: 'ab'.repeat(32),
    joinUrl: () => 'http://192.0.2.7:5000/#/join?net=class-0011aabb&key=ab&peer=x',
    state: () => current,
    roster,
    control: (change) => {
      controls.push(change);
      return {
        ...state,
        seq: state.seq + 1,
        ...(change.mining === undefined ? {} : { mining: change.mining }),
      };
    },
  };
}

function appWith(port: ClassroomPort | undefined): FastifyInstance {
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  const ctx = { chain: node.chain, explorer: node.chain.indexer, classroom: () => port };
  for (const r of classRoutes(ctx)) app.route({ ...r, handler: r.handler as never });
  return app;
}

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path));
  await node.miner.mineMany(2);
});

afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

describe('a node that teaches no class', () => {
  it('answers both routes with 404 not-a-classroom', async () => {
    const app = appWith(undefined);
    for (const r of [
      await app.inject({ method: 'GET', url: '/api/v1/class' }),
      await app.inject({ method: 'POST', url: '/api/v1/class/control', payload: { mining: true } }),
    ]) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ error: 'not-a-classroom' });
      expect(r.json().message).toMatch(/hashline classroom/);
    }
  });
});

describe('GET /api/v1/class', () => {
  it("counts balances and blocks found on the teacher's chain, whatever the reports claim", async () => {
    const tip = node.chain.tip.hashHex;
    const fork = { hash: 'cd'.repeat(32), prev: node.chain.entryAtHeight(1)!.hashHex, height: 2 };
    const roster = () => [
      {
        report: report({
          peerId: node.p2p.peerId,
          name: 'teacher',
          kind: 'teacher',
          address: node.wallet.address,
          height: 2,
          tip,
          blocksFound: 0,
        }),
        heardAt: Date.now(),
      },
      // A student that claims 50 blocks and sits on a fork block the teacher does not have.
      { report: report({ height: 2, tip: fork.hash, blocksFound: 50, recent: [fork] }), heardAt: Date.now() },
    ];
    const r = await appWith(fakePort(roster)).inject({ method: 'GET', url: '/api/v1/class' });
    expect(r.statusCode).toBe(200);
    const view = r.json();
    expect(view.joinUrl).toContain('#/join?net=');
    expect(view.joinQrSvg).toMatch(/^<svg/);
    expect(view.state).toEqual(state);
    const [first, second] = view.members;
    expect(first).toMatchObject({ name: 'teacher', agrees: true, blocksFound: 2, group: null });
    expect(BigInt(first.balance)).toBe(2n * node.params.initialSubsidy);
    expect(second).toMatchObject({ name: 'ada', agrees: false, blocksFound: 0, balance: '0' });
    // The tree: the teacher's chain, mined by the teacher, and the student's fork beside it.
    const byHash = new Map(view.tree.map((b: { hash: string }) => [b.hash, b]));
    expect(byHash.get(tip)).toMatchObject({ height: 2, main: true, minedBy: 'teacher', tipOf: ['teacher'] });
    expect(byHash.get(fork.hash)).toMatchObject({ height: 2, main: false, minedBy: null, tipOf: ['ada'] });
  });

  it("groups members by the signed state: the teacher's node is its teacherPeer, whatever reports say", async () => {
    const split: ClassState = { ...state, mode: 'split', groups: { [STUDENT_ID]: 'B' } };
    const roster = () => [
      { report: report({ peerId: split.teacherPeer, name: 'teacher', kind: 'full' }), heardAt: 0 },
      { report: report({ name: 'ada', kind: 'teacher' }), heardAt: 0 },
      {
        report: report({ peerId: '12D3KooWDZLtPRLkYT8VgKFerk535uu6wXcuzB732L5cmRjnYCmR', name: 'bo' }),
        heardAt: 0,
      },
    ];
    const view = (
      await appWith(fakePort(roster, split)).inject({ method: 'GET', url: '/api/v1/class' })
    ).json();
    const groupOf = (name: string) => view.members.find((m: { name: string }) => m.name === name).group;
    expect(view.state.teacherPeer).toBe(split.teacherPeer);
    expect(groupOf('teacher')).toBeNull();
    expect(groupOf('ada')).toBe('B');
    expect(groupOf('bo')).toBe('A');
  });

  it("keeps the tree on the teacher's heights: a block reported far above them is left out", async () => {
    const liar = { hash: 'ef'.repeat(32), prev: 'ee'.repeat(32), height: 1_000_000 };
    const roster = () => [
      { report: report({ name: 'teacher', kind: 'teacher', address: node.wallet.address }), heardAt: 0 },
      { report: report({ height: liar.height, tip: liar.hash, recent: [liar] }), heardAt: 0 },
    ];
    const view = (await appWith(fakePort(roster)).inject({ method: 'GET', url: '/api/v1/class' })).json();
    const hashes = view.tree.map((b: { hash: string }) => b.hash);
    expect(hashes).not.toContain(liar.hash);
    expect(hashes).toContain(node.chain.tip.hashHex);
  });

  it('follows the chain: a new block adds to the count', async () => {
    const roster = () => [
      { report: report({ name: 'teacher', kind: 'teacher', address: node.wallet.address }), heardAt: 0 },
    ];
    const app = appWith(fakePort(roster));
    const before = (await app.inject({ method: 'GET', url: '/api/v1/class' })).json().members[0].blocksFound;
    await node.miner.mineMany(1);
    const after = (await app.inject({ method: 'GET', url: '/api/v1/class' })).json().members[0].blocksFound;
    expect(after).toBe(before + 1);
  });
});

describe('POST /api/v1/class/control', () => {
  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['nothing to change', {}, 'empty-control'],
    ['an interval over an hour', { intervalSeconds: 3601 }, 'bad-interval'],
    ['a negative interval', { intervalSeconds: -1 }, 'bad-interval'],
    ['a fractional interval', { intervalSeconds: 1.5 }, 'bad-interval'],
    [
      'more groups than a class has members',
      {
        groups: Object.fromEntries(
          Array.from({ length: 65 }, (_, i) => [
            `${STUDENT_ID.slice(0, -2)}${String(i).padStart(2, '0')}`,
            'A',
          ]),
        ),
      },
      'too-many-groups',
    ],
    ['a group key that is no peer id', { groups: { 'not a peer': 'B' } }, 'bad-peer-id'],
    ['a reset to no network id', { reset: 'Class 7!' }, 'bad-network-id'],
    ['a mode that does not exist', { mode: 'chaos' }, 'bad-request'],
    ['a group that does not exist', { groups: { [STUDENT_ID]: 'C' } }, 'bad-request'],
  ];
  for (const [what, body, code] of refused) {
    it(`refuses ${what} with 400 ${code} and changes nothing`, async () => {
      const port = fakePort(() => []);
      const r = await appWith(port).inject({ method: 'POST', url: '/api/v1/class/control', payload: body });
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toBe(code);
      expect(port.controls).toEqual([]);
    });
  }

  it('passes a valid change to the port and answers the new state', async () => {
    const port = fakePort(() => []);
    const body = { mining: true, intervalSeconds: 0, mode: 'split', groups: { [STUDENT_ID]: 'B' } };
    const r = await appWith(port).inject({ method: 'POST', url: '/api/v1/class/control', payload: body });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ seq: 4, mining: true });
    expect(port.controls).toEqual([body]);
  });
});
