// Partially signed transactions (docs/protocol.md, "Partially signed transactions"): an unsigned
// version 2 transaction with, per input, the coin it spends and the signatures and preimages gathered so
// far. Co-signers each add their signatures independently (every signature signs the same sighash, and
// the txid leaves signatures and witnesses out), anyone combines the copies, and the last one turns it
// into a signed transaction. Pure JS: the web wallet runs this same code in the browser.
import { equalBytes, fromHex, isHex, toHex } from '../core/bytes.js';
import { sha256 } from '../core/hash.js';
import { SEQUENCE_FINAL } from '../core/params.js';
import { policyHash, policyKeys } from '../core/policy/index.js';
import {
  isPolicyAddress,
  POLICY_HASH_SIZE,
  PUBLIC_KEY_SIZE,
  publicKeyHash,
  SIGNATURE_SIZE,
  sighash,
  TX_VERSION_2,
  type Tx,
  type TxInput,
  type TxOutput,
  txid,
} from '../core/tx.js';
import { type KeyPair, sign, verify } from '../crypto/ed25519.js';
import { WalletError } from './errors.js';
import { decodePolicyOrThrow, policyHashlocks } from './policy-info.js';

/** One input's coin and what has been gathered to spend it. */
export interface PsbtInput {
  /** The spent coin's amount (every signature commits to it). */
  readonly amount: bigint;
  /** The spent coin's address hash: 20 bytes (a key) or 32 (a policy). */
  readonly address: Uint8Array;
  /** A policy coin's policy encoding (the same bytes the transaction's input reveals). */
  readonly policy?: Uint8Array;
  /** Signatures over the sighash by public key (hex). */
  readonly signatures: ReadonlyMap<string, Uint8Array>;
  /** Preimages of the policy's sha256 fragments, by hash (hex). */
  readonly preimages: ReadonlyMap<string, Uint8Array>;
}

export interface Psbt {
  /** Version 2; key spends carry their public key and a zero signature, policy spends an empty witness. */
  readonly tx: Tx;
  readonly inputs: readonly PsbtInput[];
}

/** A coin to spend: a key coin with its public key, or a policy coin with its policy encoding. */
export interface PsbtCoin {
  /** The coin's txid, hex or bytes. */
  readonly txid: string | Uint8Array;
  readonly index: number;
  readonly amount: bigint;
  readonly address: Uint8Array;
  readonly policy?: Uint8Array;
  readonly publicKey?: Uint8Array;
  /** The input's sequence; default 0xfffffffe with a lock time (so that it applies), else 0xffffffff. */
  readonly sequence?: number;
}

export interface CreatePsbtOptions {
  readonly inputs: readonly PsbtCoin[];
  readonly outputs: readonly TxOutput[];
  readonly lockTime?: number;
  readonly data?: Uint8Array;
}

/** Most inputs a partially signed transaction may have. */
export const MAX_PSBT_INPUTS = 1_000;
/** The sequence that enables a lock time without a relative lock. */
export const SEQUENCE_LOCKTIME_ONLY = 0xffff_fffe;

const ZERO_SIGNATURE = new Uint8Array(SIGNATURE_SIZE);
const EMPTY = new Uint8Array(0);

const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;

function coinTxid(txidValue: string | Uint8Array, n: number): Uint8Array {
  if (typeof txidValue !== 'string') {
    if (txidValue.length === 32) return txidValue;
  } else if (isHex(txidValue, 32)) return fromHex(txidValue);
  throw new WalletError('bad-coin', `input ${n}: the coin's txid is not 32 bytes (64 hex characters)`);
}

/** The transaction input spending a coin, checked against the coin's address. */
function inputFor(coin: PsbtCoin, n: number, lockTime: number): TxInput {
  const where = `input ${n} (${toHex(coinTxid(coin.txid, n))}:${coin.index})`;
  if (!isU32(coin.index)) throw new WalletError('bad-coin', `${where}: the output index is not a u32`);
  if (coin.amount <= 0n) throw new WalletError('bad-coin', `${where}: the amount must be more than 0`);
  const sequence = coin.sequence ?? (lockTime > 0 ? SEQUENCE_LOCKTIME_ONLY : SEQUENCE_FINAL);
  if (!isU32(sequence)) throw new WalletError('bad-coin', `${where}: the sequence is not a u32`);
  const base = { prevTxid: coinTxid(coin.txid, n), prevIndex: coin.index, sequence };
  if (isPolicyAddress(coin.address)) {
    if (!coin.policy) throw new WalletError('bad-coin', `${where}: a policy coin needs its policy`);
    decodePolicyOrThrow(coin.policy, `${where}'s policy`);
    if (!equalBytes(policyHash(coin.policy), coin.address))
      throw new WalletError('bad-coin', `${where}: the policy does not hash to the coin's address`);
    return { ...base, publicKey: EMPTY, signature: EMPTY, policy: coin.policy, witness: EMPTY };
  }
  if (coin.policy) throw new WalletError('bad-coin', `${where}: a key coin has no policy`);
  if (coin.publicKey?.length !== PUBLIC_KEY_SIZE)
    throw new WalletError('bad-coin', `${where}: a key coin needs its 32-byte public key`);
  if (!equalBytes(publicKeyHash(coin.publicKey), coin.address))
    throw new WalletError('bad-coin', `${where}: the public key does not hash to the coin's address`);
  return { ...base, publicKey: coin.publicKey, signature: ZERO_SIGNATURE };
}

/** A partially signed transaction spending `inputs` into `outputs`, with nothing signed yet. */
export function createPsbt(opts: CreatePsbtOptions): Psbt {
  const lockTime = opts.lockTime ?? 0;
  if (!isU32(lockTime)) throw new WalletError('bad-option', `lock time ${lockTime} is not a u32`);
  if (opts.inputs.length === 0) throw new WalletError('bad-coin', 'there are no coins to spend');
  if (opts.inputs.length > MAX_PSBT_INPUTS)
    throw new WalletError('bad-coin', `at most ${MAX_PSBT_INPUTS} inputs, not ${opts.inputs.length}`);
  if (opts.outputs.length === 0) throw new WalletError('bad-amount', 'there is nothing to pay');
  for (const o of opts.outputs) {
    if (o.address.length !== 20 && o.address.length !== POLICY_HASH_SIZE)
      throw new WalletError('bad-address', 'an output address hash is 20 or 32 bytes');
  }
  const tx: Tx = {
    version: TX_VERSION_2,
    inputs: opts.inputs.map((coin, n) => inputFor(coin, n, lockTime)),
    outputs: opts.outputs,
    data: opts.data ?? EMPTY,
    lockTime,
  };
  const seen = new Set<string>();
  for (const input of tx.inputs) {
    const key = `${toHex(input.prevTxid)}:${input.prevIndex}`;
    if (seen.has(key)) throw new WalletError('bad-coin', `coin ${key} is spent twice`);
    seen.add(key);
  }
  return {
    tx,
    inputs: opts.inputs.map((coin) => ({
      amount: coin.amount,
      address: coin.address,
      ...(coin.policy ? { policy: coin.policy } : {}),
      signatures: new Map(),
      preimages: new Map(),
    })),
  };
}

/** The message every signature of this transaction signs. */
export const psbtSighash = (psbt: Psbt): Uint8Array =>
  sighash(
    txid(psbt.tx),
    psbt.inputs.map((i) => i.amount),
  );

/** The keys that may sign an input: its public key, or every key of its policy (hex). */
export function inputKeys(psbt: Psbt, n: number): string[] {
  const input = psbt.tx.inputs[n]!;
  if (input.policy === undefined) return [toHex(input.publicKey)];
  return policyKeys(decodePolicyOrThrow(input.policy)).map(toHex);
}

/**
 * Adds this key's signature to every input whose policy or key uses it. Returns the new Psbt and how
 * many signatures were added (0 when the key signs nothing here or had signed already).
 */
export function signPsbt(psbt: Psbt, keyPair: KeyPair): { psbt: Psbt; added: number } {
  const key = toHex(keyPair.publicKey);
  let message: Uint8Array | undefined;
  let added = 0;
  const inputs = psbt.inputs.map((input, n) => {
    if (input.signatures.has(key) || !inputKeys(psbt, n).includes(key)) return input;
    message ??= psbtSighash(psbt);
    added++;
    return { ...input, signatures: new Map(input.signatures).set(key, sign(message, keyPair.privateKey)) };
  });
  return { psbt: { ...psbt, inputs }, added };
}

/** Adds a 32-byte preimage to every input whose policy has a sha256 fragment of its hash. */
export function addPreimage(psbt: Psbt, preimage: Uint8Array): Psbt {
  if (preimage.length !== 32) throw new WalletError('bad-psbt', 'a preimage is 32 bytes');
  const hash = sha256(preimage);
  const hex = toHex(hash);
  let used = false;
  const inputs = psbt.inputs.map((input) => {
    if (!input.policy) return input;
    if (!policyHashlocks(decodePolicyOrThrow(input.policy)).some((h) => equalBytes(h, hash))) return input;
    used = true;
    return { ...input, preimages: new Map(input.preimages).set(hex, preimage) };
  });
  if (!used)
    throw new WalletError(
      'bad-psbt',
      `no input's policy has sha256(${hex}): the preimage unlocks nothing here`,
    );
  return { ...psbt, inputs };
}

/** Two signatures by one key on one input: the one that verifies (the smaller when both do). */
function pickSignature(
  message: Uint8Array,
  key: string,
  a: Uint8Array,
  b: Uint8Array,
  n: number,
): Uint8Array {
  if (equalBytes(a, b)) return a;
  const good = [a, b].filter((s) => verify(fromHex(key), message, s));
  if (good.length === 0)
    throw new WalletError('psbt-mismatch', `input ${n}: both copies hold a bad signature by ${key}`);
  return good.sort((x, y) => (toHex(x) < toHex(y) ? -1 : 1))[0]!;
}

function union<V>(
  a: ReadonlyMap<string, V>,
  b: ReadonlyMap<string, V>,
  merge: (key: string, x: V, y: V) => V = (_key, x) => x,
): Map<string, V> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? merge(k, out.get(k)!, v) : v);
  return out;
}

/** Everything two copies of the same partially signed transaction hold; refuses different transactions. */
export function combinePsbts(a: Psbt, b: Psbt): Psbt {
  const [ida, idb] = [txid(a.tx), txid(b.tx)];
  if (!equalBytes(ida, idb))
    throw new WalletError(
      'psbt-mismatch',
      `these are different transactions (${toHex(ida)} and ${toHex(idb)}): only copies of one can be combined`,
    );
  a.inputs.forEach((input, n) => {
    if (input.amount !== b.inputs[n]!.amount)
      throw new WalletError('psbt-mismatch', `input ${n}: the copies disagree on the spent amount`);
  });
  const message = psbtSighash(a);
  return {
    tx: a.tx,
    inputs: a.inputs.map((input, n) => ({
      ...input,
      signatures: union(input.signatures, b.inputs[n]!.signatures, (key, x, y) =>
        pickSignature(message, key, x, y, n),
      ),
      preimages: union(input.preimages, b.inputs[n]!.preimages),
    })),
  };
}

export { decodePsbt, encodePsbt, PSBT_TEXT_PREFIX, psbtFromText, psbtToText } from './psbt-codec.js';
export { finalizePsbt, type PsbtInputStatus, psbtStatus } from './psbt-finalize.js';
