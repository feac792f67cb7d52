// Every endpoint group. The server serves them (src/api/impl) and the typed client (src/api/client.ts)
// calls them by name: names are unique across groups (test/unit/api/definitions.test.ts checks it).
import { chain } from './chain.js';
import { classic } from './classic.js';
import { mempool } from './mempool.js';
import { miner } from './miner.js';
import { network } from './network.js';
import { node } from './node.js';
import { wallet } from './wallet.js';

export * from './endpoint.js';
export { chain, classic, mempool, miner, network, node, wallet };

/** The groups by name. A new group is added here. */
export const groups = { classic, node, chain, mempool, wallet, miner, network };

/** Every endpoint by its (client) name. */
export const endpoints = { ...classic, ...node, ...chain, ...mempool, ...wallet, ...miner, ...network };

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
