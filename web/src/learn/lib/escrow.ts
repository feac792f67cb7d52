// Step 7, lesson 1: a 2-of-3 escrow. The buyer pays into multi(2, buyer, seller, arbiter); any two of
// them can move the coins (normally buyer and seller, the arbiter settling a dispute with either), one
// alone cannot: the node refuses the witness with policy-unsatisfied.
import { ByteWriter, toHex } from '../../../../src/core/bytes.js';
import { COIN, type NetworkParams } from '../../../../src/core/params.js';
import { publicKeyHash, type Tx } from '../../../../src/core/tx.js';
import type { KeyPair } from '../../../../src/crypto/ed25519.js';
import {
  type Attempt,
  Lab,
  type LabCoin,
  lockTo,
  type PolicyLock,
  payFrom,
  policySpend,
  satisfyWith,
  signSpend,
  withWitness,
} from './policy-lab.js';

export type Role = 'buyer' | 'seller' | 'arbiter';
export const ROLES: readonly Role[] = ['buyer', 'seller', 'arbiter'];
export const ESCROW_AMOUNT = 10n * COIN;

export interface Settlement {
  readonly signers: readonly Role[];
  readonly to: Role;
  readonly tx: Tx;
  readonly witness: Uint8Array;
  readonly attempt: Attempt;
}

export class Escrow {
  readonly lab: Lab;
  readonly lock: PolicyLock;
  deposit: { readonly coin: LabCoin; readonly attempt: Attempt } | null = null;
  settlement: Settlement | null = null;

  constructor(
    params: NetworkParams,
    readonly keys: Readonly<Record<Role, KeyPair>>,
  ) {
    this.lab = new Lab(params);
    // The buyer's money: a block reward, spendable from the next block on (maturity 1 on these chains).
    this.lab.mine('the buyer mines', publicKeyHash(keys.buyer.publicKey));
    this.lock = lockTo(
      { type: 'multi', k: 2, keys: ROLES.map((r) => keys[r].publicKey) },
      params.addressPrefix,
    );
  }

  /** Who a public key belongs to. */
  roleOf(publicKey: Uint8Array): Role | undefined {
    const hex = toHex(publicKey);
    return ROLES.find((r) => toHex(this.keys[r].publicKey) === hex);
  }

  /** The buyer pays ESCROW_AMOUNT into the escrow address, in the next block. */
  pay(): Attempt {
    const buyer = this.keys.buyer;
    const [coin] = this.lab.coins(publicKeyHash(buyer.publicKey));
    if (!coin) throw new Error('the buyer has no coin');
    const tx = payFrom(buyer, coin, this.lock.hash, ESCROW_AMOUNT);
    const attempt = this.lab.submit(tx, 'the buyer pays into escrow');
    const escrowCoin = attempt.ok ? this.lab.coin(attempt.txid, 0) : undefined;
    if (escrowCoin) this.deposit = { coin: escrowCoin, attempt };
    return attempt;
  }

  /**
   * Pays the escrow to `to`, signed by `signers`. With two or more the policy module builds the witness
   * (the first two in key order: exactly k); with fewer the witness holds what there is, and the
   * node's check refuses it.
   */
  settle(signers: readonly Role[], to: Role): Settlement {
    if (!this.deposit) throw new Error('nothing in escrow yet');
    const { coin } = this.deposit;
    const draft = policySpend(coin, this.lock, publicKeyHash(this.keys[to].publicKey));
    const signatures = signSpend(
      draft,
      coin,
      signers.map((r) => this.keys[r]),
    );
    const witness =
      satisfyWith(draft, this.lock, signatures) ?? partialMultiWitness(signers, signatures, this.keys);
    const tx = withWitness(draft, witness);
    const attempt = this.lab.submit(tx, `escrow to the ${to}`);
    const settlement = { signers, to, tx, witness, attempt };
    if (attempt.ok) this.settlement = settlement;
    return settlement;
  }
}

/** A multi witness with fewer signatures than k: the mask names who signed, then their signatures. */
function partialMultiWitness(
  signers: readonly Role[],
  signatures: ReadonlyMap<string, Uint8Array>,
  keys: Readonly<Record<Role, KeyPair>>,
): Uint8Array {
  const chosen = ROLES.filter((r) => signers.includes(r));
  const w = new ByteWriter(4 + 64 * chosen.length);
  w.u32(chosen.reduce((mask, r) => mask | (1 << ROLES.indexOf(r)), 0));
  for (const r of chosen) w.bytes(signatures.get(toHex(keys[r].publicKey))!);
  return w.finish();
}
