// The Decode page and the tools linked from the block and transaction pages, in a real browser against a
// real regtest node: pasted hex is decoded field by field, a tampered block is explained with its rule
// code, the failed check and the sentence of docs/protocol.md; the tx page shows keys, signatures and
// change, and its links open the inspector and the step-through on that very transaction.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { NETWORKS } from '../../src/core/params.js';
import { RULE_SENTENCES } from '../../src/core/rule-sentences.js';
import { encodeAddress } from '../../src/crypto/address.js';
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

interface TxView {
  txid: string;
  inputs: { publicKey: string; signature: string; address: string | null }[];
  outputs: { index: number; address: string }[];
}

describe.skipIf(SKIP_E2E)('Decode page and the block and tx tool links (browser, real node)', () => {
  let node: TestNode;
  let browser: Browser;
  let desktop: BrowserContext;
  let phone: BrowserContext;
  let page: Page;
  let phonePage: Page;
  let payment: TxView;
  let blockHex: string;
  const watches: PageWatch[] = [];

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    for (let i = 0; i < 3; i++) await node.api('/api/v1/mine', {});
    // A payment to someone else: one output to them, the change back to the node wallet.
    const stranger = encodeAddress(NETWORKS.regtest.addressPrefix, new Uint8Array(20).fill(5));
    const sent = await node.api<{ txid: string }>('/transactions/new', {
      recipient: stranger,
      amount: 150_000_000,
    });
    await node.api('/api/v1/mine', {});
    payment = await node.api<TxView>(`/api/v1/tx/${sent.txid}`);
    blockHex = (await node.api<{ hex: string }>('/api/v1/blocks/4/raw')).hex;
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

  async function shootPhone(path: string, ready: string, name: string): Promise<void> {
    await phonePage.goto(`${node.url}/#${path}`);
    await phonePage.getByTestId(ready).first().waitFor();
    await phonePage.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(phonePage, name);
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} overflows the phone screen`).toBeLessThanOrEqual(0);
  }

  it('the tx page shows each input’s key and signature, marks change, and links to the tools', async () => {
    await page.goto(`${node.url}/#/tx/${payment.txid}`);
    await page.getByTestId('tx-inputs').waitFor();
    const key = await page.getByTestId('tx-input-key').first().getAttribute('title');
    expect(key).toBe(payment.inputs[0]!.publicKey);
    expect(await page.getByTestId('tx-input-signature').first().getAttribute('title')).toBe(
      payment.inputs[0]!.signature,
    );
    await page.getByTestId('tx-keys-full').click();
    expect(await page.getByTestId('tx-input-signature').first().textContent()).toBe(
      payment.inputs[0]!.signature,
    );
    const change = payment.outputs.filter((o) => o.address === payment.inputs[0]!.address);
    expect(change).toHaveLength(1);
    expect(await page.getByTestId('tx-outputs').getByTestId('tx-change').count()).toBe(1);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(page, 'tx-keys-change-desktop');

    await page.getByTestId('link-validate').click();
    const summary = page.getByTestId('validate-summary');
    await expect.poll(() => summary.getAttribute('data-ok')).toBe('true');
    expect(page.url()).toContain(`/learn/validate/${payment.txid}`);
    // The payment is transaction 1 of block 4: its sanity, inputs and signature steps are outlined.
    expect(await page.locator('[data-testid="validate-step"][data-focus="true"]').count()).toBe(3);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(page, 'validate-from-tx-desktop');

    await page.goto(`${node.url}/#/tx/${payment.txid}`);
    await page.getByTestId('link-inspect').click();
    await expect.poll(() => page.getByTestId('inspect-txid-check').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('inspect-txid-check-computed').textContent()).toBe(payment.txid);
    await shootPhone(`/tx/${payment.txid}`, 'tx-inputs', 'tx-keys-change-phone');
  });

  it('the block page links to Decode, which shows the block valid, every field and every check', async () => {
    await page.goto(`${node.url}/#/block/4`);
    await page.getByTestId('tool-links').waitFor();
    expect(await page.getByTestId('link-inspect').getAttribute('href')).toMatch(
      /#\/learn\/inspect\/[0-9a-f]{64}$/,
    );
    await page.getByTestId('link-decode').click();
    const verdict = page.getByTestId('decode-verdict');
    await expect.poll(() => verdict.getAttribute('data-valid')).toBe('true');
    expect(await page.getByTestId('decoded-tx').count()).toBe(2);
    expect(await page.getByTestId('decode-check').count()).toBeGreaterThan(10);
    expect(await page.locator('[data-testid="decode-check"][data-status="fail"]').count()).toBe(0);
    expect(await page.getByTestId('decode-input').inputValue()).toMatch(/^[0-9a-f]{64}$/);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await screenshot(page, 'decode-valid-block-desktop');
  });

  it('pasted hex of a tampered block: why it is refused, in the protocol’s words', async () => {
    const bytes = fromHex(blockHex);
    bytes[bytes.length - 3]! ^= 1;
    await page.goto(`${node.url}/#/decode`);
    await page.getByTestId('decode-input').fill(toHex(bytes));
    await page.getByTestId('decode-go').click();
    await page.getByTestId('decode-refusal').waitFor();
    expect(await page.getByTestId('decode-verdict').getAttribute('data-valid')).toBe('false');
    expect(await page.getByTestId('refusal-code').textContent()).toBe('bad-merkle-root');
    expect(await page.getByTestId('refusal-check').textContent()).toBe(
      "Merkle root of the txids equals the header's",
    );
    expect(await page.getByTestId('refusal-sentence').textContent()).toBe(
      RULE_SENTENCES['bad-merkle-root'].sentence,
    );
    expect(await page.getByTestId('decoded-tx').count()).toBe(2);
    await screenshot(page, 'decode-refused-desktop');

    // The same bytes in the step-through (decoded in the browser): the same first failure.
    await page.getByTestId('decode-link-validate').click();
    const summary = page.getByTestId('validate-summary');
    await expect.poll(() => summary.getAttribute('data-code')).toBe('bad-merkle-root');
    expect(await summary.getAttribute('data-level')).toBe('sanity');

    // Hex in the URL opens the page decoded; the inspector takes the same hex.
    await shootPhone(`/decode/${toHex(bytes)}`, 'decode-refusal', 'decode-refused-phone');
    await page.goto(`${node.url}/#/learn/inspect/${blockHex}`);
    await expect.poll(() => page.getByTestId('inspect-hash-check').getAttribute('data-ok')).toBe('true');

    await page.goto(`${node.url}/#/decode`);
    await page.getByTestId('decode-input').fill('zz');
    await page.getByTestId('decode-go').click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('bad-encoding');
  });

  it('a pending transaction: the step-through points to Decode, which judges it as the mempool does', async () => {
    const own = await node.api<{ address: string }>('/api/v1/wallet');
    const sent = await node.api<{ txid: string }>('/transactions/new', {
      recipient: own.address,
      amount: 1000,
    });
    await page.goto(`${node.url}/#/tx/${sent.txid}`);
    await page.getByTestId('link-validate').click();
    await page.getByTestId('validate-pending').waitFor();
    await page.getByTestId('validate-pending').getByRole('link').click();
    const verdict = page.getByTestId('decode-verdict');
    await expect.poll(() => verdict.getAttribute('data-valid')).toBe('true');
    expect(await verdict.textContent()).toContain('in the mempool');
    expect(await page.getByTestId('decoded-tx').count()).toBe(1);
  });

  it('no console errors', () => {
    // A refused decode answers 400: the browser logs the failed request itself.
    const errors = watches.flatMap((w) => w.errors).filter((e) => !e.includes('400 (Bad Request)'));
    expect(errors).toEqual([]);
  });
});
