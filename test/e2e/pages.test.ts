// Explorer, search, miner, network and learn pages against a real node; screenshots of every page at
// desktop and phone width; no console errors anywhere.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertPrerequisites,
  DESKTOP,
  launchBrowser,
  newContext,
  type PageWatch,
  PHONE,
  SCREENSHOT_DIR,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

interface BlockView {
  hash: string;
  height: number;
  txs: { txid: string; coinbase: boolean }[];
  miner: string;
}

describe.skipIf(SKIP_E2E)('web pages (browser, real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  let paymentTxid = '';
  let recipient = '';
  let peerNode: TestNode | undefined;

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    // A little history: blocks paying the node's own wallet, a confirmed payment and one still waiting.
    for (let i = 0; i < 3; i++) await node.api('/api/v1/mine', {});
    const own = await node.api<{ address: string }>('/api/v1/wallet');
    recipient = own.address;
    const sent = await node.api<{ txid: string }>('/transactions/new', { recipient, amount: 150_000_000 });
    paymentTxid = sent.txid;
    await node.api('/api/v1/mine', {});
    browser = await launchBrowser();
    context = await newContext(browser, DESKTOP);
    page = await context.newPage();
    watch = watchPage(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await peerNode?.stop();
    await node?.stop();
  });

  it('lists the latest blocks, live', async () => {
    await page.goto(`${node.url}/`);
    await expect.poll(() => page.getByTestId('block-row').count(), { timeout: 20_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('tip-height').textContent()).toBe('#4');
    // A block mined elsewhere appears without a reload (event stream or status poll).
    await node.api('/api/v1/mine', {});
    await expect.poll(() => page.getByTestId('block-row').count(), { timeout: 15_000 }).toBe(6);
    await page.getByTestId('block-link-5').waitFor();
    await page.getByTestId('chart-block-time').locator('svg').waitFor();
    await screenshot(page, 'explorer-desktop');
  });

  it('opens a block and its transaction with a verified Merkle path', async () => {
    await page.getByTestId('block-link-4').click();
    await page.getByTestId('block-page').waitFor();
    const block = await node.api<BlockView>('/api/v1/blocks/4');
    await expect.poll(() => page.getByTestId('block-hash').textContent()).toBe(block.hash);
    await expect
      .poll(() => page.getByTestId('block-nonce').textContent())
      .toBe(String((block as unknown as { nonce: number }).nonce));
    expect(await page.getByTestId('block-tx-link').count()).toBe(block.txs.length);
    await screenshot(page, 'block-desktop');

    await page.locator(`[data-testid="block-tx-link"][href$="${paymentTxid}"]`).click();
    await page.getByTestId('tx-page').waitFor();
    await expect.poll(() => page.getByTestId('tx-txid').textContent()).toBe(paymentTxid);
    await expect.poll(() => page.getByTestId('tx-confirmations').textContent()).toBe('2');
    await expect
      .poll(() => page.getByTestId('merkle-verdict').textContent())
      .toContain('matches the Merkle root');
    await screenshot(page, 'tx-desktop');
  });

  it('searches by height, hash, txid and address', async () => {
    const block = await node.api<BlockView>('/api/v1/blocks/2');
    const search = async (query: string) => {
      await page.goto(`${node.url}/#/`);
      await page.getByTestId('search-input').fill(query);
      await page.getByTestId('search-submit').click();
    };
    await search('2');
    await expect.poll(() => page.getByTestId('block-height').textContent()).toBe('#2');
    await search(block.hash);
    await expect.poll(() => page.getByTestId('block-height').textContent()).toBe('#2');
    expect(page.url()).toContain(`#/block/${block.hash}`);
    await search(paymentTxid);
    await expect.poll(() => page.getByTestId('tx-txid').textContent()).toBe(paymentTxid);
    await search(block.miner);
    await expect.poll(() => page.getByTestId('address-value').textContent()).toBe(block.miner);
    await expect.poll(() => page.getByTestId('address-balance').textContent()).toMatch(/^\d+\.\d{8} HL$/);
    await screenshot(page, 'address-desktop');
    await search('not a thing');
    await expect.poll(() => page.getByTestId('search-problem').textContent()).toContain('not a height');
  });

  it('mines from the miner page and shows the mempool', async () => {
    await page.goto(`${node.url}/#/miner`);
    await expect.poll(() => page.getByTestId('mempool').textContent()).toContain('empty');
    // A payment arriving while the page is open shows up live.
    await node.api('/transactions/new', { recipient, amount: 20_000_000 });
    await expect.poll(() => page.getByTestId('mempool-row').count(), { timeout: 15_000 }).toBe(1);
    await screenshot(page, 'miner-desktop');
    await page.getByTestId('mine-one').click();
    await expect
      .poll(() => page.getByTestId('miner-result').textContent(), { timeout: 30_000 })
      .toContain('#6');
    await expect.poll(() => page.getByTestId('mempool-row').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('found-blocks').textContent()).toContain('#6');

    // The threads input starts at the node's own count; starting with another count changes the node's.
    const nodeThreads = (await node.api<{ threads: number }>('/api/v1/miner')).threads;
    expect(await page.getByTestId('miner-threads-input').inputValue()).toBe(String(nodeThreads));
    expect(await page.getByTestId('miner-threads').textContent()).toBe(String(nodeThreads));
    expect(await page.getByTestId('miner-hashrate').textContent()).toBe('idle');
    const wanted = nodeThreads === 1 ? 2 : 1;
    await page.getByTestId('miner-threads-input').fill(String(wanted));

    // Continuous mining: on regtest blocks come by the hundred per second; the page keeps up and stops it.
    await page.getByTestId('miner-start').click();
    await expect
      .poll(() => page.getByTestId('miner-status').textContent(), { timeout: 15_000 })
      .toBe('mining');
    expect((await node.api<{ threads: number }>('/api/v1/miner')).threads).toBe(wanted);
    await expect.poll(() => page.getByTestId('miner-threads').textContent()).toBe(String(wanted));
    expect(await page.getByTestId('miner-threads-input').inputValue()).toBe(String(wanted));
    await expect
      .poll(async () => (await node.api<{ height: number }>('/api/v1/status')).height, { timeout: 30_000 })
      .toBeGreaterThan(6);
    await page.getByTestId('miner-stop').click();
    await expect.poll(() => page.getByTestId('miner-status').textContent(), { timeout: 15_000 }).toBe('idle');
    expect((await node.api<{ mining: boolean }>('/api/v1/miner')).mining).toBe(false);
    await expect.poll(() => page.getByTestId('miner-hashrate').textContent()).toBe('idle');
  });

  it('pages back through the chain, newest first, and says "1 confirmation"', async () => {
    // Enough blocks for three pages of 15.
    let tip = (await node.api<{ height: number }>('/api/v1/status')).height;
    for (let i = 0; i < 50 && tip < 40; i++)
      tip = (await node.api<{ height: number }>('/api/v1/mine', {})).height;
    expect(tip).toBeGreaterThanOrEqual(40);
    await page.goto(`${node.url}/#/`);
    const firstHeight = () => page.getByTestId('block-row').first().locator('td').first().textContent();
    await expect.poll(firstHeight, { timeout: 15_000 }).toBe(String(tip));
    expect(await page.getByTestId('block-row').count()).toBe(15);
    expect(await page.getByTestId('blocks-newer').isDisabled()).toBe(true);
    await page.getByTestId('blocks-older').click();
    await expect.poll(firstHeight).toBe(String(tip - 15));
    expect(await page.getByTestId('blocks-page').textContent()).toMatch(/^Page 2 of \d+ · 15 blocks$/);
    await page.getByTestId('blocks-older').click();
    await expect.poll(firstHeight).toBe(String(tip - 30));
    await screenshot(page, 'explorer-older-desktop');
    await page.getByTestId('blocks-newer').click();
    await page.getByTestId('blocks-newer').click();
    await expect.poll(firstHeight).toBe(String(tip));

    await page.goto(`${node.url}/#/block/${tip}`);
    await expect.poll(() => page.getByTestId('block-confirmations').textContent()).toBe('1 confirmation');
    await page.goto(`${node.url}/#/block/${tip - 1}`);
    await expect.poll(() => page.getByTestId('block-confirmations').textContent()).toBe('2 confirmations');
  });

  it('serves /docs with Hashline branding, a link back to the dashboard, and a phone layout', async () => {
    await page.goto(`${node.url}/docs/`);
    const home = page.getByTestId('docs-home');
    await home.waitFor({ timeout: 15_000 });
    expect(await page.title()).toBe('Hashline node API');
    expect(await home.getAttribute('href')).toBe('/');
    expect(await page.locator('link[rel="icon"]').first().getAttribute('href')).toContain('favicon.svg');
    await screenshot(page, 'docs-desktop');
    await home.click();
    await page.getByTestId('block-row').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    const phone = await newContext(browser, PHONE);
    const p = await phone.newPage();
    await p.goto(`${node.url}/docs/`);
    await p.getByTestId('docs-home').waitFor({ timeout: 15_000 });
    await p.locator('.opblock').first().waitFor();
    expect(await p.evaluate(() => window.innerWidth)).toBe(PHONE.width);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(p, 'docs-phone');
    await phone.close();
  });

  it('adds a peer by URL and shows it with its height and score', async () => {
    peerNode = await startNode();
    await page.goto(`${node.url}/#/network`);
    await page.getByTestId('peers').waitFor();
    await expect.poll(() => page.getByTestId('peers').textContent()).toContain('No peers yet');
    await page.getByTestId('peer-address').fill('not a peer');
    await page.getByTestId('add-peer').click();
    await expect.poll(() => page.getByTestId('add-peer-result').textContent()).toContain('http://');
    await page.getByTestId('peer-address').fill(peerNode.url);
    await page.getByTestId('add-peer').click();
    await expect
      .poll(() => page.getByTestId('add-peer-result').textContent(), { timeout: 20_000 })
      .toContain('Added');
    await expect.poll(() => page.getByTestId('peer-row').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('peer-row').textContent()).toContain('outbound');
    await page.getByTestId('resolve').click();
    await expect
      .poll(() => page.getByTestId('resolve-result').textContent(), { timeout: 20_000 })
      .toMatch(/chain/i);
    await screenshot(page, 'network-desktop');
  });

  it('learn: hashes live, and a tampered chain turns invalid until re-mined', async () => {
    await page.goto(`${node.url}/#/learn`);
    await page.getByTestId('learn-hash-input').fill('Hashline rocks');
    const expected = createHash('sha256').update('Hashline rocks').digest('hex');
    await expect.poll(() => page.getByTestId('learn-hash-output').textContent()).toBe(expected);

    const valid = (id: string) => page.getByTestId(id).getAttribute('data-valid');
    for (const i of [1, 2, 3, 4, 5]) expect(await valid(`chain-${i}`)).toBe('true');
    await page.getByTestId('chain-3-data').fill('Bob pays Carol 4000');
    expect(await valid('chain-1')).toBe('true');
    expect(await valid('chain-2')).toBe('true');
    for (const i of [3, 4, 5]) expect(await valid(`chain-${i}`)).toBe('false');
    expect(await page.getByTestId('chain-verdict').getAttribute('data-valid')).toBe('false');
    await screenshot(page, 'learn-tampered-desktop');

    for (const i of [3, 4, 5]) {
      await page.getByTestId(`chain-${i}-mine`).click();
      await expect.poll(() => valid(`chain-${i}`), { timeout: 60_000 }).toBe('true');
    }
    expect(await page.getByTestId('chain-verdict').getAttribute('data-valid')).toBe('true');
    expect(await page.getByTestId('chain-3-hash').textContent()).toMatch(/^0000/);

    // Peers: tamper with B's copy, re-mine it, and it still disagrees with the majority.
    await page.getByTestId('peer-B-block-2-data').fill('Alice pays Mallory 10');
    expect(await page.getByTestId('peer-B-verdict').getAttribute('data-agrees')).toBe('false');
    expect(await page.getByTestId('peer-A-verdict').getAttribute('data-agrees')).toBe('true');
    expect(await page.getByTestId('peer-C-verdict').getAttribute('data-agrees')).toBe('true');
    await screenshot(page, 'learn-desktop');
  });

  it('takes phone-width screenshots of every page', async () => {
    const phone = await newContext(browser, PHONE);
    const p = await phone.newPage();
    const phoneWatch = watchPage(p);
    const block = await node.api<BlockView>('/api/v1/blocks/4');
    const shots: [string, string, string][] = [
      ['explorer-phone', '/#/', 'block-row'],
      ['block-phone', '/#/block/4', 'block-page'],
      ['tx-phone', `/#/tx/${paymentTxid}`, 'merkle-verdict'],
      ['address-phone', `/#/address/${block.miner}`, 'address-history'],
      ['miner-phone', '/#/miner', 'found-blocks'],
      ['network-phone', '/#/network', 'peers'],
      ['wallet-setup-phone', '/#/wallet', 'wallet-setup'],
      ['learn-phone', '/#/learn', 'chain-5'],
    ];
    for (const [name, path, testId] of shots) {
      await p.goto(`${node.url}${path}`);
      await p.getByTestId(testId).first().waitFor();
      await p.waitForLoadState('networkidle').catch(() => undefined);
      await screenshot(p, name);
    }
    // Every column of the blocks table is on screen at phone width, as a labelled line of each row.
    await p.goto(`${node.url}/#/`);
    const row = p.getByTestId('block-row').first();
    await row.waitFor();
    for (const label of ['Height', 'Hash', 'Age', 'Txs', 'Size', 'Miner']) {
      const cell = row.locator(`td[data-label="${label}"]`);
      expect(await cell.isVisible(), label).toBe(true);
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width, label).toBeLessThanOrEqual(PHONE.width);
    }
    // The navigation folds into a menu at phone width.
    expect(await p.getByTestId('nav-miner').isVisible()).toBe(false);
    await p.getByTestId('menu-toggle').click();
    expect(await p.getByTestId('nav-miner').isVisible()).toBe(true);
    await p.screenshot({ path: join(SCREENSHOT_DIR, 'menu-open-phone.png') });
    await p.getByTestId('nav-miner').click();
    await p.getByTestId('mine-one').waitFor();
    // Nothing is wider than the screen (tables scroll inside their cards).
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    watch.errors.push(...phoneWatch.errors);
    await phone.close();

    await page.goto(`${node.url}/#/wallet`);
    await page.getByTestId('wallet-setup').waitFor();
    await screenshot(page, 'wallet-setup-desktop');
  });

  it('can be used from the keyboard', async () => {
    await page.goto('about:blank');
    await page.goto(`${node.url}/#/`);
    await page.getByTestId('block-row').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab to the Learn link and follow it with Enter.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Learn') break;
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('#/learn');
  });

  it('logged no console errors', () => {
    expect(watch.errors).toEqual([]);
  });

  it('shows a banner when the node cannot be reached', async () => {
    const offline = await newContext(browser, DESKTOP);
    const p = await offline.newPage();
    await p.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await p.goto(`${node.url}/#/`);
    await p.getByTestId('node-unreachable').waitFor({ timeout: 15_000 });
    await screenshot(p, 'offline-desktop');
    await offline.close();
  });
});
