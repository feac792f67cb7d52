// The keys a policy names.
import { toHex } from '../bytes.js';
import type { Policy } from './types.js';

/** Every distinct key of a policy (pk and multi), in first-appearance order (depth first, left to right). */
export function policyKeys(policy: Policy): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  const add = (key: Uint8Array): void => {
    const hex = toHex(key);
    if (seen.has(hex)) return;
    seen.add(hex);
    out.push(key);
  };
  const visit = (p: Policy): void => {
    if (p.type === 'pk') add(p.key);
    else if (p.type === 'multi') p.keys.forEach(add);
    else if (p.type === 'and' || p.type === 'or' || p.type === 'thresh') p.subs.forEach(visit);
  };
  visit(policy);
  return out;
}
