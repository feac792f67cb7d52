// Eclipse by slot-filling: 31 peer ids from one IP try to take a node's connection slots. Every host is
// its own network namespace with its own private address (test/support/netns.ts), so the attacker's ids
// really share one non-loopback IP. Then, each within bounded time:
// - at most the per-IP cap (4) of the 31 ids are let in;
// - an honest node from another IP still connects in and completes the handshake;
// - the victim keeps dialling out: inbound peers do not count toward --min-peers, so when one of its
//   outbound peers leaves it dials another honest peer it knows;
// - after a restart it dials its anchors (the outbound peers it had at shutdown) first, none of the ids.
//
// Needs root and a build (`npm run build`), then `npx vitest run test/integration/attack-slots.test.ts`.
// Where namespaces cannot be created the suite says why and is skipped. Everything it creates is removed
// in afterAll, and only the processes it started are killed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupNetns,
  type Json,
  NetLab,
  type NsHostilePeer,
  type NsNode,
  netnsUnavailable,
  startNsHostilePeer,
  startNsNode,
  waitUntil,
} from '../support/netns.js';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`attack-slots: skipped, network namespaces are unavailable: ${unavailable}`);

const SYBILS = 31;
const PER_IP_CAP = 4;
const MIN_PEERS = 3;

const peersOf = async (n: NsNode): Promise<Json[]> => (await n.json('/api/v1/peers')).peers;
const outboundIds = async (n: NsNode): Promise<string[]> =>
  (await peersOf(n)).filter((p) => p.direction === 'outbound' && p.height >= 0).map((p) => p.id);

describe.skipIf(unavailable !== undefined)(
  '31 peer ids from one IP against one node (network namespaces)',
  () => {
    let lab: NetLab;
    let victim: NsNode;
    let honest: NsNode[];
    let attacker: NsHostilePeer;
    let sybilIds: string[] = [];

    beforeAll(async () => {
      lab = NetLab.create();
      const hosts = Array.from({ length: 7 }, () => lab.addHost(0));
      // The honest nodes dial only their --peer: the victim is the one that dials them, so its
      // connections to them are outbound.
      const quiet = ['--min-peers', '0'];
      const h1 = await startNsNode(hosts[0]!, { args: quiet });
      const rest = await Promise.all(
        hosts.slice(1, 4).map((h) => startNsNode(h, { peers: [h1.multiaddr], args: quiet })),
      );
      honest = [h1, ...rest];
      await waitUntil(
        async () => (await peersOf(h1)).filter((p) => p.height >= 0).length === 3,
        'the three honest nodes connected to the first',
        30_000,
      );
      victim = await startNsNode(hosts[4]!, {
        peers: [h1.multiaddr],
        args: ['--min-peers', String(MIN_PEERS)],
      });
      attacker = await startNsHostilePeer(hosts[5]!, (await victim.json('/api/v1/status')).genesis);
    }, 180_000);

    afterAll(async () => {
      await cleanupNetns();
    }, 60_000);

    it(`dials ${MIN_PEERS} honest peers it learnt of through signed records`, async () => {
      await waitUntil(
        async () => (await outboundIds(victim)).length >= MIN_PEERS,
        `the victim with ${MIN_PEERS} outbound peers`,
        30_000,
      );
      const honestIds = honest.map((h) => h.peerId);
      for (const id of await outboundIds(victim)) expect(honestIds).toContain(id);
    });

    it(`lets at most ${PER_IP_CAP} of ${SYBILS} ids from one IP in`, async () => {
      const result = await attacker.command('sybils', { addr: victim.multiaddr, count: SYBILS, paceMs: 300 });
      sybilIds = result.results.map((r: Json) => r.peerId);
      const attackerIp = lab.hosts[5]!.ip;
      const fromAttacker = (await peersOf(victim)).filter((p) =>
        (p.address as string).startsWith(`/ip4/${attackerIp}/`),
      );
      expect(result.handshakes, JSON.stringify(result.results.filter((r: Json) => !r.ok).slice(0, 3))).toBe(
        PER_IP_CAP,
      );
      expect(fromAttacker.length).toBe(PER_IP_CAP);
      expect(fromAttacker.every((p) => p.direction === 'inbound')).toBe(true);
    }, 60_000);

    it('an honest node from another IP still connects in and completes the handshake', async () => {
      const newcomer = await startNsNode(lab.hosts[6]!, {
        peers: [victim.multiaddr],
        args: ['--min-peers', '0'],
      });
      await waitUntil(
        async () => (await peersOf(victim)).some((p) => p.id === newcomer.peerId && p.height >= 0),
        'the victim to list the newcomer with its status',
      );
      const seen = (await peersOf(victim)).find((p) => p.id === newcomer.peerId);
      expect(seen.direction).toBe('inbound');
      expect((await peersOf(newcomer)).some((p) => p.id === victim.peerId && p.height >= 0)).toBe(true);
    });

    it('keeps dialling out with the sybils in: an outbound peer that leaves is replaced by an honest one', async () => {
      const before = await outboundIds(victim);
      const leaving = honest.find((h) => h !== honest[0] && before.includes(h.peerId))!;
      expect(leaving, `one of ${before} is not the bootstrap peer`).toBeDefined();
      await leaving.stop();
      await waitUntil(
        async () => {
          const now = await outboundIds(victim);
          return now.length >= MIN_PEERS && !now.includes(leaving.peerId);
        },
        `the victim back at ${MIN_PEERS} outbound peers without the one that left`,
        40_000,
      );
      const now = await outboundIds(victim);
      // A peer it had not dialled before: it dialled again, with the sybils connected.
      expect(now.some((id) => !before.includes(id))).toBe(true);
      for (const id of now) expect(sybilIds).not.toContain(id);
      honest = honest.filter((h) => h !== leaving);
    }, 60_000);

    it('after a restart dials its anchors, the outbound peers it had, first', async () => {
      const anchors = (await outboundIds(victim)).sort();
      const host = victim.host;
      const dataDir = victim.dataDir;
      await victim.stop();
      victim = await startNsNode(host, {
        dataDir,
        peers: [honest[0]!.multiaddr],
        args: ['--min-peers', String(MIN_PEERS)],
      });
      const line = await waitUntil(
        async () =>
          victim
            .logs()
            .split('\n')
            .find((l) => l.includes('dialling anchors')),
        'the anchors line in the log',
        10_000,
      );
      const dialled = (JSON.parse(line.slice(line.indexOf('{'))).anchors as string[]).map(
        (a) => a.split('/p2p/')[1],
      );
      expect(dialled.sort()).toEqual(anchors);
      for (const id of dialled) expect(sybilIds).not.toContain(id);
      // Dialled before any peer was connected.
      const logs = victim.logs();
      const firstPeer = logs.indexOf('"peer connected"');
      expect(firstPeer === -1 || logs.indexOf('dialling anchors') < firstPeer).toBe(true);
      await waitUntil(
        async () => {
          const out = await outboundIds(victim);
          return anchors.every((id) => out.includes(id));
        },
        'the victim reconnected to its anchors',
        30_000,
      );
    }, 60_000);
  },
);
