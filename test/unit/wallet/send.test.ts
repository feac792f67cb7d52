// The shared send flow (scan → select → sign → post → advance the change index) against a stand-in node
// that checks posted transactions with the real consensus code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/core/bytes.js';
import { COIN } from '../../../src/core/params.js';
import { decodeTx } from '../../../src/core/tx.js';
import { NodeClient } from '../../../src/wallet/client.js';
import { InsufficientFundsError, WalletError } from '../../../src/wallet/errors.js';
import { type SendFlow, sendPayment, type WalletIndexes } from '../../../src/wallet/send.js';
import { FakeNode } from './fake-node.js';
import { other, params, wallet } from './helpers.js';

let node: FakeNode;
let saved: WalletIndexes[];
let unlocks: number;
let indexes: WalletIndexes;

beforeAll(async () => {
  node = await FakeNode.start(params);
});
afterAll(() => node.close());
beforeEach(() => {
  saved = [];
  unlocks = 0;
});

function flow(overrides: Partial<SendFlow> = {}): SendFlow {
  return {
    params,
    client: new NodeClient(node.url),
    addressAt: (chain, index) => wallet.key(chain, index).address,
    scan: { ...indexes, gap: 3 },
    unlock: () => {
      unlocks++;
      return wallet;
    },
    saveIndexes: (next) => {
      saved.push(next);
      indexes = next;
    },
    ...overrides,
  };
}

describe('sendPayment', () => {
  it('finds the coins, signs, posts and moves the change index past the change address', async () => {
    indexes = { nextReceiveIndex: 0, nextChangeIndex: 0 };
    node.fund(wallet.receiveAddress(1), 3n * COIN);
    const to = other.receiveAddress(0);
    const result = await sendPayment(flow(), { to, amount: COIN, feeRate: 2n, data: 'hi' });
    // The scan found receive #1 used, then the change address got used.
    expect(saved).toEqual([
      { nextReceiveIndex: 2, nextChangeIndex: 0 },
      { nextReceiveIndex: 2, nextChangeIndex: 1 },
    ]);
    expect(result.indexes).toEqual({ nextReceiveIndex: 2, nextChangeIndex: 1 });
    expect(result.txid).toBe(result.built.txid);
    expect(node.mempool().map((t) => t.txid)).toEqual([result.txid]);
    const tx = decodeTx(fromHex(result.built.hex));
    expect(tx.outputs[0]!.amount).toBe(COIN);
    expect(result.built.change?.address).toBe(wallet.changeAddress(0));
    expect(result.built.fee).toBe(BigInt(result.built.size) * 2n);
    expect(unlocks).toBe(1);
  });

  it('spends unconfirmed change next, to a fresh change address', async () => {
    const result = await sendPayment(flow(), { to: other.receiveAddress(1), amount: COIN, feeRate: 1n });
    expect(result.built.inputs.map((c) => c.address)).toEqual([wallet.changeAddress(0)]);
    expect(result.built.change?.address).toBe(wallet.changeAddress(1));
    expect(indexes.nextChangeIndex).toBe(2);
    node.mine();
  });

  it('skips coins the caller marks as already being spent, and says how much is waiting', async () => {
    const skipAll = flow({ skip: () => true });
    const err = await sendPayment(skipAll, { to: other.receiveAddress(2), amount: COIN, feeRate: 1n }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InsufficientFundsError);
    expect((err as Error).message).toMatch(/more are unconfirmed, immature or already being spent/);
    expect(saved).toEqual([]);
  });

  it('signs without posting or advancing on a dry run', async () => {
    const before = node.mempool().length;
    const result = await sendPayment(flow(), {
      to: other.receiveAddress(3),
      amount: COIN / 2n,
      feeRate: 1n,
      dryRun: true,
    });
    expect(result.txid).toBeNull();
    expect(result.built.change).toBeDefined();
    expect(node.mempool().length).toBe(before);
    expect(saved).toEqual([]);
  });

  it('refuses a bad recipient or amount before scanning or unlocking', async () => {
    const requests = node.requests.length;
    await expect(sendPayment(flow(), { to: 'hlrt1nope', amount: COIN, feeRate: 1n })).rejects.toMatchObject({
      code: 'bad-address',
    });
    await expect(
      sendPayment(flow(), { to: other.receiveAddress(0), amount: 0n, feeRate: 1n }),
    ).rejects.toBeInstanceOf(WalletError);
    expect(node.requests.length).toBe(requests);
    expect(unlocks).toBe(0);
  });

  it('leaves the change index alone when the node refuses the transaction', async () => {
    const refusing = flow({
      client: {
        address: (a, p) => new NodeClient(node.url).address(a, p),
        postTx: () => Promise.reject(new Error('refused')),
      },
    });
    const before = indexes.nextChangeIndex;
    await expect(
      sendPayment(refusing, { to: other.receiveAddress(0), amount: COIN / 4n, feeRate: 1n }),
    ).rejects.toThrow('refused');
    expect(indexes.nextChangeIndex).toBe(before);
  });
});
