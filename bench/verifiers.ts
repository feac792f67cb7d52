// Ed25519 verifiers side by side, each against node:crypto measured in the same run: the bare libraries
// and the project's verifiers that wrap them to meet the acceptance rule (docs/protocol.md), on one
// core, then the node's SignatureVerifierPool on 2 threads against its own verifier on one.
//
//   node --import tsx bench/verifiers.ts
//
// Best of ROUNDS, the verifiers taking turns (0.3 s each; noble's two only in the first 3 rounds).
import '../src/polyfill.js';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { SigCheck } from '../src/core/validation.js';
import { verify as verifyWallet } from '../src/crypto/ed25519.js';
import { nodeVerifier, verifyNode, verifyOpenSsl } from '../src/crypto/ed25519-node.js';
import { loadSodiumVerifier } from '../src/crypto/ed25519-sodium.js';
import { SignatureVerifierPool } from '../src/node/verifier.js';
import { formatNumber, progress, type Row, rateFor, runAsScript } from './lib/report.js';
import { type SignedCase, signedCases } from './lib/spend-chain.js';

const ROUNDS = 5;
const POOL_CHECKS = 2_000;

const jwk = (publicKey: Uint8Array) =>
  createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });

interface Verifier {
  name: string;
  check: (c: SignedCase, i: number) => boolean;
  note: string;
  slow?: boolean;
}

function verifiers(all: readonly SignedCase[]): Verifier[] {
  const prepared = all.map((c) => jwk(c.publicKey));
  const list: Verifier[] = [
    {
      name: 'node:crypto, key imported per call (JWK)',
      check: (c) => cryptoVerify(null, c.message, jwk(c.publicKey), c.signature),
      note: 'baseline: bare OpenSSL (accepts weak keys, so not a verifier of the rule alone)',
    },
    {
      name: 'node:crypto, keys imported beforehand',
      check: (c, i) => cryptoVerify(null, c.message, prepared[i]!, c.signature),
      note: 'reference: the signature check alone',
    },
    {
      name: 'verifyOpenSsl (rule: weak-key check + node:crypto)',
      check: (c) => verifyOpenSsl(c.publicKey, c.message, c.signature),
      note: "the node's fallback",
    },
  ];
  try {
    const sodium = createRequire(import.meta.url)('sodium-native') as {
      crypto_sign_verify_detached(s: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean;
    };
    const rule = loadSodiumVerifier();
    list.push(
      {
        name: 'libsodium, bare crypto_sign_verify_detached',
        check: (c) => sodium.crypto_sign_verify_detached(c.signature, c.message, c.publicKey),
        note: 'refuses every small-order R, which the rule accepts when the equation holds',
      },
      {
        name: `libsodium with the rule (${rule.name})`,
        check: (c) => rule.verify(c.publicKey, c.message, c.signature),
        note: 'small-order R sent to verifyOpenSsl',
      },
    );
  } catch (e) {
    progress(`libsodium skipped: ${(e as Error).message.split('\n')[0]}`);
  }
  list.push(
    {
      name: "verifyNode (the node's verifier)",
      check: (c) => verifyNode(c.publicKey, c.message, c.signature),
      note: `selected: ${nodeVerifier.name}${nodeVerifier.skipped.length ? `; skipped ${nodeVerifier.skipped.join('; ')}` : ''}`,
    },
    {
      name: '@noble/curves, bare ed25519.verify (zip215: false)',
      check: (c) => ed25519.verify(c.signature, c.message, c.publicKey, { zip215: false }),
      note: 'cofactored: accepts R with a small-order component; best of 3',
      slow: true,
    },
    {
      name: "wallet verify (rule on noble's point arithmetic)",
      check: (c) => verifyWallet(c.publicKey, c.message, c.signature),
      note: 'the browser path and last fallback; best of 3',
      slow: true,
    },
  );
  return list;
}

function rate(all: readonly SignedCase[], check: Verifier['check']): number {
  return rateFor(0.3, () => {
    for (let i = 0; i < all.length; i++) if (!check(all[i]!, i)) throw new Error('a valid signature failed');
    return all.length;
  });
}

async function poolRate(pool: SignatureVerifierPool, checks: readonly SigCheck[]): Promise<number> {
  const start = performance.now();
  const bad = await pool.verify(checks);
  if (bad !== -1) throw new Error('a valid signature failed in the pool');
  return checks.length / ((performance.now() - start) / 1000);
}

export async function runVerifierBench(): Promise<Row[]> {
  const all = signedCases();
  const list = verifiers(all);
  const best = new Map(list.map((v) => [v.name, 0]));
  const pool = new SignatureVerifierPool({ threads: 2 });
  const checks: SigCheck[] = Array.from({ length: POOL_CHECKS }, (_, i) => ({
    ...all[i % all.length]!,
    txIndex: i,
    inputIndex: 0,
  }));
  let pooled = 0;
  try {
    await pool.verify(checks); // starts the workers
    for (let round = 0; round < ROUNDS; round++) {
      progress(`verifiers: round ${round + 1} of ${ROUNDS}`);
      for (const v of list) {
        if (v.slow && round >= 3) continue;
        best.set(v.name, Math.max(best.get(v.name)!, rate(all, v.check)));
      }
      pooled = Math.max(pooled, await poolRate(pool, checks));
    }
  } finally {
    await pool.close();
  }
  const base = best.get(list[0]!.name)!;
  const baseline = `${formatNumber(base)} verifies/s (node:crypto, JWK import per call)`;
  const rows: Row[] = list.map((v, i) => ({
    name: `Ed25519 verifies/s, ${v.name}, 1 core`,
    value: best.get(v.name)!,
    unit: 'verifies/s',
    ...(i === 0 ? {} : { baseline, ratio: best.get(v.name)! / base }),
    note: `${v.note}${i === 0 ? `; best of ${ROUNDS}, taking turns` : ''}`,
  }));
  const node = best.get("verifyNode (the node's verifier)")!;
  rows.push({
    name: `Ed25519 verifies/s, SignatureVerifierPool 2 threads, ${formatNumber(POOL_CHECKS)} checks a call`,
    value: pooled,
    unit: 'verifies/s',
    baseline: `${formatNumber(node)} verifies/s (verifyNode, 1 core)`,
    ratio: pooled / node,
    note: `no batch verification: no conformant one exists (batch equations are cofactored); best of ${ROUNDS}`,
  });
  return rows;
}

await runAsScript(import.meta.url, 'verifiers', runVerifierBench);
