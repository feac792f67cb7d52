// The node in a tab (#/tab-node): a real full node process (`--network dev --network-id <id>
// --ws-port <port>`) and real Chromium tabs running the browser node (web/src/node/browser-node.ts).
// - a tab syncs the node's 5 mined blocks over WebSockets; a block mined in the tab reaches the node;
// - after a reload the tab's chain is back from IndexedDB at once (before any peer answers);
// - two tabs in separate browser contexts connect by WebRTC through the node's relay; with the full
//   node stopped, a block mined in tab 1 still reaches tab 2.
// Needs a build (`npm run build`).
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupNodesAfterAll,
  freePort,
  getJson,
  mine,
  type NodeProcess,
  startNode,
} from '../support/node-process.js';
import { assertPrerequisites, CHROMIUM, CHROMIUM_ARGS, DESKTOP, SKIP_E2E, watchPage } from './harness.js';

cleanupNodesAfterAll();

const NETWORK_ID = 'tab-node-e2e';
/** Chromium hides local addresses behind mDNS names in WebRTC candidates; two tabs on one machine need
 * the real ones (no STUN server here). */
const WEBRTC_ARGS = ['--disable-features=WebRtcHideLocalIpsWithMdns'];

interface TabStatus {
  height: number;
  tip: string;
  peerId: string;
  peers: { id: string; address: string }[];
}

/** What the tab's node says, read from window.hashlineNode. */
async function tabStatus(page: Page): Promise<TabStatus | null> {
  return page.evaluate(() => {
    const node = window.hashlineNode;
    if (!node) return null;
    const s = node.status();
    return {
      height: s.height,
      tip: s.tip,
      peerId: s.peerId,
      peers: node.p2p.peers().map((p) => ({ id: p.id, address: p.address })),
    };
  });
}

async function waitForTab(page: Page, what: string, ok: (s: TabStatus) => boolean, timeout = 60_000) {
  await expect
    .poll(
      async () => {
        const s = await tabStatus(page);
        return s !== null && ok(s);
      },
      { timeout, message: what },
    )
    .toBe(true);
  return (await tabStatus(page))!;
}

describe.skipIf(SKIP_E2E)('a node in a browser tab', () => {
  let node: NodeProcess;
  let wsAddr: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function openTab(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    watchPage(page);
    await page.goto(`${node.url}/#/tab-node?net=${NETWORK_ID}&peer=${encodeURIComponent(wsAddr)}`);
    await page.getByTestId('tab-peer-id').waitFor({ timeout: 60_000 });
    return page;
  }

  beforeAll(async () => {
    assertPrerequisites();
    const wsPort = await freePort();
    node = await startNode({
      network: 'dev',
      args: ['--network-id', NETWORK_ID, '--ws-port', String(wsPort), '--min-peers', '0'],
    });
    const status = await getJson(node.url, '/api/v1/status');
    wsAddr = status.p2p.addrs.find((a: string) => a.includes('/ws/'));
    expect(wsAddr).toMatch(/\/ws\/p2p\//);
    await mine(node.url, 5);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, ...WEBRTC_ARGS],
      headless: true,
    });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
  });

  it("syncs the node's blocks, and a block mined in the tab reaches the node", async () => {
    const page = await openTab();
    const nodeStatus = await getJson(node.url, '/api/v1/status');
    const synced = await waitForTab(page, 'the tab to sync 5 blocks', (s) => s.height >= 5);
    expect(synced.tip).toBe(nodeStatus.tip);
    expect(synced.peers.some((p) => p.address.includes('/ws'))).toBe(true);
    expect(await page.getByTestId('tab-network').textContent()).toContain(NETWORK_ID);

    await page.getByTestId('tab-mine-one').click();
    const mined = await waitForTab(page, 'the tab to mine a block', (s) => s.height >= 6);
    await expect
      .poll(async () => (await getJson(node.url, '/api/v1/status')).height, {
        timeout: 30_000,
        message: "the node to take the tab's block",
      })
      .toBeGreaterThanOrEqual(6);
    expect((await getJson(node.url, '/api/v1/status')).tip).toBe(mined.tip);
  }, 180_000);

  it('reloads its chain from IndexedDB before any peer answers', async () => {
    const page = await openTab();
    const before = await waitForTab(page, 'the tab to sync', (s) => s.height >= 6);
    await page.reload();
    await page.getByTestId('tab-peer-id').waitFor({ timeout: 60_000 });
    // The chain as the store gave it back, read before the network started.
    const opened = await page.evaluate(() => window.hashlineNode!.opened);
    expect(opened).toEqual({ height: before.height, tip: before.tip });
    const after = (await tabStatus(page))!;
    expect(after.peerId).toBe(before.peerId);
    expect(after.height).toBeGreaterThanOrEqual(before.height);
  }, 180_000);

  it('connects two tabs by WebRTC through the relay; with the node gone, a block still passes', async () => {
    const tab1 = await openTab();
    const tab2 = await openTab();
    const s1 = await waitForTab(tab1, 'tab 1 to sync', (s) => s.height >= 6);
    const s2 = await waitForTab(tab2, 'tab 2 to sync', (s) => s.height >= 6);
    const webrtc = (s: TabStatus, other: string) =>
      s.peers.some((p) => p.id === other && p.address.includes('/webrtc'));
    await waitForTab(tab1, 'tab 1 to hold a WebRTC connection to tab 2', (s) => webrtc(s, s2.peerId), 90_000);
    await waitForTab(tab2, 'tab 2 to hold a WebRTC connection to tab 1', (s) => webrtc(s, s1.peerId), 30_000);

    await node.stop();
    await waitForTab(tab1, 'tab 1 to see the node leave', (s) =>
      s.peers.every((p) => p.address.includes('/webrtc')),
    );
    const height = (await tabStatus(tab1))!.height;
    await tab1.getByTestId('tab-mine-one').click();
    const mined = await waitForTab(tab1, 'tab 1 to mine a block', (s) => s.height > height);
    const got = await waitForTab(tab2, 'tab 2 to receive it over WebRTC', (s) => s.tip === mined.tip, 60_000);
    expect(got.height).toBe(mined.height);
  }, 300_000);
});
