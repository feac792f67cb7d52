// `hashline wallet …`: an HD wallet in a password-protected file, talking to a node's REST API.
//
//   wallet create   [--words 12|24]           new mnemonic, printed once
//   wallet import   [--mnemonic-file <path>]  restore from a mnemonic (or $HASHLINE_WALLET_MNEMONIC)
//   wallet address  [--new] [--index <n>] [--change] [--list]
//   wallet balance  [--addresses]
//   wallet send <address> <amount> [--fee-rate <units/byte>] [--data <text>] [--data-hex <hex>] [--dry-run]
//   wallet history  [--limit <n>]
//   wallet list
// Every subcommand takes --node <url>, --network <name>, --wallet <name>, --wallet-dir <dir>,
// --password-file <path> and --json.
//
// <amount> is in coins with up to 8 decimals ("1.5", "0.00000001"), parsed exactly (no floats).
// The password comes from --password-file (first line), else $HASHLINE_WALLET_PASSWORD, else a prompt
// without echo when stdin is a terminal.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { fromHex, isHex } from '../core/bytes.js';
import { getNetwork, type NetworkParams } from '../core/params.js';
import { AddressError, decodeAddress } from '../crypto/address.js';
import { type AddressChain, CHANGE_CHAIN, hashlinePath, RECEIVE_CHAIN } from '../crypto/hd.js';
import { KeystoreError } from '../crypto/keystore.js';
import { generateMnemonic, MnemonicError, mnemonicProblem, normalizeMnemonic } from '../crypto/mnemonic.js';
import { formatCoins, parseCoins } from '../wallet/amount.js';
import { buildTransaction } from '../wallet/build-tx.js';
import { DEFAULT_NODE_URL, NodeClient } from '../wallet/client.js';
import { InsufficientFundsError, NodeApiError, WalletError } from '../wallet/errors.js';
import type { HdWallet } from '../wallet/keys.js';
import { scanWallet, type WalletScan } from '../wallet/scan.js';
import {
  assertNoWallet,
  cachedAddress,
  createWalletFile,
  listWallets,
  readWalletFile,
  resolveWalletDir,
  unlockWalletFile,
  type WalletFile,
  withAddressCache,
  writeWalletFile,
} from '../wallet/store.js';

/** Where the commands read and write; tests replace it. */
export interface WalletCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  readonly stdin: NodeJS.ReadStream;
  /** scrypt work factor for new wallets (tests lower it); default 2^15. */
  readonly scryptN?: number;
}

interface CommonOptions {
  node: string;
  network?: string;
  wallet: string;
  walletDir?: string;
  passwordFile?: string;
  json?: boolean;
}

const COMMON_KEYS = ['node', 'network', 'wallet', 'walletDir', 'passwordFile', 'json'] as const;

/**
 * The command's options, taking an option from an ancestor when it was given there (a root program
 * that defines e.g. --network itself captures the value wherever it appears on the command line).
 */
function optionsOf<T>(cmd: Command): T {
  const out: Record<string, unknown> = { ...cmd.opts() };
  for (let parent = cmd.parent; parent; parent = parent.parent) {
    for (const key of COMMON_KEYS) {
      const source = parent.getOptionValueSource(key);
      if ((source === 'cli' || source === 'env') && cmd.getOptionValueSource(key) !== 'cli') {
        out[key] = parent.getOptionValue(key);
      }
    }
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------
// Output

/** JSON with bigint amounts as decimal strings, as the node's API writes them. */
const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), 2);

const pad = (text: string, width: number): string => text.padEnd(width);
const padStart = (text: string, width: number): string => text.padStart(width);

// ---------------------------------------------------------------------------------------------
// Prompts

/** Reads a line from a terminal without echoing it. */
function promptHidden(io: WalletCliIo, question: string): Promise<string> {
  const { stdin } = io;
  io.stderr(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
          finish();
          reject(new WalletError('cancelled', 'cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readPassword(opts: CommonOptions, io: WalletCliIo, confirm: boolean): Promise<string> {
  if (opts.passwordFile) {
    const text = await readFile(opts.passwordFile, 'utf8');
    return text.split(/\r?\n/)[0]!;
  }
  const fromEnv = io.env.HASHLINE_WALLET_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!io.stdin.isTTY) {
    throw new WalletError(
      'no-password',
      'the wallet password is needed: run in a terminal, set HASHLINE_WALLET_PASSWORD, or pass --password-file <path>',
    );
  }
  const password = await promptHidden(io, confirm ? 'New wallet password: ' : 'Wallet password: ');
  if (confirm && (await promptHidden(io, 'Repeat the password: ')) !== password) {
    throw new WalletError('no-password', 'the two passwords differ');
  }
  return password;
}

async function readMnemonic(
  opts: CommonOptions & { mnemonicFile?: string },
  io: WalletCliIo,
): Promise<string> {
  if (opts.mnemonicFile) return (await readFile(opts.mnemonicFile, 'utf8')).trim();
  if (io.env.HASHLINE_WALLET_MNEMONIC) return io.env.HASHLINE_WALLET_MNEMONIC;
  if (!io.stdin.isTTY) {
    throw new WalletError(
      'no-mnemonic',
      'the mnemonic is needed: run in a terminal, set HASHLINE_WALLET_MNEMONIC, or pass --mnemonic-file <path>',
    );
  }
  return promptHidden(io, 'Mnemonic (12 or 24 words, not shown): ');
}

// ---------------------------------------------------------------------------------------------
// Wallet session: the file, the node, and the keys once unlocked

function networkByName(name: string): NetworkParams {
  try {
    return getNetwork(name);
  } catch (e) {
    throw new WalletError('bad-option', (e as Error).message);
  }
}

class Session {
  readonly client: NodeClient;

  constructor(
    private file: WalletFile,
    readonly dir: string,
    readonly opts: CommonOptions,
    readonly io: WalletCliIo,
    /** The keys, once unlocked. */
    private wallet?: HdWallet,
  ) {
    this.client = new NodeClient(opts.node);
  }

  static async open(opts: CommonOptions, io: WalletCliIo): Promise<Session> {
    const dir = resolveWalletDir(opts.walletDir, io.env);
    const file = await readWalletFile(dir, opts.wallet);
    if (opts.network && opts.network !== file.network) {
      throw new WalletError(
        'network-mismatch',
        `wallet "${file.name}" is a ${file.network} wallet, not ${opts.network}: leave out --network or choose another --wallet`,
      );
    }
    return new Session(file, dir, opts, io);
  }

  get data(): WalletFile {
    return this.file;
  }

  get params(): NetworkParams {
    return getNetwork(this.file.network);
  }

  /** Asks the node for its status and checks it runs the wallet's network. */
  async nodeStatus() {
    const status = await this.client.status();
    if (status.network !== this.file.network) {
      throw new WalletError(
        'network-mismatch',
        `wallet "${this.file.name}" is for ${this.file.network} but the node at ${this.client.baseUrl} runs ${status.network}: pass --node <url> of a ${this.file.network} node`,
      );
    }
    return status;
  }

  /** Decrypts the keys (asking for the password once) and refreshes the address cache. */
  async unlock(): Promise<HdWallet> {
    if (!this.wallet) {
      const password = await readPassword(this.opts, this.io, false);
      this.wallet = (await unlockWalletFile(this.file, password)).wallet;
    }
    return this.wallet;
  }

  address = async (chain: AddressChain, index: number): Promise<string> =>
    cachedAddress(this.file, chain, index) ?? (await this.unlock()).key(chain, index).address;

  async update(changes: Partial<Pick<WalletFile, 'nextReceiveIndex' | 'nextChangeIndex'>>): Promise<void> {
    let next: WalletFile = { ...this.file, ...changes };
    if (this.wallet) next = withAddressCache(next, this.wallet);
    const unchanged =
      next.nextReceiveIndex === this.file.nextReceiveIndex &&
      next.nextChangeIndex === this.file.nextChangeIndex &&
      next.addresses.receive.length === this.file.addresses.receive.length &&
      next.addresses.change.length === this.file.addresses.change.length;
    this.file = next;
    if (!unchanged) await writeWalletFile(this.dir, next);
  }

  /** Scans the chain for the wallet's coins and remembers how far its addresses are used. */
  async scan(historyLimit?: number): Promise<WalletScan> {
    const scan = await scanWallet(this.client, this.address, {
      nextReceiveIndex: this.file.nextReceiveIndex,
      nextChangeIndex: this.file.nextChangeIndex,
      historyLimit,
    });
    await this.update({ nextReceiveIndex: scan.nextReceiveIndex, nextChangeIndex: scan.nextChangeIndex });
    return scan;
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

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

async function createOrImport(
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

async function addressCommand(
  opts: CommonOptions & { new?: boolean; index?: string; change?: boolean; list?: boolean },
  io: WalletCliIo,
): Promise<void> {
  const session = await Session.open(opts, io);
  const chain: AddressChain = opts.change ? CHANGE_CHAIN : RECEIVE_CHAIN;
  const next = (): number =>
    chain === RECEIVE_CHAIN ? session.data.nextReceiveIndex : session.data.nextChangeIndex;
  if (opts.list) {
    const count = Math.max(next() + 1, 1);
    const rows = await Promise.all(
      Array.from({ length: count }, async (_, index) => ({
        index,
        address: await session.address(chain, index),
      })),
    );
    if (opts.json)
      io.stdout(`${toJson({ chain: chain === RECEIVE_CHAIN ? 'receive' : 'change', addresses: rows })}\n`);
    else for (const r of rows) io.stdout(`${padStart(String(r.index), 5)}  ${r.address}\n`);
    return;
  }
  let index: number;
  if (opts.index !== undefined) {
    index = Number(opts.index);
    if (!Number.isInteger(index) || index < 0 || index >= 0x80000000) {
      throw new WalletError('bad-option', `--index ${opts.index} is not an address index`);
    }
  } else {
    if (opts.new) {
      await session.update(
        chain === RECEIVE_CHAIN ? { nextReceiveIndex: next() + 1 } : { nextChangeIndex: next() + 1 },
      );
    }
    index = next();
  }
  const address = await session.address(chain, index);
  await session.update({});
  const path = hashlinePath(session.data.account, chain, index);
  if (opts.json)
    io.stdout(`${toJson({ address, index, chain: chain === RECEIVE_CHAIN ? 'receive' : 'change', path })}\n`);
  else io.stdout(`${address}\n`);
}

async function balanceCommand(opts: CommonOptions & { addresses?: boolean }, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const status = await session.nodeStatus();
  const scan = await session.scan();
  const receive = await session.address(RECEIVE_CHAIN, session.data.nextReceiveIndex);
  if (opts.json) {
    io.stdout(
      `${toJson({
        wallet: session.data.name,
        network: session.data.network,
        height: status.height,
        balance: scan.balance,
        coins: scan.coins.length,
        receiveAddress: receive,
        ...(opts.addresses ? { addresses: scan.addresses } : {}),
      })}\n`,
    );
    return;
  }
  io.stdout(
    `Wallet "${session.data.name}" (${session.data.network}), node ${session.client.baseUrl} at height ${status.height}\n`,
  );
  io.stdout(`  confirmed    ${formatCoins(scan.balance.confirmed)}\n`);
  io.stdout(`  unconfirmed  ${formatCoins(scan.balance.unconfirmed)}\n`);
  io.stdout(
    `  spendable    ${formatCoins(scan.balance.spendable)}  (${scan.coins.filter((c) => c.spendable).length} coins)\n`,
  );
  if (opts.addresses) {
    io.stdout('\n');
    for (const a of scan.addresses) {
      const label = `${a.chain === RECEIVE_CHAIN ? 'receive' : 'change'} #${a.index}`;
      io.stdout(`  ${pad(label, 14)} ${a.address}  ${formatCoins(a.confirmed)}  (${a.txCount} tx)\n`);
    }
  }
  io.stdout(`Receive address: ${receive}\n`);
}

function parseFeeRate(text: string | undefined, minFeeRate: unknown): bigint {
  if (text === undefined) {
    const min = typeof minFeeRate === 'number' && Number.isFinite(minFeeRate) ? Math.ceil(minFeeRate) : 1;
    return BigInt(Math.max(1, min));
  }
  if (!/^\d+$/.test(text.trim())) {
    throw new WalletError(
      'bad-fee-rate',
      `--fee-rate "${text}" is not a whole number of base units per byte`,
    );
  }
  return BigInt(text.trim());
}

async function sendCommand(
  to: string,
  amountText: string,
  opts: CommonOptions & { feeRate?: string; data?: string; dataHex?: string; dryRun?: boolean },
  io: WalletCliIo,
): Promise<void> {
  const session = await Session.open(opts, io);
  const { params } = session;
  try {
    decodeAddress(params.addressPrefix, to);
  } catch (e) {
    if (e instanceof AddressError) throw new WalletError('bad-address', `recipient: ${e.message}`);
    throw e;
  }
  const amount = parseCoins(amountText);
  if (amount === 0n) throw new WalletError('bad-amount', 'the amount must be more than 0');
  if (opts.data !== undefined && opts.dataHex !== undefined) {
    throw new WalletError('bad-data', 'give either --data or --data-hex, not both');
  }
  if (opts.dataHex !== undefined && !isHex(opts.dataHex)) {
    throw new WalletError('bad-data', '--data-hex must be an even number of hex digits');
  }
  const data = opts.dataHex !== undefined ? fromHex(opts.dataHex) : opts.data;
  const status = await session.nodeStatus();
  const feeRate = parseFeeRate(opts.feeRate, status.mempool?.minFeeRate);
  const scan = await session.scan();
  const spendable = scan.coins.filter((c) => c.spendable);
  const wallet = await session.unlock();
  const keys = new Map(spendable.map((c) => [c.address, wallet.key(c.chain, c.addressIndex)]));
  const changeAddress = wallet.changeAddress(session.data.nextChangeIndex);
  let built: ReturnType<typeof buildTransaction>;
  try {
    built = buildTransaction({
      params,
      utxos: spendable,
      payments: [{ address: to, amount }],
      feeRate,
      changeAddress,
      data,
      keyFor: (address) => keys.get(address),
    });
  } catch (e) {
    const pending = scan.coins.filter((c) => !c.spendable).reduce((t, c) => t + c.amount, 0n);
    if (e instanceof InsufficientFundsError && pending > 0n) {
      throw new InsufficientFundsError(
        e.available,
        e.needed,
        `${e.message}; ${formatCoins(pending)} more are unconfirmed or immature`,
      );
    }
    throw e;
  }
  if (!opts.dryRun) {
    await session.client.postTx(built.hex);
    if (built.change) await session.update({ nextChangeIndex: session.data.nextChangeIndex + 1 });
  }
  const summary = {
    txid: built.txid,
    sent: !opts.dryRun,
    to,
    amount,
    fee: built.fee,
    feeRate,
    size: built.size,
    inputs: built.inputs.length,
    change: built.change ?? null,
    ...(opts.dryRun ? { hex: built.hex } : {}),
  };
  if (opts.json) {
    io.stdout(`${toJson(summary)}\n`);
    return;
  }
  io.stdout(`${opts.dryRun ? 'Signed, not sent (--dry-run)' : 'Sent'}: ${formatCoins(amount)} to ${to}\n`);
  io.stdout(`  txid    ${built.txid}\n`);
  io.stdout(`  fee     ${formatCoins(built.fee)} (${built.size} bytes at ${feeRate} units/byte)\n`);
  if (built.change) io.stdout(`  change  ${formatCoins(built.change.amount)} to ${built.change.address}\n`);
  if (opts.dryRun) io.stdout(`  hex     ${built.hex}\n`);
}

async function historyCommand(opts: CommonOptions & { limit?: string }, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const limit = Number(opts.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1)
    throw new WalletError('bad-option', '--limit must be a positive integer');
  await session.nodeStatus();
  const scan = await session.scan(Math.max(limit, 100));
  const entries = scan.history.slice(0, limit);
  if (opts.json) {
    io.stdout(
      `${toJson({ history: entries, complete: scan.historyComplete && entries.length === scan.history.length })}\n`,
    );
    return;
  }
  if (entries.length === 0) {
    io.stdout('No transactions yet.\n');
    return;
  }
  io.stdout(`${pad('height', 10)}${pad('time (UTC)', 22)}${padStart('amount', 20)}  txid\n`);
  for (const h of entries) {
    const time = h.time === null ? '' : new Date(h.time * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const amount = `${h.delta > 0n ? '+' : ''}${formatCoins(h.delta)}`;
    io.stdout(
      `${pad(h.height === null ? 'mempool' : String(h.height), 10)}${pad(time, 22)}${padStart(amount, 20)}  ${h.txid}\n`,
    );
  }
  if (!scan.historyComplete || scan.history.length > entries.length) io.stdout('(older entries not shown)\n');
}

async function listCommand(opts: CommonOptions, io: WalletCliIo): Promise<void> {
  const dir = resolveWalletDir(opts.walletDir, io.env);
  const names = await listWallets(dir);
  const rows = await Promise.all(
    names.map(async (name) => {
      try {
        const file = await readWalletFile(dir, name);
        return {
          name,
          network: file.network as string,
          address: file.addresses.receive[file.nextReceiveIndex] ?? null,
        };
      } catch {
        return { name, network: 'unreadable', address: null };
      }
    }),
  );
  if (opts.json) io.stdout(`${toJson({ dir, wallets: rows })}\n`);
  else if (rows.length === 0) io.stdout(`No wallets in ${dir}\n`);
  else for (const r of rows) io.stdout(`${pad(r.name, 20)}${pad(r.network, 10)}${r.address ?? ''}\n`);
}

// ---------------------------------------------------------------------------------------------
// Registration

/** Errors the user can act on are printed as one line; anything else is a bug and keeps its stack. */
function userMessage(e: unknown): string | undefined {
  if (e instanceof NodeApiError) return `the node refused: ${e.message}`;
  if (e instanceof WalletError || e instanceof KeystoreError || e instanceof MnemonicError) return e.message;
  return undefined;
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

  const sub = (name: string, description: string): Command =>
    wallet
      .command(name)
      .description(description)
      .option('--node <url>', 'the node REST API', io.env.HASHLINE_NODE ?? DEFAULT_NODE_URL)
      .option('--network <name>', "main, dev or regtest (default: the wallet's; for a new one the node's)")
      .option('--wallet <name>', 'wallet name', 'default')
      .option(
        '--wallet-dir <dir>',
        'wallet files directory (default $HASHLINE_WALLET_DIR or ~/.hashline/wallets)',
      )
      .option('--password-file <path>', 'read the password from the first line of a file')
      .option('--json', 'machine-readable output');

  type Options = CommonOptions & Record<string, unknown>;
  /** Runs an action with its arguments and merged options; user errors become `error: …` and exit code 1. */
  const action =
    (fn: (opts: Options, args: string[]) => Promise<void>) =>
    async (...received: unknown[]): Promise<void> => {
      const cmd = received[received.length - 1] as Command;
      try {
        await fn(optionsOf<Options>(cmd), received.slice(0, -2) as string[]);
      } catch (e) {
        const message = userMessage(e);
        if (message === undefined) throw e;
        const code = e instanceof WalletError || e instanceof KeystoreError ? e.code : 'invalid-mnemonic';
        cmd.error(`error: ${message}`, { exitCode: 1, code: `hashline.wallet.${code}` });
      }
    };

  sub('create', 'create a wallet with a new mnemonic (printed once: write it down)')
    .option('--words <n>', 'mnemonic length, 12 or 24', '12')
    .action(action((opts) => createOrImport(opts, io, false)));

  sub(
    'import',
    'restore a wallet from its mnemonic (from --mnemonic-file, $HASHLINE_WALLET_MNEMONIC or a prompt)',
  )
    .option('--mnemonic-file <path>', 'read the mnemonic from a file')
    .action(action((opts) => createOrImport(opts, io, true)));

  sub('address', 'show the current receive address')
    .option('--new', 'move on to a fresh receive address')
    .option('--index <n>', 'the address at this index')
    .option('--change', 'use the change chain instead of the receive chain')
    .option('--list', 'list the addresses handed out so far')
    .action(action((opts) => addressCommand(opts, io)));

  sub('balance', "scan the wallet's addresses on the node and show the balance")
    .option('--addresses', 'show every used address')
    .action(action((opts) => balanceCommand(opts, io)));

  sub('send', 'send <amount> coins (up to 8 decimals, e.g. 1.5) to <address>')
    .argument('<address>', 'recipient address')
    .argument('<amount>', 'amount in coins, e.g. 1.5 or 0.00000001')
    .option('--fee-rate <n>', "fee in base units per byte (default: the node's minimum, at least 1)")
    .option('--data <text>', 'attach a text record (UTF-8, at most 1024 bytes)')
    .option('--data-hex <hex>', 'attach a binary record given in hex')
    .option('--dry-run', 'build and sign but do not send; print the transaction hex')
    .action(action((opts, [to, amount]) => sendCommand(to!, amount!, opts, io)));

  sub('history', "the wallet's transactions, newest first")
    .option('--limit <n>', 'how many to show', '50')
    .action(action((opts) => historyCommand(opts, io)));

  sub('list', 'list the wallets in the wallet directory').action(action((opts) => listCommand(opts, io)));
}
