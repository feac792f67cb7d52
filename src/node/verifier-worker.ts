// Worker thread of SignatureVerifierPool.
import '../polyfill.js';
import { parentPort } from 'node:worker_threads';
import { verifyPacked } from './verifier.js';

parentPort!.on('message', (msg: { id: number; packed: Uint8Array }) => {
  parentPort!.postMessage({ id: msg.id, bad: verifyPacked(msg.packed) });
});
