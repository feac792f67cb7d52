// The satisfier: the smallest witness for a policy from the signatures and preimages a wallet has and the
// spending transaction's fields. Every fragment's satisfactions are independent of the others', so the
// smallest witness is the sum of the smallest per fragment: `or` takes its smaller satisfiable branch
// (branch 0 on a tie), `thresh` its k smallest satisfiable sub-policies (the earlier on a tie), `multi`
// the first k keys in key order that have a signature (every choice is the same size).
import { ByteWriter, equalBytes } from '../bytes.js';
import { sha256 } from '../hash.js';
import { afterUnmet, olderUnmet } from './limits.js';
import { type Available, POLICY_SIGNATURE_SIZE, type Policy, PREIMAGE_SIZE } from './types.js';

interface Sat {
  readonly size: number;
  write(w: ByteWriter): void;
}

const NOTHING: Sat = { size: 0, write: () => {} };

function signatureOf(available: Available, key: Uint8Array): Uint8Array | undefined {
  const signature = available.signature(key);
  return signature instanceof Uint8Array && signature.length === POLICY_SIGNATURE_SIZE
    ? signature
    : undefined;
}

function maskOf(indexes: readonly number[]): number {
  let mask = 0;
  for (const i of indexes) mask |= 1 << i;
  return mask >>> 0;
}

/** The first k keys, in key order, that have a signature. */
function bestMulti(k: number, keys: readonly Uint8Array[], a: Available): Sat | undefined {
  const signatures: Uint8Array[] = [];
  const chosen: number[] = [];
  for (let i = 0; i < keys.length && chosen.length < k; i++) {
    const signature = signatureOf(a, keys[i]!);
    if (signature) {
      signatures.push(signature);
      chosen.push(i);
    }
  }
  if (chosen.length < k) return undefined;
  return {
    size: 4 + POLICY_SIGNATURE_SIZE * k,
    write: (w) => {
      w.u32(maskOf(chosen));
      for (const signature of signatures) w.bytes(signature);
    },
  };
}

/** The smaller satisfiable branch, branch 0 on a tie. */
function bestOr(x: Sat | undefined, y: Sat | undefined): Sat | undefined {
  const branch = x && (!y || x.size <= y.size) ? 0 : y ? 1 : undefined;
  if (branch === undefined) return undefined;
  const taken = (branch === 0 ? x : y)!;
  return {
    size: 1 + taken.size,
    write: (w) => {
      w.u8(branch);
      taken.write(w);
    },
  };
}

/** The k smallest satisfiable sub-policies, the earlier on a tie, written in sub-policy order. */
function bestThresh(k: number, subs: readonly Policy[], a: Available): Sat | undefined {
  const options: { index: number; sat: Sat }[] = [];
  subs.forEach((sub, index) => {
    const sat = best(sub, a);
    if (sat) options.push({ index, sat });
  });
  if (options.length < k) return undefined;
  // Array.prototype.sort is stable: on equal sizes the earlier sub-policy stays first.
  const chosen = options
    .sort((l, r) => l.sat.size - r.sat.size)
    .slice(0, k)
    .sort((l, r) => l.index - r.index);
  return {
    size: 4 + chosen.reduce((sum, o) => sum + o.sat.size, 0),
    write: (w) => {
      w.u32(maskOf(chosen.map((o) => o.index)));
      for (const o of chosen) o.sat.write(w);
    },
  };
}

function best(p: Policy, a: Available): Sat | undefined {
  switch (p.type) {
    case 'pk': {
      const signature = signatureOf(a, p.key);
      return signature && { size: POLICY_SIGNATURE_SIZE, write: (w) => w.bytes(signature) };
    }
    case 'multi':
      return bestMulti(p.k, p.keys, a);
    case 'after':
      return afterUnmet(p.n, a.lockTime, a.sequence) === undefined ? NOTHING : undefined;
    case 'older':
      return olderUnmet(p.n, a.sequence) === undefined ? NOTHING : undefined;
    case 'sha256': {
      const preimage = a.preimage(p.hash);
      const fits =
        preimage instanceof Uint8Array &&
        preimage.length === PREIMAGE_SIZE &&
        equalBytes(sha256(preimage), p.hash);
      return fits ? { size: PREIMAGE_SIZE, write: (w) => w.bytes(preimage) } : undefined;
    }
    case 'and': {
      const x = best(p.subs[0], a);
      const y = x && best(p.subs[1], a);
      return (
        y && {
          size: x.size + y.size,
          write: (w) => {
            x.write(w);
            y.write(w);
          },
        }
      );
    }
    case 'or':
      return bestOr(best(p.subs[0], a), best(p.subs[1], a));
    case 'thresh':
      return bestThresh(p.k, p.subs, a);
  }
}

/**
 * The smallest witness that satisfies the policy with what is available, or undefined if none. A signature
 * that is not 64 bytes, or a preimage that is not 32 bytes hashing to its hash, counts as unavailable, so
 * the witness always passes checkWitness (the signatures themselves are the caller's to get right).
 */
export function satisfy(policy: Policy, available: Available): Uint8Array | undefined {
  const sat = best(policy, available);
  if (!sat) return undefined;
  const w = new ByteWriter(Math.max(sat.size, 1));
  sat.write(w);
  return w.finish();
}
