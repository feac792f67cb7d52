// The HTTP server's limits on real node processes: headers trickled byte by byte, silent sockets, slow
// bodies and idle keep-alive connections are closed by the timeouts; connections past the caps are
// answered 503 `too-many-connections`; a flood of expensive reads from loopback is queued and refused
// by cost while GET /api/v1/status keeps answering. The limits are shrunk (HASHLINE_HTTP_LIMITS) so
// that each is reached in seconds.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupNodesAfterAll, mine, type NodeProcess, startNode, waitFor } from '../support/node-process.js';
import { connectRaw, jsonBodyOf, metric, type RawSocket } from '../support/raw-http.js';

cleanupNodesAfterAll();

const TIMEOUTS = {
  headersTimeoutMs: 1_500,
  requestTimeoutMs: 3_000,
  keepAliveTimeoutMs: 1_000,
  timeoutCheckMs: 200,
};
const CAPS = {
  // Long enough that the sockets held open are not closed meanwhile.
  headersTimeoutMs: 60_000,
  maxConnections: 28,
  maxConnectionsPerIp: 20,
  costPerCaller: 2,
  costTotal: 4,
  costQueuePerCaller: 2,
  costQueueTotal: 8,
};

let timed: NodeProcess;
let capped: NodeProcess;

beforeAll(async () => {
  [timed, capped] = await Promise.all([
    startNode({ env: { HASHLINE_HTTP_LIMITS: JSON.stringify(TIMEOUTS) } }),
    startNode({ env: { HASHLINE_HTTP_LIMITS: JSON.stringify(CAPS) } }),
  ]);
});
afterAll(async () => {
  await Promise.all([timed?.stop(), capped?.stop()]);
});

/** Resolves with what the node sent when it closed, or fails after `ms`. */
function closedWithin(s: RawSocket, ms: number): Promise<string> {
  return Promise.race([
    s.closed,
    new Promise<string>((_, reject) =>
      setTimeout(() => reject(new Error(`the node kept the connection open for ${ms} ms`)), ms),
    ),
  ]);
}

describe('timeouts', () => {
  it('closes a connection whose headers trickle in byte by byte (slowloris), with 408 request-timeout', async () => {
    const s = await connectRaw(timed.port);
    s.socket.write('GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const trickle = setInterval(() => {
      if (!s.socket.destroyed) s.socket.write('a');
    }, 100);
    try {
      const answer = await closedWithin(s, 20_000);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(jsonBodyOf(answer)).toMatchObject({ error: 'request-timeout' });
      expect(s.closedAfterMs()).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 100);
    } finally {
      clearInterval(trickle);
      s.socket.destroy();
    }
  });

  it('closes a socket that never sends a byte, and one whose body never finishes', async () => {
    const silent = await connectRaw(timed.port);
    const slowBody = await connectRaw(timed.port);
    slowBody.socket.write(
      'POST /api/v1/tx HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"hex":"',
    );
    const drip = setInterval(() => {
      if (!slowBody.socket.destroyed) slowBody.socket.write('0');
    }, 200);
    try {
      expect(await closedWithin(silent, 20_000)).toMatch(/^HTTP\/1\.1 408|^$/);
      expect(await closedWithin(slowBody, 20_000)).toMatch(/^HTTP\/1\.1 408/);
      expect(slowBody.closedAfterMs()).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 100);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes an idle keep-alive connection after its request was answered', async () => {
    const s = await connectRaw(timed.port);
    s.socket.write('GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const answer = await closedWithin(s, 20_000);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(s.closedAfterMs()).toBeGreaterThanOrEqual(TIMEOUTS.keepAliveTimeoutMs - 100);
  });
});

describe('connection caps', () => {
  it('answers 503 too-many-connections past the cap per address and in all, and admits again after', async () => {
    const held: RawSocket[] = [];
    try {
      // Keep-alive sockets of earlier requests may still count: open until refused, within the cap.
      let refused: RawSocket | undefined;
      for (let i = 0; i <= CAPS.maxConnectionsPerIp && !refused; i++) {
        const s = await connectRaw(capped.port);
        const first = await Promise.race([s.closed, new Promise((r) => setTimeout(r, 300))]);
        if (typeof first === 'string') refused = s;
        else held.push(s);
      }
      expect(refused).toBeDefined();
      expect(jsonBodyOf(refused!.received())).toEqual({
        error: 'too-many-connections',
        message: expect.stringContaining(`at most ${CAPS.maxConnectionsPerIp} connections from one address`),
      });
      refused = undefined;
      for (let i = 0; i <= CAPS.maxConnections && !refused; i++) {
        const s = await connectRaw(capped.port, `127.0.0.${2 + (i % 8)}`);
        const first = await Promise.race([s.closed, new Promise((r) => setTimeout(r, 300))]);
        if (typeof first === 'string') refused = s;
        else held.push(s);
      }
      expect(held.length).toBeLessThanOrEqual(CAPS.maxConnections);
      expect(jsonBodyOf(refused!.received())).toEqual({
        error: 'too-many-connections',
        message: expect.stringContaining(`at most ${CAPS.maxConnections} connections at once`),
      });
    } finally {
      for (const s of held) s.socket.destroy();
    }
    // Once the node has seen them close, a new connection is served again.
    await waitFor(
      async () => (await getOnce(`${capped.url}/api/v1/status`)).status === 200,
      'a connection to be admitted again',
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  });
});

/** GET on its own connection; resolves with the status code and the error code, if any. */
function getOnce(url: string): Promise<{ status: number; error?: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 60_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        // Only an error body is kept; a chain page is read and thrown away.
        if (res.statusCode !== 200) body += c;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          error: body ? (JSON.parse(body) as { error: string }).error : undefined,
          ms: performance.now() - t0,
        }),
      );
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in 60 s`)));
  });
}

describe('expensive reads from loopback', () => {
  it('a flood of /chain is queued and refused by cost while /api/v1/status keeps answering', async () => {
    await mine(capped.url, 30);
    const FLOOD = 12;
    const heavy = Array.from({ length: FLOOD }, () => getOnce(`${capped.url}/chain`));
    // Status, one request after another, while the flood runs: each must answer, and soon.
    const statuses: Array<{ status: number; ms: number }> = [];
    let done = false;
    const flood = Promise.all(heavy).finally(() => {
      done = true;
    });
    for (let i = 0; i < 200 && (!done || statuses.length < 3); i++)
      statuses.push(await getOnce(`${capped.url}/api/v1/status`));
    const answers = await flood;
    expect(statuses.every((s) => s.status === 200)).toBe(true);
    // A liveness bound, not a speed goal (that is bench/chain-api.ts): generous for a loaded machine.
    expect(Math.max(...statuses.map((s) => s.ms))).toBeLessThan(5_000);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.error === 'too-many-expensive-reads')).toBe(true);
    // /chain costs 2 and a caller has 2 units: one runs, 2 wait and are served in turn, the rest are
    // refused (how many depends on how many arrive while others run).
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(
      1 + CAPS.costQueuePerCaller,
    );
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    expect(await metric(capped.url, 'hashline_http_expensive_reads_refused')).toBe(refused.length);
    // A burst of cheap requests from loopback is never refused.
    const burst = await Promise.all(Array.from({ length: 10 }, () => getOnce(`${capped.url}/api/v1/status`)));
    expect(burst.every((b) => b.status === 200)).toBe(true);
  });
});
