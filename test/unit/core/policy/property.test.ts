// Random policies with random (often corrupted) witnesses get the same verdict, and the same
// (key, signature) pairs, from checkWitness and from the simple evaluator below, written from
// docs/protocol.md alone; satisfy's witness is always accepted and as small as can be.
import { sha256 as referenceSha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../../src/core/index.js';
import {
  type Available,
  checkWitness,
  decodePolicy,
  encodePolicy,
  type Policy,
  parsePolicy,
  policyHash,
  policyText,
  type SpendFields,
  satisfy,
} from '../../../../src/core/policy/index.js';
import { hashOf, key, preimage } from './fixtures.js';

// ---- the reference evaluator ----------------------------------------------------------------

const hex = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
const THRESHOLD = 500_000_000;

/** The (key, signature) pairs of an accepted witness, or null when the witness does not satisfy. */
function reference(policy: Policy, w: Uint8Array, f: SpendFields): string[] | null {
  let pos = 0;
  const pairs: string[] = [];
  const take = (n: number): Uint8Array | null => {
    if (pos + n > w.length) return null;
    pos += n;
    return w.slice(pos - n, pos);
  };
  const picks = (k: number, n: number): number[] | null => {
    const b = take(4);
    if (!b) return null;
    const mask = b[0]! + b[1]! * 2 ** 8 + b[2]! * 2 ** 16 + b[3]! * 2 ** 24;
    const set: number[] = [];
    for (let i = 0; i < 32; i++) if (Math.floor(mask / 2 ** i) % 2 === 1) set.push(i);
    return set.length === k && set.every((i) => i < n) ? set : null;
  };
  const signedBy = (k: Uint8Array): boolean => {
    const s = take(64);
    if (s) pairs.push(`${hex(k)}:${hex(s)}`);
    return s !== null;
  };
  const go = (p: Policy): boolean => {
    switch (p.type) {
      case 'pk':
        return signedBy(p.key);
      case 'multi': {
        const set = picks(p.k, p.keys.length);
        return set?.every((i) => signedBy(p.keys[i]!)) ?? false;
      }
      case 'after':
        return f.sequence !== 0xffffffff && p.n < THRESHOLD === f.lockTime < THRESHOLD && f.lockTime >= p.n;
      case 'older':
        return f.sequence < 2 ** 31 && f.sequence >= p.n;
      case 'sha256': {
        const pre = take(32);
        return pre !== null && hex(referenceSha256(pre)) === hex(p.hash);
      }
      case 'and':
        return go(p.subs[0]) && go(p.subs[1]);
      case 'or': {
        const b = take(1);
        return b !== null && b[0]! <= 1 && go(p.subs[b[0]!]!);
      }
      case 'thresh': {
        const set = picks(p.k, p.subs.length);
        return set?.every((i) => go(p.subs[i]!)) ?? false;
      }
    }
  };
  return go(policy) && pos === w.length ? pairs : null;
}

/** The size of the smallest witness, or undefined when nothing available satisfies the policy. */
function smallest(p: Policy, signers: Set<string>, known: Set<string>, f: SpendFields): number | undefined {
  const sub = (q: Policy) => smallest(q, signers, known, f);
  switch (p.type) {
    case 'pk':
      return signers.has(hex(p.key)) ? 64 : undefined;
    case 'multi':
      return p.keys.filter((k) => signers.has(hex(k))).length >= p.k ? 4 + 64 * p.k : undefined;
    case 'after':
    case 'older':
      return reference(p, new Uint8Array(0), f) ? 0 : undefined;
    case 'sha256':
      return known.has(hex(p.hash)) ? 32 : undefined;
    case 'and': {
      const [x, y] = [sub(p.subs[0]), sub(p.subs[1])];
      return x === undefined || y === undefined ? undefined : x + y;
    }
    case 'or': {
      const sizes = p.subs.map(sub).filter((s): s is number => s !== undefined);
      return sizes.length ? 1 + Math.min(...sizes) : undefined;
    }
    case 'thresh': {
      const sizes = p.subs
        .map(sub)
        .filter((s): s is number => s !== undefined)
        .sort((a, b) => a - b);
      return sizes.length >= p.k ? 4 + sizes.slice(0, p.k).reduce((a, b) => a + b, 0) : undefined;
    }
  }
}

// ---- generators -------------------------------------------------------------------------------

const KEYS = [1, 2, 3, 4, 5, 6];
const AFTERS = [1, 100, 499_999_999, 500_000_000, 500_000_100, 0xffffffff];
const OLDERS = [1, 10, 0xffff];

const leaf: fc.Arbitrary<Policy> = fc.oneof(
  fc.constantFrom(...KEYS).map((i): Policy => ({ type: 'pk', key: key(i) })),
  fc
    .shuffledSubarray(KEYS, { minLength: 1 })
    .chain((ids) =>
      fc.integer({ min: 1, max: ids.length }).map((k): Policy => ({ type: 'multi', k, keys: ids.map(key) })),
    ),
  fc.constantFrom(...AFTERS).map((n): Policy => ({ type: 'after', n })),
  fc.constantFrom(...OLDERS).map((n): Policy => ({ type: 'older', n })),
  fc.constantFrom(0, 1, 2).map((i): Policy => ({ type: 'sha256', hash: hashOf(i) })),
);

const { policy: arbTree } = fc.letrec<{ policy: Policy }>((tie) => ({
  policy: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'policy' },
    leaf,
    fc.tuple(tie('policy'), tie('policy')).map(([x, y]): Policy => ({ type: 'and', subs: [x, y] })),
    fc.tuple(tie('policy'), tie('policy')).map(([x, y]): Policy => ({ type: 'or', subs: [x, y] })),
    fc
      .array(tie('policy'), { minLength: 1, maxLength: 4 })
      .chain((subs) =>
        fc.integer({ min: 1, max: subs.length }).map((k): Policy => ({ type: 'thresh', k, subs })),
      ),
  ),
}));

const fitsLimits = (p: Policy): boolean => {
  try {
    encodePolicy(p);
    return true;
  } catch {
    return false;
  }
};
const arbPolicy = arbTree.filter(fitsLimits);

const arbFields: fc.Arbitrary<SpendFields> = fc.record({
  lockTime: fc.oneof(
    fc.constantFrom(0, 1, 99, 100, 101, 499_999_999, 500_000_000, 500_000_099, 500_000_100, 500_000_101),
    fc.constantFrom(0xfffffffe, 0xffffffff),
    fc.nat({ max: 0xffffffff }),
  ),
  sequence: fc.oneof(
    fc.constantFrom(0, 1, 9, 10, 11, 0xfffe, 0xffff, 0x10000, 0x7fffffff),
    fc.constantFrom(0x80000000, 0x8000000a, 0xfffffffe, 0xffffffff),
    fc.nat({ max: 0xffffffff }),
  ),
});

/**
 * A witness following the policy's shape with random choices; about one decision in `1/corruption`
 * is wrong on purpose (a flipped mask bit, a bad branch byte, another preimage).
 */
function randomWitness(p: Policy, random: () => number, corruption: number): number[] {
  const out: number[] = [];
  const wrong = () => random() % corruption === 0;
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const sig = () => {
    const fill = random() & 0xff;
    for (let i = 0; i < 64; i++) out.push((fill + i) & 0xff);
  };
  const choose = (k: number, n: number): number[] => {
    const pool = Array.from({ length: n }, (_, i) => i);
    const chosen: number[] = [];
    while (chosen.length < k) chosen.push(pool.splice(random() % pool.length, 1)[0]!);
    return chosen.sort((a, b) => a - b);
  };
  /** The mask's set bits. Wrong masks flip one bit, or move one to a bit at or above n (same count). */
  const mask = (k: number, n: number): number[] => {
    let m = choose(k, n).reduce((acc, i) => acc | (1 << i), 0);
    const roll = random() % corruption;
    if (roll === 0) m ^= 1 << (random() % (n + 2));
    else if (roll === 1) m = (m & (m - 1)) | (1 << (random() % 2 ? n : n + (random() % (32 - n))));
    u32(m >>> 0);
    return Array.from({ length: 32 }, (_, i) => i).filter((i) => (m >>> i) & 1);
  };
  const go = (q: Policy): void => {
    switch (q.type) {
      case 'pk':
        sig();
        return;
      case 'multi':
        for (const _ of mask(q.k, q.keys.length)) sig(); // one signature per set bit, even a bit ≥ n
        return;
      case 'after':
      case 'older':
        return;
      case 'sha256': {
        const right = [0, 1, 2].find((i) => hex(hashOf(i)) === hex(q.hash))!;
        out.push(...preimage(wrong() ? (right + 1) % 3 : right));
        return;
      }
      case 'and':
        go(q.subs[0]);
        go(q.subs[1]);
        return;
      case 'or': {
        // Wrong: a branch byte of 2 or more, or the byte of the other branch than the one satisfied.
        const taken = random() % 2;
        const badByte = [2, 3, 255, 2 + (random() % 254)][random() % 4]!;
        out.push(wrong() ? badByte : wrong() ? 1 - taken : taken);
        go(q.subs[taken]!);
        return;
      }
      case 'thresh':
        for (const i of mask(q.k, q.subs.length)) go(q.subs[i % q.subs.length]!);
        return;
    }
  };
  go(p);
  return out;
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'truncate' | 'extend' | 'flip' | 'set'; at: number; value: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  fc.record({
    kind: fc.constantFrom('truncate' as const, 'extend' as const, 'flip' as const, 'set' as const),
    at: fc.nat(),
    value: fc.nat({ max: 255 }),
  }),
);

function mutate(bytes: number[], m: Mutation): Uint8Array {
  const w = Uint8Array.from(bytes);
  if (m.kind === 'none') return w;
  if (m.kind === 'extend')
    return Uint8Array.from([...bytes, ...Array.from({ length: 1 + (m.at % 4) }, () => m.value)]);
  if (w.length === 0) return w;
  const at = m.at % w.length;
  if (m.kind === 'truncate') return w.slice(0, at);
  if (m.kind === 'flip') w[at]! ^= 1 << (m.value % 8);
  else w[at] = m.value;
  return w;
}

/** checkWitness's verdict in the reference's form. */
function verdict(p: Policy, w: Uint8Array, f: SpendFields): string[] | null {
  try {
    return checkWitness(p, w, f).signatures.map((s) => `${hex(s.publicKey)}:${hex(s.signature)}`);
  } catch (e) {
    if (e instanceof RuleError && e.code === 'policy-unsatisfied') return null;
    throw e;
  }
}

const seededRandom = (seed: number) => {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) & 0x7fffffff;
  };
};

describe('policy property tests', () => {
  it('text and bytes round-trip every random policy', () => {
    fc.assert(
      fc.property(arbPolicy, (p) => {
        const bytes = encodePolicy(p);
        expect(decodePolicy(bytes)).toEqual(p);
        expect(parsePolicy(policyText(p))).toEqual(p);
        expect(hex(policyHash(bytes))).toBe(hex(referenceSha256(bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('checkWitness and the reference evaluator agree on random and corrupted witnesses', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(
        arbPolicy,
        fc.integer(),
        fc.constantFrom(4, 16, 1000),
        arbMutation,
        arbFields,
        (p, seed, corruption, mutation, fields) => {
          const w = mutate(randomWitness(p, seededRandom(seed), corruption), mutation);
          const expected = reference(p, w, fields);
          expect(verdict(p, w, fields)).toEqual(expected);
          seen[expected ? 'accepted' : 'refused']++;
        },
      ),
      { numRuns: 2000 },
    );
    // Both verdicts are well represented, so the agreement means something.
    expect(seen.accepted).toBeGreaterThan(200);
    expect(seen.refused).toBeGreaterThan(200);
  });

  it('satisfy gives the smallest witness when one exists, and checkWitness accepts it', () => {
    let satisfied = 0;
    fc.assert(
      fc.property(
        arbPolicy,
        fc.subarray(KEYS),
        fc.subarray([0, 1, 2]),
        arbFields,
        (p, signerIds, knownIds, fields) => {
          const signers = new Set(signerIds.map((i) => hex(key(i))));
          const known = new Set(knownIds.map((i) => hex(hashOf(i))));
          const available: Available = {
            ...fields,
            signature: (k) => (signers.has(hex(k)) ? new Uint8Array(64).fill(k[0]!) : undefined),
            preimage: (h) => knownIds.map(preimage).find((pre) => hex(referenceSha256(pre)) === hex(h)),
          };
          const w = satisfy(p, available);
          const size = smallest(p, signers, known, fields);
          expect(w?.length).toBe(size);
          if (w) {
            satisfied++;
            expect(reference(p, w, fields)).not.toBeNull();
            expect(verdict(p, w, fields)).toEqual(reference(p, w, fields));
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(satisfied).toBeGreaterThan(50);
  });
});
