// Starting and stopping real libp2p hosts on 127.0.0.1 for the network tests.
import type { Host } from '../../../src/p2p/host.js';
import { createNodeHost } from '../../../src/p2p/host-node.js';
import { generatePeerKey } from '../../../src/p2p/keys.js';
import { P2PNetwork, type P2PNetworkOptions } from '../../../src/p2p/network.js';
import { protocolIds } from '../../../src/p2p/protocol.js';
import { answerStatus } from '../../../src/p2p/status-protocol.js';
import type { ChainAccess, PeerStatus } from '../../../src/p2p/types.js';

export class Nodes {
  private readonly started: P2PNetwork[] = [];

  async start(chain: ChainAccess, opts: Partial<P2PNetworkOptions> = {}): Promise<P2PNetwork> {
    const net = new P2PNetwork({
      chain,
      createHost: createNodeHost,
      listenHost: '127.0.0.1',
      port: 0,
      banSeconds: 60,
      reconnectMs: 0,
      // Tests choose their topology: no dialling of discovered peers unless asked for.
      minPeers: 0,
      ...opts,
    });
    await net.start();
    this.started.push(net);
    return net;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.started.splice(0).map((n) => n.stop()));
  }
}

/** Polls `condition` every 25 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function isPeerOf(net: P2PNetwork, other: P2PNetwork): boolean {
  return net.peers().some((p) => p.id === other.peerId && p.height >= 0);
}

/** Connects `from` to `to` and waits until both have each other's status. */
export async function connect(from: P2PNetwork, to: P2PNetwork): Promise<void> {
  await from.dial(to.addrs()[0]);
  await waitFor(() => isPeerOf(from, to) && isPeerOf(to, from), 'handshake');
}

/** Waits until gossip can flow from `a` to `b` on both topics (gossipsub mesh formed). */
export async function waitForMesh(a: P2PNetwork, b: P2PNetwork): Promise<void> {
  await waitFor(
    () =>
      a.meshPeers('blocks').includes(b.peerId) &&
      b.meshPeers('blocks').includes(a.peerId) &&
      a.meshPeers('txs').includes(b.peerId) &&
      b.meshPeers('txs').includes(a.peerId),
    'gossip mesh',
  );
}

/**
 * A bare libp2p host that passes the status handshake as a peer of `chain`'s network (at genesis) and
 * speaks nothing else unless the test adds handlers: for sending a node bytes by hand. `opts.heard` is
 * told every status a node sends it; `opts.height` is the height it answers (0).
 */
export async function statusOnlyHost(
  chain: Pick<ChainAccess, 'network' | 'genesisHash'>,
  opts: { heard?: (status: PeerStatus) => void; height?: () => number } = {},
): Promise<Host> {
  const ids = protocolIds('regtest');
  const host = await createNodeHost({
    privateKey: await generatePeerKey(),
    listenHost: '127.0.0.1',
    port: 0,
    ids,
  });
  await host.handle(ids.status, async (stream) => {
    const theirs = await answerStatus(stream, () => ({
      network: chain.network,
      genesisHash: chain.genesisHash,
      height: opts.height?.() ?? 0,
      tipHash: chain.genesisHash,
      chainWork: 1n,
    })).catch(() => undefined);
    if (theirs) opts.heard?.(theirs);
  });
  return host;
}
