// The package's node API (`import … from 'hashline/node'`): run a full node inside your own process.
import '../polyfill.js';
import type { NodeConfig } from './config.js';

/** Everything a node is configured with; `nodeConfig` fills in the defaults. */
export type { NodeConfig } from './config.js';
/** A full node: store, chain, mempool, miner, libp2p network and HTTP API. `start`, `url()`, `stop()`. */
export { HashlineNode } from './node.js';

/**
 * A node configuration with defaults for running inside a program: regtest, HTTP and libp2p on
 * 127.0.0.1 with ports the system picks, no mining loop, one mining thread, no logs, no web app.
 */
export function nodeConfig(options: Partial<NodeConfig> & { readonly dataDir: string }): NodeConfig {
  return {
    network: 'regtest',
    host: '127.0.0.1',
    port: 0,
    p2pPort: 0,
    p2pHost: '127.0.0.1',
    peers: [],
    mine: false,
    threads: 1,
    logLevel: 'silent',
    prettyLogs: false,
    minFeeRate: 1,
    banSeconds: 3600,
    web: false,
    ...options,
  };
}
