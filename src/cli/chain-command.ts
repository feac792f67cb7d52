// `hashline chain …`. Only the options are declared here; the code is imported when a command runs.
import type { Command } from 'commander';
import { intOption } from './options.js';

const DEFAULT_NODE = 'http://127.0.0.1:5000';
const NODE_HELP = "the node's HTTP address";
const TOKEN_HELP =
  "the node's <data-dir>/.cookie: operator routes need it when the node listens beyond loopback";
const MAX_HEIGHT = 0xffff_ffff;
const MAX_PACE = 3600;

/** --pace: seconds between blocks, a decimal number from 0 to 3600. */
function paceOption(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > MAX_PACE)
    throw new Error(`--pace must be a number of seconds from 0 to ${MAX_PACE}`);
  return n;
}

export function registerChainCommands(program: Command): void {
  const chain = program.command('chain').description('inspect, check, export and import a chain');
  chain
    .command('verify')
    .description('re-validate every stored block from genesis; exits non-zero at the first bad block')
    .option('--data-dir <dir>', "the node's data directory", 'hashline-data/main')
    .action(async (o: { dataDir: string }) => {
      const { runChainVerify } = await import('./chain-verify.js');
      await runChainVerify(o.dataDir);
    });
  chain
    .command('export')
    .description(
      'save a running node\'s active chain to FILE, a checksummed chain file (docs/protocol.md, "Chain files"); ' +
        'the download is checked as it arrives and FILE appears only once it is complete',
    )
    .argument('<file>', 'where to write the chain file')
    .option('--from <height>', 'first block (default 0, genesis)', intOption('--from', 0, MAX_HEIGHT))
    .option('--to <height>', 'last block (default the tip)', intOption('--to', 0, MAX_HEIGHT))
    .option('--node <url>', NODE_HELP, DEFAULT_NODE)
    .option('--token-file <path>', TOKEN_HELP)
    .action(async (file: string, o: { from?: number; to?: number; node: string; tokenFile?: string }) => {
      const { runChainExport } = await import('./chain-export.js');
      await runChainExport(file, o);
    });
  chain
    .command('import')
    .description(
      "replay a chain file into a running node: the whole file is checked first (format, checksum, the node's network) " +
        'and refused with nothing imported if anything is wrong; then every block the node lacks is submitted to it ' +
        'and validated there. Blocks the node has are skipped, so an interrupted import completes when run again',
    )
    .argument('<file>', 'a chain file written by `hashline chain export`')
    .option(
      '--pace <seconds>',
      'wait this long after each block, so a class watching the explorer sees the chain grow',
      paceOption,
      0,
    )
    .option('--node <url>', NODE_HELP, DEFAULT_NODE)
    .option('--token-file <path>', TOKEN_HELP)
    .action(async (file: string, o: { pace: number; node: string; tokenFile?: string }) => {
      const [{ runChainImport }, { NodeHttp }] = await Promise.all([
        import('./chain-import.js'),
        import('./node-http.js'),
      ]);
      await runChainImport(file, await NodeHttp.open(o.node, o.tokenFile), { pace: o.pace });
    });
}
