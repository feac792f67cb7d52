// The browser node's nonce search: the node's JS PoW kernel in Web Workers, one chunk of nonces per
// message. The page hands out chunks in order, at most two in flight per worker so that none waits on
// a busy main thread, and gives the same answer as a serial scan: the lowest matching nonce of the range.
// No SharedArrayBuffer (it needs a cross-origin isolated page, which the node's web app is not): an
// abort stops handing out chunks, and the ones in flight (about 30 ms each) finish and are dropped.

import { NONCE_SPACE } from '../../../src/miner/kernels/scan-args.js';
import { checkSearch, checkThreads, MAX_THREADS } from '../../../src/miner/nonce-protocol.js';
import type { NonceSource, SearchOptions, SearchOutcome } from '../../../src/miner/nonce-search.js';

/** One chunk for a worker to scan. */
export interface ChunkRequest {
  readonly job: number;
  readonly chunk: number;
  readonly header: Uint8Array;
  readonly target: Uint8Array;
  readonly start: number;
  readonly count: number;
}

/** A worker's answer for one chunk. */
export interface ChunkResult {
  readonly job: number;
  readonly chunk: number;
  readonly nonce: number | null;
  readonly hashes: number;
  readonly error?: string;
}

export interface WorkerNonceSearcherOptions {
  /** Workers; default navigator.hardwareConcurrency − 1, at least 1 (the page keeps a core). */
  readonly threads?: number;
  /** Nonces per chunk: 2^15 is about 30 ms of the JS kernel, which bounds the abort's delay. */
  readonly chunkSize?: number;
  /** Makes a worker (tests and benches may pass their own); default the bundled nonce-worker.ts. */
  readonly createWorker?: () => Worker;
}

const IN_FLIGHT_PER_WORKER = 2;
const PROGRESS_INTERVAL_MS = 100;
const RATE_WINDOW_MS = 5_000;

interface Slot {
  readonly worker: Worker;
  busy: number;
}

interface Job {
  readonly id: number;
  readonly header: Uint8Array;
  readonly target: Uint8Array;
  readonly start: number;
  readonly count: number;
  readonly chunks: number;
  nextChunk: number;
  /** Lowest chunk with a hit so far, and its nonce. */
  hitChunk: number;
  hitNonce: number | null;
  /** Chunks handed out and not answered. */
  readonly inFlight: Set<number>;
  hashes: number;
  stopped: boolean;
  settle: (outcome: SearchOutcome | Error) => void;
  progress: () => void;
}

export function defaultThreads(): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.min(MAX_THREADS, Math.max(1, cores - 1));
}

const bundledWorker = (): Worker =>
  new Worker(new URL('./nonce-worker.ts', import.meta.url), { type: 'module', name: 'hashline-nonces' });

export class WorkerNonceSearcher implements NonceSource {
  private wanted: number;
  private readonly chunkSize: number;
  private readonly createWorker: () => Worker;
  private readonly slots: Slot[] = [];
  private active: Job | null = null;
  private nextJobId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Every hash the workers reported (aborted jobs' too: they were done), sampled for hashRate(). */
  private totalHashes = 0;
  private samples: { t: number; total: number }[] = [];

  constructor(opts: WorkerNonceSearcherOptions = {}) {
    this.wanted = checkThreads(opts.threads ?? defaultThreads());
    this.chunkSize = opts.chunkSize ?? 2 ** 15;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1 || this.chunkSize > NONCE_SPACE)
      throw new RangeError('chunkSize must be an integer in 1..2^32');
    this.createWorker = opts.createWorker ?? bundledWorker;
  }

  get threads(): number {
    return this.wanted;
  }

  /** Workers alive now: 0 before the first search. */
  get liveWorkers(): number {
    return this.slots.length;
  }

  /** Hashes the workers have reported since start, aborted searches' included. */
  get hashesDone(): number {
    return this.totalHashes;
  }

  /** Starts the workers now rather than at the first search: a page loads their script from its server,
   * which may be gone by the time a block is wanted (a class's teacher stopped, a laptop offline). */
  warmUp(): void {
    if (!this.closed) this.ensureWorkers();
  }

  /** The next search starts or stops workers to match; one under way keeps its own. */
  setThreads(threads: number): void {
    this.wanted = checkThreads(threads);
  }

  /**
   * Searches `header`'s nonces for a double SHA-256 at or below `target` (32 bytes, big-endian): the
   * lowest such nonce of the range, or null when the range is used up or `signal` aborts. One at a time.
   */
  search(header: Uint8Array, target: Uint8Array, opts: SearchOptions = {}): Promise<SearchOutcome> {
    const { start, count } = checkSearch(header, target, opts.range);
    const input = { header: header.slice(), target: target.slice(), start, count };
    const run = this.queue.then(() => this.runJob(input, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private runJob(
    input: { header: Uint8Array; target: Uint8Array; start: number; count: number },
    opts: SearchOptions,
  ): Promise<SearchOutcome> {
    if (this.closed) return Promise.reject(new Error('WorkerNonceSearcher is closed'));
    const { signal, onProgress } = opts;
    if (signal?.aborted || input.count === 0) return Promise.resolve({ nonce: null, hashes: 0 });
    this.ensureWorkers();
    return new Promise<SearchOutcome>((resolve, reject) => {
      let lastProgress = performance.now();
      let reported = -1;
      const report = (force: boolean) => {
        const now = performance.now();
        if (!onProgress || job.hashes === reported || (!force && now - lastProgress < PROGRESS_INTERVAL_MS))
          return;
        lastProgress = now;
        reported = job.hashes;
        onProgress(job.hashes);
      };
      const onAbort = () => this.finish(job, { nonce: null, hashes: job.hashes });
      const job: Job = {
        id: this.nextJobId++,
        ...input,
        chunks: Math.ceil(input.count / this.chunkSize),
        nextChunk: 0,
        hitChunk: Number.POSITIVE_INFINITY,
        hitNonce: null,
        inFlight: new Set(),
        hashes: 0,
        stopped: false,
        settle: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          if (outcome instanceof Error) return reject(outcome);
          report(true);
          resolve(outcome);
        },
        progress: () => report(false),
      };
      this.active = job;
      this.sample();
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const slot of this.slots) this.feed(slot);
    });
  }

  /** Hands `slot` the next chunks of the active job, up to IN_FLIGHT_PER_WORKER in its queue. */
  private feed(slot: Slot): void {
    const job = this.active;
    if (!job || job.stopped) return;
    while (slot.busy < IN_FLIGHT_PER_WORKER && job.nextChunk < job.chunks && job.nextChunk < job.hitChunk) {
      const chunk = job.nextChunk++;
      const offset = chunk * this.chunkSize;
      const request: ChunkRequest = {
        job: job.id,
        chunk,
        header: job.header,
        target: job.target,
        start: job.start + offset,
        count: Math.min(this.chunkSize, job.count - offset),
      };
      job.inFlight.add(chunk);
      slot.busy++;
      slot.worker.postMessage(request);
    }
  }

  private onResult(slot: Slot, result: ChunkResult): void {
    slot.busy--;
    this.totalHashes += result.hashes;
    this.sample();
    const job = this.active;
    if (!job || job.id !== result.job || job.stopped) {
      this.feed(slot); // a late answer of an aborted search: the worker is free for this one
      return;
    }
    if (result.error) {
      this.finish(job, new Error(`nonce worker: ${result.error}`));
      return;
    }
    job.inFlight.delete(result.chunk);
    job.hashes += result.hashes;
    if (result.nonce !== null && result.chunk < job.hitChunk) {
      job.hitChunk = result.chunk;
      job.hitNonce = result.nonce;
    }
    job.progress();
    // Done when nothing below the best hit is left to scan or waiting for an answer.
    const pendingBelowHit = [...job.inFlight].some((c) => c < job.hitChunk);
    const moreToHandOut = job.nextChunk < job.chunks && job.nextChunk < job.hitChunk;
    if (!pendingBelowHit && !moreToHandOut) {
      this.finish(job, { nonce: job.hitNonce, hashes: job.hashes });
      return;
    }
    this.feed(slot);
  }

  private finish(job: Job, outcome: SearchOutcome | Error): void {
    if (job.stopped) return;
    job.stopped = true;
    if (this.active === job) this.active = null;
    job.settle(outcome);
  }

  private ensureWorkers(): void {
    while (this.slots.length > this.wanted) this.slots.pop()!.worker.terminate();
    while (this.slots.length < this.wanted) this.slots.push(this.startWorker());
  }

  private startWorker(): Slot {
    const slot: Slot = { worker: this.createWorker(), busy: 0 };
    slot.worker.onmessage = (e: MessageEvent<ChunkResult>) => this.onResult(slot, e.data);
    // A worker that fails to load or crashes is dropped; the search fails and the next one makes a new one.
    slot.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      slot.worker.terminate();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (this.active)
        this.finish(this.active, new Error(`nonce worker failed: ${e.message || 'load error'}`));
    };
    return slot;
  }

  private sample(): void {
    const now = performance.now();
    this.samples.push({ t: now, total: this.totalHashes });
    while (this.samples.length > 1 && this.samples[0]!.t < now - RATE_WINDOW_MS) this.samples.shift();
  }

  /** Hashes per second over the last few seconds (0 when idle that long). */
  hashRate(): number {
    const now = performance.now();
    const base = this.samples.find((s) => s.t >= now - RATE_WINDOW_MS);
    if (!base || now - base.t < 50) return 0;
    return ((this.totalHashes - base.total) * 1000) / (now - base.t);
  }

  /** Stops the workers; a search under way and later ones reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.active) this.finish(this.active, new Error('WorkerNonceSearcher closed'));
    for (const slot of this.slots.splice(0)) slot.worker.terminate();
  }
}
