// The class protocol on real nodes (src/classroom, docs/protocol.md "Classroom messages"): a teacher's
// node (in this process, so that the test can give it controls, as `hashline classroom` does) and two
// students' full nodes (processes, `--class-key --name`) on a dev network with a class id. The teacher
// turns mining on and the students mine; a split gives two tips; together gives one again, the one with
// the most work; a control signed by another key, gossiped by a peer, changes nothing and costs that
// peer points.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeReportMessage,
  encodeStateMessage,
  signReport,
  signState,
} from '../../src/classroom/messages.js';
import type { ClassControlRequest } from '../../src/classroom/teacher.js';
import { CLASS_NEWCOMERS_PER_RELAY, type ClassReport, type ClassState } from '../../src/classroom/types.js';
import { toHex } from '../../src/core/bytes.js';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { HashlineNode } from '../../src/node/node.js';
import { generatePeerKey, type PeerKey, peerIdOf } from '../../src/p2p/keys.js';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import { inProcessNodeConfig } from '../support/in-process-node.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  mine,
  type NodeProcess,
  runCli,
  startNode,
  tempDir,
  waitFor,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const CLASS_ID = 'class-it';
const TAG = `dev-${CLASS_ID}`;
const teacherKeys = generateKeyPair();
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A member's report on the class topic, signed with `key` (a libp2p key of this test's making). */
async function signedReport(key: PeerKey, over: Partial<ClassReport>): Promise<Uint8Array> {
  const report: ClassReport = {
    peerId: peerIdOf(key),
    name: 'sybil',
    kind: 'full',
    address: 'hldev1qsybil',
    height: 0,
    tip: '00'.repeat(32),
    hashRate: 0,
    blocksFound: 0,
    mining: false,
    group: null,
    recent: [],
    at: Date.now(),
    ...over,
  };
  return encodeReportMessage(await signReport(report, async (b) => await key.sign(b)));
}

interface Tip {
  readonly height: number;
  readonly tip: string;
  readonly chainWork: bigint;
}

async function tipOf(url: string): Promise<Tip> {
  const s = await getJson(url, '/api/v1/status');
  return { height: s.height, tip: s.tip, chainWork: BigInt(s.chainWork) };
}

async function knowsBlock(url: string, hash: string): Promise<boolean> {
  return (await api(url).get(`/api/v1/blocks/${hash}`)).status === 200;
}

/** Lines the node logged when it applied a class state's mining. */
const miningLogs = (node: NodeProcess) =>
  node
    .logs()
    .split('\n')
    .filter((l) => l.includes('class state: mining'));

describe('a class: the teacher controls, members obey', () => {
  let teacher: HashlineNode;
  let n1: NodeProcess;
  let n2: NodeProcess;
  let id1: string;
  let id2: string;
  let hostile: HostilePeer | undefined;

  beforeAll(async () => {
    teacher = await HashlineNode.start(
      inProcessNodeConfig(tempDir(), {
        network: 'dev',
        networkId: CLASS_ID,
        minPeers: 0,
        classroom: {
          teacherKey: teacherKeys.publicKey,
          teacherPrivateKey: teacherKeys.privateKey,
          name: 'teacher',
        },
      }),
    );
    const student = (name: string) =>
      startNode({
        network: 'dev',
        args: [
          ...['--network-id', CLASS_ID, '--threads', '1', '--peer', teacher.p2p.addrs()[0]!],
          ...['--class-key', toHex(teacherKeys.publicKey), '--name', name],
        ],
      });
    [n1, n2] = await Promise.all([student('n1'), student('n2')]);
    id1 = (await getJson(n1.url, '/api/v1/status')).p2p.peerId;
    id2 = (await getJson(n2.url, '/api/v1/status')).p2p.peerId;
  }, 120_000);

  afterAll(async () => {
    await hostile?.stop();
    await teacher?.stop();
  });

  const roster = () => teacher.classroom!.member.roster().map((e) => e.report);
  const control = (change: ClassControlRequest) => teacher.classroom!.teacher!.control(change);

  it('hears both students, and they mine when the teacher turns mining on', async () => {
    await waitFor(
      () => ['n1', 'n2'].every((n) => roster().some((r) => r.name === n)),
      'both students to report',
      {
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    control({ mining: true, intervalSeconds: 1 });
    const reports = await waitFor(
      () => {
        const rs = roster().filter((r) => r.name === 'n1' || r.name === 'n2');
        return rs.length === 2 && rs.every((r) => r.mining && r.blocksFound >= 1) ? rs : undefined;
      },
      'both students to mine blocks',
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(reports.map((r) => r.kind)).toEqual(['full', 'full']);
    expect(miningLogs(n1).at(-1)).toContain('"mining":true');
  }, 120_000);

  it('split: each group mines its own chain, blind to the other', async () => {
    const at = teacher.chain.height;
    control({ mode: 'split', groups: { [id1]: 'A', [id2]: 'B' } });
    const [t1, t2] = await waitFor(
      async () => {
        const [a, b] = await Promise.all([tipOf(n1.url), tipOf(n2.url)]);
        if (a.height < at + 2 || b.height < at + 2 || a.tip === b.tip) return undefined;
        const crossed = (await knowsBlock(n2.url, a.tip)) || (await knowsBlock(n1.url, b.tip));
        return crossed ? undefined : [a, b];
      },
      'two tips, each unknown to the other side',
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(t1.tip).not.toBe(t2.tip);
    // The teacher's node is in no group: it hears both chains in the members' reports (its own store
    // keeps the branch it does not follow only while that branch is close to its tip in work).
    await waitFor(
      () => {
        const [a, b] = [id1, id2].map((id) => roster().find((r) => r.peerId === id));
        return (
          a !== undefined &&
          b !== undefined &&
          a.height >= t1.height &&
          b.height >= t2.height &&
          a.tip !== b.tip
        );
      },
      'the teacher to hear both chains',
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 150_000);

  it('together: the class converges on the chain with the most work', async () => {
    control({ mining: false });
    // Wait until nothing is mined any more (a block searched for when the state came may still land).
    let before = await Promise.all([tipOf(n1.url), tipOf(n2.url)]);
    await waitFor(
      async () => {
        await delay(2_000);
        const now = await Promise.all([tipOf(n1.url), tipOf(n2.url)]);
        const still = now.every((t, i) => t.tip === before[i]!.tip);
        before = now;
        return still;
      },
      'the students to stop mining',
      { timeoutMs: 60_000 },
    );
    // Equal work would leave each on its own tip (first seen): one more block on one side breaks the tie.
    if (before[0]!.chainWork === before[1]!.chainWork) {
      await mine(n1.url, 1);
      before = await Promise.all([tipOf(n1.url), tipOf(n2.url)]);
    }
    expect(before[0]!.tip).not.toBe(before[1]!.tip); // still split
    const best = before[0]!.chainWork > before[1]!.chainWork ? before[0]! : before[1]!;
    control({ mode: 'together' });
    const tips = await waitFor(
      async () => {
        const now = await Promise.all([tipOf(n1.url), tipOf(n2.url)]);
        return now[0]!.tip === now[1]!.tip && now[0]!.tip === teacher.chain.tip.hashHex ? now : undefined;
      },
      'one tip again',
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(tips[0]!.tip).toBe(best.tip);
    expect(tips[0]!.chainWork).toBe(best.chainWork);
  }, 150_000);

  it('refuses a control signed by another key: state unchanged, the publisher loses points', async () => {
    const status = await getJson(n1.url, '/api/v1/status');
    hostile = await startHostilePeer(TAG, status.genesis);
    for (const addr of [status.p2p.addrs[0], teacher.p2p.addrs()[0]]) {
      const connected = await hostile.command('connect', { addr });
      expect(connected.ok, JSON.stringify(connected)).toBe(true);
    }
    const stateBefore = teacher.classroom!.member.state()!;
    const logsBefore = miningLogs(n1).length;
    const forgedState: ClassState = { ...stateBefore, seq: stateBefore.seq + 1_000_000, mining: true };
    const forged = toHex(encodeStateMessage(signState(forgedState, generateKeyPair().privateKey)));
    // Published once both nodes are known to be on the class topic.
    await waitFor(
      async () => {
        const sent = await hostile!.command('gossip', { topic: 'class', hex: forged });
        return sent.recipients.includes(id1) && sent.recipients.includes(teacher.p2p.peerId);
      },
      'the forged control to reach both nodes',
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const scoreAt = async (url: string) =>
      (await getJson(url, '/api/v1/peers')).peers.find((p: { id: string }) => p.id === hostile!.peerId)
        ?.score;
    await waitFor(async () => (await scoreAt(n1.url)) === 90, "the forger's points lost at n1", {
      timeoutMs: 30_000,
    });
    await waitFor(
      async () => (await scoreAt(teacher.url())) === 90,
      "the forger's points lost at the teacher",
      {
        timeoutMs: 30_000,
      },
    );
    expect(teacher.classroom!.member.state()).toEqual(stateBefore);
    expect(miningLogs(n1)).toHaveLength(logsBefore);
    expect((await tipOf(n1.url)).tip).toBe(teacher.chain.tip.hashHex);
  }, 120_000);

  it('a hostile peer: a report claiming the teacher costs points, fresh keys bring in few newcomers', async () => {
    const scoreAt = async (url: string) =>
      (await getJson(url, '/api/v1/peers')).peers.find((p: { id: string }) => p.id === hostile!.peerId)
        ?.score;
    const [scoreN1, scoreTeacher] = [await scoreAt(n1.url), await scoreAt(teacher.url())];
    const liar = await generatePeerKey();
    const lie = await signedReport(liar, { name: 'teacher', kind: 'teacher' });
    await hostile!.command('gossip', { topic: 'class', hex: toHex(lie) });
    await waitFor(
      async () => (await scoreAt(n1.url)) === scoreN1 - 10,
      'the liar relay to lose points at n1',
      {
        timeoutMs: 30_000,
      },
    );
    await waitFor(
      async () => (await scoreAt(teacher.url())) === scoreTeacher - 10,
      'the liar relay to lose points at the teacher',
      { timeoutMs: 30_000 },
    );
    expect(roster().map((r) => r.peerId)).not.toContain(peerIdOf(liar));
    // Twenty fresh keys through one relay: each node takes at most 8 from it (n1 may pass on its 8).
    const fresh = await Promise.all(Array.from({ length: 20 }, () => generatePeerKey()));
    const freshIds = new Set(fresh.map(peerIdOf));
    for (const [i, key] of fresh.entries())
      await hostile!.command('gossip', {
        topic: 'class',
        hex: toHex(await signedReport(key, { name: `s${i}` })),
      });
    const newcomers = () => roster().filter((r) => freshIds.has(r.peerId)).length;
    await waitFor(() => newcomers() >= CLASS_NEWCOMERS_PER_RELAY, 'the first newcomers in the roster', {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    await delay(2_000); // what else was coming has come
    expect(newcomers()).toBeLessThanOrEqual(2 * CLASS_NEWCOMERS_PER_RELAY);
    expect(roster().map((r) => r.name)).toEqual(expect.arrayContaining(['teacher', 'n1', 'n2']));
  }, 120_000);

  it("refuses a teacher's key file that does not match the class key", async () => {
    const file = join(tempDir(), 'teacher.key');
    writeFileSync(file, `${toHex(generateKeyPair().privateKey)}\n`);
    const r = await runCli([
      ...['node', '--network', 'dev', '--network-id', CLASS_ID, '--port', '0', '--p2p-port', '0', '--no-web'],
      ...[
        '--data-dir',
        tempDir(),
        '--class-key',
        toHex(teacherKeys.publicKey),
        '--class-teacher-key-file',
        file,
      ],
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('does not match the class key');
  }, 60_000);
});
