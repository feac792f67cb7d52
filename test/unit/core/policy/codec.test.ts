// The canonical encoding and the text form of spending policies: round trips for every fragment and one
// refusal per decoding rule (docs/protocol.md, "Policy encoding").
import { describe, expect, it } from 'vitest';
import {
  fromHex,
  MAX_POLICY_DEPTH,
  MAX_POLICY_SIZE,
  RuleError,
  sha256,
  toHex,
} from '../../../../src/core/index.js';
import {
  decodePolicy,
  encodePolicy,
  type Policy,
  parsePolicy,
  policyDepth,
  policyHash,
  policyKeys,
  policyText,
} from '../../../../src/core/policy/index.js';
import { codeOf } from '../helpers.js';
import {
  afterN,
  and,
  hashlock,
  hashOf,
  hexOf,
  key,
  multi,
  nested,
  olderN,
  or,
  pk,
  policyOf1024,
  policyOf1025,
  range,
  thresh,
} from './fixtures.js';

const K1 = hexOf(1);
const K2 = hexOf(2);
const K3 = hexOf(3);
const H = toHex(hashOf(0));

/** Each fragment: its tree, its canonical text and its encoding. */
const FRAGMENTS: Array<[string, Policy, string, string]> = [
  ['pk', pk(1), `pk(${K1})`, `01${K1}`],
  ['multi', multi(2, 1, 2, 3), `multi(2,${K1},${K2},${K3})`, `020203${K1}${K2}${K3}`],
  ['after', afterN(1000), 'after(1000)', '03e8030000'],
  ['older', olderN(144), 'older(144)', '0490000000'],
  ['sha256', hashlock(0), `sha256(${H})`, `05${H}`],
  ['and', and(pk(1), olderN(10)), `and(pk(${K1}),older(10))`, `0601${K1}040a000000`],
  ['or', or(pk(1), pk(2)), `or(pk(${K1}),pk(${K2}))`, `0701${K1}01${K2}`],
  [
    'thresh',
    thresh(2, pk(1), pk(2), afterN(5)),
    `thresh(2,pk(${K1}),pk(${K2}),after(5))`,
    `08020301${K1}01${K2}0305000000`,
  ],
];

/** The RuleError a function throws (code and message), or undefined. */
function errorOf(fn: () => unknown): { code: string; message: string } | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return { code: e.code, message: e.message };
    throw e;
  }
  return undefined;
}

describe('policy encoding and text', () => {
  it.each(FRAGMENTS)('%s: tree, text and bytes convert both ways', (_name, tree, text, hex) => {
    expect(toHex(encodePolicy(tree))).toBe(hex);
    expect(decodePolicy(fromHex(hex))).toEqual(tree);
    expect(policyText(tree)).toBe(text);
    expect(parsePolicy(text)).toEqual(tree);
    expect(toHex(policyHash(fromHex(hex)))).toBe(toHex(sha256(fromHex(hex))));
  });

  it('after and older at the ends of their ranges', () => {
    for (const p of [afterN(1), afterN(0xffffffff), olderN(1), olderN(65535)]) {
      expect(decodePolicy(encodePolicy(p))).toEqual(p);
      expect(parsePolicy(policyText(p))).toEqual(p);
    }
    expect(toHex(encodePolicy(afterN(0xffffffff)))).toBe('03ffffffff');
  });

  it('the text parser takes upper-case hex and spaces around arguments; printing is canonical', () => {
    const loose = ` or( pk(${K1.toUpperCase()}) ,  thresh( 1 , after(7) ) ) `;
    expect(policyText(parsePolicy(loose))).toBe(`or(pk(${K1}),thresh(1,after(7)))`);
  });

  it('depth: a leaf is 1, and/or/thresh one more than their deepest child', () => {
    expect(policyDepth(pk(1))).toBe(1);
    expect(policyDepth(or(pk(1), and(pk(2), afterN(1))))).toBe(3);
    expect(policyDepth(nested(MAX_POLICY_DEPTH))).toBe(MAX_POLICY_DEPTH);
  });

  it('policyKeys: every distinct key in first-appearance order', () => {
    const keys = policyKeys(thresh(2, multi(2, 3, 1), pk(2), or(pk(1), pk(4))));
    expect(keys.map(toHex)).toEqual([hexOf(3), hexOf(1), hexOf(2), hexOf(4)]);
    expect(policyKeys(afterN(1))).toEqual([]);
  });
});

describe('policy decoding refuses', () => {
  const refused = (hex: string) => errorOf(() => decodePolicy(fromHex(hex)));
  const keys = (...ids: number[]) => ids.map(hexOf).join('');

  it.each([
    ['an unknown tag 0x00', '00', 'unknown fragment tag 0x00 at byte 0'],
    ['an unknown tag 0x09', `0601${K1}09`, 'unknown fragment tag 0x09 at byte 34'],
    ['empty bytes', '', 'the policy ends at byte 0'],
    ['a truncated pk', `01${K1.slice(2)}`, 'pk at byte 0: the policy ends'],
    ['a truncated multi', `020203${keys(1, 2)}`, 'multi at byte 0: the policy ends'],
    ['a multi missing its n', '0201', 'multi at byte 0: the policy ends'],
    ['a truncated after', '03e80300', 'after at byte 0: the policy ends'],
    ['a truncated older', '04', 'older at byte 0: the policy ends'],
    ['a truncated sha256', `05${H.slice(0, 62)}`, 'sha256 at byte 0: the policy ends'],
    ['an and missing its second policy', `0601${K1}`, 'the policy ends at byte 34'],
    [
      'a thresh missing a sub-policy',
      `08010201${K1}`,
      'the policy ends at byte 36, where a fragment should start',
    ],
    ['bytes left over', `01${K1}000000`, '3 bytes left over after the policy, which ends at byte 33'],
    ['multi k=0', `020001${K1}`, 'multi at byte 0: k=0 is below 1'],
    ['multi n=0', '020100', 'multi at byte 0: n=0 is below 1'],
    ['multi k above n', `020302${keys(1, 2)}`, 'multi at byte 0: k=3 is above n=2'],
    ['multi n=21', `020115${keys(...range(1, 21))}`, 'multi at byte 0: n=21 is above 20'],
    ['the same key twice in a multi', `020103${keys(1, 2, 1)}`, 'multi at byte 0: key 2 repeats key 0'],
    ['thresh k=0', '0800010301000000', 'thresh at byte 0: k=0 is below 1'],
    ['thresh k above n', '0802010301000000', 'thresh at byte 0: k=2 is above n=1'],
    ['thresh n=21', `0801150301000000`, 'thresh at byte 0: n=21 is above 20'],
    ['after(0)', '0300000000', 'after at byte 0: n=0 is below 1'],
    ['older(0)', '0400000000', 'older at byte 0: n=0 is below 1'],
    ['older(65536)', '0400000100', 'older at byte 0: n=65536 is above 65535'],
  ])('%s', (_what, hex, message) => {
    const error = refused(hex);
    expect(error?.code).toBe('bad-policy');
    expect(error?.message).toContain(message);
  });

  it('multi and thresh: n=20 accepted, 21 refused', () => {
    const twenty = multi(20, ...range(1, 20));
    expect(decodePolicy(encodePolicy(twenty))).toEqual(twenty);
    const t20 = thresh(20, ...range(1, 20).map(() => afterN(1)));
    expect(decodePolicy(encodePolicy(t20))).toEqual(t20);
    expect(codeOf(() => decodePolicy(fromHex(`020115${range(1, 21).map(hexOf).join('')}`)))).toBe(
      'bad-policy',
    );
  });

  it(`depth ${MAX_POLICY_DEPTH} is accepted, ${MAX_POLICY_DEPTH + 1} refused (checked before reading deeper)`, () => {
    const deepest = encodePolicy(nested(MAX_POLICY_DEPTH));
    expect(policyDepth(decodePolicy(deepest))).toBe(MAX_POLICY_DEPTH);
    // One more `and` on top: the innermost leaf sits at level 9.
    const tooDeep = fromHex(`06${toHex(deepest)}0301000000`);
    const error = errorOf(() => decodePolicy(tooDeep));
    expect(error).toEqual({ code: 'bad-policy', message: 'nesting deeper than 8 at byte 8' });
    // A thresh chain too: thresh(1, thresh(1, … after(1))) nine levels deep.
    const threshChain = `${'080101'.repeat(MAX_POLICY_DEPTH)}0301000000`;
    expect(codeOf(() => decodePolicy(fromHex(threshChain)))).toBe('bad-policy');
    expect(policyDepth(decodePolicy(fromHex(threshChain.slice(6))))).toBe(MAX_POLICY_DEPTH);
  });

  it(`size ${MAX_POLICY_SIZE} is accepted, ${MAX_POLICY_SIZE + 1} refused as too large before anything else`, () => {
    const full = encodePolicy(policyOf1024());
    expect(full.length).toBe(MAX_POLICY_SIZE);
    expect(decodePolicy(full)).toEqual(policyOf1024());
    const over = new Uint8Array(MAX_POLICY_SIZE + 1);
    over.set(full);
    expect(errorOf(() => decodePolicy(over))).toEqual({
      code: 'policy-too-large',
      message: "the policy's 1025 bytes is above the 1024-byte limit",
    });
    expect(codeOf(() => encodePolicy(policyOf1025()))).toBe('policy-too-large');
  });
});

describe('policy trees that break the limits do not encode', () => {
  it.each<[string, Policy, string]>([
    ['multi k above n', multi(3, 1, 2), 'multi: k=3 is above n=2'],
    ['multi with a repeated key', multi(1, 1, 2, 2), 'multi: key 2 repeats key 1'],
    ['multi with 21 keys', multi(1, ...range(1, 21)), 'multi: n=21 is above 20'],
    ['a key of 31 bytes', { type: 'pk', key: new Uint8Array(31) }, 'pk: the key is not 32 bytes'],
    ['a hash of 33 bytes', { type: 'sha256', hash: new Uint8Array(33) }, 'sha256: the hash is not 32 bytes'],
    ['after(0)', afterN(0), 'after: n=0 is below 1'],
    ['after(2^32)', afterN(2 ** 32), 'after: n=4294967296 is above 4294967295'],
    ['after(1.5)', afterN(1.5), 'after: n=1.5 is below 1'],
    ['older(65536)', olderN(65536), 'older: n=65536 is above 65535'],
    ['thresh k=0', thresh(0, pk(1)), 'thresh: k=0 is below 1'],
    ['nesting 9 deep', nested(MAX_POLICY_DEPTH + 1), 'nesting deeper than 8'],
  ])('%s', (_what, tree, message) => {
    const error = errorOf(() => encodePolicy(tree));
    expect(error?.code).toBe('bad-policy');
    expect(error?.message).toContain(message);
  });

  it('a tree far past the size limit is refused after looking at about MAX_POLICY_SIZE bytes of it', () => {
    let deep: Policy = afterN(1);
    for (let i = 0; i < 100_000; i++) deep = and(deep, afterN(1));
    expect(codeOf(() => encodePolicy(deep))).toBe('policy-too-large');
  });
});

describe('policy text refuses', () => {
  it.each([
    [
      'an unexpected character',
      `and(pk(${K1}))`,
      'and at character 1: unexpected ")" at character 73 (expected ",")',
    ],
    ['the end of the text', `or(pk(${K1}),`, 'unexpected end of text at character 73 (expected a fragment)'],
    ['text after the policy', 'after(1) after(2)', 'unexpected "a" at character 10 after the policy'],
    ['an unknown fragment', 'pkh(00)', 'unknown fragment "pkh" at character 1'],
    ['an upper-case fragment name', 'AFTER(1)', 'unexpected "A" at character 1 (expected a fragment)'],
    ['a space before "("', 'after (1)', 'after at character 1: unexpected " " at character 6 (expected "(")'],
    [
      'a leading zero',
      'older(010)',
      'older at character 1: the number 010 at character 7 has a leading zero',
    ],
    [
      'a number that is not one',
      'after(x)',
      'after at character 1: unexpected "x" at character 7 (expected a number)',
    ],
    [
      'a huge number',
      `after(${'9'.repeat(30)})`,
      'after at character 1: the number at character 7 is too large',
    ],
    [
      'a short key',
      `pk(${K1.slice(1)})`,
      'pk at character 1: a key at character 4 has 63 hex digits, not 64',
    ],
    [
      'a long hash',
      `sha256(${H}0)`,
      'sha256 at character 1: a hash at character 8 has 65 hex digits, not 64',
    ],
    ['after(0)', 'after(0)', 'after at character 1: n=0 is below 1'],
    ['older(65536)', 'older(65536)', 'older at character 1: n=65536 is above 65535'],
    ['multi k above n', `multi(3,${K1},${K2})`, 'multi at character 1: k=3 is above n=2'],
    ['a repeated key', `multi(1,${K1},${K1.toUpperCase()})`, 'multi at character 1: key 1 repeats key 0'],
    ['21 keys', `multi(1,${range(1, 21).map(hexOf).join(',')})`, 'multi at character 1: more than 20 keys'],
    [
      '21 sub-policies',
      `thresh(1${',after(1)'.repeat(21)})`,
      'thresh at character 1: more than 20 sub-policies',
    ],
    ['a thresh with k above n', 'thresh(2,after(1))', 'thresh at character 1: k=2 is above n=1'],
    [
      'an and with three arguments',
      'and(after(1),after(2),after(3))',
      'and at character 1: unexpected "," at character 22 (expected ")")',
    ],
    [
      'nesting 9 deep',
      `${'and(after(1),'.repeat(8)}after(1)${')'.repeat(8)}`,
      'nesting deeper than 8 at character 96',
    ],
  ])('%s', (_what, text, message) => {
    const error = errorOf(() => parsePolicy(text));
    expect(error?.code).toBe('bad-policy');
    expect(error?.message).toBe(message);
  });

  it('text of a policy above the size limit', () => {
    expect(codeOf(() => parsePolicy(policyText(policyOf1025())))).toBe('policy-too-large');
    expect(parsePolicy(policyText(policyOf1024()))).toEqual(policyOf1024());
  });

  it('keys parse to their bytes', () => {
    const p = parsePolicy(`pk(${K1})`);
    expect(p.type === 'pk' && p.key).toEqual(key(1));
  });
});
