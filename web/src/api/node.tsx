// Live view of the node: status polled and pushed over Server-Sent Events, plus counters that bump when
// a block or transaction arrives so pages can refetch exactly when something changed.
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { NETWORKS, type NetworkName } from '../../../src/core/params.js';
import { api, apiToken, eventsUrl } from './client.js';
import type { BlockEventJson, StatusJson, TxEventJson } from './types.js';

export interface NodeState {
  readonly status: StatusJson | null;
  /** False once a status request failed; null before the first answer. */
  readonly reachable: boolean | null;
  /** Bumps on every block and reorg event: pages showing chain data depend on it. */
  readonly chainVersion: number;
  /** Bumps on every new mempool transaction (and with the chain). */
  readonly mempoolVersion: number;
  /** Most recent block events, newest first (for the "live" badge). */
  readonly recentBlocks: readonly BlockEventJson[];
  readonly addressPrefix: string | null;
  /** Fetch status now (after an action such as mining). */
  readonly refresh: () => void;
}

const NodeContext = createContext<NodeState | null>(null);

const POLL_MS = 5000;
/**
 * Pages refetch at most this often however fast blocks come: a regtest miner finds a thousand blocks a
 * second, and one refetch per block would flood the node.
 */
const NEWS_INTERVAL_MS = 1000;

interface News {
  chain: boolean;
  mempool: boolean;
  status: boolean;
  blocks: BlockEventJson[];
}

export function NodeProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<StatusJson | null>(null);
  const [reachable, setReachable] = useState<boolean | null>(null);
  const [chainVersion, setChainVersion] = useState(0);
  const [mempoolVersion, setMempoolVersion] = useState(0);
  const [recentBlocks, setRecentBlocks] = useState<BlockEventJson[]>([]);
  const [pollTick, setPollTick] = useState(0);
  const lastTip = useRef<string | null>(null);

  // Events are collected here and applied together, at most once per NEWS_INTERVAL_MS.
  const news = useRef<News>({ chain: false, mempool: false, status: false, blocks: [] });
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastFlush = useRef(0);
  const report = useRef((update: Partial<Omit<News, 'blocks'>> & { block?: BlockEventJson }) => {
    const n = news.current;
    n.chain ||= update.chain ?? false;
    n.mempool ||= update.mempool ?? false;
    n.status ||= update.status ?? false;
    if (update.block) n.blocks.push(update.block);
    if (flushTimer.current !== null) return;
    const wait = Math.max(0, lastFlush.current + NEWS_INTERVAL_MS - Date.now());
    flushTimer.current = setTimeout(() => {
      flushTimer.current = null;
      lastFlush.current = Date.now();
      const { chain, mempool, status: refreshStatus, blocks } = news.current;
      news.current = { chain: false, mempool: false, status: false, blocks: [] };
      if (chain) setChainVersion((v) => v + 1);
      if (mempool) setMempoolVersion((v) => v + 1);
      if (refreshStatus) setPollTick((t) => t + 1);
      if (blocks.length > 0) {
        const fresh = blocks.slice(-20).reverse();
        const seen = new Set(fresh.map((b) => b.hash));
        setRecentBlocks((list) => [...fresh, ...list.filter((b) => !seen.has(b.hash))].slice(0, 20));
      }
    }, wait);
  });
  useEffect(
    () => () => {
      if (flushTimer.current !== null) clearTimeout(flushTimer.current);
    },
    [],
  );

  // A changed tip seen in a status answer also counts as news (covers missed or absent events).
  const acceptStatus = useRef((s: StatusJson) => {
    setStatus(s);
    setReachable(true);
    if (lastTip.current !== null && lastTip.current !== s.tip) report.current({ chain: true, mempool: true });
    lastTip.current = s.tip;
  });

  // Status polling: the fallback when events are not flowing, and the reachability probe.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pollTick is the trigger to refresh now.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const s = await api.getStatus();
        if (stopped) return;
        acceptStatus.current(s);
      } catch {
        if (!stopped) setReachable(false);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pollTick]);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(eventsUrl);
    const onBlock = (e: MessageEvent<string>) => {
      const block = parseEvent<BlockEventJson>(e.data);
      if (block) lastTip.current = block.hash;
      // The header's height and the status figures follow the new tip too.
      report.current({ chain: true, mempool: true, status: true, block: block ?? undefined });
    };
    const onReorg = () => report.current({ chain: true, mempool: true, status: true });
    const onTx = (e: MessageEvent<string>) => {
      if (parseEvent<TxEventJson>(e.data)) report.current({ mempool: true });
    };
    const onStatus = (e: MessageEvent<string>) => {
      const s = parseEvent<StatusJson>(e.data);
      // An EventSource cannot send the token: where the node wants it, the stream's status hides the
      // operator's fields, so a page holding the token asks for the whole status instead.
      if (s && s.walletAddress === null && apiToken.get() !== '') report.current({ status: true });
      else if (s) acceptStatus.current(s);
    };
    source.addEventListener('block', onBlock);
    source.addEventListener('reorg', onReorg);
    source.addEventListener('tx', onTx);
    source.addEventListener('status', onStatus);
    return () => source.close();
  }, []);

  const value = useMemo<NodeState>(() => {
    const network = status?.network as NetworkName | undefined;
    return {
      status,
      reachable,
      chainVersion,
      mempoolVersion,
      recentBlocks,
      addressPrefix: network && network in NETWORKS ? NETWORKS[network].addressPrefix : null,
      refresh: () => setPollTick((t) => t + 1),
    };
  }, [status, reachable, chainVersion, mempoolVersion, recentBlocks]);

  return <NodeContext.Provider value={value}>{children}</NodeContext.Provider>;
}

function parseEvent<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}

export function useNode(): NodeState {
  const ctx = useContext(NodeContext);
  if (!ctx) throw new Error('useNode outside NodeProvider');
  return ctx;
}
