// Version 2 and spending policies on a real node process, through the API: a wallet pays a 2-of-3
// multi address and an after(n) address; the address view lists their coins; a spend signed by two
// of the three keys is accepted, shown with its policy and the keys it used, and mined; a timelocked
// spend is refused with non-final until the next block reaches its height, then accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { encodePolicy, type Policy, policyHash, satisfy } from '../../src/core/policy/index.js';
import { encodeTx, sighash, TX_VERSION_2, type Tx, txid } from '../../src/core/tx.js';
import { encodeAddress } from '../../src/crypto/address.js';
import { sign } from '../../src/crypto/ed25519.js';
import { testKey } from '../support/chain-fixture.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  startNode,
} from '../support/node-process.js';
import { payFrom, regtest, testWallet, utxosOf } from './helpers.js';

cleanupNodesAfterAll();

const [a, b, c] = [testKey(11), testKey(12), testKey(13)];
const multi: Policy = { type: 'multi', k: 2, keys: [a.publicKey, b.publicKey, c.publicKey] };
let node: NodeProcess;
let wallet: Awaited<ReturnType<typeof testWallet>>;

beforeAll(async () => {
  node = await startNode({ network: 'regtest' });
  wallet = await testWallet();
  await mine(node.url, 3, wallet.receiveKey(0).address);
}, 120_000);
afterAll(async () => {
  await node?.stop();
});

const addressOf = (policy: Policy) => encodeAddress(regtest.addressPrefix, policyHash(encodePolicy(policy)));

/** Pays `amount` from the test wallet to a policy address, mines it, and returns the coin. */
async function fund(policy: Policy, amount: bigint) {
  const key = wallet.receiveKey(0);
  const built = payFrom(key, await utxosOf(node.url, key.address), addressOf(policy), amount);
  expect(built.tx.version).toBe(2); // paying a policy takes version 2
  const res = await api(node.url).post('/api/v1/tx', { hex: built.hex });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await mine(node.url, 1);
  return { txid: fromHex(built.txid), index: 0, amount };
}

/** A version 2 spend of a policy coin to key c, with the witness the signers and fields give. */
function spendPolicy(
  policy: Policy,
  coin: { txid: Uint8Array; index: number; amount: bigint },
  signers: readonly ReturnType<typeof testKey>[],
  fields: { lockTime?: number; sequence?: number } = {},
): Tx {
  const lockTime = fields.lockTime ?? 0;
  const sequence = fields.sequence ?? 0xffffffff;
  const unsigned: Tx = {
    version: TX_VERSION_2,
    inputs: [
      {
        prevTxid: coin.txid,
        prevIndex: coin.index,
        sequence,
        publicKey: new Uint8Array(),
        signature: new Uint8Array(),
        policy: encodePolicy(policy),
        witness: new Uint8Array(),
      },
    ],
    outputs: [{ amount: coin.amount - 1000n, address: c.address }],
    data: new Uint8Array(),
    lockTime,
  };
  const message = sighash(txid(unsigned), [coin.amount]);
  const sigs = new Map(signers.map((k) => [toHex(k.publicKey), sign(message, k.privateKey)]));
  const witness = satisfy(policy, {
    lockTime,
    sequence,
    signature: (key) => sigs.get(toHex(key)),
    preimage: () => undefined,
  });
  if (!witness) throw new Error('not satisfiable with these signers');
  return { ...unsigned, inputs: [{ ...unsigned.inputs[0]!, witness }] };
}

const submit = (tx: Tx) => api(node.url).post('/api/v1/tx', { hex: toHex(encodeTx(tx)) });

describe('policy spends over the API', () => {
  it('a 2-of-3 multi: funded, listed at its address, spent by two keys, shown with the branch used', async () => {
    const coin = await fund(multi, 2_000_000n);
    const address = addressOf(multi);
    const view = await getJson(node.url, `/api/v1/address/${address}`);
    expect(view.balance.confirmed).toBe('2000000');
    expect(view.utxos.map((u: Json) => u.txid)).toEqual([toHex(coin.txid)]);

    // One signature is not enough: refused for the rule, nothing in the pool.
    const one = spendPolicy(multi, coin, [a, b]);
    const partial = {
      ...one,
      inputs: [{ ...one.inputs[0]!, witness: one.inputs[0]!.witness!.subarray(0, 4 + 64) }],
    };
    const refused = await submit(partial);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('policy-unsatisfied');

    const spend = spendPolicy(multi, coin, [a, c]);
    const ok = await submit(spend);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const shown = await getJson(node.url, `/api/v1/tx/${toHex(txid(spend))}`);
    expect(shown.version).toBe(2);
    const input = shown.inputs[0];
    expect(input.address).toBe(address);
    expect(input.publicKey).toBe('');
    expect(input.policy.text).toBe(
      `multi(2,${toHex(a.publicKey)},${toHex(b.publicKey)},${toHex(c.publicKey)})`,
    );
    expect(input.policy.fragments[0]).toMatchObject({ depth: 0, type: 'multi', used: true });
    await mine(node.url, 1);
    const after = await getJson(node.url, `/api/v1/address/${address}`);
    expect(after.balance.confirmed).toBe('0');
    expect(after.history.length).toBe(2);
  }, 60_000);

  it('after(n): refused as non-final until the next block is n, then accepted and mined', async () => {
    const status = await getJson(node.url, '/api/v1/status');
    const n = status.height + 3;
    const savings: Policy = {
      type: 'and',
      subs: [
        { type: 'pk', key: a.publicKey },
        { type: 'after', n },
      ],
    };
    const coin = await fund(savings, 1_000_000n); // one block mined: the next block is n − 1
    const spend = spendPolicy(savings, coin, [a], { lockTime: n, sequence: 0xfffffffe });
    const early = await submit(spend);
    expect(early.status).toBe(400);
    expect(early.body.error).toBe('non-final');
    await mine(node.url, 1); // now the next block is n
    const ok = await submit(spend);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const [hash] = await mine(node.url, 1);
    const block = await getJson(node.url, `/api/v1/blocks/${hash}`);
    expect(block.height).toBe(n);
    expect(block.txs.map((t: Json) => t.txid)).toContain(toHex(txid(spend)));
  }, 60_000);
});
