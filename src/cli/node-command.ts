// `hashline node`: runs a node until SIGINT/SIGTERM.
// Only the options are declared here; the node's code is imported when the command runs.
import { type Command, Option } from 'commander';
import type { NodeCommandOptions } from './node-run.js';
import { collect, intOption } from './options.js';

export function registerNodeCommand(program: Command): void {
  program
    .command('node')
    .description('run a node: chain, mempool, miner, peer-to-peer network, HTTP API and web app')
    .option('--network <name>', 'main, dev or regtest', 'main')
    .option(
      '--network-id <name>',
      "with --network dev: a network of dev's rules with its own genesis and peers, e.g. a class's (1-24 of a-z, 0-9, -)",
    )
    .option('--port <port>', 'HTTP port', intOption('--port', 0, 65535), 5000)
    .option(
      '--host <host>',
      'HTTP interface (operator routes need the token in <data-dir>/.cookie beyond loopback)',
      '127.0.0.1',
    )
    .option(
      '--allow-host <name>',
      'a name the Host header may carry besides loopback and the bound address (repeatable)',
      collect,
      [],
    )
    .option(
      '--cors-origin <origin>',
      'a web origin allowed to call operator routes cross-origin, with the token (repeatable)',
      collect,
      [],
    )
    .option(
      '--require-token',
      'operator routes (reads and writes) need the token in <data-dir>/.cookie whatever the bind address: use it behind a reverse proxy',
      false,
    )
    .option(
      '--trust-proxy <address>',
      'a proxy (IP address or CIDR) whose X-Forwarded-For names the client, for the rate limit and the loopback checks (repeatable)',
      collect,
      [],
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
    .option(
      '--p2p-host <host>',
      'libp2p interface (0.0.0.0 for every interface, to reach other hosts)',
      '127.0.0.1',
    )
    .option(
      '--ws-port <port>',
      'also listen for libp2p over WebSockets on this port of --p2p-host (browser nodes connect there) and relay for browser nodes; off by default (0 = any free port)',
      intOption('--ws-port', 0, 65535),
    )
    .option(
      '--max-connections <n>',
      'libp2p connections at most, inbound and outbound; an outbound reserve of --min-peers, at least 8 and at most half, is kept for the peers the node dials',
      intOption('--max-connections', 16, 256),
      32,
    )
    .option(
      '--announce <multiaddr>',
      'libp2p address to tell peers instead of the listening one, e.g. /ip4/203.0.113.7/tcp/15000 behind NAT (repeatable)',
      collect,
      [],
    )
    .option('--mdns', 'find nodes on the local network by multicast DNS', false)
    .option(
      '--min-peers <n>',
      'outbound peers to keep by dialling those discovery finds (inbound ones do not count); 0 dials only the --peer ones',
      intOption('--min-peers', 0, 32),
      4,
    )
    .option('--peer <address>', 'peer to connect to: multiaddr or http URL (repeatable)', collect, [])
    .option(
      '--local-subnet <cidr>',
      'a subnet (e.g. 192.168.1.0/24, a classroom behind one NAT) whose addresses are many hosts, as loopback is: connection limits, points and bans go by peer id there (elsewhere by IP), and its addresses are dialled (repeatable)',
      collect,
      [],
    )
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
      '--coins-cache <MiB>',
      'memory for the cache of unspent coins, MiB (default 32); more makes a long sync or import faster',
      intOption('--coins-cache', 4, 65_536),
    )
    .option(
      '--ban-seconds <s>',
      'how long a misbehaving peer stays banned',
      intOption('--ban-seconds', 1, 10_000_000),
      3600,
    )
    .option(
      '--mine-interval <seconds>',
      'mine one block every SECONDS on any network (a tick while a block is still being searched for is skipped)',
      intOption('--mine-interval', 1, 86_400),
    )
    .option(
      '--activity <rate>',
      "make RATE random payments per minute at random fee rates between the node's own wallets (a test network's traffic)",
      intOption('--activity', 1, 600),
    )
    .option(
      '--class-key <hex>',
      "join a class: obey the states signed by this teacher's key (64 hex), with --network dev --network-id <class id>",
    )
    .option('--name <name>', 'your name in the class (1-24 of letters, digits, space, -, _, .)')
    // The teacher's node (tests; `hashline classroom` runs it for a teacher): signs the class states.
    .addOption(new Option('--class-teacher-key-file <path>').hideHelp())
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .option('--no-web', 'do not serve the web app')
    .action(async (o: NodeCommandOptions) => {
      const { runNode } = await import('./node-run.js');
      await runNode(o);
    });
}
