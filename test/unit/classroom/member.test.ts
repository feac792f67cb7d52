import { describe, expect, it } from 'vitest';
import { ClassMember } from '../../../src/classroom/member.js';
import {
  encodeReportMessage,
  encodeStateMessage,
  signReport,
  signState,
} from '../../../src/classroom/messages.js';
import { ClassTeacher } from '../../../src/classroom/teacher.js';
import type { ClassState } from '../../../src/classroom/types.js';
import { generateKeyPair } from '../../../src/crypto/ed25519.js';
import { FakeControls, FakeNet, fakeSelf, reportOf } from './helpers.js';

const NETWORK = 'dev-class-1';
const teacherKeys = generateKeyPair();
const TEACHER_PEER = '12D3KooWDZLtPRLkYT8VgKFerk535uu6wXcuzB732L5cmRjnYCmR';

function stateOf(seq: number, over: Partial<ClassState> = {}): ClassState {
  return {
    seq,
    issuedAt: seq,
    network: NETWORK,
    teacherPeer: TEACHER_PEER,
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

async function memberWith(clock = { t: 1_000_000 }, name = 'ada') {
  const net = await FakeNet.create();
  const controls = new FakeControls();
  const member = new ClassMember({
    net,
    network: NETWORK,
    teacherKey: teacherKeys.publicKey,
    self: fakeSelf(name),
    controls,
    now: () => clock.t,
  });
  member.start();
  member.stop(); // no report timer in these tests; the topic handler stays
  return { net, controls, member, clock, judge: (data: Uint8Array) => net.handler!(data, 'relay') };
}

describe('ClassMember', () => {
  it('obeys a state the teacher signed, and rejects a forged one without changing anything', async () => {
    const { member, controls, judge } = await memberWith();
    expect(judge(stateBytes(stateOf(5, { mining: true, intervalSeconds: 3 })))).toBe('accept');
    expect(controls.mining).toEqual([[true, 3]]);
    const forged = stateBytes(stateOf(6, { mining: false }), generateKeyPair().privateKey);
    expect(judge(forged)).toBe('reject');
    expect(member.state()?.seq).toBe(5);
    expect(controls.mining).toEqual([[true, 3]]);
    expect(judge(new TextEncoder().encode('{"t":"state"}'))).toBe('reject');
  });

  it('ignores replays, older states and states of another network', async () => {
    const { member, controls, judge } = await memberWith();
    const first = stateBytes(stateOf(10, { mining: true }));
    expect(judge(first)).toBe('accept');
    expect(judge(first)).toBe('ignore');
    expect(judge(stateBytes(stateOf(9, { mining: false })))).toBe('ignore');
    expect(judge(stateBytes(stateOf(11, { network: 'dev-class-2', mining: false })))).toBe('ignore');
    expect(member.state()?.seq).toBe(10);
    expect(controls.mining).toEqual([[true, 0]]);
    // A newer state with the same mining changes nothing; a reset is obeyed once.
    expect(judge(stateBytes(stateOf(12, { mining: true, resetTo: 'class-2' })))).toBe('accept');
    expect(judge(stateBytes(stateOf(13, { mining: true, resetTo: 'class-2' })))).toBe('accept');
    expect(controls.mining).toEqual([[true, 0]]);
    expect(controls.resets).toEqual(['class-2']);
  });

  it('splits into groups through the peer filter, leaving out the teacher, and lifts it together', async () => {
    const { net, member, judge, clock } = await memberWith();
    const teacherNet = await FakeNet.create();
    const teacherReport = await signReport(reportOf(teacherNet.peerId, clock.t, { kind: 'teacher' }), (b) =>
      teacherNet.sign(b),
    );
    const groups = { [net.peerId]: 'B' as const, peerB: 'B' as const, peerA: 'A' as const };
    const split = { mode: 'split' as const, groups, teacherPeer: teacherNet.peerId };
    expect(judge(stateBytes(stateOf(1, split)))).toBe('accept');
    expect(judge(encodeReportMessage(teacherReport))).toBe('accept');
    expect(member.group()).toBe('B');
    const filter = net.filter!;
    expect(filter('peerB')).toBe(true);
    expect(filter('peerA')).toBe(false);
    expect(filter('unlisted')).toBe(false); // in A
    expect(filter(teacherNet.peerId)).toBe(false);
    // The same groups again: the filter stays as it was (no re-sync).
    expect(judge(stateBytes(stateOf(2, split)))).toBe('accept');
    expect(net.filterChanges).toBe(1);
    expect(judge(stateBytes(stateOf(3, { mode: 'together' })))).toBe('accept');
    expect(net.filter).toBeNull();
    expect(member.group()).toBeNull();
  });

  it('keeps signed reports: stale and too frequent ones ignored, forged ones rejected', async () => {
    const { member, judge, clock } = await memberWith();
    const bob = await FakeNet.create();
    const report = (at: number, name = 'bob') =>
      signReport(reportOf(bob.peerId, at, { name }), (b) => bob.sign(b)).then(encodeReportMessage);
    expect(judge(await report(100))).toBe('accept');
    expect(member.addressOf('bob')).toBe('hl1qexampleaddress');
    expect(judge(await report(100))).toBe('ignore'); // the same one again
    expect(judge(await report(99))).toBe('ignore'); // older
    clock.t += 500;
    expect(judge(await report(200))).toBe('ignore'); // within a second of the last
    clock.t += 600;
    expect(judge(await report(300, 'bobby'))).toBe('accept');
    expect(member.roster().map((e) => e.report.name)).toEqual(['ada', 'bobby']);
    const eve = await FakeNet.create();
    const forged = await signReport(reportOf(bob.peerId, 400), (b) => eve.sign(b));
    clock.t += 2000;
    expect(judge(encodeReportMessage(forged))).toBe('reject');
    expect(member.roster()[1]!.report.name).toBe('bobby');
  });

  it('publishes its own signed report', async () => {
    const { net, member } = await memberWith();
    await member.report(); // and one when it started
    expect(net.published).toHaveLength(2);
    const other = await memberWith(undefined, 'bea');
    expect(other.judge(net.published[1]!)).toBe('accept');
    expect(other.member.addressOf('ada')).toBe('hl1qexampleaddress');
  });
});

describe('ClassTeacher', () => {
  it('signs and publishes each control as a newer state that members obey', async () => {
    const clock = { t: 5_000 };
    const net = await FakeNet.create();
    const controls = new FakeControls();
    const own = new ClassMember({
      net,
      network: NETWORK,
      teacherKey: teacherKeys.publicKey,
      self: fakeSelf('teacher', 'teacher'),
      controls,
      teacher: true,
      now: () => clock.t,
    });
    const teacher = new ClassTeacher({
      member: own,
      net,
      network: NETWORK,
      teacherPrivateKey: teacherKeys.privateKey,
      now: () => clock.t,
    });
    teacher.start();
    teacher.stop();
    const student = await memberWith();
    expect(student.judge(net.published.at(-1)!)).toBe('accept');
    const state = teacher.control({ mining: true, intervalSeconds: 2 });
    expect(state.seq).toBeGreaterThan(5_000);
    expect(student.judge(net.published.at(-1)!)).toBe('accept');
    expect(student.controls.mining.at(-1)).toEqual([true, 2]);
    // The teacher's own node obeys no mining and sets no filter.
    teacher.control({ mode: 'split', groups: { [student.net.peerId]: 'B' } });
    expect(controls.mining).toEqual([]);
    expect(net.filter).toBeNull();
    expect(student.judge(net.published.at(-1)!)).toBe('accept');
    expect(student.member.group()).toBe('B');
    expect(() => teacher.control({ intervalSeconds: -1 })).toThrow(/intervalSeconds/);
    expect(() => teacher.control({ reset: 'Bad Id' })).toThrow(/network id/);
    expect(() => teacher.control({ groups: { x: 'C' as 'A' } })).toThrow(/group/);
  });
});
