// Who pays whom how much, in Chromium against a real node: the miner page's mempool columns, the
// explorer's latest transactions paged Newer/Older across blocks, and data records shown as author,
// timestamp and data. Screenshots at desktop and phone width.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { other } from '../unit/wallet/helpers.js';
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

interface TxListEntry {
  txid: string;
  block: { height: number };
}
interface TxList {
  txs: TxListEntry[];
  next: number | null;
}

/** Blocks after the first two, each with this many payments: 6 blocks of 5 transactions. */
const RECORD_BLOCKS = 6;
const PAYMENTS_PER_BLOCK = 4;
const PENDING_AMOUNT = 150_000_000;

describe.skipIf(SKIP_E2E)('transactions in the web app (browser, real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let wallet = '';
  const payee = other.receiveAddress(0);
  let recordTxid = '';
  let textTxid = '';
  let pendingTxid = '';
  const record = { author: 'alice', timestamp: 1_700_000_000, data: 'Bob owes Alice 3 coffees' };

  const send = (amount: number, data?: string) =>
    node.api<{ txid: string }>('/transactions/new', { recipient: payee, amount, ...(data ? { data } : {}) });

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    wallet = (await node.api<{ address: string }>('/api/v1/wallet')).address;
    await node.api('/api/v1/mine', {});
    await node.api('/api/v1/mine', {});
    for (let b = 0; b < RECORD_BLOCKS; b++) {
      for (let i = 0; i < PAYMENTS_PER_BLOCK; i++) {
        const id = (await send(10_000 + i, JSON.stringify({ ...record, data: `${record.data} #${b}.${i}` })))
          .txid;
        if (b === 0 && i === 0) recordTxid = id;
      }
      await node.api('/api/v1/mine', {});
    }
    textTxid = (await send(20_000, 'just a note')).txid;
    await node.api('/api/v1/mine', {});
    pendingTxid = (await send(PENDING_AMOUNT, JSON.stringify(record))).txid;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  /** A page at `width`, watched for console errors, that fits the screen without scrolling sideways. */
  async function open(viewport: typeof DESKTOP, path: string, ready: string) {
    const context = await newContext(browser, viewport);
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${node.url}/${path}`);
    await page.getByTestId(ready).first().waitFor({ timeout: 20_000 });
    return { page, watch, close: () => context.close() };
  }

  const fitsWidth = async (page: Page, width: number) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  const noErrors = (watch: PageWatch) => expect(watch.errors).toEqual([]);

  it('miner page: each pending transaction shows sender → recipient, amount and its record', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page, watch, close } = await open(viewport, '#/miner', 'mempool-row');
      const row = page.getByTestId('mempool-row');
      await expect.poll(() => row.count()).toBe(1);
      const links = row.getByTestId('tx-transfer').locator('a');
      expect(await links.nth(0).getAttribute('title')).toBe(wallet);
      expect(await links.nth(1).getAttribute('title')).toBe(payee);
      expect(await row.locator(`a[href="#/tx/${pendingTxid}"]`).count()).toBe(1);
      expect(await row.textContent()).toContain('1.50000000 HL');
      expect(await row.getByTestId('tx-record-line').textContent()).toBe(`alice: ${record.data}`);
      if (viewport === PHONE) {
        // On a phone every column is a labelled line of the row's card.
        const labels = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.dataset.label));
        expect(labels).toEqual(['Txid', 'From → to', 'Amount', 'Fee rate', 'Fee', 'Size']);
        expect(await row.getByTestId('tx-transfer').isVisible()).toBe(true);
      }
      await fitsWidth(page, viewport.width);
      await screenshot(page, `miner-mempool-${name}`);
      noErrors(watch);
      await close();
    }
  });

  it('explorer: the latest transactions page Older and Newer through the chain, newest first', async () => {
    const first = await node.api<TxList>('/api/v1/txs?limit=25');
    const second = await node.api<TxList>(`/api/v1/txs?limit=25&before=${first.next}`);
    expect(second.next).toBeNull();
    const { page, watch, close } = await open(DESKTOP, '#/', 'latest-tx-row');
    const card = page.getByTestId('latest-txs');
    const shown = () =>
      card
        .locator('[data-testid="latest-tx-row"] a[href^="#/tx/"]')
        .evaluateAll((as) =>
          as.map((a) => decodeURIComponent(a.getAttribute('href')!.slice('#/tx/'.length))),
        );
    await expect.poll(shown).toEqual(first.txs.map((t) => t.txid));
    expect(await card.locator('h2').textContent()).toBe('Latest transactions');
    expect(await page.getByTestId('txs-newer').isDisabled()).toBe(true);
    // The first row: the tip's last payment, with its block, sender → recipient, amount and fee.
    const top = card.getByTestId('latest-tx-row').first();
    expect(await top.textContent()).toContain(`#${first.txs[0]!.block.height}`);
    expect(await top.getByTestId('tx-transfer').locator('a').nth(1).getAttribute('title')).toBe(payee);
    await screenshot(page, 'latest-txs-desktop');

    await page.getByTestId('txs-older').click();
    await expect.poll(shown).toEqual(second.txs.map((t) => t.txid));
    expect(await page.getByTestId('txs-page').textContent()).toContain('Page 2');
    expect(await page.getByTestId('txs-older').isDisabled()).toBe(true);
    const heights = second.txs.map((t) => t.block.height);
    expect(await card.locator('h2').textContent()).toBe(
      `Transactions of blocks #${Math.min(...heights)}–#${Math.max(...heights)}`,
    );
    // The oldest page ends with the genesis coinbase.
    expect(heights.at(-1)).toBe(0);
    await screenshot(page, 'latest-txs-older-desktop');

    await page.getByTestId('txs-newer').click();
    await expect.poll(shown).toEqual(first.txs.map((t) => t.txid));
    expect(await card.locator('h2').textContent()).toBe('Latest transactions');
    // Records show as a short "author: data" line; a plain note does not.
    const lines = await card.getByTestId('tx-record-line').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^alice: Bob owes Alice 3 coffees #\d\.\d$/);
    const note = card
      .getByTestId('latest-tx-row')
      .filter({ has: page.locator(`a[href="#/tx/${textTxid}"]`) });
    expect(await note.getByTestId('tx-record-line').count()).toBe(0);
    noErrors(watch);
    await close();
  });

  it('explorer on a phone: the latest transactions as cards, with paging', async () => {
    const { page, watch, close } = await open(PHONE, '#/', 'latest-tx-row');
    const row = page.getByTestId('latest-tx-row').first();
    const labels = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.dataset.label));
    expect(labels).toEqual(['Txid', 'Block', 'Time', 'From → to', 'Amount', 'Fee']);
    await page.getByTestId('txs-older').scrollIntoViewIfNeeded();
    await fitsWidth(page, PHONE.width);
    await screenshot(page, 'latest-txs-phone');
    await page.getByTestId('txs-older').click();
    await expect.poll(() => page.getByTestId('txs-page').textContent()).toContain('Page 2');
    noErrors(watch);
    await close();
  });

  it('tx page: a data record as author, timestamp and data; plain text stays text', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page, watch, close } = await open(viewport, `#/tx/${recordTxid}`, 'tx-data');
      await page.getByTestId('tx-record-author').waitFor();
      expect(await page.getByTestId('tx-record-author').textContent()).toBe('alice');
      expect(await page.getByTestId('tx-record-timestamp').textContent()).toMatch(
        /^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \(1700000000\)$/,
      );
      expect(await page.getByTestId('tx-record-data').textContent()).toBe(`${record.data} #0.0`);
      expect(await page.getByTestId('tx-data-text').count()).toBe(0);
      // The bytes stay visible as hex.
      expect(await page.getByTestId('tx-data').textContent()).toContain('Hex');
      await fitsWidth(page, viewport.width);
      await page.getByTestId('tx-data').scrollIntoViewIfNeeded();
      await screenshot(page, `tx-record-${name}`);

      await page.goto(`${node.url}/#/tx/${textTxid}`);
      await page.getByTestId('tx-data-text').waitFor();
      expect(await page.getByTestId('tx-data-text').textContent()).toBe('just a note');
      expect(await page.getByTestId('tx-record-author').count()).toBe(0);
      noErrors(watch);
      await close();
    }
  });
});
