import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreatePeerKey } from '../../../src/p2p/key-file.js';
import { generatePeerKey, parsePeerKey, peerIdOf, serializePeerKey } from '../../../src/p2p/keys.js';
import { FakeChain } from './fake-chain.js';
import { Nodes } from './helpers.js';

const nodes = new Nodes();
const dirs: string[] = [];
afterEach(async () => {
  await nodes.stopAll();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('peer keys', () => {
  it('serializes and parses a key without changing the peer id', async () => {
    const key = await generatePeerKey();
    const again = parsePeerKey(serializePeerKey(key));
    expect(peerIdOf(again)).toBe(peerIdOf(key));
    expect(peerIdOf(key)).toMatch(/^12D3KooW/);
  });

  it('keeps the peer id across restarts when the key is persisted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hashline-p2p-'));
    dirs.push(dir);
    const file = join(dir, 'p2p.key');
    const key = await loadOrCreatePeerKey(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const reloaded = await loadOrCreatePeerKey(file);
    expect(peerIdOf(reloaded)).toBe(peerIdOf(key));
    expect((await readFile(file, 'utf8')).trim()).toMatch(/^[0-9a-f]+$/);

    const first = await nodes.start(new FakeChain(), { privateKey: key });
    expect(first.peerId).toBe(peerIdOf(key));
    await first.stop();
    const second = await nodes.start(new FakeChain(), { privateKey: serializePeerKey(reloaded) });
    expect(second.peerId).toBe(peerIdOf(key));
    expect(second.addrs()[0]).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${second.peerId}$`));
  });
});
