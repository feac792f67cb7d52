// The page's stand-in for src/crypto/sha256-native.ts: the browser keeps @noble/hashes' SHA-256.
import { sha256Name } from '../../../src/core/hash.js';

export const installNativeSha256 = (): string => sha256Name();
