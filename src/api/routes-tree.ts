// GET /api/v1/chain/tree: the node's real block tree near the tip, for the learn page's forks step and
// anyone curious about side branches (as Bitcoin Core's getchaintips, with the blocks themselves).
import { Type } from '@sinclair/typebox';
import { toHex } from '../core/bytes.js';
import type { ApiContext } from './context.js';
import { parseLimit, parseOffset } from './parse.js';
import { capTree, TREE_DEPTH_MAX } from './read-bounds.js';
import { type RouteDef, route } from './route-table.js';
import { ChainTreeSchema } from './schemas/index.js';

export function treeRoutes(ctx: ApiContext): RouteDef[] {
  const { chain } = ctx;
  return [
    route<{ Querystring: { from?: string; depth?: string } }>({
      method: 'GET',
      url: '/api/v1/chain/tree',
      access: 'public',
      schema: {
        tags: ['chain'],
        summary:
          'Known blocks from a height up (default the last 20), side branches and orphans included; at most 8 per height and 500 in all',
        querystring: Type.Object({
          from: Type.Optional(Type.String({ maxLength: 12 })),
          depth: Type.Optional(Type.String({ maxLength: 4 })),
        }),
        response: { 200: ChainTreeSchema },
      },
      handler: async (req) => {
        const depth = parseLimit(req.query.depth, 20, TREE_DEPTH_MAX, 'depth');
        const from = parseOffset(req.query.from, 'from') ?? Math.max(0, chain.height - depth + 1);
        const sorted = chain
          .entriesFrom(from, from + depth - 1)
          .map((e) => ({
            hash: e.hashHex,
            height: e.height,
            previousHash: toHex(e.header.prevHash),
            bits: e.header.bits.toString(16).padStart(8, '0'),
            chainWork: e.chainWork.toString(),
            status: e.status,
            active: chain.isActive(e),
          }))
          .sort(
            (a, b) =>
              a.height - b.height || Number(b.active) - Number(a.active) || a.hash.localeCompare(b.hash),
          );
        // At most a few blocks per height and a few hundred in all, the active one first (read-bounds.ts).
        const { kept: blocks, omitted } = capTree(sorted);
        const orphans = chain.orphanBlocks().map(({ hash, height, previousHash }) => ({
          hash,
          height,
          previousHash,
        }));
        return { tip: chain.tip.hashHex, from, blocks, omitted, orphans };
      },
    }),
  ];
}
