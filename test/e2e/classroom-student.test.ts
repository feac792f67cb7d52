// The student's side of a class: the join link (broken and valid), the name, the classroom wallet kept in
// this browser, and the student page resuming after a reload; screenshots at desktop and phone width,
// including the student page filled with a class (rendered from a snapshot, with the app's stylesheet).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassState } from '../../src/classroom/types.js';
import { StudentView } from '../../web/src/classroom/StudentView.js';
import type { StudentSnapshot } from '../../web/src/classroom/session.js';
import {
  assertPrerequisites,
  DESKTOP,
  launchBrowser,
  newContext,
  type PageWatch,
  PHONE,
  ROOT,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

const KEY = '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29';
const PEER = '/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWQxBfd4K1LXCzY9uAJVrmRSNvTRJmCPkU2mXzLm8Gj3vP';
const validQuery = () => new URLSearchParams({ net: 'class-7f3a01bc', key: KEY, peer: PEER }).toString();

describe.skipIf(SKIP_E2E)("student's join page (browser, real node)", () => {
  let node: TestNode;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  async function open(viewport = DESKTOP): Promise<{ page: Page; watch: PageWatch }> {
    const context = await newContext(browser, viewport);
    contexts.push(context);
    const page = await context.newPage();
    return { page, watch: watchPage(page) };
  }

  it('explains a broken link and stores nothing', async () => {
    for (const [viewport, name] of [
      [DESKTOP, 'class-join-broken-desktop'],
      [PHONE, 'class-join-broken-phone'],
    ] as const) {
      const { page, watch } = await open(viewport);
      await page.goto(`${node.url}/#/join?net=class-1&key=abcd&peer=${encodeURIComponent(PEER)}`);
      const error = page.getByTestId('join-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('This join link is broken');
      expect(await error.textContent()).toContain('64 hexadecimal');
      expect(await page.getByTestId('join-form').count()).toBe(0);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      await screenshot(page, name);
      expect(watch.errors).toEqual([]);
    }
  });

  it('joins with a valid link and a name, then resumes the same name and wallet after a reload', async () => {
    const { page } = await open(DESKTOP);
    await page.goto(`${node.url}/#/join?${validQuery()}`);
    await page.getByTestId('join-form').waitFor();
    expect(await page.textContent('body')).toContain('kept unencrypted in this browser');
    await screenshot(page, 'class-join-desktop');
    // A name the roster cannot take is refused on the page.
    await page.getByTestId('join-name').fill('<b>Ada</b>');
    await page.getByTestId('join-submit').click();
    expect(await page.getByTestId('join-name-error').textContent()).toContain('Use only');
    expect(page.url()).toContain('#/join');

    await page.getByTestId('join-name').fill('Ada L.');
    await page.getByTestId('join-submit').click();
    await page.waitForURL(/#\/student$/);
    await page.getByTestId('student-page').waitFor();
    expect(await page.getByTestId('student-name').textContent()).toBe('Ada L.');
    const stored = await page.evaluate(() => ({
      cls: localStorage.getItem('hashline.class.v1'),
      phrase: localStorage.getItem('hashline.class-wallet.v1.class-7f3a01bc'),
    }));
    expect(JSON.parse(stored.cls!)).toMatchObject({
      net: 'class-7f3a01bc',
      key: KEY,
      peers: [PEER],
      name: 'Ada L.',
    });
    expect(stored.phrase?.split(' ')).toHaveLength(12);

    await page.reload();
    await page.getByTestId('student-page').waitFor();
    expect(await page.getByTestId('student-name').textContent()).toBe('Ada L.');
    expect(await page.evaluate(() => localStorage.getItem('hashline.class-wallet.v1.class-7f3a01bc'))).toBe(
      stored.phrase,
    );
    // The node either runs (the browser node is built in) or says plainly why it could not start.
    await expect
      .poll(
        async () =>
          (await page.getByTestId('student-address').count()) +
          (await page.getByTestId('student-error').count()),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await screenshot(page, 'class-student-start-desktop');
  });

  it('lays out a running class at desktop and phone width', async () => {
    const css = (await readdir(join(ROOT, 'web', 'dist', 'assets'))).filter((f) => f.endsWith('.css'));
    const markup = renderToStaticMarkup(
      createElement(StudentView, { snapshot: SAMPLE, onPay: async () => '', onMineOne: () => {} }),
    );
    const links = css.map((f) => `<link rel="stylesheet" href="${node.url}/assets/${f}">`).join('');
    for (const [viewport, name] of [
      [DESKTOP, 'class-student-desktop'],
      [PHONE, 'class-student-phone'],
    ] as const) {
      const { page } = await open(viewport);
      await page.goto(`${node.url}/#/learn`);
      await page.setContent(
        `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">${links}</head><body><main>${markup}</main></body></html>`,
        {
          waitUntil: 'load',
        },
      );
      expect(await page.getByTestId('class-sentence').textContent()).toBe(
        "The teacher has split the class: your node ignores group B's blocks until they heal.",
      );
      expect(await page.getByTestId('roster-row').count()).toBe(3);
      expect(await page.getByTestId('balance').textContent()).toContain('52.5');
      // Nothing sticks out sideways at phone width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, name);
    }
  });
});

const TIP = 'a1'.repeat(32);
const SAMPLE: StudentSnapshot = {
  phase: 'running',
  error: null,
  name: 'Ada L.',
  networkId: 'class-7f3a01bc',
  address: 'hldev1qz8k5d3n2c9x6v4w7m0p3l5j8h2g6f4d9s7a1',
  status: {
    network: 'dev-class-7f3a01bc',
    peerId: 'p-ada',
    height: 41,
    tip: TIP,
    peers: 3,
    mining: true,
    hashRate: 182_000,
    mempool: 1,
  },
  balance: { confirmed: 5_250_000_000n, immature: 5_000_000_000n, pending: 150_000_000n },
  classState: {
    seq: 7,
    issuedAt: 0,
    network: 'dev-class-7f3a01bc',
    teacherPeer: 'p-teacher',
    mining: true,
    intervalSeconds: 10,
    mode: 'split',
    groups: {},
    resetTo: null,
  } as ClassState,
  group: 'A',
  roster: [
    {
      peerId: 'p-ada',
      name: 'Ada L.',
      kind: 'browser',
      address: 'hldev1a',
      height: 41,
      agrees: true,
      blocksFound: 4,
      me: true,
    },
    {
      peerId: 'p-bob',
      name: 'Bob',
      kind: 'browser',
      address: 'hldev1b',
      height: 41,
      agrees: true,
      blocksFound: 6,
      me: false,
    },
    {
      peerId: 'p-cy',
      name: 'Cy',
      kind: 'full',
      address: 'hldev1c',
      height: 39,
      agrees: false,
      blocksFound: 2,
      me: false,
    },
  ],
  chain: Array.from({ length: 6 }, (_, i) => ({
    hash: `${(41 - i).toString(16).padStart(4, '0')}${'be'.repeat(30)}`,
    height: 41 - i,
    mine: i === 0 || i === 3,
  })),
  payments: [{ txid: 'c4'.repeat(32), to: 'Bob', amount: 150_000_000n, confirmations: 0 }],
  minedBlocks: 4,
  miningOne: false,
};
