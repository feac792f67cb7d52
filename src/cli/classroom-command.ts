// `hashline classroom`: the teacher's node of a class, its join link and dashboard (README, "Classroom").
// Only the options are declared here; the code is imported when the command runs.
import type { Command } from 'commander';
import type { ClassroomOptions } from './classroom-run.js';
import { collect, intOption } from './options.js';

export function registerClassroomCommand(program: Command): void {
  program
    .command('classroom')
    .description(
      "run a class: the teacher's node on a network of its own, a join link (and QR code) for students' browsers, and the teacher's dashboard",
    )
    .option('--data-dir <dir>', "where the class's keys and chains are kept", 'hashline-class')
    .option(
      '--port <port>',
      'HTTP port: the web app, the join page and the dashboard',
      intOption('--port', 1, 65535),
      5000,
    )
    .option(
      '--p2p-port <port>',
      'libp2p TCP port (default HTTP port + 10000)',
      intOption('--p2p-port', 1, 65535),
    )
    .option(
      '--ws-port <port>',
      "libp2p over WebSockets, where students' browsers connect (default HTTP port + 2)",
      intOption('--ws-port', 1, 65535),
    )
    .option(
      '--host <host>',
      'interface to listen on; every one by default, so that students reach it',
      '0.0.0.0',
    )
    .option(
      '--public-host <host>',
      "the address the join link names (default: this machine's first LAN IPv4 address)",
    )
    .option(
      '--network-id <id>',
      'the class network id (default: the one kept in the data dir, else class-<8 random hex>)',
    )
    .option(
      '--interval <seconds>',
      'each member mines at most one block per this many seconds (0: continuously)',
      intOption('--interval', 0, 3600),
      10,
    )
    .option(
      '--local-subnet <cidr>',
      "a subnet whose addresses are many hosts (students reaching the teacher through one NAT): the teacher's connection limits, points and bans go by peer id there (repeatable)",
      collect,
      [],
    )
    .option('--name <name>', "the teacher's name in the class", 'teacher')
    .option('--log-level <level>', "the node's log: trace, debug, info, warn or error", 'warn')
    .action(async (o: ClassroomOptions) => {
      const { runClassroom } = await import('./classroom-run.js');
      await runClassroom(o);
    });
}
