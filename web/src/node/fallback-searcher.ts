// A nonce searcher on the page's own thread, for when Web Workers are not wired in: the JS kernel in
// small chunks, yielding to the event loop between them so the page and the network keep running.
// It offers what the Miner asks of a searcher (search, hashRate, threads, setThreads).
import { createJsKernel } from '../../../src/miner/kernels/js-kernel.js';
import type { SearchOptions, SearchOutcome } from '../../../src/miner/nonce-search.js';

/** Nonces per chunk: a few milliseconds of hashing between two turns of the event loop. */
const CHUNK = 2 ** 12;
const NONCE_SPACE = 2 ** 32;
const RATE_WINDOW_MS = 5_000;

export class FallbackSearcher {
  private readonly kernel = createJsKernel();
  private samples: { t: number; hashes: number }[] = [];
  private total = 0;

  /** One thread, whatever is asked: this searcher runs on the page's. */
  get threads(): number {
    return 1;
  }

  setThreads(_threads: number): void {}

  hashRate(): number {
    const now = performance.now();
    this.samples = this.samples.filter((s) => now - s.t <= RATE_WINDOW_MS);
    const first = this.samples[0];
    if (!first || now - first.t < 200) return 0;
    return ((this.total - first.hashes) * 1000) / (now - first.t);
  }

  async search(header: Uint8Array, target: Uint8Array, opts: SearchOptions = {}): Promise<SearchOutcome> {
    const start = opts.range?.start ?? 0;
    const end = Math.min(start + (opts.range?.count ?? NONCE_SPACE), NONCE_SPACE);
    let hashes = 0;
    for (let nonce = start; nonce < end; nonce += CHUNK) {
      if (opts.signal?.aborted) break;
      const result = this.kernel.scan(header, target, nonce, Math.min(CHUNK, end - nonce));
      hashes += result.hashes;
      this.total += result.hashes;
      const now = performance.now();
      this.samples.push({ t: now, hashes: this.total });
      while (this.samples.length > 0 && now - this.samples[0]!.t > RATE_WINDOW_MS) this.samples.shift();
      if (result.nonce !== null) {
        opts.onProgress?.(hashes);
        return { nonce: result.nonce, hashes };
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    opts.onProgress?.(hashes);
    return { nonce: null, hashes };
  }
}
