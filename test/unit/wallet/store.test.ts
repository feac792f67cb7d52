import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeystoreError, MIN_SCRYPT_N } from '../../../src/crypto/keystore.js';
import { WalletError } from '../../../src/wallet/errors.js';
import {
  ADDRESS_CACHE_AHEAD,
  cachedAddress,
  createWalletFile,
  listWallets,
  readWalletFile,
  resolveWalletDir,
  unlockWalletFile,
  walletFilePath,
  withAddressCache,
  writeWalletFile,
} from '../../../src/wallet/store.js';
import { MNEMONIC, params, wallet } from './helpers.js';

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('wallet files', () => {
  let dir: string;
  const create = (name = 'default', password = 'pw') =>
    createWalletFile({ dir, name, mnemonic: MNEMONIC, password, network: params, scryptN: MIN_SCRYPT_N });

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'hashline-wallet-')), 'wallets');
  });
  afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

  it('creates an owner-only file with the encrypted mnemonic and a public address cache', async () => {
    const { path, file } = await create();
    expect(path).toBe(join(dir, 'default.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('legal');
    expect(file).toMatchObject({
      version: 1,
      name: 'default',
      network: 'regtest',
      account: 0,
      nextReceiveIndex: 0,
      nextChangeIndex: 0,
    });
    expect(file.keystore).toMatchObject({ network: 'regtest', kdf: { N: MIN_SCRYPT_N } });
    expect(file.addresses.receive).toHaveLength(ADDRESS_CACHE_AHEAD);
    expect(file.addresses.receive.slice(0, 3)).toEqual(wallet.addresses(0, 3));
    expect(file.addresses.change[5]).toBe(wallet.changeAddress(5));
    expect(await readWalletFile(dir, 'default')).toEqual(file);
    expect(cachedAddress(file, 1, 5)).toBe(wallet.changeAddress(5));
    expect(cachedAddress(file, 0, ADDRESS_CACHE_AHEAD)).toBeUndefined();
  });

  it('refuses to overwrite a wallet', async () => {
    await create();
    const e = await rejection(create());
    expect(e).toBeInstanceOf(WalletError);
    expect(e.code).toBe('wallet-exists');
  });

  it('unlocks with the password, and only with it', async () => {
    const { file } = await create('w', 'secret');
    const { wallet: unlocked, mnemonic } = await unlockWalletFile(file, 'secret');
    expect(mnemonic).toBe(MNEMONIC);
    expect(unlocked.receiveAddress(0)).toBe(wallet.receiveAddress(0));
    const e = await rejection(unlockWalletFile(file, 'Secret'));
    expect(e).toBeInstanceOf(KeystoreError);
    expect(e.message).toBe('wrong password or corrupted keystore');
  });

  it('detects a swapped address in the cache when unlocking', async () => {
    const { file } = await create();
    const receive = [...file.addresses.receive];
    receive[4] = wallet.receiveAddress(ADDRESS_CACHE_AHEAD + 1);
    const e = await rejection(unlockWalletFile({ ...file, addresses: { ...file.addresses, receive } }, 'pw'));
    expect(e.code).toBe('bad-wallet-file');
    expect(e.message).toMatch(/\(receive #4\) does not belong to this wallet/);
  });

  it('extends the cache past the next index and saves atomically', async () => {
    const { file } = await create();
    const moved = withAddressCache({ ...file, nextReceiveIndex: 150 }, wallet);
    expect(moved.addresses.receive).toHaveLength(150 + ADDRESS_CACHE_AHEAD);
    await writeWalletFile(dir, moved);
    expect((await readWalletFile(dir, 'default')).nextReceiveIndex).toBe(150);
    expect(await listWallets(dir)).toEqual(['default']);
  });

  it('explains a missing wallet, a bad name and a damaged file', async () => {
    const missing = await rejection(readWalletFile(dir, 'nope'));
    expect(missing.code).toBe('wallet-not-found');
    expect(missing.message).toMatch(/hashline wallet create/);
    expect(() => walletFilePath(dir, '../etc/passwd')).toThrow(WalletError);
    expect(() => walletFilePath(dir, '')).toThrow(WalletError);
    await create();
    const path = walletFilePath(dir, 'default');
    const json = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, '{ not json');
    expect((await rejection(readWalletFile(dir, 'default'))).code).toBe('bad-wallet-file');
    await writeFile(path, JSON.stringify({ ...json, network: 'main' }));
    expect((await rejection(readWalletFile(dir, 'default'))).message).toMatch(/another network/);
    await writeFile(
      path,
      JSON.stringify({ ...json, keystore: { ...json.keystore, kdf: { ...json.keystore.kdf, N: 3 } } }),
    );
    expect((await rejection(readWalletFile(dir, 'default'))).code).toBe('bad-wallet-file');
    expect(await listWallets(join(dir, 'missing'))).toEqual([]);
  });

  it('keeps watched policies; a file written before them loads, one with a bad list does not', async () => {
    const { file } = await create();
    expect(file.policies).toBeUndefined(); // new files list none until one is watched
    const path = walletFilePath(dir, 'default');
    const old = JSON.parse(await readFile(path, 'utf8'));
    expect(old).not.toHaveProperty('policies');
    expect(await readWalletFile(dir, 'default')).toEqual(file);
    const watched = { ...file, policies: ['and(pk(00),after(5))'] };
    await writeWalletFile(dir, watched);
    expect((await readWalletFile(dir, 'default')).policies).toEqual(watched.policies);
    await writeFile(path, JSON.stringify({ ...old, policies: 'multi(1,…)' }));
    expect((await rejection(readWalletFile(dir, 'default'))).message).toMatch(/policies must be a list/);
  });

  it('finds the wallet directory: option, then environment, then the home directory', () => {
    expect(resolveWalletDir('/a', { HASHLINE_WALLET_DIR: '/b' })).toBe('/a');
    expect(resolveWalletDir(undefined, { HASHLINE_WALLET_DIR: '/b' })).toBe('/b');
    expect(resolveWalletDir(undefined, {})).toBe(join(homedir(), '.hashline', 'wallets'));
  });
});
