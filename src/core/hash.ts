// SHA-256. By default from @noble/hashes: the same code runs in the node and in the browser (the learn
// pages). A node may install a faster implementation of the same function with setSha256(), as
// @noble/ed25519 lets its caller set sha512: the digest is the same by definition, and an
// implementation that gets the test vectors wrong is refused at install.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { toHex } from './bytes.js';

export type Sha256 = (data: Uint8Array) => Uint8Array;

let implementation: Sha256 = nobleSha256;
let double: Sha256 = (data) => nobleSha256(nobleSha256(data));
let implementationName = '@noble/hashes';

export const sha256 = (data: Uint8Array): Uint8Array => implementation(data);

/** Double SHA-256, Bitcoin's hash for headers, txids and Merkle nodes. */
export const sha256d = (data: Uint8Array): Uint8Array => double(data);

/** Which SHA-256 is in use. */
export const sha256Name = (): string => implementationName;

// FIPS 180-2 vectors ("abc", and 56 bytes that take two blocks), a 0-byte input, and a view with an
// offset into a larger buffer (native bindings must hash the view, not its whole buffer).
const VECTORS: Array<[Uint8Array, string]> = [
  [new TextEncoder().encode('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  [new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  [
    new TextEncoder().encode('xxabcxx').subarray(2, 5),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  ],
];

/**
 * Installs `fn` (and `fnDouble`, its double SHA-256) as the hashes of every core function; throws,
 * keeping the ones in use, if either gets a vector wrong.
 */
export function setSha256(fn: Sha256, name: string, fnDouble: Sha256 = (d) => fn(fn(d))): void {
  for (const [input, digest] of VECTORS) {
    const once = fn(input);
    const twice = fnDouble(input);
    if (!(once instanceof Uint8Array) || once.length !== 32 || toHex(once) !== digest) {
      throw new Error(`${name} does not compute SHA-256 (test vector of ${input.length} bytes)`);
    }
    if (!(twice instanceof Uint8Array) || toHex(twice) !== toHex(nobleSha256(nobleSha256(input)))) {
      throw new Error(`${name} does not compute double SHA-256 (test vector of ${input.length} bytes)`);
    }
  }
  implementation = fn;
  double = fnDouble;
  implementationName = name;
}
