// The browser wallet's saved state in localStorage: the encrypted keystore plus public facts only
// (addresses and how many are in use). The mnemonic and private keys are never stored in clear: they exist
// in memory only for the moment of creating, importing or signing.
import { type Keystore, parseKeystore } from '../../../src/crypto/keystore.js';

export const WALLET_KEY = 'hashline.wallet.v1';

export interface StoredWallet {
  readonly version: 1;
  readonly network: string;
  readonly account: number;
  readonly keystore: Keystore;
  /** First unused receive / change index, as the last scan found. */
  readonly nextReceiveIndex: number;
  readonly nextChangeIndex: number;
  /** Public address cache (index 0..n-1 of each chain), so balances show without the password. */
  readonly addresses: { readonly receive: readonly string[]; readonly change: readonly string[] };
  readonly createdAt: string;
  /**
   * The public key (hex) this wallet co-signs policies with: its first receive key's. Public; absent in
   * wallets saved before policies, until the password is entered once.
   */
  readonly publicKey?: string;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export function parseStoredWallet(value: unknown): StoredWallet | null {
  if (typeof value !== 'object' || value === null) return null;
  const w = value as Record<string, unknown>;
  const addresses = w.addresses as Record<string, unknown> | undefined;
  if (w.version !== 1 || typeof w.network !== 'string' || !addresses) return null;
  if (!isStrings(addresses.receive) || !isStrings(addresses.change)) return null;
  try {
    return {
      version: 1,
      network: w.network,
      account: typeof w.account === 'number' ? w.account : 0,
      keystore: parseKeystore(w.keystore),
      nextReceiveIndex: typeof w.nextReceiveIndex === 'number' ? w.nextReceiveIndex : 0,
      nextChangeIndex: typeof w.nextChangeIndex === 'number' ? w.nextChangeIndex : 0,
      addresses: { receive: addresses.receive, change: addresses.change },
      createdAt: typeof w.createdAt === 'string' ? w.createdAt : '',
      ...(typeof w.publicKey === 'string' && /^[0-9a-f]{64}$/.test(w.publicKey)
        ? { publicKey: w.publicKey }
        : {}),
    };
  } catch {
    return null;
  }
}

export function loadWallet(): StoredWallet | null {
  try {
    const raw = localStorage.getItem(WALLET_KEY);
    return raw ? parseStoredWallet(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

export function saveWallet(w: StoredWallet): void {
  localStorage.setItem(WALLET_KEY, JSON.stringify(w));
}

export function removeWallet(): void {
  localStorage.removeItem(WALLET_KEY);
}

/** The wallet's current receive address, for "mine to my wallet" on the miner page. */
export function walletReceiveAddress(network: string | undefined): string | null {
  const w = loadWallet();
  if (!w || (network && w.network !== network)) return null;
  return w.addresses.receive[w.nextReceiveIndex] ?? w.addresses.receive[0] ?? null;
}
