// Partially signed transactions in the browser wallet (src/wallet/psbt.ts): spend a policy address's
// coins, sign with this wallet's key (decrypted here with the password), add a hashlock's secret, combine
// with a co-signer's copy, finalize and broadcast. Only the finished transaction's hex goes to the node;
// the partially signed text goes wherever the user copies it.
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { getNetwork } from '../../../src/core/params.js';
import { encodeTx, txidHex } from '../../../src/core/tx.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import {
  addPreimage,
  combinePsbts,
  describePolicy,
  finalizePsbt,
  fundPsbt,
  NodeClient,
  type Psbt,
  policyFromText,
  psbtStatus,
  signPsbt,
  WalletError,
} from '../../../src/wallet/index.js';
import { apiToken } from '../api/client.js';
import type { SavedPolicy } from './policies.js';
import type { StoredWallet } from './storage.js';
import { cosignerKey, unlock } from './wallet.js';

const client = (): NodeClient =>
  new NodeClient(window.location.origin, { token: apiToken.get() || undefined });

export interface PolicySpendRequest {
  readonly policy: SavedPolicy;
  readonly to: string;
  readonly amount: bigint;
  readonly feeRate: bigint;
  /** The chain's height now: the lock time, so that after(n) fragments up to it are met. */
  readonly tipHeight: number;
  /** A relative lock in blocks on every input, for older(n) fragments (at most 65,535). */
  readonly relativeLock?: number;
}

/**
 * A partially signed transaction paying `amount` to `to` from the policy address's confirmed coins,
 * change back to the policy address, the fee for the largest witness the policy can have.
 */
export async function createPolicySpend(
  req: PolicySpendRequest,
): Promise<{ psbt: Psbt; fee: bigint; size: number }> {
  const params = getNetwork(req.policy.network);
  const { encoding, hash } = describePolicy(policyFromText(req.policy.text), params.addressPrefix);
  const info = await client().address(req.policy.address);
  const coins = info.utxos
    .filter((u) => u.spendable && u.height !== null)
    .map((u) => ({ txid: u.txid, index: u.index, amount: u.amount, address: hash, policy: encoding }));
  if (
    req.relativeLock !== undefined &&
    !(Number.isInteger(req.relativeLock) && req.relativeLock >= 1 && req.relativeLock <= 0xffff)
  )
    throw new WalletError('bad-option', 'a relative lock is a whole number of blocks from 1 to 65535');
  if (coins.length === 0)
    throw new WalletError('bad-coin', 'this policy address has no confirmed coin to spend yet');
  const funded = fundPsbt({
    coins,
    payments: [{ amount: req.amount, address: decodeAddress(params.addressPrefix, req.to) }],
    change: hash,
    feeRate: req.feeRate,
    // The chain's height: final in the next block, and it meets every after(n) with n up to it.
    lockTime: Math.max(req.tipHeight, 1),
    ...(req.relativeLock !== undefined ? { sequence: req.relativeLock } : {}),
  });
  return { psbt: funded.psbt, fee: funded.fee, size: funded.size };
}

/** Adds this wallet's signature on every input its key may sign; throws when it may sign none. */
export async function signWithWallet(stored: StoredWallet, password: string, psbt: Psbt): Promise<Psbt> {
  const { wallet } = await unlock(stored, password);
  const signed = signPsbt(psbt, cosignerKey(wallet));
  if (signed.added === 0) {
    const already = psbtStatus(psbt).some((s) => s.signedBy.includes(stored.publicKey ?? ''));
    throw new WalletError(
      'nothing-to-sign',
      already
        ? 'this wallet has signed already'
        : "this wallet's key is in none of the policies this transaction spends",
    );
  }
  return signed.psbt;
}

/** Adds a hashlock's secret (64 hex digits). */
export function addSecret(psbt: Psbt, secretHex: string): Psbt {
  const secret = secretHex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(secret))
    throw new WalletError('bad-option', 'the secret must be 64 hex digits (32 bytes)');
  return addPreimage(psbt, fromHex(secret));
}

/** `current` combined with a pasted copy of the same transaction, or the pasted one when there is none. */
export const loadOrCombine = (current: Psbt | null, pasted: Psbt): Psbt =>
  current ? combinePsbts(current, pasted) : pasted;

/** Finalizes and submits; resolves to the txid. */
export async function broadcastPsbt(psbt: Psbt): Promise<string> {
  const tx = finalizePsbt(psbt);
  await client().postTx(toHex(encodeTx(tx)));
  return txidHex(tx);
}
