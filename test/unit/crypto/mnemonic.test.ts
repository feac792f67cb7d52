import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  assertMnemonic,
  generateMnemonic,
  MnemonicError,
  mnemonicProblem,
  mnemonicToSeed,
  mnemonicToSeedSync,
  normalizeMnemonic,
  validateMnemonic,
} from '../../../src/crypto/mnemonic.js';

// BIP39 reference vectors (trezor/python-mnemonic vectors.json), passphrase "TREZOR".
const ABOUT = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const LEGAL = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

describe('BIP39 mnemonics', () => {
  it('matches the reference seeds', async () => {
    expect(bytesToHex(await mnemonicToSeed(ABOUT, 'TREZOR'))).toBe(
      'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
    );
    expect(bytesToHex(mnemonicToSeedSync(LEGAL, 'TREZOR'))).toBe(
      '2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607',
    );
  });

  it('generates 12 and 24 word mnemonics that validate and give a 64-byte seed', async () => {
    const twelve = generateMnemonic();
    const twentyFour = generateMnemonic(24);
    expect(twelve.split(' ')).toHaveLength(12);
    expect(twentyFour.split(' ')).toHaveLength(24);
    expect(validateMnemonic(twelve)).toBe(true);
    expect(validateMnemonic(twentyFour)).toBe(true);
    expect(twelve).not.toBe(generateMnemonic());
    const seed = await mnemonicToSeed(twelve);
    expect(seed).toHaveLength(64);
    expect(mnemonicToSeedSync(twelve)).toEqual(seed);
    expect(await mnemonicToSeed(twelve, 'other')).not.toEqual(seed);
  });

  it('rejects a wrong checksum, unknown words and a wrong word count with a reason', () => {
    expect(mnemonicProblem(ABOUT.replace(/about$/, 'abandon'))).toMatch(/checksum/);
    expect(mnemonicProblem(ABOUT.replace(/about$/, 'aboot'))).toMatch(/aboot/);
    expect(mnemonicProblem('abandon abandon about')).toMatch(/12 or 24 words, this one has 3/);
    expect(() => assertMnemonic('zoo')).toThrow(MnemonicError);
    expect(() => mnemonicToSeedSync(LEGAL.replace('legal', 'winner'))).toThrow(MnemonicError);
    expect(() => generateMnemonic(13 as 12)).toThrow(MnemonicError);
  });

  it('accepts what people type: extra blanks and capitals', async () => {
    const typed = `  ${ABOUT.toUpperCase().replaceAll(' ', '   ')}\n`;
    expect(normalizeMnemonic(typed)).toBe(ABOUT);
    expect(validateMnemonic(typed)).toBe(true);
    expect(await mnemonicToSeed(typed)).toEqual(await mnemonicToSeed(ABOUT));
  });
});
