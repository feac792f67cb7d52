// Every endpoint group. The server serves them (src/api/impl) and the typed client (src/api/client.ts)
// calls them by name: names are unique across groups (test/unit/api/definitions.test.ts checks it).
import { chain } from './chain.js';
import { chainExport } from './chain-export.js';
import { classroom } from './class.js';
import { classic } from './classic.js';
import { fees } from './fees.js';
import { mempool } from './mempool.js';
import { miner } from './miner.js';
import { network } from './network.js';
import { node } from './node.js';
import { policy } from './policy.js';
import { raw } from './raw.js';
import { wallet } from './wallet.js';

export * from './endpoint.js';
export { chain, chainExport, classic, classroom, fees, mempool, miner, network, node, policy, raw, wallet };

/** The groups by name. A new group is added here. */
export const groups = {
  classic,
  node,
  chain,
  raw,
  mempool,
  wallet,
  miner,
  network,
  chainExport,
  fees,
  policy,
  classroom,
};

/** Every endpoint by its (client) name. */
export const endpoints = {
  ...classic,
  ...node,
  ...chain,
  ...raw,
  ...mempool,
  ...wallet,
  ...miner,
  ...network,
  ...chainExport,
  ...fees,
  ...policy,
  ...classroom,
};

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
