// Randomness and byte helpers that run in Node and in a browser alike (node:crypto and Buffer are
// Node's only): Web Crypto's getRandomValues (Node 20 has it too), TextEncoder, base64 and hex.
import { base64 } from '@scure/base';

/** `count` random bytes from the platform's CSPRNG. */
export function randomBytes(count: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(count));
}

export const utf8 = new TextEncoder();

/** The first four bytes, big-endian, as an unsigned number. */
export function readU32(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
}

export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Throws on text that is not canonical base64. */
export function fromBase64(text: string): Uint8Array {
  return base64.decode(text);
}
