// The learn page's toy blockchain: the classic demo's rules, hashed with the node's own SHA-256.
import { toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';

const utf8 = new TextEncoder();

export const hashText = (text: string): string => toHex(sha256(utf8.encode(text)));

export interface ToyBlock {
  readonly number: number;
  readonly nonce: number;
  readonly data: string;
  readonly previous: string;
}

export const GENESIS_PREVIOUS = '0'.repeat(64);

/** A toy block's hash covers every field, as the demo has it: number, nonce, data, previous hash. */
export const toyBlockHash = (b: ToyBlock): string => hashText(`${b.number}${b.nonce}${b.data}${b.previous}`);

/** "Difficulty" here is the number of leading hex zeros the hash must have. */
export const meetsDifficulty = (hash: string, zeros: number): boolean => hash.startsWith('0'.repeat(zeros));

/** Tries `count` nonces from `start`; returns the first that works or null. */
export function searchNonce(block: ToyBlock, zeros: number, start: number, count: number): number | null {
  for (let nonce = start; nonce < start + count; nonce++) {
    if (meetsDifficulty(toyBlockHash({ ...block, nonce }), zeros)) return nonce;
  }
  return null;
}

export interface ChainBlockView extends ToyBlock {
  readonly hash: string;
  readonly valid: boolean;
}

/** Links blocks by hash: each block's "previous" is the hash of the block before it as it is now. */
export function linkChain(
  blocks: readonly Pick<ToyBlock, 'nonce' | 'data'>[],
  zeros: number,
): ChainBlockView[] {
  const out: ChainBlockView[] = [];
  let previous = GENESIS_PREVIOUS;
  blocks.forEach((b, i) => {
    const block = { number: i + 1, nonce: b.nonce, data: b.data, previous };
    const hash = toyBlockHash(block);
    out.push({ ...block, hash, valid: meetsDifficulty(hash, zeros) });
    previous = hash;
  });
  return out;
}

/** Mines every block in order so the chain starts out valid. */
export function mineChain(datas: readonly string[], zeros: number): { nonce: number; data: string }[] {
  const out: { nonce: number; data: string }[] = [];
  let previous = GENESIS_PREVIOUS;
  datas.forEach((data, i) => {
    const block = { number: i + 1, nonce: 0, data, previous };
    let nonce: number | null = null;
    for (let start = 0; nonce === null; start += 100_000) nonce = searchNonce(block, zeros, start, 100_000);
    out.push({ nonce, data });
    previous = toyBlockHash({ ...block, nonce });
  });
  return out;
}

/**
 * Which copies agree with the majority: peers are grouped by the hash of their last block (which,
 * through the links, commits to every block before it). Null when no tip is held by more than half.
 */
export function majorityTip(tips: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const t of tips) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [tip, n] of counts) if (n * 2 > tips.length) return tip;
  return null;
}
