// Every endpoint group bound to its implementation: the route table the server registers.
import type { ApiContext } from '../context.js';
import { type ApiLimits, DEFAULT_LIMITS } from '../limits.js';
import { rawSourceOf } from '../raw-source.js';
import type { RouteDef } from '../route-table.js';
import { SseClients } from '../sse-clients.js';
import { chainRoutes } from './chain.js';
import { chainExportRoutes } from './chain-export.js';
import { classRoutes } from './class.js';
import { classicRoutes } from './classic.js';
import { feeRoutes } from './fees.js';
import { mempoolRoutes, walletRoutes } from './mempool.js';
import { minerRoutes } from './miner.js';
import { networkRoutes } from './network.js';
import { nodeRoutes } from './node.js';
import { policyRoutes } from './policy.js';
import { rawRoutes } from './raw.js';

/** Every route the API serves, in one table. */
export function routeTable(
  ctx: ApiContext,
  limits: ApiLimits = DEFAULT_LIMITS,
  sse = new SseClients(limits),
): RouteDef[] {
  return [
    ...classicRoutes(ctx),
    ...nodeRoutes(ctx, sse, limits.sseStatusIntervalMs),
    ...chainRoutes(ctx),
    ...rawRoutes(rawSourceOf(ctx)),
    ...mempoolRoutes(ctx),
    ...walletRoutes(ctx),
    ...minerRoutes(ctx),
    ...networkRoutes(ctx.network),
    ...chainExportRoutes(ctx.params, ctx.chain),
    ...feeRoutes(ctx.fees),
    ...policyRoutes(ctx.params.addressPrefix),
    ...classRoutes(ctx),
  ];
}
