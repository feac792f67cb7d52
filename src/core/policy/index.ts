// Spending policies (docs/protocol.md, "Spending policies"): the language, its canonical binary and
// text forms, and the witness check consensus runs. Pure: bytes in, a value or a RuleError out.
// CONTRACT (bodies to be written): the signatures below are what the rest of the node calls.

/** A spending policy as a tree. Keys and hashes are 32 bytes. */
export type Policy =
  | { readonly type: 'pk'; readonly key: Uint8Array }
  | { readonly type: 'multi'; readonly k: number; readonly keys: readonly Uint8Array[] }
  | { readonly type: 'after'; readonly n: number }
  | { readonly type: 'older'; readonly n: number }
  | { readonly type: 'sha256'; readonly hash: Uint8Array }
  | { readonly type: 'and'; readonly subs: readonly [Policy, Policy] }
  | { readonly type: 'or'; readonly subs: readonly [Policy, Policy] }
  | { readonly type: 'thresh'; readonly k: number; readonly subs: readonly Policy[] };

/** The fields of the spending transaction a witness is checked against. */
export interface SpendFields {
  readonly lockTime: number;
  /** The spending input's sequence. */
  readonly sequence: number;
}

/** One signature a witness holds: it must verify for its key over the transaction's sighash. */
export interface WitnessSignature {
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

/** A policy's tree with the branches a witness took marked (explorers show it). */
export interface SatisfiedNode {
  /** The fragment's canonical text, e.g. "after(100)" or "or(pk(…),sha256(…))". */
  readonly text: string;
  readonly type: Policy['type'];
  /** Whether the witness used this fragment. */
  readonly used: boolean;
  readonly children: readonly SatisfiedNode[];
}

export interface WitnessCheck {
  /** Every signature of the witness, in witness order. */
  readonly signatures: readonly WitnessSignature[];
  readonly tree: SatisfiedNode;
}

/** What a wallet has to satisfy a policy with. */
export interface Available extends SpendFields {
  signature(publicKey: Uint8Array): Uint8Array | undefined;
  preimage(hash: Uint8Array): Uint8Array | undefined;
}

const notYet = (): never => {
  throw new Error('spending policies are not built yet');
};

/** The canonical encoding; throws RuleError (policy-too-large, bad-policy) for a tree breaking the limits. */
export const encodePolicy = (_policy: Policy): Uint8Array => notYet();
/** Decodes canonical bytes; throws RuleError policy-too-large or bad-policy naming what is wrong. */
export const decodePolicy = (_bytes: Uint8Array): Policy => notYet();
/** Parses the text form; throws RuleError bad-policy naming what is wrong and where. */
export const parsePolicy = (_text: string): Policy => notYet();
/** The canonical text form. */
export const policyText = (_policy: Policy): string => notYet();
/** SHA-256 of the encoding: what a policy output locks to. */
export const policyHash = (_encoded: Uint8Array): Uint8Array => notYet();
/** Checks a witness against a policy and the spending fields; throws RuleError policy-unsatisfied. */
export const checkWitness = (_policy: Policy, _witness: Uint8Array, _fields: SpendFields): WitnessCheck =>
  notYet();
/** The smallest witness that satisfies the policy with what is available, or undefined if none. */
export const satisfy = (_policy: Policy, _available: Available): Uint8Array | undefined => notYet();
/** Every distinct key of a policy, in first-appearance order. */
export const policyKeys = (_policy: Policy): Uint8Array[] => notYet();
