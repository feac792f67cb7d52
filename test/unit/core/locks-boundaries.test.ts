// The edges of lock times and sequences (docs/protocol.md, "Version 2"): LOCKTIME_THRESHOLD itself,
// sequence 0x80000000 and 0xffffffff, the largest relative lock, and a version 2 coinbase with a lock time.
import { describe, expect, it } from 'vitest';
import {
  checkBlockContext,
  checkTxSanity,
  checkWitness,
  createCoinbase,
  decodeTx,
  encodeTx,
  isFinalTx,
  isValidSequence,
  LOCKTIME_THRESHOLD,
  type Policy,
  relativeLock,
  SEQUENCE_FINAL,
  TX_VERSION_2,
  type Tx,
} from '../../../src/core/index.js';

const input = (sequence: number) => ({
  prevTxid: new Uint8Array(32).fill(1),
  prevIndex: 0,
  sequence,
  publicKey: new Uint8Array(32).fill(2),
  signature: new Uint8Array(64),
});
const tx = (lockTime: number, sequence: number): Tx => ({
  version: TX_VERSION_2,
  inputs: [input(sequence)],
  outputs: [{ amount: 1n, address: new Uint8Array(20) }],
  data: new Uint8Array(),
  lockTime,
});

describe('lock time edges', () => {
  it('reads LOCKTIME_THRESHOLD itself as a time, and the one below as a height', () => {
    const t = tx(LOCKTIME_THRESHOLD, 0xfffffffe);
    expect(isFinalTx(t, LOCKTIME_THRESHOLD + 5, LOCKTIME_THRESHOLD - 1)).toBe(false);
    expect(isFinalTx(t, 1, LOCKTIME_THRESHOLD)).toBe(true);
    const h = tx(LOCKTIME_THRESHOLD - 1, 0xfffffffe);
    expect(isFinalTx(h, LOCKTIME_THRESHOLD - 2, 0xffffffff)).toBe(false);
    expect(isFinalTx(h, LOCKTIME_THRESHOLD - 1, 0)).toBe(true);
  });

  it('takes sequence 0x80000000 as no relative lock that still enables the lock time', () => {
    const t = tx(100, 0x8000_0000);
    expect(isValidSequence(0x8000_0000)).toBe(true);
    expect(relativeLock(t, t.inputs[0]!)).toBe(0);
    expect(isFinalTx(t, 99, 0)).toBe(false);
    expect(isFinalTx(tx(100, SEQUENCE_FINAL), 99, 0)).toBe(true);
  });

  it('allows a relative lock of 65,535 and sequence 0, refuses 65,536 and 0x7fffffff', () => {
    expect(checkTxSanity(tx(0, 0xffff))).toBeUndefined();
    expect(checkTxSanity(tx(0, 0))).toBeUndefined();
    expect(relativeLock(tx(0, 0), input(0))).toBe(0);
    expect(checkTxSanity(tx(0, 0x1_0000))?.code).toBe('bad-sequence');
    expect(checkTxSanity(tx(0, 0x7fff_ffff))?.code).toBe('bad-sequence');
  });

  it('meets after(n) at the threshold only with a time lock time, and older(n) only without bit 31', () => {
    const after: Policy = { type: 'after', n: LOCKTIME_THRESHOLD };
    const fields = (lockTime: number, sequence = 0xfffffffe) => ({ lockTime, sequence });
    expect(() => checkWitness(after, new Uint8Array(), fields(LOCKTIME_THRESHOLD))).not.toThrow();
    expect(() => checkWitness(after, new Uint8Array(), fields(LOCKTIME_THRESHOLD - 1))).toThrow(/a height/);
    const older: Policy = { type: 'older', n: 0xffff };
    expect(() => checkWitness(older, new Uint8Array(), fields(0, 0xffff))).not.toThrow();
    expect(() => checkWitness(older, new Uint8Array(), fields(0, 0x8000_ffff))).toThrow(/bit 31/);
  });

  it('takes a version 2 coinbase with any lock time as final', () => {
    const coinbase: Tx = {
      ...createCoinbase({ height: 7, outputs: [{ amount: 1n, address: new Uint8Array(32) }], txs: [] }),
      lockTime: 0xffffffff,
    };
    expect(coinbase.version).toBe(TX_VERSION_2);
    expect(decodeTx(encodeTx(coinbase))).toEqual(coinbase);
    expect(checkTxSanity(coinbase)).toBeUndefined();
    const header = {
      version: 1,
      prevHash: new Uint8Array(32),
      merkleRoot: new Uint8Array(32),
      time: 10,
      bits: 1,
      nonce: 0,
    };
    const error = checkBlockContext(
      { header, txs: [coinbase] },
      { height: 7, expectedBits: 1, medianTimePast: 9 },
    );
    expect(error).toBeUndefined();
  });
});
