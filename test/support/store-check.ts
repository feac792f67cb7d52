// Consistency check of a chain store on disk, independent of the Chain class: walks the active chain by the
// height index, replays every block from genesis into a UTXO set and compares it with what the store holds.
// Used after a process was killed mid-write (test/integration/crash.test.ts).
//
// What must hold, whatever moment a writer died at:
//   - the store is empty (nothing written yet), or
//   - the tip (meta 'tip') is the block at the highest height entry, with no height entry above it;
//   - every active block is stored, decodes, hashes to its key, links to the one below, and its index record
//     says 'valid' at that height;
//   - the coins (prefix U) are exactly the outputs created and not spent by the active blocks, with the
//     right amount, address, height and coinbase flag;
//   - every active block has undo data equal to the coins it spent; every active tx has its location;
//   - the by-address index (prefix X) lists exactly the coins.

import { ClassicLevel } from 'classic-level';
import { type Block, blockHash, decodeBlock } from '../../src/core/block.js';
import { equalBytes, toHex } from '../../src/core/bytes.js';
import { outpointKey, txid } from '../../src/core/tx.js';
import type { Coin } from '../../src/core/validation.js';
import type { IndexRecord } from '../../src/store/codec.js';
import { PREFIX, prefixEnd } from '../../src/store/layout.js';
import { ChainStore } from '../../src/store/store.js';

export interface StoreSummary {
  readonly height: number;
  readonly tip: string;
  readonly chainWork: bigint;
  readonly coins: number;
  readonly txs: number;
  /** Hashes of the active chain by height. */
  readonly active: readonly string[];
  /** Every index record, by hash. */
  readonly index: ReadonlyMap<string, IndexRecord>;
}

export class StoreInconsistency extends Error {
  override readonly name = 'StoreInconsistency';
}

const sameCoin = (a: Coin, b: Coin) =>
  a.amount === b.amount &&
  equalBytes(a.address, b.address) &&
  a.height === b.height &&
  a.coinbase === b.coinbase;

const describeCoin = (c: Coin | undefined) =>
  c
    ? `{amount ${c.amount}, address ${toHex(c.address)}, height ${c.height}, coinbase ${c.coinbase}}`
    : 'none';

/** Opens the store at `location` (no other process may hold it), checks it, closes it. */
export async function checkStoreAt(location: string): Promise<StoreSummary> {
  // The store API only returns address-index entries whose coin exists; count the raw keys to catch strays.
  const db = new ClassicLevel<Uint8Array, Uint8Array>(location, {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  let addressEntries = 0;
  try {
    const gte = new Uint8Array([PREFIX.addressCoin]);
    for await (const _ of db.keys({ gte, lt: prefixEnd(gte) })) addressEntries++;
  } finally {
    await db.close();
  }
  const store = await ChainStore.open(location);
  try {
    return await checkStoreConsistency(store, addressEntries);
  } finally {
    await store.close();
  }
}

/**
 * Throws StoreInconsistency naming the first thing that is wrong; returns a summary otherwise.
 * `addressEntries`, when known, is the raw number of by-address index keys.
 */
export async function checkStoreConsistency(
  store: ChainStore,
  addressEntries?: number,
): Promise<StoreSummary> {
  const fail = (message: string): never => {
    throw new StoreInconsistency(message);
  };
  const index = new Map<string, IndexRecord>();
  for await (const [hash, record] of store.indexRecords()) index.set(toHex(hash), record);

  const tipBytes = await store.getTip();
  if (!tipBytes) {
    // Killed before the genesis block was written (one batch with the tip): an empty store is consistent.
    if (index.size > 0) fail(`the store has ${index.size} index records but no tip`);
    for await (const _ of store.coins()) fail('the store has coins but no tip');
    return { height: -1, tip: '', chainWork: 0n, coins: 0, txs: 0, active: [], index };
  }
  const tip = toHex(tipBytes);
  const tipRecord = index.get(tip) ?? fail(`the tip ${tip} has no index record`);
  if (tipRecord.status !== 'valid') fail(`the tip ${tip} has status ${tipRecord.status}, not valid`);
  const height = tipRecord.height;
  const atTip = await store.getHashAtHeight(height);
  if (!atTip || toHex(atTip) !== tip)
    fail(`height ${height} holds ${atTip && toHex(atTip)}, not the tip ${tip}`);
  if (await store.getHashAtHeight(height + 1)) fail(`a height entry ${height + 1} exists above the tip`);

  const coins = new Map<string, Coin>();
  const active: string[] = [];
  let txCount = 0;
  let previous: Block | undefined;
  for (let h = 0; h <= height; h++) {
    const hashBytes =
      (await store.getHashAtHeight(h)) ?? fail(`no block at height ${h} below the tip ${height}`);
    const hash = toHex(hashBytes);
    const record = index.get(hash) ?? fail(`block ${hash} at height ${h} has no index record`);
    if (record.height !== h) fail(`block ${hash} is indexed at height ${record.height}, stored at ${h}`);
    if (record.status !== 'valid') fail(`active block ${hash} at height ${h} has status ${record.status}`);
    const bytes =
      (await store.getBlockBytes(hashBytes)) ?? fail(`active block ${hash} (height ${h}) is not stored`);
    let block: Block;
    try {
      block = decodeBlock(bytes);
    } catch (e) {
      return fail(`active block ${hash} (height ${h}) does not decode: ${(e as Error).message}`);
    }
    if (toHex(blockHash(block)) !== hash)
      fail(`the block stored as ${hash} hashes to ${toHex(blockHash(block))}`);
    if (previous && !equalBytes(block.header.prevHash, blockHash(previous))) {
      fail(`block ${h} does not link to block ${h - 1}`);
    }

    // Undo data lists the coins that existed before the block, not those created and spent inside it.
    const spent: Array<{ key: string; coin: Coin }> = [];
    const createdHere = new Set<string>();
    for (const [i, tx] of block.txs.entries()) {
      const id = txid(tx);
      txCount++;
      for (const input of tx.inputs) {
        const key = outpointKey(input.prevTxid, input.prevIndex);
        const coin = coins.get(key) ?? fail(`block ${h} spends ${key}, which is not unspent at that point`);
        if (!createdHere.has(key)) spent.push({ key, coin });
        coins.delete(key);
      }
      tx.outputs.forEach((out, index) => {
        const key = outpointKey(id, index);
        createdHere.add(key);
        coins.set(key, { amount: out.amount, address: out.address, height: h, coinbase: i === 0 });
      });
      const location = await store.getTxLocation(id);
      if (!location || toHex(location.blockHash) !== hash || location.index !== i) {
        fail(
          `tx ${toHex(id)} of block ${h} has location ${location ? `${toHex(location.blockHash)}#${location.index}` : 'none'}`,
        );
      }
    }
    const undo = (await store.getUndo(hashBytes)) ?? fail(`active block ${h} has no undo data`);
    if (undo.length !== spent.length)
      fail(`block ${h}: undo lists ${undo.length} coins, the block spent ${spent.length}`);
    undo.forEach((u, i) => {
      const expected = spent[i]!;
      if (outpointKey(u.txid, u.index) !== expected.key || !sameCoin(u.coin, expected.coin)) {
        fail(
          `block ${h}: undo entry ${i} is ${outpointKey(u.txid, u.index)} ${describeCoin(u.coin)}, expected ${expected.key} ${describeCoin(expected.coin)}`,
        );
      }
    });
    active.push(hash);
    previous = block;
  }

  let stored = 0;
  const addresses = new Map<string, Uint8Array>();
  for await (const { txid: id, index: i, coin } of store.coins()) {
    stored++;
    const key = outpointKey(id, i);
    const expected = coins.get(key);
    if (!expected || !sameCoin(coin, expected)) {
      fail(
        `coin ${key} in the store is ${describeCoin(coin)}; replaying the chain gives ${describeCoin(expected)}`,
      );
    }
    addresses.set(toHex(coin.address), coin.address);
  }
  if (stored !== coins.size) {
    const missing = [...coins.keys()].slice(0, 3).join(', ');
    fail(`the store holds ${stored} coins, replaying the chain gives ${coins.size} (e.g. ${missing})`);
  }
  let indexed = 0;
  for (const address of addresses.values()) {
    for (const { txid: id, index: i } of await store.addressCoins(address)) {
      indexed++;
      if (!coins.has(outpointKey(id, i)))
        fail(`the address index lists ${outpointKey(id, i)}, which is not a coin`);
    }
  }
  if (indexed !== coins.size) fail(`the address index lists ${indexed} coins, the store holds ${coins.size}`);
  if (addressEntries !== undefined && addressEntries !== coins.size) {
    fail(`the address index has ${addressEntries} keys for ${coins.size} coins`);
  }

  return { height, tip, chainWork: tipRecord.chainWork, coins: coins.size, txs: txCount, active, index };
}
