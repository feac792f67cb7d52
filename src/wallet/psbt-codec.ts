// The binary and text forms of a partially signed transaction (docs/protocol.md, "Partially signed
// transactions"). Canonical: the same contents always give the same bytes (signatures sorted by key,
// preimages by hash), and the decoder refuses any other order, so combining copies in any order gives
// one result. Bounded: the decoder refuses sizes and counts past the limits below before allocating.
import { base64 } from '@scure/base';
import { ByteReader, ByteWriter, equalBytes, fromHex, isHex, toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { MAX_MONEY, MAX_TX_SIZE } from '../core/params.js';
import { policyHash } from '../core/policy/index.js';
import {
  decodeTx,
  encodeTx,
  PUBLIC_KEY_SIZE,
  publicKeyHash,
  SIGNATURE_SIZE,
  TX_VERSION_2,
  type Tx,
} from '../core/tx.js';
import { WalletError } from './errors.js';
import { decodePolicyOrThrow, policyHashlocks } from './policy-info.js';
import { inputKeys, MAX_PSBT_INPUTS, type Psbt, type PsbtInput } from './psbt.js';

/** "hlpsbt": the first bytes of every binary partially signed transaction. */
export const PSBT_MAGIC = new Uint8Array([0x68, 0x6c, 0x70, 0x73, 0x62, 0x74]);
export const PSBT_VERSION = 1;
/** The text form: this prefix, then the binary form in base64 (RFC 4648, padded). */
export const PSBT_TEXT_PREFIX = 'hlpsbt:';
/** The longest text form accepted (whitespace included), 512 KiB. */
export const MAX_PSBT_TEXT = 512 * 1024;
/** The longest binary form accepted: what the longest text holds. */
export const MAX_PSBT_BYTES = (MAX_PSBT_TEXT / 4) * 3;

const PREIMAGE_SIZE = 32;
const ZERO_SIGNATURE = new Uint8Array(SIGNATURE_SIZE);

const bad = (message: string): WalletError => new WalletError('bad-psbt', message);

const sortedEntries = <V>(map: ReadonlyMap<string, V>): [string, V][] =>
  [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The transaction as carried: key spends with a zero signature, policy spends with an empty witness. */
function unsignedTx(tx: Tx): Tx {
  return {
    ...tx,
    inputs: tx.inputs.map((i) =>
      i.policy === undefined ? { ...i, signature: ZERO_SIGNATURE } : { ...i, witness: new Uint8Array(0) },
    ),
  };
}

export function encodePsbt(psbt: Psbt): Uint8Array {
  if (psbt.tx.version !== TX_VERSION_2) throw bad('a partially signed transaction is version 2');
  if (psbt.inputs.length !== psbt.tx.inputs.length) throw bad('one input record per transaction input');
  const w = new ByteWriter(1024)
    .bytes(PSBT_MAGIC)
    .u8(PSBT_VERSION)
    .varBytes(encodeTx(unsignedTx(psbt.tx)));
  for (const input of psbt.inputs) {
    w.u64(input.amount).varint(input.signatures.size);
    for (const [key, signature] of sortedEntries(input.signatures)) {
      w.bytes(fromHexKey(key)).bytes(signature);
    }
    w.varint(input.preimages.size);
    for (const [, preimage] of sortedEntries(input.preimages)) w.bytes(preimage);
  }
  return w.finish();
}

function fromHexKey(key: string): Uint8Array {
  if (!isHex(key, PUBLIC_KEY_SIZE) || key !== key.toLowerCase())
    throw bad(`"${key}" is not a public key (64 lowercase hex characters)`);
  return fromHex(key);
}

function readTxPart(r: ByteReader): Tx {
  const tx = decodeTx(r.varBytes(MAX_TX_SIZE));
  if (tx.version !== TX_VERSION_2) throw bad(`the transaction is version ${tx.version}, not 2`);
  if (tx.inputs.length === 0 || tx.inputs.length > MAX_PSBT_INPUTS)
    throw bad(`the transaction has ${tx.inputs.length} inputs: from 1 to ${MAX_PSBT_INPUTS} are allowed`);
  tx.inputs.forEach((input, n) => {
    const blank =
      input.policy === undefined ? equalBytes(input.signature, ZERO_SIGNATURE) : input.witness?.length === 0;
    if (!blank) throw bad(`input ${n} of the transaction is already signed: it must carry no signature`);
  });
  return tx;
}

function readInput(r: ByteReader, psbt: { tx: Tx }, n: number): PsbtInput {
  const txInput = psbt.tx.inputs[n]!;
  const amount = r.u64();
  if (amount === 0n || amount > MAX_MONEY) throw bad(`input ${n}: the amount ${amount} is out of range`);
  const keys = inputKeys(psbt as Psbt, n);
  const nSig = r.varint();
  if (nSig > keys.length)
    throw bad(`input ${n}: ${nSig} signatures, but only ${keys.length} keys may sign it`);
  const signatures = new Map<string, Uint8Array>();
  let last = '';
  for (let i = 0; i < nSig; i++) {
    const key = toHex(r.bytes(PUBLIC_KEY_SIZE));
    if (key <= last) throw bad(`input ${n}: signatures must be in ascending key order, each key once`);
    if (!keys.includes(key)) throw bad(`input ${n}: a signature by ${key}, which does not sign this input`);
    signatures.set(key, r.bytes(SIGNATURE_SIZE));
    last = key;
  }
  const policy = txInput.policy;
  const hashlocks = policy ? policyHashlocks(decodePolicyOrThrow(policy)).map(toHex) : [];
  const nPre = r.varint();
  if (nPre > hashlocks.length)
    throw bad(`input ${n}: ${nPre} preimages, but its policy has ${hashlocks.length} hashlocks`);
  const preimages = new Map<string, Uint8Array>();
  last = '';
  for (let i = 0; i < nPre; i++) {
    const preimage = r.bytes(PREIMAGE_SIZE);
    const hash = toHex(sha256(preimage));
    if (hash <= last) throw bad(`input ${n}: preimages must be in ascending order of their hash, each once`);
    if (!hashlocks.includes(hash))
      throw bad(`input ${n}: a preimage of ${hash}, which its policy does not use`);
    preimages.set(hash, preimage);
    last = hash;
  }
  return {
    amount,
    address: policy ? policyHash(policy) : publicKeyHash(txInput.publicKey),
    ...(policy ? { policy } : {}),
    signatures,
    preimages,
  };
}

/** Decodes the binary form; throws WalletError('bad-psbt') saying what is wrong. */
export function decodePsbt(bytes: Uint8Array): Psbt {
  if (bytes.length > MAX_PSBT_BYTES)
    throw bad(
      `${bytes.length} bytes is more than the ${MAX_PSBT_BYTES} a partially signed transaction may have`,
    );
  if (bytes.length < PSBT_MAGIC.length + 1 || !equalBytes(bytes.subarray(0, PSBT_MAGIC.length), PSBT_MAGIC))
    throw bad('not a partially signed transaction (it does not start with "hlpsbt")');
  const version = bytes[PSBT_MAGIC.length]!;
  if (version !== PSBT_VERSION)
    throw bad(
      `partially signed transaction format version ${version} is unknown (this wallet reads ${PSBT_VERSION})`,
    );
  const r = new ByteReader(bytes.subarray(PSBT_MAGIC.length + 1));
  try {
    const tx = readTxPart(r);
    const inputs = tx.inputs.map((_, n) => readInput(r, { tx }, n));
    r.end();
    return { tx, inputs };
  } catch (e) {
    if (e instanceof RuleError) throw bad(`the partially signed transaction is malformed: ${e.message}`);
    if (e instanceof WalletError && e.code === 'bad-policy') throw bad(e.message);
    throw e;
  }
}

/** The text form: "hlpsbt:" and the binary form in base64. */
export const psbtToText = (psbt: Psbt): string => `${PSBT_TEXT_PREFIX}${base64.encode(encodePsbt(psbt))}`;

/** Reads the text form (whitespace, e.g. line breaks from a copy, is ignored). */
export function psbtFromText(text: string): Psbt {
  if (text.length > MAX_PSBT_TEXT)
    throw bad(
      `${text.length} characters is more than the ${MAX_PSBT_TEXT} a partially signed transaction may have`,
    );
  const compact = text.replace(/\s+/g, '');
  if (!compact.startsWith(PSBT_TEXT_PREFIX))
    throw bad(`a partially signed transaction's text starts with "${PSBT_TEXT_PREFIX}"`);
  let bytes: Uint8Array;
  try {
    bytes = base64.decode(compact.slice(PSBT_TEXT_PREFIX.length));
  } catch {
    throw bad(`the text after "${PSBT_TEXT_PREFIX}" is not base64 (RFC 4648, padded): was it cut short?`);
  }
  return decodePsbt(bytes);
}
