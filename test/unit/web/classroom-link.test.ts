import { describe, expect, it } from 'vitest';
import {
  joinLinkQuery,
  MAX_JOIN_PEERS,
  multiaddrProblem,
  nameProblem,
  parseJoinLink,
} from '../../../web/src/classroom/link.js';
import {
  CLASS_KEY,
  classMnemonic,
  classWalletKey,
  joinClass,
  loadClass,
  moveClass,
} from '../../../web/src/classroom/storage.js';
import { parseRoute } from '../../../web/src/lib/route.js';
import { memoryStorage } from './classroom-fakes.js';

const KEY = 'ab'.repeat(32);
const PEER = '/ip4/192.168.1.20/tcp/15000/ws/p2p/12D3KooWQxBfd4K1LXCzY9uAJVrmRSNvTRJmCPkU2mXzLm8Gj3vP';
const query = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) p.append(k, one);
  return p.toString();
};

describe('join link', () => {
  it('parses a valid link, with the multiaddr URL-encoded and repeated peers', () => {
    const parsed = parseJoinLink(
      `?${query({ net: 'class-7f3a01bc', key: KEY.toUpperCase(), peer: [PEER, PEER] })}`,
    );
    expect(parsed).toEqual({ ok: true, link: { net: 'class-7f3a01bc', key: KEY, peers: [PEER] } });
    // The encoded query round-trips.
    if (!parsed.ok) throw new Error('unreachable');
    expect(parseJoinLink(joinLinkQuery(parsed.link))).toEqual(parsed);
  });

  it.each([
    ['no net', query({ key: KEY, peer: PEER }), 'no class network'],
    ['a bad net', query({ net: 'Class 1', key: KEY, peer: PEER }), 'network id'],
    ['no key', query({ net: 'class-1', peer: PEER }), "no teacher's key"],
    ['a short key', query({ net: 'class-1', key: 'abcd', peer: PEER }), '64 hexadecimal'],
    ['a key that is not hex', query({ net: 'class-1', key: 'zz'.repeat(32), peer: PEER }), '64 hexadecimal'],
    ['no peer', query({ net: 'class-1', key: KEY }), "no teacher's node"],
    ['a peer that is no multiaddr', query({ net: 'class-1', key: KEY, peer: 'http://x' }), 'not a multiaddr'],
    [
      'a TCP-only peer',
      query({ net: 'class-1', key: KEY, peer: '/ip4/1.2.3.4/tcp/1/p2p/12D3KooWQxBfd4K1LXCzY9uAJ' }),
      'WebSockets',
    ],
    ['a peer without its id', query({ net: 'class-1', key: KEY, peer: '/ip4/1.2.3.4/tcp/1/ws' }), '/p2p/'],
    [
      'too many peers',
      query({ net: 'class-1', key: KEY, peer: Array(MAX_JOIN_PEERS + 1).fill(PEER) }),
      'more than',
    ],
  ])('refuses a link with %s, saying why', (_what, q, words) => {
    const parsed = parseJoinLink(q);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(words);
  });

  it('bounds a peer address', () => {
    expect(multiaddrProblem(`/dns4/${'a'.repeat(600)}/tcp/1/ws/p2p/12D3KooWQxBfd4K1LXCzY9uAJ`)).toContain(
      'longer',
    );
    expect(multiaddrProblem(PEER)).toBeUndefined();
  });

  it('routes #/join with its query and #/student', () => {
    expect(parseRoute(`#/join?${query({ net: 'class-1', key: KEY, peer: PEER })}`)).toEqual({
      page: 'join',
      query: query({ net: 'class-1', key: KEY, peer: PEER }),
    });
    expect(parseRoute('#/join')).toEqual({ page: 'join', query: '' });
    expect(parseRoute('#/student')).toEqual({ page: 'student' });
    // Other routes keep a '?' in their argument as before.
    expect(parseRoute('#/search/what?')).toEqual({ page: 'search', query: 'what?' });
  });
});

describe("student's name", () => {
  it('takes 1 to 24 letters, digits, spaces and - _ .', () => {
    for (const ok of ['Ada', 'a', 'Jean-Luc P.', 'x_y 2', 'a'.repeat(24), '  Bo  '])
      expect(nameProblem(ok)).toBeUndefined();
    expect(nameProblem('')).toContain('Choose a name');
    expect(nameProblem('   ')).toContain('Choose a name');
    expect(nameProblem('a'.repeat(25))).toContain('at most 24');
    for (const bad of ['<b>', 'Zoë', 'a/b', 'emoji 🙂', 'tab\there'])
      expect(nameProblem(bad)).toContain('Use only');
  });
});

describe('stored class and classroom wallet', () => {
  const link = { net: 'class-7f3a01bc', key: KEY, peers: [PEER] };

  it('joins: stores the class and a wallet phrase under the network id, and resumes both', () => {
    const storage = memoryStorage();
    const cls = joinClass(storage, link, '  Ada ', new Date('2026-12-07T00:00:00Z'));
    expect(cls).toEqual({ version: 1, ...link, name: 'Ada', joinedAt: '2026-12-07T00:00:00.000Z' });
    expect(loadClass(storage)).toEqual(cls);
    const phrase = storage.getItem(classWalletKey(link.net));
    expect(phrase?.split(' ')).toHaveLength(12);
    // A reload (or joining again) keeps the same phrase, hence the same address.
    expect(classMnemonic(storage, link.net)).toBe(phrase);
    joinClass(storage, link, 'Ada');
    expect(storage.getItem(classWalletKey(link.net))).toBe(phrase);
  });

  it('refuses a bad name and changes nothing', () => {
    const storage = memoryStorage();
    expect(() => joinClass(storage, link, '<script>')).toThrow('Use only');
    expect(storage.map.size).toBe(0);
  });

  it('ignores a damaged stored class', () => {
    const storage = memoryStorage();
    storage.setItem(CLASS_KEY, '{not json');
    expect(loadClass(storage)).toBeNull();
    storage.setItem(CLASS_KEY, JSON.stringify({ version: 1, ...link, name: 'Ada', key: 'nope' }));
    expect(loadClass(storage)).toBeNull();
    storage.setItem(CLASS_KEY, JSON.stringify({ version: 1, ...link, name: 'Ada', peers: ['http://x'] }));
    expect(loadClass(storage)).toBeNull();
  });

  it("follows the teacher's reset to a new network, keeping the wallet phrase", () => {
    const storage = memoryStorage();
    const cls = joinClass(storage, link, 'Ada');
    const moved = moveClass(storage, cls, 'class-00000002');
    expect(moved).toEqual({ ...cls, net: 'class-00000002' });
    expect(loadClass(storage)).toEqual(moved);
    expect(storage.getItem(classWalletKey('class-00000002'))).toBe(storage.getItem(classWalletKey(link.net)));
    expect(() => moveClass(storage, moved, 'Bad Id')).toThrow('network id');
    expect(loadClass(storage)).toEqual(moved);
  });
});
