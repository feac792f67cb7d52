// `hashline node`, once its options are parsed: starts the node and stops it on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import { limitsFromEnv } from '../api/limits.js';
import { MEMBER_NAME } from '../classroom/fields.js';
import { fromHex } from '../core/bytes.js';
import { networkIdProblem } from '../core/network-id.js';
import { getNetwork, type NetworkName } from '../core/params.js';
import type { ClassroomConfig } from '../node/classroom.js';
import { defaultP2pPort, type NodeConfig } from '../node/config.js';
import { HashlineNode } from '../node/node.js';
import { P2PPortInUseError, parseCidr } from '../p2p/index.js';

/** The options registerNodeCommand defines, as commander parses them. */
export interface NodeCommandOptions {
  network: string;
  networkId?: string;
  port: number;
  host: string;
  allowHost: string[];
  corsOrigin: string[];
  requireToken: boolean;
  trustProxy: string[];
  dataDir?: string;
  p2pPort?: number;
  p2pHost: string;
  announce: string[];
  wsPort?: number;
  maxConnections: number;
  mdns: boolean;
  minPeers: number;
  peer: string[];
  localSubnet: string[];
  mine: boolean;
  threads?: number;
  minerAddress?: string;
  minFeeRate: number;
  coinsCache?: number;
  banSeconds: number;
  logLevel: string;
  web: boolean;
  mineInterval?: number;
  activity?: number;
  classKey?: string;
  name?: string;
  classTeacherKeyFile?: string;
}

/** `https://Example.org:443/` → `https://example.org`, as browsers send it in Origin. */
function normalOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--cors-origin ${value} is not an origin such as http://127.0.0.1:8080`);
  }
  if (url.origin === 'null') throw new Error(`--cors-origin ${value} is not an http(s) origin`);
  return url.origin;
}

/** An IP address or a CIDR, as Fastify's trustProxy (proxy-addr) takes them. */
function checkProxyAddress(value: string): string {
  const [ip, bits, ...rest] = value.split('/');
  const family = isIP(ip ?? '');
  const max = family === 4 ? 32 : 128;
  const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
  if (family === 0 || !okBits || rest.length > 0)
    throw new Error(`--trust-proxy ${value} is not an address or subnet such as 127.0.0.1 or 10.0.0.0/8`);
  return value;
}

function checkMultiaddr(value: string): string {
  try {
    multiaddr(value);
  } catch {
    throw new Error(`--announce ${value} is not a multiaddr such as /ip4/203.0.113.7/tcp/15000`);
  }
  return value;
}

export function checkCidr(value: string): string {
  try {
    parseCidr(value);
  } catch {
    throw new Error(`--local-subnet ${value} is not a subnet such as 192.168.1.0/24 or fd00::/8`);
  }
  return value;
}

const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/** --class-key and --name (and the teacher's key file): the class this node joins, if any. */
function classroomOf(o: NodeCommandOptions): ClassroomConfig | undefined {
  if (o.classKey === undefined) {
    if (o.name !== undefined || o.classTeacherKeyFile !== undefined)
      throw new Error('--name and --class-teacher-key-file go with --class-key');
    return undefined;
  }
  if (!KEY_HEX.test(o.classKey))
    throw new Error("--class-key must be the teacher's public key, 64 hex digits");
  const name = o.name ?? (o.classTeacherKeyFile !== undefined ? 'teacher' : undefined);
  if (name === undefined || !MEMBER_NAME.test(name))
    throw new Error('--name must be 1 to 24 of letters, digits, space, -, _ and .');
  let teacherPrivateKey: Uint8Array | undefined;
  if (o.classTeacherKeyFile !== undefined) {
    const text = readFileSync(o.classTeacherKeyFile, 'utf8').trim();
    if (!KEY_HEX.test(text))
      throw new Error('--class-teacher-key-file must hold a private key, 64 hex digits');
    teacherPrivateKey = fromHex(text);
  }
  return { teacherKey: fromHex(o.classKey), name, ...(teacherPrivateKey ? { teacherPrivateKey } : {}) };
}

/** A --network-id is for dev, and must be a network id (docs/protocol.md, "Network ids"). */
function checkNetworkId(network: string, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (network !== 'dev') throw new Error(`--network-id is for --network dev (not ${network})`);
  const problem = networkIdProblem(id);
  if (problem) throw new Error(`--network-id: ${problem}`);
  return id;
}

/** Starts a node; a taken port is one line that names the option to change, not libp2p's stack. */
export async function startNode(config: NodeConfig): Promise<HashlineNode> {
  try {
    return await HashlineNode.start(config);
  } catch (e) {
    if (e instanceof P2PPortInUseError) throw new Error(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      throw new Error(
        `${err.message}: another program (another node?) uses that port; choose one with --port or --p2p-port`,
      );
    }
    throw e;
  }
}

export async function runNode(o: NodeCommandOptions): Promise<void> {
  const params = getNetwork(o.network);
  const networkId = checkNetworkId(params.name, o.networkId);
  const tag = networkId === undefined ? params.name : `${params.name}-${networkId}`;
  const p2pPort = o.p2pPort ?? defaultP2pPort(o.port);
  if (o.wsPort !== undefined && o.wsPort !== 0 && o.wsPort === p2pPort)
    throw new Error(`--ws-port ${o.wsPort} is the libp2p TCP port too: choose another`);
  const config: NodeConfig = {
    network: params.name as NetworkName,
    ...(networkId === undefined ? {} : { networkId }),
    dataDir: resolve(o.dataDir ?? `hashline-data/${tag}`),
    host: o.host,
    allowHosts: o.allowHost,
    corsOrigins: o.corsOrigin.map(normalOrigin),
    requireToken: o.requireToken,
    trustProxy: o.trustProxy.map(checkProxyAddress),
    port: o.port,
    p2pPort,
    p2pHost: o.p2pHost,
    announce: o.announce.map(checkMultiaddr),
    wsPort: o.wsPort,
    maxConnections: o.maxConnections,
    mdns: o.mdns,
    minPeers: o.minPeers,
    peers: o.peer,
    localSubnets: o.localSubnet.map(checkCidr),
    mine: o.mine,
    threads: o.threads ?? 0,
    minerAddress: o.minerAddress,
    logLevel: o.logLevel,
    prettyLogs: Boolean(process.stdout.isTTY),
    minFeeRate: o.minFeeRate,
    banSeconds: o.banSeconds,
    coinsCacheMb: o.coinsCache,
    web: o.web,
    httpLimits: limitsFromEnv(process.env.HASHLINE_HTTP_LIMITS),
    mineInterval: o.mineInterval,
    activity: o.activity,
    classroom: classroomOf(o),
  };
  const node = await startNode(config);
  const url = node.url();
  node.log.info(
    {
      dashboard: `${url}/`,
      api: `${url}/api/v1/status`,
      docs: `${url}/docs`,
      p2p: node.p2p.addrs(),
      dataDir: config.dataDir,
    },
    `Hashline ${tag} node ready: dashboard ${url}/  API docs ${url}/docs`,
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.log.info(`${signal} received, shutting down`);
    await node.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
