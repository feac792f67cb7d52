// GET /api/v1/events on a real node process: streams past the caps are refused with a JSON error that
// names the cap, and a client that stops reading is dropped once its queue passes the bound, while the
// node's memory stays put. The limits are shrunk (HASHLINE_HTTP_LIMITS) and the status event is sent
// every millisecond, so that a non-reading client fills the socket's buffers in seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupNodesAfterAll, type NodeProcess, startNode, waitFor } from '../support/node-process.js';
import { connectRaw, metric, openEventStream, rssOf, type StreamOpen } from '../support/raw-http.js';

cleanupNodesAfterAll();

const LIMITS = {
  sseMaxClients: 5,
  sseMaxClientsPerIp: 3,
  sseMaxQueuedBytes: 64 * 1024,
  sseStatusIntervalMs: 1,
};
const MB = 1024 * 1024;

let node: NodeProcess;

beforeAll(async () => {
  node = await startNode({ env: { HASHLINE_HTTP_LIMITS: JSON.stringify(LIMITS) } });
});
afterAll(async () => {
  await node?.stop();
});

describe('event streams', () => {
  it('refuses streams past the per-address cap (429) and the total cap (503), and admits again once one closes', async () => {
    const open: StreamOpen[] = [];
    try {
      for (let i = 0; i < 3; i++) open.push(await openEventStream(node.port));
      expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
      const perIp = await openEventStream(node.port);
      expect(perIp.status).toBe(429);
      expect(JSON.parse(perIp.body)).toEqual({
        error: 'too-many-event-streams',
        message: expect.stringContaining('at most 3 event streams from one address'),
      });
      // Another loopback address is another caller: two more fill the total of 5.
      for (let i = 0; i < 2; i++) open.push(await openEventStream(node.port, '127.0.0.2'));
      expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
      const total = await openEventStream(node.port, '127.0.0.3');
      expect(total.status).toBe(503);
      expect(JSON.parse(total.body)).toEqual({
        error: 'too-many-event-streams',
        message: expect.stringContaining('at most 5 event streams at once'),
      });
      open.shift()!.close();
      await waitFor(
        async () => (await metric(node.url, 'hashline_http_event_streams')) === 4,
        'a slot to free',
        {
          timeoutMs: 20_000,
        },
      );
      const again = await openEventStream(node.port, '127.0.0.3');
      open.push(again);
      expect(again.status).toBe(200);
    } finally {
      for (const s of open) s.close();
    }
    await waitFor(
      async () => (await metric(node.url, 'hashline_http_event_streams')) === 0,
      'streams to close',
      {
        timeoutMs: 20_000,
      },
    );
  });

  it('drops a client that stops reading, and the node does not buffer for it', {
    timeout: 150_000,
  }, async () => {
    const rssBefore = rssOf(node.pid);
    const stalled = await Promise.all([0, 1].map(() => connectRaw(node.port)));
    for (const s of stalled) {
      s.socket.write('GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      s.socket.pause(); // read nothing more: the socket's buffers fill, then the node's queue
    }
    let rssPeak = rssBefore;
    await waitFor(
      async () => {
        rssPeak = Math.max(rssPeak, rssOf(node.pid));
        return (await metric(node.url, 'hashline_http_event_streams_dropped')) >= 2;
      },
      'both non-reading streams to be dropped',
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(await metric(node.url, 'hashline_http_event_streams')).toBe(0);
    // Kernel buffers held a few MB each; the node itself at most its 64 kB queue per client.
    expect(rssPeak - rssBefore).toBeLessThan(64 * MB);
    // The client, reading again, gets what the socket held and then the end of the stream.
    for (const s of stalled) s.socket.resume();
    const ends = await Promise.race([
      Promise.all(stalled.map((s) => s.closed)),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000)),
    ]);
    expect(ends).toBeDefined();
    expect(ends![0]).toMatch(/^HTTP\/1\.1 200/);
    // A reading client still gets its stream.
    const fresh = await openEventStream(node.port);
    expect(fresh.status).toBe(200);
    fresh.close();
  });
});
