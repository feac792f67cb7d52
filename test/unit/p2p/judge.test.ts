// judge(): the one map from what a peer did to what it costs.
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/p2p/codec.js';
import { judge } from '../../../src/p2p/judge.js';

describe('judge', () => {
  it('maps block outcomes to offences', () => {
    const block = (result: Parameters<typeof judge>[0] & { kind: 'block' }) => judge(result).offence;
    expect(block({ kind: 'block', result: { status: 'accepted', tip: false } })).toBeUndefined();
    expect(block({ kind: 'block', result: { status: 'duplicate' } })).toBeUndefined();
    expect(block({ kind: 'block', result: { status: 'orphan' } })).toBeUndefined();
    expect(block({ kind: 'block', result: { status: 'low-work' } })).toBe('lowWork');
    // Lost an honest race: a few blocks behind our tip.
    expect(block({ kind: 'block', result: { status: 'low-work', code: 'stale' } })).toBeUndefined();
    expect(block({ kind: 'block', result: { status: 'invalid', code: 'bad-pow' } })).toBe('invalidBlock');
    expect(block({ kind: 'block', result: { status: 'invalid', code: 'bad-merkle', malleated: true } })).toBe(
      'mutatedBlock',
    );
    // A clock ahead of ours is not an offence (Core does not punish it either).
    expect(block({ kind: 'block', result: { status: 'invalid', code: 'time-too-new' } })).toBeUndefined();
  });

  it('maps transaction outcomes: a malleated one is counted, not charged', () => {
    expect(judge({ kind: 'tx', result: { status: 'invalid', code: 'bad-sig' } }).offence).toBe('invalidTx');
    const malleated = judge({ kind: 'tx', result: { status: 'invalid', malleated: true } });
    expect(malleated.offence).toBeUndefined();
    expect(malleated.noteMalleated).toBe(true);
    expect(
      judge({ kind: 'tx', result: { status: 'duplicate', code: 'missing-inputs' } }).offence,
    ).toBeUndefined();
    expect(judge({ kind: 'tx', result: { status: 'accepted' } }).offence).toBeUndefined();
  });

  it('maps failures by their protocol error code; a closed connection is no offence', () => {
    const failure = (err: unknown) => judge({ kind: 'failure', err, detail: 'x' }).offence;
    expect(failure(new ProtocolError('malformed', 'bad'))).toBe('malformedFrame');
    expect(failure(new ProtocolError('too-large', 'big'))).toBe('malformedFrame');
    expect(failure(new ProtocolError('unexpected', 'odd'))).toBe('protocolViolation');
    expect(failure(new ProtocolError('timeout', 'slow'))).toBe('timeout');
    expect(failure(new ProtocolError('remote-error', 'peer: busy'))).toBeUndefined();
    expect(failure(new Error('connection reset'))).toBeUndefined();
    expect(judge({ kind: 'malformed', detail: 'x' }).offence).toBe('malformedFrame');
    expect(judge({ kind: 'violation', detail: 'x' }).offence).toBe('protocolViolation');
    expect(judge({ kind: 'flood', detail: 'x' }).offence).toBe('flood');
  });

  it("maps a sync round's end: mutated copies cost, time-too-new does not", () => {
    expect(
      judge({ kind: 'syncRound', offence: 'invalidBlock', reason: 'invalid block: bad-pow' }).offence,
    ).toBe('invalidBlock');
    expect(
      judge({ kind: 'syncRound', offence: 'invalidBlock', reason: 'invalid block: time-too-new' }).offence,
    ).toBeUndefined();
    expect(judge({ kind: 'syncRound', malleated: true, reason: 'malleated block: bad-merkle' }).offence).toBe(
      'mutatedBlock',
    );
    expect(judge({ kind: 'syncRound', reason: 'peer no longer has the blocks' }).offence).toBeUndefined();
  });
});
