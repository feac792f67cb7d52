// Password-encrypted secrets (a wallet's mnemonic) in a small JSON document. Runs in Node and the browser.
//
// Format, version 1 (all byte strings are lowercase hex):
//   {
//     "version": 1,
//     "kdf": { "name": "scrypt", "N": 32768, "r": 8, "p": 1, "salt": "<16 random bytes>" },
//     "cipher": { "name": "aes-256-gcm", "nonce": "<12 random bytes>" },
//     "ciphertext": "<AES-256-GCM output: encrypted UTF-8 secret followed by the 16-byte tag>",
//     "network": "main",
//     "createdAt": "2026-07-01T00:00:00.000Z"            (optional)
//   }
// key = scrypt(NFKC(password), salt, N, r, p, 32 bytes). The additional authenticated data is
// "hashline-keystore/1/<network>", so a file whose network was edited no longer decrypts.
// The password is never stored; a wrong one fails the GCM tag check, never yields garbage.
import { gcm } from '@noble/ciphers/aes.js';
import { bytesToUtf8, utf8ToBytes } from '@noble/ciphers/utils.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export const KEYSTORE_VERSION = 1;
export const DEFAULT_SCRYPT_N = 2 ** 15;
export const DEFAULT_SCRYPT_R = 8;
export const DEFAULT_SCRYPT_P = 1;
/** Lowest work factor accepted (tests use it); files with less protection are refused. */
export const MIN_SCRYPT_N = 2 ** 10;
/** Memory scrypt may use for a file we read (128·N·r bytes), so a hostile file cannot exhaust it. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const SALT_SIZE = 16;
const NONCE_SIZE = 12;
const KEY_SIZE = 32;
const TAG_SIZE = 16;

export interface KeystoreKdf {
  readonly name: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
}

export interface KeystoreCipher {
  readonly name: 'aes-256-gcm';
  readonly nonce: string;
}

export interface Keystore {
  readonly version: typeof KEYSTORE_VERSION;
  readonly kdf: KeystoreKdf;
  readonly cipher: KeystoreCipher;
  readonly ciphertext: string;
  readonly network: string;
  readonly createdAt?: string;
}

export type KeystoreErrorCode = 'wrong-password' | 'bad-keystore';

export class KeystoreError extends Error {
  override readonly name = 'KeystoreError';
  constructor(
    readonly code: KeystoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface EncryptOptions {
  readonly network: string;
  /** scrypt work factor, a power of two ≥ MIN_SCRYPT_N; default 2^15. */
  readonly N?: number;
  readonly r?: number;
  readonly p?: number;
  /** Creation time written to the file; null leaves it out. Default: now. */
  readonly createdAt?: Date | null;
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

function checkKdfParams(N: number, r: number, p: number): string | undefined {
  if (!isPowerOfTwo(N) || N < MIN_SCRYPT_N) return `scrypt N must be a power of two ≥ ${MIN_SCRYPT_N}`;
  if (!Number.isInteger(r) || r < 1 || r > 32) return 'scrypt r must be an integer in 1..32';
  if (!Number.isInteger(p) || p < 1 || p > 16) return 'scrypt p must be an integer in 1..16';
  if (128 * N * r > MAX_SCRYPT_MEMORY) return `scrypt N·r needs more than ${MAX_SCRYPT_MEMORY >> 20} MiB`;
  return undefined;
}

const associatedData = (network: string): Uint8Array =>
  utf8ToBytes(`hashline-keystore/${KEYSTORE_VERSION}/${network}`);

async function deriveKey(password: string, kdf: KeystoreKdf): Promise<Uint8Array> {
  return scryptAsync(utf8ToBytes(password.normalize('NFKC')), hexToBytes(kdf.salt), {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    dkLen: KEY_SIZE,
    maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024,
  });
}

const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

/** Encrypts a secret string under a password with fresh random salt and nonce. */
export async function encryptSecret(
  secret: string,
  password: string,
  opts: EncryptOptions,
): Promise<Keystore> {
  const N = opts.N ?? DEFAULT_SCRYPT_N;
  const r = opts.r ?? DEFAULT_SCRYPT_R;
  const p = opts.p ?? DEFAULT_SCRYPT_P;
  const problem = checkKdfParams(N, r, p);
  if (problem) throw new RangeError(problem);
  const kdf: KeystoreKdf = { name: 'scrypt', N, r, p, salt: bytesToHex(randomBytes(SALT_SIZE)) };
  const nonce = randomBytes(NONCE_SIZE);
  const key = await deriveKey(password, kdf);
  try {
    const ciphertext = gcm(key, nonce, associatedData(opts.network)).encrypt(utf8ToBytes(secret));
    const createdAt = opts.createdAt === undefined ? new Date() : opts.createdAt;
    return {
      version: KEYSTORE_VERSION,
      kdf,
      cipher: { name: 'aes-256-gcm', nonce: bytesToHex(nonce) },
      ciphertext: bytesToHex(ciphertext),
      network: opts.network,
      ...(createdAt ? { createdAt: createdAt.toISOString() } : {}),
    };
  } finally {
    key.fill(0);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isHexOf = (v: unknown, minBytes: number, maxBytes = minBytes): v is string =>
  typeof v === 'string' &&
  /^(?:[0-9a-f]{2})*$/.test(v) &&
  v.length >= minBytes * 2 &&
  v.length <= maxBytes * 2;

/** Checks the shape of a parsed keystore JSON value; throws KeystoreError('bad-keystore') with the reason. */
export function parseKeystore(value: unknown): Keystore {
  const bad = (why: string): never => {
    throw new KeystoreError('bad-keystore', `not a valid keystore: ${why}`);
  };
  if (!isRecord(value)) return bad('expected a JSON object');
  if (value.version !== KEYSTORE_VERSION) return bad(`unsupported version ${String(value.version)}`);
  const { kdf, cipher, ciphertext, network, createdAt } = value;
  if (!isRecord(kdf) || kdf.name !== 'scrypt') return bad('kdf must be scrypt');
  const { N, r, p, salt } = kdf;
  if (typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number') {
    return bad('scrypt N, r, p must be numbers');
  }
  const problem = checkKdfParams(N, r, p);
  if (problem) return bad(problem);
  if (!isHexOf(salt, SALT_SIZE, 64)) return bad('kdf.salt must be 16 to 64 bytes of lowercase hex');
  if (!isRecord(cipher) || cipher.name !== 'aes-256-gcm') return bad('cipher must be aes-256-gcm');
  if (!isHexOf(cipher.nonce, NONCE_SIZE)) return bad('cipher.nonce must be 12 bytes of lowercase hex');
  if (!isHexOf(ciphertext, TAG_SIZE, 1 << 16)) return bad('ciphertext must be lowercase hex with a tag');
  if (typeof network !== 'string' || network.length === 0) return bad('network must be a name');
  if (createdAt !== undefined && typeof createdAt !== 'string') return bad('createdAt must be a string');
  return {
    version: KEYSTORE_VERSION,
    kdf: { name: 'scrypt', N, r, p, salt },
    cipher: { name: 'aes-256-gcm', nonce: cipher.nonce },
    ciphertext,
    network,
    ...(createdAt !== undefined ? { createdAt } : {}),
  };
}

/** Decrypts a keystore (a parsed JSON value); a wrong password is KeystoreError('wrong-password'). */
export async function decryptSecret(keystore: unknown, password: string): Promise<string> {
  const ks = parseKeystore(keystore);
  const key = await deriveKey(password, ks.kdf);
  let plain: Uint8Array;
  try {
    plain = gcm(key, hexToBytes(ks.cipher.nonce), associatedData(ks.network)).decrypt(
      hexToBytes(ks.ciphertext),
    );
  } catch {
    // GCM cannot tell a wrong key from modified bytes: both fail the tag check.
    throw new KeystoreError('wrong-password', 'wrong password or corrupted keystore');
  } finally {
    key.fill(0);
  }
  try {
    return bytesToUtf8(plain);
  } finally {
    plain.fill(0);
  }
}
