// The benches' block generator must produce chains a fully verifying Chain accepts, or every
// connect/sync figure would measure rejections. Also checks the report table escapes its cells.
import { afterEach, describe, expect, it } from 'vitest';
import { markdownTables } from '../../../bench/lib/report.js';
import { SpendChainGenerator, scratchDir, txCountOf } from '../../../bench/lib/spend-chain.js';
import { Chain, verifyOnMainThread } from '../../../src/chain/chain.js';
import { encodeBlock } from '../../../src/core/block.js';
import { openStore } from '../../../src/node/level-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function verifyingChain() {
  const dir = scratchDir('hashline-test-bench-');
  const store = await openStore(dir.path);
  cleanups.push(dir.cleanup, () => store.close());
  return Chain.open({
    store,
    params: new SpendChainGenerator({ txsPerBlock: 0 }).params,
    verifySignatures: verifyOnMainThread,
  });
}

describe('SpendChainGenerator', () => {
  it('builds blocks of 1-in-2-out payments that a verifying chain connects', async () => {
    const chain = await verifyingChain();
    const generator = new SpendChainGenerator({ txsPerBlock: 4, keys: 3 });
    for (let h = 1; h <= 6; h++) {
      const block = generator.next();
      const r = await chain.processBlock(encodeBlock(block));
      expect(r.status, `block ${h}: ${r.error?.code}`).toBe('connected');
      if (h >= 3) {
        expect(txCountOf(encodeBlock(block))).toBe(5);
        for (const tx of block.txs.slice(1)) {
          expect(tx.inputs).toHaveLength(1);
          expect(tx.outputs).toHaveLength(2);
        }
      }
    }
    expect(chain.height).toBe(6);
    expect(generator.txCount).toBe(1 + 4 * 4); // the fan-out, then four blocks of four
  });

  it('is deterministic: two generators make the same blocks', () => {
    const a = new SpendChainGenerator({ txsPerBlock: 2 });
    const b = new SpendChainGenerator({ txsPerBlock: 2 });
    for (let i = 0; i < 4; i++) expect(encodeBlock(a.next())).toEqual(encodeBlock(b.next()));
  });
});

describe('markdownTables', () => {
  it('escapes pipes and marks unmet goals', () => {
    const text = markdownTables([
      {
        title: 't',
        rows: [{ name: 'a|b', value: 1234.5, unit: 'x/s', ratio: 0.5, goal: '≥ 1x', met: false }],
      },
    ]);
    expect(text).toContain('a\\|b');
    expect(text).toContain('1,235 x/s');
    expect(text).toContain('**no**');
  });
});
