// What `hashline classroom` keeps in its data dir (the teacher's key, the network id, one libp2p key for
// every network) and the join link it prints (src/classroom/README.md, "Join link").
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import encodeQR from 'qr';
import { afterAll, describe, expect, it } from 'vitest';
import {
  classNetworkId,
  joinUrl,
  loadOrCreateTeacherKey,
  networkDataDir,
  teacherWsAddr,
  terminalQr,
} from '../../../src/cli/classroom-setup.js';
import { toHex } from '../../../src/core/bytes.js';
import { tempDir } from '../../support/chain-fixture.js';

const dir = tempDir('hashline-classroom-setup-');
afterAll(() => dir.cleanup());

describe('the classroom data dir', () => {
  it("creates the teacher's key once, readable by its owner only, and loads the same key after", () => {
    const a = loadOrCreateTeacherKey(dir.path);
    expect(statSync(join(dir.path, 'class-key')).mode & 0o777).toBe(0o600);
    const b = loadOrCreateTeacherKey(dir.path);
    expect(toHex(b.publicKey)).toBe(toHex(a.publicKey));
    expect(a.publicKey.length).toBe(32);
  });

  it('keeps the network id, so a restart resumes the class; an asked id replaces it; a bad one is refused', () => {
    const first = classNetworkId(dir.path);
    expect(first).toMatch(/^class-[0-9a-f]{8}$/);
    expect(classNetworkId(dir.path)).toBe(first);
    expect(classNetworkId(dir.path, 'class-00ff00ff')).toBe('class-00ff00ff');
    expect(classNetworkId(dir.path)).toBe('class-00ff00ff');
    expect(() => classNetworkId(dir.path, 'Class 7')).toThrow(/--network-id/);
  });

  it('gives every network dir the same libp2p key (the join link names one peer id)', async () => {
    const one = await networkDataDir(dir.path, 'class-00000001');
    const two = await networkDataDir(dir.path, 'class-00000002');
    expect(readFileSync(join(one, 'p2p-key'), 'utf8')).toBe(readFileSync(join(two, 'p2p-key'), 'utf8'));
    expect(readFileSync(join(one, 'p2p-key'), 'utf8')).toBe(readFileSync(join(dir.path, 'p2p-key'), 'utf8'));
  });
});

describe('the join link', () => {
  it('names the network, the key and the WebSockets multiaddr with the peer id, URL-encoded', () => {
    const key = new Uint8Array(32).fill(0xab);
    const peer = teacherWsAddr('192.168.1.20', 5002, '12D3KooWPeer');
    expect(peer).toBe('/ip4/192.168.1.20/tcp/5002/ws/p2p/12D3KooWPeer');
    expect(teacherWsAddr('teacher.lan', 5002, 'P')).toBe('/dns4/teacher.lan/tcp/5002/ws/p2p/P');
    const url = joinUrl({
      publicHost: '192.168.1.20',
      port: 5000,
      networkId: 'class-1a2b3c4d',
      teacherKey: key,
      peer,
    });
    expect(url.startsWith('http://192.168.1.20:5000/#/join?')).toBe(true);
    const query = new URLSearchParams(url.split('?')[1]);
    expect(query.get('net')).toBe('class-1a2b3c4d');
    expect(query.get('key')).toBe('ab'.repeat(32));
    expect(query.get('peer')).toBe(peer);
  });
});

describe('the terminal QR code', () => {
  it('draws every module of the code, two rows a line, in about 60 columns for a join link', () => {
    const link = `http://192.168.100.200:5000/#/join?net=class-1a2b3c4d&key=${'ab'.repeat(32)}&peer=${'x'.repeat(120)}`;
    const grid = encodeQR(link, 'raw', { ecc: 'low', border: 2 });
    const lines = terminalQr(link)
      .split('\n')
      .map((l) => [...l.replaceAll('\x1b[30;47m', '').replaceAll('\x1b[0m', '')]);
    expect(lines.length).toBe(Math.ceil(grid.length / 2));
    expect(lines[0]!.length).toBeLessThanOrEqual(70);
    const dark = (c: string) => [c === '█' || c === '▀', c === '█' || c === '▄'];
    lines.forEach((line, y) => {
      line.forEach((c, x) => {
        const [top, bottom] = dark(c);
        expect(top).toBe(grid[2 * y]![x]);
        expect(bottom).toBe(grid[2 * y + 1]?.[x] ?? false);
      });
    });
  });
});
