// The browser wallet's policy forms (web/src/wallet/policies.ts): each form gives the policy it names,
// `me` stands for the wallet's own key, and the address is the policy hash's on the wallet's network.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import { encodePolicy, parsePolicy, policyHash } from '../../../src/core/policy/index.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import { encryptSecret } from '../../../src/crypto/keystore.js';
import { policyFromForm } from '../../../web/src/wallet/policies.js';
import { parseStoredWallet } from '../../../web/src/wallet/storage.js';

const me = new Uint8Array(32).fill(0x11);
const ME = toHex(me);
const B = '22'.repeat(32);
const C = '33'.repeat(32);
const SECRET = '44'.repeat(32);

/** The address a policy text locks to on regtest. */
const addressHashOf = (text: string) => toHex(policyHash(encodePolicy(parsePolicy(text))));

describe('policy forms', () => {
  it('makes a k-of-n multisig of the keys in the order given, me for the wallet key', () => {
    const made = policyFromForm({ kind: 'multisig', k: 2, keys: [B, 'me', ` ${C} `, ''] }, me, 'regtest');
    expect(made.description.text).toBe(`multi(2,${B},${ME},${C})`);
    expect(made.label).toBe('2-of-3 multisig');
    expect(toHex(decodeAddress('hlrt', made.description.address))).toBe(addressHashOf(made.description.text));
  });

  it('locks savings to the wallet key from a height', () => {
    const made = policyFromForm({ kind: 'savings', height: 120 }, me, 'regtest');
    expect(made.description.text).toBe(`and(pk(${ME}),after(120))`);
  });

  it('hashlocks to the hash of the secret, with a refund path when asked, and keeps the secret', () => {
    const H = toHex(sha256(fromHex(SECRET)));
    const plain = policyFromForm({ kind: 'hashlock', secret: SECRET, recipient: 'me' }, me, 'regtest');
    expect(plain.description.text).toBe(`and(pk(${ME}),sha256(${H}))`);
    expect(plain.secret).toBe(SECRET);
    const swap = policyFromForm(
      { kind: 'hashlock', secret: SECRET, recipient: B, refund: { key: 'me', height: 50 } },
      me,
      'regtest',
    );
    expect(swap.description.text).toBe(`or(and(pk(${B}),sha256(${H})),and(pk(${ME}),after(50)))`);
  });

  it('refuses a secret that is not 32 bytes, a bad key and a bad policy text, naming the problem', () => {
    expect(() =>
      policyFromForm({ kind: 'hashlock', secret: 'abcd', recipient: 'me' }, me, 'regtest'),
    ).toThrow(/64 hex digits/);
    expect(() => policyFromForm({ kind: 'multisig', k: 2, keys: ['me', 'bob'] }, me, 'regtest')).toThrow(
      /"bob" in the policy is not a key/,
    );
    expect(() => policyFromForm({ kind: 'multisig', k: 3, keys: ['me', B] }, me, 'regtest')).toThrow(
      /k=3 is above n=2/,
    );
    expect(() => policyFromForm({ kind: 'text', text: 'or(pk(me),after(0))' }, me, 'regtest')).toThrow(
      /after at character \d+: n=0 is below 1/,
    );
  });

  it('takes any policy text with me in it', () => {
    const made = policyFromForm(
      { kind: 'text', text: `or(pk(me), and(pk(${B}), older(10)))` },
      me,
      'regtest',
    );
    expect(made.description.text).toBe(`or(pk(${ME}),and(pk(${B}),older(10)))`);
  });
});

describe('the stored public key', () => {
  it('is kept when it is 32 bytes of hex, and dropped otherwise', async () => {
    const keystore = await encryptSecret('secret words', 'password', { network: 'regtest', N: 1024 });
    const stored = {
      version: 1,
      network: 'regtest',
      account: 0,
      keystore,
      nextReceiveIndex: 0,
      nextChangeIndex: 0,
      addresses: { receive: ['a'], change: ['b'] },
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(parseStoredWallet({ ...stored, publicKey: ME })?.publicKey).toBe(ME);
    expect(parseStoredWallet({ ...stored, publicKey: 'xyz' })).toEqual(stored);
  });
});
