// A 2-of-3 escrow in three browsers: buyer, seller and arbiter each hold one key in their own browser
// wallet. The buyer makes a 2-of-3 multisig address from the three public keys, the node's wallet funds
// it, the buyer proposes a payment to the seller as a partially signed transaction, buyer and seller
// sign their copies independently, the seller combines them, finalizes and broadcasts; after a block the
// seller's balance shows the payment in all three browsers, and the transaction page shows the policy
// with the branch the witness used.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { NETWORKS } from '../../src/core/params.js';
import { HdWallet } from '../../src/wallet/index.js';
import {
  assertPrerequisites,
  createBrowserWallet,
  launchBrowser,
  newContext,
  type PageWatch,
  PHONE,
  ROOT,
  SKIP_E2E,
  startNode,
  type TestNode,
  watchPage,
} from './harness.js';

const DESKTOP = { width: 1280, height: 800 };
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const ROLES = ['buyer', 'seller', 'arbiter'] as const;
type Role = (typeof ROLES)[number];
const PASSWORD: Record<Role, string> = {
  buyer: 'buyer password one',
  seller: 'seller password two',
  arbiter: 'arbiter password three',
};
const FUNDING = 1_000_000_000n; // 10 HL
const PAYMENT = '6.5';

interface Party {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
  mnemonic: string;
  address: string;
  publicKey: string;
}

interface TxView {
  txid: string;
  confirmations: number;
  outputs: { address: string; amount: string }[];
  inputs: { address: string | null; publicKey: string; signature: string }[];
}

describe.skipIf(SKIP_E2E)(
  '2-of-3 escrow through partially signed transactions (three browsers, real node)',
  () => {
    let node: TestNode;
    let browser: Browser;
    const party = {} as Record<Role, Party>;
    let escrow = '';
    let txid = '';

    beforeAll(async () => {
      assertPrerequisites();
      await mkdir(SHOTS, { recursive: true });
      node = await startNode();
      browser = await launchBrowser();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await node?.stop();
    });

    /** One card; the sticky top bar is unstuck first, or it would be drawn over the card. */
    const shot = async (page: Page, testId: string, name: string) => {
      await page.addStyleTag({ content: '.topbar { position: static !important; }' });
      await page.getByTestId(testId).screenshot({ path: join(SHOTS, `${name}.png`) });
    };

    it('creates one browser wallet per party, each showing its public key', async () => {
      for (const role of ROLES) {
        const context = await newContext(browser, DESKTOP);
        const page = await context.newPage();
        const watch = watchPage(page);
        const { mnemonic, address } = await createBrowserWallet(page, node.url, PASSWORD[role]);
        const publicKey = (await page.getByTestId('wallet-public-key').textContent())!.trim();
        party[role] = { context, page, watch, mnemonic, address, publicKey };
        // The key shown is the wallet's own (its first receive key), derived from its recovery phrase.
        const wallet = await HdWallet.fromMnemonic(mnemonic, NETWORKS.regtest);
        expect(publicKey).toBe(toHex(wallet.receiveKey(0).publicKey));
      }
      expect(new Set(ROLES.map((r) => party[r].publicKey)).size).toBe(3);
    });

    /** Fills the multisig form: 2 of the three keys in buyer, seller, arbiter order (`me` for its own). */
    async function makeEscrow(role: Role): Promise<string> {
      const { page } = party[role];
      await page.getByTestId('policy-kind-multisig').check();
      await page.getByTestId('policy-k').fill('2');
      for (const [i, other] of ROLES.entries())
        await page.getByTestId(`policy-key-${i}`).fill(other === role ? 'me' : party[other].publicKey);
      await page.getByTestId('policy-create').click();
      await page.getByTestId('policy-created').waitFor();
      return (await page.getByTestId('policy-address').first().textContent())!.trim();
    }

    it('makes the same 2-of-3 multisig address in every browser from the three public keys', async () => {
      escrow = await makeEscrow('buyer');
      const decoded = await node.api<{ address: string; keys: string[]; sigChecks: { min: number } }>(
        `/api/v1/policy/decode?text=${encodeURIComponent(
          `multi(2,${ROLES.map((r) => party[r].publicKey).join(',')})`,
        )}`,
      );
      expect(escrow).toBe(decoded.address);
      expect(decoded.sigChecks.min).toBe(2);
      expect(await makeEscrow('seller')).toBe(escrow);
      expect(await makeEscrow('arbiter')).toBe(escrow);
    });

    it('is funded by the node wallet and shows the balance in the wallet', async () => {
      await node.api('/api/v1/mine', { count: 2 });
      const paid = await node.api<{ txid: string }>('/transactions/new', {
        recipient: escrow,
        amount: Number(FUNDING),
      });
      await node.api('/api/v1/mine', {});
      const funding = await node.api<TxView>(`/api/v1/tx/${paid.txid}`);
      expect(funding.confirmations).toBe(1);
      expect(funding.outputs[0]).toMatchObject({ address: escrow, amount: String(FUNDING) });
      const { page } = party.buyer;
      await expect
        .poll(() => page.getByTestId('policy-balance').first().textContent(), { timeout: 20_000 })
        .toBe('10.00000000 HL');
      // The address page knows it for a policy address, and checks a pasted policy against it.
      await page.goto(`${node.url}/#/address/${escrow}`);
      await expect.poll(() => page.getByTestId('address-kind').textContent()).toBe('policy address');
      // Funded but never spent: its policy is still only a hash.
      await page.getByTestId('address-policy-unknown').waitFor();
      await expect.poll(() => page.getByTestId('address-balance').textContent()).toBe('10.00000000 HL');
      await page
        .getByTestId('policy-check-text')
        .fill(`multi(2,${ROLES.map((r) => party[r].publicKey).join(',')})`);
      await page.getByTestId('policy-check').getByRole('button', { name: 'Check' }).click();
      await expect
        .poll(() => page.getByTestId('policy-check-result').textContent())
        .toContain('hashes to this address');
      await page
        .getByTestId('policy-check-text')
        .fill(`multi(2,${[party.seller, party.buyer, party.arbiter].map((p) => p.publicKey).join(',')})`);
      await page.getByTestId('policy-check').getByRole('button', { name: 'Check' }).click();
      await expect
        .poll(() => page.getByTestId('policy-check-result').textContent())
        .toContain('does not lock');
      await page.goto(`${node.url}/#/wallet`);
    });

    const psbtText = (page: Page) => page.getByTestId('psbt-text').inputValue();

    async function sign(role: Role) {
      const { page } = party[role];
      await page.getByTestId('psbt-password').fill(PASSWORD[role]);
      await page.getByTestId('psbt-sign').click();
      await expect
        .poll(() => page.getByTestId('psbt-note').textContent(), { timeout: 30_000 })
        .toContain('Signed');
    }

    async function paste(role: Role, text: string, expected: string) {
      const { page } = party[role];
      await page.getByTestId('psbt-paste').fill(text);
      await page.getByTestId('psbt-load').click();
      await expect.poll(() => page.getByTestId('psbt-note').textContent()).toContain(expected);
    }

    it('settles: buyer and seller sign their own copies, the seller combines, finalizes and broadcasts', async () => {
      const buyer = party.buyer.page;
      await buyer.getByTestId('psbt-from').selectOption(escrow);
      await buyer.getByTestId('psbt-to').fill(party.seller.address);
      await buyer.getByTestId('psbt-amount').fill(PAYMENT);
      await buyer.getByTestId('psbt-create-submit').click();
      await buyer.getByTestId('psbt-view').waitFor();
      expect(await buyer.getByTestId('psbt-missing').textContent()).toContain('2 more signatures');
      const proposal = await psbtText(buyer);
      expect(proposal).toMatch(/^hlpsbt:/);
      await buyer.getByTestId('psbt-qr').locator('img').waitFor();

      // Text that is not a partially signed transaction is refused, and left in place to be corrected.
      const seller0 = party.seller.page;
      await seller0.getByTestId('psbt-paste').fill('hlpsbt:AAAA');
      await seller0.getByTestId('psbt-load').click();
      await expect
        .poll(() => seller0.getByTestId('psbt-note').textContent())
        .toContain('not a partially signed transaction');
      expect(await seller0.getByTestId('psbt-paste').inputValue()).toBe('hlpsbt:AAAA');
      // The seller takes the proposal and signs it: one of two signatures.
      await paste('seller', proposal, 'Loaded');
      await sign('seller');
      const seller = party.seller.page;
      expect(await seller.getByTestId('psbt-missing').textContent()).toContain('1 more signature');
      expect(await seller.getByTestId('psbt-input-status').textContent()).toContain('signed by you');
      // Not complete: broadcasting says what is missing, and nothing reaches the node.
      await seller.getByTestId('psbt-broadcast').click();
      await expect
        .poll(() => seller.getByTestId('psbt-note').textContent())
        .toContain('not ready to finalize');

      // The buyer signs the same proposal on their side; the seller combines the two copies.
      await sign('buyer');
      await shot(buyer, 'wallet-policy', 'escrow-policy-card-desktop');
      await shot(buyer, 'wallet-psbt', 'escrow-psbt-card-desktop');
      await buyer.setViewportSize(PHONE);
      await shot(buyer, 'wallet-policy', 'escrow-policy-card-phone');
      await shot(buyer, 'wallet-psbt', 'escrow-psbt-card-phone');
      // Nothing on the wallet page is wider than a phone.
      expect(
        await buyer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
      await buyer.setViewportSize(DESKTOP);
      const buyerSigned = await psbtText(buyer);
      await paste('seller', buyerSigned, 'Combined');
      expect(await seller.getByTestId('psbt-ready').textContent()).toContain('Complete');
      await seller.getByTestId('psbt-broadcast').click();
      const link = seller.getByTestId('psbt-broadcast-txid');
      await link.waitFor({ timeout: 30_000 });
      txid = (await link.textContent())!.trim();
      expect(txid).toMatch(/^[0-9a-f]{64}$/);
      await node.api('/api/v1/mine', {});
      const spend = await node.api<TxView>(`/api/v1/tx/${txid}`);
      expect(spend.confirmations).toBe(1);
      expect(spend.inputs[0]).toMatchObject({ address: escrow, publicKey: '', signature: '' });
      expect(spend.outputs[0]).toMatchObject({ address: party.seller.address, amount: '650000000' });
      expect(spend.outputs[1]?.address).toBe(escrow);
    });

    it("shows the seller's payment in all three browsers", async () => {
      const seller = party.seller.page;
      await seller.goto(`${node.url}/#/wallet`);
      await expect
        .poll(() => seller.getByTestId('wallet-balance').textContent(), { timeout: 20_000 })
        .toBe('6.50000000 HL');
      for (const role of ['buyer', 'arbiter'] as const) {
        const { page } = party[role];
        await page.goto(`${node.url}/#/address/${party.seller.address}`);
        await expect
          .poll(() => page.getByTestId('address-balance').textContent(), { timeout: 20_000 })
          .toBe('6.50000000 HL');
      }
    });

    it('shows the escrow spend: version, lock time, the policy with the two signers highlighted', async () => {
      const { page } = party.arbiter;
      await page.goto(`${node.url}/#/tx/${txid}`);
      await expect.poll(() => page.getByTestId('tx-version').textContent(), { timeout: 20_000 }).toBe('2');
      expect(await page.getByTestId('tx-locktime').textContent()).toMatch(/^block height \d+/);
      const tree = page.getByTestId('tx-policy-tree');
      await tree.waitFor();
      expect(await tree.locator('li').count()).toBe(1);
      expect(await tree.locator('li').first().getAttribute('data-used')).toBe('true');
      expect(await page.getByTestId('tx-input-sequence').textContent()).toContain('0xfffffffe');
      // The witness's mask picked the buyer's and the seller's keys, not the arbiter's.
      expect((await page.getByTestId('tx-policy-signers').getAttribute('title'))!.split(' ')).toEqual([
        party.buyer.publicKey,
        party.seller.publicKey,
      ]);
      await page.screenshot({ path: join(SHOTS, 'escrow-tx-desktop.png'), fullPage: true });
      // The escrow's address page now shows the policy the spend revealed.
      await page.goto(`${node.url}/#/address/${escrow}`);
      await expect
        .poll(() => page.getByTestId('address-policy-text').textContent(), { timeout: 20_000 })
        .toBe(`multi(2,${ROLES.map((r) => party[r].publicKey).join(',')})`);
      await page.goto(`${node.url}/#/tx/${txid}`);
      await page.getByTestId('tx-policy-tree').waitFor();
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: join(SHOTS, 'escrow-tx-phone.png'), fullPage: true });
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
    });

    it('never sent a private key, and logged no console errors', async () => {
      const secrets: string[] = [];
      for (const role of ROLES) {
        const wallet = await HdWallet.fromMnemonic(party[role].mnemonic, NETWORKS.regtest);
        for (let i = 0; i < 3; i++) secrets.push(toHex(wallet.receiveKey(i).privateKey));
      }
      for (const role of ROLES) {
        for (const { url, body } of party[role].watch.requestBodies) {
          for (const secret of secrets)
            expect(body.toLowerCase().includes(secret), `${url} sent a key`).toBe(false);
        }
      }
      expect(ROLES.flatMap((r) => party[r].watch.errors)).toEqual([]);
    });
  },
);
