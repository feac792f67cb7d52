// The full node's peer key file (a browser node keeps its key in the store instead).
import { readFile, writeFile } from 'node:fs/promises';
import { generatePeerKey, type PeerKey, parsePeerKey, serializePeerKey } from './keys.js';

/** Reads the key stored (hex) at `path`, or creates one there (mode 0600). */
export async function loadOrCreatePeerKey(path: string): Promise<PeerKey> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return parsePeerKey(Buffer.from(text, 'hex'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = await generatePeerKey();
  await writeFile(path, `${Buffer.from(serializePeerKey(key)).toString('hex')}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return key;
}
