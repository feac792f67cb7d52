// Unsigned discovery records (pubsub discovery, mDNS) reach the address book only with local addresses.
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import { type NetContext, silentLogger } from '../../../src/p2p/context.js';
import { generatePeerKey, peerIdOf } from '../../../src/p2p/keys.js';
import { LocalNets } from '../../../src/p2p/netgroup.js';
import { PeerAddrs, UNSIGNED_SOURCE } from '../../../src/p2p/peer-addrs.js';
import { seededRandom } from '../../support/random.js';

const ctx = { clock: new ManualClock(), log: silentLogger, host: () => undefined } as unknown as NetContext;
const newId = async () => peerIdFromString(peerIdOf(await generatePeerKey()));
const addrs = (...texts: string[]) => texts.map((t) => multiaddr(t));

describe('unsigned discovery records', () => {
  it('keep loopback addresses only from a record of nothing else, and local-subnet ones', async () => {
    const book = new PeerAddrs(ctx, new LocalNets(['10.0.0.0/8']), seededRandom(1));
    const devnet = await newId();
    expect(book.discovered(devnet, addrs('/ip4/127.0.0.1/tcp/15001'))).toBe(true);
    expect(book.book.get(devnet.toString())?.source).toBe(UNSIGNED_SOURCE);

    const remote = await newId();
    expect(book.discovered(remote, addrs('/ip4/127.0.0.1/tcp/15000', '/ip4/203.0.113.7/tcp/15000'))).toBe(
      false,
    );
    expect(book.book.has(remote.toString())).toBe(false);

    const lan = await newId();
    expect(book.discovered(lan, addrs('/ip4/127.0.0.1/tcp/15000', '/ip4/10.1.2.3/tcp/15000'))).toBe(true);
    expect(book.addrsOf(lan.toString()).map(String)).toEqual(['/ip4/10.1.2.3/tcp/15000']);

    const stranger = await newId();
    expect(book.discovered(stranger, addrs('/ip4/192.168.1.9/tcp/15000'))).toBe(false);
  });
});
