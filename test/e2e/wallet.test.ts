// The browser wallet end to end: create, mine to it, pay a second wallet, watch the payment go through
// the mempool into a block — and check that no secret ever leaves the browser.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { NETWORKS } from '../../src/core/params.js';
import { HdWallet, mnemonicToSeed } from '../../src/wallet/index.js';
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

const PASSWORD_A = 'correct horse battery';
const PASSWORD_B = 'another good password';

interface TxView {
  txid: string;
  fee: string;
  confirmations: number;
  data: { text: string | null };
  outputs: { address: string; amount: string }[];
}

describe.skipIf(SKIP_E2E)('web wallet (browser, real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let watchA: PageWatch;
  let watchB: PageWatch;
  let mnemonicA = '';
  let mnemonicB = '';
  let addressA = '';
  let addressB = '';

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    browser = await launchBrowser();
    contextA = await newContext(browser, DESKTOP);
    contextB = await newContext(browser, DESKTOP);
    pageA = await contextA.newPage();
    pageB = await contextB.newPage();
    watchA = watchPage(pageA);
    watchB = watchPage(pageB);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  async function createWallet(page: Page, password: string): Promise<{ mnemonic: string; address: string }> {
    await page.goto(`${node.url}/#/wallet`);
    await page.getByTestId('wallet-setup').waitFor();
    const words = await page.getByTestId('mnemonic-word').allTextContents();
    expect(words).toHaveLength(12);
    await page.getByTestId('mnemonic-saved').check();
    await page.getByTestId('setup-password').fill(password);
    await page.getByTestId('setup-confirm').fill(password);
    await expect.poll(() => page.getByTestId('wallet-create').isEnabled()).toBe(true);
    await page.getByTestId('wallet-create').click();
    const address = (await page
      .getByTestId('wallet-receive-address')
      .textContent({ timeout: 30_000 }))!.trim();
    expect(address).toMatch(/^hlrt1/);
    return { mnemonic: words.map((w) => w.trim()).join(' '), address };
  }

  const balanceOf = (page: Page) => page.getByTestId('wallet-balance').textContent();

  it('creates a wallet whose keys stay in the browser', async () => {
    ({ mnemonic: mnemonicA, address: addressA } = await createWallet(pageA, PASSWORD_A));
    // The address shown is the first receive key of the mnemonic (same derivation as the CLI).
    const wallet = await HdWallet.fromMnemonic(mnemonicA, NETWORKS.regtest);
    expect(addressA).toBe(wallet.receiveAddress(0));
    const stored = await pageA.evaluate(() => JSON.stringify(localStorage));
    expect(stored).not.toContain(mnemonicA.split(' ').slice(0, 3).join(' '));
    expect(stored).toContain('aes-256-gcm');
    await expect.poll(() => balanceOf(pageA)).toBe('0.00000000 HL');
    await screenshot(pageA, 'wallet-new-desktop');
  });

  it('receives mined coins', async () => {
    await pageA.getByTestId('nav-miner').click();
    await pageA.getByTestId('mine-one').waitFor();
    // With a wallet in this browser, the miner pays it by default.
    expect(await pageA.getByTestId('target-wallet').isChecked()).toBe(true);
    for (const height of [1, 2]) {
      await pageA.getByTestId('mine-one').click();
      await expect
        .poll(() => pageA.getByTestId('miner-result').textContent(), { timeout: 30_000 })
        .toContain(`#${height}`);
    }
    await pageA.getByTestId('nav-wallet').click();
    await expect.poll(() => balanceOf(pageA), { timeout: 20_000 }).toBe('100.00000000 HL');
    const info = await node.api<{ balance: { confirmed: string } }>(`/api/v1/address/${addressA}`);
    expect(info.balance.confirmed).toBe('10000000000');
  });

  let txid = '';

  it('pays a second wallet, through the mempool into a block', async () => {
    ({ mnemonic: mnemonicB, address: addressB } = await createWallet(pageB, PASSWORD_B));
    expect(mnemonicB).not.toBe(mnemonicA);

    // No fee preview while the address is not a valid one.
    await pageA.getByTestId('send-amount').fill('12.5');
    await pageA.getByTestId('send-to').fill(addressB.slice(0, -3));
    await pageA.locator('.field-error').first().waitFor();
    expect(await pageA.getByTestId('send-preview').count()).toBe(0);
    await pageA.getByTestId('send-to').fill(addressB);
    await pageA.getByTestId('fee-high').check();
    await pageA.getByTestId('send-data').fill('hello from the e2e test');
    await expect.poll(() => pageA.getByTestId('send-preview').textContent()).toContain('Fee');
    await pageA.getByTestId('send-password').fill('wrong password!');
    await pageA.getByTestId('send-submit').click();
    await expect
      .poll(() => pageA.getByTestId('send-result').textContent(), { timeout: 30_000 })
      .toContain('Wrong password');

    await pageA.getByTestId('send-password').fill(PASSWORD_A);
    await pageA.getByTestId('send-submit').click();
    await expect
      .poll(() => pageA.getByTestId('send-result').textContent(), { timeout: 30_000 })
      .toContain('Sent');
    const link = await pageA.getByTestId('sent-tx-link').getAttribute('href');
    txid = link!.split('/').pop()!;
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    await screenshot(pageA, 'wallet-sent-desktop');

    // The payee sees the payment as pending, not as confirmed balance, and spendable marked unconfirmed.
    await expect
      .poll(() => pageB.getByTestId('wallet-pending-in').textContent(), { timeout: 20_000 })
      .toBe('+12.50000000 HL');
    expect(await balanceOf(pageB)).toBe('0.00000000 HL');
    expect(await pageB.getByTestId('wallet-spendable').textContent()).toBe('12.50000000 HL');
    expect(await pageB.getByTestId('wallet-spendable-note').textContent()).toContain(
      '12.50000000 HL of it unconfirmed',
    );
    expect(await pageB.getByTestId('wallet-total').textContent()).toBe('12.50000000 HL');
    const labels = await pageB.getByTestId('wallet-stats').locator('.stat-label').allTextContents();
    expect(labels).toEqual(['Confirmed', 'Pending', 'Spendable now', 'Total after pending']);
    await screenshot(pageB, 'wallet-pending-desktop');

    // In the mempool, as the miner page shows it.
    await pageA.getByTestId('nav-miner').click();
    await expect
      .poll(async () => (await pageA.getByTestId('mempool').textContent())?.includes(txid.slice(0, 10)), {
        timeout: 20_000,
      })
      .toBe(true);
    await screenshot(pageA, 'miner-mempool-desktop');

    const pending = await node.api<TxView>(`/api/v1/tx/${txid}`);
    expect(pending.confirmations).toBe(0);
    expect(pending.data.text).toBe('hello from the e2e test');
    expect(pending.outputs[0]).toEqual(expect.objectContaining({ address: addressB, amount: '1250000000' }));

    // The transaction page shows it unconfirmed, then confirmed after a block.
    await pageA.goto(`${node.url}/#/tx/${txid}`);
    await pageA.getByTestId('tx-unconfirmed').waitFor();
    await pageA.getByTestId('nav-miner').click();
    await pageA.getByRole('radio', { name: /node's own wallet/ }).check();
    await pageA.getByTestId('mine-one').click();
    await expect
      .poll(() => pageA.getByTestId('miner-result').textContent(), { timeout: 30_000 })
      .toContain('#3');
    await expect.poll(() => pageA.getByTestId('mempool').textContent()).toContain('empty');
    await pageA.goto(`${node.url}/#/tx/${txid}`);
    await expect
      .poll(() => pageA.getByTestId('tx-confirmations').textContent(), { timeout: 20_000 })
      .toBe('1');
    await expect.poll(() => pageA.getByTestId('tx-data-text').textContent()).toBe('hello from the e2e test');
  });

  it('shows both balances changed', async () => {
    const tx = await node.api<TxView>(`/api/v1/tx/${txid}`);
    const expectedA = 10_000_000_000n - 1_250_000_000n - BigInt(tx.fee);
    const coins = `${expectedA / 100_000_000n}.${(expectedA % 100_000_000n).toString().padStart(8, '0')} HL`;
    await pageA.getByTestId('nav-wallet').click();
    await expect.poll(() => balanceOf(pageA), { timeout: 20_000 }).toBe(coins);
    await expect.poll(() => balanceOf(pageB), { timeout: 20_000 }).toBe('12.50000000 HL');
    await expect.poll(() => pageB.getByTestId('wallet-history-row').count(), { timeout: 20_000 }).toBe(1);
    await screenshot(pageA, 'wallet-desktop');
    await pageB.setViewportSize(PHONE);
    // Every history column, the amount included, is on screen at phone width.
    const amount = pageB.getByTestId('history-amount').first();
    await amount.waitFor();
    const box = (await amount.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(
      await pageB.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(pageB, 'wallet-phone');
  });

  it('imports a wallet from its recovery phrase and finds its coins', async () => {
    const contextC = await newContext(browser, DESKTOP);
    const pageC = await contextC.newPage();
    const watchC = watchPage(pageC);
    await pageC.goto(`${node.url}/#/wallet`);
    await pageC.getByTestId('mode-import').check();
    await pageC.getByTestId('import-mnemonic').fill(`  ${mnemonicB.toUpperCase()}  `);
    await pageC.getByTestId('setup-password').fill('third password');
    await pageC.getByTestId('setup-confirm').fill('third password');
    await pageC.getByTestId('wallet-create').click();
    await expect.poll(() => balanceOf(pageC), { timeout: 30_000 }).toBe('12.50000000 HL');
    // The next unused address, not the one that was paid.
    expect((await pageC.getByTestId('wallet-receive-address').textContent())?.trim()).not.toBe(addressB);
    watchB.requestBodies.push(...watchC.requestBodies);
    watchB.errors.push(...watchC.errors);
    await contextC.close();
  });

  it('never sent a mnemonic or private key to the node', async () => {
    const secrets: string[] = [];
    for (const mnemonic of [mnemonicA, mnemonicB]) {
      const words = mnemonic.split(' ');
      for (let i = 0; i + 1 < words.length; i++) secrets.push(`${words[i]} ${words[i + 1]}`);
      secrets.push(toHex(new TextEncoder().encode(mnemonic)));
      secrets.push(toHex(await mnemonicToSeed(mnemonic)));
      const wallet = await HdWallet.fromMnemonic(mnemonic, NETWORKS.regtest);
      for (let i = 0; i < 5; i++) {
        secrets.push(toHex(wallet.receiveKey(i).privateKey), toHex(wallet.changeKey(i).privateKey));
      }
    }
    const bodies = [...watchA.requestBodies, ...watchB.requestBodies].filter((r) => r.body !== '');
    expect(bodies.some((r) => r.url.endsWith('/api/v1/tx'))).toBe(true);
    for (const { url, body } of bodies) {
      const lower = body.toLowerCase();
      for (const secret of secrets) expect(lower.includes(secret), `${url} sent a secret`).toBe(false);
      // The wallet's only write is the signed transaction.
      if (url.endsWith('/api/v1/tx')) expect(Object.keys(JSON.parse(body))).toEqual(['hex']);
    }
  });

  it('logged no console errors', () => {
    expect([...watchA.errors, ...watchB.errors]).toEqual([]);
  });
});
