// The teacher's dashboard in Chromium, on a real `hashline classroom`: the printed link (with its token)
// opens #/class, the token leaves the address bar, the leaderboard lists the teacher, the join link and QR
// code are shown, and the mining control changes the class state. Screenshots at desktop and phone widths
// (test-artifacts/screenshots/class-dashboard*.png).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClassroomProcess, startClassroom } from '../support/classroom-process.js';
import {
  assertPrerequisites,
  DESKTOP,
  launchBrowser,
  newContext,
  PHONE,
  SKIP_E2E,
  screenshot,
  watchPage,
} from './harness.js';

describe.skipIf(SKIP_E2E)("teacher's dashboard (browser)", () => {
  let teacher: ClassroomProcess;
  let browser: Browser;

  beforeAll(async () => {
    assertPrerequisites();
    teacher = await startClassroom(['--name', 'Ms Lee', '--interval', '600']);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await teacher?.stop();
  });

  const classState = async () => {
    const res = await fetch(`${teacher.url}/api/v1/class`, {
      headers: { authorization: `Bearer ${teacher.token}` },
    });
    return (await res.json()).state as { mining: boolean; intervalSeconds: number };
  };

  it('lists the teacher, shows the join link, and turns mining on', async () => {
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${teacher.url}/#/class?token=${teacher.token}`);
    const rows = page.getByTestId('class-member');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('class-leaderboard').textContent()).toContain('Ms Lee');
    expect(page.url().endsWith('#/class')).toBe(true);
    expect(await page.getByTestId('class-join-url').textContent()).toContain('#/join?net=class-');
    expect(await page.getByTestId('class-qr').isVisible()).toBe(true);
    await screenshot(page, 'class-dashboard');

    expect((await classState()).mining).toBe(false);
    const toggle = page.getByTestId('class-mining-toggle');
    expect(await toggle.textContent()).toBe('Start mining');
    await toggle.click();
    await expect.poll(() => toggle.textContent(), { timeout: 15_000 }).toBe('Stop mining');
    expect((await classState()).mining).toBe(true);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('fits a phone: no sideways scroll of the page, controls reachable', async () => {
    const context = await newContext(browser, PHONE);
    const page = await context.newPage();
    await page.goto(`${teacher.url}/#/class?token=${teacher.token}`);
    await expect.poll(() => page.getByTestId('class-member').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.getByTestId('class-reset').isVisible()).toBe(true);
    await screenshot(page, 'class-dashboard-phone');
    await context.close();
  });
});
