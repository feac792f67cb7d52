// What a wallet needs to know about a spending policy beyond what consensus checks: its hashlocks, the
// largest witness it can take (for fees), and, for a policy not yet satisfied, what is missing.
// Walks the tree of src/core/policy; pure, runs in the browser.
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { LOCKTIME_THRESHOLD, SEQUENCE_FINAL } from '../core/params.js';
import { type Available, afterUnmet, decodePolicy, olderUnmet, type Policy } from '../core/policy/index.js';
import { WalletError } from './errors.js';

/** Decodes a policy encoding, turning the core's RuleError into the wallet's bad-policy error. */
export function decodePolicyOrThrow(encoded: Uint8Array, what = 'the policy'): Policy {
  try {
    return decodePolicy(encoded);
  } catch (e) {
    if (e instanceof RuleError) throw new WalletError('bad-policy', `${what}: ${e.message}`);
    throw e;
  }
}

/** Every hash of the policy's sha256 fragments, in first-appearance order, without repeats. */
export function policyHashlocks(policy: Policy): Uint8Array[] {
  const out = new Map<string, Uint8Array>();
  const walk = (p: Policy): void => {
    if (p.type === 'sha256') out.set(toHex(p.hash), p.hash);
    else if (p.type === 'and' || p.type === 'or' || p.type === 'thresh') p.subs.forEach(walk);
  };
  walk(policy);
  return [...out.values()];
}

const MASK_SIZE = 4;
const SIGNATURE = 64;
const PREIMAGE = 32;

/** The most bytes a witness of this policy can take (docs/protocol.md, "Policy witness"): fees use it. */
export function maxWitnessSize(policy: Policy): number {
  switch (policy.type) {
    case 'pk':
      return SIGNATURE;
    case 'multi':
      return MASK_SIZE + SIGNATURE * policy.k;
    case 'after':
    case 'older':
      return 0;
    case 'sha256':
      return PREIMAGE;
    case 'and':
      return maxWitnessSize(policy.subs[0]) + maxWitnessSize(policy.subs[1]);
    case 'or':
      return 1 + Math.max(maxWitnessSize(policy.subs[0]), maxWitnessSize(policy.subs[1]));
    case 'thresh': {
      const sizes = policy.subs.map(maxWitnessSize).sort((a, b) => b - a);
      return MASK_SIZE + sizes.slice(0, policy.k).reduce((t, s) => t + s, 0);
    }
  }
}

const short = (bytes: Uint8Array): string => `${toHex(bytes).slice(0, 8)}…`;
const isHeight = (n: number): boolean => n < LOCKTIME_THRESHOLD;

/**
 * Why an after(n) or older(n) is not met by the spending fields, or undefined when it is: consensus
 * decides (afterUnmet, olderUnmet); the sentence says what the spender should set.
 */
function lockProblem(policy: Policy & { type: 'after' | 'older' }, have: Available): string | undefined {
  if (policy.type === 'after') {
    if (afterUnmet(policy.n, have.lockTime, have.sequence) === undefined) return undefined;
    if (have.sequence === SEQUENCE_FINAL) return `after(${policy.n}) needs a sequence other than 0xffffffff`;
    const kind = isHeight(policy.n) ? 'height' : 'time';
    return `after(${policy.n}) needs a lock time of at least ${policy.n} (a ${kind}); the transaction has ${have.lockTime}`;
  }
  if (olderUnmet(policy.n, have.sequence) === undefined) return undefined;
  return `older(${policy.n}) needs the input's sequence to be a relative lock of at least ${policy.n} blocks`;
}

/**
 * What is missing for the policy to be satisfied with what is available, as one sentence, or undefined
 * when nothing is. An `or` or `thresh` lists its alternatives.
 */
export function missingForPolicy(policy: Policy, have: Available): string | undefined {
  switch (policy.type) {
    case 'pk':
      return have.signature(policy.key) ? undefined : `a signature by ${short(policy.key)}`;
    case 'multi': {
      const signed = policy.keys.filter((k) => have.signature(k)).length;
      if (signed >= policy.k) return undefined;
      const unsigned = policy.keys.filter((k) => !have.signature(k)).map(short);
      return `${policy.k - signed} more signature${policy.k - signed > 1 ? 's' : ''} of ${policy.k} of ${policy.keys.length} (from ${unsigned.join(', ')})`;
    }
    case 'after':
    case 'older':
      return lockProblem(policy, have);
    case 'sha256':
      return have.preimage(policy.hash) ? undefined : `the preimage of ${short(policy.hash)}`;
    case 'and': {
      const parts = policy.subs.map((p) => missingForPolicy(p, have)).filter((m) => m !== undefined);
      return parts.length ? parts.join(' and ') : undefined;
    }
    case 'or': {
      const parts = policy.subs.map((p) => missingForPolicy(p, have));
      if (parts.some((m) => m === undefined)) return undefined;
      return `either ${parts[0]}, or ${parts[1]}`;
    }
    case 'thresh': {
      const parts = policy.subs.map((p) => missingForPolicy(p, have));
      const met = parts.filter((m) => m === undefined).length;
      if (met >= policy.k) return undefined;
      return `${policy.k - met} more of: ${parts.filter((m) => m !== undefined).join('; ')}`;
    }
  }
}
