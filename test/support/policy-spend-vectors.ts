// Builds the "Version 2 spends" vectors of docs/protocol.md (a 2-of-3 multi spend, a hashlock spend, a
// timelocked spend) from fixed seeds, with policies and witnesses encoded by hand from the
// specification. `npx tsx test/support/policy-spend-vectors.ts` prints them; the protocol-vectors test
// rebuilds them from the JSON and checks them against the node's code.
import {
  concatBytes,
  encodeTx,
  fromHex,
  publicKeyHash,
  SEQUENCE_FINAL,
  sha256,
  sighash,
  TX_VERSION_2,
  type Tx,
  toHex,
  txid,
  wtxid,
} from '../../src/core/index.js';
import { encodeAddress } from '../../src/crypto/address.js';
import { keyPairFromPrivate, sign } from '../../src/crypto/ed25519.js';

export const SEEDS = {
  a: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  b: '202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f',
  c: '404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f',
} as const;

const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

export function buildPolicySpendVectors() {
  const [a, b, c] = [SEEDS.a, SEEDS.b, SEEDS.c].map((s) => keyPairFromPrivate(fromHex(s)));
  const prevTxid = sha256(new TextEncoder().encode('hashline policy vectors'));
  const spentAmount = 5_000_000_000n;
  const preimage = new Uint8Array(32).fill(0x42);
  const cases = [
    {
      name: 'multi',
      text: `multi(2,${toHex(a!.publicKey)},${toHex(b!.publicKey)},${toHex(c!.publicKey)})`,
      policy: concatBytes(Uint8Array.of(0x02, 2, 3), a!.publicKey, b!.publicKey, c!.publicKey),
      lockTime: 0,
      sequence: SEQUENCE_FINAL,
      witness: (m: Uint8Array) => concatBytes(u32(0b011), sign(m, a!.privateKey), sign(m, b!.privateKey)),
    },
    {
      name: 'hashlock',
      text: `and(pk(${toHex(b!.publicKey)}),sha256(${toHex(sha256(preimage))}))`,
      policy: concatBytes(Uint8Array.of(0x06, 0x01), b!.publicKey, Uint8Array.of(0x05), sha256(preimage)),
      lockTime: 0,
      sequence: SEQUENCE_FINAL,
      witness: (m: Uint8Array) => concatBytes(sign(m, b!.privateKey), preimage),
    },
    {
      name: 'timelock',
      text: `and(pk(${toHex(a!.publicKey)}),after(1000))`,
      policy: concatBytes(Uint8Array.of(0x06, 0x01), a!.publicKey, Uint8Array.of(0x03), u32(1000)),
      lockTime: 1000,
      sequence: 0xfffffffe,
      witness: (m: Uint8Array) => sign(m, a!.privateKey),
    },
  ];
  return cases.map((k, i) => {
    const unsigned: Tx = {
      version: TX_VERSION_2,
      inputs: [
        {
          prevTxid,
          prevIndex: i,
          sequence: k.sequence,
          publicKey: new Uint8Array(),
          signature: new Uint8Array(),
          policy: k.policy,
          witness: new Uint8Array(),
        },
      ],
      outputs: [{ amount: spentAmount - 10_000n, address: publicKeyHash(c!.publicKey) }],
      data: new Uint8Array(),
      lockTime: k.lockTime,
    };
    const id = txid(unsigned);
    const message = sighash(id, [spentAmount]);
    const witness = k.witness(message);
    const tx: Tx = { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness }] };
    const policyHash = sha256(k.policy);
    return {
      name: k.name,
      policyText: k.text,
      policy: toHex(k.policy),
      policyHash: toHex(policyHash),
      address: encodeAddress('hlrt', policyHash),
      prevTxid: toHex(prevTxid),
      prevIndex: i,
      spentAmount: spentAmount.toString(),
      sequence: k.sequence,
      lockTime: k.lockTime,
      output: { amount: (spentAmount - 10_000n).toString(), address: toHex(publicKeyHash(c!.publicKey)) },
      txid: toHex(id),
      sighash: toHex(message),
      witness: toHex(witness),
      serialized: toHex(encodeTx(tx)),
      wtxid: toHex(wtxid(tx)),
    };
  });
}

if (process.argv[1]?.endsWith('policy-spend-vectors.ts')) {
  console.log(JSON.stringify({ policySpends: { seeds: SEEDS, spends: buildPolicySpendVectors() } }, null, 2));
}
