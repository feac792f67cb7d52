// Paying from one of the node's own wallets (the node wallet of the tutorials' unsigned payments, and the
// --activity wallets): its mature confirmed coins and unconfirmed change, signed with its key.
import type { Chain } from '../chain/chain.js';
import { equalBytes, toHex } from '../core/bytes.js';
import type { NetworkParams } from '../core/params.js';
import { outpointKey } from '../core/tx.js';
import { isMature } from '../core/validation.js';
import { signNode } from '../crypto/ed25519-node.js';
import type { Mempool, MempoolEntry } from '../mempool/mempool.js';
import { buildTransaction } from '../wallet/build-tx.js';
import type { Utxo } from '../wallet/coin-select.js';
import type { NodeWallet } from './node-wallet.js';

export interface WalletSpend {
  readonly recipient: string;
  readonly amount: bigint;
  /** Base units per byte; default the minimum relay fee rate (at least 1). */
  readonly feeRate?: bigint;
  readonly data?: string;
}

export interface SpendContext {
  readonly params: NetworkParams;
  readonly chain: Chain;
  readonly mempool: Mempool;
  /** Into the mempool, then to the peers. */
  submitTx(bytes: Uint8Array): Promise<MempoolEntry>;
}

/** Coins the wallet may spend: mature confirmed ones and unconfirmed change, none spent in the pool. */
export async function spendableCoins(
  ctx: Omit<SpendContext, 'submitTx'>,
  wallet: NodeWallet,
): Promise<Utxo[]> {
  const { params, chain, mempool } = ctx;
  const utxos: Utxo[] = [];
  for (const { txid: id, index, coin } of await chain.indexer.addressCoins(wallet.addressHash)) {
    const key = outpointKey(id, index);
    if (isMature(coin, chain.height + 1, params) && !mempool.spender(key))
      utxos.push({ txid: toHex(id), index, amount: coin.amount, address: wallet.address });
  }
  for (const e of mempool.touching(toHex(wallet.addressHash))) {
    e.tx.outputs.forEach((o, index) => {
      if (equalBytes(o.address, wallet.addressHash) && !mempool.spender(outpointKey(e.txidHex, index))) {
        utxos.push({ txid: e.txidHex, index, amount: o.amount, address: wallet.address });
      }
    });
  }
  return utxos;
}

/** Builds, signs and submits a payment from `wallet`. Throws WalletError (insufficient funds…) or RuleError. */
export async function spendFromWallet(
  ctx: SpendContext,
  wallet: NodeWallet,
  spend: WalletSpend,
): Promise<MempoolEntry> {
  const built = buildTransaction({
    params: ctx.params,
    utxos: await spendableCoins(ctx, wallet),
    payments: [{ address: spend.recipient, amount: spend.amount }],
    feeRate: spend.feeRate ?? BigInt(Math.max(1, Math.ceil(ctx.mempool.minFeeRate))),
    changeAddress: wallet.address,
    data: spend.data,
    keyFor: (address) => (address === wallet.address ? wallet.keyPair : undefined),
    sign: signNode,
  });
  return ctx.submitTx(built.bytes);
}
