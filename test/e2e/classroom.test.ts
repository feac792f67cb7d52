// A whole class in real Chromium: `hashline classroom` as a process, and three students (separate browser
// contexts, each a browser node in its tab) joining by the printed link.
// - a block mined in tab A reaches B and C over libp2p; a payment A → B by name is confirmed in all three;
// - tab B reloads, and its chain comes back from IndexedDB;
// - the teacher splits the class ({A} against {B, C}): two tips; heals: one tip, the most work;
// - a team race: C mines in private, then publishes, and A and B reorganise onto its chain;
// - a forged control published by tab C is refused: every state stays, and C loses points at the teacher;
// - the students' nodes are on the teacher's Network page topology;
// - with the teacher's node stopped, the tabs still pass blocks among themselves (WebRTC);
// screenshots of the student page and the teacher's dashboard at desktop and phone width.
// Needs a build (`npm run build`).
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassState } from '../../src/classroom/types.js';
import { type ClassroomProcess, startClassroom } from '../support/classroom-process.js';
import {
  assertPrerequisites,
  CHROMIUM,
  CHROMIUM_ARGS,
  DESKTOP,
  PHONE,
  SKIP_E2E,
  screenshot,
  watchPage,
} from './harness.js';

/** Chromium hides local addresses behind mDNS names in WebRTC candidates; tabs on one machine need the
 * real ones (no STUN server here). */
const WEBRTC_ARGS = ['--disable-features=WebRtcHideLocalIpsWithMdns'];

interface TabView {
  height: number;
  tip: string;
  peers: number;
  network: string;
}

async function tabView(page: Page): Promise<TabView | null> {
  return page.evaluate(() => {
    const node = window.hashlineNode;
    if (!node) return null;
    const s = node.status();
    return { height: s.height, tip: s.tip, peers: s.peers, network: s.network };
  });
}

async function waitTab(page: Page, what: string, ok: (v: TabView) => boolean, timeout = 60_000) {
  await expect
    .poll(
      async () => {
        const v = await tabView(page).catch(() => null);
        return v !== null && ok(v);
      },
      { timeout, message: what },
    )
    .toBe(true)
    .catch(async (e) => {
      // The tab's own log says why (no peer, a refused block, a failed search).
      const log = await page
        .evaluate(() => window.hashlineNode?.log.lines.slice(-40).join('\n'))
        .catch(() => '');
      const error = await page
        .getByTestId('student-error')
        .textContent({ timeout: 1_000 })
        .catch(() => '');
      throw new Error(`${(e as Error).message}\n${error}\n${log}`);
    });
  return (await tabView(page))!;
}

describe.skipIf(SKIP_E2E)('a class: the teacher and three browser students', () => {
  let teacher: ClassroomProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const tabs: Record<'A' | 'B' | 'C', Page> = {} as Record<'A' | 'B' | 'C', Page>;
  const peerIds: Record<string, string> = {};

  const api = async <T>(path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${teacher.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${teacher.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const teacherStatus = async () => (await api<{ height: number; tip: string }>('/api/v1/status')).body;
  const classState = async () => (await api<{ state: ClassState }>('/api/v1/class')).body.state;

  async function join(name: string, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, isMobile: viewport.width < 500 });
    contexts.push(context);
    const page = await context.newPage();
    watchPage(page);
    await page.goto(teacher.joinLinks().at(-1)!.href);
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-submit').click();
    await page.getByTestId('student-page').waitFor({ timeout: 60_000 });
    return page;
  }

  beforeAll(async () => {
    assertPrerequisites();
    teacher = await startClassroom(['--name', 'Teacher', '--interval', '0']);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, ...WEBRTC_ARGS],
      headless: true,
    });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await teacher?.stop();
  });

  it('three students join by the link and a block mined in tab A reaches B and C', async () => {
    tabs.A = await join('Ada');
    tabs.B = await join('Bo');
    tabs.C = await join('Cy', PHONE);
    for (const [name, page] of Object.entries(tabs)) {
      await waitTab(page, `tab ${name} to reach the teacher`, (v) => v.peers >= 1);
      peerIds[name] = await page.evaluate(() => window.hashlineNode!.peerId);
    }
    // Every student in the teacher's roster (their signed reports, over the class topic).
    await expect
      .poll(
        async () => {
          const view = await api<{ members: { name: string }[] }>('/api/v1/class');
          return view.body.members.map((m) => m.name).sort();
        },
        { timeout: 60_000, message: 'the three students in the roster' },
      )
      .toEqual(expect.arrayContaining(['Ada', 'Bo', 'Cy']));

    const before = (await tabView(tabs.A))!.height;
    await tabs.A.getByTestId('mine-one').click();
    const mined = await waitTab(tabs.A, 'tab A to mine a block', (v) => v.height > before);
    for (const name of ['B', 'C'] as const)
      await waitTab(tabs[name], `tab ${name} to get A's block`, (v) => v.tip === mined.tip);
    await expect.poll(async () => (await teacherStatus()).tip, { timeout: 30_000 }).toBe(mined.tip);
  }, 300_000);

  it('a payment from A to B by name is confirmed in all three tabs', async () => {
    // Ada's coinbase is spendable one block later (dev's coinbase maturity is 1).
    const start = (await tabView(tabs.A))!.height;
    await tabs.A.getByTestId('mine-one').click();
    await waitTab(tabs.A, 'tab A to mine a second block', (v) => v.height > start);
    const bo = tabs.A.locator('[data-testid=roster-row][data-name="Bo"]');
    await bo.getByTestId('roster-pay').click();
    await tabs.A.getByTestId('pay-amount').fill('1.5');
    await tabs.A.getByTestId('pay-submit').click();
    const result = tabs.A.getByTestId('pay-result').first();
    await result.waitFor({ timeout: 30_000 });
    const txid = (await result.getAttribute('data-txid'))!;
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    // Mined into a block by C, then confirmed in every tab's chain.
    await expect
      .poll(() => tabs.C.evaluate((id) => window.hashlineNode!.mempool.has(id), txid), { timeout: 30_000 })
      .toBe(true);
    const h = (await tabView(tabs.C))!.height;
    await tabs.C.getByTestId('mine-one').click();
    const withTx = await waitTab(tabs.C, 'tab C to mine the payment', (v) => v.height > h);
    for (const page of Object.values(tabs)) {
      await waitTab(page, 'every tab on the block with the payment', (v) => v.tip === withTx.tip);
      const inTip = await page.evaluate(async (id) => {
        const node = window.hashlineNode!;
        const block = await node.chain.getBlock(node.chain.tip.hashHex);
        return { txs: block?.txs.length ?? 0, pending: node.mempool.has(id) };
      }, txid);
      expect(inTip).toEqual({ txs: 2, pending: false });
    }
    await expect
      .poll(() => tabs.A.getByTestId('pay-confirmations').first().textContent())
      .toContain('confirmation');
    // Bo sees the money.
    await expect
      .poll(async () => tabs.B.getByTestId('balance').textContent(), { timeout: 30_000 })
      .toContain('1.5');
  }, 240_000);

  it('tab B reloads and its chain comes back from IndexedDB', async () => {
    const before = (await tabView(tabs.B))!;
    await tabs.B.reload();
    await tabs.B.getByTestId('student-page').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => tabs.B.evaluate(() => window.hashlineNode?.opened ?? null))
      .toEqual({
        height: before.height,
        tip: before.tip,
      });
    expect(await tabs.B.evaluate(() => window.hashlineNode!.peerId)).toBe(peerIds.B);
    await waitTab(tabs.B, 'tab B back with a peer', (v) => v.peers >= 1);
  }, 120_000);

  it('split: two tips; heal: one tip with the most work', async () => {
    const split = await api<ClassState>('/api/v1/class/control', {
      mode: 'split',
      groups: { [peerIds.A!]: 'A', [peerIds.B!]: 'B', [peerIds.C!]: 'B' },
    });
    expect(split.status).toBe(200);
    for (const [name, page] of Object.entries(tabs))
      await expect
        .poll(() => page.getByTestId('class-mode').textContent(), { timeout: 30_000, message: `tab ${name}` })
        .toContain('split')
        .catch(async (e) => {
          console.log(name, await page.evaluate(() => window.hashlineNode!.log.lines.join('\n')));
          throw e;
        });
    const base = (await tabView(tabs.A))!;
    await tabs.A.getByTestId('mine-one').click();
    const a = await waitTab(tabs.A, 'group A to mine', (v) => v.height === base.height + 1);
    await tabs.B.getByTestId('mine-one').click();
    const b1 = await waitTab(
      tabs.B,
      'group B to mine',
      (v) => v.height === base.height + 1 && v.tip !== a.tip,
    );
    await waitTab(tabs.C, 'C to follow B (same group)', (v) => v.tip === b1.tip);
    await tabs.C.getByTestId('mine-one').click();
    const b2 = await waitTab(tabs.C, 'group B to mine a second block', (v) => v.height === base.height + 2);
    await waitTab(tabs.B, 'B to follow C', (v) => v.tip === b2.tip);
    // Two tips across the class: A kept its own block.
    expect((await tabView(tabs.A))!.tip).toBe(a.tip);
    await screenshot(tabs.A, 'class-student-split-desktop');
    await screenshot(tabs.C, 'class-student-split-phone');

    expect((await api<ClassState>('/api/v1/class/control', { mode: 'together' })).status).toBe(200);
    // A reorganises onto group B's longer branch.
    await waitTab(tabs.A, 'A to reorganise onto the most work', (v) => v.tip === b2.tip, 90_000);
    await expect.poll(async () => (await teacherStatus()).tip, { timeout: 30_000 }).toBe(b2.tip);
  }, 300_000);

  it('team race: C mines in private, publishes, and the class reorganises onto its longer chain', async () => {
    const race = await api<ClassState>('/api/v1/class/control', {
      mode: 'race',
      groups: { [peerIds.C!]: 'B' },
    });
    expect(race.status).toBe(200);
    await expect
      .poll(() => tabs.C.getByTestId('class-mode').textContent(), { timeout: 30_000 })
      .toContain('race');
    const base = (await tabView(tabs.A))!;
    // The public side mines one block; the team (C alone) mines two in private.
    await tabs.A.getByTestId('mine-one').click();
    const pub = await waitTab(tabs.A, 'the public side to mine', (v) => v.height === base.height + 1);
    await waitTab(tabs.B, 'B to follow the public chain', (v) => v.tip === pub.tip);
    await tabs.C.getByTestId('mine-one').click();
    await waitTab(tabs.C, 'the team to mine in private', (v) => v.height === base.height + 1);
    await tabs.C.getByTestId('mine-one').click();
    const team = await waitTab(
      tabs.C,
      'the team to mine a second block',
      (v) => v.height === base.height + 2,
    );
    expect((await tabView(tabs.A))!.tip).toBe(pub.tip);
    // Publishing is the class together again: the team's branch has more work, so everyone takes it.
    expect((await api<ClassState>('/api/v1/class/control', { mode: 'together' })).status).toBe(200);
    for (const name of ['A', 'B'] as const)
      await waitTab(
        tabs[name],
        `tab ${name} to reorganise onto the team's chain`,
        (v) => v.tip === team.tip,
        90_000,
      );
    await expect.poll(async () => (await teacherStatus()).tip, { timeout: 30_000 }).toBe(team.tip);
  }, 300_000);

  it("a forged control from tab C is refused and costs C points at the teacher's node", async () => {
    const before = await classState();
    const shown = await Promise.all([tabs.A, tabs.B].map((p) => p.getByTestId('class-mining').textContent()));
    const topic = `/hashline/${(await tabView(tabs.C))!.network}/class/1`;
    const forged = { ...before, seq: before.seq + 1_000_000, mining: true };
    await tabs.C.evaluate(
      async ([t, state]) => {
        const msg = { t: 'state', state, sig: 'ab'.repeat(64) };
        await window.hashlineNode!.p2p.publishTopic(t, new TextEncoder().encode(JSON.stringify(msg)));
      },
      [topic, forged] as const,
    );
    await expect
      .poll(
        async () => {
          const { peers } = (await api<{ peers: { id: string; score: number }[] }>('/api/v1/peers')).body;
          return peers.find((p) => p.id === peerIds.C)?.score ?? 100;
        },
        { timeout: 30_000, message: "C's score at the teacher" },
      )
      .toBeLessThan(100);
    // The teacher re-publishes its state every 10 s (a new seq): what matters is that nothing changed.
    const { seq: _seq, issuedAt: _at, ...after } = await classState();
    const { seq: _s, issuedAt: _a, ...was } = before;
    expect(after).toEqual(was);
    expect(after.mining).toBe(false);
    expect(
      await Promise.all([tabs.A, tabs.B].map((p) => p.getByTestId('class-mining').textContent())),
    ).toEqual(shown);
  }, 120_000);

  it('screenshots of the teacher dashboard; the students on its Network page', async () => {
    for (const [viewport, name] of [
      [DESKTOP, 'class-teacher-desktop'],
      [PHONE, 'class-teacher-phone'],
    ] as const) {
      const context = await browser.newContext({ viewport, isMobile: viewport.width < 500 });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${teacher.url}/#/class?token=${teacher.token}`);
      await expect.poll(() => page.locator('body').textContent(), { timeout: 30_000 }).toContain('Cy');
      await screenshot(page, name);
      if (viewport === DESKTOP) {
        // The students' browser nodes are on the Network page's topology, as peers of the teacher's node.
        await page.goto(`${teacher.url}/#/network`);
        const nodes = page.getByTestId('topology').locator('[data-testid="topology-node"]');
        await expect.poll(() => nodes.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
        await screenshot(page, 'class-network-desktop');
      }
      await context.close();
    }
  }, 120_000);

  it("with the teacher's node stopped, the tabs still pass blocks among themselves over WebRTC", async () => {
    const webrtcPeers = (page: Page) =>
      page.evaluate(
        () => window.hashlineNode!.p2p.peers().filter((p) => p.address.includes('/webrtc')).length,
      );
    for (const name of ['A', 'B', 'C'] as const)
      await expect
        .poll(() => webrtcPeers(tabs[name]), { timeout: 90_000, message: `tab ${name}'s WebRTC peers` })
        .toBeGreaterThanOrEqual(2);
    await teacher.stop();
    const base = (await tabView(tabs.B))!;
    await tabs.B.getByTestId('mine-one').click();
    const mined = await waitTab(tabs.B, 'tab B to mine without the teacher', (v) => v.height > base.height);
    await waitTab(tabs.A, 'tab A to get it over WebRTC', (v) => v.tip === mined.tip);
    await waitTab(tabs.C, 'tab C to get it over WebRTC', (v) => v.tip === mined.tip);
  }, 240_000);
});
