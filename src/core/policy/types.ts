// The types of the spending-policy language (docs/protocol.md, "Spending policies").

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

export type FragmentType = Policy['type'];

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
  readonly type: FragmentType;
  /** Whether the witness used this fragment. */
  readonly used: boolean;
  readonly children: readonly SatisfiedNode[];
}

export interface WitnessCheck {
  /**
   * Every signature of the witness, in witness order. `publicKey` is the policy's key and `signature` a
   * view into the witness bytes (no copy).
   */
  readonly signatures: readonly WitnessSignature[];
  /** Computed on first access (checkWitness itself builds no text). */
  readonly tree: SatisfiedNode;
}

/** What a wallet has to satisfy a policy with. */
export interface Available extends SpendFields {
  signature(publicKey: Uint8Array): Uint8Array | undefined;
  preimage(hash: Uint8Array): Uint8Array | undefined;
}

/** Tags of the binary encoding, by fragment. */
export const TAGS: Readonly<Record<FragmentType, number>> = {
  pk: 0x01,
  multi: 0x02,
  after: 0x03,
  older: 0x04,
  sha256: 0x05,
  and: 0x06,
  or: 0x07,
  thresh: 0x08,
};

/** At most this many keys in a `multi` and sub-policies in a `thresh`. */
export const MAX_POLICY_ARITY = 20;
/** Keys and hashes are 32 bytes; signatures 64; preimages 32. */
export const POLICY_KEY_SIZE = 32;
export const POLICY_HASH_SIZE = 32;
export const POLICY_SIGNATURE_SIZE = 64;
export const PREIMAGE_SIZE = 32;
