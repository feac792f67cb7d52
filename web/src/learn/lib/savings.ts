// Step 7, lesson 2: savings locked until a height, and(pk(me),after(H)). The spend carries lock time H;
// the node's finality rule (non-final, checked on the block) refuses it in any block below H and takes
// it in block H. Lying about the lock time does not help: after(H) checks it (policy-unsatisfied).
import { COIN, type NetworkParams } from '../../../../src/core/params.js';
import { publicKeyHash, type Tx } from '../../../../src/core/tx.js';
import { type KeyPair, sign } from '../../../../src/crypto/ed25519.js';
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
  spendMessage,
  withWitness,
} from './policy-lab.js';

export const SAVINGS_AMOUNT = 20n * COIN;

export interface SavingsSpend {
  readonly tx: Tx;
  readonly witness: Uint8Array;
  readonly attempt: Attempt;
}

export class Savings {
  readonly lab: Lab;
  readonly lock: PolicyLock;
  /** The height from which the savings can be spent. */
  readonly unlockHeight: number;
  deposit: { readonly coin: LabCoin; readonly attempt: Attempt } | null = null;
  spent: SavingsSpend | null = null;

  /** The deposit goes in the next block but one; the lock opens `waitBlocks` blocks after it. */
  constructor(
    params: NetworkParams,
    readonly me: KeyPair,
    waitBlocks = 4,
  ) {
    this.lab = new Lab(params);
    this.lab.mine('you mine a block', publicKeyHash(me.publicKey));
    this.unlockHeight = this.lab.nextHeight + waitBlocks;
    this.lock = lockTo(
      {
        type: 'and',
        subs: [
          { type: 'pk', key: me.publicKey },
          { type: 'after', n: this.unlockHeight },
        ],
      },
      params.addressPrefix,
    );
  }

  /** You move SAVINGS_AMOUNT into the savings address. */
  save(): Attempt {
    const [coin] = this.lab.coins(publicKeyHash(this.me.publicKey));
    if (!coin) throw new Error('no coin to save');
    const attempt = this.lab.submit(payFrom(this.me, coin, this.lock.hash, SAVINGS_AMOUNT), 'savings');
    const saved = attempt.ok ? this.lab.coin(attempt.txid, 0) : undefined;
    if (saved) this.deposit = { coin: saved, attempt };
    return attempt;
  }

  /** The honest spend: lock time H, so it may go in block H or later and no earlier. */
  spend(): SavingsSpend {
    const coin = this.depositCoin();
    const draft = policySpend(coin, this.lock, this.spendTo(), this.unlockHeight);
    const witness = satisfyWith(draft, this.lock, signSpend(draft, coin, [this.me]));
    if (!witness) throw new Error('the policy module found no witness');
    return this.tryIt(withWitness(draft, witness), witness, 'you spend your savings');
  }

  /**
   * The impatient spend: the lock time set to the next block's height, which is final now. The witness
   * (just the signature: after adds nothing) no longer satisfies after(H).
   */
  spendEarly(): SavingsSpend {
    const coin = this.depositCoin();
    const draft = policySpend(coin, this.lock, this.spendTo(), this.lab.nextHeight);
    const witness = sign(spendMessage(draft, coin), this.me.privateKey);
    return this.tryIt(withWitness(draft, witness), witness, 'you spend early');
  }

  mine(): void {
    this.lab.mine('a block');
  }

  private tryIt(tx: Tx, witness: Uint8Array, label: string): SavingsSpend {
    const result = { tx, witness, attempt: this.lab.submit(tx, label) };
    if (result.attempt.ok) this.spent = result;
    return result;
  }

  private depositCoin(): LabCoin {
    if (!this.deposit) throw new Error('nothing saved yet');
    return this.deposit.coin;
  }

  /** The savings go back to your key. */
  private spendTo(): Uint8Array {
    return publicKeyHash(this.me.publicKey);
  }
}
