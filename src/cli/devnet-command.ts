// `hashline devnet`: a local network in one command, for classrooms and demos. Only the options are
// declared here; the code is imported when the command runs.
import type { Command } from 'commander';
import type { DevnetOptions } from './devnet.js';
import { intOption } from './options.js';

export function registerDevnetCommand(program: Command): void {
  program
    .command('devnet')
    .description(
      'start N nodes on this machine, each with its own data directory and consecutive ports, joined only ' +
        'through peer discovery from the first one; Ctrl-C stops them all',
    )
    .option('--nodes <n>', 'how many nodes', intOption('--nodes', 1, 32), 3)
    .option('--network <name>', 'dev or regtest', 'dev')
    .option('--network-id <name>', "with dev: the nodes' own network (see hashline node --network-id)")
    .option(
      '--port <port>',
      'HTTP port of the first node; the others follow',
      intOption('--port', 1, 65000),
      5000,
    )
    .option('--dir <dir>', 'folder holding node1, node2, … (kept between runs)', './hashline-devnet')
    .option('--mine', 'every node mines (one thread each)', false)
    .option(
      '--activity <rate>',
      'every node makes RATE random payments per minute between its own wallets',
      intOption('--activity', 1, 600),
    )
    .option(
      '--mine-interval <seconds>',
      'the first node mines one block every SECONDS',
      intOption('--mine-interval', 1, 86_400),
    )
    .option('--log-level <level>', "the nodes' log level", 'warn')
    .action(async (o: DevnetOptions) => {
      const { runDevnet } = await import('./devnet.js');
      await runDevnet(o);
    });
}
