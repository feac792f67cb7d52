// HTTP API throughput of a real node process (regtest, loopback):
//   - GET /api/v1/blocks/:hash       goal ≥ 5,000 requests/s with p99 < 20 ms, ≥ 3,000 for a block of
//                                    101 txs (lib/block-get-rows.ts: a lean generator, autocannon as
//                                    cross-check)
//   - GET /api/v1/address/:address   cost independent of history length (lib/address-get-rows.ts)
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
import { fromHex, toHex } from '../src/core/bytes.js';
import { encodeTx } from '../src/core/tx.js';
import { addressGetRows, historyAddresses } from './lib/address-get-rows.js';
import { autocannonLoad, type LoadResult } from './lib/autocannon-load.js';
import { blockGetRows } from './lib/block-get-rows.js';
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
const CONNECTIONS = 10;
const FAN_OUT_FEE = 100_000n;
const PAYMENT_FEE = 1_000n;

interface MinedBlock {
  hash: string;
  height: number;
  txCount: number;
  txs: Array<{ txid: string; outputs: Array<{ amount: string }> }>;
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
    const fanOuts = Math.ceil((POST_TXS * POST_ROUNDS + BLOCK_TXS + 2) / FAN_OUT);
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
    // The last two coins: the payments above and the POST rounds spend the first ones.
    const spare = coins.slice(-2) as [OwnedCoin, OwnedCoin];
    const addresses = await historyAddresses(node, spare, () => mine(node));
    for (let i = 0; i < 10; i++) emptyBlocks.push(await mine(node));

    const hashes = emptyBlocks.map((b) => b.hash);
    // Raw round trip without a load generator: what one request costs when nothing else runs.
    const single = await bestOf(3, async () => {
      const start = performance.now();
      for (let i = 0; i < 50; i++) await getJson(`${node.url}/api/v1/blocks/${hashes[i % hashes.length]}`);
      return 50 / ((performance.now() - start) / 1000);
    });
    const getRows = await blockGetRows(node, hashes, fullBlock.hash, BLOCK_TXS + 1, single);
    const addressRows = await addressGetRows(node, addresses, 0);

    progress(`api: POST /api/v1/tx, ${POST_ROUNDS} rounds of ${POST_TXS} pre-signed transactions`);
    const posts: LoadResult[] = [];
    for (let round = 0; round < POST_ROUNDS; round++) {
      const batch = take(POST_TXS);
      let i = 0;
      posts.push(
        await autocannonLoad({
          node,
          connections: CONNECTIONS,
          seconds: GET_SECONDS,
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
    addressRows.push(...(await addressGetRows(node, addresses, status.mempool.count)));
    const rows: Row[] = [
      ...getRows,
      ...addressRows,
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
