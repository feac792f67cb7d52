// Step 7's lessons on the node's rules: a 2-of-3 escrow settled by any two and refused to one
// (policy-unsatisfied); savings refused below their height (non-final) and taken at it; a swap between
// two chains of two networks, claimed with the secret read from the other chain, refused without it,
// and refunded after the timeouts.
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import { NETWORKS } from '../../../src/core/params.js';
import { decodeTx, encodeTx, publicKeyHash, txidHex } from '../../../src/core/tx.js';
import { encodeAddress } from '../../../src/crypto/address.js';
import type { TxJson } from '../../../web/src/api/types.js';
import { ESCROW_AMOUNT, Escrow, ROLES, type Role } from '../../../web/src/learn/lib/escrow.js';
import { inspectTx, txFields } from '../../../web/src/learn/lib/inspect.js';
import { keyFromText } from '../../../web/src/learn/lib/keys.js';
import {
  type Attempt,
  findPreimage,
  LAB_FEE,
  withEasyTarget,
} from '../../../web/src/learn/lib/policy-lab.js';
import { namedPolicyText, witnessParts } from '../../../web/src/learn/lib/policy-witness.js';
import { Savings } from '../../../web/src/learn/lib/savings.js';
import { SWAP_AMOUNT, Swap } from '../../../web/src/learn/lib/swap.js';

const regtest = NETWORKS.regtest;
const devEasy = withEasyTarget(NETWORKS.dev);
const key = (name: string) => keyFromText(`learn policies ${name}`);
const escrowKeys = { buyer: key('buyer'), seller: key('seller'), arbiter: key('arbiter') };
const refused = (a: Attempt) => (a.ok ? 'accepted' : `${a.code} by ${a.by}`);

describe('escrow: multi(2, buyer, seller, arbiter)', () => {
  const funded = () => {
    const e = new Escrow(regtest, escrowKeys);
    expect(e.pay().ok).toBe(true);
    return e;
  };

  it('locks the payment to a 32-byte policy address', () => {
    const e = funded();
    expect(e.lock.hash).toHaveLength(32);
    expect(e.lock.address.startsWith('hlrt1')).toBe(true);
    expect(e.deposit?.coin.amount).toBe(ESCROW_AMOUNT);
    expect(namedPolicyText(e.lock.policy, (k) => e.roleOf(k))).toBe('multi(2,buyer,seller,arbiter)');
  });

  const pairs: [Role, Role][] = [
    ['buyer', 'seller'],
    ['buyer', 'arbiter'],
    ['seller', 'arbiter'],
  ];
  for (const pair of pairs) {
    it(`settles with ${pair.join(' and ')}: the mask picks exactly those two keys`, () => {
      const e = funded();
      const s = e.settle(pair, 'seller');
      expect(refused(s.attempt)).toBe('accepted');
      const parts = witnessParts(e.lock.policy, s.witness, (k) => e.roleOf(k));
      expect(parts.map((p) => p.kind)).toEqual(['mask', 'signature', 'signature']);
      expect(parts[0]!.picks).toEqual(pair.map((r) => ROLES.indexOf(r)));
      const seller = e.lab.coins(publicKeyHash(escrowKeys.seller.publicKey));
      expect(seller.map((c) => c.amount)).toEqual([ESCROW_AMOUNT - LAB_FEE]);
      expect(e.lock.hash).not.toEqual(seller[0]!.address);
    });
  }

  it('refuses one signature alone with the witness check, and leaves the coins in escrow', () => {
    const e = funded();
    const tip = e.lab.tip.hash;
    for (const one of ROLES) {
      const s = e.settle([one], 'seller');
      expect(refused(s.attempt)).toBe('policy-unsatisfied by checkTxSanity');
      expect(witnessParts(e.lock.policy, s.witness)[0]!.picks).toEqual([ROLES.indexOf(one)]);
    }
    expect(e.lab.tip.hash).toBe(tip);
    expect(e.lab.coins(e.lock.hash)).toHaveLength(1);
  });

  it('with all three signing, the witness carries exactly two', () => {
    const e = funded();
    const s = e.settle(['buyer', 'seller', 'arbiter'], 'buyer');
    expect(s.attempt.ok).toBe(true);
    expect(witnessParts(e.lock.policy, s.witness)[0]!.picks).toEqual([0, 1]);
  });
});

describe('savings: and(pk(me),after(H))', () => {
  it('is refused (non-final) in every block below H and accepted in block H', () => {
    const s = new Savings(regtest, key('saver'), 4);
    expect(s.save().ok).toBe(true);
    const H = s.unlockHeight;
    expect(s.lab.nextHeight).toBe(H - 4 + 1);
    for (let i = 0; i < 8 && s.lab.nextHeight < H; i++) {
      const tried = s.spend();
      expect(refused(tried.attempt)).toBe('non-final by checkBlockContext');
      expect(tried.attempt.height).toBe(s.lab.nextHeight);
      expect(tried.tx.lockTime).toBe(H);
      s.mine();
    }
    expect(s.lab.nextHeight).toBe(H);
    const spent = s.spend();
    expect(refused(spent.attempt)).toBe('accepted');
    expect(spent.attempt.height).toBe(H);
  });

  it('refuses a lock time below H: after(H) reads it (policy-unsatisfied)', () => {
    const s = new Savings(regtest, key('saver'), 4);
    s.save();
    const early = s.spendEarly();
    expect(early.tx.lockTime).toBe(s.lab.nextHeight);
    expect(refused(early.attempt)).toBe('policy-unsatisfied by checkTxSanity');
  });
});

describe('a hashed-timelock swap between two chains', () => {
  const secret = sha256(new TextEncoder().encode('learn policies secret'));
  const alice = key('alice');
  const bob = key('bob');
  const locked = () => {
    const s = new Swap(regtest, devEasy, alice, bob, secret);
    expect(s.aliceLocks().attempt.ok).toBe(true);
    expect(s.bobLocks().attempt.ok).toBe(true);
    return s;
  };

  it('runs on two networks with their own addresses, and Bob times out first', () => {
    const s = locked();
    expect(s.lockA.address.startsWith('hlrt1')).toBe(true);
    expect(s.lockB.address.startsWith('hldev1')).toBe(true);
    expect(s.timeoutB).toBeLessThan(s.timeoutA);
    expect(s.a.chain.genesis.hash).not.toBe(s.b.chain.genesis.hash);
    expect(() => new Swap(regtest, devEasy, alice, bob, secret, { a: 3, b: 3 })).toThrow(RangeError);
  });

  it('completes: Alice claims on B revealing S, Bob reads it there and claims on A', () => {
    const s = locked();
    expect(s.bobReads()).toBeNull();
    const claimB = s.aliceClaims();
    expect(refused(claimB.attempt)).toBe('accepted');
    const parts = witnessParts(s.lockB.policy, claimB.tx.inputs[0]!.witness!);
    expect(parts.map((p) => p.kind)).toEqual(['branch', 'signature', 'preimage']);
    expect(parts[2]!.hex).toBe(toHex(secret));
    expect(toHex(s.bobReads()!)).toBe(toHex(secret));
    expect(refused(s.bobClaims().attempt)).toBe('accepted');
    expect(s.a.coins(publicKeyHash(bob.publicKey)).map((c) => c.amount)).toContain(SWAP_AMOUNT - LAB_FEE);
    expect(s.b.coins(publicKeyHash(alice.publicKey)).map((c) => c.amount)).toEqual([SWAP_AMOUNT - LAB_FEE]);
  });

  it('refuses Bob without S (policy-unsatisfied) and either refund before its timeout (non-final)', () => {
    const s = locked();
    expect(refused(s.bobGuesses().attempt)).toBe('policy-unsatisfied by checkTxSanity');
    expect(refused(s.aliceRefunds().attempt)).toBe('non-final by checkBlockContext');
    expect(refused(s.bobRefunds().attempt)).toBe('non-final by checkBlockContext');
    expect(s.a.coins(s.lockA.hash)).toHaveLength(1);
    expect(s.b.coins(s.lockB.hash)).toHaveLength(1);
  });

  it('refunds both sides after the timeouts if Alice never claims: Bob at TB, Alice at TA', () => {
    const s = locked();
    const [bobBack, aliceBack] = s.refundPath();
    expect(refused(bobBack!.attempt)).toBe('accepted');
    expect(bobBack!.attempt.height).toBe(s.timeoutB);
    expect(refused(aliceBack!.attempt)).toBe('accepted');
    expect(aliceBack!.attempt.height).toBe(s.timeoutA);
    expect(s.a.coins(s.lockA.hash)).toHaveLength(0);
    expect(s.b.coins(s.lockB.hash)).toHaveLength(0);
    // Having waited for her refund, Alice's secret was never published.
    expect(s.bobReads()).toBeNull();
  });

  it('the inspector names every byte of a policy spend, the witness outside the txid', () => {
    const s = locked();
    const tx = s.aliceClaims().tx;
    const bytes = encodeTx(tx);
    expect(txidHex(decodeTx(bytes))).toBe(txidHex(tx));
    const fields = txFields(tx);
    expect(fields.reduce((n, f) => n + f.length, 0)).toBe(bytes.length);
    for (const f of fields)
      expect(toHex(bytes.subarray(f.start, f.start + f.length)).length).toBe(f.length * 2);
    const names = fields.map((f) => f.name);
    expect(names).toContain('input 0: sequence');
    expect(names).toContain('lock time');
    const policy = fields.find((f) => f.name === 'input 0: policy')!;
    expect(policy.value).toMatch(/^or\(and\(pk\(/);
    const preimage = fields.find((f) => f.name.includes('preimage'))!;
    expect(preimage.hashed).toBe(false);
    expect(toHex(bytes.subarray(preimage.start, preimage.start + 32))).toBe(toHex(secret));
    expect(fields.find((f) => f.name === 'output 0: policy hash')).toBeUndefined();
  });
});

describe('reading witnesses', () => {
  it('finds a preimage anywhere in a witness, and nothing when it is absent', () => {
    const h = sha256(fromHex('11'.repeat(32)));
    const tx = (witness: Uint8Array) => ({
      version: 2,
      inputs: [
        {
          prevTxid: new Uint8Array(32),
          prevIndex: 0,
          publicKey: new Uint8Array(),
          signature: new Uint8Array(),
          policy: new Uint8Array(),
          witness,
        },
      ],
      outputs: [],
      data: new Uint8Array(),
    });
    expect(findPreimage([tx(concatBytes(fromHex('0001'), fromHex('11'.repeat(32))))], h)).toEqual(
      fromHex('11'.repeat(32)),
    );
    expect(findPreimage([tx(fromHex('11'.repeat(31)))], h)).toBeUndefined();
  });

  it('shows bytes that do not fit the policy as left over, never throwing', () => {
    const e = new Escrow(regtest, escrowKeys);
    const mask = fromHex('03000000');
    const parts = witnessParts(e.lock.policy, concatBytes(mask, new Uint8Array(70)));
    expect(parts.map((p) => p.kind)).toEqual(['mask', 'signature', 'rest']);
    expect(parts.at(-1)!.hex).toHaveLength(12);
  });
});

describe('the inspector on the API view of a policy spend', () => {
  it('rebuilds the exact bytes and txid from version, lock time, sequences, policies and witnesses', () => {
    const s = new Savings(regtest, key('saver'), 1);
    s.save();
    s.mine();
    const { tx } = s.spend();
    const input = tx.inputs[0]!;
    // The API's view of a version 2 policy spend (docs/api.md).
    const json: TxJson = {
      txid: txidHex(tx),
      version: 2,
      lockTime: tx.lockTime!,
      size: encodeTx(tx).length,
      coinbase: false,
      inputs: [
        {
          prevTxid: toHex(input.prevTxid),
          prevIndex: input.prevIndex,
          sequence: input.sequence!,
          publicKey: '',
          signature: '',
          policy: { text: s.lock.text, hex: toHex(input.policy!), fragments: [] },
          witness: toHex(input.witness!),
          address: s.lock.address,
          amount: null,
        },
      ],
      outputs: tx.outputs.map((o, index) => ({
        index,
        amount: o.amount.toString(),
        address: encodeAddress(regtest.addressPrefix, o.address),
        kind: 'key' as const,
      })),
      data: { hex: '', text: null },
      fee: null,
      feeRate: null,
      sender: s.lock.address,
      recipient: null,
      amount: '0',
      block: null,
      confirmations: 0,
      merkleProof: null,
    };
    const ins = inspectTx(json, regtest.addressPrefix);
    expect(toHex(ins.bytes)).toBe(toHex(encodeTx(tx)));
    expect(ins.computed).toBe(ins.claimed);
    const lock = ins.fields.find((f) => f.name === 'lock time')!;
    expect(lock.value).toBe(`${tx.lockTime} (not before block ${tx.lockTime})`);
    expect(ins.fields.find((f) => f.name === 'input 0: sequence')!.value).toMatch(/^0xfffffffe/);
  });
});
