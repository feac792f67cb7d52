// The expensive-read turns over real HTTP: a client that pipelines reads on one connection and closes
// it gives back every turn, those running and those waiting behind it.
import net from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installCostLimit } from '../../../src/api/cost-limit.js';
import { withLimits } from '../../../src/api/limits.js';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Resolves once `check` holds, polling every 10 ms for at most `ms`. */
async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('expensive-read turns over HTTP', () => {
  it('a pipelining client that disconnects gives back its running and waiting turns', async () => {
    const app = Fastify();
    apps.push(app);
    const limits = withLimits({
      costPerCaller: 4,
      costTotal: 8,
      costQueuePerCaller: 64,
      costQueueTotal: 256,
    });
    const limiter = installCostLimit(app, limits);
    // A slow expensive read: it answers once released.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    app.get('/api/v1/mempool', async () => {
      started++;
      await released;
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const request = `GET /api/v1/mempool HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
    socket.write(request.repeat(6));
    // Two run (2 units each, 4 per caller), four wait.
    await until(() => started === 2 && limiter.stats().waiting === 4);
    socket.destroy();
    await until(() => limiter.stats().waiting === 0);
    release();
    await until(() => limiter.stats().running === 0);
    // The caller may read again at once.
    const answer = await fetch(`http://127.0.0.1:${port}/api/v1/mempool`, {
      signal: AbortSignal.timeout(5_000),
    });
    expect(answer.status).toBe(200);
    expect(limiter.stats()).toMatchObject({ running: 0, waiting: 0 });
  });
});
