// `hashline wallet …`: an HD wallet in a password-protected file, talking to a node's REST API.
//
//   wallet create   [--words 12|24]           new mnemonic, printed once
//   wallet import   [--mnemonic-file <path>]  restore from a mnemonic (or $HASHLINE_WALLET_MNEMONIC)
//   wallet address  [--new] [--index <n>] [--change] [--list]
//   wallet balance  [--addresses]
//   wallet send <address> <amount> [--fee-rate <units/byte>|fast|normal|slow] [--data <text>] [--data-hex <hex>] [--dry-run]
//   wallet bump <txid> [--fee-rate <units/byte>|fast|normal|slow] [--dry-run]
//   wallet history  [--limit <n>]
//   wallet list
//   wallet pubkey, wallet policy address|list, wallet lock, wallet psbt create|sign|combine|show|finalize|send
//                                             (see wallet-policy-command.ts)
// Every subcommand takes --node <url>, --network <name>, --wallet <name>, --wallet-dir <dir>,
// --password-file <path> and --json.
//
// <amount> is in coins with up to 8 decimals ("1.5", "0.00000001"), parsed exactly (no floats).
// The password comes from --password-file (first line), else $HASHLINE_WALLET_PASSWORD, else a prompt
// without echo when stdin is a terminal.
//
// This module only declares the commands; their code is imported when one runs, so that e.g.
// `wallet list` does not load the rest of the program.
import type { Command } from 'commander';
import { DEFAULT_NODE_URL } from '../wallet/client.js';
import type { WalletAction } from './wallet-actions.js';
import { registerWalletPolicyCommands } from './wallet-policy-command.js';

/** Where the commands read and write; tests replace it. */
export interface WalletCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  readonly stdin: NodeJS.ReadStream;
  /** scrypt work factor for new wallets (tests lower it); default 2^15. */
  readonly scryptN?: number;
}

export function registerWalletCommands(program: Command, ioOverrides: Partial<WalletCliIo> = {}): void {
  const io: WalletCliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdin: process.stdin,
    ...ioOverrides,
  };

  const wallet = program
    .command('wallet')
    .description('an HD wallet (BIP39 mnemonic, SLIP-0010 Ed25519 keys) that talks to a node');

  const common = (cmd: Command): Command =>
    cmd
      .option('--node <url>', 'the node REST API', io.env.HASHLINE_NODE ?? DEFAULT_NODE_URL)
      .option('--network <name>', "main, dev or regtest (default: the wallet's; for a new one the node's)")
      .option('--wallet <name>', 'wallet name', 'default')
      .option(
        '--wallet-dir <dir>',
        'wallet files directory (default $HASHLINE_WALLET_DIR or ~/.hashline/wallets)',
      )
      .option('--password-file <path>', 'read the password from the first line of a file')
      .option('--json', 'machine-readable output');
  const sub = (name: string, description: string): Command =>
    common(wallet.command(name).description(description));

  const action =
    (name: WalletAction) =>
    async (...received: unknown[]): Promise<void> => {
      const { runWalletAction } = await import('./wallet-actions.js');
      await runWalletAction(name, received, io);
    };

  sub('create', 'create a wallet with a new mnemonic (printed once: write it down)')
    .option('--words <n>', 'mnemonic length, 12 or 24', '12')
    .action(action('create'));

  sub(
    'import',
    'restore a wallet from its mnemonic (from --mnemonic-file, $HASHLINE_WALLET_MNEMONIC or a prompt)',
  )
    .option('--mnemonic-file <path>', 'read the mnemonic from a file')
    .action(action('import'));

  sub('address', 'show the current receive address')
    .option('--new', 'move on to a fresh receive address')
    .option('--index <n>', 'the address at this index')
    .option('--change', 'use the change chain instead of the receive chain')
    .option('--list', 'list the addresses handed out so far')
    .action(action('address'));

  sub('balance', "scan the wallet's addresses on the node and show the balance")
    .option('--addresses', 'show every used address')
    .action(action('balance'));

  sub('send', 'send <amount> coins (up to 8 decimals, e.g. 1.5) to <address>')
    .argument('<address>', 'recipient address')
    .argument('<amount>', 'amount in coins, e.g. 1.5 or 0.00000001')
    .option(
      '--fee-rate <n|fast|normal|slow>',
      "base units per byte, or the node's estimate for 1 (fast), 3 (normal) or 6 (slow) blocks",
      'normal',
    )
    .option('--data <text>', 'attach a text record (UTF-8, at most 1024 bytes)')
    .option('--data-hex <hex>', 'attach a binary record given in hex')
    .option('--dry-run', 'build and sign but do not send; print the transaction hex')
    .action(action('send'));

  sub('bump', 'replace a pending payment of this wallet with one paying a higher fee (replace-by-fee)')
    .argument('<txid>', 'the pending transaction')
    .option(
      '--fee-rate <n|fast|normal|slow>',
      "the new rate: base units per byte, or the node's estimate for 1, 3 or 6 blocks (raised as the replacement rules need)",
      'fast',
    )
    .option('--dry-run', 'build and sign but do not send; print the transaction hex')
    .action(action('bump'));

  sub('history', "the wallet's transactions, newest first")
    .option('--limit <n>', 'how many to show', '50')
    .action(action('history'));

  sub('list', 'list the wallets in the wallet directory').action(action('list'));

  registerWalletPolicyCommands(wallet, common, io);
}
