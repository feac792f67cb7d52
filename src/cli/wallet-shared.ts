// What the wallet commands share: merged options, output helpers, password prompts, and the Session
// (the wallet file, the node, and the keys once unlocked).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { getNetwork, type NetworkParams } from '../core/params.js';
import type { AddressChain } from '../crypto/hd.js';
import { NodeClient } from '../wallet/client.js';
import { WalletError } from '../wallet/errors.js';
import type { HdWallet } from '../wallet/keys.js';
import { scanWallet, type WalletScan } from '../wallet/scan.js';
import {
  cachedAddress,
  readWalletFile,
  resolveWalletDir,
  unlockWalletFile,
  type WalletFile,
  withAddressCache,
  writeWalletFile,
} from '../wallet/store.js';
import type { WalletCliIo } from './wallet.js';

export interface CommonOptions {
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
export function optionsOf<T>(cmd: Command): T {
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
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), 2);

export const pad = (text: string, width: number): string => text.padEnd(width);
export const padStart = (text: string, width: number): string => text.padStart(width);

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

export async function readPassword(opts: CommonOptions, io: WalletCliIo, confirm: boolean): Promise<string> {
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

export async function readMnemonic(
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
// Session

export function networkByName(name: string): NetworkParams {
  try {
    return getNetwork(name);
  } catch (e) {
    throw new WalletError('bad-option', (e as Error).message);
  }
}

export class Session {
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

  /** Adds a policy's canonical text to the watched ones (once); false when it was watched already. */
  async watchPolicy(text: string): Promise<boolean> {
    const policies = this.file.policies ?? [];
    if (policies.includes(text)) return false;
    this.file = { ...this.file, policies: [...policies, text] };
    await writeWalletFile(this.dir, this.file);
    return true;
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
