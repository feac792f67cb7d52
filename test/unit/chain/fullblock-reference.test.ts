// The full-block table against the in-memory reference chain (core functions only): checks the
// generator itself, and that the table and the consensus core agree.
import { describe, expect, it } from 'vitest';
import { encodeBlock, fromHex, toHex } from '../../../src/core/index.js';
import { type FullBlockVectors, fullBlockVectors } from '../../support/fullblock/export.js';
import { FULLBLOCK_NOW, FULLBLOCK_PARAMS, instanceBytes } from '../../support/fullblock/generator.js';
import { MemoryChain } from '../../support/fullblock/memory-chain.js';
import { expectedOutcome, observeOutcome } from '../../support/fullblock/runner.js';
import { CONSENSUS_CODES, fullBlockTests } from '../../support/fullblock/table.js';
import { TIMEWARP_PARAMS, timeWarpTests } from '../../support/fullblock/timewarp.js';

const instances = fullBlockTests();
const timeWarp = timeWarpTests();

describe('full-block table', () => {
  it('covers every consensus rule code (with the time-warp table)', () => {
    const covered = new Set(
      [...instances, ...timeWarp].flatMap((t) => (t.kind === 'reject' ? [t.code] : [])),
    );
    expect([...covered].sort()).toEqual([...CONSENSUS_CODES].sort());
  });

  it('has unique names and at least one accept, orphan and tip check', () => {
    const names = instances.filter((t) => t.kind !== 'tip').map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const kind of ['accept', 'reject', 'orphan', 'tip']) {
      expect(instances.some((t) => t.kind === kind)).toBe(true);
    }
  });

  it('comes out byte for byte the same on every run', () => {
    const again = fullBlockTests();
    expect(again.length).toBe(instances.length);
    const digest = (list: typeof instances) =>
      list.map((t) => (t.kind === 'tip' ? t.hash : toHex(instanceBytes(t)).slice(0, 400))).join();
    expect(digest(again)).toBe(digest(instances));
  });

  it('submits the block encoding except where raw bytes are the point', () => {
    for (const t of instances) {
      if (t.kind === 'tip') continue;
      if (t.kind === 'reject' && t.raw) expect(t.code).toBe('bad-encoding');
      else expect(toHex(instanceBytes(t))).toBe(toHex(encodeBlock(t.block)));
    }
  });
});

describe('full-block table on the in-memory reference chain', () => {
  it('gives every block its expected outcome, in order', async () => {
    const chain = new MemoryChain(FULLBLOCK_PARAMS, () => FULLBLOCK_NOW);
    const sink = {
      processBlock: async (bytes: Uint8Array) => chain.processBlock(bytes),
      tipHash: () => chain.tip.hash,
    };
    for (const [i, t] of instances.entries()) {
      expect(await observeOutcome(t, sink), `instance ${i}`).toEqual(expectedOutcome(t));
    }
    expect(chain.tip.height).toBe(159); // the halving at 150, then the policy rows
  });
});

describe('time-warp table on the in-memory reference chain', () => {
  it('gives every block its expected outcome, in order', async () => {
    const chain = new MemoryChain(TIMEWARP_PARAMS, () => FULLBLOCK_NOW);
    const sink = {
      processBlock: async (bytes: Uint8Array) => chain.processBlock(bytes),
      tipHash: () => chain.tip.hash,
    };
    for (const [i, t] of timeWarp.entries()) {
      expect(await observeOutcome(t, sink), `instance ${i}`).toEqual(expectedOutcome(t));
    }
    expect(chain.tip.height).toBe(11);
  });

  it('is refused only where the network retargets: regtest takes the same blocks', async () => {
    const regtest = new MemoryChain(FULLBLOCK_PARAMS, () => FULLBLOCK_NOW);
    const refused = timeWarp.find((t) => t.kind === 'reject');
    if (refused?.kind !== 'reject') throw new Error('the time-warp table lost its refused block');
    for (const t of timeWarp) {
      if (t.kind === 'tip') continue;
      expect(regtest.processBlock(encodeBlock(t.block)).status, t.name).not.toBe('invalid');
    }
    expect(refused.code).toBe('time-timewarp-attack');
  });
});

describe('full-block JSON vectors', () => {
  it.each([
    ['the main table', FULLBLOCK_PARAMS, instances],
    ['the time-warp table', TIMEWARP_PARAMS, timeWarp],
  ] as const)(
    'replay on their own (%s): params, clock and block bytes are all a node needs',
    (_, params, tests) => {
      const vectors = JSON.parse(JSON.stringify(fullBlockVectors(params, tests))) as FullBlockVectors;
      expect(vectors.params.coinbaseMaturity).toBe(params.coinbaseMaturity);
      expect(vectors.params.noRetarget).toBe(params.noRetarget);
      expect(BigInt(vectors.params.powLimit as string)).toBe(params.powLimit);
      const chain = new MemoryChain(params, () => vectors.now);
      expect(chain.tip.hash).toBe(vectors.genesisHash);
      for (const [i, v] of vectors.instances.entries()) {
        const label = `vector ${i} ${v.kind} ${v.name}`;
        if (v.kind === 'tip') {
          expect(chain.tip.hash, label).toBe(v.hash);
          continue;
        }
        const r = chain.processBlock(fromHex(v.block));
        if (v.kind === 'accept') {
          expect(['connected', 'side'], label).toContain(r.status);
          if (v.expectTip) expect(chain.tip.hash, label).toBe(v.expectTip);
        } else if (v.kind === 'reject') {
          expect(`${r.status} ${r.error?.code} ${r.error?.malleated}`, label).toBe(
            `invalid ${v.code} ${v.malleated}`,
          );
        } else {
          expect(r.status, label).toBe('orphan');
        }
      }
    },
  );
});
