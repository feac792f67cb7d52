// The Network page's "Share this chain": in real Chromium the operator downloads the node's chain as a
// chain file, and the file is whole (it passes the importer's own check) and holds the node's tip.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChainFile } from '../../src/chainfile/reader.js';
import { toHex } from '../../src/core/bytes.js';
import {
  assertPrerequisites,
  launchBrowser,
  newContext,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

describe.skipIf(SKIP_E2E)('chain export from the Network page (browser)', () => {
  let node: TestNode;
  let browser: Browser;

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    for (let i = 0; i < 3; i++) await node.api('/api/v1/mine', {});
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('saves a chain file that checks whole and ends at the tip', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${node.url}/#/network`);
    const card = page.getByTestId('chain-export');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      card.getByRole('button', { name: 'Download the chain' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^hashline-regtest-0-3\.hlchain$/);
    const bytes = await readFile((await download.path())!);
    const summary = await verifyChainFile(
      (async function* () {
        yield new Uint8Array(bytes);
      })(),
    );
    const status = await node.api<{ tip: string; height: number }>('/api/v1/status');
    expect(summary.header.count).toBe(status.height + 1);
    expect(toHex(summary.lastHash)).toBe(status.tip);
    await expect.poll(() => card.textContent()).toContain('Saved hashline-regtest-0-3.hlchain');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'network-chain-export');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
