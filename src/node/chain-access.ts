// What the network layer may see of the node: the chain and mempool through ChainAccess, and a place
// to keep its bans. Built by the composition root (node.ts); the p2p layer knows only these interfaces.
import type { Chain, ProcessResult } from '../chain/chain.js';
import { RuleError } from '../core/errors.js';
import { HEADER_SIZE } from '../core/header.js';
import type { Mempool } from '../mempool/mempool.js';
import type { BanInfo, BanStore, ChainAccess, HeadersVerdict, SubmitResult } from '../p2p/index.js';
import type { ChainStore } from '../store/store.js';

/** Bans by peer id and IP, kept in the store's metadata. */
export function banStore(store: ChainStore): BanStore {
  return {
    load: async () => {
      const saved = await store.getMeta('p2p-bans');
      if (!saved) return [];
      try {
        const bans = JSON.parse(new TextDecoder().decode(saved)) as BanInfo[];
        return Array.isArray(bans) ? bans : [];
      } catch {
        return [];
      }
    },
    save: (bans) => store.putMeta('p2p-bans', new TextEncoder().encode(JSON.stringify(bans))),
  };
}

/** A chain's verdict on a block, as the network layer sees it. */
function submitResult(r: ProcessResult): SubmitResult {
  if (r.status === 'connected' || r.status === 'side')
    return { status: 'accepted', tip: r.status === 'connected' };
  if (r.status === 'invalid') {
    return {
      status: 'invalid',
      code: r.error?.code,
      message: r.error?.message,
      malleated: r.error?.malleated,
    };
  }
  return { status: r.status };
}

/** What the network layer may see of the chain and mempool, and how what it receives is submitted. */
export function chainAccess(chain: Chain, mempool: Mempool): ChainAccess {
  return {
    network: chain.params.name,
    genesisHash: chain.genesis.hashHex,
    tip: () => ({ height: chain.height, hash: chain.tip.hashHex, chainWork: chain.tip.chainWork }),
    blockLocator: () => chain.locator(),
    headersAfter: async (locator, max) => chain.headersAfter(locator, max),
    getBlock: (hash) => chain.getBlockBytes(hash),
    hasBlock: (hash) => chain.hasBlock(hash),
    minimumChainWork: chain.params.minimumChainWork,
    checkHeaders: (headers): HeadersVerdict => {
      const r = chain.checkHeaders(headers);
      if (r.status === 'invalid')
        return { status: 'invalid', index: r.index, code: r.error.code, message: r.error.message };
      return r.status === 'ok' ? { status: 'ok', work: r.work } : r;
    },
    submitBlock: async (bytes, fromPeer): Promise<SubmitResult> =>
      submitResult(await chain.processBlock(bytes, { peer: fromPeer })),
    submitBlocks: async (blocks, fromPeer): Promise<SubmitResult[]> => {
      // A downloaded run is its own header chain: when it reaches our tip's work, its blocks that
      // start below the storage window are kept too (storage-policy.ts, rule b).
      if (blocks.length > 1) chain.checkHeaders(blocks.map((b) => b.subarray(0, HEADER_SIZE)));
      return (await chain.processBlocks(blocks, { peer: fromPeer })).map(submitResult);
    },
    submitTx: async (bytes): Promise<SubmitResult> => {
      try {
        const entry = await mempool.add(bytes);
        return { status: 'accepted', txid: entry.txidHex };
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        // Not proof of bad intent: we may lack the parent, or already have it, or our policy differs.
        if (NOT_PEER_FAULTS.has(e.code)) return { status: 'duplicate', code: e.code };
        return { status: 'invalid', code: e.code, message: e.message, malleated: e.malleated };
      }
    },
    // Highest fee rate first, so that a capped inventory offers the most useful ones.
    pendingTxids: () => mempool.sorted().map((e) => e.txidHex),
    getPendingTx: (txid) => mempool.get(txid)?.bytes,
    onTip: (listener) => {
      const notify = () =>
        listener({ height: chain.height, hash: chain.tip.hashHex, chainWork: chain.tip.chainWork });
      chain.on('connect', notify);
      chain.on('reorg', notify);
      return () => {
        chain.off('connect', notify);
        chain.off('reorg', notify);
      };
    },
  };
}

const NOT_PEER_FAULTS = new Set<string>([
  'already-known',
  'missing-inputs',
  'double-spend',
  'fee-too-low',
  'mempool-full',
]);
