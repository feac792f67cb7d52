// Parallel nonce search: a pool of worker threads, each running a PoW kernel over chunks of the
// 2^32 nonce space (see nonce-protocol.ts for how the work is shared).
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { createWorker } from '../util/worker.js';
import { NONCE_SPACE } from './kernels/scan-args.js';
import {
  CONTROL,
  checkSearch,
  checkThreads,
  HASHES_OFFSET,
  JOB_MEMORY_BYTES,
  type JobMessage,
  MAX_THREADS,
  NO_HIT,
  type WorkerInit,
  type WorkerMessage,
} from './nonce-protocol.js';
import { loadPowKernel } from './pow-kernel.js';

export interface SearchOutcome {
  /** The lowest nonce in the range whose header hash meets the target; null when the range was
   * exhausted (roll the extra-nonce and search again) or the search was aborted. */
  nonce: number | null;
  /** Hashes computed by all workers for this search. */
  hashes: number;
}

export { checkThreads, MAX_THREADS, MIN_THREADS } from './nonce-protocol.js';

export interface NonceSearcherOptions {
  /** Worker threads (default: one per core, at most MAX_THREADS); setThreads() changes it later. */
  threads?: number;
  /** Use the JS kernel even if the native one loads (HASHLINE_NO_NATIVE=1 does the same). */
  forceJs?: boolean;
  /** Nonces per work unit. Abort takes effect after the chunk in hand, so the default keeps a
   * chunk around 25 ms: 2^18 for the native kernel, 2^15 for the JS one. */
  chunkSize?: number;
}

export interface SearchOptions {
  signal?: AbortSignal;
  /** Called about every 100 ms, and once at the end, with the hashes done so far in this search. */
  onProgress?: (hashes: number) => void;
  /** Nonces to try (default: all of 0..0xffffffff). */
  range?: { start: number; count: number };
}

/**
 * What the miner needs of a nonce search: the worker-thread pool here in Node, Web Workers in the browser
 * node (web/src/node/nonce-workers.ts). Type-only for the browser, so this file's Node imports stay out.
 */
export interface NonceSource {
  search(header: Uint8Array, target: Uint8Array, opts?: SearchOptions): Promise<SearchOutcome>;
  /** Hashes per second over the last few seconds (0 when idle that long). */
  hashRate(): number;
  /** Workers each search uses. */
  readonly threads: number;
  /** Throws RangeError outside MIN_THREADS..MAX_THREADS. */
  setThreads(threads: number): void;
}

const PROGRESS_INTERVAL_MS = 100;
const RATE_WINDOW_MS = 5_000;

interface ActiveJob {
  id: number;
  memory: SharedArrayBuffer;
  pending: number;
  hits: { chunk: number; nonce: number }[];
  finish: () => void;
  fail: (err: Error) => void;
}

export class NonceSearcher implements NonceSource {
  readonly kernelName: 'native' | 'js';
  private readonly chunkSize: number;
  private wanted: number;
  private readonly workers: Worker[] = [];
  /** Workers being shut down after a resize: their exit is expected, not a failure. */
  private readonly retired = new WeakSet<Worker>();
  private failure: Error | null = null;
  private closed = false;
  private nextJobId = 1;
  private active: ActiveJob | null = null;
  /** Serializes searches: a new one starts once the previous one has returned. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Hashes of finished searches, for hashRate(). */
  private finishedHashes = 0;
  private samples: { t: number; total: number }[] = [];

  constructor(opts: NonceSearcherOptions = {}) {
    this.wanted = checkThreads(opts.threads ?? Math.min(availableParallelism(), MAX_THREADS));
    this.kernelName = loadPowKernel({ forceJs: opts.forceJs }).name;
    this.chunkSize = opts.chunkSize ?? (this.kernelName === 'native' ? 2 ** 18 : 2 ** 15);
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1 || this.chunkSize > NONCE_SPACE) {
      throw new RangeError('chunkSize must be an integer in 1..2^32');
    }
  }

  /** Worker threads each search uses (the next search, when changed while one runs). */
  get threads(): number {
    return this.wanted;
  }

  /** Worker threads alive now: 0 before the first search, `threads` from then on. */
  get liveWorkers(): number {
    return this.workers.length;
  }

  /**
   * Changes the number of worker threads. A search under way keeps its workers; the next one starts
   * or stops workers to match. Throws RangeError outside MIN_THREADS..MAX_THREADS.
   */
  setThreads(threads: number): void {
    this.wanted = checkThreads(threads);
  }

  /** Workers start with the first search: a node that never mines keeps no idle threads (each costs memory).
   * Runs between searches only, so no job is in flight on a worker it stops. */
  private ensureWorkers(): void {
    while (this.workers.length > this.wanted) {
      const worker = this.workers.pop()!;
      this.retired.add(worker);
      void worker.terminate();
    }
    const init: WorkerInit = { kernel: this.kernelName };
    while (this.workers.length < this.wanted) this.workers.push(this.startWorker(init));
  }

  private startWorker(init: WorkerInit): Worker {
    const worker = createWorker(new URL('./nonce-worker.js', import.meta.url), { workerData: init });
    worker.unref(); // idle workers must not keep the process alive; ref'd while a search runs
    worker.on('message', (msg: WorkerMessage) => this.onMessage(msg));
    worker.on('error', (err) => {
      if (!this.retired.has(worker)) this.onFailure(err);
    });
    worker.on('exit', (code) => {
      if (!this.closed && !this.retired.has(worker))
        this.onFailure(new Error(`nonce worker exited with code ${code}`));
    });
    return worker;
  }

  private onMessage(msg: WorkerMessage): void {
    if (msg.type === 'failed') {
      this.onFailure(new Error(`nonce worker failed to start: ${msg.message}`));
    } else if (msg.type === 'done') {
      const job = this.active;
      if (!job || job.id !== msg.id) return; // a late report from an aborted search
      if (msg.hit) job.hits.push(msg.hit);
      if (--job.pending === 0) job.finish();
    }
  }

  private onFailure(err: Error): void {
    if (this.failure || this.closed) return;
    this.failure = err;
    this.active?.fail(err);
  }

  /**
   * Searches the nonce space of `header` (80 bytes) for a double-SHA-256 <= `target` (32 bytes,
   * big-endian). Resolves with the lowest such nonce, or null when the range is exhausted or
   * `signal` aborts (then within about one chunk's time). Searches run one at a time.
   */
  search(header: Uint8Array, target: Uint8Array, opts: SearchOptions = {}): Promise<SearchOutcome> {
    const { start, count } = checkSearch(header, target, opts.range);
    // Copy now: the caller may reuse its buffers while the search waits its turn.
    const job = { header: header.slice(), target: target.slice(), start, count };
    let started = false;
    const run = this.queue.then(() => {
      started = true;
      return this.runJob(job, opts);
    });
    this.queue = run.catch(() => undefined);
    const { signal } = opts;
    if (!signal || signal.aborted) return run;
    // An abort while waiting behind another search answers at once; the queued job then sees
    // the aborted signal and does nothing. Once started, runJob answers the abort itself.
    let onAbort = () => {};
    const aborted = new Promise<SearchOutcome>((resolve) => {
      onAbort = () => {
        if (!started) resolve({ nonce: null, hashes: 0 });
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    // Callers may reuse one signal for many searches: do not leave a listener per search on it.
    const removeListener = () => signal.removeEventListener('abort', onAbort);
    run.then(removeListener, removeListener);
    return Promise.race([run, aborted]);
  }

  private async runJob(
    input: { header: Uint8Array; target: Uint8Array; start: number; count: number },
    opts: SearchOptions,
  ): Promise<SearchOutcome> {
    if (this.closed) throw new Error('NonceSearcher is closed');
    if (this.failure) throw this.failure;
    const { signal, onProgress } = opts;
    if (signal?.aborted || input.count === 0) return { nonce: null, hashes: 0 };

    this.ensureWorkers();
    const memory = new SharedArrayBuffer(JOB_MEMORY_BYTES);
    const control = new Int32Array(memory, 0, HASHES_OFFSET / 4);
    const hashesDone = new BigInt64Array(memory, HASHES_OFFSET, 1);
    control[CONTROL.FIRST_HIT] = NO_HIT;
    const jobHashes = () => Number(Atomics.load(hashesDone, 0));

    const { promise, resolve, reject } = Promise.withResolvers<'done' | 'aborted'>();
    const job: ActiveJob = {
      id: this.nextJobId++,
      memory,
      pending: this.workers.length,
      hits: [],
      finish: () => resolve('done'),
      fail: reject,
    };
    const message: JobMessage = { type: 'job', id: job.id, ...input, chunkSize: this.chunkSize, memory };
    const onAbort = () => {
      Atomics.store(control, CONTROL.STOP, 1);
      resolve('aborted');
    };

    let reported = 0;
    const report = () => {
      const hashes = jobHashes();
      this.sample(this.finishedHashes + hashes);
      if (onProgress && hashes !== reported) {
        reported = hashes;
        onProgress(hashes);
      }
    };

    this.active = job;
    this.sample(this.finishedHashes);
    for (const worker of this.workers) {
      worker.ref();
      worker.postMessage(message);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const ticker = setInterval(report, PROGRESS_INTERVAL_MS);
    ticker.unref();
    try {
      const how = await promise;
      report();
      const hashes = jobHashes();
      if (how === 'aborted') return { nonce: null, hashes };
      const first = job.hits.reduce<{ chunk: number; nonce: number } | null>(
        (best, hit) => (best === null || hit.chunk < best.chunk ? hit : best),
        null,
      );
      return { nonce: first?.nonce ?? null, hashes };
    } finally {
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
      // On abort the workers may still be finishing a chunk; record what they did so far.
      this.finishedHashes += jobHashes();
      this.active = null;
      for (const worker of this.workers) worker.unref();
    }
  }

  private sample(total: number): void {
    const now = performance.now();
    this.samples.push({ t: now, total });
    while (this.samples.length > 1 && this.samples[0].t < now - RATE_WINDOW_MS) this.samples.shift();
  }

  /** Hashes per second over the last few seconds (0 when idle that long). */
  hashRate(): number {
    const now = performance.now();
    const current =
      this.finishedHashes +
      (this.active ? Number(Atomics.load(new BigInt64Array(this.active.memory, HASHES_OFFSET, 1), 0)) : 0);
    const base = this.samples.find((s) => s.t >= now - RATE_WINDOW_MS);
    if (!base || now - base.t < 50) return 0;
    return ((current - base.total) * 1000) / (now - base.t);
  }

  /** Stops the workers; pending and later searches reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.active?.fail(new Error('NonceSearcher closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
