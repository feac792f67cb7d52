// SignatureVerifierPool: checks go to the workers in chunks they take as they go, and the calling
// thread may verify what is still queued (help) while it waits; either way a call resolves to the
// index of its first failing check.
import { afterAll, describe, expect, it } from 'vitest';
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

  it('verifies on the workers alone', async () => {
    expect(await pool.verify(valid)).toBe(-1);
    expect(await pool.verify(withBad)).toBe(77);
  });

  it('gives the same answers when the calling thread helps, for calls queued together', async () => {
    const calls = [pool.verify(withBad), pool.verify(valid), pool.verify(checks(100, [99]))];
    let slices = 0;
    while (pool.help(1) && slices < 10_000) slices++;
    // The workers hold only a few chunks each: the rest waited in the queue for this thread.
    expect(slices).toBeGreaterThan(0);
    expect(pool.help(1)).toBe(false);
    expect(await Promise.all(calls)).toEqual([77, -1, 99]);
  });

  it('as the chain verifier, offers help with a time budget', async () => {
    const verifier = pool.asChainVerifier();
    const pending = verifier(withBad);
    expect(typeof verifier.help).toBe('function');
    while (verifier.help?.(5)) await new Promise((r) => setImmediate(r));
    expect(await pending).toBe(77);
  });

  it('with no worker threads, verifies on the calling thread', async () => {
    const inline = new SignatureVerifierPool({ threads: 0 });
    expect(await inline.verify(withBad)).toBe(77);
    expect(inline.help(1)).toBe(false);
    await inline.close();
  });
});
