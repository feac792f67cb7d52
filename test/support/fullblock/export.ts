// Writes the full-block table as JSON vectors any implementation can replay:
//   npx tsx test/support/fullblock/export.ts [out.json]   (default test-artifacts/fullblock-vectors.json;
//   the time-warp table goes next to it, as fullblock-timewarp-vectors.json)
// Each instance carries the exact block bytes to submit, in order, and the expected outcome.
import '../../../src/polyfill.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { blockHashHex, genesisBlock, type NetworkParams, toHex } from '../../../src/core/index.js';
import { FULLBLOCK_NOW, FULLBLOCK_PARAMS, instanceBytes, type TestInstance } from './generator.js';
import { fullBlockTests } from './table.js';
import { TIMEWARP_PARAMS, timeWarpTests } from './timewarp.js';

export type VectorInstance =
  | { kind: 'accept'; name: string; block: string; hash: string; expectTip?: string }
  | { kind: 'reject'; name: string; block: string; hash: string; code: string; malleated: boolean }
  | { kind: 'orphan'; name: string; block: string; hash: string }
  | { kind: 'tip'; name: string; hash: string };

export interface FullBlockVectors {
  readonly description: string;
  /** The network: regtest with coinbase maturity 3 (retargeting every 10 blocks for the time-warp
   * table). Amounts and targets are decimal strings. */
  readonly params: Record<string, unknown>;
  /** Seconds since the epoch: the clock the node under test must use. */
  readonly now: number;
  readonly genesisHash: string;
  readonly instances: readonly VectorInstance[];
}

export function fullBlockVectors(
  network: NetworkParams = FULLBLOCK_PARAMS,
  tests: readonly TestInstance[] = fullBlockTests(),
): FullBlockVectors {
  const params = JSON.parse(
    JSON.stringify(network, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as Record<string, unknown>;
  const instances = tests.map((t): VectorInstance => {
    if (t.kind === 'tip') return { kind: 'tip', name: t.name, hash: t.hash };
    const base = { name: t.name, block: toHex(instanceBytes(t)), hash: blockHashHex(t.block) };
    if (t.kind === 'reject') return { kind: 'reject', ...base, code: t.code, malleated: t.malleated };
    if (t.kind === 'orphan') return { kind: 'orphan', ...base };
    return { kind: 'accept', ...base, ...(t.expectTip ? { expectTip: t.expectTip } : {}) };
  });
  return {
    description:
      'Hashline full-block consensus vectors: submit each block (hex of the bytes) in order to a fresh node ' +
      'on these params with the clock at `now`. accept: stored (main or side chain), then the tip is ' +
      'expectTip; reject: invalid with rule `code`, and when `malleated` the hash is not condemned ' +
      '(a corrupted copy: the same block may still be accepted); orphan: held until its parent arrives; tip: the tip is `hash`.',
    params,
    now: FULLBLOCK_NOW,
    genesisHash: blockHashHex(genesisBlock(network)),
    instances,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? 'test-artifacts/fullblock-vectors.json');
  const timeWarpOut = resolve(dirname(out), 'fullblock-timewarp-vectors.json');
  mkdirSync(dirname(out), { recursive: true });
  for (const [file, vectors] of [
    [out, fullBlockVectors()],
    [timeWarpOut, fullBlockVectors(TIMEWARP_PARAMS, timeWarpTests())],
  ] as const) {
    writeFileSync(file, `${JSON.stringify(vectors, null, 1)}\n`);
    console.log(`wrote ${vectors.instances.length} instances to ${file}`);
  }
}
