// What `hashline classroom` keeps in its data dir, and the join link it prints.
//   <data-dir>/class-key    the teacher's Ed25519 private key (hex, 0600): students trust states it signs
//   <data-dir>/network-id   the class's current network id: a restart resumes the class
//   <data-dir>/p2p-key      the node's libp2p key, copied into each network's dir: one peer id throughout
//   <data-dir>/<network id>/  that network's node data dir (chain, wallet, cookie)
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import encodeQR from 'qr';
import { fromHex, toHex } from '../core/bytes.js';
import { networkIdProblem } from '../core/network-id.js';
import { keyPairFromPrivate } from '../crypto/ed25519.js';
import { loadOrCreatePeerKey } from '../p2p/index.js';

export interface TeacherKey {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** A fresh class network id: `class-` and 8 random hex digits. */
export const newClassNetworkId = (): string => `class-${randomBytes(4).toString('hex')}`;

/** The teacher's key from `<data-dir>/class-key`, created (mode 0600) on first use. */
export function loadOrCreateTeacherKey(dataDir: string): TeacherKey {
  const path = join(dataDir, 'class-key');
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} is not a 32-byte Ed25519 key in hex`);
    const pair = keyPairFromPrivate(fromHex(hex));
    return { publicKey: pair.publicKey, privateKey: pair.privateKey };
  }
  const privateKey = new Uint8Array(randomBytes(32));
  writeFileSync(path, `${toHex(privateKey)}\n`, { mode: 0o600, flag: 'wx' });
  return { publicKey: keyPairFromPrivate(privateKey).publicKey, privateKey };
}

/** The network id to run: the one asked for, else the one kept, else a new one; kept for the next start. */
export function classNetworkId(dataDir: string, asked?: string): string {
  const path = join(dataDir, 'network-id');
  const kept = existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
  const id = asked ?? kept ?? newClassNetworkId();
  const problem = networkIdProblem(id);
  if (problem) throw new Error(asked === undefined ? `${path}: ${problem}` : `--network-id: ${problem}`);
  saveClassNetworkId(dataDir, id);
  return id;
}

export function saveClassNetworkId(dataDir: string, id: string): void {
  writeFileSync(join(dataDir, 'network-id'), `${id}\n`, { mode: 0o600 });
}

/**
 * The node data dir of network `id`, with the class's libp2p key in it: the teacher's peer id, and so
 * the join link's `peer`, stay the same when the class moves to a new network.
 */
export async function networkDataDir(dataDir: string, id: string): Promise<string> {
  const master = join(dataDir, 'p2p-key');
  await loadOrCreatePeerKey(master);
  const dir = join(dataDir, id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(join(dir, 'p2p-key'))) copyFileSync(master, join(dir, 'p2p-key'));
  return dir;
}

/** The first non-internal IPv4 address of this machine, else loopback. */
export function defaultPublicHost(): string {
  for (const addrs of Object.values(networkInterfaces()))
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

/** `/ip4/…`, `/ip6/…` or `/dns4/…` for a host name or address. */
function hostProtocol(host: string): string {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return `/ip4/${host}`;
  if (host.includes(':')) return `/ip6/${host.replace(/^\[|\]$/g, '')}`;
  return `/dns4/${host}`;
}

/** The teacher node's WebSockets multiaddr as students dial it. */
export const teacherWsAddr = (publicHost: string, wsPort: number, peerId: string): string =>
  `${hostProtocol(publicHost)}/tcp/${wsPort}/ws/p2p/${peerId}`;

const urlHost = (host: string) => (host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]` : host);

/** src/classroom/README.md, "Join link". */
export function joinUrl(o: {
  publicHost: string;
  port: number;
  networkId: string;
  teacherKey: Uint8Array;
  peer: string;
}): string {
  const query = `net=${encodeURIComponent(o.networkId)}&key=${toHex(o.teacherKey)}&peer=${encodeURIComponent(o.peer)}`;
  return `http://${urlHost(o.publicHost)}:${o.port}/#/join?${query}`;
}

/** The teacher's dashboard, with the operator token (the page keeps it for the tab and hides it). */
export const dashboardUrl = (host: string, port: number, token: string): string =>
  `http://${urlHost(host)}:${port}/#/class?token=${token}`;

/**
 * `text` as a QR code for a terminal, two modules a character (half blocks), black on white whatever
 * the terminal's colours: a join link fits in about 60 columns and 30 lines, where the `qr` package's
 * own terminal form takes two columns a module.
 */
export function terminalQr(text: string): string {
  const grid = encodeQR(text, 'raw', { ecc: 'low', border: 2 });
  const lines: string[] = [];
  for (let y = 0; y < grid.length; y += 2) {
    const top = grid[y] ?? [];
    const bottom = grid[y + 1] ?? [];
    let line = '';
    for (let x = 0; x < top.length; x++) {
      const t = top[x] === true;
      const b = bottom[x] === true;
      line += t && b ? '█' : t ? '▀' : b ? '▄' : ' ';
    }
    lines.push(`\x1b[30;47m${line}\x1b[0m`);
  }
  return lines.join('\n');
}
