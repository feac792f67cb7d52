// A block's signature checks go to a verifier in parallel in chunks while its transactions connect,
// with the verdicts of checking them all after the connect: the same blocks valid, the same error.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Chain, type SignatureVerifier, verifyOnMainThread } from '../../../src/chain/chain.js';
import { SIGNATURE_CHUNK } from '../../../src/chain/connect.js';
import type { Block } from '../../../src/core/block.js';
import { COIN } from '../../../src/core/params.js';
import { type Tx, txid } from '../../../src/core/tx.js';
import { BlockConnector, type SigCheck } from '../../../src/core/validation.js';
import { SignatureVerifierPool } from '../../../src/node/verifier.js';
import {
  makeBlock,
  openTestChain,
  spend,
  testKey,
  withBrokenSignature,
} from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
const open: Fixture[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const fx of open.splice(0)) await fx.close();
});

async function testChain(verifySignatures?: SignatureVerifier): Promise<Chain> {
  const fx = await openTestChain(undefined, verifySignatures ? { verifySignatures } : {});
  open.push(fx);
  return fx.chain;
}

const alice = testKey(1);
const bob = testKey(2);
const PAYMENTS = 100;
const OUTPUT = (COIN * 4n) / 10n;

/**
 * Two blocks that give alice PAYMENTS coins, and the third on them, paying each to bob in a transaction
 * of its own (one signature check each), with the transactions to build variants of it.
 */
async function buildBlocks(): Promise<{
  setup: Block[];
  payments: Tx[];
  paymentBlock: (txs: Tx[]) => Block;
}> {
  const builder = await testChain();
  const first = makeBlock(builder, { miner: alice.address });
  expect((await builder.processBlock(first)).status).toBe('connected');
  const coinbase = first.txs[0]!;
  const fanOut = spend(
    alice,
    [{ txid: txid(coinbase), index: 0, amount: coinbase.outputs[0]!.amount }],
    Array.from({ length: PAYMENTS }, () => ({ address: alice.address, amount: OUTPUT })),
  );
  const second = makeBlock(builder, { txs: [{ tx: fanOut, fee: 10n * COIN }] });
  expect((await builder.processBlock(second)).status).toBe('connected');
  const payments = Array.from({ length: PAYMENTS }, (_, index) =>
    spend(
      alice,
      [{ txid: txid(fanOut), index, amount: OUTPUT }],
      [{ address: bob.address, amount: OUTPUT - 1000n }],
    ),
  );
  const paymentBlock = (txs: Tx[]) => makeBlock(builder, { txs: txs.map((tx) => ({ tx, fee: 1000n })) });
  return { setup: [first, second], payments, paymentBlock };
}

let blocks: Awaited<ReturnType<typeof buildBlocks>>;
beforeAll(async () => {
  blocks = await buildBlocks();
});

type Answer = (checks: readonly SigCheck[], call: number) => Promise<number>;

/** Records each call's checks and how many calls have not answered yet; answers with `answer`. */
function spyVerifier(inParallel: boolean) {
  const spy = {
    calls: [] as (readonly SigCheck[])[],
    unanswered: 0,
    answer: verifyOnMainThread as Answer,
    /** Forgets the calls so far, and answers the next ones with `answer`. */
    reset(answer: Answer = verifyOnMainThread) {
      spy.calls.length = 0;
      spy.answer = answer;
      verify.mockClear();
    },
  };
  const verify = vi.fn((checks: readonly SigCheck[]) => {
    spy.calls.push(checks);
    spy.unanswered++;
    return spy.answer(checks, spy.calls.length - 1).finally(() => spy.unanswered--);
  });
  return { spy, verify, verifier: Object.assign(verify, { inParallel }) as SignatureVerifier };
}

/**
 * Answers the latest call first (as busy workers may): once the block's calls are made (a macrotask
 * later), releases them from the last to the first, each after the one after it answered.
 */
function laterFirst(): Answer {
  const releases: (() => void)[] = [];
  return (checks, call) => {
    const result = new Promise<void>((resolve) => releases.push(resolve)).then(() =>
      verifyOnMainThread(checks),
    );
    setImmediate(() => {
      if (call !== releases.length - 1) return;
      let previous: Promise<unknown> = Promise.resolve();
      for (const release of [...releases].reverse()) {
        previous = previous.then(async () => {
          release();
          await new Promise((resolve) => setImmediate(resolve));
        });
      }
    });
    return result;
  };
}

/** Call sizes when `count` checks go out in chunks, one transaction (one check) at a time. */
function chunkSizes(count: number): number[] {
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= SIGNATURE_CHUNK) sizes.push(Math.min(SIGNATURE_CHUNK, left));
  return sizes;
}

/** A chain at the payment block's parent, its verifier given. */
async function chainBeforePayments(verifySignatures?: SignatureVerifier): Promise<Chain> {
  const chain = await testChain(verifySignatures);
  for (const block of blocks.setup) expect((await chain.processBlock(block)).status).toBe('connected');
  return chain;
}

/** What the chain says of `block` when every check is verified in one call after the connect. */
async function reference(block: Block) {
  const r = await (await chainBeforePayments(verifyOnMainThread)).processBlock(block);
  return { status: r.status, error: r.error?.toJSON() };
}

/** The payment block with a transaction at block index `txIndex` spending an output that never existed. */
function withMissingInput(txIndex: number): Tx[] {
  const txs = [...blocks.payments];
  txs[txIndex - 1] = spend(
    alice,
    [{ txid: new Uint8Array(32).fill(9), index: 0, amount: OUTPUT }],
    [{ address: bob.address, amount: OUTPUT - 1000n }],
  );
  return txs;
}

describe('signature checks in chunks', () => {
  it('hands a verifier in parallel the checks in chunks, the first before the rest of the block connects', async () => {
    const { spy, verify, verifier } = spyVerifier(true);
    const chain = await chainBeforePayments(verifier);
    spy.reset();
    const connectTx = vi.spyOn(BlockConnector.prototype, 'connectTx');
    const r = await chain.processBlock(blocks.paymentBlock(blocks.payments));
    expect(r.status).toBe('connected');
    expect(connectTx).toHaveBeenCalledTimes(PAYMENTS);
    // Every check once, in block order, the first chunk handed over before the next transaction connects.
    expect(spy.calls.map((c) => c.length)).toEqual(chunkSizes(PAYMENTS));
    expect(spy.calls.length).toBeGreaterThan(2);
    expect(spy.calls.flat().map((c) => c.txIndex)).toEqual(Array.from({ length: PAYMENTS }, (_, i) => i + 1));
    expect(verify.mock.invocationCallOrder[0]!).toBeLessThan(
      connectTx.mock.invocationCallOrder[SIGNATURE_CHUNK]!,
    );
  });

  it('hands a verifier not in parallel the whole block in one call', async () => {
    const { spy, verifier } = spyVerifier(false);
    const chain = await chainBeforePayments(verifier);
    spy.reset();
    expect((await chain.processBlock(blocks.paymentBlock(blocks.payments))).status).toBe('connected');
    expect(spy.calls.map((c) => c.length)).toEqual([PAYMENTS]);
  });

  it('reports the first bad signature in block order, whichever chunk answers first', async () => {
    // Bad signatures in the second and third chunks; the third answers first.
    const block = withBrokenSignature(blocks.paymentBlock(blocks.payments), [40, 75]);
    const { spy, verifier } = spyVerifier(true);
    const chain = await chainBeforePayments(verifier);
    spy.reset(laterFirst());
    const r = await chain.processBlock(block);
    expect(spy.calls.length).toBe(chunkSizes(PAYMENTS).length);
    const expected = await reference(block);
    expect(expected.error?.error).toBe('bad-signature');
    expect({ status: r.status, error: r.error?.toJSON() }).toEqual(expected);
    // That is the first bad check's error, not the third chunk's.
    const later = await reference(withBrokenSignature(blocks.paymentBlock(blocks.payments), [75]));
    expect(later.error?.error).toBe('bad-signature');
    expect(later.error).not.toEqual(expected.error);
  });

  it('reports a rule broken later in the block over a bad signature handed over, once every chunk answered', async () => {
    const block = withBrokenSignature(blocks.paymentBlock(withMissingInput(90)), [40]);
    const { spy, verifier } = spyVerifier(true);
    const chain = await chainBeforePayments(verifier);
    spy.reset(laterFirst());
    const r = await chain.processBlock(block);
    // The chunks before transaction 90 (the second with the bad signature) went out, and answered.
    expect(spy.calls.map((c) => c.length)).toEqual(chunkSizes(89).slice(0, Math.floor(89 / SIGNATURE_CHUNK)));
    expect(spy.calls.length).toBeGreaterThanOrEqual(2);
    expect(spy.unanswered).toBe(0);
    const expected = await reference(block);
    expect(expected).toEqual({
      status: 'invalid',
      error: expect.objectContaining({ error: 'missing-inputs' }),
    });
    expect({ status: r.status, error: r.error?.toJSON() }).toEqual(expected);
  });

  it('reports the broken rule when a chunk handed over rejects (a worker failed)', async () => {
    const block = blocks.paymentBlock(withMissingInput(90));
    const { spy, verifier } = spyVerifier(true);
    const chain = await chainBeforePayments(verifier);
    spy.reset(async (checks, call) => {
      if (call === 0) throw new Error('worker exited');
      return verifyOnMainThread(checks);
    });
    const r = await chain.processBlock(block);
    expect(spy.calls.length).toBeGreaterThanOrEqual(2);
    expect(spy.unanswered).toBe(0);
    expect([r.status, r.error?.code]).toEqual(['invalid', 'missing-inputs']);
  });

  it('with the worker pool, connects the valid block and names the first bad signature', async () => {
    const pool = new SignatureVerifierPool({ threads: 2 });
    try {
      const bad = withBrokenSignature(blocks.paymentBlock(blocks.payments), [40, 75]);
      const r = await (await chainBeforePayments(pool.asChainVerifier())).processBlock(bad);
      expect({ status: r.status, error: r.error?.toJSON() }).toEqual(await reference(bad));
      const chain = await chainBeforePayments(pool.asChainVerifier());
      expect((await chain.processBlock(blocks.paymentBlock(blocks.payments))).status).toBe('connected');
    } finally {
      await pool.close();
    }
  });
});
