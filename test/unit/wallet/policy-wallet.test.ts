// Policy wallets: texts with named keys, the common policies' builders, the address a policy locks to,
// and what the wallet derives from a policy (largest witness, signatures needed, what is missing).
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import {
  encodePolicy,
  parsePolicy,
  policyHash,
  policySigChecks,
  satisfy,
} from '../../../src/core/policy/index.js';
import { addressKind, decodeAddress } from '../../../src/crypto/address.js';
import { keyPairFromPrivate } from '../../../src/crypto/ed25519.js';
import { WalletError } from '../../../src/wallet/errors.js';
import { maxWitnessSize, missingForPolicy } from '../../../src/wallet/policy-info.js';
import {
  describePolicy,
  htlcPolicy,
  multisigPolicy,
  policyFromText,
  timelockPolicy,
} from '../../../src/wallet/policy-wallet.js';
import { params } from './helpers.js';

const pub = (name: string) => keyPairFromPrivate(sha256(new TextEncoder().encode(name))).publicKey;
const [a, b, c] = [pub('a'), pub('b'), pub('c')] as [Uint8Array, Uint8Array, Uint8Array];

describe('policy wallets', () => {
  it('describes a 2-of-3 multisig: canonical text, policy address of its hash, keys in order', () => {
    const text = `multi(2, ${toHex(a).toUpperCase()}, ${toHex(b)},${toHex(c)})`;
    const d = describePolicy(policyFromText(text), params.addressPrefix);
    expect(d.text).toBe(`multi(2,${toHex(a)},${toHex(b)},${toHex(c)})`);
    expect(d.hash).toEqual(policyHash(encodePolicy(parsePolicy(d.text))));
    const hash = decodeAddress(params.addressPrefix, d.address);
    expect(addressKind(hash)).toBe('policy');
    expect(hash).toEqual(d.hash);
    expect(d.keys).toEqual([a, b, c].map(toHex));
    expect(describePolicy(multisigPolicy(2, [a, b, c]), params.addressPrefix).address).toBe(d.address);
  });

  it('`me` and other names stand for keys; an unknown name or bad text is a bad-policy error', () => {
    expect(policyText(`and(pk(me),after(500))`, { me: a })).toBe(
      describePolicy(timelockPolicy(a, 500), params.addressPrefix).text,
    );
    expect(policyText(`multi(1,me,bob)`, { me: a, bob: b })).toBe(`multi(1,${toHex(a)},${toHex(b)})`);
    for (const bad of ['multi(1,you)', 'pk(1234)', 'after(0)', `multi(3,${toHex(a)},${toHex(b)})`]) {
      const error = (() => {
        try {
          policyFromText(bad, { me: a });
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(WalletError);
      expect((error as WalletError).code).toBe('bad-policy');
    }
  });

  it('builds a hashed timelock as or(and(pk(R),sha256(H)),and(pk(S),after(T)))', () => {
    const hash = sha256(new Uint8Array(32));
    const d = describePolicy(
      htlcPolicy({ hash, recipient: a, refund: b, timeout: 700 }),
      params.addressPrefix,
    );
    expect(d.text).toBe(`or(and(pk(${toHex(a)}),sha256(${toHex(hash)})),and(pk(${toHex(b)}),after(700)))`);
  });

  it('the largest witness bounds every witness satisfy gives; signatures needed; what is missing', () => {
    const sig = new Uint8Array(64);
    const policy = parsePolicy(
      `thresh(2,pk(${toHex(a)}),multi(2,${toHex(a)},${toHex(b)},${toHex(c)}),sha256(${toHex(sha256(sig.subarray(0, 32)))}))`,
    );
    const all = {
      lockTime: 0,
      sequence: 0xffffffff,
      signature: () => sig,
      preimage: () => sig.subarray(0, 32),
    };
    const witness = satisfy(policy, all)!;
    expect(witness.length).toBeLessThanOrEqual(maxWitnessSize(policy));
    expect(maxWitnessSize(policy)).toBe(4 + (4 + 128) + 64);
    expect(policySigChecks(policy).min).toBe(1);
    const none = { ...all, signature: () => undefined, preimage: () => undefined };
    expect(missingForPolicy(policy, none)).toMatch(
      /^2 more of: a signature by .*; 2 more signatures of 2 of 3/,
    );
    expect(missingForPolicy(policy, all)).toBeUndefined();
  });
});

function policyText(text: string, names: Record<string, Uint8Array>): string {
  return describePolicy(policyFromText(text, names), params.addressPrefix).text;
}
