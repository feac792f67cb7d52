// GET …/raw and …/header, GET /api/v1/tx/:txid/raw and POST /api/v1/decode on a real node process:
// the bytes are the block's and transaction's own, decoding explains a refusal with the rule's code,
// the failed check and the sentence of docs/protocol.md, and nothing is stored or relayed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Block,
  blockHashHex,
  computeMerkleRoot,
  decodeBlock,
  encodeBlock,
} from '../../src/core/block.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { sha256d } from '../../src/core/hash.js';
import { NETWORKS } from '../../src/core/params.js';
import { RULE_SENTENCES } from '../../src/core/rule-sentences.js';
import { encodeTx, txidHex } from '../../src/core/tx.js';
import { assembleBlock, solveBlock } from '../../src/miner/template.js';
import { testKey } from '../support/chain-fixture.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  ROOT,
  snapshot,
  startNode,
} from '../support/node-process.js';
import { payFrom, testWallet, utxosOf } from './helpers.js';

cleanupNodesAfterAll();

const protocol = readFileSync(join(ROOT, 'docs', 'protocol.md'), 'utf8');
let node: NodeProcess;
let wallet: Awaited<ReturnType<typeof testWallet>>;

beforeAll(async () => {
  node = await startNode({ network: 'regtest' });
  wallet = await testWallet();
  await mine(node.url, 2, wallet.receiveKey(0).address);
  await mine(node.url, 1);
}, 120_000);
afterAll(async () => {
  await node?.stop();
});

const decode = (body: Json) => api(node.url).post('/api/v1/decode', body);

async function bytesOf(path: string) {
  const res = await fetch(`${node.url}${path}`, { headers: { accept: 'application/octet-stream' } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

/** A block on the tip mined here, with `edit` applied to it before its roots and nonce are redone. */
async function blockOnTip(edit: (b: Block) => Block = (b) => b): Promise<Block> {
  const status = await getJson(node.url, '/api/v1/status');
  const tip = await getJson(node.url, `/api/v1/blocks/${status.tip}`);
  const block = edit(
    assembleBlock({
      params: NETWORKS.regtest,
      height: status.height + 1,
      prevHash: fromHex(status.tip),
      bits: Number.parseInt(status.bits, 16),
      time: tip.time + 1,
      minerAddress: testKey(9).address,
      txs: [],
    }),
  );
  return solveBlock({ ...block, header: { ...block.header, merkleRoot: computeMerkleRoot(block.txs) } })!;
}

function expectExplained(refusal: Json, code: keyof typeof RULE_SENTENCES) {
  expect(refusal.code).toBe(code);
  expect(refusal.sentence).toBe(RULE_SENTENCES[code].sentence);
  expect(protocol).toContain(refusal.sentence);
  expect(refusal.check.length).toBeGreaterThan(0);
}

describe('raw blocks, headers and transactions', () => {
  it('a block as hex and as bytes: its own serialization, hashing to its hash', async () => {
    const view = await getJson(node.url, '/api/v1/blocks/1');
    const { status, body } = await api(node.url).get('/api/v1/blocks/1/raw');
    expect(status).toBe(200);
    const block = decodeBlock(fromHex(body.hex));
    expect(blockHashHex(block)).toBe(view.hash);
    expect(block.txs.map(txidHex)).toEqual(view.txs.map((t: Json) => t.txid));
    expect(toHex(encodeBlock(block))).toBe(body.hex);
    const byHash = await api(node.url).get(`/api/v1/blocks/${view.hash}/raw`);
    expect(byHash.body.hex).toBe(body.hex);
    const raw = await bytesOf('/api/v1/blocks/1/raw');
    expect(raw.status).toBe(200);
    expect(raw.type).toBe('application/octet-stream');
    expect(toHex(raw.bytes)).toBe(body.hex);
  });

  it('a header is the 80 bytes the block hash is taken over', async () => {
    const view = await getJson(node.url, '/api/v1/blocks/2');
    const { body } = await api(node.url).get(`/api/v1/blocks/${view.hash}/header`);
    expect(body.hex).toHaveLength(160);
    expect(toHex(sha256d(fromHex(body.hex)))).toBe(view.hash);
    const raw = await bytesOf('/api/v1/blocks/2/header');
    expect(raw.bytes).toHaveLength(80);
    expect(toHex(raw.bytes)).toBe(body.hex);
  });

  it('a transaction, pending then confirmed, as its own bytes', async () => {
    const key = wallet.receiveKey(0);
    const built = payFrom(key, await utxosOf(node.url, key.address), wallet.receiveKey(1).address, 5000n);
    expect((await api(node.url).post('/api/v1/tx', { hex: built.hex })).status).toBe(201);
    const pending = await api(node.url).get(`/api/v1/tx/${built.txid}/raw`);
    expect(pending.body.hex).toBe(built.hex);
    await mine(node.url, 1);
    const confirmed = await api(node.url).get(`/api/v1/tx/${built.txid}/raw`);
    expect(confirmed.body.hex).toBe(built.hex);
    expect(toHex((await bytesOf(`/api/v1/tx/${built.txid}/raw`)).bytes)).toBe(built.hex);
  });

  it('unknown ids are 404, malformed ones 400 or 404, as JSON', async () => {
    const zeros = '0'.repeat(64);
    for (const path of [
      `/api/v1/blocks/${zeros}/raw`,
      '/api/v1/blocks/9999/header',
      `/api/v1/tx/${zeros}/raw`,
    ]) {
      const r = await api(node.url).get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error).toBe('not-found');
    }
    const bad = await api(node.url).get('/api/v1/tx/xyz/raw');
    expect(bad.status).toBe(400);
    expect((await bytesOf(`/api/v1/blocks/${zeros}/raw`)).status).toBe(404);
  });
});

describe('POST /api/v1/decode', () => {
  it('a block of the chain: every field, every level run and passed', async () => {
    const view = await getJson(node.url, '/api/v1/blocks/4');
    const hex = (await getJson(node.url, '/api/v1/blocks/4/raw')).hex;
    const { status, body } = await decode({ hex });
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'block', hash: view.hash, height: 4, known: 'active', valid: true });
    expect(body.refusal).toBeNull();
    expect(body.header).toMatchObject({ merkleRoot: view.merkleRoot, nonce: view.nonce, bits: view.bits });
    expect(body.txs).toEqual(view.txs);
    expect(new Set(body.checks.map((c: Json) => c.level))).toEqual(new Set(['sanity', 'context', 'connect']));
    expect(body.checks.every((c: Json) => c.status === 'pass')).toBe(true);
  });

  it('a header: its fields and its checks against its parent', async () => {
    const hex = (await getJson(node.url, '/api/v1/blocks/3/header')).hex;
    const { body } = await decode({ hex });
    expect(body).toMatchObject({ kind: 'header', height: 3, known: 'active', valid: true, txs: [] });
    expect(body.checks.map((c: Json) => c.code)).toContain('time-too-old');
  });

  it('a tampered block names the rule, the failed check and the protocol sentence, and stores nothing', async () => {
    const before = await snapshot(node.url);
    const bytes = fromHex((await getJson(node.url, '/api/v1/blocks/2/raw')).hex);
    bytes[bytes.length - 3]! ^= 1; // in the last transaction: the Merkle root no longer matches
    const { status, body } = await decode({ hex: toHex(bytes) });
    expect(status).toBe(200);
    expect(body.valid).toBe(false);
    expectExplained(body.refusal, 'bad-merkle-root');
    expect(body.refusal).toMatchObject({ level: 'sanity', malleated: true });
    expect(body.refusal.check).toBe("Merkle root of the txids equals the header's");

    // A well-mined block on the tip whose coinbase pays one unit too many: only connect can tell.
    const overpaid = await blockOnTip((b) => ({
      ...b,
      txs: [
        { ...b.txs[0]!, outputs: [{ ...b.txs[0]!.outputs[0]!, amount: b.txs[0]!.outputs[0]!.amount + 1n }] },
      ],
    }));
    const r = await decode({ hex: toHex(encodeBlock(overpaid)), kind: 'block' });
    expectExplained(r.body.refusal, 'bad-coinbase-amount');
    expect(r.body.refusal.level).toBe('connect');
    expect(r.body.known).toBeNull();
    expect(await snapshot(node.url)).toEqual(before);
    expect((await api(node.url).get(`/api/v1/blocks/${blockHashHex(overpaid)}`)).status).toBe(404);
  });

  it('a valid block on the tip passes and is not connected; an orphan gets sanity only', async () => {
    const before = await snapshot(node.url);
    const block = await blockOnTip();
    const { body } = await decode({ hex: toHex(encodeBlock(block)) });
    expect(body).toMatchObject({ kind: 'block', valid: true, known: null, height: before.height + 1 });
    expect(await snapshot(node.url)).toEqual(before);
    const orphan = { ...block, header: { ...block.header, prevHash: new Uint8Array(32).fill(7) } };
    const o = await decode({ hex: toHex(encodeBlock(solveBlock(orphan)!)) });
    expect(o.body.checks.every((c: Json) => c.level === 'sanity')).toBe(true);
    expect(o.body.skipped[0]).toMatchObject({ level: 'context' });
  });

  it('a new transaction is judged as the mempool would, and not added', async () => {
    const key = wallet.receiveKey(0);
    const utxos = await utxosOf(node.url, key.address);
    const good = payFrom(key, utxos, wallet.receiveKey(2).address, 7000n);
    const before = await snapshot(node.url);
    const { body } = await decode({ hex: good.hex });
    expect(body).toMatchObject({ kind: 'tx', hash: good.txid, valid: true, known: null, refusal: null });
    const [tx] = body.txs;
    expect(tx.inputs[0].publicKey).toBe(toHex(key.publicKey));
    expect(tx.inputs[0].signature).toBe(toHex(good.tx.inputs[0]!.signature));
    expect(tx.fee).toBe(good.fee.toString());
    expect(await snapshot(node.url)).toEqual(before);

    const free = payFrom(key, utxos, wallet.receiveKey(2).address, 7000n, { feeRate: 0n });
    expectExplained((await decode({ hex: free.hex, kind: 'tx' })).body.refusal, 'fee-too-low');
    const forged = {
      ...good.tx,
      inputs: good.tx.inputs.map((i) => ({ ...i, signature: new Uint8Array(64) })),
    };
    expectExplained((await decode({ hex: toHex(encodeTx(forged)) })).body.refusal, 'bad-signature');
  });

  it('bad or oversized hex is a 400 naming the rule; bytes that do not decode are explained', async () => {
    for (const hex of ['zz', 'abc', '']) {
      const r = await decode({ hex });
      expect(r.status, hex).toBe(400);
      expect(r.body.error).toBe('bad-encoding');
    }
    const huge = await decode({ hex: 'ab'.repeat(1_000_001) });
    expect(huge.status).toBe(400);
    expect(huge.body.error).toBe('block-too-large');
    const unknown = await decode({ hex: 'deadbeef' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('bad-encoding');
    const asBlock = await decode({ hex: 'deadbeef', kind: 'block' });
    expect(asBlock.status).toBe(200);
    expectExplained(asBlock.body.refusal, 'bad-encoding');
    expect(asBlock.body.refusal.level).toBe('decoding');
    // A coinbase too short to carry a height: its fields still show, and the mempool's rule is named.
    const stub = encodeTx({
      version: 1,
      inputs: [],
      outputs: [{ amount: 1n, address: new Uint8Array(20) }],
      data: new Uint8Array([1, 2, 3]),
    });
    const coinbase = await decode({ hex: toHex(stub), kind: 'tx' });
    expect(coinbase.status).toBe(200);
    expect(coinbase.body.txs[0].data.hex).toBe('010203');
    expectExplained(coinbase.body.refusal, 'non-final');
    const wrongKind = await decode({ hex: 'ab', kind: 'coin' });
    expect(wrongKind.status).toBe(400);
  });
});
