// Small fixed values for the policy tests: keys and hashes are 32 bytes filled with one byte value.
import { sha256 } from '../../../../src/core/index.js';
import type { Policy } from '../../../../src/core/policy/index.js';

export const key = (i: number): Uint8Array => new Uint8Array(32).fill(i);
export const hexOf = (i: number): string => i.toString(16).padStart(2, '0').repeat(32);
export const preimage = (i: number): Uint8Array => new Uint8Array(32).fill(0x80 + i);
export const hashOf = (i: number): Uint8Array => sha256(preimage(i));
export const signature = (i: number): Uint8Array => new Uint8Array(64).fill(i);

export const pk = (i: number): Policy => ({ type: 'pk', key: key(i) });
export const afterN = (n: number): Policy => ({ type: 'after', n });
export const olderN = (n: number): Policy => ({ type: 'older', n });
export const hashlock = (i: number): Policy => ({ type: 'sha256', hash: hashOf(i) });
export const multi = (k: number, ...keys: number[]): Policy => ({ type: 'multi', k, keys: keys.map(key) });
export const and = (x: Policy, y: Policy): Policy => ({ type: 'and', subs: [x, y] });
export const or = (x: Policy, y: Policy): Policy => ({ type: 'or', subs: [x, y] });
export const thresh = (k: number, ...subs: Policy[]): Policy => ({ type: 'thresh', k, subs });

/** `and` nested so the tree has exactly `depth` levels (depth 1 is a leaf). */
export function nested(depth: number): Policy {
  let p = afterN(1);
  for (let d = 1; d < depth; d++) p = and(p, afterN(1));
  return p;
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

/** thresh(1, multi of 20 keys, multi of 11 keys, …): exactly 1,024 encoded bytes. */
export const policyOf1024 = (): Policy =>
  thresh(
    1,
    multi(1, ...range(1, 20)),
    multi(1, ...range(1, 11)),
    and(afterN(1), and(afterN(1), and(afterN(1), afterN(1)))),
  );
/** The same but exactly 1,025 bytes. */
export const policyOf1025 = (): Policy =>
  thresh(
    1,
    multi(1, ...range(1, 20)),
    multi(1, ...range(1, 11)),
    thresh(1, afterN(1), afterN(1)),
    and(afterN(1), afterN(1)),
  );
export { range };
