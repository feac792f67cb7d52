// The relay service's per-host cap on reservations and their release when the peer leaves
// (circuit-relay.ts), over the library's own reservation map.
import type { CircuitRelayService, RelayReservation } from '@libp2p/circuit-relay-v2';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Connection, PeerId } from '@libp2p/interface';
import { PeerMap } from '@libp2p/peer-collections';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { RELAY_LIMITS, RelayReservations } from '../../../src/p2p/circuit-relay.js';
import { LocalNets } from '../../../src/p2p/netgroup.js';

const newPeer = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'));

function setup() {
  const reservations = new PeerMap<RelayReservation>();
  const connections: Connection[] = [];
  const service = { reservations } as unknown as CircuitRelayService;
  const relay = new RelayReservations(new LocalNets(), {
    service: () => service,
    connections: () => connections,
  });
  /** A connected peer at `ip`; `reserve` also gives it a reservation, as the library would once allowed. */
  const connect = async (ip: string) => {
    const peer = await newPeer();
    const addr = multiaddr(`/ip4/${ip}/tcp/40000/ws`);
    connections.push({ remotePeer: peer, remoteAddr: addr } as unknown as Connection);
    return { peer, reserve: () => reservations.set(peer, { addr } as unknown as RelayReservation) };
  };
  return { relay, reservations, connect };
}

describe('RelayReservations', () => {
  it(`refuses a host's reservation beyond ${RELAY_LIMITS.perHost}, not another host's, not a renewal`, async () => {
    const { relay, connect } = setup();
    const first = await connect('203.0.113.5');
    for (let i = 0; i < RELAY_LIMITS.perHost; i++) {
      const p = i === 0 ? first : await connect('203.0.113.5');
      expect(relay.deny(p.peer)).toBe(false);
      p.reserve();
    }
    expect(relay.deny((await connect('203.0.113.5')).peer)).toBe(true);
    expect(relay.deny(first.peer)).toBe(false);
    expect(relay.deny((await connect('198.51.100.7')).peer)).toBe(false);
  });

  it('counts each peer id as its own host on loopback', async () => {
    const { relay, connect } = setup();
    for (let i = 0; i < RELAY_LIMITS.perHost + 2; i++) {
      const p = await connect('127.0.0.1');
      expect(relay.deny(p.peer)).toBe(false);
      p.reserve();
    }
  });

  it('refuses a peer it has no connection with', async () => {
    const { relay } = setup();
    expect(relay.deny(await newPeer())).toBe(true);
  });

  it('drops the reservation of a peer that disconnects, freeing its slot', async () => {
    const { relay, reservations, connect } = setup();
    const held = [];
    for (let i = 0; i < RELAY_LIMITS.perHost; i++) {
      const p = await connect('203.0.113.5');
      p.reserve();
      held.push(p);
    }
    const next = await connect('203.0.113.5');
    expect(relay.deny(next.peer)).toBe(true);
    relay.release(held[0]!.peer);
    expect(reservations.has(held[0]!.peer)).toBe(false);
    expect(relay.count()).toBe(RELAY_LIMITS.perHost - 1);
    expect(relay.deny(next.peer)).toBe(false);
  });
});
