// Step 7's plumbing: a simulated chain (SimChain: the node's own block validation) where people are
// paid by coinbases, pay into a policy address and spend from it. Transactions are version 2, built
// with the node's transaction code and satisfied by the policy module (src/core/policy); a spend is
// tried by putting it in the next block, so the node's rules accept or refuse it.
import { equalBytes, fromHex, toHex } from '../../../../src/core/bytes.js';
import { sha256 } from '../../../../src/core/hash.js';
import { NETWORKS, type NetworkParams, SEQUENCE_FINAL } from '../../../../src/core/params.js';
import {
  encodePolicy,
  type Policy,
  policyHash,
  policyText,
  satisfy,
} from '../../../../src/core/policy/index.js';
import {
  inputSequence,
  outpointKey,
  publicKeyHash,
  sighash,
  TX_VERSION_2,
  type Tx,
  txid,
  txidHex,
  txLockTime,
} from '../../../../src/core/tx.js';
import { encodeAddress } from '../../../../src/crypto/address.js';
import { type KeyPair, sign } from '../../../../src/crypto/ed25519.js';
import { type RefusedBy, SimChain, type SimEntry } from './sim-chain.js';

/** What every lesson transaction leaves the miner, in base units. */
export const LAB_FEE = 1000n;
/** The sequence that lets a lock time count (anything but final). */
export const SEQUENCE_LOCKTIME = SEQUENCE_FINAL - 1;

const MINER = new Uint8Array(20).fill(0x4d);
const EMPTY = new Uint8Array(0);

/**
 * A network's parameters with regtest's proof-of-work limit, so the browser mines its blocks at once
 * (main's and dev's take some 65,000 hashes a block). Everything else, the address prefix among it,
 * stays the network's own.
 */
export const withEasyTarget = (params: NetworkParams): NetworkParams =>
  Object.freeze({
    ...params,
    powLimitBits: NETWORKS.regtest.powLimitBits,
    powLimit: NETWORKS.regtest.powLimit,
  });

/** A policy with everything a person sees of it: its text, canonical bytes, hash and address. */
export interface PolicyLock {
  readonly policy: Policy;
  readonly text: string;
  readonly encoded: Uint8Array;
  /** SHA-256 of the encoding: what the output locks to. */
  readonly hash: Uint8Array;
  readonly address: string;
}

export function lockTo(policy: Policy, addressPrefix: string): PolicyLock {
  const encoded = encodePolicy(policy);
  const hash = policyHash(encoded);
  return { policy, text: policyText(policy), encoded, hash, address: encodeAddress(addressPrefix, hash) };
}

/** An unspent output on the lab's chain. */
export interface LabCoin {
  readonly txid: string;
  readonly index: number;
  readonly amount: bigint;
  readonly address: Uint8Array;
  readonly height: number;
}

/** A transaction put in the next block: mined there, or refused with the rule code and the function. */
export type Attempt =
  | { readonly ok: true; readonly height: number; readonly txid: string; readonly blockHash: string }
  | {
      readonly ok: false;
      readonly height: number;
      readonly txid: string;
      readonly code: string;
      readonly message: string;
      readonly by: RefusedBy;
    };

/** One simulated chain: mine empty blocks, try transactions in the next block, read its coins. */
export class Lab {
  readonly chain: SimChain;

  constructor(readonly params: NetworkParams) {
    this.chain = new SimChain(params);
  }

  get tip(): SimEntry {
    return this.chain.tip();
  }

  /** The height the next block will have: where a transaction tried now is judged. */
  get nextHeight(): number {
    return this.tip.height + 1;
  }

  /** Mines a block holding only its coinbase, paid to `payee` (a key hash). */
  mine(label: string, payee: Uint8Array = MINER): SimEntry {
    const r = this.chain.mine(this.tip.hash, [], payee, { published: true, label });
    if (!r.ok) throw new Error(`an empty block was refused: ${r.code} (${r.message})`);
    return r.entry;
  }

  /** Puts `tx` in the next block; on a refusal the chain is unchanged. */
  submit(tx: Tx, label: string): Attempt {
    const height = this.nextHeight;
    const id = txidHex(tx);
    const r = this.chain.mine(this.tip.hash, [tx], MINER, { published: true, label });
    if (!r.ok) return { ok: false, height, txid: id, code: r.code, message: r.message, by: r.by };
    return { ok: true, height, txid: id, blockHash: r.entry.hash };
  }

  /** Unspent outputs of the active chain locked to `address` (a key or policy hash). */
  coins(address: Uint8Array): LabCoin[] {
    const out: LabCoin[] = [];
    for (const [key, coin] of this.tip.coins) {
      if (!equalBytes(coin.address, address)) continue;
      const [id, index] = key.split(':') as [string, string];
      out.push({
        txid: id,
        index: Number(index),
        amount: coin.amount,
        address: coin.address,
        height: coin.height,
      });
    }
    return out;
  }

  /** The coin at an outpoint, if still unspent on the active chain. */
  coin(txidHex: string, index: number): LabCoin | undefined {
    const c = this.tip.coins.get(outpointKey(txidHex, index));
    return c && { txid: txidHex, index, amount: c.amount, address: c.address, height: c.height };
  }

  /** Every non-coinbase transaction of the active chain, oldest first. */
  transactions(): Tx[] {
    return this.chain.branch(this.tip.hash).flatMap((e) => e.block.txs.slice(1));
  }
}

/** A version 2 payment from a key's coin: `amount` to `to` (a key or policy hash), the change back. */
export function payFrom(key: KeyPair, coin: LabCoin, to: Uint8Array, amount: bigint): Tx {
  const change = coin.amount - amount - LAB_FEE;
  if (change < 0n) throw new RangeError('the coin is too small for this payment');
  const unsigned: Tx = {
    version: TX_VERSION_2,
    inputs: [
      {
        prevTxid: fromHex(coin.txid),
        prevIndex: coin.index,
        sequence: SEQUENCE_FINAL,
        publicKey: key.publicKey,
        signature: EMPTY,
      },
    ],
    outputs: [
      { amount, address: to },
      ...(change > 0n ? [{ amount: change, address: publicKeyHash(key.publicKey) }] : []),
    ],
    data: EMPTY,
    lockTime: 0,
  };
  const signature = sign(sighash(txid(unsigned), [coin.amount]), key.privateKey);
  return { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, signature }] };
}

/**
 * A version 2 transaction spending a policy coin whole (less the fee) to `to`, its witness still empty.
 * With a lock time the input's sequence is 0xfffffffe, so the lock time counts.
 */
export function policySpend(coin: LabCoin, lock: PolicyLock, to: Uint8Array, lockTime = 0): Tx {
  return {
    version: TX_VERSION_2,
    inputs: [
      {
        prevTxid: fromHex(coin.txid),
        prevIndex: coin.index,
        sequence: lockTime > 0 ? SEQUENCE_LOCKTIME : SEQUENCE_FINAL,
        publicKey: EMPTY,
        signature: EMPTY,
        policy: lock.encoded,
        witness: EMPTY,
      },
    ],
    outputs: [{ amount: coin.amount - LAB_FEE, address: to }],
    data: EMPTY,
    lockTime,
  };
}

/** What each signer signs: the sighash over the txid (which leaves the witness out) and the coin's amount. */
export const spendMessage = (tx: Tx, coin: LabCoin): Uint8Array => sighash(txid(tx), [coin.amount]);

/** Each signer's signature of the spend, by public key hex. */
export function signSpend(tx: Tx, coin: LabCoin, signers: readonly KeyPair[]): Map<string, Uint8Array> {
  const message = spendMessage(tx, coin);
  return new Map(signers.map((k) => [toHex(k.publicKey), sign(message, k.privateKey)]));
}

/** The policy module's smallest witness from these signatures and preimages, or undefined if none. */
export function satisfyWith(
  tx: Tx,
  lock: PolicyLock,
  signatures: ReadonlyMap<string, Uint8Array>,
  preimages: readonly Uint8Array[] = [],
): Uint8Array | undefined {
  const input = tx.inputs[0]!;
  return satisfy(lock.policy, {
    lockTime: txLockTime(tx),
    sequence: inputSequence(input),
    signature: (publicKey) => signatures.get(toHex(publicKey)),
    preimage: (hash) => preimages.find((p) => equalBytes(sha256(p), hash)),
  });
}

/** The transaction with its (only) input's witness filled in; the txid does not change. */
export const withWitness = (tx: Tx, witness: Uint8Array): Tx => ({
  ...tx,
  inputs: [{ ...tx.inputs[0]!, witness }],
});

/**
 * What anyone reading the chain can do: look through the witnesses for 32 bytes whose SHA-256 is
 * `hash`. A hashlock spend has to put the preimage there.
 */
export function findPreimage(txs: readonly Tx[], hash: Uint8Array): Uint8Array | undefined {
  for (const tx of txs) {
    for (const input of tx.inputs) {
      const w = input.witness;
      if (!w) continue;
      for (let at = 0; at + 32 <= w.length; at++) {
        const candidate = w.subarray(at, at + 32);
        if (equalBytes(sha256(candidate), hash)) return candidate.slice();
      }
    }
  }
  return undefined;
}

/** How the node's API answers a refused transaction: HTTP 400 with the rule code and its message. */
export const nodeAnswer = (a: Extract<Attempt, { ok: false }>): string =>
  `400 ${JSON.stringify({ error: a.code, message: a.message })}`;
