// A verifier worker loads the kind its process chose, alone: each kind answers the rule's probes as
// the rule does, and the node's choice names its kind.
import { describe, expect, it } from 'vitest';
import { nodeVerifier, probeDisagreement } from '../../../src/crypto/ed25519-node.js';
import { loadVerifierOfKind, type VerifierKind } from '../../../src/crypto/ed25519-of-kind.js';

describe('loadVerifierOfKind', () => {
  it.each(['libsodium', 'node:crypto', 'noble'] as VerifierKind[])(
    '%s answers every rule probe as the rule does',
    async (kind) => {
      expect(probeDisagreement(await loadVerifierOfKind(kind))).toBeNull();
    },
  );

  it("the node's verifier says which kind it is", () => {
    expect(nodeVerifier.kind).toBe(nodeVerifier.name.startsWith('libsodium') ? 'libsodium' : 'node:crypto');
  });
});
