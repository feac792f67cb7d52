// The spending-policy vectors of docs/protocol.md ("Test vectors", "Spending policies"), checked against
// the policy module and the Ed25519 keys they name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex, RuleError, sha256, toHex } from '../../../src/core/index.js';
import {
  checkWitness,
  decodePolicy,
  encodePolicy,
  parsePolicy,
  policyHash,
  policyText,
  satisfy,
} from '../../../src/core/policy/index.js';
import { keyPairFromPrivate, sign, verify } from '../../../src/crypto/ed25519.js';

interface PolicyVectors {
  keys: { name: string; seed: string; publicKey: string }[];
  preimage: string;
  hash: string;
  fragments: { fragment: string; text: string; encoding: string; hash: string }[];
  example: {
    text: string;
    encoding: string;
    hash: string;
    message: string;
    witnesses: {
      spend: string;
      witness: string;
      lockTime: number;
      sequence: number;
      signatures?: { publicKey: string; signature: string }[];
      error?: string;
    }[];
  };
}

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
const start = doc.indexOf('\n### Spending policies\n', doc.indexOf('\n## Test vectors\n'));
const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(start));
if (start < 0 || !block) throw new Error('docs/protocol.md has no spending-policy vectors');
const v = (JSON.parse(block[1]!) as { policies: PolicyVectors }).policies;

describe('docs/protocol.md spending-policy vectors', () => {
  it('keys come from their seeds; the hash is SHA-256 of the preimage', () => {
    expect(v.keys.map((k) => k.name)).toEqual(['A', 'B', 'C']);
    for (const k of v.keys) expect(toHex(keyPairFromPrivate(fromHex(k.seed)).publicKey)).toBe(k.publicKey);
    expect(toHex(sha256(fromHex(v.preimage)))).toBe(v.hash);
  });

  it('one vector per fragment', () => {
    expect(v.fragments.map((f) => f.fragment)).toEqual([
      'pk',
      'multi',
      'after',
      'older',
      'sha256',
      'and',
      'or',
      'thresh',
    ]);
  });

  it.each(v.fragments.map((f) => [f.fragment, f] as const))('%s: text, encoding and hash', (_name, f) => {
    const tree = parsePolicy(f.text);
    expect(tree.type).toBe(f.fragment);
    expect(toHex(encodePolicy(tree))).toBe(f.encoding);
    expect(policyText(decodePolicy(fromHex(f.encoding)))).toBe(f.text);
    expect(toHex(policyHash(fromHex(f.encoding)))).toBe(f.hash);
  });

  it('the nested example: text, encoding and hash', () => {
    const e = v.example;
    expect(toHex(encodePolicy(parsePolicy(e.text)))).toBe(e.encoding);
    expect(policyText(decodePolicy(fromHex(e.encoding)))).toBe(e.text);
    expect(toHex(policyHash(fromHex(e.encoding)))).toBe(e.hash);
    expect(e.message).toBe(toHex(sha256(new TextEncoder().encode('hashline policy vector'))));
  });

  it.each(v.example.witnesses.map((w) => [w.spend, w] as const))('witness: %s', (_spend, w) => {
    const policy = decodePolicy(fromHex(v.example.encoding));
    const fields = { lockTime: w.lockTime, sequence: w.sequence };
    let outcome: { signatures: { publicKey: string; signature: string }[] } | { error: string };
    try {
      const check = checkWitness(policy, fromHex(w.witness), fields);
      outcome = {
        signatures: check.signatures.map((s) => ({
          publicKey: toHex(s.publicKey),
          signature: toHex(s.signature),
        })),
      };
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      outcome = { error: e.code };
    }
    expect(outcome).toEqual(w.error ? { error: w.error } : { signatures: w.signatures });
    for (const s of w.signatures ?? []) {
      const pair = v.keys.find((k) => k.publicKey === s.publicKey)!;
      expect(verify(fromHex(s.publicKey), fromHex(v.example.message), fromHex(s.signature))).toBe(true);
      expect(toHex(sign(fromHex(v.example.message), fromHex(pair.seed)))).toBe(s.signature);
    }
  });

  it('the satisfier builds each accepted witness from the signer of its branch', () => {
    const policy = parsePolicy(v.example.text);
    for (const w of v.example.witnesses.filter((x) => x.signatures)) {
      const signer = w.signatures![0]!;
      const built = satisfy(policy, {
        lockTime: w.lockTime,
        sequence: w.sequence,
        signature: (key) => (toHex(key) === signer.publicKey ? fromHex(signer.signature) : undefined),
        preimage: () => undefined,
      });
      expect(built && toHex(built)).toBe(w.witness);
    }
  });
});
