// The version 2 encoding is canonical and its sizes are exact: any bytes that decode re-encode to
// themselves (no second encoding of one transaction), txSize is the encoded length, and a witness
// (bytes or length) never moves the txid while everything else does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePolicy,
  decodeTx,
  encodePolicy,
  encodeTx,
  RuleError,
  TX_VERSION_2,
  type Tx,
  type TxInput,
  toHex,
  txid,
  txSize,
  wtxid,
} from '../../../src/core/index.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const input: fc.Arbitrary<TxInput> = fc.oneof(
  fc.record({
    prevTxid: bytes(32),
    prevIndex: fc.nat({ max: 0xffffffff }),
    sequence: fc.nat({ max: 0xffffffff }),
    publicKey: bytes(32),
    signature: bytes(64),
  }),
  fc.record({
    prevTxid: bytes(32),
    prevIndex: fc.nat({ max: 0xffffffff }),
    sequence: fc.nat({ max: 0xffffffff }),
    publicKey: fc.constant(new Uint8Array()),
    signature: fc.constant(new Uint8Array()),
    policy: fc.uint8Array({ maxLength: 300 }),
    witness: fc.uint8Array({ maxLength: 300 }),
  }),
);
const tx: fc.Arbitrary<Tx> = fc.record({
  version: fc.constant(TX_VERSION_2),
  inputs: fc.array(input, { maxLength: 4 }),
  outputs: fc.array(
    fc.record({
      amount: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      address: fc.oneof(bytes(20), bytes(32)),
    }),
    { maxLength: 4 },
  ),
  data: fc.uint8Array({ maxLength: 300 }),
  lockTime: fc.nat({ max: 0xffffffff }),
});

const decodes = (b: Uint8Array): Tx | undefined => {
  try {
    return decodeTx(b);
  } catch (e) {
    if (e instanceof RuleError) return undefined;
    throw e;
  }
};

describe('version 2 encoding', () => {
  it('round-trips with txSize exact', () => {
    fc.assert(
      fc.property(tx, (t) => {
        const e = encodeTx(t);
        expect(txSize(t)).toBe(e.length);
        expect(toHex(encodeTx(decodeTx(e)))).toBe(toHex(e));
      }),
      { numRuns: 300 },
    );
  });

  it('has no second encoding: mutated bytes that decode re-encode to themselves', () => {
    fc.assert(
      fc.property(tx, fc.nat(), fc.nat({ max: 255 }), (t, at, value) => {
        const e = encodeTx(t);
        const m = e.slice();
        m[at % m.length] = value;
        const back = decodes(m);
        if (back) {
          expect(toHex(encodeTx(back))).toBe(toHex(m));
          expect(txSize(back)).toBe(m.length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the txid whatever the witnesses hold, and moves it with anything else', () => {
    fc.assert(
      fc.property(tx, fc.uint8Array({ maxLength: 400 }), (t, w) => {
        const id = toHex(txid(t));
        const rewitnessed: Tx = {
          ...t,
          inputs: t.inputs.map((i) =>
            i.policy ? { ...i, witness: w } : { ...i, signature: new Uint8Array(64).fill(w.length) },
          ),
        };
        expect(toHex(txid(rewitnessed))).toBe(id);
        if (t.inputs.some((i) => i.policy && toHex(i.witness!) !== toHex(w)))
          expect(toHex(wtxid(rewitnessed))).not.toBe(toHex(wtxid(t)));
        const relocked: Tx = { ...t, lockTime: (t.lockTime! + 1) >>> 0 };
        expect(toHex(txid(relocked))).not.toBe(id);
        if (t.inputs.length > 0) {
          const i0 = t.inputs[0]!;
          const resequenced: Tx = {
            ...t,
            inputs: [{ ...i0, sequence: (i0.sequence! + 1) >>> 0 }, ...t.inputs.slice(1)],
          };
          expect(toHex(txid(resequenced))).not.toBe(id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a policy only in its canonical form: mutations that decode re-encode to themselves', () => {
    const key = (n: number) => new Uint8Array(32).fill(n);
    const policies = [
      Uint8Array.of(0x02, 2, 3, ...key(1), ...key(2), ...key(3)),
      Uint8Array.of(0x07, 0x06, 0x01, ...key(4), 0x03, 0xe8, 0x03, 0, 0, 0x05, ...key(5)),
      Uint8Array.of(0x08, 1, 2, 0x04, 2, 0, 0, 0, 0x01, ...key(6)),
    ];
    let decoded = 0;
    for (const p of policies) {
      for (let at = 0; at < p.length; at++) {
        for (const value of [0, 1, 2, 3, 4, 8, 9, 20, 21, 0xff]) {
          const m = p.slice();
          m[at] = value;
          let policy: ReturnType<typeof decodePolicy> | undefined;
          try {
            policy = decodePolicy(m);
          } catch (e) {
            if (!(e instanceof RuleError)) throw e;
          }
          if (policy) {
            decoded++;
            expect(toHex(encodePolicy(policy))).toBe(toHex(m));
          }
        }
      }
    }
    expect(decoded).toBeGreaterThan(100);
  });
});
