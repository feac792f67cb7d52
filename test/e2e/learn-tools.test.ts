// The learn path's tools in a real browser against a real regtest node: the inspector re-hashes a
// block header and a transaction from their bytes; the validation step-through runs each rule.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertPrerequisites,
  DESKTOP,
  launchBrowser,
  newContext,
  type PageWatch,
  PHONE,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

interface BlockView {
  hash: string;
  height: number;
  txs: { txid: string; size: number; coinbase: boolean }[];
}

describe.skipIf(SKIP_E2E)('learn tools: inspector and validation step-through (browser, real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let desktop: BrowserContext;
  let phone: BrowserContext;
  let page: Page;
  let phonePage: Page;
  let paymentBlock: BlockView;
  const watches: PageWatch[] = [];

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    for (let i = 0; i < 3; i++) await node.api('/api/v1/mine', {});
    const own = await node.api<{ address: string }>('/api/v1/wallet');
    await node.api('/transactions/new', { recipient: own.address, amount: 150_000_000 });
    await node.api('/api/v1/mine', {});
    paymentBlock = await node.api<BlockView>('/api/v1/blocks/4');
    browser = await launchBrowser();
    desktop = await newContext(browser, DESKTOP);
    phone = await newContext(browser, PHONE);
    page = await desktop.newPage();
    phonePage = await phone.newPage();
    watches.push(watchPage(page), watchPage(phonePage));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  const dataOk = (p: Page, testId: string) => p.getByTestId(testId).getAttribute('data-ok');

  async function shootPhone(path: string, ready: string, name: string): Promise<void> {
    await phonePage.goto(`${node.url}/#${path}`);
    await phonePage.getByTestId(ready).first().waitFor();
    await phonePage.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(phonePage, name);
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} overflows the phone screen`).toBeLessThanOrEqual(0);
  }

  it('inspector: a header and a transaction rebuilt from JSON hash to the node’s values', async () => {
    expect(paymentBlock.txs.length).toBe(2);
    await page.goto(`${node.url}/#/learn/inspect/4`);
    await expect.poll(() => dataOk(page, 'inspect-hash-check')).toBe('true');
    expect(await dataOk(page, 'inspect-merkle-check')).toBe('true');
    expect(await page.getByTestId('inspect-header').getAttribute('data-length')).toBe('80');
    expect(await page.getByTestId('inspect-hash-check-computed').textContent()).toBe(paymentBlock.hash);
    expect(await page.getByTestId('inspect-header-field').count()).toBe(6);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(page, 'learn-inspect-block-desktop');

    await page.getByTestId('inspect-tx-link').nth(1).click();
    await expect.poll(() => dataOk(page, 'inspect-txid-check')).toBe('true');
    const payment = paymentBlock.txs[1]!;
    expect(await page.getByTestId('inspect-txid-check-computed').textContent()).toBe(payment.txid);
    expect(await page.getByTestId('inspect-tx-bytes').getAttribute('data-length')).toBe(String(payment.size));
    await screenshot(page, 'learn-inspect-tx-desktop');

    // By txid typed into the form, and by block hash.
    await page.getByTestId('inspect-id').fill(paymentBlock.txs[0]!.txid);
    await page.getByTestId('inspect-go').click();
    await expect
      .poll(() => page.getByTestId('inspect-txid-check-computed').textContent())
      .toBe(paymentBlock.txs[0]!.txid);
    await page.getByTestId('inspect-id').fill(paymentBlock.hash);
    await page.getByTestId('inspect-go').click();
    await expect
      .poll(() => page.getByTestId('inspect-hash-check-computed').textContent())
      .toBe(paymentBlock.hash);

    await shootPhone('/learn/inspect/4', 'inspect-hash-check', 'learn-inspect-block-phone');
    await shootPhone(`/learn/inspect/${payment.txid}`, 'inspect-txid-check', 'learn-inspect-tx-phone');
  });

  it('validation step-through: the node’s block passes every rule; edits fail with their rule codes', async () => {
    await page.goto(`${node.url}/#/learn/validate/4`);
    const summary = page.getByTestId('validate-summary');
    await expect.poll(() => summary.getAttribute('data-ok')).toBe('true');
    // Sanity: 10 block rules (signature checks per block among them) + one per transaction; context: 5
    // (lock times among them); connect: inputs and signatures of the payment, coinbase amount.
    expect(await page.getByTestId('validate-sanity').getByTestId('validate-step').count()).toBe(12);
    expect(await page.getByTestId('validate-context').getByTestId('validate-step').count()).toBe(5);
    expect(await page.getByTestId('validate-connect').getByTestId('validate-step').count()).toBe(3);
    expect(await page.getByTestId('validate-hash').textContent()).toBe(paymentBlock.hash);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(page, 'learn-validate-desktop');

    const expectBroken = async (edit: string, code: string, level: string) => {
      await page.getByTestId('validate-reset').click();
      await page.getByTestId('validate-edit').selectOption(edit);
      await page.getByTestId('validate-apply').click();
      await expect.poll(() => summary.getAttribute('data-code')).toBe(code);
      expect(await summary.getAttribute('data-level')).toBe(level);
    };
    await expectBroken('signature', 'bad-sig-commitment', 'sanity');
    // The hash did not change (signatures are outside the txid, so outside the Merkle root), but the
    // coinbase's signature root tells the copy from the block.
    expect(await page.getByTestId('validate-hash').textContent()).toBe(paymentBlock.hash);
    await screenshot(page, 'learn-validate-bad-signature-desktop');
    await expectBroken('signature-committed', 'bad-signature', 'connect');
    await expectBroken('future', 'time-too-new', 'sanity');
    await expectBroken('coinbase-height', 'bad-coinbase-height', 'context');
    await expectBroken('overpay', 'bad-coinbase-amount', 'connect');

    // By hand: a time far in the past, re-mined, is not above the median time past.
    await page.getByTestId('validate-reset').click();
    await page.getByTestId('validate-time').fill('1000');
    await page.getByTestId('validate-remine').click();
    await expect.poll(() => summary.getAttribute('data-code')).toBe('time-too-old');
    expect(await page.getByTestId('validate-sanity').locator('[data-status="fail"]').count()).toBe(0);
    expect(await page.getByTestId('validate-connect').getByTestId('validate-step').count()).toBe(0);

    await shootPhone('/learn/validate/4', 'validate-summary', 'learn-validate-phone');
  });

  it('logged no console errors', () => {
    expect(watches.flatMap((w) => w.errors)).toEqual([]);
  });
});
