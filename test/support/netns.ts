// Separate hosts on one Linux machine: network namespaces, each with its own private address, joined by
// bridges in the root namespace, and Hashline nodes (or the hostile peer) running inside them. Needs root.
//
//   const reason = netnsUnavailable();          // undefined, or why namespaces cannot be made here
//   const lab = NetLab.create({ groups: 2 });   // two bridges joined by a trunk link
//   const host = lab.addHost(0);                // a namespace on bridge 0 with its own 10.77.S.x address
//   const node = await startNsNode(host, { peers: [first.multiaddr] });
//   lab.setLink(host, false);                   // its cable pulled
//   lab.setTrunk(false);                        // the two bridges split
//   await cleanupNetns();                       // kills what was started here, deletes every namespace/link
//
// Addressing: every host has a /24 in 10.77.S.0 (S picked per lab, unused on this machine). The root
// namespace holds 10.77.S.126/25 on bridge 0 and 10.77.S.254/25 on bridge 1, so this process reaches every
// host directly, on either side of a split; hosts are numbered .1-.125 on bridge 0 and .129-.253 on bridge 1.
// Each node listens on its own address, HTTP on NODE_HTTP_PORT and libp2p on NODE_P2P_PORT.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const HASHLINE_BIN = join(ROOT, 'bin', 'hashline.js');
export const NODE_HTTP_PORT = 18080;
export const NODE_P2P_PORT = 18081;

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API
export type Json = any;

const ip = (args: readonly string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
const quietly = (args: readonly string[]) => {
  try {
    ip(args);
  } catch {
    // already gone
  }
};

/** Why namespaces cannot be used here (not Linux, no `ip`, not root…), or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  const probe = `hlprobe${process.pid}`;
  try {
    ip(['netns', 'add', probe]);
    ip(['-n', probe, 'link', 'set', 'lo', 'up']);
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return `\`ip netns add\` failed: ${(err.stderr?.toString() || err.message).trim()}`;
  } finally {
    quietly(['netns', 'del', probe]);
  }
  return undefined;
}

export interface Host {
  /** Namespace name. */
  readonly ns: string;
  readonly ip: string;
  /** Which bridge its link is on (0 or 1). */
  readonly group: number;
  /** The root-namespace end of its veth pair: the cable `setLink` pulls. */
  readonly link: string;
}

const labs = new Set<NetLab>();

export class NetLab {
  readonly hosts: Host[] = [];
  private readonly made = { ns: [] as string[], links: [] as string[] };
  private readonly next = [1, 129];

  private constructor(
    readonly subnet: number,
    readonly groups: number,
  ) {}

  /** Bridges (one per group, joined by a trunk when there are two) with the root namespace's addresses. */
  static create(opts: { groups?: 1 | 2 } = {}): NetLab {
    const used = ip(['-o', 'addr']).toString() + ip(['-o', 'link']).toString();
    for (let attempt = 0; attempt < 20; attempt++) {
      const s = 1 + Math.floor(Math.random() * 250);
      if (used.includes(`10.77.${s}.`) || used.includes(`hl${s}b`)) continue;
      const lab = new NetLab(s, opts.groups ?? 1);
      labs.add(lab);
      try {
        lab.build();
        return lab;
      } catch (e) {
        lab.destroy();
        if (attempt >= 3) throw e;
      }
    }
    throw new Error('no free 10.77.S.0/24 subnet');
  }

  private name(suffix: string): string {
    return `hl${this.subnet}${suffix}`;
  }

  private build(): void {
    const rootAddrs = [`10.77.${this.subnet}.126/25`, `10.77.${this.subnet}.254/25`];
    for (let g = 0; g < this.groups; g++) {
      const bridge = this.name(`b${g}`);
      ip(['link', 'add', bridge, 'type', 'bridge']);
      this.made.links.push(bridge);
      // Both bridges may be one segment (trunk up): answer ARP only on the bridge that holds the address.
      writeFileSync(`/proc/sys/net/ipv4/conf/${bridge}/arp_ignore`, '1');
      writeFileSync(`/proc/sys/net/ipv4/conf/${bridge}/arp_announce`, '2');
      ip(['addr', 'add', rootAddrs[g]!, 'dev', bridge]);
      ip(['link', 'set', bridge, 'up']);
    }
    if (this.groups === 2) {
      ip(['link', 'add', this.name('ta'), 'type', 'veth', 'peer', 'name', this.name('tb')]);
      this.made.links.push(this.name('ta'));
      ip(['link', 'set', this.name('ta'), 'master', this.name('b0'), 'up']);
      ip(['link', 'set', this.name('tb'), 'master', this.name('b1'), 'up']);
    }
  }

  /** A namespace with loopback and one veth (eth0) on bridge `group`, its address 10.77.S.x/24. */
  addHost(group = 0): Host {
    const index = this.next[group]!;
    if (group >= this.groups || index > (group === 0 ? 125 : 253))
      throw new Error(`no room on bridge ${group}`);
    this.next[group] = index + 1;
    const ns = this.name(`n${index}`);
    const link = this.name(`v${index}`);
    const address = `10.77.${this.subnet}.${index}`;
    ip(['netns', 'add', ns]);
    this.made.ns.push(ns);
    ip(['link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    this.made.links.push(link);
    ip(['link', 'set', link, 'master', this.name(`b${group}`), 'up']);
    ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    const host = { ns, ip: address, group, link };
    this.hosts.push(host);
    return host;
  }

  /** Plugs (true) or pulls (false) a host's cable: the host keeps its address, packets stop. */
  setLink(host: Host, up: boolean): void {
    ip(['link', 'set', host.link, up ? 'up' : 'down']);
  }

  /** Joins (true) or splits (false) the two bridges. */
  setTrunk(up: boolean): void {
    if (this.groups !== 2) throw new Error('a lab of one bridge has no trunk');
    ip(['link', 'set', this.name('ta'), up ? 'up' : 'down']);
  }

  /** Deletes every namespace and link this lab made (idempotent; processes inside must be gone first). */
  destroy(): void {
    for (const ns of this.made.ns.splice(0)) quietly(['netns', 'del', ns]);
    for (const link of this.made.links.splice(0)) quietly(['link', 'del', link]);
    labs.delete(this);
  }
}

/** Processes started inside namespaces, and temporary data directories, until cleanup. */
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const lab of [...labs]) lab.destroy();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

interface NsProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: () => boolean;
  readonly output: () => string;
}

/** `ip netns exec <ns> <node> …args`: `ip` execs the command, so the PID is the node process itself. */
function spawnInNs(ns: string, args: readonly string[]): NsProcess {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-500_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let done = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('close', (code, signal) => {
      done = true;
      children.delete(child);
      resolveExit({ code, signal });
    });
  });
  return { child, pid: child.pid!, exit, exited: () => done, output: () => output };
}

async function stopProcess(p: NsProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (p.exited()) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await p.exit;
  clearTimeout(timer);
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A JSON HTTP answer; never throws on 4xx/5xx. */
export interface Reply {
  readonly status: number;
  readonly body: Json;
  readonly text: string;
}

async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, body: parseJson(text), text };
}

function parseJson(text: string): Json {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface NsNode {
  readonly host: Host;
  /** http://<its address>:NODE_HTTP_PORT */
  readonly url: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Its libp2p address on its own IP, with /p2p/<peer id>. */
  readonly multiaddr: string;
  readonly peerId: string;
  /** A GET with the operator token (operator reads, such as /api/v1/peers, need it beyond loopback). */
  get(path: string): Promise<Reply>;
  /** A GET that must answer 200: its body. */
  json(path: string): Promise<Json>;
  /** A POST with the operator token from <data-dir>/.cookie. */
  post(path: string, body?: unknown): Promise<Reply>;
  /** SIGTERM (SIGKILL after 15 s). */
  stop(): Promise<void>;
  logs(): string;
  readonly exited: boolean;
}

export interface NsNodeOptions {
  /** --peer values. */
  readonly peers?: readonly string[];
  /** Reuse a data directory (a restart); default a fresh temporary one. */
  readonly dataDir?: string;
  readonly args?: readonly string[];
  /** Options of the Node.js process itself, before the script (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/** Starts `hashline node --network regtest` inside the host's namespace, bound to its address. */
export async function startNsNode(host: Host, opts: NsNodeOptions = {}): Promise<NsNode> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hashline-netns-'));
  tempDirs.add(dataDir);
  const argv = [
    ...(opts.nodeArgs ?? []),
    HASHLINE_BIN,
    ...`node --network regtest --host ${host.ip} --port ${NODE_HTTP_PORT} --p2p-host ${host.ip}`.split(' '),
    ...`--p2p-port ${NODE_P2P_PORT} --log-level info --no-web`.split(' '),
    ...['--data-dir', dataDir],
    ...(opts.peers ?? []).flatMap((p) => ['--peer', p]),
    ...(opts.args ?? []),
  ];
  const proc = spawnInNs(host.ns, argv);
  const url = `http://${host.ip}:${NODE_HTTP_PORT}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let status: Json;
  while (!status) {
    if (proc.exited()) throw new Error(`the node in ${host.ns} exited before it answered:\n${proc.output()}`);
    if (Date.now() > deadline) {
      await stopProcess(proc, 'SIGKILL', 1_000);
      throw new Error(`the node in ${host.ns} did not answer on ${url}:\n${proc.output().slice(-5000)}`);
    }
    status = await request(`${url}/api/v1/status`)
      .then((r) => (r.status === 200 ? r.body : undefined))
      .catch(() => undefined);
    if (!status) await delay(200);
  }
  const token = readFileSync(join(dataDir, '.cookie'), 'utf8').trim();
  const multiaddr = (status.p2p.addrs as string[]).find((a) => a.includes(`/ip4/${host.ip}/`));
  if (!multiaddr) throw new Error(`the node in ${host.ns} has no address on ${host.ip}: ${status.p2p.addrs}`);
  const get = (path: string) => request(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    host,
    url,
    dataDir,
    pid: proc.pid,
    multiaddr: multiaddr.includes('/p2p/') ? multiaddr : `${multiaddr}/p2p/${status.p2p.peerId}`,
    peerId: status.p2p.peerId,
    get,
    async json(path) {
      const r = await get(path);
      if (r.status !== 200) throw new Error(`GET ${url}${path}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
      return r.body;
    },
    post: (path, body) =>
      request(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      }),
    stop: () => stopProcess(proc, 'SIGTERM', 15_000),
    logs: proc.output,
    get exited() {
      return proc.exited();
    },
  };
}

const execFileAsync = promisify(execFile);

/**
 * An HTTP request made from inside a namespace (to its loopback, or to a host whose cable is pulled), by a
 * short-lived node process there.
 */
export async function fetchInNs(ns: string, url: string, body?: unknown): Promise<Reply> {
  const script =
    'const [u, b] = process.argv.slice(1);' +
    "fetch(u, b === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: b })" +
    '.then(async (r) => console.log(JSON.stringify({ status: r.status, text: await r.text() })))' +
    '.catch((e) => { console.error(String(e)); process.exit(1); });';
  const args = ['netns', 'exec', ns, process.execPath, '-e', script, url];
  if (body !== undefined) args.push(JSON.stringify(body));
  const { stdout } = await execFileAsync('ip', args, { timeout: 40_000 });
  const { status, text } = JSON.parse(stdout) as { status: number; text: string };
  return { status, body: parseJson(text), text };
}

export interface NsHostilePeer {
  readonly peerId: string;
  /** One command of test/support/hostile-peer.ts; rejects on an HTTP error. */
  command(name: string, body?: Record<string, unknown>): Promise<Json>;
  stop(): Promise<void>;
  output(): string;
}

/** test/support/hostile-peer.ts inside the host's namespace, driven on its loopback control port. */
export async function startNsHostilePeer(host: Host, genesisHash: string): Promise<NsHostilePeer> {
  const proc = spawnInNs(host.ns, [
    '--import',
    'tsx',
    'test/support/hostile-peer.ts',
    'regtest',
    genesisHash,
  ]);
  const deadline = Date.now() + 30_000;
  let ready: { port: number; peerId: string } | undefined;
  while (!ready) {
    const line = proc
      .output()
      .split('\n')
      .find((l) => l.startsWith('{"ready":true'));
    if (line) ready = JSON.parse(line);
    else if (proc.exited()) throw new Error(`the hostile peer exited:\n${proc.output()}`);
    else if (Date.now() > deadline) {
      await stopProcess(proc, 'SIGKILL', 1_000);
      throw new Error(`the hostile peer did not start:\n${proc.output()}`);
    } else await delay(50);
  }
  const { port, peerId } = ready;
  return {
    peerId,
    async command(name, body = {}) {
      const r = await fetchInNs(host.ns, `http://127.0.0.1:${port}/${name}`, body);
      if (r.status >= 400) throw new Error(`hostile peer ${name}: HTTP ${r.status} ${r.text}`);
      return r.body;
    },
    stop: () => stopProcess(proc, 'SIGTERM', 10_000),
    output: proc.output,
  };
}

/** SIGKILLs every process started here (by its PID), deletes every lab, removes the temporary directories. */
export async function cleanupNetns(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exit = new Promise<void>((done) => child.once('close', () => done()));
      child.kill('SIGKILL');
      await Promise.race([exit, delay(5_000)]);
    }),
  );
  for (const lab of [...labs]) lab.destroy();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Polls `check` until it gives something other than undefined/false, at most `timeoutMs`. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}
