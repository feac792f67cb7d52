// The browser node's verifier (web/src/node/verifier.ts) on Node's own WebCrypto, and its fallbacks;
// test/e2e/browser-node-parts.test.ts runs the same vectors in Chromium.
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SigCheck } from '../../../src/core/connect-rules.js';
import { createBrowserVerifier } from '../../../web/src/node/verifier.js';
import { signatureVectors } from '../crypto/ed25519-vectors.js';

const vectors = signatureVectors();
const checks: SigCheck[] = vectors.map((v, i) => ({ ...v, txIndex: i, inputIndex: 0 }));
const subtle = webcrypto.subtle as unknown as SubtleCrypto;

async function verdicts(verify: (c: readonly SigCheck[]) => Promise<number>): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const c of checks) out.push((await verify([c])) === -1);
  return out;
}

describe('browser verifier', () => {
  it('takes WebCrypto when it answers the rule probes, and gives the rule’s verdict on every vector', async () => {
    const v = await createBrowserVerifier(subtle);
    expect(v.name).toBe('WebCrypto Ed25519');
    expect(await verdicts(v.verify)).toEqual(vectors.map((x) => x.valid));
  });

  it('answers the index of the first refused check of a batch, or -1', async () => {
    const v = await createBrowserVerifier(subtle);
    const valid = checks.filter((_, i) => vectors[i]!.valid);
    const invalid = checks.find((_, i) => !vectors[i]!.valid)!;
    expect(await v.verify(valid)).toBe(-1);
    // Past the first slice of concurrent checks, so the index is counted across slices.
    const batch = [...valid, ...valid, ...valid, ...valid, ...valid, ...valid, ...valid, invalid, valid[0]!];
    expect(await v.verify(batch)).toBe(batch.length - 2);
    expect(await v.verify([])).toBe(-1);
  });

  it('falls back to noble without WebCrypto, or with one that lacks Ed25519', async () => {
    const none = await createBrowserVerifier(null);
    expect(none.name).toBe('@noble/curves (no WebCrypto)');
    const lacking = {
      importKey: async () => {
        throw new DOMException('Unrecognized name.', 'NotSupportedError');
      },
      verify: async () => true,
    } as unknown as SubtleCrypto;
    const v = await createBrowserVerifier(lacking);
    expect(v.name).toMatch(/^@noble\/curves \(WebCrypto Ed25519 failed: Unrecognized name\.\)$/);
    expect(await verdicts(v.verify)).toEqual(vectors.map((x) => x.valid));
  });

  it('passes over a WebCrypto that accepts what the rule refuses', async () => {
    const lax = {
      importKey: subtle.importKey.bind(subtle),
      verify: async () => true,
    } as unknown as SubtleCrypto;
    const v = await createBrowserVerifier(lax);
    expect(v.name).toMatch(/^@noble\/curves \(WebCrypto answers the rule probe ".+" differently\)$/);
  });
});
