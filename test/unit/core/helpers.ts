// Shared helpers for the consensus core tests: rule-code capture and fast-check arbitraries.
import fc from 'fast-check';
import {
  type Block,
  type BlockHeader,
  MAX_U64,
  RuleError,
  type Tx,
  type TxInput,
  type TxOutput,
} from '../../../src/core/index.js';

/** The rule code a function throws, or undefined when it returns; other errors propagate. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e.code;
    throw e;
  }
  return undefined;
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

export const arbHeader: fc.Arbitrary<BlockHeader> = fc.record({
  version: u32,
  prevHash: bytes(32),
  merkleRoot: bytes(32),
  time: u32,
  bits: u32,
  nonce: u32,
});

export const arbInput: fc.Arbitrary<TxInput> = fc.record({
  prevTxid: bytes(32),
  prevIndex: u32,
  publicKey: bytes(32),
  signature: bytes(64),
});

export const arbOutput: fc.Arbitrary<TxOutput> = fc.record({
  amount: fc.bigInt({ min: 0n, max: MAX_U64 }),
  address: bytes(20),
});

/** Any well-formed transaction (not necessarily valid); data sometimes crosses the 1-byte varint size. */
const arbTx1: fc.Arbitrary<Tx> = fc.record({
  version: u32.filter((v) => v !== 2),
  inputs: fc.array(arbInput, { maxLength: 4 }),
  outputs: fc.array(arbOutput, { maxLength: 4 }),
  data: fc.uint8Array({ maxLength: 300 }),
});

const arbInput2: fc.Arbitrary<TxInput> = fc.oneof(
  fc.record({
    prevTxid: bytes(32),
    prevIndex: u32,
    sequence: u32,
    publicKey: bytes(32),
    signature: bytes(64),
  }),
  fc.record({
    prevTxid: bytes(32),
    prevIndex: u32,
    sequence: u32,
    publicKey: bytes(0),
    signature: bytes(0),
    policy: fc.uint8Array({ maxLength: 300 }),
    witness: fc.uint8Array({ maxLength: 300 }),
  }),
);

const arbOutput2: fc.Arbitrary<TxOutput> = fc.record({
  amount: fc.bigInt({ min: 0n, max: MAX_U64 }),
  address: fc.oneof(bytes(20), bytes(32)),
});

/** A version 2 transaction: sequences, a lock time, key and policy spends, key and policy outputs. */
export const arbTx2: fc.Arbitrary<Tx> = fc.record({
  version: fc.constant(2),
  inputs: fc.array(arbInput2, { maxLength: 4 }),
  outputs: fc.array(arbOutput2, { maxLength: 4 }),
  data: fc.uint8Array({ maxLength: 300 }),
  lockTime: u32,
});

export const arbTx: fc.Arbitrary<Tx> = fc.oneof(arbTx1, arbTx2);

export const arbBlock: fc.Arbitrary<Block> = fc.record({
  header: arbHeader,
  txs: fc.array(arbTx, { maxLength: 4 }),
});
