// Page of bench/browser-node.ts: the browser node's chain on IndexedDB (browser-level) importing blocks
// one Chain.processBlock at a time with the browser verifier, and the tab's hash rate on Web Workers.
// The bench drives it through `window.bench` (page.evaluate).
import { Chain } from '../../src/chain/chain.js';
import type { SigCheck } from '../../src/core/connect-rules.js';
import { NETWORKS } from '../../src/core/params.js';
import { generateKeyPair, sign, verify as verifyNoble } from '../../src/crypto/ed25519.js';
import { openBrowserStore } from '../../web/src/node/browser-store.js';
import { defaultThreads, WorkerNonceSearcher } from '../../web/src/node/nonce-workers.js';
import { batchVerifier, createBrowserVerifier } from '../../web/src/node/verifier.js';

/** Blocks of the file the bench serves: each a u32 (little-endian) length, then the block's bytes. */
async function fetchBlocks(url: string): Promise<Uint8Array[]> {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const view = new DataView(bytes.buffer);
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = view.getUint32(at, true);
    // A copy, not a view: IndexedDB stores a view's whole underlying buffer (structured clone), so a view
    // into this file would store the file once per block.
    blocks.push(bytes.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return blocks;
}

async function storageUsage(): Promise<number> {
  return (await navigator.storage.estimate()).usage ?? 0;
}

/** Imports the served blocks into a fresh IndexedDB database; what it took and what IndexedDB holds after. */
async function importBlocks(url: string, dbName: string, skipSignatures = false) {
  const blocks = await fetchBlocks(url);
  const usageBefore = await storageUsage();
  // The browser node's own store opener (it copies views before IndexedDB keeps them).
  const store = await openBrowserStore(dbName);
  const verifier = await createBrowserVerifier();
  const verifySignatures = skipSignatures ? async () => -1 : verifier.verify;
  const chain = await Chain.open({ store, params: NETWORKS.dev, verifySignatures });
  const started = performance.now();
  for (const [i, block] of blocks.entries()) {
    const r = await chain.processBlock(block);
    if (r.status !== 'connected') throw new Error(`block ${i + 1}: ${r.status} ${r.error?.code ?? ''}`);
  }
  const importMs = performance.now() - started;
  await chain.indexer.caughtUp();
  const indexedMs = performance.now() - started;
  const height = chain.height;
  await store.close();
  return {
    blocks: blocks.length,
    height,
    importMs,
    indexedMs,
    verifier: verifier.name,
    usageBefore,
    usageAfter: await storageUsage(),
  };
}

/** Hashes per second of `threads` workers (default the node's: cores − 1) over `seconds`. */
async function hashRate(seconds: number, threads = defaultThreads()) {
  const searcher = new WorkerNonceSearcher({ threads });
  try {
    const header = new Uint8Array(80).map((_, i) => i);
    // Warm up: start the workers and compile the kernel.
    await searcher.search(header, new Uint8Array(32), { range: { start: 0, count: 2 ** 16 } });
    const abort = new AbortController();
    const before = searcher.hashesDone;
    const started = performance.now();
    const running = searcher.search(header, new Uint8Array(32), { signal: abort.signal });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    // Chunks answered so far: the ones in flight now (about 30 ms each) count for neither end.
    const hashes = searcher.hashesDone - before;
    const ms = performance.now() - started;
    abort.abort();
    await running;
    return { threads, rate: (hashes * 1000) / ms, cores: navigator.hardwareConcurrency };
  } finally {
    searcher.close();
  }
}

/** Verifies/s of the browser verifier and of @noble/curves alone, batches of 64 honest signatures. */
async function verifyRates(seconds: number) {
  const checks: SigCheck[] = Array.from({ length: 64 }, (_, i) => {
    const key = generateKeyPair();
    const message = crypto.getRandomValues(new Uint8Array(32));
    return {
      publicKey: key.publicKey,
      message,
      signature: sign(message, key.privateKey),
      txIndex: i,
      inputIndex: 0,
    };
  });
  const noble = batchVerifier(async (k, m, s) => verifyNoble(k, m, s));
  const browser = (await createBrowserVerifier()).verify;
  const rate = async (run: typeof noble) => {
    let done = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      if ((await run(checks)) !== -1) throw new Error('an honest signature was refused');
      done += checks.length;
    }
    return (done * 1000) / (performance.now() - started);
  };
  return { browser: await rate(browser), noble: await rate(noble) };
}

const bench = { importBlocks, hashRate, verifyRates };
(window as unknown as { bench: typeof bench }).bench = bench;
document.title = 'ready';
