// The fee market in the browser: the send form shows the node's estimate, the miner page the projected
// next block, and "Bump fee" replaces a pending payment with one paying more (real node, real Chromium).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertPrerequisites,
  DESKTOP,
  launchBrowser,
  newContext,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
} from './harness.js';

const PASSWORD = 'correct horse battery';

describe.skipIf(SKIP_E2E)('fee estimates and fee bumping (browser, real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    browser = await launchBrowser();
    page = await (await newContext(browser, DESKTOP)).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('sends at the low estimate, shows it in the next block, then bumps it', async () => {
    await page.goto(`${node.url}/#/wallet`);
    await page.getByTestId('wallet-setup').waitFor();
    await page.getByTestId('mnemonic-saved').check();
    await page.getByTestId('setup-password').fill(PASSWORD);
    await page.getByTestId('setup-confirm').fill(PASSWORD);
    await expect.poll(() => page.getByTestId('wallet-create').isEnabled()).toBe(true);
    await page.getByTestId('wallet-create').click();
    const address = (await page
      .getByTestId('wallet-receive-address')
      .textContent({ timeout: 30_000 }))!.trim();
    await node.api('/api/v1/mine', { count: 2, address });
    await expect
      .poll(() => page.getByTestId('wallet-balance').textContent(), { timeout: 20_000 })
      .toBe('100.00000000 HL');

    await expect
      .poll(() => page.getByTestId('fee-estimate').textContent(), { timeout: 20_000 })
      .toContain('next block');
    const status = await node.api<{ walletAddress: string }>('/api/v1/status');
    await page.getByTestId('send-to').fill(status.walletAddress);
    await page.getByTestId('send-amount').fill('1');
    await page.getByTestId('fee-low').check();
    await page.getByTestId('send-password').fill(PASSWORD);
    await page.getByTestId('send-submit').click();
    await expect
      .poll(() => page.getByTestId('send-result').textContent(), { timeout: 30_000 })
      .toContain('Sent');
    const link = await page.getByTestId('sent-tx-link').getAttribute('href');
    const original = link!.split('/').pop()!;

    await page.getByTestId('nav-miner').click();
    await expect
      .poll(() => page.getByTestId('next-block-count').textContent(), { timeout: 20_000 })
      .toBe('1');
    await screenshot(page, 'miner-next-block-desktop');

    await page.getByTestId('nav-wallet').click();
    await page.getByTestId('bump-fee').click({ timeout: 20_000 });
    await page.getByTestId('bump-password').fill(PASSWORD);
    await page.getByTestId('bump-submit').click();
    await expect
      .poll(() => page.getByTestId('bump-result').textContent(), { timeout: 30_000 })
      .toContain('Replaced');
    await screenshot(page, 'wallet-bumped-desktop');

    // The original is gone; its replacement pays the same payment with a higher fee.
    const pool = await node.api<{ txs: { txid: string; fee: string; outputs: { address: string }[] }[] }>(
      '/api/v1/mempool',
    );
    expect(pool.txs).toHaveLength(1);
    expect(pool.txs[0]!.txid).not.toBe(original);
    expect(pool.txs[0]!.outputs[0]!.address).toBe(status.walletAddress);
    await expect(node.api(`/api/v1/tx/${original}`)).rejects.toThrow(/HTTP 404/);
  }, 180_000);
});
