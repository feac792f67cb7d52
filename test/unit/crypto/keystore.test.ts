import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT_N,
  decryptSecret,
  encryptSecret,
  type Keystore,
  KeystoreError,
  MIN_SCRYPT_N,
  parseKeystore,
} from '../../../src/crypto/keystore.js';

const SECRET = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const FAST = { network: 'regtest', N: MIN_SCRYPT_N };

async function rejection(p: Promise<unknown>): Promise<KeystoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KeystoreError);
    return e as KeystoreError;
  }
  throw new Error('expected a rejection');
}

/** Flips one bit of a hex field. */
const flip = (hex: string, at: number): string =>
  hex.slice(0, at) + (Number.parseInt(hex[at]!, 16) ^ 1).toString(16) + hex.slice(at + 1);

describe('keystore', () => {
  it('round-trips a secret and survives JSON', async () => {
    const ks = await encryptSecret(SECRET, 'correct horse', FAST);
    const reloaded = JSON.parse(JSON.stringify(ks)) as unknown;
    expect(await decryptSecret(reloaded, 'correct horse')).toBe(SECRET);
  });

  it('writes the documented format and never the password or the secret', async () => {
    const ks = await encryptSecret(SECRET, 'correct horse', { ...FAST, createdAt: new Date(0) });
    expect(ks).toMatchObject({
      version: 1,
      kdf: { name: 'scrypt', N: MIN_SCRYPT_N, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
      network: 'regtest',
      createdAt: '1970-01-01T00:00:00.000Z',
    });
    expect(ks.kdf.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(ks.cipher.nonce).toMatch(/^[0-9a-f]{24}$/);
    // UTF-8 secret plus the 16-byte tag.
    expect(ks.ciphertext).toHaveLength((SECRET.length + 16) * 2);
    const text = JSON.stringify(ks);
    expect(text).not.toContain('correct horse');
    expect(text).not.toContain('legal');
  });

  it('uses fresh salt and nonce every time', async () => {
    const a = await encryptSecret(SECRET, 'pw', FAST);
    const b = await encryptSecret(SECRET, 'pw', FAST);
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.cipher.nonce).not.toBe(b.cipher.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('defaults to scrypt N = 2^15, r = 8, p = 1', async () => {
    const ks = await encryptSecret('x', 'pw', { network: 'main', createdAt: null });
    expect(ks.kdf).toMatchObject({ N: DEFAULT_SCRYPT_N, r: 8, p: 1 });
    expect(DEFAULT_SCRYPT_N).toBe(32768);
    expect(ks).not.toHaveProperty('createdAt');
    expect(await decryptSecret(ks, 'pw')).toBe('x');
  });

  it('reports a wrong password as such, never garbage', async () => {
    const ks = await encryptSecret(SECRET, 'correct horse', FAST);
    const error = await rejection(decryptSecret(ks, 'correct hors'));
    expect(error.code).toBe('wrong-password');
    expect(error.message).toBe('wrong password or corrupted keystore');
  });

  it('detects tampering with the ciphertext, tag, nonce, salt or network', async () => {
    const ks = await encryptSecret(SECRET, 'pw', FAST);
    const tampered: Keystore[] = [
      { ...ks, ciphertext: flip(ks.ciphertext, 0) },
      { ...ks, ciphertext: flip(ks.ciphertext, ks.ciphertext.length - 1) },
      { ...ks, cipher: { ...ks.cipher, nonce: flip(ks.cipher.nonce, 3) } },
      { ...ks, kdf: { ...ks.kdf, salt: flip(ks.kdf.salt, 5) } },
      { ...ks, network: 'main' },
    ];
    for (const t of tampered) expect((await rejection(decryptSecret(t, 'pw'))).code).toBe('wrong-password');
  });

  it('refuses malformed files and weak or hostile scrypt parameters', async () => {
    const ks = await encryptSecret(SECRET, 'pw', FAST);
    const bad: unknown[] = [
      null,
      'text',
      { ...ks, version: 2 },
      { ...ks, kdf: { ...ks.kdf, name: 'pbkdf2' } },
      { ...ks, kdf: { ...ks.kdf, N: 1000 } },
      { ...ks, kdf: { ...ks.kdf, N: 2 ** 9 } },
      { ...ks, kdf: { ...ks.kdf, N: 2 ** 30 } },
      { ...ks, cipher: { name: 'aes-128-cbc', nonce: ks.cipher.nonce } },
      { ...ks, cipher: { ...ks.cipher, nonce: 'abcd' } },
      { ...ks, ciphertext: 'zz' },
      { ...ks, network: 7 },
    ];
    for (const value of bad) {
      expect(() => parseKeystore(value)).toThrow(KeystoreError);
      expect((await rejection(decryptSecret(value, 'pw'))).code).toBe('bad-keystore');
    }
    await expect(encryptSecret(SECRET, 'pw', { network: 'main', N: 100 })).rejects.toThrow(RangeError);
  });

  it('treats canonically equivalent passwords alike (NFKC)', async () => {
    const ks = await encryptSecret(SECRET, 'caf\u00e9', FAST);
    expect(await decryptSecret(ks, 'cafe\u0301')).toBe(SECRET);
  });
});
