// How each transaction of a block changes each address's balance (for the address index).

import type { Block } from '../core/block.js';
import { toHex } from '../core/bytes.js';
import { outpointKey } from '../core/tx.js';
import type { Coin } from '../core/validation.js';

export interface AddressDeltaRecord {
  readonly address: Uint8Array;
  readonly txid: Uint8Array;
  readonly delta: bigint;
}

/**
 * `spent` are the pre-existing coins the block spends (its undo data); coins created and spent
 * inside the block are found among the block's own outputs.
 */
export function addressDeltas(
  block: Block,
  txids: readonly Uint8Array[],
  spent: ReadonlyArray<{ txid: Uint8Array; index: number; coin: Coin }>,
): AddressDeltaRecord[] {
  const coins = new Map<string, Coin>();
  for (const s of spent) coins.set(outpointKey(s.txid, s.index), s.coin);
  const out: AddressDeltaRecord[] = [];
  block.txs.forEach((tx, i) => {
    const id = txids[i]!;
    tx.outputs.forEach((o, index) => {
      coins.set(outpointKey(id, index), { amount: o.amount, address: o.address, height: 0, coinbase: false });
    });
    const deltas = new Map<string, { address: Uint8Array; delta: bigint }>();
    const add = (address: Uint8Array, amount: bigint) => {
      const hex = toHex(address);
      const d = deltas.get(hex);
      if (d) d.delta += amount;
      else deltas.set(hex, { address, delta: amount });
    };
    for (const input of tx.inputs) {
      const coin = coins.get(outpointKey(input.prevTxid, input.prevIndex));
      if (coin) add(coin.address, -coin.amount);
    }
    for (const o of tx.outputs) add(o.address, o.amount);
    for (const d of deltas.values()) out.push({ address: d.address, txid: id, delta: d.delta });
  });
  return out;
}
