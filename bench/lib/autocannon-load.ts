// autocannon driving a node process with one request shape, counting answers with the expected status,
// with the CPU the node and this (the generator's) process used during the run.
import autocannon from 'autocannon';
import type { NodeProcess } from './node-process.js';

export interface LoadResult {
  /** Answers with the expected status per second of wall time. */
  rate: number;
  expected: number;
  total: number;
  p99: number;
  p50: number;
  seconds: number;
  /** Node process CPU seconds per second of the run (1 = one core busy). */
  nodeCores: number;
  /** CPU seconds of the generator (this process) per second of the run. */
  generatorCores: number;
  firstError?: string;
}

export interface LoadOptions {
  node: NodeProcess;
  url: string;
  method: 'GET' | 'POST';
  next: () => { path?: string; body?: string } | undefined;
  expectStatus: number;
  connections: number;
  seconds: number;
  amount?: number;
  pipelining?: number;
}

export function autocannonLoad(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let expected = 0;
    let firstError: string | undefined;
    const cpuBefore = opts.node.cpuSeconds();
    const ownBefore = process.cpuUsage();
    const start = performance.now();
    // autocannon notices that `amount` is reached only on its one-second tick: time to the last answer.
    let lastAnswer = start;
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        pipelining: opts.pipelining ?? 1,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds }),
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: opts.method,
            setupRequest: (req) => {
              const next = opts.next();
              return next ? { ...req, ...next } : req;
            },
            onResponse: (status, body) => {
              lastAnswer = performance.now();
              if (status === opts.expectStatus) expected++;
              else firstError ??= `${status} ${body.slice(0, 200)}`;
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = ((opts.amount ? lastAnswer : performance.now()) - start) / 1000;
        const own = process.cpuUsage(ownBefore);
        resolve({
          nodeCores: (opts.node.cpuSeconds() - cpuBefore) / seconds,
          generatorCores: (own.user + own.system) / 1e6 / seconds,
          rate: expected / seconds,
          expected,
          total: result.requests.total,
          p99: result.latency.p99,
          p50: result.latency.p50,
          seconds,
          firstError,
        });
      },
    );
    instance.on('error', reject);
  });
}
