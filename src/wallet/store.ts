// Wallet files on disk (Node only; the web app keeps its keystore in the browser).
//
// <wallet-dir>/<name>.json, written atomically with mode 0600:
//   {
//     "version": 1, "name": "default", "network": "dev", "account": 0,
//     "nextReceiveIndex": 0, "nextChangeIndex": 0,
//     "addresses": { "receive": ["hldev1…", …], "change": ["hldev1…", …] },
//     "keystore": { …see crypto/keystore.ts… },
//     "createdAt": "…",
//     "policies": ["and(pk(…),after(500))", …]
//   }
// `policies` (optional; files written before it existed load without it) lists the canonical texts of
// the spending policies whose addresses the wallet watches (`hashline wallet policy address --watch`).
// The mnemonic is only inside the encrypted keystore. The address lists are a public cache, so showing
// addresses and balances needs no password; it is checked against the keys whenever the wallet is unlocked.
import { access, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { getNetwork, type NetworkName, type NetworkParams } from '../core/params.js';
import { type AddressChain, CHANGE_CHAIN, RECEIVE_CHAIN } from '../crypto/hd.js';
import { decryptSecret, encryptSecret, type Keystore, parseKeystore } from '../crypto/keystore.js';
import { assertMnemonic } from '../crypto/mnemonic.js';
import { WalletError } from './errors.js';
import { DEFAULT_GAP_LIMIT, HdWallet } from './keys.js';

export const WALLET_FILE_VERSION = 1;
/** Addresses cached per chain beyond the next index, so new addresses rarely need the password. */
export const ADDRESS_CACHE_AHEAD = 100;

export interface WalletFile {
  readonly version: typeof WALLET_FILE_VERSION;
  readonly name: string;
  readonly network: NetworkName;
  readonly account: number;
  readonly nextReceiveIndex: number;
  readonly nextChangeIndex: number;
  readonly addresses: { readonly receive: readonly string[]; readonly change: readonly string[] };
  readonly keystore: Keystore;
  readonly createdAt: string;
  /** Canonical texts of watched spending policies (absent in older files). */
  readonly policies?: readonly string[];
}

/** --wallet-dir, else $HASHLINE_WALLET_DIR, else ~/.hashline/wallets. */
export function resolveWalletDir(
  dir?: string,
  env: Record<string, string | undefined> = process.env,
): string {
  return dir || env.HASHLINE_WALLET_DIR || join(homedir(), '.hashline', 'wallets');
}

export function walletFilePath(dir: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name) || name.includes('..')) {
    throw new WalletError(
      'bad-wallet-file',
      `"${name}" is not a wallet name (letters, digits, "_", "-", "."; at most 64 characters)`,
    );
  }
  return join(dir, `${name}.json`);
}

const isErrno = (e: unknown, code: string): boolean =>
  e instanceof Error && (e as NodeJS.ErrnoException).code === code;

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function parseWalletFile(value: unknown, path: string): WalletFile {
  const bad = (why: string): never => {
    throw new WalletError('bad-wallet-file', `${path} is not a valid wallet file: ${why}`);
  };
  if (typeof value !== 'object' || value === null) return bad('expected a JSON object');
  const v = value as Record<string, unknown>;
  if (v.version !== WALLET_FILE_VERSION) return bad(`unsupported version ${String(v.version)}`);
  if (typeof v.name !== 'string') return bad('no name');
  let network: NetworkParams;
  try {
    network = getNetwork(String(v.network));
  } catch (e) {
    return bad((e as Error).message);
  }
  if (!isIndex(v.account) || !isIndex(v.nextReceiveIndex) || !isIndex(v.nextChangeIndex)) {
    return bad('account and next indexes must be non-negative integers');
  }
  const addresses = v.addresses as Record<string, unknown> | undefined;
  if (!addresses || !isStringArray(addresses.receive) || !isStringArray(addresses.change)) {
    return bad('addresses must hold receive and change lists');
  }
  let keystore: Keystore;
  try {
    keystore = parseKeystore(v.keystore);
  } catch (e) {
    return bad((e as Error).message);
  }
  if (keystore.network !== network.name) return bad('the keystore belongs to another network');
  if (v.policies !== undefined && !isStringArray(v.policies)) return bad('policies must be a list of texts');
  return {
    version: WALLET_FILE_VERSION,
    name: v.name,
    network: network.name,
    account: v.account,
    nextReceiveIndex: v.nextReceiveIndex,
    nextChangeIndex: v.nextChangeIndex,
    addresses: { receive: addresses.receive, change: addresses.change },
    keystore,
    createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
    ...(v.policies !== undefined ? { policies: v.policies as string[] } : {}),
  };
}

export async function readWalletFile(dir: string, name: string): Promise<WalletFile> {
  const path = walletFilePath(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT')) {
      throw new WalletError(
        'wallet-not-found',
        `there is no wallet "${name}" in ${dir}: create one with \`hashline wallet create\` or import a mnemonic with \`hashline wallet import\``,
      );
    }
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WalletError('bad-wallet-file', `${path} is not valid JSON`);
  }
  return parseWalletFile(json, path);
}

/** Writes the file atomically (temporary file, then rename), readable by its owner only. */
export async function writeWalletFile(
  dir: string,
  file: WalletFile,
  opts: { exclusive?: boolean } = {},
): Promise<string> {
  const path = walletFilePath(dir, file.name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  if (opts.exclusive) {
    try {
      await writeFile(path, text, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if (isErrno(e, 'EEXIST')) {
        throw new WalletError(
          'wallet-exists',
          `a wallet "${file.name}" already exists in ${dir}: choose another name with --wallet <name>`,
        );
      }
      throw e;
    }
    return path;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path);
  return path;
}

/** Throws WalletError('wallet-exists') if the name is taken (checked again, atomically, when writing). */
export async function assertNoWallet(dir: string, name: string): Promise<void> {
  try {
    await access(walletFilePath(dir, name));
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return;
    throw e;
  }
  throw new WalletError(
    'wallet-exists',
    `a wallet "${name}" already exists in ${dir}: choose another name with --wallet <name>`,
  );
}

export async function listWallets(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
}

/** A copy of the file whose address cache covers every index below `next + ADDRESS_CACHE_AHEAD`. */
export function withAddressCache(file: WalletFile, wallet: HdWallet): WalletFile {
  const size = (next: number): number => Math.max(next + ADDRESS_CACHE_AHEAD, DEFAULT_GAP_LIMIT);
  return {
    ...file,
    addresses: {
      receive: wallet.addresses(RECEIVE_CHAIN, size(file.nextReceiveIndex)),
      change: wallet.addresses(CHANGE_CHAIN, size(file.nextChangeIndex)),
    },
  };
}

/** A cached address, or undefined when the cache does not reach that far (unlock to extend it). */
export function cachedAddress(file: WalletFile, chain: AddressChain, index: number): string | undefined {
  return (chain === RECEIVE_CHAIN ? file.addresses.receive : file.addresses.change)[index];
}

export interface NewWalletOptions {
  readonly dir: string;
  readonly name: string;
  readonly mnemonic: string;
  readonly password: string;
  readonly network: NetworkParams;
  readonly account?: number;
  /** scrypt work factor (tests lower it); default 2^15. */
  readonly scryptN?: number;
}

/** Encrypts the mnemonic and writes a new wallet file; fails if the name is taken. */
export async function createWalletFile(
  opts: NewWalletOptions,
): Promise<{ file: WalletFile; path: string; wallet: HdWallet }> {
  const mnemonic = assertMnemonic(opts.mnemonic);
  walletFilePath(opts.dir, opts.name);
  const account = opts.account ?? 0;
  const wallet = await HdWallet.fromMnemonic(mnemonic, opts.network, { account });
  const keystore = await encryptSecret(mnemonic, opts.password, {
    network: opts.network.name,
    N: opts.scryptN,
  });
  const file = withAddressCache(
    {
      version: WALLET_FILE_VERSION,
      name: opts.name,
      network: opts.network.name,
      account,
      nextReceiveIndex: 0,
      nextChangeIndex: 0,
      addresses: { receive: [], change: [] },
      keystore,
      createdAt: keystore.createdAt ?? new Date().toISOString(),
    },
    wallet,
  );
  const path = await writeWalletFile(opts.dir, file, { exclusive: true });
  return { file, path, wallet };
}

/**
 * Decrypts the mnemonic and rebuilds the keys. Throws KeystoreError('wrong-password') on a wrong
 * password, and WalletError('bad-wallet-file') if the cached addresses do not belong to these keys.
 */
export async function unlockWalletFile(
  file: WalletFile,
  password: string,
): Promise<{ wallet: HdWallet; mnemonic: string }> {
  const mnemonic = await decryptSecret(file.keystore, password);
  const wallet = await HdWallet.fromMnemonic(mnemonic, getNetwork(file.network), { account: file.account });
  for (const [chain, list] of [
    [RECEIVE_CHAIN, file.addresses.receive],
    [CHANGE_CHAIN, file.addresses.change],
  ] as const) {
    list.forEach((address, index) => {
      if (wallet.key(chain, index).address !== address) {
        throw new WalletError(
          'bad-wallet-file',
          `the cached address ${address} (${chain === RECEIVE_CHAIN ? 'receive' : 'change'} #${index}) does not belong to this wallet: the file was modified`,
        );
      }
    });
  }
  return { wallet, mnemonic };
}
