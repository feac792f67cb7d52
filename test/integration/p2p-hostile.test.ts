// A hostile peer (a separate process on a bare libp2p host, test/support/hostile-peer.ts) attacks an honest
// node A that has an honest peer B: malformed and invalid gossip, garbage on the sync protocol in both
// directions, a header with bad proof of work served by sync (no body asked for). Each offence costs the points the p2p README
// says; A stays up and on its chain, relays none of it to B, bans the attacker (it disappears from
// GET /api/v1/peers and cannot connect again), and keeps extending its chain with B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeVarint } from '../../src/p2p/framing.js';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  startNode,
  waitFor,
  waitForHeight,
} from '../support/node-process.js';
import { BURN_ADDRESS, buildBlock, txWithoutOutputs } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const framed = (body: Uint8Array) => toHex(Uint8Array.from([...encodeVarint(body.length), ...body]));
/** Deterministic bytes that are nothing in particular. */
const junk = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

interface Peer {
  id: string;
  score: number;
  height: number;
  invalid: number;
  malleated: number;
}

async function peersOf(node: NodeProcess): Promise<Peer[]> {
  return (await getJson(node.url, '/api/v1/peers')).peers;
}

async function peerEntry(node: NodeProcess, id: string): Promise<Peer | undefined> {
  return (await peersOf(node)).find((p) => p.id === id);
}

/** Waits until `node` shows the peer with these fields (score, counters…). */
function waitForPeer(node: NodeProcess, id: string, fields: Partial<Peer>, what: string): Promise<Peer> {
  return waitFor(
    async () => {
      const p = await peerEntry(node, id);
      return p && Object.entries(fields).every(([k, v]) => p[k as keyof Peer] === v) ? p : undefined;
    },
    `${what} (${JSON.stringify(fields)})`,
    { timeoutMs: 15_000, intervalMs: 50 },
  );
}

/** The node's JSON log lines with this message. */
function logsWith(node: NodeProcess, msg: string): Json[] {
  const out: Json[] = [];
  for (const line of node.logs().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line);
      if (typeof entry.msg === 'string' && entry.msg.startsWith(msg)) out.push(entry);
    } catch {
      // a partial line
    }
  }
  return out;
}

/** Waits for a log line (pino writes asynchronously: a line may trail what the API already shows). */
function waitForLog(node: NodeProcess, msg: string, match: (line: Json) => boolean): Promise<Json[]> {
  return waitFor(
    () => {
      const lines = logsWith(node, msg).filter(match);
      return lines.length > 0 ? lines : undefined;
    },
    `"${msg}" in the log`,
    { timeoutMs: 5_000, intervalMs: 50 },
  );
}

describe('a hostile peer', () => {
  let a: NodeProcess;
  let b: NodeProcess;
  let aAddr: string;
  let aPeerId: string;
  let genesis: string;
  let tip: { height: number; tip: string; chainWork: string };

  beforeAll(async () => {
    // A and B only, as told: B must not dial the hostile peer through what A learns of it.
    a = await startNode({ args: ['--min-peers', '0'] });
    const status = await getJson(a.url, '/api/v1/status');
    aAddr = status.p2p.addrs[0];
    aPeerId = status.p2p.peerId;
    genesis = status.genesis;
    b = await startNode({ args: ['--peer', aAddr, '--min-peers', '0'] });
    await mine(a.url, 3);
    await waitForHeight(b.url, 3, 15_000);
    tip = await getJson(a.url, '/api/v1/status');
  });

  /** A is alive, still at the tip it had before the attack (nothing invalid was connected), and so is B. */
  async function expectHonestNodesUnharmed(): Promise<void> {
    const [sa, sb] = [await getJson(a.url, '/api/v1/status'), await getJson(b.url, '/api/v1/status')];
    expect(sa.tip).toBe(tip.tip);
    expect(sb.tip).toBe(tip.tip);
    // Nothing the attacker sent was relayed: B never had to reject anything, and A is clean in B's eyes.
    expect(logsWith(b, 'rejected block')).toEqual([]);
    const aSeenByB = await peerEntry(b, aPeerId);
    expect(aSeenByB).toMatchObject({ score: 100, invalid: 0, malleated: 0 });
  }

  /** The attacker is gone from A's peers, A logged the ban, and a new connection is refused. */
  async function expectBanned(hostile: HostilePeer, reason: RegExp): Promise<void> {
    await waitFor(async () => !(await peerEntry(a, hostile.peerId)), 'A to drop the banned peer', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    const bans = await waitForLog(a, 'peer banned', (l) => l.peer === hostile.peerId);
    expect(bans).toHaveLength(1);
    expect(bans[0].reason).toMatch(reason);
    const again = await hostile.command('connect', { addr: aAddr });
    expect(again.ok).toBe(false);
    expect(again.connections).not.toContain(aPeerId);
    expect(await peerEntry(a, hostile.peerId)).toBeUndefined();
  }

  /** Honest blocks still flow between A and B after the attack. */
  async function expectChainStillExtends(): Promise<void> {
    const [mined] = await mine(b.url, 1);
    await waitFor(
      async () => (await getJson(a.url, '/api/v1/status')).tip === mined,
      'A to get the block B mined',
      { timeoutMs: 15_000 },
    );
    tip = await getJson(a.url, '/api/v1/status');
  }

  let hostile: HostilePeer | undefined;
  afterAll(async () => {
    await hostile?.stop();
  });

  it('sends malformed and invalid gossip: penalized for each, never relayed, then banned', async () => {
    hostile = await startHostilePeer('regtest', genesis);
    const connected = await hostile.command('connect', { addr: aAddr });
    expect(connected, JSON.stringify(connected)).toMatchObject({ ok: true, status: { tipHash: tip.tip } });
    const id = hostile.peerId;
    await waitForPeer(a, id, { score: 100, height: 0 }, 'the handshake');
    const gossip = async (topic: 'blocks' | 'txs', bytes: Uint8Array) => {
      const r = await hostile!.command('gossip', { topic, hex: toHex(bytes) });
      expect(r.recipients).toContain(connected.peer);
    };
    const badPowBlock = (extraNonce: bigint) =>
      buildBlock({
        parentHash: tip.tip,
        height: tip.height + 1,
        time: Math.floor(Date.now() / 1000),
        minerAddress: BURN_ADDRESS,
        extraNonce,
        badPow: true,
      });

    // Shorter than a header: malformed (25 points).
    await gossip('blocks', junk(40, 1));
    await waitForPeer(a, id, { score: 75, invalid: 0 }, 'a penalty for a 40-byte block');

    // A well-formed block whose hash is above the target: invalid (25 points), and A says why.
    const bad = badPowBlock(1n);
    await gossip('blocks', bad.bytes);
    await waitForPeer(a, id, { score: 50, invalid: 1 }, 'a penalty for a block with bad proof of work');
    await waitForLog(a, 'rejected block', (l) => l.hash === bad.hash && l.code === 'bad-pow');

    // A transaction without outputs: invalid (10 points).
    await gossip('txs', txWithoutOutputs(1));
    await waitForPeer(a, id, { score: 40, invalid: 2 }, 'a penalty for a transaction without outputs');

    // Bytes that do not decode as a transaction could be a copy corrupted in transit: counted, no points.
    await gossip('txs', new Uint8Array(50).fill(0xff));
    await waitForPeer(a, id, { score: 40, invalid: 3, malleated: 1 }, 'an undecodable transaction noted');

    // A "block" larger than any block may be: malformed (25 points) before the chain sees it.
    await gossip('blocks', junk(1_200_000, 2));
    await waitForPeer(a, id, { score: 15 }, 'a penalty for an oversized block');

    // Another bad block: the score falls below 0 and the peer is banned.
    await gossip('blocks', badPowBlock(2n).bytes);
    await expectBanned(hostile, /^invalidBlock: (invalid block: )?bad-pow$/);

    expect((await getJson(a.url, '/api/v1/mempool')).count).toBe(0);
    await expectHonestNodesUnharmed();
    await expectChainStillExtends();
    await hostile.stop();
  });

  it('sends garbage on the sync protocol and serves a bad block: penalized, then banned', async () => {
    hostile = await startHostilePeer('regtest', genesis);
    const connected = await hostile.command('connect', { addr: aAddr });
    expect(connected, JSON.stringify(connected)).toMatchObject({ ok: true });
    const id = hostile.peerId;
    await waitForPeer(a, id, { score: 100, height: 0 }, 'the handshake');

    // A well-formed request is served like anyone's.
    const fine = await hostile.command('sync-request', { hex: framed(Uint8Array.of(0x01, 0x00, 0x00)) });
    expect(fine.answer).toEqual(['headers']);
    expect((await peerEntry(a, id))?.score).toBe(100);

    // An unknown request type: an ERROR frame, and 25 points.
    const unknown = await hostile.command('sync-request', { hex: framed(Uint8Array.of(0x7f, 1, 2, 3)) });
    expect(unknown.answer[0]).toMatch(/^error:unknown request type/);
    await waitForPeer(a, id, { score: 75 }, 'a penalty for an unknown request');

    // A length prefix far beyond any request: refused before it is read, 25 points.
    const huge = await hostile.command('sync-request', { hex: toHex(encodeVarint(50_000_000)) });
    expect(huge.answer[0]).toMatch(/^error:frame of/);
    await waitForPeer(a, id, { score: 50 }, 'a penalty for an oversized request');

    // Garbage on gossipsub's own protocol is gossipsub's business: A must just survive it.
    await hostile.command('raw-stream', { protocol: '/meshsub/1.1.0', hex: toHex(junk(3000, 3)) });
    await hostile.command('raw-stream', {
      protocol: '/meshsub/1.2.0',
      hex: toHex(new Uint8Array(64).fill(0xff)),
    });
    expect((await getJson(a.url, '/api/v1/status')).tip).toBe(tip.tip);
    expect((await peerEntry(a, id))?.score).toBe(50);

    // Now the attacker claims more work, so A syncs from it, and answers with garbage: 25 points.
    const claim = async (n: number, tipHash: string) =>
      hostile!.command('announce', {
        height: tip.height + n,
        tipHash,
        chainWork: (BigInt(tip.chainWork) + 1000n).toString(),
      });
    await hostile.command('serve', { mode: 'garbage' });
    await claim(100, toHex(junk(32, 4)));
    await waitForPeer(a, id, { score: 25 }, 'a penalty for a garbage sync answer');

    // Headers that hang off nothing A knows: a protocol violation, 20 points.
    await hostile.command('serve', { mode: 'headers', headers: [toHex(junk(80, 5))] });
    await claim(101, toHex(junk(32, 6)));
    await waitForPeer(a, id, { score: 5 }, 'a penalty for headers that do not link');

    // A header that links to A's tip, and its block with bad proof of work: invalid, and banned.
    const bad = buildBlock({
      parentHash: tip.tip,
      height: tip.height + 1,
      time: Math.floor(Date.now() / 1000),
      minerAddress: BURN_ADDRESS,
      badPow: true,
    });
    await hostile.command('serve', { mode: 'blocks', blocks: [bad.hex] });
    await claim(1, bad.hash);
    // Headers first: its header is found invalid before the body is asked for.
    await expectBanned(hostile, /^invalidBlock: headers: invalid header 0: bad-pow$/);
    const served = await hostile.command('state');
    expect(served.requests).toContain('getHeaders');
    expect(served.requests).not.toContain('getBlocks');

    await expectHonestNodesUnharmed();
    await expectChainStillExtends();
    await hostile.stop();
  });
  it('a ban lasts --ban-seconds; then the peer may come back, with a clean score', async () => {
    const short = await startNode({ args: ['--ban-seconds', '5'] });
    const { p2p } = await getJson(short.url, '/api/v1/status');
    hostile = await startHostilePeer('regtest', genesis);
    expect((await hostile.command('connect', { addr: p2p.addrs[0] })).ok).toBe(true);
    await waitForPeer(short, hostile.peerId, { score: 100 }, 'the handshake');
    // Four bad blocks earn the ban; more are sent, one at a time, only if the gossip mesh was not yet
    // formed when the first went out (a loaded machine), and never after the ban.
    let extraNonce = 0n;
    await waitFor(
      async () => {
        if (!(await peerEntry(short, hostile!.peerId))) return true;
        if (extraNonce >= 40n) return false;
        extraNonce++;
        const bad = buildBlock({
          parentHash: genesis,
          height: 1,
          time: Math.floor(Date.now() / 1000),
          minerAddress: BURN_ADDRESS,
          extraNonce,
          badPow: true,
        });
        await hostile!.command('gossip', { topic: 'blocks', hex: bad.hex });
        return false;
      },
      'the ban',
      { intervalMs: 100 },
    );
    const bannedAt = Date.now();
    const refused = await hostile.command('connect', { addr: p2p.addrs[0] });
    expect(refused.ok).toBe(false);
    expect(Date.now() - bannedAt).toBeLessThan(5_000); // still within the ban: the refusal was the ban's

    await new Promise((r) => setTimeout(r, 5_000 - (Date.now() - bannedAt) + 200));
    const back = await hostile.command('connect', { addr: p2p.addrs[0] });
    expect(back, JSON.stringify(back)).toMatchObject({ ok: true });
    await waitForPeer(short, hostile.peerId, { score: 100, invalid: 0 }, 'the peer back after its ban');
    await hostile.stop();
    await short.stop();
  });
});
