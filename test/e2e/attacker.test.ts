// A web page of another site, open in the operator's browser, attacks a loopback node: it auto-submits a
// form to every operator route and loads the GET ones as images. Every request must be refused, and the
// node's wallet, miner, peers and chain must be as before. The same page's scripts try to read every
// operator read (node wallet, peers, miner, metrics) and cannot, while public chain data stays readable
// and the public status and event stream hide the operator's part. A DNS-rebound name is refused too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlock } from '../../src/core/block.js';
import { toHex } from '../../src/core/bytes.js';
import { NETWORKS } from '../../src/core/params.js';
import { encodeAddress } from '../../src/crypto/address.js';
import { testKey } from '../support/chain-fixture.js';
import { coinbaseBlockOn } from '../support/p2p-blocks.js';
import {
  assertPrerequisites,
  CHROMIUM,
  CHROMIUM_ARGS,
  launchBrowser,
  newContext,
  SKIP_E2E,
  screenshot,
  startNode,
  type TestNode,
} from './harness.js';

const ATTACKER = encodeAddress(NETWORKS.regtest.addressPrefix, testKey(9).address);

interface NodeState {
  height: number;
  tip: string;
  mempool: number;
  minerAddress: string;
  mining: boolean;
  balance: string;
  peers: unknown;
}

async function stateOf(node: TestNode): Promise<NodeState> {
  const s = await node.api<{
    height: number;
    tip: string;
    mempool: { count: number };
    minerAddress: string;
    mining: boolean;
  }>('/api/v1/status');
  const wallet = await node.api<{ balance: { confirmed: string } }>('/api/v1/wallet');
  const peers = await node.api<unknown>('/api/v1/peers');
  return {
    height: s.height,
    tip: s.tip,
    mempool: s.mempool.count,
    minerAddress: s.minerAddress,
    mining: s.mining,
    balance: wallet.balance.confirmed,
    peers,
  };
}

/** A valid block on the node's tip: even a good block must not be pushed in by a foreign page. */
async function validBlockHex(node: TestNode): Promise<string> {
  const status = await node.api<{ tip: string }>('/api/v1/status');
  const tip = await node.api<{ hash: string; height: number; time: number; bits: string }>(
    `/api/v1/blocks/${status.tip}`,
  );
  return toHex(encodeBlock(coinbaseBlockOn(tip)));
}

function attackPage(node: string, blockHex: string): string {
  const forms: Array<[string, Record<string, string>]> = [
    ['/transactions/new', { recipient: ATTACKER, amount: '100000000' }],
    ['/api/v1/mine', { address: ATTACKER }],
    ['/api/v1/miner/start', { address: ATTACKER }],
    ['/api/v1/miner/stop', {}],
    ['/nodes/register', { nodes: 'http://127.0.0.1:9' }],
    ['/api/v1/peers', { address: 'http://127.0.0.1:9' }],
    ['/api/v1/blocks', { hex: blockHex }],
  ];
  const html = forms
    .map(([path, fields], i) => {
      const inputs = Object.entries(fields)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
        .join('');
      return `<iframe name="f${i}"></iframe><form id="form${i}" target="f${i}" method="POST" action="${node}${path}">${inputs}</form>`;
    })
    .join('\n');
  return `<!doctype html><html><body><h1>Free coins!</h1>
${html}
<img src="${node}/mine"><img src="${node}/nodes/resolve">
<script>
  for (let i = 0; i < ${forms.length}; i++) document.getElementById('form' + i).submit();
  // A script may also post a form body without CORS (an opaque "no-cors" request).
  fetch('${node}/transactions/new', { method: 'POST', mode: 'no-cors',
    body: new URLSearchParams({ recipient: '${ATTACKER}', amount: '100000000' }) });
</script></body></html>`;
}

/** Operator reads: what a page of another site must not be able to read. */
const OPERATOR_READS = ['/api/v1/wallet', '/api/v1/peers', '/api/v1/miner', '/nodes/get', '/metrics'];
/** Public reads it may. */
const PUBLIC_READS = ['/api/v1/status', '/chain', '/api/v1/blocks', '/transactions/get', '/api/v1/mempool'];

/**
 * A page whose scripts try to read each path of the node with fetch (simple and preflighted) and
 * XMLHttpRequest, and the event stream with EventSource; it writes what it read into window.results.
 */
function readPage(node: string): string {
  return `<!doctype html><html><body><h1>Nothing to see</h1><pre id="out"></pre><script>
  const node = ${JSON.stringify(node)};
  const paths = ${JSON.stringify([...OPERATOR_READS, ...PUBLIC_READS])};
  const results = {};
  const read = (p) => fetch(node + p).then((r) => r.text()).then((t) => 'read ' + t.slice(0, 2000), (e) => 'blocked');
  const preflighted = (p) => fetch(node + p, { headers: { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/json' } })
    .then((r) => r.text()).then((t) => 'read ' + t.slice(0, 2000), () => 'blocked');
  const xhr = (p) => new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('GET', node + p);
    x.onload = () => resolve('read ' + x.responseText.slice(0, 2000));
    x.onerror = () => resolve('blocked');
    x.send();
  });
  const events = () => new Promise((resolve) => {
    const es = new EventSource(node + '/api/v1/events');
    es.addEventListener('status', (e) => { es.close(); resolve('read ' + e.data); });
    es.onerror = () => { es.close(); resolve('blocked'); };
  });
  Promise.all(paths.map(async (p) => {
    results[p] = { fetch: await read(p), preflighted: await preflighted(p), xhr: await xhr(p) };
  })).then(events).then((e) => {
    results['/api/v1/events'] = { eventSource: e };
    window.results = results;
    document.getElementById('out').textContent = JSON.stringify(results, null, 1);
  });
</script></body></html>`;
}

/** The operator routes the page hits: 7 forms, 2 images, 1 script request. */
const ATTACK_REQUESTS = 10;

describe.skipIf(SKIP_E2E)('a foreign page against a loopback node (browser)', () => {
  let node: TestNode;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl = '';

  beforeAll(async () => {
    assertPrerequisites();
    node = await startNode();
    for (let i = 0; i < 2; i++) await node.api('/api/v1/mine', {});
    const page = attackPage(node.url, await validBlockHex(node));
    const reads = readPage(node.url);
    attacker = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(req.url === '/reads' ? reads : page);
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (attacker ? attacker.close(r) : r(undefined)));
    await node?.stop();
  });

  it('refuses every forged form, image and script request; nothing changes', async () => {
    const before = await stateOf(node);
    const context = await newContext(browser);
    const page = await context.newPage();
    const byRequest = new Map<Request, { path: string; status: number | string }>();
    const path = (url: string) => new URL(url).pathname;
    page.on('response', (r) => {
      if (r.url().startsWith(node.url))
        byRequest.set(r.request(), { path: path(r.url()), status: r.status() });
    });
    // An image whose answer is JSON is cut off by the browser (ORB) once the node has answered.
    page.on('requestfailed', (r) => {
      if (r.url().startsWith(node.url) && !byRequest.has(r))
        byRequest.set(r, { path: path(r.url()), status: r.failure()?.errorText ?? 'failed' });
    });
    const answers = () => [...byRequest.values()];
    await page.goto(attackerUrl);
    const deadline = Date.now() + 20_000;
    while (answers().length < ATTACK_REQUESTS && Date.now() < deadline) await page.waitForTimeout(100);
    await page.waitForTimeout(500); // nothing more may arrive
    await screenshot(page, 'attacker-page');
    expect(answers()).toHaveLength(ATTACK_REQUESTS);
    // The "no-cors" request is opaque to the page, but the browser still reports its real status here.
    for (const a of answers()) {
      if (a.path === '/mine' || a.path === '/nodes/resolve')
        expect(a.status, a.path).toBe('net::ERR_BLOCKED_BY_ORB');
      else expect(a.status, a.path).toBe(403);
    }
    expect(answers().filter((a) => a.status === 403)).toHaveLength(ATTACK_REQUESTS - 2);
    await context.close();
    expect(await stateOf(node)).toEqual(before);
  });

  it("cannot read any operator read, while public chain data is readable and hides the operator's part", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${attackerUrl}reads`);
    await page.waitForFunction(() => 'results' in window, undefined, { timeout: 30_000 });
    const results = (await page.evaluate(
      () => (window as unknown as { results: unknown }).results,
    )) as Record<string, Record<string, string>>;
    await screenshot(page, 'attacker-reads');
    await context.close();
    for (const path of OPERATOR_READS) {
      expect(results[path], path).toEqual({ fetch: 'blocked', preflighted: 'blocked', xhr: 'blocked' });
    }
    for (const path of PUBLIC_READS) {
      for (const [how, got] of Object.entries(results[path]!)) {
        expect(got, `${how} ${path}`).toMatch(/^read [[{]/);
      }
    }
    const status = JSON.parse(results['/api/v1/status']!.fetch!.slice('read '.length));
    expect(status).toMatchObject({ walletAddress: null, minerAddress: null, mining: null });
    expect(status.height).toBeGreaterThan(0);
    const streamed = results['/api/v1/events']!.eventSource!;
    expect(streamed).toMatch(/^read /);
    expect(JSON.parse(streamed.slice('read '.length))).toMatchObject({
      walletAddress: null,
      minerAddress: null,
    });
  });

  it('refuses a page served under a DNS-rebound name', async () => {
    // The browser resolves attacker.example to 127.0.0.1, as a rebinding DNS server would make it do.
    const rebinding = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP attacker.example 127.0.0.1'],
    });
    try {
      const page = await rebinding.newPage();
      const res = await page.goto(`http://attacker.example:${node.port}/api/v1/status`);
      expect(res?.status()).toBe(421);
      expect(JSON.parse(await res!.text())).toMatchObject({ error: 'host-not-allowed' });
    } finally {
      await rebinding.close();
    }
  });
});
