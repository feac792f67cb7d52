import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveHttpPeer } from '../../../src/p2p/http-peer.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(body: unknown, status = 200): Promise<string> {
  server = createServer((req, res) => {
    if (req.url !== '/api/v1/status') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const peerAddr = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWGzvgXFm43uBZvJaXq2iyh5VYESCbExdtT83SYURcCyt2';

describe('resolveHttpPeer', () => {
  it('returns the p2p addresses a node publishes in /api/v1/status', async () => {
    const url = await serve({
      p2p: { peerId: 'x', addrs: [peerAddr, 'not a multiaddr', 42, '/ip4/1.2.3.4/tcp/1'] },
    });
    expect(await resolveHttpPeer(`${url}/`)).toEqual([peerAddr]);
  });

  it('fails clearly when the node does not publish p2p addresses', async () => {
    await expect(resolveHttpPeer(await serve({ height: 3 }))).rejects.toThrow(/p2p\.addrs/);
  });

  it('fails on an HTTP error', async () => {
    await expect(resolveHttpPeer(await serve({}, 500))).rejects.toThrow(/500/);
  });
});
