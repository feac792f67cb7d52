// A policy witness split into its parts for people (docs/protocol.md, "Policy witness"): masks with the
// keys they pick, branch bytes with the side they take, signatures and preimages. Display only: it never
// judges a witness (checkWitness does); bytes it cannot place are shown as left over.
import { ByteReader, fromHex, toHex } from '../../../../src/core/bytes.js';
import { type Policy, policyText } from '../../../../src/core/policy/index.js';

export type WitnessPartKind = 'mask' | 'branch' | 'signature' | 'preimage' | 'rest';

export interface WitnessPart {
  readonly kind: WitnessPartKind;
  readonly label: string;
  readonly hex: string;
  /** For a mask, the key or sub-policy indexes it picks; for a branch, 0 or 1. */
  readonly picks?: readonly number[];
}

/** A name for a key (e.g. "Bob"), or undefined to show the start of its hex. */
export type KeyNamer = (key: Uint8Array) => string | undefined;

const nameOf = (key: Uint8Array, names: KeyNamer) => names(key) ?? `key ${toHex(key).slice(0, 8)}…`;

const bitsOf = (mask: number, n: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < Math.min(n, 32); i++) if ((mask >>> i) & 1) out.push(i);
  return out;
};

function walk(p: Policy, r: ByteReader, names: KeyNamer, out: WitnessPart[]): void {
  switch (p.type) {
    case 'pk':
      out.push({ kind: 'signature', label: `signature by ${nameOf(p.key, names)}`, hex: toHex(r.bytes(64)) });
      return;
    case 'multi': {
      const mask = r.u32();
      const picks = bitsOf(mask, p.keys.length);
      const who = picks.map((i) => nameOf(p.keys[i]!, names)).join(' and ') || 'no key';
      const verb = picks.length === 1 ? 'signs' : 'sign';
      const keys = `key${picks.length === 1 ? '' : 's'} ${picks.join(' and ')}`;
      const label = `mask 0b${mask.toString(2).padStart(p.keys.length, '0')}, ${keys}: ${who} ${verb}`;
      out.push({ kind: 'mask', label, hex: maskHex(mask), picks });
      for (const i of picks) {
        out.push({
          kind: 'signature',
          label: `signature by ${nameOf(p.keys[i]!, names)}`,
          hex: toHex(r.bytes(64)),
        });
      }
      return;
    }
    case 'after':
    case 'older':
      return;
    case 'sha256':
      out.push({ kind: 'preimage', label: 'preimage (the secret)', hex: toHex(r.bytes(32)) });
      return;
    case 'and':
      walk(p.subs[0], r, names, out);
      walk(p.subs[1], r, names, out);
      return;
    case 'or': {
      const branch = r.u8();
      const sub = p.subs[branch === 0 ? 0 : 1];
      out.push({
        kind: 'branch',
        label: `branch ${branch}: takes ${branch === 0 ? 'the left' : 'the right'} side, ${namedPolicyText(sub, names)}`,
        hex: toHex(Uint8Array.of(branch)),
        picks: [branch],
      });
      if (branch <= 1) walk(sub, r, names, out);
      return;
    }
    case 'thresh': {
      const mask = r.u32();
      const picks = bitsOf(mask, p.subs.length);
      out.push({ kind: 'mask', label: `mask: sub-policies ${picks.join(', ')}`, hex: maskHex(mask), picks });
      for (const i of picks) walk(p.subs[i]!, r, names, out);
      return;
    }
  }
}

const maskHex = (mask: number): string => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, mask, true);
  return toHex(b);
};

/** A policy's text with each key named (or shortened) and each hash shortened. */
export const namedPolicyText = (p: Policy, names: KeyNamer = () => undefined): string =>
  policyText(p).replace(/[0-9a-f]{64}/g, (h) => names(fromHex(h)) ?? `${h.slice(0, 6)}…`);

/** The witness's parts in byte order; whatever does not fit the policy's shape ends up as one "rest" part. */
export function witnessParts(
  policy: Policy,
  witness: Uint8Array,
  names: KeyNamer = () => undefined,
): WitnessPart[] {
  const out: WitnessPart[] = [];
  try {
    walk(policy, new ByteReader(witness), names, out);
  } catch {
    // Too short for the policy's shape: the parts read so far, then what is left.
  }
  const at = out.reduce((n, part) => n + part.hex.length / 2, 0);
  if (at < witness.length) out.push({ kind: 'rest', label: 'left over', hex: toHex(witness.subarray(at)) });
  return out;
}
