// Per-peer memory and work that must stay bounded: discovery records (one per author per 5 s, 20 a
// second from everyone) and the peers of another network kept away (at most 1000, with expiry).
import { TopicValidatorResult } from '@libp2p/gossipsub';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import type { NetContext } from '../../../src/p2p/context.js';
import { Gossip } from '../../../src/p2p/gossip.js';
import { MAX_INCOMPATIBLE, PeerStatuses } from '../../../src/p2p/peer-status.js';
import { LIMITS } from '../../../src/p2p/protocol.js';
import { fakeNetContext } from './fake-context.js';

const context = (clock: ManualClock): NetContext => fakeNetContext(clock);

/** A discovery record as pubsub-peer-discovery writes it: field 1 the author's key, then its addresses. */
function record(author: number, addr = 0): Uint8Array {
  const key = new Uint8Array(36).fill(author);
  return Uint8Array.from([0x0a, key.length, ...key, 0x12, 4, 127, 0, 0, addr]);
}

describe('discovery records', () => {
  it('are accepted once per author per 5 s, and at most 20 a second (burst 50) from everyone', () => {
    const clock = new ManualClock();
    const gossip = new Gossip(context(clock), () => {});
    const validate = (data: Uint8Array) =>
      (
        gossip as unknown as { validateDiscovery(from: string, data: Uint8Array): TopicValidatorResult }
      ).validateDiscovery('relay', data);
    expect(validate(record(1))).toBe(TopicValidatorResult.Accept);
    expect(validate(record(1, 1))).toBe(TopicValidatorResult.Ignore); // same author, new addresses
    clock.advance(LIMITS.discoveryRecordMs);
    expect(validate(record(1, 2))).toBe(TopicValidatorResult.Accept);

    // Many authors at once: the burst, then the steady rate.
    let accepted = 0;
    for (let author = 2; author < 200; author++) {
      if (validate(record(author)) === TopicValidatorResult.Accept) accepted++;
    }
    expect(accepted).toBe(LIMITS.discoveryRecordBurst - 1); // the bucket refilled over the 5 s; author 1 took one
    clock.advance(1000);
    accepted = 0;
    for (let author = 200; author < 255; author++) {
      if (validate(record(author)) === TopicValidatorResult.Accept) accepted++;
    }
    expect(accepted).toBe(LIMITS.discoveryRecordsPerSecond);
  });
});

describe('peers of another network', () => {
  it('are remembered at most MAX_INCOMPATIBLE at a time, each for its time only', () => {
    const clock = new ManualClock();
    const statuses = new PeerStatuses(context(clock), { ready() {}, status() {}, incompatible() {} }, 60_000);
    const mark = (id: string) =>
      (statuses as unknown as { markIncompatible(id: string): void }).markIncompatible(id);
    for (let i = 0; i < MAX_INCOMPATIBLE + 500; i++) mark(`peer${i}`);
    expect(statuses.incompatibleCount).toBe(MAX_INCOMPATIBLE);
    expect(statuses.isIncompatible('peer0')).toBe(false); // the oldest went first
    expect(statuses.isIncompatible(`peer${MAX_INCOMPATIBLE + 499}`)).toBe(true);
    clock.advance(60_000);
    mark('late');
    expect(statuses.incompatibleCount).toBe(1); // the expired ones went with it
    expect(statuses.isIncompatible('late')).toBe(true);
  });
});
