// A NetContext for tests of one p2p part on a manual clock: a fake chain, no host, no peers, nothing
// judged or refused; a test overrides what it needs.
import type { ManualClock } from '../../../src/p2p/clock.js';
import { type NetContext, silentLogger } from '../../../src/p2p/context.js';
import { protocolIds } from '../../../src/p2p/protocol.js';
import { FakeChain } from './fake-chain.js';

export function fakeNetContext(clock: ManualClock, overrides: Partial<NetContext> = {}): NetContext {
  return {
    chain: new FakeChain(),
    log: silentLogger,
    ids: protocolIds('regtest'),
    clock,
    host: () => undefined,
    stopSignal: () => new AbortController().signal,
    judge: () => ({ reason: '' }),
    penalize: () => {},
    peerKey: (id) => id,
    isRefused: () => false,
    isIncompatible: () => false,
    connectionOf: () => undefined,
    hangUp: async () => {},
    readyPeers: () => [],
    apiUrl: () => undefined,
    ...overrides,
  };
}
