// Step 11: a double spend by a miner with more hash power, run on SimChain (the node's real block,
// transaction and validation code). Mallory pays a merchant, privately mines a branch in which the
// same coin goes back to herself, and publishes it once the merchant has shipped and her branch has
// more work. Who finds each block is drawn from the hash power shares with a seeded PRNG.
import { fromHex } from '../../../../src/core/bytes.js';
import { blockSubsidy, COIN, type NetworkParams } from '../../../../src/core/params.js';
import { publicKeyHash, SIGNATURE_SIZE, TX_VERSION, type Tx, txidHex } from '../../../../src/core/tx.js';
import { checkTxInputs } from '../../../../src/core/validation.js';
import { signTx } from '../../../../src/wallet/build-tx.js';
import { seededRandom } from './difficulty-sim.js';
import { keyFromText } from './keys.js';
import { SimChain, type SimEntry } from './sim-chain.js';

export interface AttackOptions {
  /** The attacker's share of all hash power, 0..1. */
  readonly share: number;
  /** Confirmations the merchant waits for before shipping. */
  readonly confirmations: number;
  readonly seed: number;
  /** Blocks found in all before the attacker stops (bounded run). */
  readonly maxBlocks?: number;
}

export interface AttackEvent {
  readonly finder: 'honest' | 'attacker';
  readonly publicTip: string;
  readonly privateTip: string;
  /** Confirmations of the payment on the public chain. */
  readonly confirmations: number;
  readonly shipped: boolean;
}

export interface AttackRun {
  readonly chain: SimChain;
  readonly fork: SimEntry;
  readonly events: readonly AttackEvent[];
  readonly payment: string;
  readonly conflict: string;
  readonly outcome: 'double-spent' | 'gave-up';
  readonly reorg?: { readonly forkHeight: number; readonly disconnected: number; readonly connected: number };
  /** When the payment fell off the active chain: its rule code from checkTxInputs on the final tip's UTXO set. */
  readonly paymentCode?: string;
  readonly privateBlocks: number;
  /** Block rewards the attacker gave up by mining a branch that lost (0 when the attack worked). */
  readonly forfeited: bigint;
}

const mallory = keyFromText('learn Mallory');
const malloryHash = publicKeyHash(mallory.publicKey);
const merchantHash = publicKeyHash(keyFromText('learn Merchant').publicKey);
const honestHash = publicKeyHash(keyFromText('learn honest miner').publicKey);

/** Mallory's coin (the coinbase of her block) spent to `to` for `amount`, change back to her. */
function spendCoinbase(
  coinbaseTxid: string,
  coin: bigint,
  outputs: { address: Uint8Array; amount: bigint }[],
): Tx {
  const unsigned: Tx = {
    version: TX_VERSION,
    inputs: [
      {
        prevTxid: fromHex(coinbaseTxid),
        prevIndex: 0,
        publicKey: mallory.publicKey,
        signature: new Uint8Array(SIGNATURE_SIZE),
      },
    ],
    outputs,
    data: new Uint8Array(),
  };
  return signTx(unsigned, [{ amount: coin, keyPair: mallory }]);
}

function mineOrThrow(
  chain: SimChain,
  parent: string,
  txs: Tx[],
  miner: Uint8Array,
  published: boolean,
  label: string,
) {
  const r = chain.mine(parent, txs, miner, { published, label });
  if (!r.ok) throw new Error(`the simulated block was refused: ${r.code} (${r.message})`);
  return r.entry;
}

export function runAttack(params: NetworkParams, opts: AttackOptions): AttackRun {
  const chain = new SimChain(params);
  const b1 = mineOrThrow(chain, chain.genesis.hash, [], malloryHash, true, 'Mallory mines');
  const fork = mineOrThrow(chain, b1.hash, [], honestHash, true, 'honest');
  const coin = blockSubsidy(params, b1.height);
  const fee = 1000n;
  const paymentTx = spendCoinbase(b1.txids[0]!, coin, [
    { address: merchantHash, amount: 30n * COIN },
    { address: malloryHash, amount: coin - 30n * COIN - fee },
  ]);
  const conflictTx = spendCoinbase(b1.txids[0]!, coin, [{ address: malloryHash, amount: coin - fee }]);
  const random = seededRandom(opts.seed);
  const maxBlocks = opts.maxBlocks ?? 120;
  let pub = fork;
  let priv = fork;
  const events: AttackEvent[] = [];
  let outcome: AttackRun['outcome'] = 'gave-up';
  for (let n = 0; n < maxBlocks; n++) {
    const attacker = random() < opts.share;
    if (attacker) {
      priv = mineOrThrow(chain, priv.hash, priv === fork ? [conflictTx] : [], malloryHash, false, 'private');
    } else {
      pub = mineOrThrow(chain, pub.hash, pub === fork ? [paymentTx] : [], honestHash, true, 'honest');
    }
    const confirmations = chain.confirmations(txidHex(paymentTx), pub.hash);
    const shipped = confirmations >= opts.confirmations;
    events.push({
      finder: attacker ? 'attacker' : 'honest',
      publicTip: pub.hash,
      privateTip: priv.hash,
      confirmations,
      shipped,
    });
    if (shipped && priv.work > pub.work) {
      chain.publish(priv.hash);
      outcome = 'double-spent';
      break;
    }
    // Too far behind to hope: the attacker stops and joins the honest chain.
    if (shipped && pub.height - priv.height > opts.confirmations + 6) break;
  }
  const tip = chain.tip();
  // Off the active chain, could the payment be mined again? Not if its coin is spent on this branch.
  const onChain = chain.confirmations(txidHex(paymentTx), tip.hash) > 0;
  const check = onChain ? null : checkTxInputs(paymentTx, tip.coins, tip.height + 1, params);
  const privateBlocks = priv.height - fork.height;
  return {
    chain,
    fork,
    events,
    payment: txidHex(paymentTx),
    conflict: txidHex(conflictTx),
    outcome,
    ...(outcome === 'double-spent'
      ? {
          reorg: {
            forkHeight: fork.height,
            disconnected: pub.height - fork.height,
            connected: privateBlocks,
          },
        }
      : {}),
    ...(check && !check.ok ? { paymentCode: check.error.code } : {}),
    privateBlocks,
    forfeited:
      outcome === 'double-spent'
        ? 0n
        : chain
            .branch(priv.hash)
            .slice(fork.height + 1)
            .reduce((s, e) => s + blockSubsidy(params, e.height), 0n),
  };
}

/**
 * The chance an attacker with share q of the hash power ever catches up once the merchant has seen
 * z confirmations (Nakamoto, section 11): 1 when q ≥ ½.
 */
export function catchUpProbability(q: number, z: number): number {
  const p = 1 - q;
  if (q >= p) return 1;
  const lambda = z * (q / p);
  let sum = 1;
  let poisson = Math.exp(-lambda);
  for (let k = 0; k <= z; k++) {
    if (k > 0) poisson *= lambda / k;
    sum -= poisson * (1 - (q / p) ** (z - k));
  }
  return Math.max(0, sum);
}
