import { describe, expect, it } from 'vitest';
import { Roster } from '../../../src/classroom/roster.js';
import { CLASS_TREE_MAX_BLOCKS, mergeTree } from '../../../src/classroom/tree.js';
import {
  CLASS_MAX_MEMBERS,
  CLASS_MEMBER_TTL_MS,
  CLASS_NEWCOMER_WINDOW_MS,
  CLASS_NEWCOMERS_PER_RELAY,
} from '../../../src/classroom/types.js';
import { reportOf } from './helpers.js';

const hash = (n: number) => n.toString(16).padStart(64, '0');

describe('Roster', () => {
  it('holds at most CLASS_MAX_MEMBERS, and never drops a live member for a newcomer', () => {
    const clock = { t: 0 };
    const roster = new Roster(() => clock.t);
    for (let i = 0; i < CLASS_MAX_MEMBERS; i++) {
      clock.t += 10;
      expect(roster.add(reportOf(`p${i}`, clock.t), null)).toBe(true);
    }
    clock.t += 10;
    expect(roster.check(reportOf('new', clock.t), null)).toBe('full');
    expect(roster.add(reportOf('new', clock.t), null)).toBe(false);
    expect(roster.size).toBe(CLASS_MAX_MEMBERS);
    expect(roster.get('p0')).toBeDefined();
    expect(roster.get('new')).toBeUndefined();
    // Members already in still report.
    clock.t += 2_000;
    expect(roster.check(reportOf('p0', clock.t), null)).toBe('ok');
    roster.add(reportOf('p0', clock.t), null);
    // Once one falls silent for the TTL, its place is free.
    clock.t = 19 + CLASS_MEMBER_TTL_MS; // p1, heard at 20, is still live
    expect(roster.check(reportOf('new', clock.t), null)).toBe('full');
    clock.t = 20 + CLASS_MEMBER_TTL_MS;
    expect(roster.add(reportOf('new', clock.t), null)).toBe(true);
    expect(roster.get('p1')).toBeUndefined();
    expect(roster.get('p0')).toBeDefined();
  });

  it('lets one relay bring in CLASS_NEWCOMERS_PER_RELAY newcomers a window, remembering few relays', () => {
    const clock = { t: 0 };
    const roster = new Roster(() => clock.t);
    for (let i = 0; i < CLASS_NEWCOMERS_PER_RELAY; i++)
      expect(roster.add(reportOf(`n${i}`, 1), 'relay')).toBe(true);
    expect(roster.check(reportOf('late', 1), 'relay')).toBe('too-many-newcomers');
    expect(roster.check(reportOf('relay', 1), 'relay')).toBe('ok'); // itself
    expect(roster.check(reportOf('late', 1), 'another')).toBe('ok');
    expect(roster.check(reportOf('late', 1), null)).toBe('ok');
    clock.t += CLASS_NEWCOMER_WINDOW_MS;
    expect(roster.check(reportOf('late', 1), 'relay')).toBe('ok');
  });

  it('forgets members not heard from for CLASS_MEMBER_TTL_MS', () => {
    const clock = { t: 1000 };
    const roster = new Roster(() => clock.t);
    roster.add(reportOf('old', 1), null);
    clock.t += CLASS_MEMBER_TTL_MS / 2;
    roster.add(reportOf('recent', 2), null);
    clock.t += CLASS_MEMBER_TTL_MS / 2;
    expect(roster.list().map((e) => e.report.peerId)).toEqual(['recent']);
    clock.t += CLASS_MEMBER_TTL_MS;
    expect(roster.list()).toEqual([]);
  });

  it('does not bring back a departed member by a replay of its old report', () => {
    const clock = { t: 1000 };
    const roster = new Roster(() => clock.t);
    roster.add(reportOf('gone', 500), null);
    clock.t += CLASS_MEMBER_TTL_MS;
    expect(roster.list()).toEqual([]);
    expect(roster.check(reportOf('gone', 500), null)).toBe('stale');
    expect(roster.add(reportOf('gone', 500), null)).toBe(false);
    // Back for real: a newer report.
    expect(roster.add(reportOf('gone', 501), null)).toBe(true);
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
