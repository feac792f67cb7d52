// Synthetic pools for the selection and bookkeeping tests: unsigned transactions linked by their inputs
// (selection and the pool's links read only txids, sizes and fees).
import { toHex } from '../../../src/core/bytes.js';
import { encodeTx, type Tx, txid } from '../../../src/core/tx.js';
import { type MempoolEntry, PoolState } from '../../../src/mempool/pool-state.js';

/** Builds pool entries: each spends the given outputs of its parents, or a confirmed coin. */
export function builder() {
  let serial = 0;
  const pool = new PoolState(Number.MAX_SAFE_INTEGER);
  /** An entry, not yet in the pool. */
  const make = (opts: {
    parents?: Array<[MempoolEntry, number]>;
    fee: bigint;
    outputs?: number;
    pad?: number;
  }) => {
    serial++;
    const confirmed = new Uint8Array(32);
    new DataView(confirmed.buffer).setUint32(0, serial);
    const inputs = (opts.parents?.length ? opts.parents : [[undefined, 0] as const]).map(([p, index]) => ({
      prevTxid: p ? p.txid : confirmed,
      prevIndex: index,
      publicKey: new Uint8Array(32),
      signature: new Uint8Array(64),
    }));
    const outputs = Array.from({ length: opts.outputs ?? 2 }, () => ({
      amount: 1000n,
      address: new Uint8Array(20),
    }));
    const tx: Tx = { version: 1, inputs, outputs, data: new Uint8Array(opts.pad ?? 0) };
    const id = txid(tx);
    const bytes = encodeTx(tx);
    const entry: MempoolEntry = {
      tx,
      txid: id,
      txidHex: toHex(id),
      bytes,
      size: bytes.length,
      fee: opts.fee,
      feeRate: Number(opts.fee) / bytes.length,
      time: serial,
      spent: [],
      sigChecks: tx.inputs.length,
    };
    return entry;
  };
  const add = (opts: Parameters<typeof make>[0]) => {
    const entry = make(opts);
    pool.insert(entry);
    return entry;
  };
  return { pool, add, make };
}

/** A deterministic generator for the random pools (xorshift32). */
export function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

/** A pool of chains (up to 25 deep, some joining two parents) and lone transactions, with random fees. */
export function randomPool(count: number, seed: number) {
  const { pool, add } = builder();
  const rnd = random(seed);
  const tips: MempoolEntry[] = [];
  const depth = new Map<MempoolEntry, number>();
  for (let i = 0; i < count; i++) {
    const fee = BigInt(200 + rnd(20_000));
    const pad = rnd(400);
    const kind = rnd(10);
    let e: MempoolEntry;
    if (kind < 3 || tips.length < 2) {
      e = add({ fee, pad });
    } else {
      const a = tips[rnd(tips.length)]!;
      const b = tips[rnd(tips.length)]!;
      // A second parent sometimes (a diamond or a join); outputs are spent once each.
      const parents: Array<[MempoolEntry, number]> =
        kind === 9 && a !== b
          ? [
              [a, 0],
              [b, 1],
            ]
          : [[a, 0]];
      if (parents.some(([p]) => (depth.get(p) ?? 0) >= 12)) e = add({ fee, pad });
      else e = add({ parents, fee, pad });
      for (const [p] of parents) tips.splice(tips.indexOf(p), 1);
      depth.set(e, Math.max(0, ...parents.map(([p]) => (depth.get(p) ?? 0) + 1)));
    }
    tips.push(e);
  }
  return pool;
}
