// The policy wallet commands (declarations only; their code loads when one runs):
//
//   wallet pubkey                                 this wallet's public key, to share with co-signers
//   wallet policy address <text> [--watch]        a policy's address, hash and keys; --watch keeps it in the wallet
//   wallet policy list                            the watched policies and their balances
//   wallet lock --until <height> --amount <coins> [--fee-rate …]
//                                                 pays to and(pk(me),after(height)) and watches it
//   wallet psbt create --from <policy text|address> --to <address> --amount <coins>
//                      [--fee-rate …] [--lock-time <n>] [--sequence <n>] [--change <address>]
//   wallet psbt sign <psbt> [--preimage <hex>] [--qr]  adds this wallet's signatures (and a hashlock's secret)
//   wallet psbt combine <psbt> <psbt>…            merges copies signed by different wallets
//   wallet psbt show <psbt>                       who signed, what is missing
//   wallet psbt finalize <psbt>                   prints the signed transaction's hex
//   wallet psbt send <psbt>                       finalizes and submits it; prints the txid
//
// A policy text may say `me` for this wallet's key. <psbt> is the text (hlpsbt:…) or a file holding it.
// `wallet send <policy address> <amount>` pays to any policy address (e.g. an HTLC's).
import type { Command } from 'commander';
import type { WalletCliIo } from './wallet.js';
import type { Options } from './wallet-actions.js';
import type { LockOptions } from './wallet-policy.js';
import type { PsbtCreateOptions } from './wallet-psbt.js';

type Fn = (opts: Options, args: string[], io: WalletCliIo) => Promise<void>;

export function registerWalletPolicyCommands(
  wallet: Command,
  common: (cmd: Command) => Command,
  io: WalletCliIo,
): void {
  const run =
    (fn: Fn) =>
    async (...received: unknown[]): Promise<void> => {
      const { runWalletFunction } = await import('./wallet-actions.js');
      await runWalletFunction(fn, received, io);
    };
  const policy = () => import('./wallet-policy.js');
  const psbt = () => import('./wallet-psbt.js');
  const feeRate = (cmd: Command): Command =>
    cmd.option(
      '--fee-rate <n|fast|normal|slow>',
      "base units per byte, or the node's estimate for 1 (fast), 3 (normal) or 6 (slow) blocks",
      'normal',
    );
  const at = (parent: Command, name: string, description: string): Command =>
    common(parent.command(name).description(description));
  const psbtArg = (cmd: Command): Command =>
    cmd.argument('<psbt>', 'a partially signed transaction: its text (hlpsbt:…) or a file holding it');

  at(wallet, 'pubkey', "this wallet's public key (its first receive key), to share with co-signers").action(
    run(async (opts, _args, io) => (await policy()).pubkeyCommand(opts, io)),
  );

  const policies = wallet.command('policy').description('addresses locked to spending policies');
  at(policies, 'address', "a policy's address, hash and keys")
    .argument('<text>', "the policy, e.g. multi(2,<key>,<key>,<key>); `me` stands for this wallet's key")
    .option('--watch', 'remember it in this wallet (for `psbt create --from <address>` and `policy list`)')
    .action(run(async (opts, [text], io) => (await policy()).policyAddressCommand(text!, opts, io)));
  at(policies, 'list', 'the watched policies and their balances').action(
    run(async (opts, _args, io) => (await policy()).policyListCommand(opts, io)),
  );

  feeRate(
    at(wallet, 'lock', 'lock coins until a block height: pays to and(pk(me),after(<height>)) and watches it'),
  )
    .requiredOption('--until <height>', 'the first block height at which the coins can be spent')
    .requiredOption('--amount <coins>', 'amount in coins, e.g. 1.5')
    .action(run(async (opts, _args, io) => (await policy()).lockCommand(opts as unknown as LockOptions, io)));

  const p = wallet
    .command('psbt')
    .description('partially signed transactions: multisig, timelocks, hashlocks');
  feeRate(at(p, 'create', "spend a policy address's coins: an unsigned transaction for the co-signers"))
    .requiredOption('--from <policy>', 'the policy text, or the address of a watched policy')
    .requiredOption('--to <address>', 'recipient address')
    .requiredOption('--amount <coins>', 'amount in coins, e.g. 1.5')
    .option(
      '--lock-time <n>',
      "the lock time (a height, for after(n) policies; default the next block's height when the policy has an after(n), else 0)",
    )
    .option('--sequence <n>', "every input's sequence (a relative lock in blocks, for older(n) policies)")
    .option('--change <address>', 'where change goes (default: back to the policy address)')
    .action(
      run(async (opts, _args, io) =>
        (await psbt()).psbtCreateCommand(opts as unknown as PsbtCreateOptions, io),
      ),
    );
  psbtArg(at(p, 'sign', "add this wallet's signatures"))
    .option('--preimage <hex>', 'also add the 32-byte secret of a sha256(<hash>) in the policy (a hashlock)')
    .option('--qr', 'also print it as a QR code')
    .action(run(async (opts, [arg], io) => (await psbt()).psbtSignCommand(arg!, opts, io)));
  at(p, 'combine', 'merge copies signed by different wallets')
    .argument('<psbt...>', 'two or more copies (texts or files)')
    .option('--qr', 'also print it as a QR code')
    .action(
      run(async (opts, [args], io) =>
        (await psbt()).psbtCombineCommand(args as unknown as string[], opts, io),
      ),
    );
  psbtArg(at(p, 'show', 'who signed and what is missing')).action(
    run(async (opts, [arg], io) => (await psbt()).psbtShowCommand(arg!, opts, io)),
  );
  psbtArg(at(p, 'finalize', "print the signed transaction's hex")).action(
    run(async (opts, [arg], io) => (await psbt()).psbtFinalizeCommand(arg!, opts, io)),
  );
  psbtArg(at(p, 'send', 'finalize and submit it to the node; prints the txid')).action(
    run(async (opts, [arg], io) => (await psbt()).psbtSendCommand(arg!, opts, io)),
  );
}
