// Attack: a peer gossips 200 orphan blocks of ~1 MB (valid proof of work on regtest, random parents).
// The victim holds orphans as bytes, at most 8 per peer, 64 and 16 MB in all, so its memory stays
// flat (it grew by over 1 GB when each was held decoded, without bounds), and it keeps answering.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex } from '../../src/core/bytes.js';
import { blockHashOf } from '../../src/p2p/header.js';
import { bulkyBlock, withParent } from '../support/bulky-blocks.js';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  cleanupNodesAfterAll,
  getJson,
  mine,
  type NodeProcess,
  startNode,
  waitFor,
} from '../support/node-process.js';
import { regtest } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

const ORPHANS = 200;

/** Resident memory of a process, in bytes (Linux). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line.split(/\s+/)[1]) * 1024;
}

describe('orphan blocks with random parents, gossiped by one peer', () => {
  let victim: NodeProcess;
  let hostile: HostilePeer | undefined;
  let body: Uint8Array;

  beforeAll(async () => {
    victim = await startNode({ args: ['--min-peers', '0'] });
    await mine(victim.url, 3);
    // One body of ~1 MB claiming height 5; each orphan is it under another random parent.
    body = bulkyBlock({
      params: regtest,
      prevHash: new Uint8Array(32),
      height: 5,
      time: regtest.genesis.time + 100,
      bits: regtest.powLimitBits,
      fill: 950_000,
      seed: 1,
    }).bytes;
  }, 60_000);

  afterAll(async () => {
    await hostile?.stop();
  });

  it('keeps memory bounded and the API answering', async () => {
    const status = await getJson(victim.url, '/api/v1/status');
    hostile = await startHostilePeer('regtest', status.genesis);
    await hostile.command('serve', { mode: 'headers', headers: [] });
    const connected = await hostile.command('connect', { addr: status.p2p.addrs[0] });
    expect(connected.ok, JSON.stringify(connected)).toBe(true);

    const rssBefore = rssOf(victim.pid);
    let rssPeak = rssBefore;
    let slowest = 0;
    let attacking = true;
    // While the attack runs: the victim's memory, and how long its status takes to answer.
    const watch = (async () => {
      for (let i = 0; attacking && i < 10_000; i++) {
        const started = Date.now();
        await getJson(victim.url, '/api/v1/status');
        slowest = Math.max(slowest, Date.now() - started);
        rssPeak = Math.max(rssPeak, rssOf(victim.pid));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const started = Date.now();
    let last = '';
    try {
      for (let i = 0; i < ORPHANS; i++) {
        const bytes = withParent(body, randomBytes(32), regtest.powLimitBits);
        last = blockHashOf(bytes);
        const r = await hostile.command('gossip', {
          topic: 'blocks',
          hex: Buffer.from(bytes).toString('hex'),
        });
        expect(r.recipients).toContain(connected.peer);
      }
      // Blocks from one peer are judged in order: once the last is held, all were judged.
      await waitFor(
        async () => {
          const tree = await getJson(victim.url, '/api/v1/chain/tree');
          return tree.orphans.some((o: { hash: string }) => o.hash === last);
        },
        'the victim to judge the last orphan',
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    } finally {
      attacking = false;
      await watch;
    }
    const growth = rssPeak - rssBefore;
    console.log(
      `${ORPHANS} orphans in ${Date.now() - started} ms: RSS ${rssBefore >> 20} MB → peak ${rssPeak >> 20} MB; ` +
        `slowest status ${slowest} ms`,
    );

    const tree = await getJson(victim.url, '/api/v1/chain/tree');
    expect(tree.orphans.length).toBe(8);
    expect(growth).toBeLessThan(100 * 1024 * 1024);
    expect(slowest).toBeLessThan(2_000);
    // Still itself: the chain extends.
    const [mined] = await mine(victim.url, 1);
    expect((await getJson(victim.url, '/api/v1/status')).tip).toBe(mined);
    expect(fromHex(mined!).length).toBe(32);
  }, 120_000);
});
