// What a policy costs a spender at best and at worst: the signatures its satisfactions hold (the API's
// policy view shows both; a partially signed transaction's status says how many it still needs).
import type { Policy } from './types.js';

/** Sum of the k smallest (or largest) of the values. */
const sumOfK = (values: number[], k: number, largest: boolean): number =>
  values
    .sort((a, b) => (largest ? b - a : a - b))
    .slice(0, k)
    .reduce((s, v) => s + v, 0);

/** Signatures in the cheapest and in the dearest satisfaction of the policy. */
export function policySigChecks(p: Policy): { min: number; max: number } {
  switch (p.type) {
    case 'pk':
      return { min: 1, max: 1 };
    case 'multi':
      return { min: p.k, max: p.k };
    case 'after':
    case 'older':
    case 'sha256':
      return { min: 0, max: 0 };
    case 'and': {
      const [x, y] = p.subs.map(policySigChecks) as [
        { min: number; max: number },
        { min: number; max: number },
      ];
      return { min: x.min + y.min, max: x.max + y.max };
    }
    case 'or': {
      const [x, y] = p.subs.map(policySigChecks) as [
        { min: number; max: number },
        { min: number; max: number },
      ];
      return { min: Math.min(x.min, y.min), max: Math.max(x.max, y.max) };
    }
    case 'thresh': {
      const subs = p.subs.map(policySigChecks);
      return {
        min: sumOfK(
          subs.map((s) => s.min),
          p.k,
          false,
        ),
        max: sumOfK(
          subs.map((s) => s.max),
          p.k,
          true,
        ),
      };
    }
  }
}
