// Policy wallets: an address described by its policy text, e.g. `multi(2,<key>,<key>,<key>)` with keys
// as 64 hex digits (Ed25519 has no extended public keys, so each address is described by its keys),
// and builders for the common policies. Pure: the CLI and the web wallet share it.
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import {
  encodePolicy,
  type Policy,
  parsePolicy,
  policyHash,
  policyKeys,
  policyText,
} from '../core/policy/index.js';
import { encodeAddress } from '../crypto/address.js';
import { WalletError } from './errors.js';

/** A policy with everything a wallet shows or stores about it. */
export interface PolicyDescription {
  readonly policy: Policy;
  /** The canonical text. */
  readonly text: string;
  readonly encoding: Uint8Array;
  /** SHA-256 of the encoding: what an output locks to. */
  readonly hash: Uint8Array;
  readonly address: string;
  /** Every distinct key (hex), in first-appearance order. */
  readonly keys: readonly string[];
}

function wrap<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof RuleError) throw new WalletError('bad-policy', `${what}: ${e.message}`);
    throw e;
  }
}

export function describePolicy(policy: Policy, addressPrefix: string): PolicyDescription {
  const encoding = wrap('the policy', () => encodePolicy(policy));
  const hash = policyHash(encoding);
  return {
    policy,
    text: policyText(policy),
    encoding,
    hash,
    address: encodeAddress(addressPrefix, hash),
    keys: policyKeys(policy).map(toHex),
  };
}

/**
 * Parses a policy text. `names` are short names a text may use in place of a key, e.g. `me` for this
 * wallet's own key: `multi(2,me,<key>,<key>)`, `and(pk(me),after(500))`.
 */
export function policyFromText(text: string, names: Readonly<Record<string, Uint8Array>> = {}): Policy {
  const expanded = text.replace(/(?<=[(,]\s*)([a-z][a-z0-9_-]*)(?=\s*[,)])/gi, (name) => {
    const key = names[name];
    if (key) return toHex(key);
    if (/^[0-9a-f]+$/i.test(name)) return name;
    throw new WalletError(
      'bad-policy',
      `"${name}" in the policy is not a key: give keys as 64 hex digits${Object.keys(names).length ? ` or one of ${Object.keys(names).join(', ')}` : ''}`,
    );
  });
  return wrap(`"${text}"`, () => parsePolicy(expanded));
}

/** `multi(k,K1,…,Kn)`: any k of the n keys sign. */
export function multisigPolicy(k: number, keys: readonly Uint8Array[]): Policy {
  return { type: 'multi', k, keys };
}

/** `and(pk(K),after(h))`: the key may spend from block height (or time) `h` on. */
export function timelockPolicy(key: Uint8Array, height: number): Policy {
  return {
    type: 'and',
    subs: [
      { type: 'pk', key },
      { type: 'after', n: height },
    ],
  };
}

export interface HtlcTerms {
  /** SHA-256 of the secret (32 bytes). */
  readonly hash: Uint8Array;
  /** Who may take the coins with the secret. */
  readonly recipient: Uint8Array;
  /** Who may take them back from `timeout` on. */
  readonly refund: Uint8Array;
  /** A block height (or time) for the refund path. */
  readonly timeout: number;
}

/** A hashed timelock: `or(and(pk(R),sha256(H)),and(pk(S),after(T)))`. */
export function htlcPolicy(terms: HtlcTerms): Policy {
  return {
    type: 'or',
    subs: [
      {
        type: 'and',
        subs: [
          { type: 'pk', key: terms.recipient },
          { type: 'sha256', hash: terms.hash },
        ],
      },
      timelockPolicy(terms.refund, terms.timeout),
    ],
  };
}
