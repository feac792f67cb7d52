// A bounded poller of `GET /api/v1/status` in a worker thread, so that work on the bench's own thread
// (mining, signing, building blocks) does not delay it: one request at a time, at most one every
// `intervalMs`, each given up after `timeoutMs` (recorded as taking `timeoutMs`), at most `maxSamples`.

import { Worker } from 'node:worker_threads';
import { percentile } from './report.js';

/** One answer: when the request started (performance.timeOrigin-based ms) and how long it took. */
export interface StatusSample {
  readonly at: number;
  readonly ms: number;
  readonly ok: boolean;
}

// Plain CommonJS for an eval'd worker; times are on the shared clock (timeOrigin + now).
const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let stop = false;
parentPort.on('message', () => { stop = true; });
const once = () => new Promise((resolve) => {
  const t0 = performance.now();
  const done = (ok) => resolve({ at: performance.timeOrigin + t0, ms: performance.now() - t0, ok });
  const req = http.get(workerData.url, { agent, timeout: workerData.timeoutMs }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode === 200));
    res.on('error', () => done(false));
  });
  req.on('timeout', () => { req.destroy(); });
  req.on('error', () => done(false));
});
(async () => {
  const samples = [];
  while (!stop && samples.length < workerData.maxSamples) {
    const t0 = performance.now();
    samples.push(await once());
    const rest = workerData.intervalMs - (performance.now() - t0);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  agent.destroy();
  parentPort.postMessage(samples);
})();
`;

export interface StatusPoller {
  /** Stops polling and resolves with every sample (waits at most for the request in flight). */
  stop(): Promise<StatusSample[]>;
}

export function startStatusPoller(
  baseUrl: string,
  opts: { intervalMs?: number; timeoutMs?: number; maxSamples?: number } = {},
): StatusPoller {
  const worker = new Worker(POLLER, {
    eval: true,
    workerData: {
      url: `${baseUrl}/api/v1/status`,
      intervalMs: opts.intervalMs ?? 20,
      timeoutMs: opts.timeoutMs ?? 10_000,
      maxSamples: opts.maxSamples ?? 100_000,
    },
  });
  const result = new Promise<StatusSample[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      try {
        return await result;
      } finally {
        await worker.terminate();
      }
    },
  };
}

/** Nearest-rank percentile of the latencies (NaN when there are none). */
export const latencyPercentile = (samples: readonly StatusSample[], p: number): number =>
  percentile(
    samples.map((s) => s.ms),
    p,
  );

/** The samples whose request started between `from` and `to` (Date.now()-style ms). */
export const samplesBetween = (samples: readonly StatusSample[], from: number, to: number): StatusSample[] =>
  samples.filter((s) => s.at >= from && s.at <= to);
