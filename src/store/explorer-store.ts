// The explorer store: tx locations ('T'), address history ('A') with its counts ('C'), and coins by
// address ('X'); written by the explorer indexer only, with its marker 'index-tip'. Its reads answer
// from what is indexed now: the indexer (src/chain/indexer.ts) offers the reads that wait for the tip.
import { equalBytes } from '../core/bytes.js';
import { decodeSigned64, decodeTxLocation, encodeSigned64, encodeTxLocation } from './codec.js';
import type { Outpoint } from './coin-store.js';
import { type Database, StoreWrites, WriteBatch } from './database.js';
import { KEYS, META, u32be } from './layout.js';
import { putMeta } from './meta-store.js';

type Bytes = Uint8Array;

// A policy address (32 bytes) has key kinds of its own, so every field keeps one length.
const isPolicy = (address: Bytes) => address.length === 32;
const deltaKind = (address: Bytes) => (isPolicy(address) ? KEYS.policyDelta : KEYS.addressDelta);
const coinKind = (address: Bytes) => (isPolicy(address) ? KEYS.policyCoin : KEYS.addressCoin);
const countKind = (address: Bytes) => (isPolicy(address) ? KEYS.policyCount : KEYS.addressCount);

export interface AddressDelta {
  readonly height: number;
  readonly txid: Bytes;
  readonly delta: bigint;
}

export interface TxLocation {
  readonly blockHash: Bytes;
  readonly index: number;
}

/** The indexer's writes, added to a batch (see StoreWrites). */
export class ExplorerWrites extends StoreWrites {
  putTxLocation(txid: Bytes, blockHash: Bytes, index: number): this {
    this.batch.put(KEYS.txLocation.key({ txid }), encodeTxLocation(blockHash, index));
    return this;
  }
  delTxLocation(txid: Bytes): this {
    this.batch.del(KEYS.txLocation.key({ txid }));
    return this;
  }
  putAddressDelta(address: Bytes, height: number, txid: Bytes, delta: bigint): this {
    this.batch.put(deltaKind(address).key({ address, height, txid }), encodeSigned64(delta));
    return this;
  }
  delAddressDelta(address: Bytes, height: number, txid: Bytes): this {
    this.batch.del(deltaKind(address).key({ address, height, txid }));
    return this;
  }
  /** The by-address entry of an unspent output. */
  putAddressCoin(address: Bytes, txid: Bytes, index: number): this {
    this.batch.put(coinKind(address).key({ address, txid, index }), new Uint8Array());
    return this;
  }
  delAddressCoin(address: Bytes, txid: Bytes, index: number): this {
    this.batch.del(coinKind(address).key({ address, txid, index }));
    return this;
  }
  /** How many history entries ('A') an address has; 0 deletes the count. */
  putAddressCount(address: Bytes, count: number): this {
    const key = countKind(address).key({ address });
    if (count > 0) this.batch.put(key, u32be(count));
    else this.batch.del(key);
    return this;
  }
  /** The block the index is at: the indexer's marker, moved in the same batch as its entries. */
  putIndexTip(hash: Bytes): this {
    putMeta(this.batch, META.indexTip, hash);
    return this;
  }
}

const readU32 = (v: Bytes) => new DataView(v.buffer, v.byteOffset, 4).getUint32(0, false);

export class ExplorerStore {
  constructor(private readonly db: Database) {}

  writes(shared?: WriteBatch): ExplorerWrites {
    return new ExplorerWrites(shared ?? new WriteBatch(this.db));
  }

  async txLocation(txid: Bytes): Promise<TxLocation | undefined> {
    const v = await this.db.get(KEYS.txLocation.key({ txid }));
    return v && decodeTxLocation(v);
  }

  /** History entry counts of addresses. */
  async addressCounts(addresses: readonly Bytes[]): Promise<number[]> {
    if (addresses.length === 0) return [];
    const values = await this.db.getMany(addresses.map((address) => countKind(address).key({ address })));
    return values.map((v) => (v ? readU32(v) : 0));
  }

  /** Balance changes of an address, newest first. */
  async addressDeltas(
    address: Bytes,
    opts: { offset?: number; limit?: number } = {},
  ): Promise<AddressDelta[]> {
    const out: AddressDelta[] = [];
    const offset = opts.offset ?? 0;
    const limit = opts.limit ?? Number.POSITIVE_INFINITY;
    let skipped = 0;
    // The database reads only the entries up to the end of the page, not the whole history.
    const end = offset + limit;
    const range = {
      ...deltaKind(address).range({ address }),
      reverse: true,
      ...(Number.isFinite(end) ? { limit: end } : {}),
    };
    for await (const [k, v] of this.db.iterator(range)) {
      if (skipped++ < offset) continue;
      if (out.length >= limit) break;
      const { height, txid } = deltaKind(address).decode(k);
      out.push({ height, txid, delta: decodeSigned64(v) });
    }
    return out;
  }

  /** The outpoints of the unspent outputs paying to an address (their coins are in the coin store). */
  async addressOutpoints(address: Bytes): Promise<Outpoint[]> {
    const out: Outpoint[] = [];
    const kind = coinKind(address);
    for await (const k of this.db.keys(kind.range({ address }))) {
      const { txid, index } = kind.decode(k);
      out.push({ txid, index });
    }
    return out;
  }

  /** Once, for a store written before history counts were kept: counts every address's 'A' entries. */
  async countAddressHistories(): Promise<void> {
    const writes = this.writes();
    let current: Bytes | undefined;
    let count = 0;
    for await (const k of this.db.keys(KEYS.addressDelta.range())) {
      const { address } = KEYS.addressDelta.decode(k);
      if (current && equalBytes(current, address)) {
        count++;
        continue;
      }
      if (current) writes.putAddressCount(current, count);
      current = address;
      count = 1;
    }
    if (current) writes.putAddressCount(current, count);
    putMeta(writes.batch, META.addressCounts, true);
    await writes.write();
  }
}
