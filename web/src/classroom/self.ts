// The browser node seen by the class member: what the student reports (ClassSelf) and what the teacher's
// state may do to it (ClassControls). Nothing else of the node is reachable from a class message.

import type { ChainEntry } from '../../../src/chain/entry.js';
import type { ClassControls, ClassSelf, ReportedBlock } from '../../../src/classroom/types.js';
import { toHex } from '../../../src/core/bytes.js';
import type { BrowserNode } from '../node/types.js';
import type { ClassWalletKey } from './payment.js';

/** Most blocks `recent` walks back, whatever it is asked (a report lists CLASS_REPORT_BLOCKS). */
export const MAX_RECENT_BLOCKS = 64;

/** The node's active chain from `tip` back, at most `count` blocks, tip first. */
export function recentBlocks(tip: ChainEntry, count: number): ReportedBlock[] {
  const blocks: ReportedBlock[] = [];
  const limit = Math.max(0, Math.min(count, MAX_RECENT_BLOCKS));
  for (let e: ChainEntry | undefined = tip; e && blocks.length < limit; e = e.parent) {
    blocks.push({ hash: e.hashHex, prev: toHex(e.header.prevHash), height: e.height });
  }
  return blocks;
}

export type SelfNode = Pick<BrowserNode, 'status' | 'blocksFoundBy'> & {
  readonly chain: { readonly tip: ChainEntry };
};

/** The student's browser node as a class member reports it. `name` is read on every report. */
export function browserClassSelf(node: SelfNode, key: ClassWalletKey, name: () => string): ClassSelf {
  return {
    kind: 'browser',
    name,
    address: () => key.address,
    height: () => node.status().height,
    tip: () => node.status().tip,
    hashRate: () => node.status().hashRate,
    mining: () => node.status().mining,
    blocksFound: () => node.blocksFoundBy(key.hash),
    recent: (count) => recentBlocks(node.chain.tip, count),
  };
}

export type ControlledNode = Pick<BrowserNode, 'startMining' | 'stopMining'>;

/**
 * What the teacher's state drives: mining to the student's address (continuously, or one block per
 * interval), and moving to a new class network (`onReset`, which the page turns into a restart).
 */
export function browserClassControls(
  node: ControlledNode,
  key: ClassWalletKey,
  onReset: (networkId: string) => void,
): ClassControls {
  return {
    setMining(on, intervalSeconds) {
      if (on) node.startMining(key.hash, Math.max(0, intervalSeconds));
      else node.stopMining();
    },
    resetTo: onReset,
  };
}
