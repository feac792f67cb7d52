// The stall rule of http-limits.ts on a plain HTTP server on loopback: a request still being worked on
// is left alone however long it takes, while an answer its client stopped reading is cut off.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { installConnectionLimits } from '../../../src/api/http-limits.js';
import { withLimits } from '../../../src/api/limits.js';
import { connectRaw } from '../../support/raw-http.js';

const STALLED_MS = 400;
let server: http.Server | undefined;

async function serve(
  handler: http.RequestListener,
): Promise<{ port: number; stats: () => { stalled: number } }> {
  server = http.createServer(handler);
  const stats = installConnectionLimits(server, withLimits({ stalledMs: STALLED_MS }));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, stats };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('the stall rule', () => {
  it('leaves a request alone while its handler works, longer than the stall time', async () => {
    const { port, stats } = await serve((_req, res) => {
      setTimeout(() => res.end('mined'), STALLED_MS * 4);
    });
    const s = await connectRaw(port);
    s.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    const answer = await s.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200[\s\S]*mined$/);
    expect(stats().stalled).toBe(0);
  });

  it('closes a connection whose client stops reading the answer', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const { port, stats } = await serve((_req, res) => {
      // Writes as fast as the socket takes them, as a streamed page does.
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
      };
      res.on('drain', pump);
      pump();
    });
    const s = await connectRaw(port);
    s.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    s.socket.pause();
    for (let i = 0; i < 100 && stats().stalled === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(stats().stalled).toBe(1);
    s.socket.destroy();
  });

  it('closes a connection that sends nothing', async () => {
    const { port, stats } = await serve((_req, res) => res.end());
    const s = await connectRaw(port);
    await s.closed;
    expect(s.closedAfterMs()).toBeGreaterThanOrEqual(STALLED_MS - 50);
    expect(stats().stalled).toBe(1);
  });
});
