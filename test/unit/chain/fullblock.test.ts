// The full-block table (test/support/fullblock) against the real chain on a real store: every
// rejected block must fail with exactly the expected rule code, and every accepted block must leave
// the expected tip. The same table runs on the in-memory reference chain in fullblock-reference.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/index.js';
import { openStore } from '../../../src/store/index.js';
import { FULLBLOCK_NOW, FULLBLOCK_PARAMS } from '../../support/fullblock/generator.js';
import { type BlockSink, expectedOutcome, observeOutcome } from '../../support/fullblock/runner.js';
import { fullBlockTests } from '../../support/fullblock/table.js';

describe('full-block table on the chain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashline-fullblock-'));
  let store: Awaited<ReturnType<typeof openStore>>;
  let chain: Chain;

  beforeAll(async () => {
    store = await openStore(dir);
    chain = await Chain.open({ store, params: FULLBLOCK_PARAMS, now: () => FULLBLOCK_NOW });
  });

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every block its expected outcome, in order', async () => {
    const sink: BlockSink = {
      processBlock: (bytes) => chain.processBlock(bytes),
      tipHash: () => chain.tip.hashHex,
    };
    for (const [i, t] of fullBlockTests().entries()) {
      expect(await observeOutcome(t, sink), `instance ${i}`).toEqual(expectedOutcome(t));
    }
    expect(chain.height).toBe(150);
  });

  it('keeps the tip and the invalid blocks across a restart', async () => {
    const tip = chain.tip.hashHex;
    await store.close();
    store = await openStore(dir);
    chain = await Chain.open({ store, params: FULLBLOCK_PARAMS, now: () => FULLBLOCK_NOW });
    expect(chain.tip.hashHex).toBe(tip);
    const invalid = fullBlockTests().find((t) => t.kind === 'reject' && t.name === 'b14 again');
    if (invalid?.kind !== 'reject') throw new Error('the table lost b14');
    expect((await chain.processBlock(invalid.block)).status).toBe('invalid');
  });
});
