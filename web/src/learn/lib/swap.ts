// Step 7, lesson 3: a hashed-timelock swap between two chains. Alice knows a secret S, H = SHA-256(S).
//   chain A: Alice locks coins to or(and(pk(Bob),sha256(H)), and(pk(Alice),after(TA)))
//   chain B: Bob locks coins to   or(and(pk(Alice),sha256(H)), and(pk(Bob),after(TB)))   TB < TA
// Alice claims on B, which puts S in her witness; Bob reads it there and claims on A. Without S Bob's
// claim is policy-unsatisfied; before the timeouts each refund is non-final. Two SimChains of two
// networks (the page uses regtest and dev), each judging its own transactions with the node's rules.
import { ByteWriter, toHex } from '../../../../src/core/bytes.js';
import { sha256 } from '../../../../src/core/hash.js';
import { COIN, type NetworkParams } from '../../../../src/core/params.js';
import type { Policy } from '../../../../src/core/policy/index.js';
import { publicKeyHash, type Tx } from '../../../../src/core/tx.js';
import { type KeyPair, sign } from '../../../../src/crypto/ed25519.js';
import {
  type Attempt,
  findPreimage,
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

export const SWAP_AMOUNT = 10n * COIN;
export type ChainId = 'A' | 'B';
export type SwapAction =
  | 'alice-locks'
  | 'bob-locks'
  | 'alice-claims'
  | 'bob-guesses'
  | 'bob-claims'
  | 'alice-refunds'
  | 'bob-refunds';

/** One thing someone tried on one chain, and what that chain's rules said. */
export interface SwapEvent {
  readonly action: SwapAction;
  readonly chain: ChainId;
  readonly tx: Tx;
  /** The lock spent (for a claim or refund), to read the witness against. */
  readonly lock?: PolicyLock;
  readonly attempt: Attempt;
}

/** The hashlock-or-timeout policy: `claimer` with the secret, or `refunder` from height `timeout`. */
export const htlcPolicy = (
  claimer: Uint8Array,
  hash: Uint8Array,
  refunder: Uint8Array,
  timeout: number,
): Policy => ({
  type: 'or',
  subs: [
    {
      type: 'and',
      subs: [
        { type: 'pk', key: claimer },
        { type: 'sha256', hash },
      ],
    },
    {
      type: 'and',
      subs: [
        { type: 'pk', key: refunder },
        { type: 'after', n: timeout },
      ],
    },
  ],
});

export class Swap {
  readonly a: Lab;
  readonly b: Lab;
  readonly hash: Uint8Array;
  readonly timeoutA: number;
  readonly timeoutB: number;
  readonly lockA: PolicyLock;
  readonly lockB: PolicyLock;
  coinA: LabCoin | null = null;
  coinB: LabCoin | null = null;
  /** The secret as Bob knows it: only once he has read it from chain B. */
  bobKnows: Uint8Array | null = null;
  readonly log: SwapEvent[] = [];

  constructor(
    paramsA: NetworkParams,
    paramsB: NetworkParams,
    readonly alice: KeyPair,
    readonly bob: KeyPair,
    private readonly secret: Uint8Array,
    waits: { readonly a: number; readonly b: number } = { a: 8, b: 4 },
  ) {
    if (waits.b >= waits.a) throw new RangeError("Bob's timeout must come before Alice's");
    this.a = new Lab(paramsA);
    this.b = new Lab(paramsB);
    this.a.mine('Alice mines', publicKeyHash(alice.publicKey));
    this.b.mine('Bob mines', publicKeyHash(bob.publicKey));
    this.hash = sha256(secret);
    this.timeoutA = this.a.nextHeight + waits.a;
    this.timeoutB = this.b.nextHeight + waits.b;
    this.lockA = lockTo(
      htlcPolicy(bob.publicKey, this.hash, alice.publicKey, this.timeoutA),
      paramsA.addressPrefix,
    );
    this.lockB = lockTo(
      htlcPolicy(alice.publicKey, this.hash, bob.publicKey, this.timeoutB),
      paramsB.addressPrefix,
    );
  }

  /** "Alice" or "Bob" for their public keys. */
  nameOf(publicKey: Uint8Array): string | undefined {
    const hex = toHex(publicKey);
    return hex === toHex(this.alice.publicKey)
      ? 'Alice'
      : hex === toHex(this.bob.publicKey)
        ? 'Bob'
        : undefined;
  }

  lab(chain: ChainId): Lab {
    return chain === 'A' ? this.a : this.b;
  }

  /** Alice pays into the hashlock on chain A (Bob can take it with S; she, from TA). */
  aliceLocks(): SwapEvent {
    const event = this.fund('alice-locks', 'A', this.alice, this.lockA);
    if (event.attempt.ok) this.coinA = this.a.coin(event.attempt.txid, 0) ?? null;
    return event;
  }

  /** Having seen Alice's coins locked on chain A, Bob pays into the hashlock on chain B. */
  bobLocks(): SwapEvent {
    if (!this.coinA) throw new Error("Bob waits for Alice's coins on chain A");
    const event = this.fund('bob-locks', 'B', this.bob, this.lockB);
    if (event.attempt.ok) this.coinB = this.b.coin(event.attempt.txid, 0) ?? null;
    return event;
  }

  /** Alice takes Bob's coins on chain B with her signature and S: S is now in chain B's witness. */
  aliceClaims(): SwapEvent {
    return this.spend('alice-claims', 'B', this.lockB, this.alice, 0, [this.secret]);
  }

  /** Bob reads chain B's transactions for the preimage of H. */
  bobReads(): Uint8Array | null {
    this.bobKnows = findPreimage(this.b.transactions(), this.hash) ?? null;
    return this.bobKnows;
  }

  /** Bob takes Alice's coins on chain A with his signature and the S he read. */
  bobClaims(): SwapEvent {
    if (!this.bobKnows) throw new Error('Bob does not know the secret');
    return this.spend('bob-claims', 'A', this.lockA, this.bob, 0, [this.bobKnows]);
  }

  /** Bob tries chain A's coins without S: his signature and a guess where S goes. */
  bobGuesses(): SwapEvent {
    const coin = this.lockedCoin('A');
    const draft = policySpend(coin, this.lockA, publicKeyHash(this.bob.publicKey));
    const guess = sha256(new TextEncoder().encode("Bob's guess at the secret"));
    const witness = new ByteWriter(97)
      .u8(0)
      .bytes(sign(spendMessage(draft, coin), this.bob.privateKey))
      .bytes(guess)
      .finish();
    return this.record('bob-guesses', 'A', withWitness(draft, witness), this.lockA);
  }

  /** Alice takes her coins back on chain A: lock time TA, so from block TA on. */
  aliceRefunds(): SwapEvent {
    return this.spend('alice-refunds', 'A', this.lockA, this.alice, this.timeoutA, []);
  }

  /** Bob takes his coins back on chain B: lock time TB, so from block TB on. */
  bobRefunds(): SwapEvent {
    return this.spend('bob-refunds', 'B', this.lockB, this.bob, this.timeoutB, []);
  }

  /**
   * If Alice never claims: blocks pass on both chains until Bob's refund opens at TB and he takes his
   * coins back, then until TA and Alice takes hers. At most TA blocks mined.
   */
  refundPath(): SwapEvent[] {
    const events: SwapEvent[] = [];
    for (let i = 0; i < this.timeoutA && this.b.nextHeight < this.timeoutB; i++) this.mineBoth();
    events.push(this.bobRefunds());
    for (let i = 0; i < this.timeoutA && this.a.nextHeight < this.timeoutA; i++) this.mineBoth();
    events.push(this.aliceRefunds());
    return events;
  }

  /** Time passes: a block on each chain. */
  mineBoth(): void {
    this.a.mine('a block');
    this.b.mine('a block');
  }

  private fund(action: SwapAction, chain: ChainId, payer: KeyPair, lock: PolicyLock): SwapEvent {
    const lab = this.lab(chain);
    const [coin] = lab.coins(publicKeyHash(payer.publicKey));
    if (!coin) throw new Error('no coin to lock');
    return this.record(action, chain, payFrom(payer, coin, lock.hash, SWAP_AMOUNT));
  }

  private spend(
    action: SwapAction,
    chain: ChainId,
    lock: PolicyLock,
    signer: KeyPair,
    lockTime: number,
    preimages: readonly Uint8Array[],
  ): SwapEvent {
    const coin = this.lockedCoin(chain);
    const draft = policySpend(coin, lock, publicKeyHash(signer.publicKey), lockTime);
    const witness = satisfyWith(draft, lock, signSpend(draft, coin, [signer]), preimages);
    if (!witness) throw new Error('the policy module found no witness');
    return this.record(action, chain, withWitness(draft, witness), lock);
  }

  private lockedCoin(chain: ChainId): LabCoin {
    const coin = chain === 'A' ? this.coinA : this.coinB;
    if (!coin) throw new Error(`nothing locked on chain ${chain} yet`);
    return coin;
  }

  private record(action: SwapAction, chain: ChainId, tx: Tx, lock?: PolicyLock): SwapEvent {
    const event = { action, chain, tx, lock, attempt: this.lab(chain).submit(tx, action) };
    this.log.push(event);
    return event;
  }
}
