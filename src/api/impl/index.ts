// Every endpoint group bound to its implementation: the route table the server registers.
import type { ApiContext } from '../context.js';
import type { RouteDef } from '../route-table.js';
import { chainRoutes } from './chain.js';
import { classicRoutes } from './classic.js';
import { mempoolRoutes, walletRoutes } from './mempool.js';
import { minerRoutes } from './miner.js';
import { networkRoutes } from './network.js';
import { nodeRoutes } from './node.js';

/** Every route the API serves, in one table. */
export function routeTable(ctx: ApiContext): RouteDef[] {
  return [
    ...classicRoutes(ctx),
    ...nodeRoutes(ctx),
    ...chainRoutes(ctx),
    ...mempoolRoutes(ctx),
    ...walletRoutes(ctx),
    ...minerRoutes(ctx),
    ...networkRoutes(ctx.network),
  ];
}
