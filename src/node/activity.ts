// `--activity RATE`: random payments at random fee rates between the node's own wallets, so a test
// network has a fee market to look at. The node's timer calls tick(); what to pay is decided by
// planPayment (pure, given the balances and a random source), the paying by the node.
//
// The wallets are the node wallet (which mines) and ACTIVITY_WALLETS keys derived from its private key,
// so they need no file of their own and are the same after a restart.
import { concatBytes } from '../core/bytes.js';
import { sha256 } from '../core/hash.js';
import type { NetworkParams } from '../core/params.js';
import { publicKeyHash } from '../core/tx.js';
import { addressFromPublicKey } from '../crypto/address.js';
import { type KeyPair, keyPairFromPrivate } from '../crypto/ed25519.js';
import type { NodeWallet } from './node-wallet.js';

/** Wallets derived from the node key that take part besides the node wallet. */
export const ACTIVITY_WALLETS = 4;
/** What every wallet keeps: activity never spends a wallet below it. */
export const ACTIVITY_RESERVE = 100_000_000n;
/** The smallest payment (well above the dust threshold). */
export const MIN_ACTIVITY_PAYMENT = 10_000n;
/** Fee rates are drawn uniformly from the floor to the floor plus this many units per byte. */
export const ACTIVITY_FEE_SPREAD = 49;
/** Bytes a payment may take (a few inputs), so that its fee is counted before choosing the amount. */
const PAYMENT_BYTES_ALLOWANCE = 1_000n;

/** The node wallet, then the derived ones. */
export function activityWallets(node: NodeWallet, params: NetworkParams): NodeWallet[] {
  const derived = Array.from({ length: ACTIVITY_WALLETS }, (_, i) => {
    const seed = sha256(
      concatBytes(
        new TextEncoder().encode('hashline activity wallet'),
        node.keyPair.privateKey,
        new Uint8Array([i]),
      ),
    );
    const keyPair: KeyPair = keyPairFromPrivate(seed);
    return {
      keyPair,
      address: addressFromPublicKey(params.addressPrefix, keyPair.publicKey),
      addressHash: publicKeyHash(keyPair.publicKey),
    };
  });
  return [node, ...derived];
}

export interface PlannedPayment {
  /** Indexes into the wallets. */
  readonly from: number;
  readonly to: number;
  readonly amount: bigint;
  /** Base units per byte. */
  readonly feeRate: bigint;
}

/**
 * One random payment: from a wallet that can pay above its reserve, to another wallet, of 1 % to 20 %
 * of what it has above the reserve, at a fee rate drawn from floor..floor + ACTIVITY_FEE_SPREAD.
 * Undefined when no wallet has enough (the funds are short). `random` gives numbers in [0, 1).
 */
export function planPayment(
  spendable: readonly bigint[],
  minFeeRate: number,
  random: () => number,
): PlannedPayment | undefined {
  const floor = Math.max(1, Math.ceil(minFeeRate));
  const feeRate = BigInt(floor + Math.floor(random() * (ACTIVITY_FEE_SPREAD + 1)));
  const maxFee = BigInt(floor + ACTIVITY_FEE_SPREAD) * PAYMENT_BYTES_ALLOWANCE;
  const surplus = spendable.map((s) => s - ACTIVITY_RESERVE - maxFee);
  const payers = surplus.flatMap((s, i) => (s >= MIN_ACTIVITY_PAYMENT ? [i] : []));
  if (payers.length === 0 || spendable.length < 2) return undefined;
  const from = payers[Math.floor(random() * payers.length)]!;
  const others = spendable.length - 1;
  const pick = Math.floor(random() * others);
  const to = pick >= from ? pick + 1 : pick;
  const share = 0.01 + random() * 0.19;
  const amount = BigInt(Math.floor(Number(surplus[from]!) * share));
  return { from, to, amount: amount < MIN_ACTIVITY_PAYMENT ? MIN_ACTIVITY_PAYMENT : amount, feeRate };
}

export interface ActivityContext {
  readonly wallets: readonly NodeWallet[];
  readonly minFeeRate: number;
  coinsOf(wallet: NodeWallet): Promise<readonly { amount: bigint }[]>;
  pay(
    wallet: NodeWallet,
    spend: { recipient: string; amount: bigint; feeRate: bigint },
  ): Promise<{ txidHex: string }>;
  readonly log: { debug(obj: object | string, msg?: string): void };
}

/** One tick of --activity: a planned payment, made; nothing when funds are short. Never throws. */
export async function payAtRandom(ctx: ActivityContext, random: () => number = Math.random): Promise<void> {
  try {
    const coins = await Promise.all(ctx.wallets.map((w) => ctx.coinsOf(w)));
    const spendable = coins.map((list) => list.reduce((t, c) => t + c.amount, 0n));
    const plan = planPayment(spendable, ctx.minFeeRate, random);
    if (!plan) {
      ctx.log.debug('funds are short: no wallet has more than its reserve; waiting for coins');
      return;
    }
    const to = ctx.wallets[plan.to]!.address;
    const paid = await ctx.pay(ctx.wallets[plan.from]!, {
      recipient: to,
      amount: plan.amount,
      feeRate: plan.feeRate,
    });
    ctx.log.debug(`paid ${plan.amount} to ${to} at ${plan.feeRate} units/byte: ${paid.txidHex}`);
  } catch (e) {
    // A chain of unconfirmed change at its limit, a race with a block: the next tick tries again.
    ctx.log.debug({ err: (e as Error).message }, 'activity payment not made');
  }
}
