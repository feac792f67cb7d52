import { describe, expect, it } from 'vitest';
import { Roster } from '../../../src/classroom/roster.js';
import { CLASS_TREE_MAX_BLOCKS, mergeTree } from '../../../src/classroom/tree.js';
import { CLASS_MAX_MEMBERS, CLASS_MEMBER_TTL_MS } from '../../../src/classroom/types.js';
import { reportOf } from './helpers.js';

const hash = (n: number) => n.toString(16).padStart(64, '0');

describe('Roster', () => {
  it('holds at most CLASS_MAX_MEMBERS, dropping the member heard from longest ago', () => {
    const clock = { t: 0 };
    const roster = new Roster(() => clock.t);
    for (let i = 0; i <= CLASS_MAX_MEMBERS; i++) {
      clock.t += 10;
      roster.add(reportOf(`p${i}`, clock.t));
    }
    expect(roster.size).toBe(CLASS_MAX_MEMBERS);
    expect(roster.get('p0')).toBeUndefined();
    expect(roster.get(`p${CLASS_MAX_MEMBERS}`)).toBeDefined();
    // Heard again, p1 is the newest: p2 goes next.
    clock.t += 10;
    roster.add(reportOf('p1', clock.t));
    roster.add(reportOf('new', clock.t));
    expect(roster.get('p1')).toBeDefined();
    expect(roster.get('p2')).toBeUndefined();
  });

  it('forgets members not heard from for CLASS_MEMBER_TTL_MS', () => {
    const clock = { t: 1000 };
    const roster = new Roster(() => clock.t);
    roster.add(reportOf('old', 1));
    clock.t += CLASS_MEMBER_TTL_MS / 2;
    roster.add(reportOf('recent', 2));
    clock.t += CLASS_MEMBER_TTL_MS / 2;
    expect(roster.list().map((e) => e.report.peerId)).toEqual(['recent']);
    clock.t += CLASS_MEMBER_TTL_MS;
    expect(roster.list()).toEqual([]);
  });
});

describe('mergeTree', () => {
  it("merges members' recent chains with the teacher's blocks: tips, miners, main chain", () => {
    const a = reportOf('pa', 1, {
      name: 'ada',
      tip: hash(3),
      recent: [
        { hash: hash(3), prev: hash(2), height: 2 },
        { hash: hash(2), prev: hash(1), height: 1 },
      ],
    });
    const b = reportOf('pb', 1, {
      name: 'bob',
      tip: hash(4),
      recent: [{ hash: hash(4), prev: hash(2), height: 2 }],
    });
    const tree = mergeTree(
      [a, b],
      [
        { hash: hash(2), prev: hash(1), height: 1, coinbaseAddress: 'addrA', main: true },
        { hash: hash(3), prev: hash(2), height: 2, coinbaseAddress: 'addrA', main: true },
      ],
      new Map([['addrA', 'ada']]),
    );
    expect(tree.map((n) => n.hash)).toEqual([hash(3), hash(4), hash(2)]);
    expect(tree[0]).toMatchObject({ tipOf: ['ada'], minedBy: 'ada', main: true });
    expect(tree[1]).toMatchObject({ tipOf: ['bob'], minedBy: null, main: false, prev: hash(2) });
    expect(tree[2]).toMatchObject({ tipOf: [], main: true });
  });

  it('keeps the highest CLASS_TREE_MAX_BLOCKS blocks', () => {
    const teacher = Array.from({ length: CLASS_TREE_MAX_BLOCKS + 50 }, (_, i) => ({
      hash: hash(i + 1),
      prev: hash(i),
      height: i,
      coinbaseAddress: null,
      main: true,
    }));
    const tree = mergeTree([], teacher, new Map());
    expect(tree).toHaveLength(CLASS_TREE_MAX_BLOCKS);
    expect(tree[0]!.height).toBe(CLASS_TREE_MAX_BLOCKS + 49);
  });
});
