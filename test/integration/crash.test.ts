// Crash safety with real processes and SIGKILL:
//   (a) a node mining continuously (and taking payments) is killed at random moments; every block it
//       announced and every transaction it accepted is still there after each restart, the stored chain
//       passes `hashline chain verify`, and the store is consistent (UTXO set = replay of the chain);
//   (b) a bare writer process (store + Chain, no node) importing blocks with transactions and reorgs is
//       killed at random moments; after each kill the store is consistent and at (or beyond) the last tip
//       the writer reported.
// The coins cache and the explorer index trail the tip on disk between their writes: the kills must land
// there (the store check replays the chain to each marker), so that restarts take the replay path.
// The random choices come from a seed printed on failure; set HASHLINE_CRASH_SEED to replay a run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/node/level-store.js';

import { testKey } from '../support/chain-fixture.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  runCli,
  type SseEvent,
  spawnScript,
  startNode,
  subscribeEvents,
  tempDir,
  waitFor,
} from '../support/node-process.js';
import { seededRandom, seedFrom } from '../support/random.js';
import { checkStoreAt, checkStoreConsistency, coinsOf } from '../support/store-check.js';
import { testWallet } from './helpers.js';

cleanupNodesAfterAll();

const SEED = seedFrom('HASHLINE_CRASH_SEED');
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seedNote = `(replay with HASHLINE_CRASH_SEED=${SEED})`;

/** Runs `fn` over items with at most `limit` in flight. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The active chain's hashes from height 0 to `to`, by pages of /api/v1/blocks. */
async function activeHashes(url: string, to: number): Promise<string[]> {
  const hashes: string[] = [];
  while (hashes.length <= to) {
    const page = await getJson(url, `/api/v1/blocks?from=${hashes.length}&limit=500`);
    if (page.blocks.length === 0) break;
    for (const b of page.blocks as Json[]) hashes.push(b.hash);
  }
  return hashes;
}

describe('crash safety', () => {
  it('SIGKILL during continuous mining loses no acknowledged block or transaction', {
    timeout: 300_000,
  }, async () => {
    const random = seededRandom(SEED);
    const recipient = (await testWallet()).receiveAddress(0);
    /** Blocks the node announced (SSE `block`), by height; transactions it answered 201 for. */
    const blocks = new Map<number, string>();
    const txs = new Set<string>();
    let dataDir: string | undefined;

    async function expectAllAcknowledged(url: string, full: boolean): Promise<void> {
      const heights = [...blocks.keys()];
      const top = heights.length > 0 ? Math.max(...heights) : 0;
      const status = await getJson(url, '/api/v1/status');
      expect(status.height, seedNote).toBeGreaterThanOrEqual(top);
      const active = await activeHashes(url, top);
      for (const [height, hash] of blocks) expect(active[height], `block ${height} ${seedNote}`).toBe(hash);
      // Looked up one by one as well: all of them at the end, a sample in between.
      const sample = full ? [...blocks.values()] : [...blocks.values()].filter(() => random() < 0.02);
      await eachLimited(sample, 8, async (hash) => {
        const res = await api(url).get(`/api/v1/blocks/${hash}`);
        expect(res.status, `block ${hash} ${seedNote}`).toBe(200);
        expect(res.body.confirmations).toBeGreaterThan(0);
      });
      await eachLimited([...txs], 8, async (id) => {
        const res = await api(url).get(`/api/v1/tx/${id}`);
        expect(res.status, `accepted tx ${id} is gone ${seedNote}`).toBe(200);
      });
    }

    const ROUNDS = 5;
    let coinsBehind = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // The first start mines from the command line; restarts start the miner through the API once the
      // events are subscribed, so that nearly every block mined is also seen and checked (regtest mines
      // ~1000 blocks/s: unseen blocks would only make the chain, and each verify, longer).
      const viaFlag = round === 0;
      const node = await startNode({
        dataDir,
        args: viaFlag ? ['--mine', '--threads', '1'] : ['--threads', '1'],
      });
      dataDir = node.dataDir;
      await expectAllAcknowledged(node.url, false);

      // Kill after a random number of announced blocks, plus a random few milliseconds: the miner and the
      // payments keep the node writing all the time, so the kill lands in the middle of some write.
      const target = 1 + Math.floor(random() * 200);
      let seen = 0;
      const { promise: enough, resolve: reached } = Promise.withResolvers<void>();
      const events = subscribeEvents(node.url, (e: SseEvent) => {
        if (e.event !== 'block') return;
        const known = blocks.get(e.data.height);
        if (known !== undefined && known !== e.data.hash) {
          throw new Error(`height ${e.data.height} announced twice: ${known}, then ${e.data.hash}`);
        }
        blocks.set(e.data.height, e.data.hash);
        if (++seen >= target) reached();
      });
      await events.opened;
      if (!viaFlag) {
        const started = await api(node.url).post('/api/v1/miner/start', {});
        expect(started.status, started.text).toBe(200);
        expect(started.body.mining).toBe(true);
      }
      let paying = true;
      const payer = (async () => {
        while (paying) {
          try {
            const amount = 1_000 + Math.floor(random() * 1_000_000);
            const res = await api(node.url).post('/transactions/new', { recipient, amount });
            if (res.status === 201) txs.add(res.body.txid);
          } catch {
            // the node was killed mid-request: that payment was never acknowledged
          }
        }
      })();
      const timer = setTimeout(() => reached(), 60_000);
      await enough;
      clearTimeout(timer);
      await delay(random() * 40);
      const exit = await node.kill('SIGKILL');
      paying = false;
      await payer;
      events.close();
      await events.ended;
      expect(exit.signal).toBe('SIGKILL');
      expect(
        seen,
        `round ${round}: the node announced only ${seen} blocks in 60 s ${seedNote}`,
      ).toBeGreaterThanOrEqual(target);

      const verify = await runCli(['chain', 'verify', '--data-dir', dataDir], { timeoutMs: 120_000 });
      expect(
        verify.code,
        `chain verify after kill ${round}: ${verify.stdout}${verify.stderr} ${seedNote}`,
      ).toBe(0);
      expect(verify.stdout).toMatch(/^OK: regtest chain of \d+ blocks is valid/);
      const summary = await checkStoreAt(join(dataDir, 'chain'));
      expect(summary.height, seedNote).toBeGreaterThanOrEqual(Math.max(...blocks.keys()));
      if (summary.coinsHeight < summary.height) coinsBehind++;
    }
    // The node writes its coins every 500 blocks: killed after at most ~200 more, it restarts by replay.
    expect(coinsBehind, `no kill left the coins behind the tip ${seedNote}`).toBeGreaterThan(0);

    // Restarted once more without mining: every block and transaction acknowledged in any round is there.
    const node = await startNode({ dataDir });
    await expectAllAcknowledged(node.url, true);
    expect(blocks.size).toBeGreaterThanOrEqual(ROUNDS);
    expect(txs.size).toBeGreaterThan(0);
    expect((await node.stop()).code).toBe(0);
  });

  it('a writer killed at random moments always leaves a consistent store at its last reported tip', {
    timeout: 300_000,
  }, async () => {
    const random = seededRandom(SEED ^ 0x9e3779b9);
    const dir = tempDir('hashline-writer-');
    const ROUNDS = 8;
    let reported = 0;
    let coinsBehind = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const writer = spawnScript('test/support/crash-writer.ts', [dir, String((SEED + round) >>> 0)]);
      const early = random() < 0.25;
      if (early) {
        // Anywhere in start-up: loading the index, finishing an interrupted connect, the first blocks.
        await delay(random() * 1_500);
      } else {
        await waitFor(
          () => writer.stdout().includes('\nready ') || writer.stdout().startsWith('ready '),
          'the writer to start',
          {
            timeoutMs: 60_000,
          },
        );
        await delay(50 + random() * 600);
      }
      writer.proc.kill('SIGKILL');
      const exit = await writer.exit;
      expect(
        exit.signal,
        `the writer failed on its own (round ${round}):\n${writer.output()} ${seedNote}`,
      ).toBe('SIGKILL');

      const tips = writer
        .stdout()
        .split('\n')
        .slice(0, -1) // the last piece may be a line cut by the kill
        .filter((l) => l.startsWith('tip '))
        .map((l) => {
          const [, height, hash, work] = l.split(' ');
          return { height: Number(height), hash: hash!, work: BigInt(work!) };
        });
      reported += tips.length;
      const summary = await checkStoreAt(dir).catch((e: Error) => {
        throw new Error(`round ${round}: ${e.message} ${seedNote}`);
      });
      if (summary.coinsHeight < summary.height) coinsBehind++;
      const last = tips.at(-1);
      if (last) {
        expect(summary.index.has(last.hash), `round ${round} ${seedNote}`).toBe(true);
        expect(summary.chainWork, `round ${round} ${seedNote}`).toBeGreaterThanOrEqual(last.work);
        // The reported tip is on the active chain, or a branch with more work has replaced it.
        if (summary.active[last.height] !== last.hash) expect(summary.chainWork).toBeGreaterThan(last.work);
      }
    }
    expect(reported, 'the writer never got to write a block').toBeGreaterThan(ROUNDS);
    expect(coinsBehind, `no kill left the coins behind the tip ${seedNote}`).toBeGreaterThan(0);

    const verify = await runCli(['chain', 'verify', '--data-dir', dir], { timeoutMs: 120_000 });
    expect(verify.code, `${verify.stdout}${verify.stderr} ${seedNote}`).toBe(0);

    // The check itself must be able to fail: a coin gone missing, then a tip moved back, are both caught.
    const store = await openStore(dir);
    const [coin] = await coinsOf(store, testKey(7).address);
    await store.coins.writes().delCoin(coin!.txid, coin!.index).write();
    await store.close();
    await expect(checkStoreAt(dir)).rejects.toThrow(/coins/);
    const again = await openStore(dir);
    await again.coins.writes().putCoin(coin!.txid, coin!.index, coin!.coin).write();
    const height = (await checkStoreConsistency(again)).height;
    await again.blocks
      .writes()
      .putTip((await again.blocks.getHashAtHeight(height - 1))!)
      .write();
    await again.close();
    await expect(checkStoreAt(dir)).rejects.toThrow(/above the tip/);
  });
});
