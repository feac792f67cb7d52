// `hashline chain verify` on a chain mined by a real node: it passes as mined, and names the block and the
// rule when someone rewrites a stored block on disk. `hashline demo` shows the same on a scratch chain,
// then repairs it from two other copies by consensus.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Block, computeMerkleRoot, decodeBlock, encodeBlock } from '../../src/core/block.js';
import { fromHex } from '../../src/core/bytes.js';
import { NETWORKS } from '../../src/core/params.js';
import { workForBits } from '../../src/core/pow.js';
import { solveBlock } from '../../src/miner/template.js';
import { openStore } from '../../src/node/level-store.js';

import { api, cleanupNodesAfterAll, getJson, mine, runCli, startNode } from '../support/node-process.js';
import { testWallet } from './helpers.js';

cleanupNodesAfterAll();

describe('hashline chain verify', () => {
  let dataDir: string;
  let chainDir: string;
  /** Height of a block holding a payment with a data record. */
  let recordHeight: number;
  let height: number;

  const verify = () => runCli(['chain', 'verify', '--data-dir', dataDir], { timeoutMs: 120_000 });

  /** Rewrites the stored bytes of the active block at `h` (the node is stopped); returns a restore function. */
  async function tamper(h: number, change: (block: Block) => Block): Promise<() => Promise<void>> {
    const store = await openStore(chainDir);
    try {
      const hash = (await store.blocks.getHashAtHeight(h))!;
      const original = (await store.blocks.getBlockBytes(hash))!;
      await store.blocks.putBlockBytesUnsafe(hash, encodeBlock(change(decodeBlock(original))));
      return async () => {
        const again = await openStore(chainDir);
        await again.blocks.putBlockBytesUnsafe(hash, original);
        await again.close();
      };
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    const node = await startNode();
    dataDir = node.dataDir;
    chainDir = join(dataDir, 'chain');
    const alice = (await testWallet()).receiveAddress(0);
    await mine(node.url, 2);
    for (const [i, data] of ['Bob owes Alice 3 coffees', 'Carol lent Bob a bike'].entries()) {
      const res = await api(node.url).post('/transactions/new', {
        recipient: alice,
        amount: 1_000_000 * (i + 1),
        data,
      });
      expect(res.status, res.text).toBe(201);
    }
    const [hash] = await mine(node.url, 1);
    recordHeight = (await getJson(node.url, `/api/v1/blocks/${hash}`)).height;
    await mine(node.url, 3);
    height = (await getJson(node.url, '/api/v1/status')).height;
    expect((await node.stop()).code).toBe(0);
  });

  it('passes on the chain the node mined', async () => {
    const r = await verify();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^OK: regtest chain of ${height + 1} blocks is valid; tip [0-9a-f]{64}`),
    );
  });

  it('a rewritten data record: exit 1 naming the height and bad-merkle-root', async () => {
    const restore = await tamper(recordHeight, (block) => ({
      header: block.header,
      txs: block.txs.map((tx, i) =>
        i === 1 ? { ...tx, data: new TextEncoder().encode('Alice owes Bob 300 coffees') } : tx,
      ),
    }));
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`INVALID: block ${recordHeight} \\([0-9a-f]{64}\\) breaks rule bad-merkle-root`),
    );
    await restore();
    expect((await verify()).code).toBe(0);
  });

  it('a changed output amount: exit 1 naming the height and bad-merkle-root', async () => {
    const restore = await tamper(recordHeight, (block) => ({
      header: block.header,
      txs: block.txs.map((tx, i) =>
        i === 2
          ? { ...tx, outputs: tx.outputs.map((o, j) => (j === 0 ? { ...o, amount: o.amount * 100n } : o)) }
          : tx,
      ),
    }));
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`INVALID: block ${recordHeight} .*breaks rule bad-merkle-root`));
    await restore();
  });

  it('a bigger coinbase with a fixed Merkle root and a re-mined header: exit 1, bad-coinbase-amount', async () => {
    const victim = height - 1;
    const restore = await tamper(victim, (block) => {
      const coinbase = block.txs[0]!;
      const richer = {
        ...coinbase,
        outputs: [{ ...coinbase.outputs[0]!, amount: coinbase.outputs[0]!.amount + 1n }],
      };
      const txs = [richer, ...block.txs.slice(1)];
      // Regtest work is trivial: the forger can even redo the proof of work for the new header.
      return solveBlock({ header: { ...block.header, merkleRoot: computeMerkleRoot(txs), nonce: 0 }, txs })!;
    });
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`INVALID: block ${victim} .*breaks rule bad-coinbase-amount`));
    await restore();
  });

  it('a header pointing at another parent: exit 1 naming the height', async () => {
    const victim = height;
    // Re-mined, so that the proof of work holds and only the link is wrong.
    const restore = await tamper(
      victim,
      (block) =>
        solveBlock({ header: { ...block.header, prevHash: fromHex('11'.repeat(32)) }, txs: block.txs })!,
    );
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`INVALID: block ${victim} .*breaks rule bad-prev-block: block ${victim} does not link`),
    );
    await restore();
    const ok = await verify();
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('exits non-zero for a directory without a chain', async () => {
    const r = await runCli(['chain', 'verify', '--data-dir', join(dataDir, 'no-such-dir')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no chain found/);
  });
});

describe('hashline demo', () => {
  let out: string;

  beforeAll(async () => {
    const r = await runCli(['demo'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    out = r.stdout;
  }, 130_000);

  it('builds a chain, tampers with it, and verification catches it', () => {
    expect(out).toMatch(/Verify: OK, 6 valid blocks/);
    expect(out).toMatch(/Tampering with block 2/);
    expect(out).toMatch(/Verify: INVALID at block 2: rule bad-merkle-root/);
    expect(out).toMatch(/A lone copy stops here/);
  });

  it("prices re-mining every block from the changed one to the tip, from each block's target", () => {
    const lines = [
      ...out.matchAll(/^ {2}block (\d+) {2}target [0-9a-f]{16}… {2}expected hashes ([\d,]+)$/gm),
    ];
    expect(lines.map((m) => Number(m[1]))).toEqual([2, 3, 4, 5]);
    const units = (text: string) => BigInt(text.replaceAll(',', ''));
    // The dev network does not retarget within the demo's 6 blocks: every block has the easiest target.
    const perBlock = workForBits(NETWORKS.dev.powLimitBits);
    for (const m of lines) expect(units(m[2]!)).toBe(perBlock);
    const total = out.match(/total for 4 blocks: ([\d,]+) expected hashes/);
    expect(total, out).not.toBeNull();
    expect(units(total![1]!)).toBe(perBlock * 4n);
  });

  it('with three copies, consensus discards the tampered one and restores it from a valid copy', () => {
    expect(out).toMatch(/^ node 1 {2}INVALID at block 2 \(bad-merkle-root\) +2 /m);
    expect(out).toMatch(/^ node 2 {2}OK +6 /m);
    expect(out).toMatch(/^ node 3 {2}OK +6 /m);
    expect(out).toMatch(/Consensus: 2 of 3 copies hold the valid chain with the most work/);
    expect(out).toMatch(/node 1 discards its copy and downloads node 2's/);
    const after = [...out.matchAll(/^node (\d): Verify: OK, 6 valid blocks, tip ([0-9a-f]{64})$/gm)];
    expect(after.map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(new Set(after.map((m) => m[2])).size).toBe(1);
    expect(out).toMatch(/node 1's block 2 reads again: .*Bob owes Alice 3 coffees/);
  });
});
