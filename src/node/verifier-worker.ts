// Worker thread of SignatureVerifierPool: verifies packed checks with the verifier its process chose
// (workerData.kind), loaded alone (src/crypto/ed25519-of-kind.ts).
import '../polyfill.js';
import { parentPort, workerData } from 'node:worker_threads';
import { loadVerifierOfKind, type VerifierKind } from '../crypto/ed25519-of-kind.js';
import { verifyPackedWith } from './packed-checks.js';

const verify = await loadVerifierOfKind((workerData as { kind: VerifierKind }).kind);
// Messages sent while the verifier loaded wait in the port until this listener is attached.
parentPort!.on('message', (msg: { id: number; packed: Uint8Array }) => {
  parentPort!.postMessage({ id: msg.id, bad: verifyPackedWith(verify, msg.packed) });
});
