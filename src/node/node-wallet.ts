// The node's own key: the default miner address, and the sender of the tutorials' unsigned
// `POST /transactions/new {recipient, amount}`. Kept in the data directory, readable by its owner only.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.js';
import type { NetworkParams } from '../core/params.js';
import { publicKeyHash } from '../core/tx.js';
import { addressFromPublicKey } from '../crypto/address.js';
import { type KeyPair, keyPairFromPrivate } from '../crypto/ed25519.js';

export interface NodeWallet {
  readonly keyPair: KeyPair;
  readonly address: string;
  readonly addressHash: Uint8Array;
}

export function loadOrCreateNodeWallet(dataDir: string, params: NetworkParams): NodeWallet {
  const path = join(dataDir, 'node-wallet.json');
  let privateKey: Uint8Array;
  if (existsSync(path)) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { privateKey?: string };
    if (typeof json.privateKey !== 'string' || json.privateKey.length !== 64) {
      throw new Error(`${path} is not a valid node wallet file`);
    }
    privateKey = fromHex(json.privateKey);
  } else {
    privateKey = new Uint8Array(randomBytes(32));
    writeFileSync(path, `${JSON.stringify({ version: 1, privateKey: toHex(privateKey) }, null, 2)}\n`, {
      mode: 0o600,
    });
  }
  const keyPair = keyPairFromPrivate(privateKey);
  return {
    keyPair,
    address: addressFromPublicKey(params.addressPrefix, keyPair.publicKey),
    addressHash: publicKeyHash(keyPair.publicKey),
  };
}
