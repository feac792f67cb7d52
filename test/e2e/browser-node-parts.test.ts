// The browser node's signature verifier and nonce workers (web/src/node/verifier.ts, nonce-workers.ts)
// in real Chromium: a page bundled with Vite, served on 127.0.0.1 (a secure context, as WebCrypto needs).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToBigInt, toHex } from '../../src/core/bytes.js';
import { decodeHeader, headerHash, NONCE_OFFSET } from '../../src/core/header.js';
import { hashMeetsTarget } from '../../src/core/pow.js';
import { verifyNode } from '../../src/crypto/ed25519-node.js';
import { type BundledPage, bundlePage, type StaticServer, serveStatic } from '../support/browser-page.js';
import { signatureVectors } from '../unit/crypto/ed25519-vectors.js';
import { referenceScan, targetWith, testHeader } from '../unit/miner/pow-fixtures.js';
import type { HexCheck } from './fixtures/browser-node-parts.js';
import { launchBrowser, ROOT, SKIP_E2E, watchPage } from './harness.js';

interface Verdicts {
  readonly name: string;
  readonly each: boolean[];
  readonly firstBad: number;
}
interface Outcome {
  readonly nonce: number | null;
  readonly hashes: number;
}
type Parts = {
  verdicts(checks: readonly HexCheck[]): Promise<Verdicts>;
  verdictsWithLyingWebCrypto(checks: readonly HexCheck[]): Promise<Verdicts>;
  search(
    header: string,
    target: string,
    threads: number,
    range?: { start: number; count: number },
  ): Promise<Outcome & { progress: number[]; liveWorkers: number; hashRate: number }>;
  abortedSearch(
    header: string,
    threads: number,
    afterMs: number,
  ): Promise<{
    outcome: Outcome;
    answeredMs: number;
    ranMs: number;
    rateWhileRunning: number;
    next: Outcome;
    atAbort: number;
    settled: number;
    later: number;
    refused: string;
    workersAfter: number;
  }>;
  closeAll(): void;
};
declare const parts: Parts;

const vectors = signatureVectors();
const hexChecks: HexCheck[] = vectors.map((v) => ({
  publicKey: toHex(v.publicKey),
  message: toHex(v.message),
  signature: toHex(v.signature),
}));

/** The header with `nonce` written in, hashed by the consensus code. */
function meetsTarget(header: Uint8Array, nonce: number, target: Uint8Array): boolean {
  const solved = header.slice();
  new DataView(solved.buffer).setUint32(NONCE_OFFSET, nonce, true);
  return hashMeetsTarget(headerHash(decodeHeader(solved)), bytesToBigInt(target));
}

describe.skipIf(SKIP_E2E)('browser node parts in Chromium', () => {
  let bundle: BundledPage;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    bundle = await bundlePage(join(ROOT, 'test/e2e/fixtures/browser-node-parts.ts'));
    server = await serveStatic(bundle.dir);
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = watchPage(page).errors;
    await page.goto(server.url);
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await page?.evaluate(() => parts.closeAll()).catch(() => undefined);
    await browser?.close();
    await server?.close();
    await bundle?.cleanup();
  });

  it('verifies with WebCrypto and gives the node verifier’s verdict on every edge-case vector', async () => {
    const node = vectors.map((v) => verifyNode(v.publicKey, v.message, v.signature));
    expect(node).toEqual(vectors.map((v) => v.valid));
    const r = await page.evaluate((checks) => parts.verdicts(checks), hexChecks);
    expect(r.name).toBe('WebCrypto Ed25519');
    const differ = vectors.filter((_, i) => r.each[i] !== node[i]).map((v) => v.name);
    expect(differ).toEqual([]);
    // As one batch: the index of the first refused signature, as the chain's verifier contract says.
    expect(r.firstBad).toBe(node.indexOf(false));
    expect(errors).toEqual([]);
  });

  it('passes over a WebCrypto that answers a rule probe wrongly, and still gives every verdict', async () => {
    const r = await page.evaluate((checks) => parts.verdictsWithLyingWebCrypto(checks), hexChecks);
    expect(r.name).toMatch(/^@noble\/curves \(WebCrypto answers the rule probe ".+" differently\)$/);
    expect(r.each).toEqual(vectors.map((v) => v.valid));
  });

  it('finds the lowest nonce meeting an easy target on several workers, and the header hashes under it', async () => {
    const header = testHeader(7);
    // About one hash in 65,536 meets it: the answer lies a few chunks (2^15 nonces each) in.
    const target = targetWith(2, 0xff);
    const expected = referenceScan(header, target, 0, 2 ** 20);
    expect(expected).not.toBeNull();
    const r = await page.evaluate(([h, t]) => parts.search(h, t, 3), [toHex(header), toHex(target)] as const);
    expect(r.nonce).toBe(expected);
    expect(meetsTarget(header, r.nonce!, target)).toBe(true);
    expect(r.liveWorkers).toBe(3);
    expect(r.hashes).toBeGreaterThan(expected!);
    expect(r.progress.at(-1)).toBe(r.hashes);
    expect(r.hashRate).toBeGreaterThan(0);
  });

  it('answers null when a range holds no hit, and scans exactly the range', async () => {
    const header = testHeader(8);
    const target = targetWith(2, 0xff);
    const first = referenceScan(header, target, 0, 2 ** 20)!;
    const r = await page.evaluate(([h, t, count]) => parts.search(h, t, 2, { start: 0, count }), [
      toHex(header),
      toHex(target),
      first,
    ] as const);
    expect(r).toMatchObject({ nonce: null, hashes: first });
  });

  it('stops the workers on abort, and the next search runs on the new thread count', async () => {
    const r = await page.evaluate(([h]) => parts.abortedSearch(h, 2, 600), [toHex(testHeader(9))] as const);
    expect(r.outcome.nonce).toBeNull();
    expect(r.outcome.hashes).toBeGreaterThan(0);
    expect(r.rateWhileRunning).toBeGreaterThan(0);
    // The answer comes at once; the chunks in flight finish on their own and are dropped.
    expect(r.answeredMs).toBeLessThan(100);
    // An impossible target over the whole space would run for an hour: only the abort ended it.
    expect(r.outcome.hashes).toBeLessThan(2 ** 32);
    // At most the two chunks each worker had queued are hashed after the abort, then nothing.
    expect(r.settled - r.atAbort).toBeLessThanOrEqual(2 * 2 * 2 ** 15);
    expect(r.later).toBe(r.settled);
    expect(r.next).toEqual({ nonce: 7, hashes: 1 });
    expect(r.refused).toBe('RangeError');
    expect(r.workersAfter).toBe(1);
    expect(errors).toEqual([]);
  });
});
