// The config of a node started inside the test process (HashlineNode.start): regtest, any free ports,
// loopback, quiet, no web app.
import type { NodeConfig } from '../../src/node/config.js';

export const inProcessNodeConfig = (dataDir: string, overrides: Partial<NodeConfig> = {}): NodeConfig => ({
  network: 'regtest',
  dataDir,
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
  banSeconds: 60,
  web: false,
  ...overrides,
});
