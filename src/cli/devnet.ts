// `hashline devnet`, once its options are parsed: starts N `hashline node` processes and stops them together.
// Node 1 is the only address the others are given: the rest of the mesh comes from peer discovery.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '../api/client.js';

export interface DevnetOptions {
  nodes: number;
  network: string;
  networkId?: string;
  port: number;
  dir: string;
  mine: boolean;
  logLevel: string;
  activity?: number;
  mineInterval?: number;
}

interface DevnetNode {
  readonly name: string;
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  exited: boolean;
}

const BIN = fileURLToPath(new URL('../../bin/hashline.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
/** Set once Ctrl-C is pressed: nodes exiting then are expected. */
let stopping = false;

function startNodeProcess(o: DevnetOptions, index: number, first: string): DevnetNode {
  const port = o.port + index;
  const dataDir = resolve(join(o.dir, `node${index + 1}`));
  mkdirSync(dataDir, { recursive: true });
  const args = [BIN, 'node', '--network', o.network, '--port', String(port), '--data-dir', dataDir];
  args.push('--p2p-port', String(port + 10_000), '--log-level', o.logLevel);
  if (o.networkId !== undefined) args.push('--network-id', o.networkId);
  if (index > 0) args.push('--peer', first);
  if (o.mine) args.push('--mine', '--threads', '1');
  if (o.activity) args.push('--activity', String(o.activity));
  if (o.mineInterval && index === 0) args.push('--mine-interval', String(o.mineInterval), '--threads', '1');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const node: DevnetNode = {
    name: `node${index + 1}`,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    child,
    exited: false,
  };
  child.once('exit', (code, signal) => {
    node.exited = true;
    if (!stopping)
      console.error(`${node.name} exited (${signal ?? `code ${code}`}); the others keep running`);
  });
  return node;
}

async function waitReady(node: DevnetNode): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !node.exited) {
    try {
      await createApiClient({ baseUrl: node.url, timeoutMs: 2_000 }).getStatus();
      return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function stopAll(nodes: readonly DevnetNode[]): Promise<void> {
  stopping = true;
  const running = nodes.filter((n) => !n.exited);
  await Promise.all(
    running.map(
      (n) =>
        new Promise<void>((done) => {
          const timer = setTimeout(() => n.child.kill('SIGKILL'), 15_000);
          n.child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          n.child.kill('SIGTERM');
        }),
    ),
  );
}

export async function runDevnet(o: DevnetOptions): Promise<void> {
  if (o.port + o.nodes - 1 + 10_000 > 65_535) throw new Error('--port is too high for that many nodes');
  const nodes: DevnetNode[] = [];
  const first = `http://127.0.0.1:${o.port}`;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    console.log(`\n${signal}: stopping ${nodes.length} nodes…`);
    await stopAll(nodes);
    console.log('devnet stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A closed terminal stops the nodes too, not only Ctrl-C.
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  // The first node starts alone, so the others find an address to bootstrap from.
  nodes.push(startNodeProcess(o, 0, first));
  if (!(await waitReady(nodes[0]!))) {
    await stopAll(nodes);
    throw new Error(`node1 did not start on ${first} (is the port free?)`);
  }
  for (let i = 1; i < o.nodes; i++) nodes.push(startNodeProcess(o, i, first));
  const ready = await Promise.all(nodes.map(waitReady));
  console.log(`Hashline devnet: ${o.nodes} ${o.network} nodes${o.mine ? ', all mining' : ''}`);
  nodes.forEach((n, i) => {
    const state = ready[i] ? 'ready' : 'NOT ANSWERING';
    console.log(`  ${n.name.padEnd(7)} ${`${n.url}/`.padEnd(24)} ${state.padEnd(8)} data ${n.dataDir}`);
  });
  console.log('Press Ctrl-C to stop them all.');
}
