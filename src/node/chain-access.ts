// What the network layer may see of the node: the chain and mempool through ChainAccess, and a place
// to keep its bans. Built by the composition root (node.ts); the p2p layer knows only these interfaces.
import type { Chain, ProcessResult } from '../chain/chain.js';
import type { ChainEntry } from '../chain/entry.js';
import { RuleError } from '../core/errors.js';
import { HEADER_SIZE } from '../core/header.js';
import { networkTag } from '../core/network-id.js';
import type { Mempool, MempoolEntry, TxOrigin } from '../mempool/mempool.js';
import type {
  AnchorStore,
  BanInfo,
  BanStore,
  ChainAccess,
  HeadersVerdict,
  RelayEvent,
  SubmitResult,
} from '../p2p/index.js';
import type { MetaStore } from '../store/meta-store.js';

/** Bans by peer id and IP, kept in the store's metadata; a missing or unreadable value reads as none. */
export function banStore(meta: MetaStore): BanStore {
  return {
    // Records the p2p layer wrote (the store keeps only the objects of the JSON list).
    load: async () => ((await meta.bans.get()) ?? []) as BanInfo[],
    save: (bans) => meta.bans.put(bans),
  };
}

/** The outbound peers at the last shutdown (multiaddrs), kept in the store's metadata. */
export function anchorStore(meta: MetaStore): AnchorStore {
  return {
    load: async () => (await meta.anchors.get()) ?? [],
    save: (addrs) => meta.anchors.put([...addrs]),
  };
}

/** A chain's verdict on a block, as the network layer sees it. */
function submitResult(r: ProcessResult): SubmitResult {
  // 'connected': on the active chain now (gossip relays only those); 'side': stored off it.
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
  // A stale block of an honest race (near our tip) is not held against its sender (judge.ts).
  if (r.status === 'low-work' && r.stale) return { status: 'low-work', code: 'stale' };
  return { status: r.status };
}

/** What the network layer may see of the chain and mempool, and how what it receives is submitted. */
export function chainAccess(
  chain: Chain,
  mempool: Mempool,
  /** Seconds since the epoch (tells news from a catch-up). */
  now: () => number = () => Date.now() / 1000,
): ChainAccess {
  return {
    network: networkTag(chain.params),
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
    submitBlocks: async (blocks, from): Promise<SubmitResult[]> => {
      // A downloaded run is its own header chain: when it reaches our tip's work, its blocks that
      // start below the storage window are kept too (storage-policy.ts, rule b).
      if (blocks.length > 1) chain.checkHeaders(blocks.map((b) => b.subarray(0, HEADER_SIZE)));
      // The chain's source only bounds the orphans a peer makes it hold; a download's blocks link to
      // our chain, so the first sender stands for the run.
      const peer = typeof from === 'string' ? from : from?.[0];
      return (await chain.processBlocks(blocks, { peer })).map(submitResult);
    },
    submitTx: async (bytes): Promise<SubmitResult> => {
      try {
        const entry = await mempool.add(bytes, 'peer');
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
    onRelay: (listener) => relayEvents(chain, mempool, now, listener),
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

/** A tip older than this is a catch-up, not news (Core's "initial block download" uses 24 h too). */
const MAX_NEWS_TIP_AGE_SECONDS = 24 * 60 * 60;

/** What the node has for its peers, from the chain's and the mempool's events (see RelayEvent). */
function relayEvents(
  chain: Chain,
  mempool: Mempool,
  now: () => number,
  listener: (event: RelayEvent) => void,
): () => void {
  const onTip = (entry: ChainEntry) => {
    if (entry.time < now() - MAX_NEWS_TIP_AGE_SECONDS) return;
    const hash = entry.hashHex;
    chain
      .getBlockBytes(hash)
      .then((bytes) => {
        // Still the tip: a block already replaced (a quick reorg) is no news.
        if (bytes && chain.tip.hashHex === hash) listener({ kind: 'block', hash, bytes });
      })
      .catch(() => undefined);
  };
  const onAdded = (entry: MempoolEntry, origin: TxOrigin) => {
    if (origin === 'local') listener({ kind: 'tx', txid: entry.txidHex, bytes: entry.bytes });
  };
  const onRestored = (entries: MempoolEntry[]) =>
    listener({ kind: 'restored', txids: entries.map((e) => e.txidHex) });
  chain.on('tip', onTip);
  mempool.on('added', onAdded);
  mempool.on('restored', onRestored);
  return () => {
    chain.off('tip', onTip);
    mempool.off('added', onAdded);
    mempool.off('restored', onRestored);
  };
}

const NOT_PEER_FAULTS = new Set<string>([
  'already-known',
  'missing-inputs',
  'double-spend',
  'fee-too-low',
  'mempool-full',
  'too-long-mempool-chain',
  // Locks judged for our next block: a peer whose tip is ahead of ours may rightly call it final.
  'non-final',
  'non-bip68-final',
  // A peer that saw the other side of a replacement first relayed in good faith.
  'too-many-replacements',
  'replacement-spends-conflict',
  'replacement-adds-unconfirmed',
  'replacement-fee-rate-too-low',
  'insufficient-fee-replacement',
]);
