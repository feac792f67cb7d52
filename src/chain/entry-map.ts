// Block index entries by hash, without a 64-character key string per block: the map is keyed by 30
// bits of the hash (a small integer, stored inline), and the rare entries sharing those bits share a
// slot. Lookups compare the whole hash, so a slot's sharing only costs a short scan.
import { equalBytes } from '../core/bytes.js';
import type { ChainEntry } from './entry.js';

type Slot = ChainEntry | ChainEntry[];

/** Bits 96..125 of the hash: the middle, random under any difficulty (the leading bytes are zeros). */
function keyOfBytes(hash: Uint8Array): number {
  return (hash[12]! << 22) | (hash[13]! << 14) | (hash[14]! << 6) | (hash[15]! >> 2);
}

function keyOfHex(hex: string): number {
  return Number.parseInt(hex.slice(24, 32), 16) >>> 2;
}

export class EntryMap {
  private readonly slots = new Map<number, Slot>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(hashHex: string): ChainEntry | undefined {
    if (hashHex.length !== 64) return undefined;
    const slot = this.slots.get(keyOfHex(hashHex));
    if (slot === undefined) return undefined;
    if (!Array.isArray(slot)) return slot.hashHex === hashHex ? slot : undefined;
    return slot.find((e) => e.hashHex === hashHex);
  }

  /** The same lookup by the hash's bytes, with no hex string made (opening a chain links every entry). */
  getByBytes(hash: Uint8Array): ChainEntry | undefined {
    if (hash.length !== 32) return undefined;
    const slot = this.slots.get(keyOfBytes(hash));
    if (slot === undefined) return undefined;
    if (!Array.isArray(slot)) return equalBytes(slot.hash, hash) ? slot : undefined;
    return slot.find((e) => equalBytes(e.hash, hash));
  }

  has(hashHex: string): boolean {
    return this.get(hashHex) !== undefined;
  }

  /** Adds an entry, or replaces the one with the same hash. */
  set(entry: ChainEntry): void {
    const key = keyOfBytes(entry.hash);
    const slot = this.slots.get(key);
    if (slot === undefined) {
      this.slots.set(key, entry);
      this.count++;
      return;
    }
    const hex = entry.hashHex;
    const list = Array.isArray(slot) ? slot : [slot];
    const at = list.findIndex((e) => e.hashHex === hex);
    if (at >= 0) list[at] = entry;
    else {
      list.push(entry);
      this.count++;
    }
    this.slots.set(key, list.length === 1 ? list[0]! : list);
  }

  delete(hashHex: string): boolean {
    if (hashHex.length !== 64) return false;
    const key = keyOfHex(hashHex);
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    const list = Array.isArray(slot) ? slot : [slot];
    const rest = list.filter((e) => e.hashHex !== hashHex);
    if (rest.length === list.length) return false;
    this.count--;
    if (rest.length === 0) this.slots.delete(key);
    else this.slots.set(key, rest.length === 1 ? rest[0]! : rest);
    return true;
  }

  *values(): IterableIterator<ChainEntry> {
    for (const slot of this.slots.values()) {
      if (Array.isArray(slot)) yield* slot;
      else yield slot;
    }
  }
}
