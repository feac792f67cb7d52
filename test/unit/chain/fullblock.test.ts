// The full-block table (test/support/fullblock) against the real chain on a real store: every
// rejected block must fail with exactly the expected rule code, and every accepted block must leave
// the expected tip. The same table runs on the in-memory reference chain in fullblock-reference.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/index.js';
import { encodeHeader } from '../../../src/core/index.js';
import { openStore } from '../../../src/node/level-store.js';
import {
  FULLBLOCK_NOW,
  FULLBLOCK_PARAMS,
  instanceBytes,
  type TestInstance,
} from '../../support/fullblock/generator.js';
import {
  type BlockSink,
  expectedOutcome,
  type Outcome,
  observeOutcome,
} from '../../support/fullblock/runner.js';
import { fullBlockTests } from '../../support/fullblock/table.js';
import { TIMEWARP_PARAMS, timeWarpTests } from '../../support/fullblock/timewarp.js';

// The table is about consensus: its side branches (b14's among them) end up far more than PRUNE_DEPTH
// below the tip, and pruning them (policy, see test/unit/chain/storage-policy.test.ts) would take away
// what the restart test checks. The runs below use the defaults: every row passes under them.
const KEEP_SIDE_BRANCHES = { prune: { depth: Number.MAX_SAFE_INTEGER } };

describe('full-block table on the chain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashline-fullblock-'));
  let store: Awaited<ReturnType<typeof openStore>>;
  let chain: Chain;

  beforeAll(async () => {
    store = await openStore(dir);
    chain = await Chain.open({
      store,
      params: FULLBLOCK_PARAMS,
      now: () => FULLBLOCK_NOW,
      ...KEEP_SIDE_BRANCHES,
    });
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
    expect(chain.height).toBe(159); // the halving at 150, then the policy rows
  });

  it('keeps the tip and the invalid blocks across a restart', async () => {
    const tip = chain.tip.hashHex;
    await store.close();
    store = await openStore(dir);
    chain = await Chain.open({
      store,
      params: FULLBLOCK_PARAMS,
      now: () => FULLBLOCK_NOW,
      ...KEEP_SIDE_BRANCHES,
    });
    expect(chain.tip.hashHex).toBe(tip);
    const invalid = fullBlockTests().find((t) => t.kind === 'reject' && t.name === 'b14 again');
    if (invalid?.kind !== 'reject') throw new Error('the table lost b14');
    expect((await chain.processBlock(invalid.block)).status).toBe('invalid');
  });
});

describe('full-block table on the chain, in runs (Chain.processBlocks, as a sync submits)', () => {
  // Several run lengths, so runs start and end at different places of the table.
  for (const runLength of [2, 5, 16]) {
    it(`gives every block its expected outcome in runs of up to ${runLength}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hashline-fullblock-runs-'));
      const store = await openStore(dir);
      try {
        // The default storage policy and pruning: no row's outcome depends on them.
        const chain = await Chain.open({ store, params: FULLBLOCK_PARAMS, now: () => FULLBLOCK_NOW });
        const tests = fullBlockTests();
        let runs = 0;
        for (let i = 0; i < tests.length; ) {
          const t = tests[i]!;
          if (t.kind === 'tip') {
            expect({ name: t.name, tip: chain.tip.hashHex }, `instance ${i}`).toEqual(expectedOutcome(t));
            i++;
            continue;
          }
          const run: Array<Exclude<TestInstance, { kind: 'tip' }>> = [];
          for (let next = tests[i]; next && next.kind !== 'tip' && run.length < runLength; next = tests[++i])
            run.push(next);
          const results = await chain.processBlocks(run.map(instanceBytes));
          runs++;
          run.forEach((r, k) => {
            const got = results[k]!;
            const expected = expectedOutcome(r);
            const outcome: Outcome = {
              name: r.name,
              result:
                got.status === 'connected' || got.status === 'side'
                  ? 'accepted'
                  : got.status === 'invalid'
                    ? `invalid: ${got.error?.code}${got.error?.malleated ? ' (malleated)' : ''}`
                    : got.status,
              // Tips inside a run are not observable; the run's last one is.
              ...(expected.tip && k === run.length - 1 ? { tip: chain.tip.hashHex } : {}),
            };
            const { tip, ...withoutTip } = expected;
            expect(outcome, `${r.name} (run ${runs})`).toEqual(k === run.length - 1 ? expected : withoutTip);
          });
        }
        expect(chain.height).toBe(159); // the halving at 150, then the policy rows
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('time-warp table on the chain (a network that retargets)', () => {
  it('gives every block its expected outcome, in order, and checks headers alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashline-fullblock-timewarp-'));
    const store = await openStore(dir);
    try {
      const chain = await Chain.open({ store, params: TIMEWARP_PARAMS, now: () => FULLBLOCK_NOW });
      const sink: BlockSink = {
        processBlock: (bytes) => chain.processBlock(bytes),
        tipHash: () => chain.tip.hashHex,
      };
      for (const [i, t] of timeWarpTests().entries()) {
        if (t.kind === 'reject') {
          // Headers-first sync refuses the header before any body is fetched.
          const verdict = chain.checkHeaders([encodeHeader(t.block.header)]);
          expect(verdict.status === 'invalid' && verdict.error.code, t.name).toBe(t.code);
        }
        expect(await observeOutcome(t, sink), `instance ${i}`).toEqual(expectedOutcome(t));
      }
      expect(chain.height).toBe(11);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
