// The Network page's live topology on three real nodes: the second and third were given only the first's
// address; discovery links them all. The page of the first draws itself and its two peers, all on our tip
// (a node on another tip is drawn differing: see test/unit/web/topology.test.ts), and asks another node
// nothing until the operator clicks for it; then that node's own word (its public status) is drawn.
// The bans card shows.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.skipIf(SKIP_E2E)('Network page topology (browser, three nodes)', () => {
  const nodes: TestNode[] = [];
  let browser: Browser;

  beforeAll(async () => {
    assertPrerequisites();
    nodes.push(await startNode());
    for (let i = 0; i < 2; i++) nodes.push(await startNode(['--peer', nodes[0]!.url]));
    // Every node connected to both others (discovery from the one address each was given).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const counts = await Promise.all(
        nodes.map(async (n) => (await n.api<{ peers: number }>('/api/v1/status')).peers),
      );
      if (counts.every((c) => c >= 2)) break;
      if (Date.now() > deadline) throw new Error(`peers did not find each other: ${counts.join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const n of nodes) await n.stop();
  });

  it('draws our node and peers, and asks another node only on a click', async () => {
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const watch = watchPage(page);
    const others = nodes.slice(1).map((n) => n.url);
    const toOthers = () => watch.requestBodies.filter((r) => others.some((o) => r.url.startsWith(o)));
    await page.goto(`${nodes[0]!.url}/#/network`);
    const topology = page.getByTestId('topology');
    await expect
      .poll(() => topology.locator('[data-testid="topology-node"]').count(), { timeout: 20_000 })
      .toBe(3);
    await expect.poll(() => topology.locator('line').count(), { timeout: 20_000 }).toBe(2);
    expect(await topology.locator('circle.agrees').count()).toBe(3);
    const asks = page.getByTestId('topology-ask');
    await expect.poll(() => asks.count(), { timeout: 20_000 }).toBe(2);
    expect(await topology.locator('circle.hearsay').count()).toBe(2);
    expect(toOthers()).toEqual([]);
    await asks.first().click();
    // Its status is public; its peer list is an operator read that a page of another origin cannot get.
    await expect.poll(() => topology.locator('circle.hearsay').count(), { timeout: 20_000 }).toBe(1);
    expect(
      toOthers()
        .map((r) => new URL(r.url).pathname)
        .sort(),
    ).toEqual(['/api/v1/peers', '/api/v1/status']);
    expect(await topology.locator('circle.agrees').count()).toBe(3);
    watch.errors.splice(
      0,
      watch.errors.length,
      ...watch.errors.filter((e) => !/api\/v1\/peers|CORS|Failed to fetch|ERR_FAILED/.test(e)),
    );
    await expect.poll(() => page.getByText('No peer is banned.').count()).toBe(1);
    await screenshot(page, 'network-topology');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'network-topology-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
