// HTTP API throughput of a real node process (regtest, loopback), driven by autocannon:
//   - GET /api/v1/blocks/:hash       goal ≥ 5,000 requests/s with p99 < 20 ms
//   - POST /api/v1/tx                goal ≥ 1,000 valid tx/s (only 201 answers count): this is also
//                                    mempool acceptance through the API
//
//   npx tsc -p tsconfig.build.json && node --import tsx bench/api.ts
//
// Set-up: the node's wallet key is written before it starts, so its mined coins are ours to spend;
// a few coinbases are fanned out (one transaction each, thousands of outputs) to a test key and
// mined, then every output is spent by its own pre-signed one-input one-output transaction.
import '../src/polyfill.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { fromHex, toHex } from '../src/core/bytes.js';
import { encodeTx } from '../src/core/tx.js';
import { getJson, type NodeProcess, postJson, startNode } from './lib/node-process.js';
import { bestOf, formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { type BenchKey, benchKey, type OwnedCoin, scratchDir, signedTx } from './lib/spend-chain.js';

/** Pre-signed transactions fired per POST round, and rounds (best of). */
const POST_TXS = 5_000;
const POST_ROUNDS = 2;
/** Transactions in the block used for the "block with transactions" GET figure. */
const BLOCK_TXS = 100;
/** Outputs per fan-out transaction: about 70 kB, under the 100 kB transaction limit. */
const FAN_OUT = 2_500;
const GET_SECONDS = 3;
const GET_RUNS = 3;
const CONNECTIONS = 10;
const FAN_OUT_FEE = 100_000n;
const PAYMENT_FEE = 1_000n;

interface MinedBlock {
  hash: string;
  height: number;
  txCount: number;
  txs: Array<{ txid: string; outputs: Array<{ amount: string }> }>;
}

interface LoadResult {
  /** Answers with the expected status per second of wall time. */
  rate: number;
  expected: number;
  total: number;
  p99: number;
  p50: number;
  seconds: number;
  /** Node process CPU seconds per second of the run (1 = one core busy). */
  nodeCores: number;
  firstError?: string;
}

/** Runs autocannon with one request shape and counts answers with `expectStatus`. */
function load(opts: {
  node: NodeProcess;
  url: string;
  method: 'GET' | 'POST';
  next: () => { path?: string; body?: string } | undefined;
  expectStatus: number;
  seconds?: number;
  amount?: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let expected = 0;
    let firstError: string | undefined;
    const cpuBefore = opts.node.cpuSeconds();
    const start = performance.now();
    // autocannon notices that `amount` is reached only on its one-second tick: time to the last answer.
    let lastAnswer = start;
    const instance = autocannon(
      {
        url: opts.url,
        connections: CONNECTIONS,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? GET_SECONDS }),
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: opts.method,
            setupRequest: (req) => {
              const next = opts.next();
              return next ? { ...req, ...next } : req;
            },
            onResponse: (status, body) => {
              lastAnswer = performance.now();
              if (status === opts.expectStatus) expected++;
              else firstError ??= `${status} ${body.slice(0, 200)}`;
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = ((opts.amount ? lastAnswer : performance.now()) - start) / 1000;
        const nodeCores = (opts.node.cpuSeconds() - cpuBefore) / seconds;
        resolve({
          nodeCores,
          rate: expected / seconds,
          expected,
          total: result.requests.total,
          p99: result.latency.p99,
          p50: result.latency.p50,
          seconds,
          firstError,
        });
      },
    );
    instance.on('error', reject);
  });
}

const mine = (node: NodeProcess) => postJson<MinedBlock>(`${node.url}/api/v1/mine`, {});

/** Hex bodies of signed 1-in-1-out payments, one per coin. */
function payments(coins: readonly OwnedCoin[], to: BenchKey): string[] {
  return coins.map((coin) => {
    const { tx } = signedTx([coin], [{ amount: coin.amount - PAYMENT_FEE, address: to.address }]);
    return JSON.stringify({ hex: toHex(encodeTx(tx)) });
  });
}

export async function runApiBench(): Promise<Row[]> {
  const dir = scratchDir('hashline-bench-api-');
  const wallet = benchKey(0x21);
  const holder = benchKey(0x22);
  const payee = benchKey(0x23);
  mkdirSync(dir.path, { recursive: true });
  writeFileSync(
    path.join(dir.path, 'node-wallet.json'),
    JSON.stringify({ version: 1, privateKey: toHex(wallet.privateKey) }),
    { mode: 0o600 },
  );
  progress('api: starting a regtest node');
  const node = await startNode({ dataDir: dir.path });
  try {
    // Coinbases to the node wallet, then one fan-out per coinbase to the holder key.
    const fanOuts = Math.ceil((POST_TXS * POST_ROUNDS + BLOCK_TXS) / FAN_OUT);
    const emptyBlocks: MinedBlock[] = [];
    for (let i = 0; i < fanOuts + 1; i++) emptyBlocks.push(await mine(node));
    progress(`api: fanning ${fanOuts} coinbases out to ${fanOuts * FAN_OUT} coins`);
    const coins: OwnedCoin[] = [];
    for (const block of emptyBlocks.slice(0, fanOuts)) {
      const coinbase = block.txs[0]!;
      const amount = BigInt(coinbase.outputs[0]!.amount);
      const each = (amount - FAN_OUT_FEE) / BigInt(FAN_OUT);
      const { tx, id } = signedTx(
        [{ txid: fromHex(coinbase.txid), index: 0, amount, key: wallet }],
        Array.from({ length: FAN_OUT }, () => ({ amount: each, address: holder.address })),
      );
      await postJson(`${node.url}/api/v1/tx`, { hex: toHex(encodeTx(tx)) });
      for (let index = 0; index < FAN_OUT; index++)
        coins.push({ txid: id, index, amount: each, key: holder });
    }
    const fanOutBlock = await mine(node);
    if (fanOutBlock.txCount !== fanOuts + 1)
      throw new Error(`the fan-outs were not mined (${fanOutBlock.txCount} txs)`);

    progress('api: signing payments');
    const bodies = payments(coins, payee);
    let cursor = 0;
    const take = (n: number) => bodies.slice(cursor, (cursor += n));

    // A block with BLOCK_TXS payments, for the GET of a block with transactions.
    for (const body of take(BLOCK_TXS)) {
      await getJson(`${node.url}/api/v1/tx`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    }
    const fullBlock = await mine(node);
    if (fullBlock.txCount !== BLOCK_TXS + 1)
      throw new Error(`expected ${BLOCK_TXS + 1} txs, got ${fullBlock.txCount}`);
    for (let i = 0; i < 10; i++) emptyBlocks.push(await mine(node));

    progress('api: GET /api/v1/blocks/:hash');
    const hashes = emptyBlocks.map((b) => b.hash);
    let n = 0;
    const getEmpty = async () => {
      const r = await load({
        node,
        url: node.url,
        method: 'GET',
        next: () => ({ path: `/api/v1/blocks/${hashes[n++ % hashes.length]}` }),
        expectStatus: 200,
      });
      if (r.firstError) throw new Error(`GET /api/v1/blocks/:hash failed: ${r.firstError}`);
      return r;
    };
    const emptyRuns: LoadResult[] = [];
    for (let i = 0; i < GET_RUNS; i++) emptyRuns.push(await getEmpty());
    const bestEmpty = emptyRuns.reduce((a, b) => (b.rate > a.rate ? b : a));
    const full = await load({
      node,
      url: node.url,
      method: 'GET',
      next: () => ({ path: `/api/v1/blocks/${fullBlock.hash}` }),
      expectStatus: 200,
      seconds: 3,
    });

    progress(`api: POST /api/v1/tx, ${POST_ROUNDS} rounds of ${POST_TXS} pre-signed transactions`);
    const posts: LoadResult[] = [];
    for (let round = 0; round < POST_ROUNDS; round++) {
      const batch = take(POST_TXS);
      let i = 0;
      posts.push(
        await load({
          node,
          url: `${node.url}/api/v1/tx`,
          method: 'POST',
          next: () => (i < batch.length ? { body: batch[i++] } : undefined),
          expectStatus: 201,
          amount: batch.length,
        }),
      );
    }
    const bestPost = posts.reduce((a, b) => (b.rate > a.rate ? b : a));
    const status = await node.status();
    const accepted = posts.reduce((s, p) => s + p.expected, 0);
    // Raw round trip without autocannon: what one request costs when nothing else runs.
    const single = await bestOf(3, async () => {
      const start = performance.now();
      for (let i = 0; i < 50; i++) await getJson(`${node.url}/api/v1/blocks/${hashes[i % hashes.length]}`);
      return 50 / ((performance.now() - start) / 1000);
    });

    const rows: Row[] = [
      {
        name: 'GET /api/v1/blocks/:hash (coinbase-only blocks)',
        value: bestEmpty.rate,
        unit: 'req/s',
        baseline: `${formatNumber(single)} req/s (one connection, sequential fetch)`,
        ratio: bestEmpty.rate / single,
        goal: '≥ 5,000 req/s',
        met: bestEmpty.rate >= 5000,
        note: `${CONNECTIONS} connections, best of ${GET_RUNS} × ${GET_SECONDS} s; the node used ${bestEmpty.nodeCores.toFixed(
          2,
        )} cores: ${formatNumber(bestEmpty.rate / bestEmpty.nodeCores)} req per node CPU-second; autocannon runs on the same 2 cores`,
      },
      {
        name: 'GET /api/v1/blocks/:hash p99 latency',
        value: bestEmpty.p99,
        unit: 'ms',
        goal: '< 20 ms',
        met: bestEmpty.p99 < 20,
        note: `p50 ${bestEmpty.p50} ms`,
      },
      {
        name: `GET /api/v1/blocks/:hash, block with ${BLOCK_TXS + 1} txs`,
        value: full.rate,
        unit: 'req/s',
        baseline: `${formatNumber(bestEmpty.rate)} req/s (coinbase-only block)`,
        ratio: full.rate / bestEmpty.rate,
        goal: '≥ 3,000 req/s',
        met: full.rate >= 3000,
        note: `p99 ${full.p99} ms, p50 ${full.p50} ms; node ${full.nodeCores.toFixed(2)} cores busy; txids hashed once, addresses encoded once per block, no per-tx Merkle proofs (the tx view has them)`,
      },
      {
        name: 'POST /api/v1/tx valid tx/s (201 answers)',
        value: bestPost.rate,
        unit: 'tx/s',
        goal: '≥ 1,000 tx/s',
        met: bestPost.rate >= 1000,
        note: `best of ${POST_ROUNDS} rounds of ${POST_TXS} pre-signed 1-in-1-out txs (${posts
          .map((p) => formatNumber(p.rate))
          .join(
            ', ',
          )} tx/s); ${accepted} accepted, mempool holds ${status.mempool.count}; p99 ${bestPost.p99} ms; node ${bestPost.nodeCores.toFixed(
          2,
        )} cores busy: ${formatNumber(bestPost.rate / bestPost.nodeCores)} tx per node CPU-second${
          bestPost.firstError ? `; first other answer: ${bestPost.firstError}` : ''
        }`,
      },
    ];
    return rows;
  } catch (e) {
    throw new Error(`${(e as Error).message}\nnode output:\n${node.output().slice(-2000)}`);
  } finally {
    await node.stop();
    dir.cleanup();
  }
}

await runAsScript(import.meta.url, 'api', runApiBench);
