// A student's wrong --peer, as the Network page shows it: the sync state says "no peers" (not "in
// sync"), the registered URL is listed as unreachable with its last error and a Remove button, "Add
// peer" with another dead URL says it cannot be reached, and Remove drops the URL. Screenshots at
// desktop and phone widths (test-artifacts/screenshots/network-dead-peer*.png).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/node-process.js';
import {
  assertPrerequisites,
  DESKTOP,
  launchBrowser,
  newContext,
  PHONE,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

describe.skipIf(SKIP_E2E)('Network page with a dead registered URL (browser)', () => {
  let node: TestNode;
  let browser: Browser;
  let deadUrl: string;

  beforeAll(async () => {
    assertPrerequisites();
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    node = await startNode(['--peer', deadUrl]);
    // The first attempt has failed once the URL has an error.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const peers = await node.api<{ httpPeers: { lastError?: string }[] }>('/api/v1/peers');
      if (peers.httpPeers[0]?.lastError) break;
      if (Date.now() > deadline) throw new Error('the dead URL was not tried');
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('shows "no peers", the URL with its state and last error, and removes it', async () => {
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${node.url}/#/network`);
    await expect
      .poll(() => page.getByTestId('sync-state').textContent(), { timeout: 20_000 })
      .toContain('no peers');
    const rows = page.getByTestId('http-peer-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
    const row = rows.first();
    expect(await row.textContent()).toContain(deadUrl);
    expect(await row.textContent()).toContain('unreachable');
    expect(await row.textContent()).toMatch(/does not answer: connection refused/);
    // The Remove button and the whole error are within the card: a long error wraps.
    const removeInCard = async () => {
      const card = await page.getByTestId('http-peers').boundingBox();
      const inCard = async (box: { x: number; width: number } | null) =>
        box !== null && card !== null && box.x >= card.x && box.x + box.width <= card.x + card.width;
      return (
        (await inCard(await row.getByTestId('remove-http-peer').boundingBox())) &&
        (await inCard(await row.locator('.http-peer-error').boundingBox()))
      );
    };
    expect(await removeInCard()).toBe(true);
    await screenshot(page, 'network-dead-peer');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'network-dead-peer-phone');
    expect(await removeInCard()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize(DESKTOP);

    // Another dead URL through the form: registered, and the page says it cannot be reached.
    const another = `http://127.0.0.1:${await freePort()}`;
    await page.getByTestId('peer-address').fill(another);
    await page.getByTestId('add-peer').click();
    await expect
      .poll(() => page.getByTestId('add-peer-result').textContent(), { timeout: 30_000 })
      .toContain('cannot be reached');
    expect(await page.getByTestId('add-peer-result').textContent()).not.toMatch(/^Added/);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);

    // Remove the first: gone from the page and from the node.
    await rows.filter({ hasText: deadUrl }).getByTestId('remove-http-peer').click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
    const left = await node.api<{ httpPeers: { url: string }[] }>('/api/v1/peers');
    expect(left.httpPeers.map((p) => p.url)).toEqual([another]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
