// Transaction version 2 (docs/protocol.md, "Version 2"): its encoding, txid, wtxid and size, and that
// version 1 transactions cannot silently carry version 2 fields.
import { describe, expect, it } from 'vitest';
import {
  decodeTx,
  encodeTx,
  RuleError,
  SEQUENCE_FINAL,
  TX_VERSION_2,
  type Tx,
  txid,
  txSize,
  wtxid,
} from '../../../src/core/index.js';

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

const v2: Tx = {
  version: TX_VERSION_2,
  inputs: [
    { prevTxid: bytes(32, 1), prevIndex: 0, sequence: 10, publicKey: bytes(32, 2), signature: bytes(64, 3) },
    {
      prevTxid: bytes(32, 4),
      prevIndex: 7,
      sequence: 0xfffffffe,
      publicKey: new Uint8Array(),
      signature: new Uint8Array(),
      policy: bytes(33, 5),
      witness: bytes(64, 6),
    },
  ],
  outputs: [
    { amount: 1000n, address: bytes(20, 7) },
    { amount: 2000n, address: bytes(32, 8) },
  ],
  data: bytes(3, 9),
  lockTime: 1234,
};

describe('transaction version 2', () => {
  it('round-trips, with its size exact', () => {
    const encoded = encodeTx(v2);
    expect(encoded.length).toBe(txSize(v2));
    const back = decodeTx(encoded);
    expect(back).toEqual(v2);
    expect(encodeTx(back)).toEqual(encoded);
  });

  it('lays out sequence, unlock kind, output kind and lock time as specified', () => {
    const e = encodeTx(v2);
    const view = new DataView(e.buffer, e.byteOffset);
    expect(view.getUint32(0, true)).toBe(2);
    expect(e[4]).toBe(2); // two inputs
    expect(view.getUint32(5 + 36, true)).toBe(10); // sequence of input 0
    expect(e[5 + 40]).toBe(0); // key spend
    const second = 5 + 41 + 96;
    expect(view.getUint32(second + 36, true)).toBe(0xfffffffe);
    expect(e[second + 40]).toBe(1); // policy spend
    expect(e[second + 41]).toBe(33); // policy length
    expect(view.getUint32(e.length - 4, true)).toBe(1234);
  });

  it('keeps witnesses and signatures out of the txid, but not sequences, policies or the lock time', () => {
    const id = txid(v2);
    const otherWitness = { ...v2, inputs: [v2.inputs[0]!, { ...v2.inputs[1]!, witness: bytes(70, 1) }] };
    const otherSig = { ...v2, inputs: [{ ...v2.inputs[0]!, signature: bytes(64, 9) }, v2.inputs[1]!] };
    expect(txid(otherWitness)).toEqual(id);
    expect(txid(otherSig)).toEqual(id);
    expect(wtxid(otherWitness)).not.toEqual(wtxid(v2));
    expect(txid({ ...v2, lockTime: 1235 })).not.toEqual(id);
    expect(txid({ ...v2, inputs: [{ ...v2.inputs[0]!, sequence: 11 }, v2.inputs[1]!] })).not.toEqual(id);
    const otherPolicy = { ...v2, inputs: [v2.inputs[0]!, { ...v2.inputs[1]!, policy: bytes(33, 6) }] };
    expect(txid(otherPolicy)).not.toEqual(id);
  });

  it('refuses unknown unlock and output kinds as bad-encoding', () => {
    const e = encodeTx(v2);
    const badUnlock = e.slice();
    badUnlock[5 + 40] = 2;
    expect(() => decodeTx(badUnlock)).toThrow(RuleError);
    const single: Tx = { ...v2, inputs: [v2.inputs[0]!], outputs: [v2.outputs[0]!] };
    const s = encodeTx(single);
    const outKind = 5 + 41 + 96 + 1 + 8;
    expect(s[outKind]).toBe(0);
    s[outKind] = 3;
    try {
      decodeTx(s);
      expect.unreachable();
    } catch (err) {
      expect((err as RuleError).code).toBe('bad-encoding');
    }
  });

  it('refuses to encode version 2 fields in a version 1 transaction', () => {
    const key = v2.inputs[0]!;
    const v1 = {
      version: 1,
      inputs: [{ ...key, sequence: undefined }],
      outputs: [v2.outputs[0]!],
      data: bytes(0, 0),
    };
    expect(() => encodeTx(v1)).not.toThrow();
    expect(() => encodeTx({ ...v1, lockTime: 5 })).toThrow(/version 2/);
    expect(() => encodeTx({ ...v1, inputs: [key] })).toThrow(/version 2/);
    expect(() => encodeTx({ ...v1, inputs: [{ ...key, sequence: SEQUENCE_FINAL }] })).not.toThrow();
    expect(() => encodeTx({ ...v1, outputs: [v2.outputs[1]!] })).toThrow(/version 2/);
    expect(() => encodeTx({ ...v1, inputs: [v2.inputs[1]!] })).toThrow(/version 2/);
  });
});
