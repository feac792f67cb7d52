// The connect rules: each input against the coin it spends, each transaction's values, the block's
// spends among themselves, the coinbase against subsidy plus fees, and the signatures.
import { equalBytes } from './bytes.js';
import { relativeLock } from './locks.js';
import { blockSubsidy, type NetworkParams } from './params.js';
import { policyHash } from './policy/index.js';
import { broken, type Rule } from './rule.js';
import { publicKeyHash, type Tx, type TxInput } from './tx.js';

/** An unspent output, as the UTXO set stores it. */
export interface Coin {
  readonly amount: bigint;
  readonly address: Uint8Array;
  readonly height: number;
  readonly coinbase: boolean;
}

/** Whether a coin may be spent in a block at `spendHeight` (coinbase outputs wait coinbaseMaturity blocks). */
export const isMature = (coin: Coin, spendHeight: number, params: NetworkParams): boolean =>
  !coin.coinbase || spendHeight - coin.height >= params.coinbaseMaturity;

// ---------------------------------------------------------------------------------------------
// Connect: each transaction against the coins, then the coinbase against the fees

/** One input and the coin it spends (filled in input by input; reused, not kept). */
export interface InputFacts {
  tx: Tx;
  input: TxInput;
  key: string;
  coin: Coin | undefined;
  spendHeight: number;
  params: NetworkParams;
}

/** Run for each input in order: every rule for input 0, then for input 1, and so on. */
export const INPUT_RULES: readonly Rule<InputFacts>[] = [
  {
    level: 'connect',
    code: 'missing-inputs',
    description: 'the spent output exists and is unspent',
    check: ({ key, coin }) => {
      if (!coin) broken('missing-inputs', `output ${key} does not exist or is already spent`);
    },
  },
  {
    level: 'connect',
    code: 'immature-coinbase',
    description: 'a spent coinbase output has matured',
    check: ({ key, coin, spendHeight, params }) => {
      if (!isMature(coin!, spendHeight, params)) {
        broken(
          'immature-coinbase',
          `coinbase output ${key} from height ${coin!.height} cannot be spent before height ${coin!.height + params.coinbaseMaturity}`,
        );
      }
    },
  },
  {
    level: 'connect',
    code: 'bad-pubkey',
    description: "a key spend's public key hashes to the spent output's address",
    check: ({ input, key, coin }) => {
      if (input.policy !== undefined) return;
      if (!equalBytes(publicKeyHash(input.publicKey), coin!.address)) {
        broken(
          'bad-pubkey',
          `the public key of the input spending ${key} does not match the output's address`,
        );
      }
    },
  },
  {
    level: 'connect',
    code: 'policy-hash-mismatch',
    description: "a policy spend's policy hashes to the spent output's policy hash",
    check: ({ input, key, coin }) => {
      if (input.policy === undefined) return;
      if (!equalBytes(policyHash(input.policy), coin!.address)) {
        broken(
          'policy-hash-mismatch',
          `the policy revealed by the input spending ${key} does not hash to the output's address`,
        );
      }
    },
  },
  {
    level: 'connect',
    code: 'non-bip68-final',
    description: "the input's relative lock is reached",
    check: ({ tx, input, key, coin, spendHeight }) => {
      const lock = relativeLock(tx, input);
      if (lock > 0 && spendHeight - coin!.height < lock) {
        broken(
          'non-bip68-final',
          `the input spending ${key} (from height ${coin!.height}) waits ${lock} blocks: not before height ${coin!.height + lock}`,
        );
      }
    },
  },
];

export interface ValueFacts {
  readonly inputTotal: bigint;
  readonly outputTotal: bigint;
}

export const OVERSPEND_RULE: Rule<ValueFacts> = {
  level: 'connect',
  code: 'overspend',
  description: 'the outputs are worth at most the inputs',
  check: ({ inputTotal, outputTotal }) => {
    if (outputTotal > inputTotal)
      broken('overspend', `outputs total ${outputTotal} but inputs only ${inputTotal}`);
  },
};

export interface InBlockSpends {
  readonly keys: readonly string[];
  readonly spentInBlock: ReadonlySet<string>;
}

/** Checked for each transaction of a block before its inputs. */
export const IN_BLOCK_DOUBLE_SPEND_RULE: Rule<InBlockSpends> = {
  level: 'connect',
  code: 'double-spend',
  description: 'no output spent by an earlier transaction of the block',
  check: ({ keys, spentInBlock }) => {
    for (const key of keys) {
      if (spentInBlock.has(key)) broken('double-spend', `output ${key} is spent twice in the block`);
    }
  },
};

export interface CoinbasePay {
  readonly coinbase: Tx;
  readonly height: number;
  readonly fees: bigint;
  readonly params: NetworkParams;
}

export const COINBASE_AMOUNT_RULE: Rule<CoinbasePay> = {
  level: 'connect',
  code: 'bad-coinbase-amount',
  description: 'the coinbase pays at most subsidy plus fees',
  check: ({ coinbase, height, fees, params }) => {
    const allowed = blockSubsidy(params, height) + fees;
    let paid = 0n;
    for (const out of coinbase.outputs) paid += out.amount;
    if (paid > allowed)
      broken('bad-coinbase-amount', `coinbase pays ${paid} but subsidy plus fees is ${allowed}`);
  },
};

/** A signature the caller must verify (in a batch, on worker threads, however it likes). */
export interface SigCheck {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly txIndex: number;
  readonly inputIndex: number;
}

export type Verifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export interface SignatureFacts {
  readonly checks: readonly SigCheck[];
  readonly verify: Verifier;
}

export const SIGNATURE_RULE: Rule<SignatureFacts> = {
  level: 'connect',
  code: 'bad-signature',
  description: 'every signature verifies',
  check: ({ checks, verify }) => {
    for (const c of checks) {
      if (!verify(c.publicKey, c.message, c.signature)) {
        broken(
          'bad-signature',
          `signature of input ${c.inputIndex} of transaction ${c.txIndex} does not verify`,
        );
      }
    }
  },
};
