// Pending transactions after a cut: a peer that comes back on a new connection while the old one
// still looks open here (a cable pulled: no FIN ever arrives) exchanges on the new one, and a
// transaction that arrives before the one it spends is kept until that one is in.
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeChain, makeTx } from './fake-chain.js';
import { connect, isPeerOf, Nodes, waitFor } from './helpers.js';

const nodes = new Nodes();
const proxies: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(proxies.splice(0).map((p) => new Promise((done) => p.close(done))));
  await nodes.stopAll();
});

/** A TCP relay to 127.0.0.1:`port`; `cut()` black-holes it: bytes and closes stop crossing, sockets stay open. */
async function cable(port: number): Promise<{ port: number; cut: () => void }> {
  let cut = false;
  const server = createServer((client) => {
    const upstream = tcpConnect(port, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (d) => {
        if (!cut) to.write(d);
      });
      from.on('end', () => {
        if (!cut) to.end();
      });
      from.on('error', () => {});
    }
  });
  proxies.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy port');
  return { port: address.port, cut: () => (cut = true) };
}

const tcpPort = (addr: string) => Number(/\/tcp\/(\d+)/.exec(addr)?.[1]);

describe('mempool exchange after a cut', () => {
  it('a peer back on a new connection, the old one still open here: transactions cross on the new one', async () => {
    const chainA = new FakeChain();
    const chainB = new FakeChain();
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    const wire = await cable(tcpPort(a.addrs()[0]!));
    await b.dial(`/ip4/127.0.0.1/tcp/${wire.port}/p2p/${a.peerId}`);
    await waitFor(() => isPeerOf(a, b) && isPeerOf(b, a), 'handshake over the cable');

    wire.cut();
    await b.hangUp(a.peerId); // B noticed the cut; A did not
    await waitFor(() => !b.peers().some((p) => p.id === a.peerId), 'B to drop A');
    expect(a.peers().some((p) => p.id === b.peerId)).toBe(true);
    // Meanwhile B's transaction (e.g. of an abandoned block) is announced to nobody.
    const apart = chainB.addTxUnchecked(makeTx('while-apart'));
    b.announceTxs([apart]);

    await b.dial(a.addrs()[0]!); // B comes back directly
    await waitFor(() => chainA.txs.has(apart), 'A to fetch what B holds, on the new connection', 4_000);
    // Announcements go over the new connection too, not the dead one.
    const later = chainB.addTxUnchecked(makeTx('after-heal'));
    b.announceTxs([later]);
    await waitFor(() => chainA.txs.has(later), 'A to fetch an announced one', 4_000);
    expect(chainA.txs.get(apart)?.from).toBe(b.peerId);
  });

  it('a transaction that comes before the one it spends is accepted once that one is in', async () => {
    const chainA = new FakeChain();
    const chainB = new FakeChain();
    // A's inventory lists the child first (as an inventory by fee rate may).
    const child = chainA.addTxUnchecked(makeTx('parent>child'));
    const grandchild = chainA.addTxUnchecked(makeTx('parent>child>grandchild'));
    const parent = chainA.addTxUnchecked(makeTx('parent'));
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await connect(b, a);
    await waitFor(() => [parent, child, grandchild].every((t) => chainB.txs.has(t)), 'all three at B', 4_000);
    expect(chainB.txSubmissions.filter((s) => s.status === 'accepted').map((s) => s.tx)).toEqual([
      'tx:parent',
      'tx:parent>child',
      'tx:parent>child>grandchild',
    ]);
  });
});
