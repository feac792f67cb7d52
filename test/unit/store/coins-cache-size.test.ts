// The coins cache's budget counts what its entries really cost: filled with coins made as a connect makes
// them (keys from outpointKey, addresses decoded from transaction bytes), the heap grows by about
// COIN_ENTRY_BYTES per entry. Counted at 240 bytes, entries of about 420 let a 32 MiB budget hold 60 MB.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { decodeTx, encodeTx, outpointKey, type Tx, txid } from '../../../src/core/tx.js';
import { COIN_ENTRY_BYTES, CoinsCache } from '../../../src/store/coins-cache.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const disk = { getMany: async (keys: Uint8Array[]) => keys.map(() => undefined), batch: async () => {} };

/** A 1-in-2-out payment as it arrives in a block: decoded from its bytes. */
function payment(n: number): Tx {
  const address = (k: number) => new Uint8Array(20).fill(k & 0xff);
  const prevTxid = new Uint8Array(32);
  new DataView(prevTxid.buffer).setUint32(0, n);
  return decodeTx(
    encodeTx({
      version: 1,
      inputs: [{ prevTxid, prevIndex: 0, publicKey: new Uint8Array(32), signature: new Uint8Array(64) }],
      outputs: [
        { amount: 1_000_000n + BigInt(n), address: address(n) },
        { amount: 2_000_000n + BigInt(n), address: address(n + 1) },
      ],
      data: new Uint8Array(),
    }),
  );
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Fills a cache as connects do, then drops everything but the cache: the heap left is the cache's. */
function fill(cache: CoinsCache, count: number): void {
  const txs = Array.from({ length: count / 2 }, (_, n) => payment(n));
  txs.forEach((tx, i) => {
    const id = txid(tx);
    tx.outputs.forEach((out, index) => {
      // As connectBlock then the overlay hand them over.
      const coin = { amount: out.amount, address: out.address, height: 1000 + i, coinbase: false };
      cache.add(outpointKey(id, index), coin, false);
    });
  });
}

describe('CoinsCache budget', () => {
  it('counts within 15% of the heap its entries take', () => {
    const cache = new CoinsCache(disk, Number.MAX_SAFE_INTEGER);
    const before = heapUsed();
    fill(cache, 50_000);
    const perEntry = (heapUsed() - before) / cache.size;
    expect(cache.size).toBe(50_000);
    expect(cache.bytes).toBe(50_000 * COIN_ENTRY_BYTES);
    expect({ perEntry, ratio: perEntry / COIN_ENTRY_BYTES }).toMatchObject({
      ratio: expect.toSatisfy((r: number) => r > 0.85 && r < 1.15),
    });
  });
});
