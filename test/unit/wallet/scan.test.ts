import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COIN } from '../../../src/core/params.js';
import { buildTransaction } from '../../../src/wallet/build-tx.js';
import { NodeClient } from '../../../src/wallet/client.js';
import { HdWallet } from '../../../src/wallet/keys.js';
import { scanWallet } from '../../../src/wallet/scan.js';
import { FakeNode } from './fake-node.js';
import { MNEMONIC, other, params } from './helpers.js';

describe('scanWallet', () => {
  let node: FakeNode;
  let client: NodeClient;
  let wallet: HdWallet;
  const addressAt = (chain: 0 | 1, index: number) => wallet.key(chain, index).address;

  beforeEach(async () => {
    node = await FakeNode.start(params);
    client = new NodeClient(node.url);
    wallet = await HdWallet.fromMnemonic(MNEMONIC, params);
  });
  afterEach(() => node.close());

  it('looks at exactly one gap of addresses on each chain of an unused wallet', async () => {
    const scan = await scanWallet(client, addressAt);
    expect(scan).toMatchObject({
      nextReceiveIndex: 0,
      nextChangeIndex: 0,
      coins: [],
      history: [],
      addresses: [],
    });
    expect(scan.balance).toEqual({ confirmed: 0n, unconfirmed: 0n, spendable: 0n });
    expect(node.requests.filter((p) => p.startsWith('/api/v1/address/'))).toHaveLength(40);
  });

  it('follows used addresses past the gap and sums coins and balances', async () => {
    node.fund(wallet.receiveAddress(3), 1n * COIN);
    node.fund(wallet.receiveAddress(15), 2n * COIN);
    node.fund(wallet.receiveAddress(34), 4n * COIN); // within 20 of index 15
    node.fund(wallet.receiveAddress(60), 8n * COIN); // 25 past index 34: beyond the gap, not found
    node.fund(wallet.changeAddress(2), 3n * COIN);
    const scan = await scanWallet(client, addressAt);
    expect(scan.nextReceiveIndex).toBe(35);
    expect(scan.nextChangeIndex).toBe(3);
    expect(scan.balance).toEqual({ confirmed: 10n * COIN, unconfirmed: 0n, spendable: 10n * COIN });
    expect(scan.addresses.map((a) => [a.chain, a.index])).toEqual([
      [0, 3],
      [0, 15],
      [0, 34],
      [1, 2],
    ]);
    expect(scan.coins.find((c) => c.addressIndex === 15)).toMatchObject({
      chain: 0,
      amount: 2n * COIN,
      spendable: true,
    });
  });

  it('finds addresses beyond the gap when the wallet file says they were handed out', async () => {
    node.fund(wallet.receiveAddress(25), COIN);
    expect((await scanWallet(client, addressAt)).balance.confirmed).toBe(0n);
    const scan = await scanWallet(client, addressAt, { nextReceiveIndex: 10 });
    expect(scan.balance.confirmed).toBe(COIN);
    expect(scan.nextReceiveIndex).toBe(26);
  });

  it('never moves the next indexes backwards', async () => {
    const scan = await scanWallet(client, addressAt, { nextReceiveIndex: 7, nextChangeIndex: 4, gap: 2 });
    expect(scan).toMatchObject({ nextReceiveIndex: 7, nextChangeIndex: 4 });
  });

  it('merges history by transaction: a payment shows its net effect, unconfirmed first', async () => {
    node.fund(wallet.receiveAddress(0), 5n * COIN);
    node.mine();
    const before = await scanWallet(client, addressAt);
    const built = buildTransaction({
      params,
      utxos: before.coins,
      payments: [{ address: other.receiveAddress(0), amount: COIN }],
      feeRate: 1n,
      changeAddress: wallet.changeAddress(0),
      keyFor: (a) => wallet.keyForAddress(a),
    });
    await client.postTx(built.hex);
    const after = await scanWallet(client, addressAt);
    expect(after.history.map((h) => [h.txid, h.height, h.delta])).toEqual([
      [built.txid, null, -(COIN + built.fee)],
      [before.history[0]!.txid, 1, 5n * COIN],
    ]);
    expect(after.nextChangeIndex).toBe(1);
    // The spent coin is gone; the unconfirmed change may be spent (the node accepts chains in its mempool).
    expect(after.coins.map((c) => [c.amount, c.height, c.spendable])).toEqual([
      [4n * COIN - built.fee, null, true],
    ]);
    expect(after.balance.spendable).toBe(4n * COIN - built.fee);
    expect(after.balance.unconfirmed).toBe(-(COIN + built.fee));
    node.mine();
    const mined = await scanWallet(client, addressAt);
    expect(mined.balance).toMatchObject({
      confirmed: 4n * COIN - built.fee,
      spendable: 4n * COIN - built.fee,
    });
    expect(mined.historyComplete).toBe(true);
  });

  it('tells when history was cut at the page size', async () => {
    for (let i = 0; i < 3; i++) node.fund(wallet.receiveAddress(0), COIN);
    const scan = await scanWallet(client, addressAt, { historyLimit: 2 });
    expect(scan.history).toHaveLength(2);
    expect(scan.historyComplete).toBe(false);
  });

  it('reads every page of unspent outputs of an address that has more than one page', async () => {
    const rich = wallet.receiveAddress(0);
    const coins = Array.from({ length: 2_500 }, (_, i) => ({
      txid: i.toString(16).padStart(64, '0'),
      index: 0,
      amount: 1n,
      height: 1,
      coinbase: true,
      confirmations: 200,
      spendable: true,
      spentBy: null,
    }));
    const pages: number[] = [];
    const paged: Pick<NodeClient, 'address'> = {
      async address(address, page = {}) {
        const mine = address === rich ? coins : [];
        const from = page.utxoOffset ?? 0;
        if (address === rich) pages.push(from);
        return {
          address,
          balance: { confirmed: BigInt(mine.length), unconfirmed: 0n },
          utxos: mine.slice(from, from + 1_000),
          utxoTotal: mine.length,
          history: [],
          total: mine.length > 0 ? 1 : 0,
        };
      },
    };
    const scan = await scanWallet(paged, addressAt);
    expect(pages).toEqual([0, 1_000, 2_000]);
    expect(scan.coins).toHaveLength(2_500);
    expect(scan.balance.spendable).toBe(2_500n);
  });
});
