// The config of a node started inside the test process (HashlineNode.start): the package's own
// defaults for that (regtest, any free ports, loopback, quiet, no web app), with bans kept short.
import type { NodeConfig } from '../../src/node/config.js';
import { nodeConfig } from '../../src/node/index.js';

export const inProcessNodeConfig = (dataDir: string, overrides: Partial<NodeConfig> = {}): NodeConfig =>
  nodeConfig({ dataDir, banSeconds: 60, ...overrides });
