// BIP39 mnemonics (English word list): the human backup of a wallet. Runs in Node and the browser.
import {
  generateMnemonic as bip39Generate,
  mnemonicToSeed as bip39ToSeed,
  mnemonicToSeedSync as bip39ToSeedSync,
  validateMnemonic as bip39Validate,
} from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

export type MnemonicLength = 12 | 24;

/** Entropy bits per word count: 128 bits → 12 words, 256 bits → 24 words. */
const STRENGTH: Record<MnemonicLength, number> = { 12: 128, 24: 256 };

const WORDS = new Set(wordlist);

export class MnemonicError extends Error {
  override readonly name = 'MnemonicError';
}

/** A new random mnemonic (randomness from crypto.getRandomValues). */
export function generateMnemonic(words: MnemonicLength = 12): string {
  const strength = STRENGTH[words];
  if (strength === undefined) throw new MnemonicError('a mnemonic has 12 or 24 words');
  return bip39Generate(wordlist, strength);
}

/** Lowercase, single spaces, no surrounding blanks: what people type is rarely exactly canonical. */
export const normalizeMnemonic = (mnemonic: string): string =>
  mnemonic.normalize('NFKD').trim().toLowerCase().split(/\s+/).join(' ');

/** Why a mnemonic is not valid, in words a person can act on; undefined when it is valid. */
export function mnemonicProblem(mnemonic: string): string | undefined {
  const words = normalizeMnemonic(mnemonic).split(' ').filter(Boolean);
  if (words.length !== 12 && words.length !== 24) {
    return `a mnemonic has 12 or 24 words, this one has ${words.length}`;
  }
  const unknown = words.filter((w) => !WORDS.has(w));
  if (unknown.length > 0) return `not in the BIP39 English word list: ${unknown.join(', ')}`;
  if (!bip39Validate(words.join(' '), wordlist))
    return 'the checksum does not match (a word is wrong or out of order)';
  return undefined;
}

export const validateMnemonic = (mnemonic: string): boolean => mnemonicProblem(mnemonic) === undefined;

/** Throws MnemonicError with the reason unless the mnemonic is valid; returns its normalized form. */
export function assertMnemonic(mnemonic: string): string {
  const problem = mnemonicProblem(mnemonic);
  if (problem) throw new MnemonicError(`invalid mnemonic: ${problem}`);
  return normalizeMnemonic(mnemonic);
}

/** The 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds); the passphrase is the optional "25th word". */
export async function mnemonicToSeed(mnemonic: string, passphrase = ''): Promise<Uint8Array> {
  return bip39ToSeed(assertMnemonic(mnemonic), passphrase);
}

export function mnemonicToSeedSync(mnemonic: string, passphrase = ''): Uint8Array {
  return bip39ToSeedSync(assertMnemonic(mnemonic), passphrase);
}
