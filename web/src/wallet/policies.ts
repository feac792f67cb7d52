// The policy addresses this browser wallet takes part in (multisig, savings, hashlocks), kept in
// localStorage with public facts only: the policy text, its address, a label. A hashlock's secret,
// when this wallet made it, is kept with it so that the wallet can claim the coins later.
import { fromHex, isHex, toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import { getNetwork } from '../../../src/core/params.js';
import {
  describePolicy,
  htlcPolicy,
  multisigPolicy,
  type PolicyDescription,
  policyFromText,
  timelockPolicy,
  WalletError,
} from '../../../src/wallet/index.js';

export const POLICIES_KEY = 'hashline.policies.v1';

export interface SavedPolicy {
  readonly network: string;
  readonly label: string;
  readonly text: string;
  readonly address: string;
  /** The preimage (hex) of the policy's sha256 fragment, when this wallet made the hashlock. */
  readonly secret?: string;
}

const isSaved = (v: unknown): v is SavedPolicy => {
  const p = v as Record<string, unknown>;
  return (
    typeof p === 'object' &&
    p !== null &&
    ['network', 'label', 'text', 'address'].every((k) => typeof p[k] === 'string') &&
    (p.secret === undefined || typeof p.secret === 'string')
  );
};

/** Every saved policy, of every network (a damaged store reads as empty). */
function loadAll(): SavedPolicy[] {
  try {
    const all: unknown = JSON.parse(localStorage.getItem(POLICIES_KEY) ?? '[]');
    return Array.isArray(all) ? all.filter(isSaved) : [];
  } catch {
    return [];
  }
}

function saveAll(list: readonly SavedPolicy[]): void {
  localStorage.setItem(POLICIES_KEY, JSON.stringify(list));
}

export const loadPolicies = (network: string): SavedPolicy[] =>
  loadAll().filter((p) => p.network === network);

/** Adds (or relabels) a policy; returns the network's list. */
export function addPolicy(entry: SavedPolicy): SavedPolicy[] {
  const others = loadAll().filter((p) => !(p.network === entry.network && p.address === entry.address));
  saveAll([...others, entry]);
  return loadPolicies(entry.network);
}

export function removePolicy(network: string, address: string): SavedPolicy[] {
  saveAll(loadAll().filter((p) => !(p.network === network && p.address === address)));
  return loadPolicies(network);
}

/** What the creation form asks for, by kind. Keys are 64 hex digits or `me` (this wallet's key). */
export type PolicyForm =
  | { readonly kind: 'multisig'; readonly k: number; readonly keys: readonly string[] }
  | { readonly kind: 'savings'; readonly height: number }
  | {
      readonly kind: 'hashlock';
      readonly secret: string;
      readonly recipient: string;
      readonly refund?: { readonly key: string; readonly height: number };
    }
  | { readonly kind: 'text'; readonly text: string };

/** A fresh 32-byte secret for a hashlock, from the browser's random source. */
export const newSecret = (): string => toHex(crypto.getRandomValues(new Uint8Array(32)));

/** The policy a form describes, with its address on `network`; throws WalletError bad-policy. */
export function policyFromForm(
  form: PolicyForm,
  me: Uint8Array,
  network: string,
): { description: PolicyDescription; label: string; secret?: string } {
  const prefix = getNetwork(network).addressPrefix;
  const names = { me };
  const key = (text: string) => policyFromText(`pk(${text.trim()})`, names);
  const keyOf = (text: string) => {
    const p = key(text);
    if (p.type !== 'pk') throw new WalletError('bad-policy', `"${text}" is not a key`);
    return p.key;
  };
  switch (form.kind) {
    case 'multisig': {
      const keys = form.keys.filter((k) => k.trim() !== '').map(keyOf);
      return {
        description: describePolicy(multisigPolicy(form.k, keys), prefix),
        label: `${form.k}-of-${keys.length} multisig`,
      };
    }
    case 'savings':
      return {
        description: describePolicy(timelockPolicy(me, form.height), prefix),
        label: `savings until block ${form.height}`,
      };
    case 'hashlock': {
      if (!isHex(form.secret, 32))
        throw new WalletError('bad-policy', 'the secret must be 64 hex digits (32 bytes)');
      const hash = sha256(fromHex(form.secret));
      const recipient = keyOf(form.recipient);
      const policy = form.refund
        ? htlcPolicy({ hash, recipient, refund: keyOf(form.refund.key), timeout: form.refund.height })
        : ({
            type: 'and',
            subs: [
              { type: 'pk', key: recipient },
              { type: 'sha256', hash },
            ],
          } as const);
      return {
        description: describePolicy(policy, prefix),
        label: form.refund ? `hashlock, refund from block ${form.refund.height}` : 'hashlock',
        secret: form.secret,
      };
    }
    case 'text':
      return { description: describePolicy(policyFromText(form.text, names), prefix), label: 'policy' };
  }
}
