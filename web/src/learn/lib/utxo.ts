// Step 6: a tiny UTXO set and payments built, signed and validated by the node's own wallet and
// consensus code (buildTransaction, checkTxSanity, checkTxInputs, verifySigChecks).
import { toHex } from '../../../../src/core/bytes.js';
import { sha256 } from '../../../../src/core/hash.js';
import type { NetworkParams } from '../../../../src/core/params.js';
import { COIN } from '../../../../src/core/params.js';
import { outpointKey, publicKeyHash, type Tx, txid } from '../../../../src/core/tx.js';
import { type Coin, checkTxInputs, checkTxSanity, verifySigChecks } from '../../../../src/core/validation.js';
import { encodeAddress } from '../../../../src/crypto/address.js';
import { type KeyPair, verify } from '../../../../src/crypto/ed25519.js';
import { type BuiltTx, buildTransaction, signTx } from '../../../../src/wallet/build-tx.js';
import type { Utxo } from '../../../../src/wallet/coin-select.js';
import { keyFromText } from './keys.js';

export interface Person {
  readonly name: string;
  readonly key: KeyPair;
  readonly address: string;
}

export const person = (name: string, params: NetworkParams): Person => {
  const key = keyFromText(`learn ${name}`);
  return { name, key, address: encodeAddress(params.addressPrefix, publicKeyHash(key.publicKey)) };
};

/** An unspent output with its outpoint and owner's address (as text), for showing and for the wallet. */
export interface LedgerCoin extends Coin {
  readonly txid: string;
  readonly index: number;
  readonly owner: string;
}

export interface Ledger {
  /** By outpoint key (txid:index), as a CoinView reads them. */
  readonly coins: ReadonlyMap<string, LedgerCoin>;
  /** Height of the last block; the next transaction is judged at height + 1. */
  readonly height: number;
}

/** Alice starts with three coins from earlier (made-up) transactions. */
export function startLedger(owner: Person): Ledger {
  const coins = new Map<string, LedgerCoin>();
  const hash = publicKeyHash(owner.key.publicKey);
  [20n, 15n, 7n].forEach((whole, i) => {
    const id = toHex(sha256(new TextEncoder().encode(`learn funding ${i}`)));
    coins.set(outpointKey(id, 0), {
      txid: id,
      index: 0,
      amount: whole * COIN,
      address: hash,
      owner: owner.address,
      height: 1,
      coinbase: false,
    });
  });
  return { coins, height: 1 };
}

export const utxosOf = (ledger: Ledger, address: string): Utxo[] =>
  [...ledger.coins.values()]
    .filter((c) => c.owner === address)
    .map((c) => ({ txid: c.txid, index: c.index, amount: c.amount, address: c.owner }));

/** A payment from one person to another, coins chosen and signed by the wallet's code. */
export function pay(
  ledger: Ledger,
  params: NetworkParams,
  from: Person,
  to: Person,
  amount: bigint,
  feeRate: bigint,
): BuiltTx {
  return buildTransaction({
    params,
    utxos: utxosOf(ledger, from.address),
    payments: [{ address: to.address, amount }],
    feeRate,
    changeAddress: from.address,
    keyFor: (address) => (address === from.address ? from.key : undefined),
  });
}

export interface TxCheck {
  readonly rule: string;
  readonly status: 'pass' | 'fail' | 'not-reached';
  readonly code?: string;
  readonly message?: string;
}

/** The consensus checks of a loose transaction in order, as a block would apply them; stops at the first failure. */
export function validateTx(
  tx: Tx,
  ledger: Ledger,
  params: NetworkParams,
): { checks: TxCheck[]; fee?: bigint } {
  const checks: TxCheck[] = [];
  const push = (rule: string, error?: { code: string; message: string }): boolean => {
    const failed = checks.some((c) => c.status === 'fail');
    if (failed) {
      checks.push({ rule, status: 'not-reached' });
      return false;
    }
    checks.push(
      error ? { rule, status: 'fail', code: error.code, message: error.message } : { rule, status: 'pass' },
    );
    return !error;
  };
  push('on its own (checkTxSanity)', checkTxSanity(tx));
  const inputs =
    checks[0]!.status === 'pass' ? checkTxInputs(tx, ledger.coins, ledger.height + 1, params) : null;
  push('against the UTXO set (checkTxInputs)', inputs && !inputs.ok ? inputs.error : undefined);
  const sigError = inputs?.ok ? verifySigChecks(inputs.value.sigChecks, verify) : undefined;
  push('signatures (verifySigChecks)', sigError);
  const ok = checks.every((c) => c.status === 'pass');
  return ok && inputs?.ok ? { checks, fee: inputs.value.fee } : { checks };
}

/** The ledger after a block confirms the transaction: its inputs are gone, its outputs are new coins. */
export function applyTx(ledger: Ledger, tx: Tx, params: NetworkParams): Ledger {
  const coins = new Map(ledger.coins);
  for (const input of tx.inputs) coins.delete(outpointKey(input.prevTxid, input.prevIndex));
  const id = toHex(txid(tx));
  const height = ledger.height + 1;
  tx.outputs.forEach((out, index) => {
    coins.set(outpointKey(id, index), {
      txid: id,
      index,
      amount: out.amount,
      address: out.address,
      owner: encodeAddress(params.addressPrefix, out.address),
      height,
      coinbase: false,
    });
  });
  return { coins, height };
}

/** A new transaction spending the same first coin again, to someone else, correctly signed. */
export function respend(built: BuiltTx, owner: Person, to: Person, twiceInOneTx = false): Tx {
  const coin = built.inputs[0]!;
  const input = built.tx.inputs[0]!;
  const inputs = twiceInOneTx ? [input, input] : [input];
  const unsigned: Tx = {
    version: built.tx.version,
    inputs,
    outputs: [{ amount: coin.amount - 1000n, address: publicKeyHash(to.key.publicKey) }],
    data: new Uint8Array(),
  };
  return signTx(
    unsigned,
    inputs.map(() => ({ amount: coin.amount, keyPair: owner.key })),
  );
}

/** The transaction with one bit of its first signature flipped. */
export function tamperSignature(tx: Tx): Tx {
  const [first, ...rest] = tx.inputs;
  if (!first) return tx;
  const signature = first.signature.slice();
  signature[0] = (signature[0] ?? 0) ^ 1;
  return { ...tx, inputs: [{ ...first, signature }, ...rest] };
}

/** The txid of the transaction with every signature erased: equal to its txid, which leaves them out. */
export const txidWithoutSignatures = (tx: Tx): string =>
  toHex(txid({ ...tx, inputs: tx.inputs.map((i) => ({ ...i, signature: new Uint8Array(64) })) }));
