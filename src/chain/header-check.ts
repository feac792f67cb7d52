// Headers-first: a peer's headers are checked before any of their bodies is fetched. Each must link
// to the one before it (the first to a block we have), carry valid proof of work at the bits the
// chain requires there, and a time the rules allow. The result says how much work the last one
// reaches, so that the caller fetches nothing from a branch that could not become the best chain.
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { decodeHeader } from '../core/header.js';
import type { NetworkParams } from '../core/params.js';
import { workForBits } from '../core/pow.js';
import { checkHeaderContext, checkHeaderSanity } from '../core/validation.js';
import type { BlockIndex } from './block-index.js';
import { type ChainEntry, entryFromBytes } from './entry.js';

export type HeaderCheck =
  | { readonly status: 'ok'; readonly work: bigint; readonly hashes: readonly string[] }
  | { readonly status: 'unconnected' }
  | { readonly status: 'invalid'; readonly index: number; readonly error: RuleError };

/**
 * Checks `headers` (80 bytes each, in chain order) against the index; nothing is added to it.
 * `isRejected` names the blocks known to be invalid (a header among them, or following one, is refused).
 */
export function checkHeaders(
  blocks: BlockIndex,
  params: NetworkParams,
  now: number,
  headers: readonly Uint8Array[],
  isRejected: (hash: string) => RuleError | undefined = () => undefined,
): HeaderCheck {
  if (headers.length === 0) return { status: 'ok', work: blocks.tip.chainWork, hashes: [] };
  let parent: ChainEntry | undefined;
  const hashes: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    let header: ReturnType<typeof decodeHeader>;
    try {
      header = decodeHeader(headers[i]!);
    } catch (e) {
      if (e instanceof RuleError) return { status: 'invalid', index: i, error: e };
      throw e;
    }
    const prev = toHex(header.prevHash);
    if (i === 0) {
      parent = blocks.get(prev);
      if (!parent && isRejected(prev)) {
        const error = new RuleError('bad-prev-block', `parent ${prev} is invalid`);
        return { status: 'invalid', index: 0, error };
      }
      if (!parent) return { status: 'unconnected' };
    } else if (prev !== hashes[i - 1]) {
      return {
        status: 'invalid',
        index: i,
        error: new RuleError('bad-prev-block', `header ${i} does not follow header ${i - 1}`),
      };
    }
    if (parent!.status === 'invalid') {
      return {
        status: 'invalid',
        index: i,
        error: new RuleError('bad-prev-block', `parent ${prev} is invalid`),
      };
    }
    const sane = checkHeaderSanity(header, params, now);
    if (!sane.ok) return { status: 'invalid', index: i, error: sane.error };
    const contextError = checkHeaderContext(header, blocks.contextFor(parent!));
    if (contextError) return { status: 'invalid', index: i, error: contextError };
    const hash = sane.value;
    const hashHex = toHex(hash);
    const known = isRejected(hashHex);
    if (known) return { status: 'invalid', index: i, error: known };
    hashes.push(hashHex);
    // A throwaway entry (never added to the index) gives the next header its context.
    parent = entryFromBytes(
      hash,
      headers[i]!,
      parent!.height + 1,
      parent!.chainWork + workForBits(header.bits),
      'stored',
      parent,
      0,
    );
  }
  return { status: 'ok', work: parent!.chainWork, hashes };
}
