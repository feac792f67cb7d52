// The web app's secrets in a real browser, against a node started with --require-token (so even on
// loopback its operator reads need the token): pages carry a Content-Security-Policy that forbids inline
// and foreign scripts while the app and /docs still work; the token lives in sessionStorage (for the tab
// only), an older copy in localStorage is moved out of it, and the app's own operator reads use it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const TOKEN_KEY = 'hashline.apiToken';

/**
 * Runs `action` and waits for an answer to GET /api/v1/peers with `status` (a request of the page before
 * the action may still answer meanwhile, so any other answer is passed over); fails after 20 s.
 */
async function peersAnswer(page: Page, status: number, action: () => Promise<unknown>) {
  const answer = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/api/v1/peers' && r.status() === status,
    { timeout: 20_000 },
  );
  await action();
  return (await answer).request().headers().authorization ?? null;
}

const storage = (page: Page) =>
  page.evaluate(
    (key) => ({ local: localStorage.getItem(key), session: sessionStorage.getItem(key) }),
    TOKEN_KEY,
  );

describe.skipIf(SKIP_E2E)("the web app's secrets (browser, --require-token)", () => {
  let node: TestNode;
  let browser: Browser;
  let token = '';

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode(['--require-token']);
    token = readFileSync(join(node.dataDir, '.cookie'), 'utf8').trim();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('serves every page with a CSP that forbids inline and foreign scripts, and the app and /docs work', async () => {
    for (const path of ['/', '/docs', '/docs/']) {
      const res = await fetch(`${node.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/script-src-attr 'none'/);
      expect(csp, path).toMatch(/object-src 'none'/);
    }
    const html = await (await fetch(`${node.url}/`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // the Vite build has no inline script
    const context = await newContext(browser);
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${node.url}/#/`);
    await expect
      .poll(() => page.locator('a[href^="#/block/"]').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(watch.errors).toEqual([]); // the app runs under the policy without a violation
    // A script injected into the page, inline or as an attribute, does not run.
    const ran = await page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>;
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__attr = 1');
      img.src = 'data:,not-an-image';
      document.body.append(img);
      await new Promise((r) => setTimeout(r, 300));
      return { inline: w.__inline ?? null, attr: w.__attr ?? null };
    });
    expect(ran).toEqual({ inline: null, attr: null });
    expect(watch.errors.length).toBeGreaterThan(0);
    expect(watch.errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
    watch.errors.length = 0;
    await page.goto(`${node.url}/docs`);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    expect(watch.errors).toEqual([]); // Swagger UI too
    await context.close();
  });

  it('moves an old token out of localStorage, keeps it for the tab only, and sends it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${node.url}/#/network`);
    await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [TOKEN_KEY, token]);
    expect(await peersAnswer(page, 200, () => page.reload())).toBe(`Bearer ${token}`);
    expect(await storage(page)).toEqual({ local: null, session: token });
    await context.close();

    // A new browser session starts without it: the operator read is refused until the token is given.
    const fresh = await newContext(browser);
    const tab = await fresh.newPage();
    expect(await peersAnswer(tab, 401, () => tab.goto(`${node.url}/#/network`))).toBeNull();
    await tab.locator('#api-token').fill(token);
    await tab.getByRole('button', { name: 'Save' }).click();
    expect(await storage(tab)).toEqual({ local: null, session: token });
    expect(await peersAnswer(tab, 200, () => tab.reload())).toBe(`Bearer ${token}`);
    await screenshot(tab, 'network-token');
    expect(await tab.evaluate(() => JSON.stringify(localStorage)).then((s) => s.includes(token))).toBe(false);
    await fresh.close();
  });
});
