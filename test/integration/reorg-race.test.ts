// A reorganising block and a conflicting transaction sent to a real node at the same time: the transaction
// of the abandoned block is back in the mempool before the block's answer, the conflicting spend is refused,
// and the next mined block confirms the restored one. Run many times with varying timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Block, blockHashHex, encodeBlock } from '../../src/core/block.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { blockSubsidy, NETWORKS } from '../../src/core/params.js';
import { encodeTx, type Tx, txid } from '../../src/core/tx.js';
import { assembleBlock, solveBlock } from '../../src/miner/template.js';
import { spend, testKey } from '../support/chain-fixture.js';
import { api, cleanupNodesAfterAll, getJson, type NodeProcess, startNode } from '../support/node-process.js';

cleanupNodesAfterAll();

const params = NETWORKS.regtest;
const owner = testKey(7);
const payee = testKey(8);
const ROUNDS = 16;
/** When the conflicting spend leaves, in ms after the reorganising block; 'after' waits for its answer. */
const TIMING: ReadonlyArray<number | 'after'> = [0, 1, 2, 3, 5, 8, 12, 'after'];
const DEADLINE_MS = 60_000;

interface Tip {
  readonly hash: string;
  readonly height: number;
  readonly time: number;
}

let node: NodeProcess;
let bits: number;

beforeAll(async () => {
  node = await startNode({ network: 'regtest', logLevel: 'warn' });
  bits = Number.parseInt((await getJson(node.url, '/api/v1/status')).bits, 16);
}, 60_000);
afterAll(async () => {
  await node?.stop();
});

function blockOn(parent: Tip, opts: { txs?: Array<{ tx: Tx; fee: bigint }>; extraNonce: bigint }): Block {
  const block = assembleBlock({
    params,
    height: parent.height + 1,
    prevHash: fromHex(parent.hash),
    bits,
    time: parent.time + 1,
    minerAddress: owner.address,
    txs: opts.txs ?? [],
    extraNonce: opts.extraNonce,
  });
  return solveBlock(block)!;
}

const tipOf = (block: Block, parent: Tip): Tip => ({
  hash: blockHashHex(block),
  height: parent.height + 1,
  time: block.header.time,
});

const postBlock = (block: Block) => api(node.url).post('/api/v1/blocks', { hex: toHex(encodeBlock(block)) });
const postTx = (tx: Tx) => api(node.url).post('/api/v1/tx', { hex: toHex(encodeTx(tx)) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 'pending', the height of the block that confirms it, or 'unknown'. */
async function where(tx: Tx): Promise<'pending' | 'unknown' | number> {
  const r = await api(node.url).get(`/api/v1/tx/${toHex(txid(tx))}`);
  if (r.status === 404) return 'unknown';
  expect(r.status).toBe(200);
  return r.body.block ? r.body.block.height : 'pending';
}

describe('reorganisation racing a conflicting transaction', () => {
  it(
    'never loses the restored transaction and never accepts its conflict',
    async () => {
      const started = Date.now();
      const status = await getJson(node.url, '/api/v1/status');
      let tip: Tip = {
        hash: status.tip,
        height: status.height,
        time: (await getJson(node.url, `/api/v1/blocks/${status.tip}`)).time,
      };
      // One mature coin per round (regtest coinbases mature after one block).
      const coins: Array<{ txid: Uint8Array; index: number; amount: bigint }> = [];
      for (let i = 0; i <= ROUNDS; i++) {
        const block = blockOn(tip, { extraNonce: 0n });
        expect((await postBlock(block)).status).toBe(201);
        coins.push({ txid: txid(block.txs[0]!), index: 0, amount: blockSubsidy(params, tip.height + 1) });
        tip = tipOf(block, tip);
      }

      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS && Date.now() - started < DEADLINE_MS - 10_000; round++) {
        const coin = coins[round]!;
        const t = spend(owner, [coin], [{ address: owner.address, amount: coin.amount - 1000n }]);
        // Paying less than t, the rival can never replace it once t is pending again.
        const rival = spend(owner, [coin], [{ address: payee.address, amount: coin.amount - 500n }]);
        // t is confirmed on the node's branch; a longer branch without it takes over.
        const fork = tip;
        const withT = blockOn(fork, { txs: [{ tx: t, fee: 1000n }], extraNonce: 1n });
        expect((await postBlock(withT)).body.status).toBe('connected');
        const side = blockOn(fork, { extraNonce: 2n });
        const over = blockOn(tipOf(side, fork), { extraNonce: 2n });
        expect((await postBlock(side)).body.status).toBe('side');

        const timing = TIMING[round % TIMING.length]!;
        const reorg = postBlock(over);
        const conflict =
          timing === 'after' ? reorg.then(() => postTx(rival)) : sleep(timing).then(() => postTx(rival));
        const [blockRes, txRes] = await Promise.all([reorg, conflict]);
        expect(blockRes.status).toBe(201);
        expect(blockRes.body.status).toBe('connected');
        tip = tipOf(over, tipOf(side, fork));

        // Before the reorg the coin is spent by a confirmed t (missing-inputs); from the reorg on, by a
        // pending t (a replacement of t that pays too little). Never accepted: t is valid on the new branch
        // and comes first.
        const REPLACE = 'replacement-fee-rate-too-low';
        expect(txRes.status, `round ${round}: ${txRes.text}`).toBe(400);
        expect([REPLACE, 'missing-inputs']).toContain(txRes.body.error);
        if (timing === 'after') expect(txRes.body.error).toBe(REPLACE);
        if (txRes.body.error === REPLACE) expect(txRes.body.message).toContain(toHex(txid(t)));
        outcomes.push(`${timing}:${txRes.body.error}`);

        // The block's answer came after the mempool was rebuilt: t is pending right away.
        expect(await where(t)).toBe('pending');
        expect(await where(rival)).toBe('unknown');
        const mined = await api(node.url).post('/api/v1/mine', {});
        expect(mined.status).toBe(201);
        expect(await where(t)).toBe(mined.body.height);
        expect(await where(rival)).toBe('unknown');
        tip = { hash: mined.body.hash, height: mined.body.height, time: mined.body.time };
      }
      expect(outcomes.length).toBeGreaterThanOrEqual(TIMING.length);
      expect(outcomes.filter((o) => o.endsWith('replacement-fee-rate-too-low')).length).toBeGreaterThan(0);
    },
    DEADLINE_MS + 30_000,
  );
});
