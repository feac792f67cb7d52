// `hashline classroom`, once its options are parsed: the teacher's node on the class network, the join
// link and dashboard printed, and a restart on a new network when the teacher resets the class.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { ClassroomPort } from '../api/context.js';
import { MEMBER_NAME } from '../classroom/fields.js';
import { CLASS_MAX_MEMBERS, type ClassState } from '../classroom/types.js';
import { toHex } from '../core/bytes.js';
import { defaultP2pPort, type NodeConfig } from '../node/config.js';
import { nodeConfig } from '../node/index.js';
import type { HashlineNode } from '../node/node.js';
import {
  classNetworkId,
  dashboardUrl,
  defaultPublicHost,
  joinUrl,
  loadOrCreateTeacherKey,
  networkDataDir,
  saveClassNetworkId,
  type TeacherKey,
  teacherWsAddr,
  terminalQr,
} from './classroom-setup.js';
import { checkCidr, startNode } from './node-run.js';

/** The options registerClassroomCommand defines, as commander parses them. */
export interface ClassroomOptions {
  dataDir: string;
  port: number;
  p2pPort?: number;
  wsPort?: number;
  host: string;
  publicHost?: string;
  networkId?: string;
  interval: number;
  name: string;
  logLevel: string;
  localSubnet: string[];
}

/** How long a reset's signed state has to reach the members before the teacher's node leaves. */
const RESET_GRACE_MS = 2_000;
/** A class member's name (ClassReport.name). */

/** Refuses a taken port before anything starts, naming the option that chooses another. */
function checkPortFree(host: string, port: number, option: string): Promise<void> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${port} is already in use (another class or node?): choose another with ${option}`
            : `cannot listen on ${host}:${port} (${e.message}): check --host and ${option}`,
        ),
      ),
    );
    server.listen({ host, port, exclusive: true }, () => server.close(() => done()));
  });
}

interface Ports {
  readonly http: number;
  readonly p2p: number;
  readonly ws: number;
}

class Classroom {
  private node: HashlineNode | undefined;
  private networkId = '';
  private link = '';
  private restarting: Promise<void> | undefined;

  constructor(
    private readonly o: ClassroomOptions & { readonly dataDir: string; readonly publicHost: string },
    private readonly ports: Ports,
    private readonly key: TeacherKey,
    private readonly token: string,
  ) {}

  /** Starts the teacher's node on network `id`, with the class's mining settings, and prints the links. */
  async start(id: string, settings: Pick<ClassState, 'mining' | 'intervalSeconds'> | null): Promise<void> {
    const { o, ports } = this;
    await checkPortFree(o.host, ports.http, '--port');
    await checkPortFree(o.host, ports.p2p, '--p2p-port');
    await checkPortFree(o.host, ports.ws, '--ws-port');
    const config: NodeConfig = {
      ...nodeConfig({
        dataDir: await networkDataDir(o.dataDir, id),
        network: 'dev',
        networkId: id,
        host: o.host,
        port: ports.http,
        p2pHost: o.host,
        p2pPort: ports.p2p,
        wsPort: ports.ws,
        // Room for a class (CLASS_MAX_MEMBERS) and the connections between browsers it relays.
        maxConnections: 128,
        // One relay reservation per member: every pair of browsers can set up a direct WebRTC link.
        relayReservations: CLASS_MAX_MEMBERS,
        threads: 1,
        logLevel: o.logLevel,
        prettyLogs: Boolean(process.stdout.isTTY),
        banSeconds: 600,
        localSubnets: o.localSubnet.map(checkCidr),
        web: true,
        apiToken: this.token,
      }),
      classroom: { teacherKey: this.key.publicKey, teacherPrivateKey: this.key.privateKey, name: o.name },
    };
    const node = await startNode(config);
    const teacher = node.classroom?.teacher;
    if (!teacher) {
      await node.stop();
      throw new Error('the node started without its class (NodeConfig.classroom was not taken)');
    }
    this.node = node;
    this.networkId = id;
    saveClassNetworkId(o.dataDir, id);
    const wanted = settings ?? { mining: teacher.current().mining, intervalSeconds: o.interval };
    const now = teacher.current();
    if (now.mining !== wanted.mining || now.intervalSeconds !== wanted.intervalSeconds)
      teacher.control(wanted);
    this.link = joinUrl({
      publicHost: o.publicHost,
      port: ports.http,
      networkId: id,
      teacherKey: this.key.publicKey,
      peer: teacherWsAddr(o.publicHost, ports.ws, node.p2p.peerId),
    });
    node.classroomApi = this.port(node);
    this.print();
  }

  private port(node: HashlineNode): ClassroomPort {
    const parts = node.classroom!;
    const teacher = parts.teacher!;
    return {
      teacherKey: toHex(this.key.publicKey),
      joinUrl: () => this.link,
      state: () => teacher.current(),
      roster: () => parts.member.roster(),
      control: (change) => {
        if (this.restarting)
          throw new ApiError(
            409,
            'class-restarting',
            'the class is moving to a new network: try again shortly',
          );
        let state: ClassState;
        try {
          state = teacher.control(change);
        } catch (e) {
          // The API checked the change already: a refusal here is the teacher's own rule, still the caller's.
          throw new ApiError(400, 'bad-control', (e as Error).message);
        }
        if (change.reset !== undefined) this.reset(change.reset, state);
        return state;
      },
    };
  }

  /** Leaves for network `id` once the signed reset has had time to reach the members. */
  private reset(id: string, last: ClassState): void {
    this.restarting = (async () => {
      await new Promise((r) => setTimeout(r, RESET_GRACE_MS));
      console.log(`\nThe class moves to network ${id}: restarting the teacher's node…`);
      await this.node?.stop();
      this.node = undefined;
      await this.start(id, { mining: last.mining, intervalSeconds: last.intervalSeconds });
    })()
      .catch((e: unknown) => {
        console.error(`error: the class could not restart on ${id}: ${(e as Error).message}`);
        process.exit(1);
      })
      .finally(() => {
        this.restarting = undefined;
      });
  }

  async stop(): Promise<void> {
    await this.restarting;
    await this.node?.stop();
  }

  private print(): void {
    const { o, ports } = this;
    const localHost = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
    const lines = [
      '',
      `Hashline classroom on network ${this.networkId} (dev rules, a chain of its own)`,
      '',
      'Students open this link on the same network (Wi-Fi or LAN), or scan the code:',
      `  join link: ${this.link}`,
      '',
      terminalQr(this.link),
      '',
      'Your dashboard (keep this link to yourself: it carries the operator token):',
      `  dashboard: ${dashboardUrl(localHost, ports.http, this.token)}`,
      '',
      'Next: open the dashboard, wait for students to appear in the leaderboard, then turn mining on.',
      `A student with Hashline installed joins with: hashline node --network dev --network-id ${this.networkId} \\`,
      `  --peer http://${o.publicHost}:${ports.http} --class-key ${toHex(this.key.publicKey)} --name <name>`,
      `Ctrl-C stops the class; running the same command again (same --data-dir) resumes it.`,
      '',
    ];
    console.log(lines.join('\n'));
  }
}

export async function runClassroom(opts: ClassroomOptions): Promise<void> {
  if (!MEMBER_NAME.test(opts.name))
    throw new Error('--name must be 1 to 24 letters, digits, spaces, -, _ or .');
  const ports: Ports = {
    http: opts.port,
    p2p: opts.p2pPort ?? defaultP2pPort(opts.port),
    ws: opts.wsPort ?? opts.port + 2,
  };
  if (ports.p2p === 0 || ports.ws > 65_535)
    throw new Error('choose --p2p-port and --ws-port: the defaults from --port do not fit');
  if (new Set([ports.http, ports.p2p, ports.ws]).size !== 3)
    throw new Error(
      `--port, --p2p-port and --ws-port must differ (${ports.http}, ${ports.p2p}, ${ports.ws})`,
    );
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = loadOrCreateTeacherKey(dataDir);
  const id = classNetworkId(dataDir, opts.networkId);
  // One token for the whole run: the dashboard's link keeps working across resets.
  const token = randomBytes(32).toString('hex');
  const classroom = new Classroom(
    { ...opts, dataDir, publicHost: opts.publicHost ?? defaultPublicHost() },
    ports,
    key,
    token,
  );
  await classroom.start(id, null);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the class…');
    await classroom.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
