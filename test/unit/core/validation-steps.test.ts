// The step-by-step rule lists agree with the real validation functions on every block of the
// full-block table: same first failure (code), or both pass.
import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockHashHex,
  type Coin,
  checkBlockContext,
  checkBlockSanity,
  checkHeaderContext,
  checkHeaderSanity,
  connectBlock,
  connectSteps,
  contextSteps,
  encodeBlock,
  firstFailure,
  genesisBlock,
  headerContextSteps,
  headerSanitySteps,
  medianTimePast,
  nextBits,
  outpointKey,
  type RuleStep,
  sanitySteps,
  toHex,
  txid,
  verifySigChecks,
} from '../../../src/core/index.js';
import { verify } from '../../../src/crypto/ed25519.js';
import { FULLBLOCK_NOW, FULLBLOCK_PARAMS, type TestInstance } from '../../support/fullblock/generator.js';
import { MemoryChain } from '../../support/fullblock/memory-chain.js';
import { fullBlockTests } from '../../support/fullblock/table.js';
import { TIMEWARP_PARAMS, timeWarpTests } from '../../support/fullblock/timewarp.js';

const params = FULLBLOCK_PARAMS;
const instances = fullBlockTests();
const firstCode = (steps: readonly RuleStep[]) => firstFailure(steps)?.error?.code;

/** Valid blocks by hash (accepted or held as orphans), to find parents and ancestors. */
const known = new Map<string, Block>([[blockHashHex(genesisBlock(params)), genesisBlock(params)]]);
for (const t of instances)
  if (t.kind === 'accept' || t.kind === 'orphan') known.set(blockHashHex(t.block), t.block);

const heightCache = new Map<string, number>();
function heightOf(hash: string): number {
  const cached = heightCache.get(hash);
  if (cached !== undefined) return cached;
  const block = known.get(hash)!;
  const h = block.header.prevHash.every((b) => b === 0) ? 0 : heightOf(toHex(block.header.prevHash)) + 1;
  heightCache.set(hash, h);
  return h;
}

function contextFor(parentHash: string) {
  const height = heightOf(parentHash) + 1;
  const ancestors: Block[] = [];
  for (
    let h: string | undefined = parentHash;
    h && known.has(h) && ancestors.length < params.retargetInterval;
  ) {
    const b: Block = known.get(h)!;
    ancestors.unshift(b);
    h = heightOf(h) === 0 ? undefined : toHex(b.header.prevHash);
  }
  const parent = ancestors[ancestors.length - 1]!;
  const window =
    !params.noRetarget && height % params.retargetInterval === 0
      ? { firstTime: ancestors[0]!.header.time, lastTime: parent.header.time }
      : undefined;
  return {
    height,
    expectedBits: nextBits(params, height, parent.header.bits, window),
    medianTimePast: medianTimePast(ancestors.slice(-11).map((b) => b.header.time)),
  };
}

/**
 * The UTXO set after a stored block, built by connecting its branch from genesis; null when the branch
 * does not connect (a side branch stored, then found invalid: its children are bad-prev-block).
 */
const coinsCache = new Map<string, Map<string, Coin> | null>();
function coinsAfter(hash: string): Map<string, Coin> | null {
  const cached = coinsCache.get(hash);
  if (cached !== undefined) return cached;
  const block = known.get(hash)!;
  const height = heightOf(hash);
  const parentCoins = height === 0 ? new Map<string, Coin>() : coinsAfter(toHex(block.header.prevHash));
  if (parentCoins === null) return null;
  const coins = new Map(parentCoins);
  if (height === 0) {
    const id = txid(block.txs[0]!);
    block.txs[0]!.outputs.forEach((o, i) => {
      coins.set(outpointKey(id, i), { amount: o.amount, address: o.address, height: 0, coinbase: true });
    });
  } else {
    const r = connectBlock(block, block.txs.map(txid), height, coins, params);
    if (!r.ok || verifySigChecks(r.value.sigChecks, verify)) {
      coinsCache.set(hash, null);
      return null;
    }
    for (const [key] of r.value.spent) coins.delete(key);
    for (const [key, coin] of r.value.created) coins.set(key, coin);
  }
  coinsCache.set(hash, coins);
  return coins;
}

const realConnectCode = (block: Block, height: number, coins: Map<string, Coin>) => {
  const r = connectBlock(block, block.txs.map(txid), height, coins, params);
  if (!r.ok) return r.error.code;
  return verifySigChecks(r.value.sigChecks, verify)?.code;
};

const blockInstances = instances.filter(
  (t): t is Exclude<TestInstance, { kind: 'tip' }> => t.kind !== 'tip' && !(t.kind === 'reject' && t.raw),
);

describe('sanitySteps', () => {
  it('fails first where checkBlockSanity fails, with its code, on every block of the table', () => {
    let failures = 0;
    for (const t of blockInstances) {
      const real = checkBlockSanity(t.block, params, FULLBLOCK_NOW);
      const steps = sanitySteps(t.block, params, FULLBLOCK_NOW);
      expect(firstCode(steps), t.name).toBe(real.ok ? undefined : real.error.code);
      if (!real.ok) failures++;
    }
    // The table breaks many sanity rules, not just one.
    expect(failures).toBeGreaterThan(10);
  });

  it('marks the rules after a failure as not reached, and lists one step per transaction', () => {
    const block = genesisBlock(params);
    const passed = sanitySteps(block, params, FULLBLOCK_NOW);
    expect(passed.every((s) => s.status === 'pass')).toBe(true);
    expect(passed.length).toBe(9 + block.txs.length + 1);
    const future = sanitySteps(block, params, block.header.time - 7201);
    expect(future.map((s) => s.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'fail',
      ...Array(5 + block.txs.length + 1).fill('not-reached'),
    ]);
    expect(future[3]!.error?.code).toBe('time-too-new');
  });

  it('uses the size it is given, as checkBlockSanity does', () => {
    const block = genesisBlock(params);
    expect(firstCode(sanitySteps(block, params, FULLBLOCK_NOW, 1_000_001))).toBe('block-too-large');
    expect(encodeBlock(block).length).toBeLessThan(1_000_000);
  });
});

describe('headerSanitySteps and headerContextSteps (a header alone, for decoding one)', () => {
  it('fail first where checkHeaderSanity and checkHeaderContext do, on every header of the table', () => {
    const codes = new Set<string>();
    for (const t of blockInstances) {
      const real = checkHeaderSanity(t.block.header, params, FULLBLOCK_NOW);
      const steps = headerSanitySteps(t.block.header, params, FULLBLOCK_NOW);
      expect(steps).toHaveLength(4);
      expect(firstCode(steps), t.name).toBe(real.ok ? undefined : real.error.code);
      if (!real.ok) codes.add(real.error.code);
      const parent = toHex(t.block.header.prevHash);
      if (!real.ok || !known.has(parent)) continue;
      const ctx = contextFor(parent);
      const context = checkHeaderContext(t.block.header, ctx)?.code;
      expect(firstCode(headerContextSteps(t.block.header, ctx)), t.name).toBe(context);
      if (context) codes.add(context);
    }
    expect([...codes].sort()).toEqual(['bad-bits', 'bad-pow', 'bad-version', 'time-too-new', 'time-too-old']);
  });
});

describe('contextSteps and connectSteps', () => {
  const sane = blockInstances.filter((t) => checkBlockSanity(t.block, params, FULLBLOCK_NOW).ok);
  const onKnownParent = sane.filter((t) => known.has(toHex(t.block.header.prevHash)));

  it('agree with checkBlockContext on every sane block whose parent is valid', () => {
    const codes = new Set<string>();
    for (const t of onKnownParent) {
      const ctx = contextFor(toHex(t.block.header.prevHash));
      const real = checkBlockContext(t.block, ctx)?.code;
      expect(firstCode(contextSteps(t.block, ctx)), t.name).toBe(real);
      if (real) codes.add(real);
    }
    expect([...codes].sort()).toEqual(['bad-bits', 'bad-coinbase-height', 'non-final', 'time-too-old']);
  });

  it('agree with connectBlock and verifySigChecks, and name the rule the table expects', () => {
    const codes = new Set<string>();
    let connected = 0;
    for (const t of onKnownParent) {
      const parent = toHex(t.block.header.prevHash);
      const ctx = contextFor(parent);
      if (checkBlockContext(t.block, ctx)) continue;
      const coins = coinsAfter(parent);
      if (coins === null) continue;
      const real = realConnectCode(t.block, ctx.height, coins);
      const steps = connectSteps(t.block, ctx.height, coins, params, verify);
      expect(firstCode(steps), t.name).toBe(real);
      if (!real) connected++;
      if (t.kind === 'reject' && real) {
        expect(real, t.name).toBe(t.code);
        codes.add(real);
      }
    }
    for (const code of [
      'missing-inputs',
      'double-spend',
      'overspend',
      'bad-signature',
      'bad-coinbase-amount',
    ]) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(connected).toBeGreaterThan(100);
  });
});

describe('contextSteps on the time-warp table (a network that retargets)', () => {
  it('agree with checkBlockContext, time-timewarp-attack included', () => {
    const chain = new MemoryChain(TIMEWARP_PARAMS, () => FULLBLOCK_NOW);
    const codes = new Set<string>();
    for (const t of timeWarpTests()) {
      if (t.kind === 'tip') continue;
      const ctx = chain.contextOn(toHex(t.block.header.prevHash));
      if (!ctx) throw new Error(`${t.name}: the parent is not stored`);
      const real = checkBlockContext(t.block, ctx)?.code;
      expect(firstCode(contextSteps(t.block, ctx)), t.name).toBe(real);
      if (real) codes.add(real);
      chain.processBlock(encodeBlock(t.block));
    }
    expect([...codes]).toEqual(['time-timewarp-attack']);
  });
});
