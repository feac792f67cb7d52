// Loads the native proof-of-work addon built from native/ (see native/build.mjs).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PowKernel, ScanResult } from '../pow-kernel.js';
import { checkScanArgs, HEADER_BYTES } from './scan-args.js';

/** What native/src/pow.c exports. */
interface PowAddon {
  abiVersion: number;
  /** Returns the first nonce in start..start+count-1 whose double SHA-256 <= target, or -1. */
  scan(header: Uint8Array, target: Uint8Array, start: number, count: number): number;
}

/** Must match the abiVersion in native/src/pow.c; a stale build with another interface is ignored. */
const EXPECTED_ABI = 1;
const ADDON_PATH = ['native', 'build', 'Release', 'hashline_pow.node'];

/**
 * The addon lives under the package root, which is two directories above this module both when it
 * runs from src/miner/kernels/*.ts and from dist/miner/kernels/*.js; walking up also tolerates other layouts.
 */
export function findNativeAddon(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(dir, ...ADDON_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

function sha256d(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(createHash('sha256').update(bytes).digest()).digest();
}

/** Checks the addon's hashing and comparison against node:crypto before trusting it with mining. */
function selfTest(addon: PowAddon): void {
  const header = new Uint8Array(HEADER_BYTES).map((_, i) => (i * 7 + 3) & 0xff);
  const nonce = 0x01020304;
  new DataView(header.buffer).setUint32(76, nonce, true);
  const hash = sha256d(header);
  const below = Buffer.from(hash);
  for (let i = below.length - 1; i >= 0; i--) {
    // hash - 1, big-endian; a hash of all zeros cannot occur in practice
    if (below[i]-- !== 0) break;
  }
  const exact = addon.scan(header, hash, nonce, 1);
  const tooHard = addon.scan(header, below, nonce, 1);
  if (exact !== nonce || tooHard !== -1) {
    throw new Error('native proof-of-work addon disagrees with node:crypto');
  }
}

let loaded: { kernel: PowKernel } | { error: Error } | undefined;

/** The native kernel; throws an Error saying why when the addon is missing, stale or broken. */
export function loadNativeKernel(): PowKernel {
  loaded ??= tryLoad();
  if ('error' in loaded) throw loaded.error;
  return loaded.kernel;
}

function tryLoad(): { kernel: PowKernel } | { error: Error } {
  const file = findNativeAddon();
  if (!file) {
    return { error: new Error('native addon not built (run `npm run build:native`)') };
  }
  try {
    const addon = createRequire(import.meta.url)(file) as PowAddon;
    if (addon.abiVersion !== EXPECTED_ABI || typeof addon.scan !== 'function') {
      throw new Error(`stale native addon at ${file} (rebuild with \`npm run build:native\`)`);
    }
    selfTest(addon);
    return { kernel: wrap(addon) };
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)) };
  }
}

function wrap(addon: PowAddon): PowKernel {
  return {
    name: 'native',
    scan(header, target, startNonce, count): ScanResult {
      const n = checkScanArgs(header, target, startNonce, count);
      if (n === 0) return { nonce: null, hashes: 0 };
      // The addon copies both buffers before scanning.
      const found = addon.scan(header, target, startNonce, n);
      return found < 0 ? { nonce: null, hashes: n } : { nonce: found, hashes: found - startNonce + 1 };
    },
  };
}
