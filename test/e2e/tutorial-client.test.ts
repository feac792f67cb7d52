// adil's blockchain client (the RSA-signed Python tutorial) in real Chromium, its pages served from another
// port as its Flask app serves them (test/support/adil-client/, written from its behaviour). "Confirm
// Transaction" sends an `Access-Control-Allow-Origin` request header, so the browser preflights it: the
// node must allow that header on its public routes for the request to be sent at all, and then its
// explanation (`rsa-signed-transaction`) reaches the page. "View Transactions" reads /chain by the client's
// field names (recipient_address, sender_address, value, block_number) and must show every column.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertPrerequisites,
  launchBrowser,
  newContext,
  ROOT,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

const PAGES: Record<string, string> = {
  '/make/transaction': 'make-transaction.html',
  '/view/transactions': 'view-transactions.html',
};

/** The client's RSA keys and signature are hex strings; these have the same shape. */
const RSA_FIELDS = {
  sender_address: '30819f300d06092a864886f70d010101050003818d0030818902818100c7'.padEnd(324, 'a'),
  recipient_address: '30819f300d06092a864886f70d010101050003818d0030818902818100d9'.padEnd(324, 'b'),
  amount: '5',
  signature: '7f'.repeat(128),
};

describe.skipIf(SKIP_E2E)("adil's blockchain client from another origin (browser)", () => {
  let node: TestNode;
  let browser: Browser;
  let client: Server;
  let clientUrl = '';
  let wallet = '';
  let payment = { txid: '', height: 0 };

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    await node.api('/api/v1/mine', {});
    wallet = (await node.api<{ address: string }>('/api/v1/wallet')).address;
    const sent = await node.api<{ txid: string }>('/transactions/new', {
      recipient: wallet,
      amount: 250_000,
    });
    const block = await node.api<{ height: number }>('/api/v1/mine', {});
    payment = { txid: sent.txid, height: block.height };
    client = createServer((req, res) => {
      const file = PAGES[req.url ?? ''];
      if (!file) {
        res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(readFileSync(join(ROOT, 'test', 'support', 'adil-client', file)));
    });
    await new Promise<void>((r) => client.listen(0, '127.0.0.1', r));
    clientUrl = `http://127.0.0.1:${(client.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (client ? client.close(r) : r(undefined)));
    await node?.stop();
  });

  it('"Confirm Transaction" passes the preflight, reaches the node and shows its explanation', async () => {
    const before = await node.api<{ height: number; mempool: { count: number } }>('/api/v1/status');
    const context = await newContext(browser);
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${clientUrl}/make/transaction`);
    await page.locator('#node_url').fill(node.url);
    for (const [name, value] of Object.entries(RSA_FIELDS)) {
      await page.locator(`#confirmation_transaction_form [name="${name}"]`).fill(value);
    }
    const posted = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url() === `${node.url}/transactions/new`,
      { timeout: 20_000 },
    );
    await page.getByRole('button', { name: 'Confirm Transaction' }).click();
    const request = await posted;
    expect(request.headers()['access-control-allow-origin']).toBe('*');
    const answer = page.locator('#answer');
    await expect.poll(() => answer.getAttribute('data-outcome'), { timeout: 20_000 }).toBe('refused');
    const text = (await answer.textContent()) ?? '';
    expect(text).toMatch(/^HTTP 400 rsa-signed-transaction: /);
    expect(text).toMatch(/Ed25519/);
    expect(text).toMatch(/hashline wallet send/);
    await screenshot(page, 'adil-client-confirm');
    expect(watch.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await context.close();
    const after = await node.api<{ height: number; mempool: { count: number } }>('/api/v1/status');
    expect({ height: after.height, pending: after.mempool.count }).toEqual({
      height: before.height,
      pending: before.mempool.count,
    });
  });

  it('"View Transactions" shows recipient, sender, value and block of every transaction', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${clientUrl}/view/transactions`);
    await page.locator('#node_url').fill(node.url);
    await page.getByRole('button', { name: 'View Transactions' }).click();
    const rows = page.locator('#transactions_table tbody tr');
    // Blocks 1 and 2: two coinbases and the payment (the client skips the genesis block, as the original does).
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
    const table = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
    );
    for (const row of table) {
      for (const cell of row) expect(cell, JSON.stringify(row)).not.toBe('');
    }
    const [, recipient, sender, value, , block] = table.find((r) => r[3] === '250000')!;
    expect({ recipient, sender, value, block }).toEqual({
      recipient: wallet,
      sender: wallet,
      value: '250000',
      block: String(payment.height),
    });
    // A coinbase has no sender: "0", as in the tutorials.
    expect(table.filter((r) => r[2] === '0').map((r) => r[5])).toEqual(['1', '2']);
    await screenshot(page, 'adil-client-view');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
