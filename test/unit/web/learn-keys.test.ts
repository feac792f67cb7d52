// Step 5's helpers: signatures that fit one message only, address derivation stage by stage (against
// docs/protocol.md's address vector), and the checksum catching every one-letter typo.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { NETWORKS } from '../../../src/core/params.js';
import {
  BECH32_CHARSET,
  checkAddress,
  deriveAddress,
  differingIndexes,
  keyFromText,
  oneLetterTypo,
  signText,
  verifyText,
} from '../../../web/src/learn/lib/keys.js';

const VECTOR = {
  publicKey: '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8',
  hash: '56475aa75463474c0285df5dbf2bcab73da65135',
  main: 'hl12er44f65vdr5cq59mawm7272ku76v5f4kqawmp',
  regtest: 'hlrt12er44f65vdr5cq59mawm7272ku76v5f4s8k8p2',
};

describe('keys and signatures', () => {
  it('derives the same key from the same phrase, another from another', () => {
    expect(toHex(keyFromText('a').publicKey)).toBe(toHex(keyFromText('a').publicKey));
    expect(toHex(keyFromText('a').publicKey)).not.toBe(toHex(keyFromText('b').publicKey));
  });

  it('verifies the signed message and refuses it with any one character changed', () => {
    const k = keyFromText('test');
    const sig = signText('Pay Bob 10 HL', k.privateKey);
    expect(verifyText(k.publicKey, 'Pay Bob 10 HL', sig)).toBe(true);
    expect(verifyText(k.publicKey, 'Pay Bob 19 HL', sig)).toBe(false);
    expect(verifyText(k.publicKey, 'pay Bob 10 HL', sig)).toBe(false);
    expect(verifyText(keyFromText('other').publicKey, 'Pay Bob 10 HL', sig)).toBe(false);
  });
});

describe('address derivation', () => {
  it('matches the protocol vector at every stage', () => {
    const d = deriveAddress('hl', fromHex(VECTOR.publicKey));
    expect(d.hash).toBe(VECTOR.hash);
    expect(d.sha256.slice(0, 40)).toBe(VECTOR.hash);
    expect(d.address).toBe(VECTOR.main);
    expect(`${d.prefix}1${d.data}${d.checksum}`).toBe(d.address);
    expect(d.checksum).toHaveLength(6);
    expect(deriveAddress(NETWORKS.regtest.addressPrefix, fromHex(VECTOR.publicKey)).address).toBe(
      VECTOR.regtest,
    );
  });

  it('decodes a good address to its key hash, and names another network', () => {
    expect(checkAddress('hl', VECTOR.main)).toEqual({ ok: true, hash: VECTOR.hash });
    const other = checkAddress('hl', VECTOR.regtest);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.reason).toContain('another network');
  });

  it('catches a one-letter typo at every position of the address', () => {
    const positions = VECTOR.main.length - 3;
    for (let i = 0; i < positions; i++) {
      const typo = oneLetterTypo(VECTOR.main, i);
      expect(differingIndexes(VECTOR.main, typo).size, `position ${i}`).toBe(1);
      const r = checkAddress('hl', typo);
      expect(r.ok, `typo at ${i}: ${typo}`).toBe(false);
      if (!r.ok) expect(r.reason).toContain('checksum');
    }
    // Only letters of the bech32 alphabet are used, so the typo is one a person could make.
    expect([...oneLetterTypo(VECTOR.main, 5).slice(3)].every((c) => BECH32_CHARSET.includes(c))).toBe(true);
  });
});
