// `hashline node`: runs a node until SIGINT/SIGTERM.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { getNetwork, type NetworkName } from '../core/params.js';
import { defaultP2pPort, type NodeConfig } from '../node/config.js';
import { HashlineNode } from '../node/node.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function intOption(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function registerNodeCommand(program: Command): void {
  program
    .command('node')
    .description('run a node: chain, mempool, miner, peer-to-peer network, HTTP API and web app')
    .option('--network <name>', 'main, dev or regtest', 'main')
    .option('--port <port>', 'HTTP port', intOption('--port', 0, 65535), 5000)
    .option(
      '--host <host>',
      'HTTP interface (state-changing routes need a token beyond 127.0.0.1)',
      '127.0.0.1',
    )
    .option(
      '--data-dir <dir>',
      'where the chain, mempool and keys are kept (default ./hashline-data/<network>)',
    )
    .option(
      '--p2p-port <port>',
      'libp2p TCP port (default HTTP port + 10000; 0 = any free port)',
      intOption('--p2p-port', 0, 65535),
    )
    .option('--p2p-host <host>', 'libp2p interface', '127.0.0.1')
    .option('--peer <address>', 'peer to connect to: multiaddr or http URL (repeatable)', collect, [])
    .option('--mine', 'mine continuously', false)
    .option('--threads <n>', 'mining threads (default: one per core)', intOption('--threads', 1, 256))
    .option('--miner-address <address>', "address the coinbase pays to (default: the node wallet's)")
    .option(
      '--min-fee-rate <units>',
      'minimum relay fee rate, base units per byte',
      intOption('--min-fee-rate', 0, 1_000_000),
      1,
    )
    .option(
      '--ban-seconds <s>',
      'how long a misbehaving peer stays banned',
      intOption('--ban-seconds', 1, 10_000_000),
      3600,
    )
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .option('--no-web', 'do not serve the web app')
    .action(async (o) => {
      const params = getNetwork(o.network);
      const config: NodeConfig = {
        network: params.name as NetworkName,
        dataDir: resolve(o.dataDir ?? `hashline-data/${params.name}`),
        host: o.host,
        port: o.port,
        p2pPort: o.p2pPort ?? defaultP2pPort(o.port),
        p2pHost: o.p2pHost,
        peers: o.peer,
        mine: o.mine,
        threads: o.threads ?? 0,
        minerAddress: o.minerAddress,
        logLevel: o.logLevel,
        prettyLogs: Boolean(process.stdout.isTTY),
        minFeeRate: o.minFeeRate,
        banSeconds: o.banSeconds,
        web: o.web,
      };
      let node: HashlineNode;
      try {
        node = await HashlineNode.start(config);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE') {
          throw new Error(
            `${err.message}: another program (another node?) uses that port; choose one with --port or --p2p-port`,
          );
        }
        throw e;
      }
      const url = node.url();
      node.log.info(
        {
          dashboard: `${url}/`,
          api: `${url}/api/v1/status`,
          docs: `${url}/docs`,
          p2p: node.p2p.addrs(),
          dataDir: config.dataDir,
        },
        `Hashline ${params.name} node ready: dashboard ${url}/  API docs ${url}/docs`,
      );
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        node.log.info(`${signal} received, shutting down`);
        await node.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
