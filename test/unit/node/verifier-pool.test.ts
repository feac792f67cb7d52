// SignatureVerifierPool: checks go to the workers in chunks they take as they go; a call resolves to
// the index of its first failing check, whichever worker verified which chunk.
import { afterAll, describe, expect, it } from 'vitest';
import { SIGNATURE_CHUNK } from '../../../src/chain/connect.js';
import type { SigCheck } from '../../../src/core/validation.js';
import { keyPairFromPrivate, sign } from '../../../src/crypto/ed25519.js';
import { SignatureVerifierPool } from '../../../src/node/verifier.js';

function checks(count: number, badAt: readonly number[] = []): SigCheck[] {
  const key = keyPairFromPrivate(new Uint8Array(32).fill(7));
  return Array.from({ length: count }, (_, i) => {
    const message = new Uint8Array(32).fill(i % 251);
    const signature = sign(message, key.privateKey);
    if (badAt.includes(i)) signature[5]! ^= 1;
    return { publicKey: key.publicKey, message, signature, txIndex: i, inputIndex: 0 };
  });
}

describe('SignatureVerifierPool', () => {
  const pool = new SignatureVerifierPool({ threads: 2 });
  afterAll(() => pool.close());
  const valid = checks(300);
  const withBad = checks(300, [290, 77, 201]);

  it('verifies on the workers', async () => {
    expect(await pool.verify(valid)).toBe(-1);
    expect(await pool.verify(withBad)).toBe(77);
  });

  it('answers calls queued together, each with its own first failing index', async () => {
    const calls = [pool.verify(withBad), pool.verify(valid), pool.verify(checks(100, [99, 40]))];
    expect(await Promise.all(calls)).toEqual([77, -1, 40]);
  });

  it('as the chain verifier, says its checks run in parallel', async () => {
    const verifier = pool.asChainVerifier();
    expect(verifier.inParallel).toBe(true);
    expect(await verifier(withBad)).toBe(77);
    const inline = new SignatureVerifierPool({ threads: 0 }).asChainVerifier();
    expect(inline.inParallel).toBe(false);
  });

  it("spreads one block's checks over every worker", async () => {
    const fresh = new SignatureVerifierPool({ threads: 2 });
    try {
      fresh.start();
      expect(fresh.chunksPerWorker()).toEqual([0, 0]);
      // 100 checks used to make four chunks of 32 that all went to the first worker.
      expect(await fresh.verify(checks(100, [63]))).toBe(63);
      expect(fresh.chunksPerWorker()).toEqual([2, 2]);
      expect(await fresh.verify(checks(40))).toBe(-1);
      expect(fresh.chunksPerWorker()).toEqual([3, 3]);
    } finally {
      await fresh.close();
    }
  });

  it('sends the chunks a connecting block hands over to the workers, split between them', async () => {
    const fresh = new SignatureVerifierPool({ threads: 2 });
    try {
      fresh.start();
      expect(await fresh.verify(checks(SIGNATURE_CHUNK, [SIGNATURE_CHUNK - 1]))).toBe(SIGNATURE_CHUNK - 1);
      expect(fresh.chunksPerWorker()).toEqual([1, 1]);
    } finally {
      await fresh.close();
    }
  });

  it('with no worker threads, verifies on the calling thread', async () => {
    const inline = new SignatureVerifierPool({ threads: 0 });
    expect(await inline.verify(withBad)).toBe(77);
    await inline.close();
  });
});
