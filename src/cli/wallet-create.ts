// `hashline wallet create` and `wallet import`.
import type { NetworkParams } from '../core/params.js';
import { generateMnemonic, MnemonicError, mnemonicProblem, normalizeMnemonic } from '../crypto/mnemonic.js';
import { formatCoins } from '../wallet/amount.js';
import { NodeClient } from '../wallet/client.js';
import { WalletError } from '../wallet/errors.js';
import type { WalletScan } from '../wallet/scan.js';
import { assertNoWallet, createWalletFile, resolveWalletDir } from '../wallet/store.js';
import type { WalletCliIo } from './wallet.js';
import {
  type CommonOptions,
  networkByName,
  pad,
  padStart,
  readMnemonic,
  readPassword,
  Session,
  toJson,
} from './wallet-shared.js';

function printMnemonic(io: WalletCliIo, mnemonic: string): void {
  const words = mnemonic.split(' ');
  io.stdout(
    `\nWrite down these ${words.length} words, in order, and keep them offline. They are the only way to\n` +
      'restore this wallet if the file or its password is lost, and anyone who sees them can spend its coins.\n' +
      'They are not shown again.\n\n',
  );
  for (let row = 0; row < words.length; row += 4) {
    const cells = words
      .slice(row, row + 4)
      .map((w, i) => `${padStart(String(row + i + 1), 4)}. ${pad(w, 10)}`);
    io.stdout(`${cells.join('')}\n`);
  }
  io.stdout('\n');
}

/** The network of a new wallet: --network, else the node's, else main. */
async function networkForNewWallet(opts: CommonOptions): Promise<{ params: NetworkParams; source: string }> {
  if (opts.network) return { params: networkByName(opts.network), source: '--network' };
  try {
    const status = await new NodeClient(opts.node, { timeoutMs: 3_000 }).status();
    return { params: networkByName(status.network), source: `the node at ${opts.node}` };
  } catch (e) {
    if (e instanceof WalletError && (e.code === 'node-unreachable' || e.code === 'node-error')) {
      return { params: networkByName('main'), source: 'default: no node answered; use --network to choose' };
    }
    throw e;
  }
}

export async function createOrImport(
  opts: CommonOptions & { words?: string; mnemonicFile?: string },
  io: WalletCliIo,
  imported: boolean,
): Promise<void> {
  const dir = resolveWalletDir(opts.walletDir, io.env);
  await assertNoWallet(dir, opts.wallet);
  let mnemonic: string;
  if (imported) {
    mnemonic = normalizeMnemonic(await readMnemonic(opts, io));
    const problem = mnemonicProblem(mnemonic);
    if (problem) throw new MnemonicError(`invalid mnemonic: ${problem}`);
  } else {
    const words = Number(opts.words ?? 12);
    if (words !== 12 && words !== 24) throw new WalletError('bad-option', '--words must be 12 or 24');
    mnemonic = generateMnemonic(words);
  }
  const { params, source } = await networkForNewWallet(opts);
  const password = await readPassword(opts, io, true);
  if (password.length === 0) throw new WalletError('no-password', 'the wallet password cannot be empty');
  const created = await createWalletFile({
    dir,
    name: opts.wallet,
    mnemonic,
    password,
    network: params,
    scryptN: io.scryptN,
  });
  const session = new Session(created.file, dir, opts, io, created.wallet);
  let scan: WalletScan | undefined;
  if (imported) {
    try {
      await session.nodeStatus();
      scan = await session.scan();
    } catch (e) {
      if (!(e instanceof WalletError)) throw e;
      io.stderr(`note: the wallet was not scanned (${e.message}); \`hashline wallet balance\` will do it\n`);
    }
  }
  const address = created.wallet.receiveAddress(session.data.nextReceiveIndex);
  if (opts.json) {
    io.stdout(
      `${toJson({
        wallet: opts.wallet,
        network: params.name,
        file: created.path,
        address,
        ...(imported ? { balance: scan?.balance ?? null } : { mnemonic }),
      })}\n`,
    );
    return;
  }
  io.stdout(`${imported ? 'Imported' : 'Created'} wallet "${opts.wallet}" for ${params.name} (${source})\n`);
  io.stdout(`File: ${created.path}\n`);
  if (!imported) printMnemonic(io, mnemonic);
  if (scan) {
    io.stdout(
      `Found ${scan.addresses.length} used addresses; balance ${formatCoins(scan.balance.confirmed)} confirmed\n`,
    );
  }
  io.stdout(`Receive address: ${address}\n`);
}
