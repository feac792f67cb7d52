// The pool's limit counts what its entries really cost: filled with entries built as admit.ts builds
// them (the transaction decoded from its bytes, the coins it spends), the heap and array buffers grow by
// about entryMemory(entry) per entry, for a few shapes of payment.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { decodeTx, encodeTx, txid } from '../../../src/core/tx.js';
import { entryMemory } from '../../../src/mempool/entry-memory.js';
import { type MempoolEntry, PoolState } from '../../../src/mempool/pool-state.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

let serial = 0;

/** An entry as admit.ts makes one: decoded from its bytes, with the coins it spends. */
function entry(inputs: number, outputs: number): MempoolEntry {
  const n = ++serial;
  const bytes = encodeTx({
    version: 1,
    inputs: Array.from({ length: inputs }, (_, i) => {
      const prevTxid = new Uint8Array(32);
      new DataView(prevTxid.buffer).setUint32(0, n * 16 + i);
      return { prevTxid, prevIndex: 0, publicKey: new Uint8Array(32).fill(n), signature: new Uint8Array(64) };
    }),
    outputs: Array.from({ length: outputs }, (_, k) => ({
      amount: 1_000n + BigInt(k),
      address: new Uint8Array(20).fill(n + k),
    })),
    data: new Uint8Array(),
  });
  const tx = decodeTx(bytes);
  const id = txid(tx);
  return {
    tx,
    txid: id,
    txidHex: toHex(id),
    bytes,
    size: bytes.length,
    fee: 1_000n,
    feeRate: 1_000 / bytes.length,
    time: n,
    spent: tx.inputs.map(() => ({
      amount: 5_000n,
      address: new Uint8Array(20).fill(n),
      height: 5,
      coinbase: false,
    })),
    sigChecks: inputs,
  };
}

describe('entryMemory', () => {
  it.each([
    [1, 2],
    [1, 12],
    [4, 2],
  ])('counts a %i-in-%i-out entry within 15 per cent of what the pool takes', (inputs, outputs) => {
    const pool = new PoolState(Number.MAX_SAFE_INTEGER);
    const count = 5_000;
    const before = used();
    for (let i = 0; i < count; i++) pool.insert(entry(inputs, outputs));
    const perEntry = (used() - before) / count;
    const counted = pool.totalMemory / count;
    expect(pool.entries.size).toBe(count);
    expect({ perEntry, ratio: perEntry / counted }).toMatchObject({
      ratio: expect.toSatisfy((r: number) => r > 0.85 && r < 1.15),
    });
    expect(counted).toBe(entryMemory(pool.entries.values().next().value!));
  });
});
