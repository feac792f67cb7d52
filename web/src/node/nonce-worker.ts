// Web Worker of WorkerNonceSearcher: scans one chunk of nonces per message with the JS PoW kernel (the
// node's own, src/miner/kernels/js-kernel.ts) and answers with the first hit and the hashes done.
import { createJsKernel } from '../../../src/miner/kernels/js-kernel.js';
import type { ChunkRequest, ChunkResult } from './nonce-workers.js';

const kernel = createJsKernel();
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ChunkRequest>) => void) | null;
  postMessage(message: ChunkResult): void;
};

scope.onmessage = (e) => {
  const { job, chunk, header, target, start, count } = e.data;
  try {
    const { nonce, hashes } = kernel.scan(header, target, start, count);
    scope.postMessage({ job, chunk, nonce, hashes });
  } catch (err) {
    scope.postMessage({ job, chunk, nonce: null, hashes: 0, error: (err as Error).message });
  }
};
