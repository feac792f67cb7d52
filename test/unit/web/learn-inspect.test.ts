// The inspector's helpers: JSON rebuilt into the exact bytes of the node's encoders, every byte in
// exactly one named field, the hashes recomputed (and a tampered field caught).
import { describe, expect, it } from 'vitest';
import { blockHashHex } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { genesisBlock } from '../../../src/core/genesis.js';
import { encodeHeader } from '../../../src/core/header.js';
import { COIN, NETWORKS } from '../../../src/core/params.js';
import { encodeTx, type Tx, txidHex } from '../../../src/core/tx.js';
import { encodeAddress } from '../../../src/crypto/address.js';
import type { BlockJson, TxJson } from '../../../web/src/api/types.js';
import { type ByteField, classifyId, inspectHeader, inspectTx } from '../../../web/src/learn/lib/inspect.js';
import { pay, person, startLedger } from '../../../web/src/learn/lib/utxo.js';

const params = NETWORKS.regtest;
const prefix = params.addressPrefix;

/** The API's JSON shape of a transaction (docs/api.md), from a transaction. */
function txJson(tx: Tx): TxJson {
  return {
    txid: txidHex(tx),
    version: tx.version,
    lockTime: 0,
    size: encodeTx(tx).length,
    coinbase: tx.inputs.length === 0,
    inputs: tx.inputs.map((i) => ({
      prevTxid: toHex(i.prevTxid),
      prevIndex: i.prevIndex,
      publicKey: toHex(i.publicKey),
      signature: toHex(i.signature),
      address: null,
      amount: null,
      sequence: 0xffffffff,
      policy: null,
      witness: null,
    })),
    outputs: tx.outputs.map((o, index) => ({
      index,
      amount: o.amount.toString(),
      address: encodeAddress(prefix, o.address),
      kind: 'key' as const,
    })),
    data: { hex: toHex(tx.data), text: null },
    fee: '0',
    feeRate: 0,
    sender: null,
    recipient: tx.outputs[0] ? encodeAddress(prefix, tx.outputs[0].address) : null,
    amount: tx.outputs[0]?.amount.toString() ?? '0',
    block: null,
    confirmations: 0,
    merkleProof: null,
  };
}

const genesis = genesisBlock(params);
const blockJson: BlockJson = {
  hash: blockHashHex(genesis),
  height: 0,
  previousHash: toHex(genesis.header.prevHash),
  time: genesis.header.time,
  bits: genesis.header.bits.toString(16).padStart(8, '0'),
  difficulty: 1,
  nonce: genesis.header.nonce,
  txCount: 1,
  size: 0,
  miner: null,
  version: genesis.header.version,
  merkleRoot: toHex(genesis.header.merkleRoot),
  target: '',
  chainWork: '',
  confirmations: 1,
  nextHash: null,
  reward: '0',
  fees: '0',
  txs: genesis.txs.map(txJson),
};

function expectTiling(fields: readonly ByteField[], length: number) {
  let at = 0;
  for (const f of fields) {
    expect(f.start, f.name).toBe(at);
    at += f.length;
  }
  expect(at).toBe(length);
}

describe('header inspection', () => {
  it('rebuilds the 80 header bytes, names each field, and recomputes the hash and Merkle root', () => {
    const ins = inspectHeader(blockJson, prefix);
    expect(toHex(ins.bytes)).toBe(toHex(encodeHeader(genesis.header)));
    expectTiling(ins.fields, 80);
    expect(ins.computed).toBe(ins.claimed);
    expect(ins.merkle.computed).toBe(ins.merkle.claimed);
    const nonce = ins.fields.find((f) => f.name === 'nonce')!;
    expect(nonce.value).toBe(String(genesis.header.nonce));
    expect(ins.fields.find((f) => f.name === 'bits')!.value).toBe('0x207fffff');
  });

  it('catches a field that does not match the hash', () => {
    const ins = inspectHeader({ ...blockJson, nonce: blockJson.nonce + 1 }, prefix);
    expect(ins.computed).not.toBe(ins.claimed);
  });
});

describe('transaction inspection', () => {
  const alice = person('Alice', params);
  const built = pay(startLedger(alice), params, alice, person('Bob', params), 3n * COIN, 2n);
  const withData: Tx = { ...built.tx, data: new TextEncoder().encode('hello') };

  it('rebuilds the exact bytes and txid; every byte in one field; signatures outside the txid', () => {
    for (const tx of [built.tx, withData, genesis.txs[0]!]) {
      const ins = inspectTx(txJson(tx), prefix);
      expect(toHex(ins.bytes)).toBe(toHex(encodeTx(tx)));
      expectTiling(ins.fields, ins.bytes.length);
      expect(ins.computed).toBe(txidHex(tx));
      const unhashed = ins.fields.filter((f) => !f.hashed);
      expect(unhashed.every((f) => f.kind === 'signature')).toBe(true);
      expect(unhashed.length).toBe(tx.inputs.length);
    }
    const ins = inspectTx(txJson(built.tx), prefix);
    const amount = ins.fields.find((f) => f.name === 'output 0: amount (units)')!;
    expect(amount.value).toBe((3n * COIN).toString());
    // The amount's bytes are little-endian u64.
    const bytes = ins.bytes.slice(amount.start, amount.start + 8);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)).toBe(3n * COIN);
  });

  it("splits a coinbase's data into height, extra-nonce, signature root and text", () => {
    const coinbase = genesis.txs[0]!;
    const fields = inspectTx(txJson(coinbase), prefix).fields;
    const value = (name: string) => fields.find((f) => f.name.startsWith(name))?.value;
    expect(value('coinbase data: height')).toBe('0');
    expect(value('coinbase data: extra-nonce')).toBe('0');
    expect(value('coinbase data: signature root')).toBe('00'.repeat(32));
    expect(value('coinbase data: text')).toBe(toHex(new TextEncoder().encode(params.genesis.message)));
  });

  it('a changed amount changes the txid; a changed signature does not', () => {
    const json = txJson(built.tx);
    const more = { ...json, outputs: json.outputs.map((o, i) => (i === 0 ? { ...o, amount: '1' } : o)) };
    expect(inspectTx(more, prefix).computed).not.toBe(json.txid);
    const sig = json.inputs[0]!.signature;
    const resigned = {
      ...json,
      inputs: [{ ...json.inputs[0]!, signature: (sig[0] === '0' ? '1' : '0') + sig.slice(1) }],
    };
    expect(inspectTx(resigned, prefix).computed).toBe(json.txid);
  });
});

describe('classifyId', () => {
  it('tells heights from hashes and refuses the rest', () => {
    expect(classifyId(' 12 ')).toEqual({ kind: 'height', height: 12 });
    expect(classifyId('AB'.repeat(32))).toEqual({ kind: 'hash', hash: 'ab'.repeat(32) });
    expect(classifyId('xyz')).toBeNull();
    expect(classifyId('ab'.repeat(31))).toBeNull();
  });
});
