import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  COINBASE_DATA_MAX,
  createCoinbase,
  decodeCoinbaseData,
  decodeTx,
  encodeCoinbaseData,
  encodeTx,
  fromHex,
  isCoinbase,
  MAX_TX_SIZE,
  merkleRoot,
  outpointKey,
  publicKeyHash,
  sha256,
  sha256d,
  sighash,
  signatureRoot,
  type Tx,
  toHex,
  txid,
  txidHex,
  txSize,
  txSizeFor,
  wtxid,
} from '../../../src/core/index.js';
import { arbTx, codeOf } from './helpers.js';

const sample: Tx = {
  version: 1,
  inputs: [
    {
      prevTxid: fromHex('aa'.repeat(32)),
      prevIndex: 2,
      publicKey: fromHex('bb'.repeat(32)),
      signature: fromHex('cc'.repeat(64)),
    },
  ],
  outputs: [{ amount: 5000n, address: fromHex('dd'.repeat(20)) }],
  data: fromHex('0102'),
};

describe('transaction encoding', () => {
  it('lays out version | inputs | outputs | data with CompactSize counts', () => {
    expect(toHex(encodeTx(sample))).toBe(
      [
        '01000000',
        '01',
        'aa'.repeat(32),
        '02000000',
        'bb'.repeat(32),
        'cc'.repeat(64),
        '01',
        '8813000000000000',
        'dd'.repeat(20),
        '02',
        '0102',
      ].join(''),
    );
    expect(txSize(sample)).toBe(4 + 1 + 132 + 1 + 28 + 1 + 2);
  });

  it('sizes a transaction from its counts across the varint boundary (253 outputs, 253 data bytes)', () => {
    const big = { ...sample, outputs: Array(253).fill(sample.outputs[0]), data: new Uint8Array(253) };
    expect(txSizeFor(1, 253, 253)).toBe(encodeTx(big).length);
    expect(txSize(big)).toBe(4 + 1 + 132 + 3 + 253 * 28 + 3 + 253);
  });

  it('round-trips any transaction', () => {
    fc.assert(
      fc.property(arbTx, (tx) => {
        const bytes = encodeTx(tx);
        const back = decodeTx(bytes);
        expect(back).toEqual(tx);
        expect(toHex(encodeTx(back))).toBe(toHex(bytes));
        expect(txSize(tx)).toBe(bytes.length);
      }),
    );
  });

  it('rejects every truncation and any trailing byte as bad-encoding', () => {
    const bytes = encodeTx(sample);
    for (let len = 0; len < bytes.length; len++) {
      expect(codeOf(() => decodeTx(bytes.subarray(0, len)))).toBe('bad-encoding');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(codeOf(() => decodeTx(longer))).toBe('bad-encoding');
  });

  it('rejects counts that claim more items than the bytes could hold', () => {
    // 2 inputs announced, one present.
    const bytes = encodeTx(sample);
    const lying = bytes.slice();
    lying[4] = 2;
    expect(codeOf(() => decodeTx(lying))).toBe('bad-encoding');
  });

  it('rejects a data record longer than the transaction size limit while decoding', () => {
    const w = new ByteWriter()
      .u32(1)
      .varint(0)
      .varint(0)
      .varint(MAX_TX_SIZE + 1);
    expect(codeOf(() => decodeTx(w.finish()))).toBe('bad-encoding');
  });

  it('rejects a non-canonical count', () => {
    const hex = toHex(encodeTx({ ...sample, inputs: [] }));
    // inputs count 0 written as fd0000
    const nonCanonical = `${hex.slice(0, 8)}fd0000${hex.slice(10)}`;
    expect(codeOf(() => decodeTx(fromHex(nonCanonical)))).toBe('bad-encoding');
  });
});

describe('txid', () => {
  it('is sha256d of the encoding without signatures', () => {
    const bytes = encodeTx(sample);
    const withoutSig = new Uint8Array([...bytes.subarray(0, 5 + 68), ...bytes.subarray(5 + 132)]);
    expect(toHex(txid(sample))).toBe(toHex(sha256d(withoutSig)));
    expect(txidHex(sample)).toBe(toHex(txid(sample)));
  });

  it('does not change when a signature changes', () => {
    fc.assert(
      fc.property(arbTx, fc.uint8Array({ minLength: 64, maxLength: 64 }), (tx, sig) => {
        const resigned: Tx = {
          ...tx,
          inputs: tx.inputs.map((i) => (i.policy ? { ...i, witness: sig } : { ...i, signature: sig })),
        };
        expect(toHex(txid(resigned))).toBe(toHex(txid(tx)));
      }),
    );
  });

  it('changes when anything else changes', () => {
    const variants: Tx[] = [
      { ...sample, version: 3 },
      { ...sample, inputs: [{ ...sample.inputs[0]!, prevIndex: 3 }] },
      { ...sample, inputs: [{ ...sample.inputs[0]!, prevTxid: fromHex('ab'.repeat(32)) }] },
      { ...sample, inputs: [{ ...sample.inputs[0]!, publicKey: fromHex('ba'.repeat(32)) }] },
      { ...sample, outputs: [{ ...sample.outputs[0]!, amount: 5001n }] },
      { ...sample, outputs: [{ ...sample.outputs[0]!, address: fromHex('de'.repeat(20)) }] },
      { ...sample, data: fromHex('0103') },
    ];
    const ids = new Set([txidHex(sample), ...variants.map(txidHex)]);
    expect(ids.size).toBe(variants.length + 1);
  });
});

describe('sighash', () => {
  it('is sha256d(txid | each spent amount as u64 LE)', () => {
    const id = txid(sample);
    const expected = sha256d(
      new Uint8Array([...id, ...fromHex('8813000000000000'), ...fromHex('0100000000000000')]),
    );
    expect(toHex(sighash(id, [5000n, 1n]))).toBe(toHex(expected));
  });

  it('commits to the spent amounts', () => {
    const id = txid(sample);
    expect(toHex(sighash(id, [5000n]))).not.toBe(toHex(sighash(id, [5001n])));
    expect(toHex(sighash(id, [1n, 2n]))).not.toBe(toHex(sighash(id, [2n, 1n])));
  });
});

describe('coinbase', () => {
  it('has no inputs and data = height u32 LE | extra-nonce u64 LE | signature root | text', () => {
    const cb = createCoinbase({
      height: 0x010203,
      outputs: [{ amount: 1n, address: new Uint8Array(20) }],
      txs: [sample],
      extraNonce: 0x0a0b0c0dn,
      text: new TextEncoder().encode('hi'),
    });
    const root = signatureRoot([sample]);
    expect(isCoinbase(cb)).toBe(true);
    expect(isCoinbase(sample)).toBe(false);
    expect(toHex(cb.data)).toBe(`03020100${'0d0c0b0a00000000'}${toHex(root)}6869`);
    expect(decodeCoinbaseData(cb.data)).toEqual({
      height: 0x010203,
      extraNonce: 0x0a0b0c0dn,
      sigRoot: root,
      text: new TextEncoder().encode('hi'),
    });
  });

  it('commits to every signature through the wtxids, the coinbase leaf being zero', () => {
    const other = { ...sample, inputs: sample.inputs.map((i) => ({ ...i, signature: new Uint8Array(64) })) };
    expect(toHex(txid(other))).toBe(toHex(txid(sample)));
    expect(toHex(wtxid(other))).not.toBe(toHex(wtxid(sample)));
    expect(toHex(wtxid(sample))).toBe(toHex(sha256d(encodeTx(sample))));
    expect(toHex(signatureRoot([sample]))).toBe(toHex(merkleRoot([new Uint8Array(32), wtxid(sample)])));
    expect(toHex(signatureRoot([other]))).not.toBe(toHex(signatureRoot([sample])));
    expect(toHex(signatureRoot([]))).toBe(toHex(new Uint8Array(32)));
  });

  it('keeps the signature root when only the extra-nonce changes (the coinbase leaf is fixed)', () => {
    const at = (extraNonce: bigint) =>
      decodeCoinbaseData(createCoinbase({ height: 1, outputs: [], txs: [sample], extraNonce }).data).sigRoot;
    expect(toHex(at(1n))).toBe(toHex(at(2n)));
  });

  it('allows at most 56 bytes of text', () => {
    const root = new Uint8Array(32);
    expect(encodeCoinbaseData(1, 0n, root, new Uint8Array(56)).length).toBe(COINBASE_DATA_MAX);
    expect(() => encodeCoinbaseData(1, 0n, root, new Uint8Array(57))).toThrow(RangeError);
    expect(() => encodeCoinbaseData(1, 0n, new Uint8Array(31))).toThrow(RangeError);
  });

  it('reads short data as bad-encoding', () => {
    expect(codeOf(() => decodeCoinbaseData(new Uint8Array(43)))).toBe('bad-encoding');
  });
});

describe('addresses and outpoints', () => {
  it('hashes a public key to the first 20 bytes of its SHA-256', () => {
    const pk = fromHex('bb'.repeat(32));
    expect(toHex(publicKeyHash(pk))).toBe(toHex(sha256(pk)).slice(0, 40));
  });

  it('keys an outpoint as txid hex and index', () => {
    expect(outpointKey(fromHex('aa'.repeat(32)), 7)).toBe(`${'aa'.repeat(32)}:7`);
    expect(outpointKey('ff', 0)).toBe('ff:0');
  });
});
