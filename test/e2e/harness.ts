// Shared set-up for the browser tests: a real node process on a free port, headless Chromium from the
// system package, and a watcher that records console errors and request bodies of every page.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePort } from '../support/node-process.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'test-artifacts', 'screenshots');
export const SKIP_E2E = process.env.HASHLINE_SKIP_E2E === '1';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Fails loudly (never skips silently) when what the browser tests need is missing. */
export function assertPrerequisites(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests need Debian's chromium package ` +
        '(apt-get install -y chromium), or set HASHLINE_SKIP_E2E=1 to skip them.',
    );
  }
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist/index.html is missing: run `npm run build` before the browser tests.');
  }
  if (!existsSync(join(ROOT, 'bin', 'hashline.js'))) {
    throw new Error('bin/hashline.js is missing: the browser tests start a real node through the CLI.');
  }
}

export interface TestNode {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly output: () => string;
  readonly api: <T>(path: string, body?: unknown) => Promise<T>;
  readonly stop: () => Promise<void>;
}

/** Starts `hashline node --network regtest` and waits until its API and the web app answer. */
export async function startNode(extraArgs: readonly string[] = []): Promise<TestNode> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'hashline-e2e-'));
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    // Any free libp2p port: HTTP port + 10000 (the default) may be taken on a busy machine.
    [
      join(ROOT, 'bin', 'hashline.js'),
      'node',
      '--network',
      'regtest',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--p2p-port',
      '0',
      ...extraArgs,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the node exited with code ${child.exitCode} before answering:\n${log}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/status`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the node did not answer on ${url} within 45 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const index = await fetch(`${url}/`);
  const html = await index.text();
  if (!index.ok || !html.includes('<div id="root">')) {
    await stop();
    throw new Error(`the node does not serve the web app at / (HTTP ${index.status}); is web/dist wired in?`);
  }
  return { url, port, dataDir, output: () => log, api, stop };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function newContext(browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
    // Copy buttons use the clipboard.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
}

export interface PageWatch {
  readonly errors: string[];
  readonly requestBodies: { url: string; body: string }[];
}

/** Records console errors, uncaught exceptions and every request body the page sends. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], requestBodies: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') watch.errors.push(`console: ${msg.text()} @ ${msg.location().url}`);
  });
  page.on('pageerror', (err) => watch.errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    const body = req.postData();
    watch.requestBodies.push({ url: req.url(), body: body ?? '' });
  });
  return watch;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // A sticky header would otherwise be drawn where the page happened to be scrolled.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Creates a browser wallet on the wallet page (new recovery phrase, `password`) and answers its phrase
 * and first receive address.
 */
export async function createBrowserWallet(
  page: Page,
  nodeUrl: string,
  password: string,
): Promise<{ mnemonic: string; address: string }> {
  await page.goto(`${nodeUrl}/#/wallet`);
  await page.getByTestId('wallet-setup').waitFor();
  const words = (await page.getByTestId('mnemonic-word').allTextContents()).map((w) => w.trim());
  await page.getByTestId('mnemonic-saved').check();
  await page.getByTestId('setup-password').fill(password);
  await page.getByTestId('setup-confirm').fill(password);
  await page.getByTestId('wallet-create').click({ timeout: 30_000 });
  const address = (await page.getByTestId('wallet-receive-address').textContent({ timeout: 30_000 }))!.trim();
  return { mnemonic: words.join(' '), address };
}
