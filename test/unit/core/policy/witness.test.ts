// The witness check (docs/protocol.md, "Policy witness"): one refusal per rule, the boundaries of after and
// older, the signatures it collects, the tree it marks, and the satisfier.
import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  LOCKTIME_THRESHOLD,
  RuleError,
  SEQUENCE_FINAL,
  SEQUENCE_NO_RELATIVE_LOCK,
  sha256,
  toHex,
} from '../../../../src/core/index.js';
import {
  type Available,
  checkWitness,
  describeWitness,
  type Policy,
  policyTree,
  type SatisfiedNode,
  type SpendFields,
  satisfy,
  sigCheckCount,
} from '../../../../src/core/policy/index.js';
import { codeOf } from '../helpers.js';
import {
  afterN,
  and,
  hashlock,
  key,
  multi,
  olderN,
  or,
  pk,
  preimage,
  signature,
  thresh,
} from './fixtures.js';

const FIELDS: SpendFields = { lockTime: 0, sequence: 0 };

/** Builds a witness: numbers are u8 (branch bytes), { mask } a u32, arrays raw bytes. */
function witness(...parts: Array<number | { mask: number } | Uint8Array>): Uint8Array {
  const w = new ByteWriter();
  for (const part of parts) {
    if (typeof part === 'number') w.u8(part);
    else if (part instanceof Uint8Array) w.bytes(part);
    else w.u32(part.mask);
  }
  return w.finish();
}

function refusal(policy: Policy, bytes: Uint8Array, fields: SpendFields = FIELDS): string {
  try {
    checkWitness(policy, bytes, fields);
  } catch (e) {
    if (e instanceof RuleError && e.code === 'policy-unsatisfied') return e.message;
    throw e;
  }
  throw new Error('the witness was accepted');
}

const pairs = (policy: Policy, bytes: Uint8Array, fields: SpendFields = FIELDS) =>
  checkWitness(policy, bytes, fields).signatures.map((s) => [toHex(s.publicKey), toHex(s.signature)]);
const pair = (k: number, s: number) => [toHex(key(k)), toHex(signature(s))];

describe('checkWitness accepts', () => {
  it('pk: one signature, paired with the key', () => {
    expect(pairs(pk(1), signature(9))).toEqual([pair(1, 9)]);
  });

  it('multi: the masked keys, in key order', () => {
    const p = multi(2, 1, 2, 3);
    expect(pairs(p, witness({ mask: 0b101 }, signature(7), signature(8)))).toEqual([pair(1, 7), pair(3, 8)]);
    expect(pairs(p, witness({ mask: 0b110 }, signature(7), signature(8)))).toEqual([pair(2, 7), pair(3, 8)]);
  });

  it('or: branch 0 takes the first, 1 the second', () => {
    const p = or(pk(1), pk(2));
    expect(pairs(p, witness(0, signature(5)))).toEqual([pair(1, 5)]);
    expect(pairs(p, witness(1, signature(5)))).toEqual([pair(2, 5)]);
  });

  it('and, thresh and sha256 together, signatures in witness order', () => {
    const p = and(thresh(2, pk(1), hashlock(0), pk(2)), pk(3));
    const w = witness({ mask: 0b101 }, signature(1), signature(2), signature(3));
    expect(pairs(p, w)).toEqual([pair(1, 1), pair(2, 2), pair(3, 3)]);
    const withPreimage = witness({ mask: 0b011 }, signature(1), preimage(0), signature(3));
    expect(pairs(p, withPreimage)).toEqual([pair(1, 1), pair(3, 3)]);
    expect(sigCheckCount(checkWitness(p, withPreimage, FIELDS))).toBe(2);
  });

  it('after and older take an empty witness', () => {
    expect(pairs(afterN(5), new Uint8Array(0), { lockTime: 5, sequence: 0 })).toEqual([]);
    expect(pairs(olderN(5), new Uint8Array(0), { lockTime: 0, sequence: 5 })).toEqual([]);
  });

  it('signatures are views into the witness, not copies', () => {
    const w = witness(0, signature(5));
    const [s] = checkWitness(or(pk(1), pk(2)), w, FIELDS).signatures;
    expect(s!.signature.buffer).toBe(w.buffer);
    expect(s!.signature.byteOffset).toBe(w.byteOffset + 1);
  });
});

describe('checkWitness refuses (policy-unsatisfied, naming the fragment)', () => {
  it.each<[string, Policy, Uint8Array, string]>([
    [
      'a missing signature',
      pk(1),
      new Uint8Array(63),
      `pk(${'01'.repeat(2)}…): the witness ends at byte 63, before a 64-byte signature at byte 0`,
    ],
    [
      'a missing mask',
      multi(1, 1, 2),
      new Uint8Array(3),
      'multi(1 of 2): the witness ends at byte 3, before the 4-byte mask at byte 0',
    ],
    [
      'a mask with too few bits',
      multi(2, 1, 2, 3),
      witness({ mask: 0b001 }, signature(1)),
      'multi(2 of 3): mask 0x00000001 has 1 bits set, not k=2',
    ],
    [
      'a mask with too many bits',
      multi(2, 1, 2, 3),
      witness({ mask: 0b111 }, signature(1), signature(2), signature(3)),
      'multi(2 of 3): mask 0x00000007 has 3 bits set, not k=2',
    ],
    [
      'a mask bit at n',
      multi(2, 1, 2, 3),
      witness({ mask: 0b1001 }, signature(1), signature(2)),
      'multi(2 of 3): mask 0x00000009 sets a bit at or above n=3',
    ],
    [
      'a mask bit 31',
      multi(1, 1, 2),
      witness({ mask: 0x80000000 }, signature(1)),
      'multi(1 of 2): mask 0x80000000 sets a bit at or above n=2',
    ],
    [
      'a multi missing its second signature',
      multi(2, 1, 2),
      witness({ mask: 0b11 }, signature(1)),
      'multi(2 of 2): the witness ends at byte 68, before a 64-byte signature at byte 68',
    ],
    [
      'a thresh mask with too few bits',
      thresh(2, afterN(1), pk(1)),
      witness({ mask: 0b10 }, signature(1)),
      'thresh(2 of 2): mask 0x00000002 has 1 bits set, not k=2',
    ],
    [
      'a thresh mask bit at n',
      thresh(1, pk(1), pk(2)),
      witness({ mask: 0b100 }, signature(1)),
      'thresh(1 of 2): mask 0x00000004 sets a bit at or above n=2',
    ],
    [
      'a branch byte 2',
      or(pk(1), pk(2)),
      witness(2, signature(1)),
      'or: branch byte 2 at byte 0 is neither 0 nor 1',
    ],
    [
      'a branch byte 255',
      or(pk(1), pk(2)),
      witness(255, signature(1)),
      'or: branch byte 255 at byte 0 is neither 0 nor 1',
    ],
    [
      'a missing branch byte',
      or(pk(1), pk(2)),
      new Uint8Array(0),
      'or: the witness ends at byte 0, before the branch byte at byte 0',
    ],
    [
      'a branch to an unsatisfied side',
      or(pk(1), afterN(10)),
      witness(1),
      'after(10): the lock time 1 is below 10',
    ],
    [
      'the second half of an and',
      and(pk(1), pk(2)),
      signature(1),
      'the witness ends at byte 64, before a 64-byte signature at byte 64',
    ],
    ['a wrong preimage', hashlock(0), preimage(1), 'does not hash to it'],
    [
      'a short preimage',
      hashlock(0),
      preimage(0).subarray(1),
      'the witness ends at byte 31, before a 32-byte preimage at byte 0',
    ],
    [
      'bytes left over',
      pk(1),
      witness(signature(1), new Uint8Array(3)),
      'witness has 3 bytes left over after byte 64',
    ],
    [
      'bytes after an empty satisfaction',
      afterN(1),
      new Uint8Array(1),
      'witness has 1 bytes left over after byte 0',
    ],
  ])('%s', (_what, policy, bytes, message) => {
    expect(refusal(policy, bytes, { lockTime: 1, sequence: 0 })).toContain(message);
  });

  it('names the hashlock by its hash', () => {
    expect(refusal(hashlock(0), preimage(1))).toMatch(
      /^sha256\([0-9a-f]{4}…\): the preimage at byte 0 does not hash to it$/,
    );
  });
});

describe('after(n): the lock time and its kind', () => {
  const check = (n: number, lockTime: number, sequence = 0) =>
    codeOf(() => checkWitness(afterN(n), new Uint8Array(0), { lockTime, sequence }));

  it('height: n−1 refused, n and above accepted', () => {
    expect(refusal(afterN(1000), new Uint8Array(0), { lockTime: 999, sequence: 0 })).toBe(
      'after(1000): the lock time 999 is below 1000',
    );
    expect(check(1000, 1000)).toBeUndefined();
    expect(check(1000, LOCKTIME_THRESHOLD - 1)).toBeUndefined();
  });

  it('time: n−1 refused, n accepted', () => {
    const n = LOCKTIME_THRESHOLD + 3600;
    expect(check(n, n - 1)).toBe('policy-unsatisfied');
    expect(check(n, n)).toBeUndefined();
    expect(check(LOCKTIME_THRESHOLD, LOCKTIME_THRESHOLD)).toBeUndefined();
    expect(check(0xffffffff, 0xffffffff, 0xfffffffe)).toBeUndefined();
  });

  it('kinds mixed either side of the threshold are refused', () => {
    expect(refusal(afterN(1000), new Uint8Array(0), { lockTime: LOCKTIME_THRESHOLD, sequence: 0 })).toBe(
      `after(1000): the lock time ${LOCKTIME_THRESHOLD} is a time, not a height`,
    );
    expect(
      refusal(afterN(LOCKTIME_THRESHOLD), new Uint8Array(0), {
        lockTime: LOCKTIME_THRESHOLD - 1,
        sequence: 0,
      }),
    ).toBe(`after(${LOCKTIME_THRESHOLD}): the lock time ${LOCKTIME_THRESHOLD - 1} is a height, not a time`);
  });

  it('a final input sequence (0xffffffff) is refused; 0xfffffffe is not', () => {
    expect(check(10, 10, SEQUENCE_FINAL)).toBe('policy-unsatisfied');
    expect(refusal(afterN(10), new Uint8Array(0), { lockTime: 10, sequence: SEQUENCE_FINAL })).toContain(
      'after(10): the input sequence is 0xffffffff',
    );
    expect(check(10, 10, SEQUENCE_FINAL - 1)).toBeUndefined();
  });
});

describe('older(n): the input sequence', () => {
  const check = (n: number, sequence: number) =>
    codeOf(() => checkWitness(olderN(n), new Uint8Array(0), { lockTime: 0, sequence }));

  it('n−1 refused, n and above accepted', () => {
    expect(refusal(olderN(144), new Uint8Array(0), { lockTime: 0, sequence: 143 })).toBe(
      'older(144): the input sequence 143 is below 144',
    );
    expect(check(144, 144)).toBeUndefined();
    expect(check(144, 0xffff)).toBeUndefined();
    expect(check(0xffff, 0xffff)).toBeUndefined();
    expect(check(0xffff, 0xfffe)).toBe('policy-unsatisfied');
  });

  it('a sequence with bit 31 set has no relative lock and is refused', () => {
    expect(
      refusal(olderN(1), new Uint8Array(0), { lockTime: 0, sequence: SEQUENCE_NO_RELATIVE_LOCK | 144 }),
    ).toBe('older(1): the input sequence 0x80000090 has no relative lock (bit 31 set)');
    expect(check(1, SEQUENCE_FINAL)).toBe('policy-unsatisfied');
    expect(check(1, 0x7fffffff)).toBeUndefined();
  });
});

describe('the satisfied tree', () => {
  const p = or(pk(1), and(pk(2), afterN(1000)));
  const fields = { lockTime: 1000, sequence: 0 };

  it('marks the fragments the witness used, with each fragment’s canonical text', () => {
    const tree = checkWitness(p, witness(1, signature(2)), fields).tree;
    expect(tree.used).toBe(true);
    expect(tree.children.map((c) => [c.type, c.used])).toEqual([
      ['pk', false],
      ['and', true],
    ]);
    expect(tree.children[1]!.children.map((c) => [c.text, c.used])).toEqual([
      [`pk(${toHex(key(2))})`, true],
      ['after(1000)', true],
    ]);
    expect(tree.text).toBe(`or(pk(${toHex(key(1))}),and(pk(${toHex(key(2))}),after(1000)))`);
  });

  it('thresh marks the masked sub-policies; describeWitness gives the same tree', () => {
    const t = thresh(2, pk(1), afterN(1), pk(2));
    const w = witness({ mask: 0b110 }, signature(2));
    const tree = describeWitness(t, w, fields);
    expect(tree.children.map((c) => c.used)).toEqual([false, true, true]);
    expect(checkWitness(t, w, fields).tree).toEqual(tree);
    expect(codeOf(() => describeWitness(t, w, { lockTime: 0, sequence: 0 }))).toBe('policy-unsatisfied');
  });

  it('policyTree: the same tree with nothing used', () => {
    const tree = policyTree(p);
    const all = (n: SatisfiedNode): SatisfiedNode[] => [n, ...n.children.flatMap(all)];
    expect(all(tree).map((n) => [n.type, n.used])).toEqual([
      ['or', false],
      ['pk', false],
      ['and', false],
      ['pk', false],
      ['after', false],
    ]);
    expect(all(tree).map((n) => n.text)).toEqual(
      all(checkWitness(p, witness(0, signature(1)), fields).tree).map((n) => n.text),
    );
  });
});

describe('satisfy', () => {
  const available = (
    signers: number[],
    preimages: number[] = [],
    fields: SpendFields = FIELDS,
  ): Available => ({
    ...fields,
    signature: (k) => (signers.includes(k[0]!) ? signature(k[0]!) : undefined),
    preimage: (h) => preimages.map(preimage).find((p) => toHex(sha256(p)) === toHex(h)),
  });

  it('or takes the satisfiable branch with the smaller witness, branch 0 on a tie', () => {
    const p = or(and(pk(1), pk(2)), pk(3));
    expect(toHex(satisfy(p, available([1, 2, 3]))!)).toBe(toHex(witness(1, signature(3))));
    expect(toHex(satisfy(p, available([1, 2]))!)).toBe(toHex(witness(0, signature(1), signature(2))));
    expect(toHex(satisfy(or(pk(1), pk(2)), available([1, 2]))!)).toBe(toHex(witness(0, signature(1))));
    expect(satisfy(p, available([1]))).toBeUndefined();
  });

  it('multi takes the first k keys that can sign, in key order', () => {
    const p = multi(2, 1, 2, 3);
    expect(toHex(satisfy(p, available([3, 2, 1]))!)).toBe(
      toHex(witness({ mask: 0b011 }, signature(1), signature(2))),
    );
    expect(toHex(satisfy(p, available([3, 1]))!)).toBe(
      toHex(witness({ mask: 0b101 }, signature(1), signature(3))),
    );
    expect(satisfy(p, available([3]))).toBeUndefined();
  });

  it('thresh takes its k smallest satisfiable sub-policies (the earlier on a tie)', () => {
    const p = thresh(2, pk(1), afterN(5), hashlock(0), pk(2));
    const fields = { lockTime: 5, sequence: 0 };
    // after(5) is 0 bytes, sha256 32, pk 64: the two smallest.
    expect(toHex(satisfy(p, available([1, 2], [0], fields))!)).toBe(
      toHex(witness({ mask: 0b0110 }, preimage(0))),
    );
    // Without the preimage: after(5), then pk(1) before the equally sized pk(2).
    expect(toHex(satisfy(p, available([1, 2], [], fields))!)).toBe(
      toHex(witness({ mask: 0b0011 }, signature(1))),
    );
    expect(satisfy(p, available([], [], FIELDS))).toBeUndefined();
  });

  it('after and older are met only by the available fields', () => {
    expect(satisfy(afterN(10), available([], [], { lockTime: 9, sequence: 0 }))).toBeUndefined();
    expect(satisfy(afterN(10), available([], [], { lockTime: 10, sequence: 0 }))).toEqual(new Uint8Array(0));
    expect(satisfy(olderN(10), available([], [], { lockTime: 0, sequence: 9 }))).toBeUndefined();
    expect(
      satisfy(olderN(10), available([], [], { lockTime: 0, sequence: SEQUENCE_NO_RELATIVE_LOCK | 10 })),
    ).toBeUndefined();
  });

  it('a signature that is not 64 bytes or a preimage that does not hash to H counts as unavailable', () => {
    const bad: Available = { ...FIELDS, signature: () => new Uint8Array(63), preimage: () => preimage(1) };
    expect(satisfy(pk(1), bad)).toBeUndefined();
    expect(satisfy(hashlock(0), bad)).toBeUndefined();
    const good: Available = { ...FIELDS, signature: () => undefined, preimage: () => preimage(0) };
    expect(satisfy(hashlock(0), good)).toEqual(preimage(0));
  });

  it('its witness passes checkWitness', () => {
    const p = and(thresh(2, pk(1), hashlock(0), multi(2, 2, 3, 4)), or(olderN(3), pk(5)));
    const fields = { lockTime: 0, sequence: 3 };
    const w = satisfy(p, available([1, 3, 4], [0], fields))!;
    // thresh: sha256 (32 bytes) and pk(1) (64) before multi (132); or: older(3) (0 bytes).
    expect(checkWitness(p, w, fields).signatures.map((s) => s.publicKey[0])).toEqual([1]);
    const w2 = satisfy(p, available([1, 3, 4, 5], [], { lockTime: 0, sequence: 2 }))!;
    expect(checkWitness(p, w2, { lockTime: 0, sequence: 2 }).signatures.map((s) => s.publicKey[0])).toEqual([
      1, 3, 4, 5,
    ]);
  });
});
