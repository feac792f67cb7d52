// Adversarial inputs: every path through the policy module costs time linear in its input (or bounded by
// the policy limits), and recursion stops at the depth limit whatever the input claims.
import { describe, expect, it } from 'vitest';
import { MAX_POLICY_SIZE, RuleError } from '../../../../src/core/index.js';
import {
  checkWitness,
  decodePolicy,
  encodePolicy,
  type Policy,
  parsePolicy,
  policyText,
  satisfy,
} from '../../../../src/core/policy/index.js';
import { codeOf } from '../helpers.js';
import { afterN, hexOf, or, pk, range, signature, thresh } from './fixtures.js';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('no error');
}

/** Milliseconds `runs` calls of fn take. */
function timed(runs: number, fn: () => void): number {
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return performance.now() - start;
}

const FIELDS = { lockTime: 1, sequence: 0 };

describe('witnesses', () => {
  it('a 100,000-byte witness against pk is refused for its left-over bytes', () => {
    const w = new Uint8Array(100_000);
    expect(errorOf(() => checkWitness(pk(1), w, FIELDS))).toEqual({
      code: 'policy-unsatisfied',
      message: 'witness has 99936 bytes left over after byte 64',
    });
  });

  it('reading is by offset: 200 checks of a 100,000-byte witness with many reads take well under a second', () => {
    // 20 × or(after, after): 21 reads (a mask, then 20 branch bytes) before the 99,976 left-over bytes.
    // A reader that copied the rest of the witness at each read would move 2 MB per check, 400 MB in all.
    const policy = thresh(20, ...range(0, 20).map(() => or(afterN(1), afterN(1))));
    const w = new Uint8Array(100_000);
    w.set([0xff, 0xff, 0x0f, 0x00]);
    expect(codeOf(() => checkWitness(policy, w, FIELDS))).toBe('policy-unsatisfied');
    expect(checkWitness(policy, w.subarray(0, 24), FIELDS).signatures).toEqual([]);
    expect(timed(200, () => codeOf(() => checkWitness(policy, w, FIELDS)))).toBeLessThan(1000);
  });

  it('the most signatures a policy can ask for: 20 of 20 keys, checked as views', () => {
    const policy = thresh(20, ...range(1, 20).map(pk));
    const w = new Uint8Array(4 + 64 * 20);
    w.set([0xff, 0xff, 0x0f, 0x00]);
    const { signatures } = checkWitness(policy, w, FIELDS);
    expect(signatures).toHaveLength(20);
    expect(signatures.every((s) => s.signature.buffer === w.buffer)).toBe(true);
  });
});

describe('policy bytes', () => {
  it('a megabyte is refused as too large without being read', () => {
    const huge = new Uint8Array(1_000_000).fill(0x06);
    expect(errorOf(() => decodePolicy(huge)).code).toBe('policy-too-large');
    expect(timed(100, () => codeOf(() => decodePolicy(huge)))).toBeLessThan(1000);
  });

  it('1,024 bytes of nested `and` stop at the depth limit, at byte 8', () => {
    const ands = new Uint8Array(MAX_POLICY_SIZE).fill(0x06);
    expect(errorOf(() => decodePolicy(ands))).toEqual({
      code: 'bad-policy',
      message: 'nesting deeper than 8 at byte 8',
    });
  });

  it('a thresh claiming 20 sub-policies that are not there is refused where the bytes end', () => {
    expect(errorOf(() => decodePolicy(Uint8Array.from([0x08, 0x14, 0x14, 0x03, 1, 0, 0, 0])))).toEqual({
      code: 'bad-policy',
      message: 'the policy ends at byte 8, where a fragment should start',
    });
  });

  it('trees far past the limits are refused after looking at a bounded part of them', () => {
    const leaf = pk(1);
    const wide: Policy = { type: 'thresh', k: 1, subs: Array.from({ length: 1_000_000 }, () => leaf) };
    expect(codeOf(() => encodePolicy(wide))).toBe('policy-too-large');
    let deep: Policy = afterN(1);
    for (let i = 0; i < 100_000; i++) deep = or(deep, afterN(1));
    expect(codeOf(() => encodePolicy(deep))).toBe('policy-too-large');
    expect(timed(100, () => codeOf(() => encodePolicy(wide)))).toBeLessThan(1000);
  });
});

describe('policy text', () => {
  it('100,000 nested `and(` stop at the depth limit without deep recursion', () => {
    expect(errorOf(() => parsePolicy('and('.repeat(100_000)))).toEqual({
      code: 'bad-policy',
      message: 'nesting deeper than 8 at character 33',
    });
  });

  it('a multi of 100,000 keys is refused at the 21st', () => {
    const text = `multi(1,${range(0, 100_000)
      .map((i) => hexOf(i % 256))
      .join(',')})`;
    expect(errorOf(() => parsePolicy(text))).toEqual({
      code: 'bad-policy',
      message: 'multi at character 1: more than 20 keys',
    });
  });

  it('a megabyte of spaces around a policy parses in linear time', () => {
    const pad = ' '.repeat(500_000);
    const text = `${pad}after(1)${pad}`;
    expect(policyText(parsePolicy(text))).toBe('after(1)');
    expect(timed(5, () => parsePolicy(text))).toBeLessThan(1000);
  });

  it('a megabyte-long number is refused as too large', () => {
    expect(errorOf(() => parsePolicy(`after(${'9'.repeat(1_000_000)})`)).message).toBe(
      'after at character 1: the number at character 7 is too large',
    );
  });
});

describe('satisfier', () => {
  it('the widest policy is satisfied once per fragment, not once per combination', () => {
    // thresh(10 of 20) over or(pk, pk): a satisfier that tried every subset would take 184,756 tries.
    const policy = thresh(10, ...range(1, 20).map((i) => or(pk(i), pk(i + 100))));
    let asked = 0;
    const w = satisfy(policy, {
      ...FIELDS,
      signature: (key) => {
        asked++;
        return signature(key[0]!);
      },
      preimage: () => undefined,
    });
    expect(w).toBeDefined();
    expect(asked).toBe(40);
    expect(checkWitness(policy, w!, FIELDS).signatures).toHaveLength(10);
  });
});
