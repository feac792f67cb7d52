// Ed25519 verification spread over worker threads: a block full of transactions is verified on every core.
// Each thread verifies with the node's verifier (verifyNode: libsodium when it loads, else node:crypto).
// No batch verification: batch equations are cofactored, the rule is not (docs/protocol.md).
// Checks are packed as 128-byte records (public key 32 | message 32 | signature 64) so a batch crosses
// to a worker as one buffer.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { SigCheck } from '../core/validation.js';
import { nodeVerifier, verifyNode } from '../crypto/ed25519-node.js';
import { createWorker } from '../util/worker.js';

export const CHECK_SIZE = 128;
/** Below this many checks, the round trip to a worker costs more than it saves. */
const MIN_PARALLEL = 32;

export function packChecks(checks: readonly SigCheck[]): Uint8Array {
  const out = new Uint8Array(checks.length * CHECK_SIZE);
  checks.forEach((c, i) => {
    if (c.publicKey.length !== 32 || c.message.length !== 32 || c.signature.length !== 64) {
      throw new RangeError('signature checks must have 32-byte keys and messages and 64-byte signatures');
    }
    out.set(c.publicKey, i * CHECK_SIZE);
    out.set(c.message, i * CHECK_SIZE + 32);
    out.set(c.signature, i * CHECK_SIZE + 64);
  });
  return out;
}

/** Index of the first record that fails, or -1. */
export function verifyPacked(packed: Uint8Array): number {
  for (let i = 0; i * CHECK_SIZE < packed.length; i++) {
    const o = i * CHECK_SIZE;
    if (
      !verifyNode(
        packed.subarray(o, o + 32),
        packed.subarray(o + 32, o + 64),
        packed.subarray(o + 64, o + 128),
      )
    ) {
      return i;
    }
  }
  return -1;
}

interface Pending {
  resolve: (bad: number) => void;
  reject: (e: Error) => void;
}

export class SignatureVerifierPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  readonly threads: number;
  /** The Ed25519 library in use (every worker chooses the same: same binary, same environment). */
  readonly implementation: string = nodeVerifier.name;
  /** Why faster libraries were passed over, if any. */
  readonly skipped: readonly string[] = nodeVerifier.skipped;

  constructor(opts: { threads?: number } = {}) {
    this.threads = opts.threads ?? availableParallelism();
  }

  private ensureWorkers(): void {
    if (this.workers.length > 0 || this.threads < 2) return;
    for (let i = 0; i < this.threads; i++) {
      const w = createWorker(new URL('./verifier-worker.js', import.meta.url));
      w.unref();
      w.on('message', (msg: { id: number; bad: number }) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg.bad);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  /** Resolves to the index of the first failing check, or -1 when all verify. */
  async verify(checks: readonly SigCheck[]): Promise<number> {
    if (checks.length < MIN_PARALLEL || this.threads < 2) return verifyPacked(packChecks(checks));
    this.ensureWorkers();
    const per = Math.ceil(checks.length / this.workers.length);
    const parts: Promise<number>[] = [];
    for (let w = 0; w * per < checks.length; w++) {
      const slice = checks.slice(w * per, (w + 1) * per);
      const packed = packChecks(slice);
      const id = this.nextId++;
      parts.push(
        new Promise<number>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          this.workers[w]!.postMessage({ id, packed }, [packed.buffer as ArrayBuffer]);
        }).then((bad) => (bad < 0 ? -1 : w * per + bad)),
      );
    }
    const results = await Promise.all(parts);
    return results.find((r) => r >= 0) ?? -1;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
