// Worker thread of NonceSearcher: scans chunks of a job's nonce range with a PoW kernel.
import '../polyfill.js';
import { parentPort, workerData } from 'node:worker_threads';
import {
  CONTROL,
  HASHES_OFFSET,
  type JobMessage,
  type WorkerInit,
  type WorkerMessage,
} from './nonce-protocol.js';
import { jsPowKernel, nativePowKernel, type PowKernel } from './pow-kernel.js';

const port = parentPort;
if (!port) throw new Error('nonce-worker must run as a worker thread');

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

/** Claims chunks until the range is used up, the job is stopped, or an earlier chunk had a hit. */
function runJob(kernel: PowKernel, job: JobMessage): void {
  const control = new Int32Array(job.memory, 0, HASHES_OFFSET / 4);
  const hashes = new BigInt64Array(job.memory, HASHES_OFFSET, 1);
  const chunks = Math.ceil(job.count / job.chunkSize);
  let hit: { chunk: number; nonce: number } | null = null;
  for (;;) {
    if (Atomics.load(control, CONTROL.STOP) !== 0) break;
    const chunk = Atomics.add(control, CONTROL.NEXT_CHUNK, 1);
    if (chunk >= chunks || chunk > Atomics.load(control, CONTROL.FIRST_HIT)) break;
    const offset = chunk * job.chunkSize;
    const result = kernel.scan(
      job.header,
      job.target,
      job.start + offset,
      Math.min(job.chunkSize, job.count - offset),
    );
    Atomics.add(hashes, 0, BigInt(result.hashes));
    if (result.nonce !== null) {
      hit = { chunk, nonce: result.nonce };
      // Lower FIRST_HIT to this chunk unless another worker already found an earlier one.
      let current = Atomics.load(control, CONTROL.FIRST_HIT);
      while (chunk < current) {
        const seen = Atomics.compareExchange(control, CONTROL.FIRST_HIT, current, chunk);
        if (seen === current) break;
        current = seen;
      }
      break;
    }
  }
  post({ type: 'done', id: job.id, hit });
}

function start(): void {
  const init = workerData as WorkerInit;
  let kernel: PowKernel;
  try {
    kernel = init.kernel === 'native' ? nativePowKernel() : jsPowKernel();
  } catch (err) {
    post({ type: 'failed', message: (err as Error).message });
    return;
  }
  port!.on('message', (job: JobMessage) => runJob(kernel, job));
  post({ type: 'ready', kernel: kernel.name });
}

start();
