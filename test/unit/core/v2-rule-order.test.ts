// Which code a version 2 transaction with several faults gets (docs/protocol.md, "Validation", step 10):
// each rule over every input before the next rule, in the listed order, so an input further on can
// decide the code.
import { describe, expect, it } from 'vitest';
import {
  checkTxSanity,
  MAX_POLICY_SIZE,
  TX_VERSION_2,
  type Tx,
  type TxInput,
} from '../../../src/core/index.js';

const pkPolicy = Uint8Array.of(0x01, ...new Uint8Array(32).fill(9));
const policyInput = (n: number, over: Partial<TxInput> = {}): TxInput => ({
  prevTxid: new Uint8Array(32).fill(n),
  prevIndex: 0,
  sequence: 0xffffffff,
  publicKey: new Uint8Array(),
  signature: new Uint8Array(),
  policy: pkPolicy,
  witness: new Uint8Array(64),
  ...over,
});
const tx = (...inputs: TxInput[]): Tx => ({
  version: TX_VERSION_2,
  inputs,
  outputs: [{ amount: 1n, address: new Uint8Array(32) }],
  data: new Uint8Array(),
  lockTime: 0,
});
const code = (t: Tx) => checkTxSanity(t)?.code ?? 'ok';

describe('version 2 rule order', () => {
  it('applies each rule to every input before the next rule', () => {
    const unsatisfied = { witness: new Uint8Array(63) };
    const undecodable = { policy: Uint8Array.of(0x09) };
    const tooLarge = { policy: new Uint8Array(MAX_POLICY_SIZE + 1) };
    const badSequence = { sequence: 0x10000 };
    expect(code(tx(policyInput(1), policyInput(2)))).toBe('ok');
    expect(code(tx(policyInput(1, unsatisfied), policyInput(2, undecodable)))).toBe('bad-policy');
    expect(code(tx(policyInput(1, undecodable), policyInput(2, tooLarge)))).toBe('policy-too-large');
    expect(code(tx(policyInput(1, tooLarge), policyInput(2, badSequence)))).toBe('bad-sequence');
    expect(code(tx(policyInput(1, badSequence), policyInput(1)))).toBe('double-spend');
    // An undecodable policy is bad-policy even with a witness that could never fit it.
    expect(code(tx(policyInput(1, { ...undecodable, witness: new Uint8Array() })))).toBe('bad-policy');
  });
});
