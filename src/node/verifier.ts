// Ed25519 verification spread over worker threads: a block full of transactions is verified on every core.
// Each thread verifies with the node's verifier (verifyNode: libsodium when it loads, else node:crypto).
// No batch verification: batch equations are cofactored, the rule is not (docs/protocol.md).
// Checks are packed as 128-byte records (packed-checks.ts) so that a batch crosses to a worker as one
// buffer.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { SignatureVerifier } from '../chain/connect.js';
import type { SigCheck } from '../core/validation.js';
import { nodeVerifier, verifyNode } from '../crypto/ed25519-node.js';
import { createWorker } from '../util/worker.js';
import { packChecks, verifyPackedWith } from './packed-checks.js';

/**
 * Below this many checks, the round trip to a worker costs more than it saves. A connecting block hands
 * its checks over in chunks of as many (SIGNATURE_CHUNK in src/chain/connect.ts).
 */
const MIN_PARALLEL = 32;

/** Index of the first record that fails the node's verifier, or -1. */
export function verifyPacked(packed: Uint8Array): number {
  return verifyPackedWith(verifyNode, packed);
}

/** One verify() call: resolved once all its chunks are verified, with the lowest failing index. */
interface Job {
  remaining: number;
  bad: number;
  readonly resolve: (bad: number) => void;
  readonly reject: (e: Error) => void;
}

/** Checks of one job, packed for a worker. */
interface Chunk {
  readonly packed: Uint8Array;
  /** Index of the chunk's first check in its job. */
  readonly offset: number;
  readonly job: Job;
}

/** Checks per chunk: small enough to balance the threads, big enough that messages cost little. */
const CHUNK_CHECKS = 32;
/** Chunks sent ahead to each worker, so that it never waits for the next one. */
const AHEAD = 4;

/**
 * Verifies signature checks on worker threads. Work is queued in chunks that each worker takes as it
 * goes (a few ahead), so a worker never waits for the main thread to split the next block.
 */
export class SignatureVerifierPool {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  /** Chunks each worker has verified or holds, since start (how evenly work spreads). */
  private readonly taken: number[] = [];
  private readonly sent = new Map<number, Chunk>();
  private readonly queue: Chunk[] = [];
  private nextId = 1;
  /** Worker threads (0: every check on the calling thread). */
  readonly threads: number;
  /** The Ed25519 library in use (every worker chooses the same: same binary, same environment). */
  readonly implementation: string = nodeVerifier.name;
  /** Why faster libraries were passed over, if any. */
  readonly skipped: readonly string[] = nodeVerifier.skipped;

  constructor(opts: { threads?: number } = {}) {
    this.threads = Math.max(0, opts.threads ?? availableParallelism());
  }

  /**
   * Starts the worker threads now rather than on the first large block, which would otherwise wait
   * for them (100–200 ms on a busy machine).
   */
  start(): void {
    if (this.threads > 0) this.ensureWorkers();
  }

  /** Chunks handed to each worker so far. */
  chunksPerWorker(): readonly number[] {
    return [...this.taken];
  }

  private ensureWorkers(): void {
    if (this.workers.length > 0) return;
    for (let i = 0; i < this.threads; i++) {
      // The worker loads the verifier this process chose, and only that one.
      const w = createWorker(new URL('./verifier-worker.js', import.meta.url), {
        workerData: { kind: nodeVerifier.kind },
      });
      w.unref();
      w.on('message', (msg: { id: number; bad: number }) => {
        const chunk = this.sent.get(msg.id);
        this.sent.delete(msg.id);
        this.inFlight[i]!--;
        if (chunk) this.finish(chunk, msg.bad);
        this.pump();
      });
      w.on('error', (e) => this.failAll(e));
      this.workers.push(w);
      this.inFlight.push(0);
      this.taken.push(0);
    }
  }

  /** Resolves to the index of the first failing check, or -1 when all verify. */
  verify(checks: readonly SigCheck[]): Promise<number> {
    if (checks.length < MIN_PARALLEL || this.threads === 0) {
      return Promise.resolve(verifyPacked(packChecks(checks)));
    }
    this.ensureWorkers();
    return new Promise<number>((resolve, reject) => {
      // Every worker gets a share of a small job too (a 40-check block: two chunks of 20, not 32 + 8).
      const size = Math.min(CHUNK_CHECKS, Math.ceil(checks.length / this.threads));
      const job: Job = { remaining: Math.ceil(checks.length / size), bad: -1, resolve, reject };
      for (let offset = 0; offset < checks.length; offset += size) {
        this.queue.push({ packed: packChecks(checks.slice(offset, offset + size)), offset, job });
      }
      this.pump();
    });
  }

  /** This pool as the chain's verifier. */
  asChainVerifier(): SignatureVerifier {
    return Object.assign((checks: readonly SigCheck[]) => this.verify(checks), {
      inParallel: this.threads > 0,
    });
  }

  /** Hands queued chunks to the least busy worker, one at a time, so a job spreads over all of them. */
  private pump(): void {
    while (this.queue.length > 0) {
      let w = -1;
      for (let i = 0; i < this.workers.length; i++) {
        if (this.inFlight[i]! < AHEAD && (w < 0 || this.inFlight[i]! < this.inFlight[w]!)) w = i;
      }
      if (w < 0) return;
      const chunk = this.queue.shift()!;
      const id = this.nextId++;
      this.sent.set(id, chunk);
      this.inFlight[w]!++;
      this.taken[w]!++;
      this.workers[w]!.postMessage({ id, packed: chunk.packed }, [chunk.packed.buffer as ArrayBuffer]);
    }
  }

  private finish(chunk: Chunk, bad: number): void {
    const { job } = chunk;
    if (bad >= 0) {
      const index = chunk.offset + bad;
      job.bad = job.bad < 0 ? index : Math.min(job.bad, index);
    }
    if (--job.remaining === 0) job.resolve(job.bad);
  }

  private failAll(e: Error): void {
    const jobs = new Set<Job>([...this.sent.values(), ...this.queue].map((c) => c.job));
    this.sent.clear();
    this.queue.length = 0;
    for (const job of jobs) job.reject(e);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.inFlight.length = 0;
    this.taken.length = 0;
  }
}
