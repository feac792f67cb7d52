// An HD wallet's keys: receive and change addresses of one account, derived from a BIP39 mnemonic.
import type { NetworkParams } from '../core/params.js';
import { publicKeyHash } from '../core/tx.js';
import { encodeAddress } from '../crypto/address.js';
import type { KeyPair } from '../crypto/ed25519.js';
import { type AddressChain, CHANGE_CHAIN, HdKey, hashlineAccountPath, RECEIVE_CHAIN } from '../crypto/hd.js';
import { mnemonicToSeed } from '../crypto/mnemonic.js';

/** Unused addresses a scan looks past the last used one before it concludes there are no more (BIP44). */
export const DEFAULT_GAP_LIMIT = 20;

export interface WalletKey extends KeyPair {
  readonly address: string;
  /** The 20-byte public key hash the address encodes. */
  readonly hash: Uint8Array;
  readonly chain: AddressChain;
  readonly index: number;
  /** m/44'/9999'/account'/chain'/index' */
  readonly path: string;
}

export interface HdWalletOptions {
  readonly account?: number;
}

export class HdWallet {
  private readonly chains: readonly [HdKey, HdKey];
  private readonly keys = new Map<string, WalletKey>();
  private readonly byAddress = new Map<string, WalletKey>();

  private constructor(
    master: HdKey,
    readonly params: NetworkParams,
    readonly account: number,
  ) {
    // Keep only the two chain nodes: addresses derive one level below them, and the seed is not retained.
    const accountKey = master.derive(hashlineAccountPath(account));
    this.chains = [accountKey.deriveChild(RECEIVE_CHAIN), accountKey.deriveChild(CHANGE_CHAIN)];
  }

  static fromSeed(seed: Uint8Array, params: NetworkParams, opts: HdWalletOptions = {}): HdWallet {
    return new HdWallet(HdKey.fromSeed(seed), params, opts.account ?? 0);
  }

  /** The wallet of a mnemonic; the optional BIP39 passphrase gives an entirely different wallet. */
  static async fromMnemonic(
    mnemonic: string,
    params: NetworkParams,
    opts: HdWalletOptions & { readonly passphrase?: string } = {},
  ): Promise<HdWallet> {
    return HdWallet.fromSeed(await mnemonicToSeed(mnemonic, opts.passphrase ?? ''), params, opts);
  }

  /** The key at chain/index, derived once and cached. */
  key(chain: AddressChain, index: number): WalletKey {
    const id = `${chain}/${index}`;
    let key = this.keys.get(id);
    if (!key) {
      const node = this.chains[chain].deriveChild(index);
      const hash = publicKeyHash(node.publicKey);
      key = {
        privateKey: node.privateKey,
        publicKey: node.publicKey,
        hash,
        address: encodeAddress(this.params.addressPrefix, hash),
        chain,
        index,
        path: node.path,
      };
      this.keys.set(id, key);
      this.byAddress.set(key.address, key);
    }
    return key;
  }

  receiveKey = (index: number): WalletKey => this.key(RECEIVE_CHAIN, index);
  changeKey = (index: number): WalletKey => this.key(CHANGE_CHAIN, index);
  receiveAddress = (index: number): string => this.receiveKey(index).address;
  changeAddress = (index: number): string => this.changeKey(index).address;

  /** Addresses start..start+count-1 of a chain. */
  addresses(chain: AddressChain, count: number, start = 0): string[] {
    return Array.from({ length: count }, (_, i) => this.key(chain, start + i).address);
  }

  /**
   * The keys a scan should look at: every index below the next unused one plus `gap` more, on both chains.
   */
  lookAhead(nextReceiveIndex: number, nextChangeIndex: number, gap = DEFAULT_GAP_LIMIT): WalletKey[] {
    return [
      ...Array.from({ length: nextReceiveIndex + gap }, (_, i) => this.key(RECEIVE_CHAIN, i)),
      ...Array.from({ length: nextChangeIndex + gap }, (_, i) => this.key(CHANGE_CHAIN, i)),
    ];
  }

  /**
   * The key of an address among those derived so far, or, when `searchLimit` is given, among the first
   * `searchLimit` indexes of both chains.
   */
  keyForAddress(address: string, searchLimit = 0): WalletKey | undefined {
    const known = this.byAddress.get(address);
    if (known || searchLimit <= 0) return known;
    for (let i = 0; i < searchLimit; i++) {
      for (const chain of [RECEIVE_CHAIN, CHANGE_CHAIN] as const) {
        const key = this.key(chain, i);
        if (key.address === address) return key;
      }
    }
    return undefined;
  }
}
