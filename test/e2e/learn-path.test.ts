// The learn path's steps 5, 6 and 8–11 (7 has its own test, learn-policies.test.ts) in a real browser against a real regtest node: each step's experiment,
// with screenshots at desktop and phone width, no horizontal overflow on the phone, no console errors.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlock } from '../../src/core/block.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { NETWORKS } from '../../src/core/params.js';
import { assembleBlock, solveBlock } from '../../src/miner/template.js';
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

/** Mines `count` blocks on top of the block at `forkHeight` with the node's own block code, and submits them. */
async function submitFork(node: TestNode, forkHeight: number, count: number): Promise<string[]> {
  const parent = await node.api<{ hash: string; time: number; bits: string }>(`/api/v1/blocks/${forkHeight}`);
  let prevHash = fromHex(parent.hash);
  let time = Math.max(parent.time, Math.floor(Date.now() / 1000)) + 1;
  const hashes: string[] = [];
  for (let i = 1; i <= count; i++) {
    const block = solveBlock(
      assembleBlock({
        params: NETWORKS.regtest,
        height: forkHeight + i,
        prevHash,
        bits: Number.parseInt(parent.bits, 16),
        time: time++,
        minerAddress: new Uint8Array(20).fill(7),
        txs: [],
        text: new TextEncoder().encode('learn fork'),
      }),
    )!;
    const r = await node.api<{ hash: string }>('/api/v1/blocks', { hex: toHex(encodeBlock(block)) });
    hashes.push(r.hash);
    prevHash = fromHex(r.hash);
  }
  return hashes;
}

describe.skipIf(SKIP_E2E)('learn path, steps 5–11 without 7 (browser, real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let desktop: BrowserContext;
  let phone: BrowserContext;
  let page: Page;
  let phonePage: Page;
  const watches: PageWatch[] = [];

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    for (let i = 0; i < 3; i++) await node.api('/api/v1/mine', {});
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

  /** Screenshots of a step at both widths; on the phone nothing may be wider than the screen. */
  async function shoot(slug: string, ready: string): Promise<void> {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(page, `learn-${slug}-desktop`);
    await phonePage.goto(`${node.url}/#/learn/${slug}`);
    await phonePage.getByTestId(ready).first().waitFor();
    await phonePage.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(phonePage, `learn-${slug}-phone`);
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${slug} overflows the phone screen`).toBeLessThanOrEqual(0);
  }

  it('5 · keys: a changed message fails verification, a one-letter typo fails the checksum', async () => {
    await page.goto(`${node.url}/#/learn`);
    await page.getByTestId('learn-nav-keys').click();
    await page.getByTestId('learn-step-keys').waitFor();
    await expect.poll(() => dataOk(page, 'keys-verify')).toBe('true');
    await page.getByTestId('keys-received').fill('Pay Bob 19 HL');
    await expect.poll(() => dataOk(page, 'keys-verify')).toBe('false');
    expect(await page.getByTestId('keys-verify').getAttribute('data-code')).toBe('bad-signature');
    // The node runs regtest: the address carries its prefix.
    expect(await page.getByTestId('keys-address').textContent()).toMatch(/^hlrt1/);
    await expect.poll(() => dataOk(page, 'keys-address-check')).toBe('true');
    await page.getByTestId('keys-typo').click();
    await expect.poll(() => dataOk(page, 'keys-address-check')).toBe('false');
    expect(await page.getByTestId('keys-address-check').textContent()).toContain('checksum');
    await page.getByTestId('keys-typo-view').waitFor();
    await shoot('keys', 'keys-verify');
  });

  it('6 · transactions: change and fee, txid blind to signatures, a double spend refused', async () => {
    await page.goto(`${node.url}/#/learn/transactions`);
    await page.getByTestId('utxo-table').waitFor();
    expect(await page.getByTestId('utxo-table-row').count()).toBe(3);
    await page.getByTestId('utxo-build').click();
    await expect.poll(() => dataOk(page, 'utxo-checks')).toBe('true');
    const txid = await page.getByTestId('utxo-txid').textContent();
    expect(await page.getByTestId('utxo-txid-nosig').textContent()).toBe(txid);
    await page.getByTestId('utxo-tamper').click();
    await expect.poll(() => page.getByTestId('utxo-checks').getAttribute('data-code')).toBe('bad-signature');
    expect(await page.getByTestId('utxo-txid').textContent()).toBe(txid);
    await page.getByTestId('utxo-tamper').click();
    await expect.poll(() => dataOk(page, 'utxo-checks')).toBe('true');
    await page.getByTestId('utxo-confirm').click();
    // Two coins paid for 24 HL: Bob's output, Alice's change and her untouched coin remain.
    await expect.poll(() => page.getByTestId('utxo-table-row').count()).toBe(3);
    await page.getByTestId('utxo-respend').click();
    await expect
      .poll(() => page.getByTestId('utxo-respend-checks').getAttribute('data-code'))
      .toBe('missing-inputs');
    await page.getByTestId('utxo-twice').click();
    await expect
      .poll(() => page.getByTestId('utxo-twice-checks').getAttribute('data-code'))
      .toBe('double-spend');
    await shoot('transactions', 'utxo-table');
  });

  it('8 · coinbase: the halving chart, fees capped by connectBlock, maturity', async () => {
    await page.goto(`${node.url}/#/learn/coinbase`);
    await page.getByTestId('cb-subsidy-chart').locator('path.line').waitFor();
    expect(await page.getByTestId('cb-total').textContent()).toBe('20999999.97690000 HL');
    await expect.poll(() => dataOk(page, 'cb-fee-verdict')).toBe('true');
    await page.getByTestId('cb-extra').fill('1');
    await expect
      .poll(() => page.getByTestId('cb-fee-verdict').getAttribute('data-code'))
      .toBe('bad-coinbase-amount');
    await page.getByTestId('cb-extra').fill('0');
    // Main-network coinbases wait 100 blocks: one mined at 10 is refused at 11, spendable at 110.
    await expect.poll(() => dataOk(page, 'cb-maturity-verdict')).toBe('false');
    expect(await page.getByTestId('cb-maturity-verdict').getAttribute('data-code')).toBe('immature-coinbase');
    await page.getByTestId('cb-spend').fill('110');
    await expect.poll(() => dataOk(page, 'cb-maturity-verdict')).toBe('true');
    await page.getByTestId('cb-network').selectOption('regtest');
    await expect
      .poll(() => page.getByTestId('cb-summary').textContent())
      .toContain('nothing from height 4,950');
    await shoot('coinbase', 'cb-subsidy-chart');
  });

  it('9 · difficulty: a higher hash rate raises the difficulty, reproducibly from the seed', async () => {
    await page.goto(`${node.url}/#/learn/difficulty`);
    await page.getByTestId('diff-chart').locator('path.line').waitFor();
    const difficulty = async () =>
      Number(await page.getByTestId('diff-summary').getAttribute('data-difficulty'));
    const start = await difficulty();
    await page.getByTestId('diff-after').fill('8');
    await expect.poll(difficulty).toBeGreaterThan(start * 4);
    const high = await difficulty();
    await page.getByTestId('diff-seed').fill('2');
    await expect.poll(difficulty).not.toBe(high);
    await page.getByTestId('diff-seed').fill('1');
    await expect.poll(difficulty).toBe(high);
    await page.getByTestId('diff-network').selectOption('regtest');
    await expect.poll(difficulty).toBe(1);
    await page.getByTestId('diff-network').selectOption('dev');
    await shoot('difficulty', 'diff-chart');
  });

  it('10 · forks: the live tree shows a real reorganisation; most work beats longest', async () => {
    await page.goto(`${node.url}/#/learn/forks`);
    const tree = page.getByTestId('forks-tree');
    const status = await node.api<{ height: number; tip: string }>('/api/v1/status');
    await expect.poll(() => tree.getAttribute('data-tip')).toBe(String(status.height));
    expect(await page.getByTestId('tree-side-block').count()).toBe(0);
    // A competing branch of two blocks from one below the tip: more work, so the node reorganises.
    const fork = await submitFork(node, status.height - 1, 2);
    const after = await node.api<{ height: number; tip: string }>('/api/v1/status');
    expect(after.tip).toBe(fork[1]);
    await expect
      .poll(() => page.getByTestId('forks-reorg').getAttribute('data-fork-height'))
      .toBe(String(status.height - 1));
    await expect.poll(() => tree.getAttribute('data-side')).toBe('1');
    await expect.poll(() => tree.getAttribute('data-tip')).toBe(String(status.height + 1));
    expect(await page.getByTestId('forks-reorg').textContent()).toContain('1 block disconnected');

    const sim = page.getByTestId('fork-sim');
    expect(await sim.getAttribute('data-most-work')).toBe('A');
    expect(await sim.getAttribute('data-longest')).toBe('B');
    await page.getByTestId('fork-sim-B-easy').click();
    // 3 easy blocks = one hard one: equal work, the first seen (A) stays.
    await expect.poll(() => sim.getAttribute('data-most-work')).toBe('A');
    await page.getByTestId('fork-sim-B-easy').click();
    await expect.poll(() => sim.getAttribute('data-most-work')).toBe('B');
    await shoot('forks', 'fork-sim');
  });

  it('11 · attack lab: a majority miner double-spends a confirmed payment; a small one gives up', async () => {
    await page.goto(`${node.url}/#/learn/attack`);
    await page.getByTestId('attack-next').click();
    await expect.poll(() => page.getByTestId('attack-progress').textContent()).toContain('Block 1');
    await page.getByTestId('attack-run').click();
    const outcome = page.getByTestId('attack-outcome');
    await expect.poll(() => outcome.getAttribute('data-outcome')).toBe('double-spent');
    expect(await outcome.getAttribute('data-code')).toBe('missing-inputs');
    const blocks = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-blocks'));
    expect(await blocks('race-private')).toBeGreaterThan(await blocks('race-public'));
    expect(await blocks('race-public')).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'learn-attack-success-desktop');

    await page.getByTestId('attack-share').fill('0.1');
    await page.getByTestId('attack-run').click();
    await expect.poll(() => outcome.getAttribute('data-outcome')).toBe('gave-up');
    expect(await page.getByTestId('attack-forfeited').textContent()).toMatch(/HL$/);
    await shoot('attack', 'attack-odds');
  });

  it('logged no console errors', () => {
    expect(watches.flatMap((w) => w.errors)).toEqual([]);
  });
});
