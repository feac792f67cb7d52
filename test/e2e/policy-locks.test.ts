// Savings locked until a height and a hashlock, from the browser wallet against a real node: the savings
// cannot be spent before its height (the wallet says what is missing and finalizes nothing) and can once
// the chain is there; the hashlock is spent by adding the secret the wallet kept, which the spend then
// reveals on chain; an older(2) coin is refused one block early (non-bip68-final) and taken the next.
// The transaction pages show the branch each witness used.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertPrerequisites,
  createBrowserWallet,
  launchBrowser,
  newContext,
  type PageWatch,
  SCREENSHOT_DIR,
  SKIP_E2E,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

const PASSWORD = 'locks password one';

interface TxView {
  version: number;
  lockTime: number;
  inputs: { witness: string | null; policy: { fragments: { type: string; used: boolean }[] } | null }[];
}

describe.skipIf(SKIP_E2E)('savings, hashlocks and relative locks from the browser wallet (real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let own = '';

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    browser = await launchBrowser();
    page = await (await newContext(browser)).newPage();
    watch = watchPage(page);
    ({ address: own } = await createBrowserWallet(page, node.url, PASSWORD));
    await node.api('/api/v1/mine', { count: 2 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  const height = async () => (await node.api<{ height: number }>('/api/v1/status')).height;

  /** Mines `n` blocks and waits until the page has seen the new tip. */
  async function mine(n: number) {
    await node.api('/api/v1/mine', { count: n });
    const h = await height();
    await expect
      .poll(() => page.getByTestId('node-pill').textContent(), { timeout: 20_000 })
      .toContain(`#${h}`);
  }

  /** Creates a policy address with the form already filled by `fill`; funds it with 2 HL, mined. */
  async function createAndFund(fill: () => Promise<void>): Promise<string> {
    await fill();
    await page.getByTestId('policy-create').click();
    await page.getByTestId('policy-created').waitFor();
    const address = (await page.getByTestId('policy-created').locator('code').textContent())!.trim();
    await node.api('/transactions/new', { recipient: address, amount: 200_000_000 });
    await mine(1);
    const entry = page.getByTestId('policy-entry').filter({ hasText: address });
    await expect
      .poll(() => entry.getByTestId('policy-balance').textContent(), { timeout: 20_000 })
      .toBe('2.00000000 HL');
    return address;
  }

  async function createSpend(from: string) {
    await page.getByTestId('psbt-from').selectOption(from);
    await page.getByTestId('psbt-to').fill(own);
    await page.getByTestId('psbt-amount').fill('1');
    await page.getByTestId('psbt-create-submit').click();
    await page.getByTestId('psbt-view').waitFor();
    await page.getByTestId('psbt-password').fill(PASSWORD);
    await page.getByTestId('psbt-sign').click();
    await expect
      .poll(() => page.getByTestId('psbt-note').textContent(), { timeout: 30_000 })
      .toContain('Signed');
  }

  async function broadcast(): Promise<string> {
    await page.getByTestId('psbt-broadcast').click();
    const link = page.getByTestId('psbt-broadcast-txid');
    await link.waitFor({ timeout: 30_000 });
    const txid = (await link.textContent())!.trim();
    await page.getByRole('button', { name: 'Discard' }).click();
    await mine(1);
    return txid;
  }

  const usedTypes = (tx: TxView) =>
    tx.inputs[0]!.policy!.fragments.map((f) => `${f.type}${f.used ? '+' : '-'}`).join(' ');

  it('keeps savings locked until their height, then spends them', async () => {
    const unlockAt = (await height()) + 4;
    const savings = await createAndFund(async () => {
      await page.getByTestId('policy-kind-savings').check();
      await page.getByTestId('policy-height').fill(String(unlockAt));
    });
    await createSpend(savings);
    // Signed, but the chain is below the height: the lock time cannot reach it yet.
    expect(await page.getByTestId('psbt-missing').textContent()).toContain(
      `after(${unlockAt}) needs a lock time of at least ${unlockAt}`,
    );
    await page.getByTestId('psbt-broadcast').click();
    await expect.poll(() => page.getByTestId('psbt-note').textContent()).toContain('not ready to finalize');
    await page.getByRole('button', { name: 'Discard' }).click();

    await mine(unlockAt - (await height()));
    await createSpend(savings);
    expect(await page.getByTestId('psbt-ready').textContent()).toContain('Complete');
    const txid = await broadcast();
    const tx = await node.api<TxView>(`/api/v1/tx/${txid}`);
    expect(tx).toMatchObject({ version: 2, lockTime: unlockAt });
    expect(usedTypes(tx)).toBe('and+ pk+ after+');
    await page.goto(`${node.url}/#/tx/${txid}`);
    expect(await page.getByTestId('tx-locktime').textContent()).toBe(`block height ${unlockAt}`);
    await expect.poll(() => page.getByTestId('tx-policy-tree').locator('li.used').count()).toBe(3);
    await page.addStyleTag({ content: '.topbar { position: static !important; }' });
    await page.getByTestId('tx-policies').screenshot({ path: join(SCREENSHOT_DIR, 'savings-tx-policy.png') });
    await page.goto(`${node.url}/#/wallet`);
  });

  it('spends a hashlock with the secret the wallet kept, revealing it on chain', async () => {
    let secret = '';
    const lock = await createAndFund(async () => {
      await page.getByTestId('policy-kind-hashlock').check();
      secret = await page.getByTestId('policy-secret').inputValue();
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
    });
    await createSpend(lock);
    expect(await page.getByTestId('psbt-missing').textContent()).toContain('the preimage of');
    await page.getByRole('button', { name: 'Use my saved secret' }).click();
    expect(await page.getByTestId('psbt-secret').inputValue()).toBe(secret);
    await page.getByRole('button', { name: 'Add secret' }).click();
    await expect.poll(() => page.getByTestId('psbt-ready').textContent()).toContain('Complete');
    const txid = await broadcast();
    const tx = await node.api<TxView>(`/api/v1/tx/${txid}`);
    expect(usedTypes(tx)).toBe('and+ pk+ sha256+');
    // The spend made the secret public: it is in the witness, after the signature.
    expect(tx.inputs[0]!.witness).toContain(secret);
  });

  it('spends an older(2) coin with a relative lock once the coin is two blocks deep', async () => {
    const relative = await createAndFund(async () => {
      await page.getByTestId('policy-kind-text').check();
      await page.getByTestId('policy-text').fill('and(pk(me), older(2))');
    });
    await page.getByTestId('psbt-from').selectOption(relative);
    await page.getByTestId('psbt-relative-lock').fill('2');
    await createSpend(relative);
    expect(await page.getByTestId('psbt-ready').textContent()).toContain('Complete');
    // The coin has one confirmation: the next block would be only the first after it.
    await page.getByTestId('psbt-broadcast').click();
    await expect
      .poll(() => page.getByTestId('psbt-note').textContent(), { timeout: 30_000 })
      .toContain('non-bip68-final');
    await mine(1);
    const txid = await broadcast();
    const tx = await node.api<TxView & { inputs: { sequence: number }[] }>(`/api/v1/tx/${txid}`);
    expect(tx.inputs[0]!.sequence).toBe(2);
    expect(usedTypes(tx)).toBe('and+ pk+ older+');
  });

  it('logged no console errors but the one refusal it provoked', () => {
    // The browser logs the node's 400 for the premature relative-lock spend; nothing else.
    const refusal = /status of 400 .*\/api\/v1\/tx$/;
    expect(watch.errors.filter((e) => refusal.test(e))).toHaveLength(1);
    expect(watch.errors.filter((e) => !refusal.test(e))).toEqual([]);
  });
});
