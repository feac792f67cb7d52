// The merged block tree: heights across, branches down. Each block says who mined it and whose tip it
// is; the teacher's active chain is the first row, so a fork shows as a second row the moment it happens.
import { useEffect, useRef } from 'react';
import { Empty } from '../ui.js';
import type { ClassTreeBlock } from './types.js';

const COL = 112;
const ROW = 74;
const BOX_W = 96;
const BOX_H = 50;

interface Placed extends ClassTreeBlock {
  readonly col: number;
  readonly row: number;
}

/** Rows: the main chain first; a block continues its parent's row unless a sibling took it. */
export function layoutTree(blocks: readonly ClassTreeBlock[]): {
  placed: Placed[];
  rows: number;
  cols: number;
} {
  if (blocks.length === 0) return { placed: [], rows: 0, cols: 0 };
  const low = Math.min(...blocks.map((b) => b.height));
  const high = Math.max(...blocks.map((b) => b.height));
  const ordered = [...blocks].sort(
    (a, b) => a.height - b.height || Number(b.main) - Number(a.main) || a.hash.localeCompare(b.hash),
  );
  const rowOf = new Map<string, number>();
  const continued = new Set<string>();
  let rows = 1;
  const placed: Placed[] = [];
  for (const b of ordered) {
    const parentRow = rowOf.get(b.prev);
    let row: number;
    if (b.main) row = 0;
    else if (parentRow !== undefined && !continued.has(b.prev) && parentRow !== 0) row = parentRow;
    else row = rows++;
    if (parentRow !== undefined) continued.add(b.prev);
    rowOf.set(b.hash, row);
    placed.push({ ...b, col: b.height - low, row });
  }
  return { placed, rows, cols: high - low + 1 };
}

export function ClassTree({ blocks }: { blocks: readonly ClassTreeBlock[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const { placed, rows, cols } = layoutTree(blocks);
  const top = placed.reduce((h, b) => Math.max(h, b.height), 0);
  // The newest heights are what the class watches: keep them in view as the tree grows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when a new height appears.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [top]);
  if (placed.length === 0) return <Empty>No blocks yet.</Empty>;
  const at = new Map(placed.map((b) => [b.hash, b]));
  const width = cols * COL + 16;
  const height = rows * ROW + 16;
  return (
    <div className="class-tree" ref={scroller} data-testid="class-tree">
      <svg width={width} height={height} role="img" aria-label={`block tree, ${placed.length} blocks`}>
        {placed.map((b) => {
          const p = at.get(b.prev);
          if (!p) return null;
          return (
            <line
              key={`l-${b.hash}`}
              x1={8 + p.col * COL + BOX_W}
              y1={8 + p.row * ROW + BOX_H / 2}
              x2={8 + b.col * COL}
              y2={8 + b.row * ROW + BOX_H / 2}
              className="class-tree-edge"
            />
          );
        })}
        {placed.map((b) => (
          <g
            key={b.hash}
            transform={`translate(${8 + b.col * COL},${8 + b.row * ROW})`}
            data-testid="class-tree-block"
          >
            <title>{`#${b.height} ${b.hash}${b.minedBy ? ` mined by ${b.minedBy}` : ''}`}</title>
            <rect
              width={BOX_W}
              height={BOX_H}
              rx={6}
              className={b.main ? 'class-tree-box main' : 'class-tree-box'}
            />
            <text x={6} y={16} className="class-tree-height">
              #{b.height} {b.hash.slice(0, 6)}
            </text>
            <text x={6} y={32} className="class-tree-miner">
              {b.minedBy ?? (b.height === 0 ? 'genesis' : 'miner unknown')}
            </text>
            {b.tipOf.length > 0 && (
              <text x={6} y={46} className="class-tree-tips">
                ◀{' '}
                {b.tipOf.length > 2
                  ? `${b.tipOf.slice(0, 2).join(', ')} +${b.tipOf.length - 2}`
                  : b.tipOf.join(', ')}
              </text>
            )}
          </g>
        ))}
      </svg>
    </div>
  );
}
