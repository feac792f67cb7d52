// The learn path's step 7, spending conditions, in a real browser served by a real regtest node: the
// 2-of-3 escrow (one signer refused with policy-unsatisfied, two settle), the savings lock (non-final
// until its height), and the two-chain hashed-timelock swap end to end, both the claim path and the
// refund path, with the node's rule codes on every refusal. Screenshots at desktop and phone width.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertPrerequisites,
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

const DESKTOP = { width: 1280, height: 800 };

describe.skipIf(SKIP_E2E)('learn step 7, spending conditions (browser, real node)', () => {
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

  const attr = (p: Page, testId: string, name: string) => p.getByTestId(testId).getAttribute(name);
  const verdict = async (p: Page, testId: string) => {
    const ok = await attr(p, testId, 'data-ok');
    return ok === 'true' ? 'accepted' : `refused ${await attr(p, testId, 'data-code')}`;
  };

  it('comes right after transactions in the nav and the pager', async () => {
    await page.goto(`${node.url}/#/learn/transactions`);
    // The pager is clicked once step 6 is drawn (a click on a loading page can be lost).
    await page.getByTestId('learn-step-transactions').waitFor();
    await page.getByTestId('learn-next').click();
    await page.getByTestId('learn-step-policies').waitFor();
    expect(await page.getByTestId('learn-nav-policies').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('h1').textContent()).toBe('7 · Spending conditions');
    expect(await page.getByTestId('learn-next').textContent()).toContain('8 · Coinbase');
  });

  it('escrow: one signature is refused (policy-unsatisfied), any two settle', async () => {
    expect(await page.getByTestId('escrow-policy').textContent()).toBe('multi(2,buyer,seller,arbiter)');
    expect(await page.getByTestId('escrow-address').textContent()).toMatch(/^hlrt1[a-z0-9]{58}$/);
    await page.getByTestId('escrow-pay').click();
    await expect.poll(() => verdict(page, 'escrow-pay-verdict')).toBe('accepted');

    await page.getByTestId('escrow-signer-seller').uncheck();
    await page.getByTestId('escrow-settle').click();
    await expect.poll(() => verdict(page, 'escrow-verdict')).toBe('refused policy-unsatisfied');
    expect(await page.getByTestId('escrow-witness-mask').getAttribute('data-picks')).toBe('0');
    expect(await page.getByTestId('escrow-witness-signature').count()).toBe(1);
    const answer = JSON.parse(
      (await page.getByTestId('escrow-verdict-answer').textContent())!.replace(/^400 /, ''),
    ) as { error: string; message: string };
    expect(answer.error).toBe('policy-unsatisfied');
    expect(answer.message.length).toBeGreaterThan(0);

    // The buyer and the arbiter: the mask picks keys 0 and 2, the seller is paid.
    await page.getByTestId('escrow-signer-arbiter').check();
    await page.getByTestId('escrow-settle').click();
    await expect.poll(() => verdict(page, 'escrow-verdict')).toBe('accepted');
    expect(await page.getByTestId('escrow-witness-mask').getAttribute('data-picks')).toBe('0,2');
    expect(await page.getByTestId('escrow-witness-signature').count()).toBe(2);
    expect(await page.getByTestId('escrow-settle').isDisabled()).toBe(true);
  });

  it('savings: refused (non-final) below the unlock height, accepted at it after mining', async () => {
    await page.getByTestId('savings-save').click();
    const status = page.getByTestId('savings-status');
    await status.waitFor();
    await page.getByTestId('savings-cheat').click();
    await expect.poll(() => verdict(page, 'savings-verdict')).toBe('refused policy-unsatisfied');
    await page.getByTestId('savings-spend').click();
    await expect.poll(() => verdict(page, 'savings-verdict')).toBe('refused non-final');
    const unlock = Number(await status.getAttribute('data-unlock'));
    for (let i = 0; i < 10 && Number(await status.getAttribute('data-next')) < unlock; i++) {
      await page.getByTestId('savings-mine').click();
    }
    expect(Number(await status.getAttribute('data-next'))).toBe(unlock);
    await page.getByTestId('savings-spend').click();
    await expect.poll(() => verdict(page, 'savings-verdict')).toBe('accepted');
    expect(await page.getByTestId('savings-verdict').textContent()).toContain(`accepted in block ${unlock}`);
  });

  it('swap: Bob is refused without S, Alice before TA; she claims on B, Bob reads S there and claims on A', async () => {
    expect(await page.getByTestId('swap-policy-a').textContent()).toMatch(
      /^or\(and\(pk\(Bob\),sha256\([0-9a-f]{6}…\)\),and\(pk\(Alice\),after\(\d+\)\)\)$/,
    );
    await page.getByTestId('swap-alice-lock').click();
    await expect.poll(() => verdict(page, 'swap-verdict')).toBe('accepted');
    await page.getByTestId('swap-bob-lock').click();
    await expect.poll(() => page.getByTestId('swap-latest').getAttribute('data-action')).toBe('bob-locks');
    expect(await verdict(page, 'swap-verdict')).toBe('accepted');

    await page.getByTestId('swap-bob-guess').click();
    await expect.poll(() => verdict(page, 'swap-verdict')).toBe('refused policy-unsatisfied');
    expect(await page.getByTestId('swap-verdict-answer').textContent()).toContain(
      '"error":"policy-unsatisfied"',
    );
    await page.getByTestId('swap-alice-refund').click();
    await expect.poll(() => verdict(page, 'swap-verdict')).toBe('refused non-final');

    await page.getByTestId('swap-alice-claim').click();
    await expect.poll(() => verdict(page, 'swap-verdict')).toBe('accepted');
    const secret = await page.getByTestId('swap-witness-preimage').locator('code').textContent();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('swap-witness-branch').getAttribute('data-picks')).toBe('0');

    await page.getByTestId('swap-bob-read').click();
    await page.getByTestId('swap-bob-knows').waitFor();
    expect(await page.getByTestId('swap-secret').textContent()).toBe(secret);
    await page.getByTestId('swap-bob-claim').click();
    await expect.poll(() => page.getByTestId('swap-latest').getAttribute('data-action')).toBe('bob-claims');
    expect(await verdict(page, 'swap-verdict')).toBe('accepted');
    expect(await page.getByTestId('swap-witness-preimage').locator('code').textContent()).toBe(secret);
    await screenshot(page, 'learn-policies-desktop');

    // The inspector (through the node's decode route) names every byte of Bob's claim, S among them.
    const link = await page.getByTestId('swap-verdict-inspect').getAttribute('href');
    const inspector = await desktop.newPage();
    watches.push(watchPage(inspector));
    await inspector.goto(`${node.url}/${link}`);
    await expect
      .poll(() => attr(inspector, 'inspect-txid-check', 'data-ok'), { timeout: 15_000 })
      .toBe('true');
    const rows = inspector.getByTestId('inspect-tx-bytes').locator('tbody tr');
    const field = (name: string) =>
      rows
        .filter({
          has: inspector.locator('td:nth-child(3)', {
            hasText: new RegExp(`${name}( \\(not in the txid\\))?$`),
          }),
        })
        .locator('code');
    expect(await field('input 0: witness preimage \\(the secret\\)').textContent()).toBe(secret);
    expect(await field('input 0: policy').textContent()).toMatch(
      /^or\(and\(pk\([0-9a-f]{64}\),sha256\([0-9a-f]{64}\)\),and\(pk\([0-9a-f]{64}\),after\(\d+\)\)\)$/,
    );
    expect(await field('lock time').textContent()).toBe('0 (none)');
    await screenshot(inspector, 'learn-policies-inspector-desktop');
    await inspector.close();
  });

  it('swap refund path: if Alice never claims, Bob refunds at TB and Alice at TA', async () => {
    await page.getByTestId('swap-restart').click();
    await expect.poll(() => page.getByTestId('swap-latest').count()).toBe(0);
    await page.getByTestId('swap-alice-lock').click();
    await page.getByTestId('swap-bob-lock').click();
    await expect.poll(() => page.getByTestId('swap-latest').getAttribute('data-action')).toBe('bob-locks');
    await page.getByTestId('swap-bob-refund').click();
    await expect.poll(() => verdict(page, 'swap-verdict')).toBe('refused non-final');
    await page.getByTestId('swap-play-refund').click();
    await expect
      .poll(() => page.getByTestId('swap-latest').getAttribute('data-action'))
      .toBe('alice-refunds');
    expect(await verdict(page, 'swap-verdict')).toBe('accepted');
    const bobRefunds = page.getByTestId('swap-log-bob-refunds');
    expect(await bobRefunds.count()).toBe(2);
    expect(await bobRefunds.nth(0).getAttribute('data-code')).toBe('non-final');
    expect(await bobRefunds.nth(1).getAttribute('data-ok')).toBe('true');
    // Alice's refund spent branch 1: her signature and nothing else, the secret never shown.
    expect(await page.getByTestId('swap-witness-branch').getAttribute('data-picks')).toBe('1');
    expect(await page.getByTestId('swap-witness-preimage').count()).toBe(0);
    await screenshot(page, 'learn-policies-refund-desktop');
  });

  it('fits a phone screen', async () => {
    await phonePage.goto(`${node.url}/#/learn/policies`);
    await phonePage.getByTestId('escrow-pay').click();
    await phonePage.getByTestId('escrow-signer-seller').uncheck();
    await phonePage.getByTestId('escrow-settle').click();
    await expect.poll(() => verdict(phonePage, 'escrow-verdict')).toBe('refused policy-unsatisfied');
    await phonePage.getByTestId('swap-alice-lock').click();
    await phonePage.getByTestId('swap-bob-lock').click();
    await phonePage.getByTestId('swap-alice-claim').click();
    await expect
      .poll(() => phonePage.getByTestId('swap-latest').getAttribute('data-action'))
      .toBe('alice-claims');
    await screenshot(phonePage, 'learn-policies-phone');
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the step overflows the phone screen').toBeLessThanOrEqual(0);
  });

  it('logged no console errors', () => {
    expect(watches.flatMap((w) => w.errors)).toEqual([]);
  });
});
