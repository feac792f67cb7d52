// The `hashline` command line. Each command's register… function only declares its options; its code
// is imported when it runs, so a command loads only what it uses.
import '../polyfill.js';
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerChainCommands } from './chain-command.js';
import { registerClassroomCommand } from './classroom-command.js';
import { registerDemoCommand } from './demo-command.js';
import { registerDevnetCommand } from './devnet-command.js';
import { registerNodeCommand } from './node-command.js';
import { registerWalletCommands } from './wallet.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('hashline')
    .description('Hashline: a readable, real proof-of-work blockchain node, wallet and explorer')
    .version(VERSION);
  registerNodeCommand(program);
  registerChainCommands(program);
  registerWalletCommands(program);
  registerDemoCommand(program);
  registerDevnetCommand(program);
  registerClassroomCommand(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
