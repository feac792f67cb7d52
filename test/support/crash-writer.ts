// A process that writes blocks into a chain store as fast as it can, to be killed with SIGKILL at random
// moments by test/integration/crash.test.ts. Run with `node --import tsx test/support/crash-writer.ts <dir> <seed>`.
//
// It opens the store and a Chain directly (no node, no network), then loops forever: each block spends the
// writer's own coins in a few transactions (one spending another's output in the same block, one with a data
// record); every few blocks it builds a two-block side branch from the tip's parent, so the chain
// reorganises (disconnect + connect in one batch; the branches left behind are pruned), and now and then it hands over a run of blocks
// together (processBlocks, as a sync does). After each block or run it prints one line:
//
//   tip <height> <hash> <chainWork>     the chain's tip once processBlock() has returned
//
// The tip it prints has been written: a restarted store must be at this tip, or on a branch with more work.
// The coins cache is written every few blocks (a random interval from the seed), so most kills land
// between two coins flushes and the next start reconnects the blocks after the last one.
import '../../src/polyfill.js';
import { Chain } from '../../src/chain/chain.js';
import type { ChainEntry } from '../../src/chain/entry.js';
import { blockHash } from '../../src/core/block.js';
import type { Tx } from '../../src/core/tx.js';
import { txid } from '../../src/core/tx.js';
import { openStore } from '../../src/node/level-store.js';

import { makeBlock, regtest, spend, testKey } from './chain-fixture.js';
import { seededRandom } from './random.js';

const [dir, seedText] = process.argv.slice(2);
if (!dir) {
  console.error('usage: crash-writer.ts <store dir> [seed]');
  process.exit(2);
}

const FEE = 1_000n;
const key = testKey(7);
const next = seededRandom(Number(seedText ?? 1));

const store = await openStore(dir);
// Side branches are pruned 8 blocks below the tip (100 by default), so that kills land in prunes too.
const chain = await Chain.open({
  store,
  params: regtest,
  coinsFlushBlocks: 2 + Math.floor(next() * 10),
  prune: { depth: 8 },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const reportTip = () => say(`tip ${chain.height} ${chain.tip.hashHex} ${chain.tip.chainWork}`);
say(`ready ${chain.height} ${chain.tip.hashHex}`);
reportTip();

/** Transactions spending up to four of the writer's coins (all are mature: regtest maturity is 1). */
async function transactions(): Promise<Array<{ tx: Tx; fee: bigint }>> {
  const coins = (await chain.indexer.addressCoins(key.address)).filter((c) => c.coin.amount > 10n * FEE);
  // Shuffle so different coins (old and new, coinbase and not) get spent.
  coins.sort(() => next() - 0.5);
  const out: Array<{ tx: Tx; fee: bigint }> = [];
  const [a, b, c, d] = coins;
  if (a && b) {
    // Two coins into two outputs, then a child spending the first output within the same block.
    const total = a.coin.amount + b.coin.amount - FEE;
    const half = total / 2n;
    const parent = spend(
      key,
      [
        { txid: a.txid, index: a.index, amount: a.coin.amount },
        { txid: b.txid, index: b.index, amount: b.coin.amount },
      ],
      [
        { address: key.address, amount: half },
        { address: key.address, amount: total - half },
      ],
    );
    out.push({ tx: parent, fee: FEE });
    const child = spend(
      key,
      [{ txid: txid(parent), index: 0, amount: half }],
      [{ address: key.address, amount: half - FEE }],
    );
    out.push({ tx: child, fee: FEE });
  }
  if (c) {
    // One coin split in three, with a data record.
    const third = (c.coin.amount - FEE) / 3n;
    const tx = spend(
      key,
      [{ txid: c.txid, index: c.index, amount: c.coin.amount }],
      [
        { address: key.address, amount: third },
        { address: key.address, amount: third },
        { address: key.address, amount: c.coin.amount - FEE - 2n * third },
      ],
      new TextEncoder().encode(`split at height ${chain.height + 1}`),
    );
    out.push({ tx, fee: FEE });
  }
  if (d && coins.length > 40) {
    // Keep the coin count bounded: merge one more pair.
    const e = coins[4];
    if (e) {
      const tx = spend(
        key,
        [
          { txid: d.txid, index: d.index, amount: d.coin.amount },
          { txid: e.txid, index: e.index, amount: e.coin.amount },
        ],
        [{ address: key.address, amount: d.coin.amount + e.coin.amount - FEE }],
      );
      out.push({ tx, fee: FEE });
    }
  }
  return out;
}

let extraNonce = BigInt(Math.floor(next() * 1e9));
for (;;) {
  if (chain.height >= 2 && next() < 0.12) {
    // A heavier side branch from the tip's parent: first block "side", second one reorganises.
    const parent = chain.tip.parent!;
    const side = makeBlock(chain, { parent, miner: key.address, extraNonce: ++extraNonce, timeOffset: 1 });
    const first = await chain.processBlock(side);
    if (first.status !== 'side') throw new Error(`side block: ${first.status} ${first.error?.message ?? ''}`);
    reportTip();
    const sideEntry = chain.getEntry(first.hash)!;
    const over = makeBlock(chain, { parent: sideEntry, miner: key.address, extraNonce: ++extraNonce });
    const second = await chain.processBlock(over);
    if (second.status !== 'connected' || !second.reorg) {
      throw new Error(`reorg block: ${second.status} ${second.error?.message ?? ''}`);
    }
    reportTip();
    continue;
  }
  if (next() < 0.25) {
    // A run of blocks handed over together, as a sync does (Chain.processBlocks: connected as one batch).
    const run = [
      makeBlock(chain, { miner: key.address, txs: await transactions(), extraNonce: ++extraNonce }),
    ];
    const length = 2 + Math.floor(next() * 5);
    while (run.length < length) {
      const prev = run[run.length - 1]!;
      const parent = { hash: blockHash(prev), height: chain.height + run.length, header: prev.header };
      run.push(
        makeBlock(chain, { parent: parent as ChainEntry, miner: key.address, extraNonce: ++extraNonce }),
      );
    }
    const results = await chain.processBlocks(run);
    const bad = results.find((r) => r.status !== 'connected');
    if (bad) throw new Error(`run: ${bad.status} ${bad.error?.message ?? ''}`);
    reportTip();
    continue;
  }
  const block = makeBlock(chain, { miner: key.address, txs: await transactions(), extraNonce: ++extraNonce });
  const result = await chain.processBlock(block);
  if (result.status !== 'connected')
    throw new Error(`block: ${result.status} ${result.error?.message ?? ''}`);
  reportTip();
}
