// The tutorial route's 201 answer says what was paid and what it cost, in base units and coins; a
// tiny amount that pays a larger fee (`amount: 5` is 5 base units, not 5 coins) gets a warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  mine,
  type NodeProcess,
  startNode,
} from '../support/node-process.js';

cleanupNodesAfterAll();

describe('POST /transactions/new answers', () => {
  let node: NodeProcess;
  let address: string;

  beforeAll(async () => {
    node = await startNode();
    await mine(node.url, 2);
    address = (await getJson(node.url, '/api/v1/status')).walletAddress;
  }, 60_000);

  afterAll(async () => {
    await node.stop();
  });

  it('amount 5: the amount and fee in coins, and a warning that the fee is larger', async () => {
    const r = await api(node.url).post('/transactions/new', { recipient: address, amount: 5 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const fee = BigInt(r.body.fee);
    expect(fee).toBeGreaterThan(5n);
    expect(r.body).toMatchObject({ amount: '5', amountCoins: '0.00000005' });
    expect(r.body.feeCoins).toBe(`0.${fee.toString().padStart(8, '0')}`.replace(/0+$/, ''));
    expect(r.body.message).toMatch(
      /^Transaction will be added to Block 3: 0\.00000005 coins \(5 base units\), fee /,
    );
    expect(r.body.warning).toMatch(/fee .* is more than the amount sent \(5\).*"amount": 100000000/);
    // The tutorials' fields stay.
    expect(r.body.txid).toMatch(/^[0-9a-f]{64}$/);
  });

  it('one coin: no warning', async () => {
    const r = await api(node.url).post('/transactions/new', { recipient: address, amount: 100_000_000 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ amount: '100000000', amountCoins: '1' });
    expect(r.body.message).toContain(': 1 coins (100000000 base units), fee ');
    expect(r.body.warning).toBeUndefined();
  });
});
