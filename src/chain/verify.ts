// Re-validates a stored chain from genesis with the consensus code, into a scratch chain, and names the
// first block that breaks a rule. Used by `hashline chain verify` and `hashline demo`.
import { toHex } from '../core/bytes.js';
import type { NetworkParams } from '../core/params.js';
import type { ChainStore } from '../store/store.js';
import { Chain, type SignatureVerifier } from './chain.js';

export type VerifyOutcome =
  | { readonly ok: true; readonly height: number; readonly tip: string }
  | {
      readonly ok: false;
      readonly height: number;
      readonly hash: string;
      readonly code: string;
      readonly message: string;
    };

export interface VerifyOptions {
  readonly verifySignatures?: SignatureVerifier;
  readonly onProgress?: (height: number, total: number) => void;
  /** Seconds since the epoch, for the time-too-new rule. */
  readonly now?: () => number;
}

/** An empty store to replay into, and how to throw it away. */
export interface ScratchStore {
  readonly store: ChainStore;
  dispose(): Promise<void>;
}

/** What verifying reads of the stored chain. */
export type VerifiedStores = Pick<ChainStore, 'blocks' | 'meta'>;

export async function verifyStoredChain(
  store: VerifiedStores,
  params: NetworkParams,
  opts: VerifyOptions & { readonly openScratch: () => Promise<ScratchStore> },
): Promise<VerifyOutcome> {
  const tipHash = await store.meta.tip.get();
  if (!tipHash)
    return { ok: false, height: 0, hash: '', code: 'no-chain', message: 'the store holds no chain' };
  let total = 0;
  while (await store.blocks.getHashAtHeight(total + 1)) total++;
  const { store: scratch, dispose } = await opts.openScratch();
  try {
    const chain = await Chain.open({
      store: scratch,
      params,
      now: opts.now,
      verifySignatures: opts.verifySignatures,
    });
    for (let height = 0; height <= total; height++) {
      const hash = (await store.blocks.getHashAtHeight(height))!;
      const hashHex = toHex(hash);
      const bytes = await store.blocks.getBlockBytes(hash);
      if (!bytes)
        return {
          ok: false,
          height,
          hash: hashHex,
          code: 'missing-block',
          message: `block ${hashHex} is not in the store`,
        };
      if (height === 0) {
        if (
          hashHex !== chain.genesis.hashHex ||
          toHex((await scratch.blocks.getBlockBytes(hash)) ?? new Uint8Array()) !== toHex(bytes)
        ) {
          return {
            ok: false,
            height,
            hash: hashHex,
            code: 'bad-genesis',
            message: `the genesis block is not ${params.name}'s`,
          };
        }
        continue;
      }
      const r = await chain.processBlock(bytes);
      if (r.status === 'invalid') {
        return {
          ok: false,
          height,
          hash: hashHex,
          code: r.error?.code ?? 'invalid',
          message: r.error?.message ?? 'invalid block',
        };
      }
      if (r.status === 'orphan') {
        return {
          ok: false,
          height,
          hash: hashHex,
          code: 'bad-prev-block',
          message: `block ${height} does not link to block ${height - 1}: its previous-block hash names another block`,
        };
      }
      if (r.hash !== hashHex || chain.tip.hashHex !== hashHex) {
        return {
          ok: false,
          height,
          hash: hashHex,
          code: 'bad-hash',
          message: `the block stored at height ${height} hashes to ${r.hash}, not to ${hashHex}: its header was altered`,
        };
      }
      opts.onProgress?.(height, total);
    }
    return { ok: true, height: chain.height, tip: chain.tip.hashHex };
  } finally {
    await dispose();
  }
}
