// The witness check consensus runs on a policy spend (docs/protocol.md, "Policy witness"): structure,
// masks, branch bytes, preimages and the lock-time fragments. Signatures are collected, not verified
// (connect verifies them with the others of the block). The witness is read by offset, never copied.
import { equalBytes } from '../bytes.js';
import { RuleError } from '../errors.js';
import { sha256 } from '../hash.js';
import { afterUnmet, fragmentLabel, olderUnmet } from './limits.js';
import { policyText } from './text.js';
import {
  POLICY_SIGNATURE_SIZE,
  type Policy,
  PREIMAGE_SIZE,
  type SatisfiedNode,
  type SpendFields,
  type WitnessCheck,
  type WitnessSignature,
} from './types.js';

const unsatisfied = (p: Policy, problem: string): RuleError =>
  new RuleError('policy-unsatisfied', `${fragmentLabel(p)}: ${problem}`);

/** Number of set bits of a u32. */
function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Why a mask does not pick exactly k of n, or undefined when it does. */
function maskProblem(mask: number, k: number, n: number): string | undefined {
  if (n < 32 && mask >>> n !== 0) return `mask 0x${hex32(mask)} sets a bit at or above n=${n}`;
  const bits = popcount(mask);
  if (bits !== k) return `mask 0x${hex32(mask)} has ${bits} bits set, not k=${k}`;
  return undefined;
}

const hex32 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

/** Walks the policy and the witness together; `signatures` collects what the witness holds. */
class WitnessWalker {
  pos = 0;
  readonly signatures: WitnessSignature[] = [];

  constructor(
    private readonly w: Uint8Array,
    private readonly fields: SpendFields,
  ) {}

  private need(p: Policy, n: number, what: string): void {
    if (this.pos + n > this.w.length) {
      throw unsatisfied(p, `the witness ends at byte ${this.w.length}, before ${what} at byte ${this.pos}`);
    }
  }

  private u32(p: Policy): number {
    this.need(p, 4, 'the 4-byte mask');
    const w = this.w;
    const i = this.pos;
    this.pos += 4;
    return (w[i]! | (w[i + 1]! << 8) | (w[i + 2]! << 16) | (w[i + 3]! << 24)) >>> 0;
  }

  private signature(p: Policy, key: Uint8Array): void {
    this.need(p, POLICY_SIGNATURE_SIZE, 'a 64-byte signature');
    this.signatures.push({
      publicKey: key,
      signature: this.w.subarray(this.pos, this.pos + POLICY_SIGNATURE_SIZE),
    });
    this.pos += POLICY_SIGNATURE_SIZE;
  }

  sat(p: Policy): void {
    switch (p.type) {
      case 'pk':
        this.signature(p, p.key);
        return;
      case 'multi': {
        const mask = this.u32(p);
        const problem = maskProblem(mask, p.k, p.keys.length);
        if (problem) throw unsatisfied(p, problem);
        for (let i = 0; i < p.keys.length; i++) if ((mask >>> i) & 1) this.signature(p, p.keys[i]!);
        return;
      }
      case 'after': {
        const problem = afterUnmet(p.n, this.fields.lockTime, this.fields.sequence);
        if (problem) throw unsatisfied(p, problem);
        return;
      }
      case 'older': {
        const problem = olderUnmet(p.n, this.fields.sequence);
        if (problem) throw unsatisfied(p, problem);
        return;
      }
      case 'sha256': {
        this.need(p, PREIMAGE_SIZE, 'a 32-byte preimage');
        const preimage = this.w.subarray(this.pos, this.pos + PREIMAGE_SIZE);
        if (!equalBytes(sha256(preimage), p.hash)) {
          throw unsatisfied(p, `the preimage at byte ${this.pos} does not hash to it`);
        }
        this.pos += PREIMAGE_SIZE;
        return;
      }
      case 'and':
        this.sat(p.subs[0]);
        this.sat(p.subs[1]);
        return;
      case 'or': {
        this.need(p, 1, 'the branch byte');
        const branch = this.w[this.pos]!;
        if (branch > 1) throw unsatisfied(p, `branch byte ${branch} at byte ${this.pos} is neither 0 nor 1`);
        this.pos++;
        this.sat(p.subs[branch]!);
        return;
      }
      case 'thresh': {
        const mask = this.u32(p);
        const problem = maskProblem(mask, p.k, p.subs.length);
        if (problem) throw unsatisfied(p, problem);
        for (let i = 0; i < p.subs.length; i++) if ((mask >>> i) & 1) this.sat(p.subs[i]!);
        return;
      }
    }
  }

  /** The satisfied tree of an already checked witness (reads the same choices again, checks nothing). */
  mark(p: Policy, used: boolean): SatisfiedNode {
    const node = (children: SatisfiedNode[]): SatisfiedNode => ({
      text: policyText(p),
      type: p.type,
      used,
      children,
    });
    if (!used) return node(subsOf(p).map((sub) => this.mark(sub, false)));
    switch (p.type) {
      case 'pk':
        this.pos += POLICY_SIGNATURE_SIZE;
        return node([]);
      case 'multi':
        this.pos += 4 + POLICY_SIGNATURE_SIZE * p.k;
        return node([]);
      case 'sha256':
        this.pos += PREIMAGE_SIZE;
        return node([]);
      case 'after':
      case 'older':
        return node([]);
      case 'and':
        return node([this.mark(p.subs[0], true), this.mark(p.subs[1], true)]);
      case 'or': {
        const branch = this.w[this.pos++]!;
        return node(
          branch === 0
            ? [this.mark(p.subs[0], true), this.mark(p.subs[1], false)]
            : [this.mark(p.subs[0], false), this.mark(p.subs[1], true)],
        );
      }
      case 'thresh': {
        const mask = this.u32(p);
        return node(p.subs.map((sub, i) => this.mark(sub, ((mask >>> i) & 1) === 1)));
      }
    }
  }
}

const subsOf = (p: Policy): readonly Policy[] =>
  p.type === 'and' || p.type === 'or' || p.type === 'thresh' ? p.subs : [];

function walk(policy: Policy, witness: Uint8Array, fields: SpendFields): WitnessWalker {
  const walker = new WitnessWalker(witness, fields);
  walker.sat(policy);
  const left = witness.length - walker.pos;
  if (left !== 0) {
    throw new RuleError('policy-unsatisfied', `witness has ${left} bytes left over after byte ${walker.pos}`);
  }
  return walker;
}

/** A checked witness: its signatures, and its satisfied tree built on first access. */
class CheckedWitness implements WitnessCheck {
  private marked: SatisfiedNode | undefined;

  constructor(
    readonly signatures: readonly WitnessSignature[],
    private readonly policy: Policy,
    private readonly witness: Uint8Array,
    private readonly fields: SpendFields,
  ) {}

  get tree(): SatisfiedNode {
    this.marked ??= new WitnessWalker(this.witness, this.fields).mark(this.policy, true);
    return this.marked;
  }
}

/**
 * Checks a witness against a policy and the spending fields; throws RuleError policy-unsatisfied naming
 * the fragment. Does not verify signatures: every one it returns must verify for its key over the sighash.
 * Costs one pass over the witness and one object per signature; `tree` is built on first access.
 */
export function checkWitness(policy: Policy, witness: Uint8Array, fields: SpendFields): WitnessCheck {
  return new CheckedWitness(walk(policy, witness, fields).signatures, policy, witness, fields);
}

/** The policy's tree with the fragments a (valid) witness used marked; throws like checkWitness. */
export function describeWitness(policy: Policy, witness: Uint8Array, fields: SpendFields): SatisfiedNode {
  walk(policy, witness, fields);
  return new WitnessWalker(witness, fields).mark(policy, true);
}

/** Signature checks the witness costs (the length of checkWitness's signatures). */
export const sigCheckCount = (check: WitnessCheck): number => check.signatures.length;

/** The policy's tree with no fragment marked used (what to show for a witness that does not satisfy it). */
export const policyTree = (policy: Policy): SatisfiedNode =>
  new WitnessWalker(new Uint8Array(0), { lockTime: 0, sequence: 0 }).mark(policy, false);
