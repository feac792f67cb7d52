// SHA-256 from @noble/hashes: the same code runs in the node and in the browser (the learn page).
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export const sha256 = (data: Uint8Array): Uint8Array => nobleSha256(data);

/** Double SHA-256, Bitcoin's hash for headers, txids and Merkle nodes. */
export const sha256d = (data: Uint8Array): Uint8Array => nobleSha256(nobleSha256(data));
