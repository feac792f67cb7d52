// The connected node's recent blocks as a tree (GET /api/v1/chain/tree): the active chain on top, side
// branches and orphans below it. Reorganisations come live from /api/v1/events and flash when they happen.
import { useEffect, useRef, useState } from 'react';
import { api, eventsUrl } from '../../api/client.js';
import { useNode } from '../../api/node.js';
import { href } from '../../lib/route.js';
import { type BlockTree, layoutTree, treeFromIndex } from '../lib/block-tree.js';

interface ReorgJson {
  readonly oldTip: string;
  readonly newTip: string;
  readonly forkHeight: number;
  readonly disconnected: number;
  readonly connected: number;
}

const SHOWN = 12;
const BOX_W = 92;
const BOX_H = 42;
const GAP = 22;
const ROW = 64;

export function LiveTree() {
  const { chainVersion, reachable } = useNode();
  const [tree, setTree] = useState<BlockTree>(new Map());
  const [reorgs, setReorgs] = useState<ReorgJson[]>([]);
  const scroller = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: chainVersion is the refetch trigger.
  useEffect(() => {
    const controller = new AbortController();
    api.getChainTree({ query: { depth: String(SHOWN) } }, { signal: controller.signal }).then(
      (r) => setTree(treeFromIndex(r)),
      () => undefined,
    );
    return () => controller.abort();
  }, [chainVersion, reorgs.length]);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(eventsUrl);
    source.addEventListener('reorg', (e: MessageEvent<string>) => {
      try {
        const r = JSON.parse(e.data) as ReorgJson;
        setReorgs((list) => [r, ...list].slice(0, 5));
      } catch {
        // a malformed event is ignored
      }
    });
    return () => source.close();
  }, []);

  const tip = Math.max(0, ...[...tree.values()].filter((b) => b.active).map((b) => b.height));
  const from = Math.max(0, tip - SHOWN + 1);
  const placed = layoutTree(tree, from);
  const byHash = new Map(placed.map((p) => [p.hash, p]));
  const rows = Math.max(1, ...placed.map((p) => p.row + 1));
  const x = (height: number) => (height - from) * (BOX_W + GAP) + 4;
  const y = (row: number) => row * ROW + 4;
  const width = (tip - from + 1) * (BOX_W + GAP);
  const last = reorgs[0];
  const fresh = new Set(last ? [last.newTip] : []);
  const side = placed.filter((p) => p.row > 0).length;
  // Keep the tip in view on narrow screens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the tree changes.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [tree]);

  return (
    <div className="learn-step">
      {reachable === false && <p className="muted">The node cannot be reached: no live tree.</p>}
      {last ? (
        <p
          key={reorgs.length}
          className="reorg-banner"
          role="status"
          data-testid="forks-reorg"
          data-fork-height={last.forkHeight}
        >
          Reorganisation: {last.disconnected} block{last.disconnected === 1 ? '' : 's'} disconnected above
          height {last.forkHeight}, {last.connected} connected from a branch with more work.
        </p>
      ) : (
        <p className="muted small">
          No reorganisation since this page opened. Side branches and orphans the node holds are drawn below
          the active chain.
        </p>
      )}
      <div ref={scroller} className="tree-scroll" data-testid="forks-tree" data-side={side} data-tip={tip}>
        <svg
          width={width}
          height={rows * ROW}
          viewBox={`0 0 ${width} ${rows * ROW}`}
          role="img"
          aria-label="Recent blocks"
        >
          {placed.map((p) => {
            const parent = byHash.get(p.previousHash);
            if (!parent) return null;
            return (
              <line
                key={`l-${p.hash}`}
                className="tree-link"
                x1={x(parent.height) + BOX_W}
                y1={y(parent.row) + BOX_H / 2}
                x2={x(p.height)}
                y2={y(p.row) + BOX_H / 2}
              />
            );
          })}
          {placed.map((p) => (
            <a key={p.hash} href={href.block(p.hash)}>
              <g
                className={`tree-block ${p.active ? 'active' : p.orphan ? 'side orphan' : 'side'}${fresh.has(p.hash) ? ' fresh' : ''}`}
                data-testid={p.active ? 'tree-block' : p.orphan ? 'tree-orphan' : 'tree-side-block'}
              >
                <rect x={x(p.height)} y={y(p.row)} width={BOX_W} height={BOX_H} rx={7} />
                <text x={x(p.height) + 8} y={y(p.row) + 17}>
                  #{p.height}
                  {p.orphan ? ' orphan' : ''}
                </text>
                <text className="tree-hash" x={x(p.height) + 8} y={y(p.row) + 33}>
                  {p.hash.slice(0, 10)}
                </text>
              </g>
            </a>
          ))}
        </svg>
      </div>
    </div>
  );
}
