// The fee endpoints (definitions/fees.ts) over FeeReader.
import type { FeeReader } from '../context.js';
import { fees as defs } from '../definitions/fees.js';
import type { RouteDef } from '../route-table.js';
import { bind } from './bind.js';

/** Fee rates in the JSON: 3 decimals are plenty (base units per byte). */
const rounded = (rate: number) => (Number.isFinite(rate) ? Math.round(rate * 1000) / 1000 : 0);

export function feeRoutes(fees: FeeReader): RouteDef[] {
  return [
    bind(defs.getFees, async () => {
      const r = await fees.report();
      const rateFor = (blocks: number) => r.targets.find((t) => t.blocks === blocks)?.feeRate ?? r.floor;
      return {
        nextBlock: rateFor(1),
        within3Blocks: rateFor(3),
        within6Blocks: rateFor(6),
        minFeeRate: r.minFeeRate,
        targets: r.targets.map((t) => ({ ...t })),
        history: { blocks: r.historyBlocks, fullBlocks: r.fullBlocks },
        mempool: r.mempool,
        projected: r.projected.map((b) => ({
          count: b.count,
          bytes: b.bytes,
          fees: b.fees.toString(),
          minFeeRate: rounded(b.minFeeRate),
          maxFeeRate: rounded(b.maxFeeRate),
          full: b.full,
        })),
        height: r.height,
        tip: r.tip,
      };
    }),
  ];
}
