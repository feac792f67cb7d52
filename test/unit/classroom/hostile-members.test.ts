// What a hostile member (a student's node, any host that can reach the class) can make a member do
// through the class topic, and where it stops.
import { describe, expect, it } from 'vitest';
import { ClassMember } from '../../../src/classroom/member.js';
import {
  decodeClassMessage,
  encodeReportMessage,
  encodeStateMessage,
  signReport,
  signState,
} from '../../../src/classroom/messages.js';
import { ClassTeacher } from '../../../src/classroom/teacher.js';
import {
  CLASS_MAX_MESSAGE_BYTES,
  CLASS_NEWCOMER_WINDOW_MS,
  CLASS_NEWCOMERS_PER_RELAY,
  type ClassReport,
  type ClassState,
} from '../../../src/classroom/types.js';
import { generateKeyPair } from '../../../src/crypto/ed25519.js';
import { FakeControls, FakeNet, fakeSelf, reportOf } from './helpers.js';

const NETWORK = 'dev-class-1';
const teacherKeys = generateKeyPair();

function stateOf(seq: number, teacherPeer: string, over: Partial<ClassState> = {}): ClassState {
  return {
    seq,
    issuedAt: seq,
    network: NETWORK,
    teacherPeer,
    mining: false,
    intervalSeconds: 0,
    mode: 'together',
    groups: {},
    resetTo: null,
    ...over,
  };
}

const stateBytes = (state: ClassState, key = teacherKeys.privateKey) =>
  encodeStateMessage(signState(state, key));

async function reportBytes(net: FakeNet, at: number, over: Partial<ClassReport> = {}): Promise<Uint8Array> {
  return encodeReportMessage(await signReport(reportOf(net.peerId, at, over), (b) => net.sign(b)));
}

async function classWith() {
  const clock = { t: 1_000_000 };
  const net = await FakeNet.create();
  const teacher = await FakeNet.create();
  const member = new ClassMember({
    net,
    network: NETWORK,
    teacherKey: teacherKeys.publicKey,
    self: fakeSelf('ada'),
    controls: new FakeControls(),
    now: () => clock.t,
  });
  member.start();
  member.stop(); // no report timer; the topic handler stays
  const judge = (data: Uint8Array, from = 'relay') => net.handler!(data, from);
  return { net, teacher, member, clock, judge };
}

const peers = (n: number) => Promise.all(Array.from({ length: n }, () => FakeNet.create()));

describe('a student that says it is the teacher', () => {
  it('is refused: only the peer the signed state names is the teacher, in no group', async () => {
    const { net, teacher, member, clock, judge } = await classWith();
    const liar = await FakeNet.create();
    // Before any state nobody can tell who the teacher is: such a report waits.
    expect(judge(await reportBytes(liar, clock.t, { kind: 'teacher', name: 'teacher' }))).toBe('ignore');
    const groups = { [net.peerId]: 'B' as const, [liar.peerId]: 'B' as const };
    expect(judge(stateBytes(stateOf(1, teacher.peerId, { mode: 'split', groups })))).toBe('accept');
    clock.t += 2_000;
    expect(judge(await reportBytes(liar, clock.t, { kind: 'teacher', name: 'teacher' }))).toBe('reject');
    expect(member.roster().map((e) => e.report.peerId)).not.toContain(liar.peerId);
    expect(member.addressOf('teacher')).toBeUndefined();
    // The liar stays in its group; the teacher's node is set apart, heard from or not.
    expect(net.filter!(liar.peerId)).toBe(true);
    expect(net.filter!(teacher.peerId)).toBe(false);
    // The real teacher's node may say so.
    expect(judge(await reportBytes(teacher, clock.t, { kind: 'teacher', name: 'teacher' }))).toBe('accept');
    expect(net.filter!(teacher.peerId)).toBe(false);
  });

  it("the teacher signs its node's peer id into every state", async () => {
    const net = await FakeNet.create();
    const own = new ClassMember({
      net,
      network: NETWORK,
      teacherKey: teacherKeys.publicKey,
      self: fakeSelf('teacher', 'teacher'),
      controls: new FakeControls(),
      teacher: true,
    });
    const teacher = new ClassTeacher({
      member: own,
      net,
      network: NETWORK,
      teacherPrivateKey: teacherKeys.privateKey,
    });
    teacher.start();
    teacher.stop();
    const state = teacher.control({ mode: 'split' });
    expect(state.teacherPeer).toBe(net.peerId);
    const sent = decodeClassMessage(net.published.at(-1)!);
    expect(sent.t === 'state' && sent.signed.state.teacherPeer).toBe(net.peerId);
  });
});

describe('roster flooding', () => {
  it('bounds the newcomers one relaying peer brings in; itself and the teacher node are not counted', async () => {
    const { teacher, member, clock, judge } = await classWith();
    expect(judge(stateBytes(stateOf(1, teacher.peerId)))).toBe('accept');
    const fresh = await peers(CLASS_NEWCOMERS_PER_RELAY + 3);
    const sybil = await FakeNet.create();
    // The relay introducing itself does not count.
    expect(judge(await reportBytes(sybil, clock.t), sybil.peerId)).toBe('accept');
    for (const p of fresh.slice(0, CLASS_NEWCOMERS_PER_RELAY))
      expect(judge(await reportBytes(p, clock.t), sybil.peerId)).toBe('accept');
    const [over, viaOther, viaTeacher] = fresh.slice(CLASS_NEWCOMERS_PER_RELAY);
    expect(judge(await reportBytes(over!, clock.t), sybil.peerId)).toBe('ignore');
    // Members already in the roster still get through that relay.
    clock.t += 2_000;
    expect(judge(await reportBytes(fresh[0]!, clock.t), sybil.peerId)).toBe('accept');
    expect(judge(await reportBytes(viaOther!, clock.t), 'other-relay')).toBe('accept');
    expect(judge(await reportBytes(viaTeacher!, clock.t), teacher.peerId)).toBe('accept');
    expect(member.roster()).toHaveLength(1 + 1 + CLASS_NEWCOMERS_PER_RELAY + 2);
    // A window later the relay may bring in more.
    clock.t += CLASS_NEWCOMER_WINDOW_MS;
    expect(judge(await reportBytes(over!, clock.t), sybil.peerId)).toBe('accept');
  });
});

describe('a name taken twice', () => {
  it('pays nobody by that name', async () => {
    const { member, clock, judge } = await classWith();
    const [bob, eve] = await peers(2);
    expect(judge(await reportBytes(bob!, clock.t, { name: 'bob', address: 'hl1bob' }))).toBe('accept');
    expect(member.addressOf('bob')).toBe('hl1bob');
    expect(judge(await reportBytes(eve!, clock.t, { name: 'Bob ', address: 'hl1eve' }))).toBe('accept');
    expect(member.addressOf('bob')).toBeUndefined();
    expect(member.addressOf('Bob ')).toBeUndefined();
  });
});

describe('replayed states', () => {
  it('are ignored before their signature is checked', async () => {
    const { member, teacher, judge } = await classWith();
    expect(judge(stateBytes(stateOf(10, teacher.peerId)))).toBe('accept');
    // An older seq or another network is ignored unverified: a bad signature there costs nothing.
    const forger = generateKeyPair().privateKey;
    expect(judge(stateBytes(stateOf(9, teacher.peerId, { mining: true }), forger))).toBe('ignore');
    expect(judge(stateBytes(stateOf(11, teacher.peerId, { network: 'dev-class-2' }), forger))).toBe('ignore');
    expect(judge(stateBytes(stateOf(11, teacher.peerId, { mining: true }), forger))).toBe('reject');
    expect(member.state()?.seq).toBe(10);
  });
});

describe('a split of a full class', () => {
  it('fits in one state message: the teacher lists group B only', async () => {
    const net = await FakeNet.create();
    const own = new ClassMember({
      net,
      network: 'dev-class-7f3a1c2b',
      teacherKey: teacherKeys.publicKey,
      self: fakeSelf('teacher', 'teacher'),
      controls: new FakeControls(),
      teacher: true,
    });
    const teacher = new ClassTeacher({
      member: own,
      net,
      network: 'dev-class-7f3a1c2b',
      teacherPrivateKey: teacherKeys.privateKey,
    });
    const ids = (await peers(64)).map((p) => p.peerId);
    const groups = Object.fromEntries(
      ids.map((id, i) => [id, i % 2 === 0 ? ('A' as const) : ('B' as const)]),
    );
    const state = teacher.control({ mode: 'race', groups, intervalSeconds: 3600, reset: 'class-7f3a1c2c' });
    expect(Object.keys(state.groups)).toHaveLength(32);
    expect(Object.values(state.groups).every((g) => g === 'B')).toBe(true);
    expect(net.published.at(-1)!.length).toBeLessThanOrEqual(CLASS_MAX_MESSAGE_BYTES);
  });
});
