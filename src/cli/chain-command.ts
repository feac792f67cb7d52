// `hashline chain …`. Only the options are declared here; the code is imported when a command runs.
import type { Command } from 'commander';

export function registerChainCommands(program: Command): void {
  const chain = program.command('chain').description('inspect and check a stored chain');
  chain
    .command('verify')
    .description('re-validate every stored block from genesis; exits non-zero at the first bad block')
    .option('--data-dir <dir>', "the node's data directory", 'hashline-data/main')
    .action(async (o: { dataDir: string }) => {
      const { runChainVerify } = await import('./chain-verify.js');
      await runChainVerify(o.dataDir);
    });
}
