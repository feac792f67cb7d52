// A teacher's node serving a class: one node process with --ws-port and N browser-protocol clients
// (Node.js libp2p over WebSockets only, test/support/ws-client.ts: the status handshake and the
// blocks topic, as a browser node speaks them) in this process. The node mines 3 blocks alone, then 3
// with the class connected, then 3 alone again after the class left, each over the same time; rows:
// the node's CPU (seconds per second) and resident memory (the median of samples every 250 ms) with
// the class against the same node alone (the mean of the windows before and after), per connected
// client; and the time from each block being mined to the last client receiving it (every client must
// receive every block). Small classes are within the noise of the node's own work.
//
//   node --import tsx bench/classroom-load.ts [clients=30] [seconds=6]
import '../src/polyfill.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWsClient, type WsClient } from '../test/support/ws-client.js';
import { freePort, type NodeProcess, postJson, startNode } from './lib/node-process.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';

const BLOCKS = 3;
/** libp2p takes at most 5 inbound connections a second from one IP: the clients join 4 at a time. */
const JOIN_BATCH = 4;
const JOIN_PAUSE_MS = 1_100;
const DELIVERY_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Window {
  cpuPerSecond: number;
  rss: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Mines BLOCKS blocks evenly over `seconds`, measuring the node's CPU over the whole window. */
async function measureWindow(
  node: NodeProcess,
  seconds: number,
  onBlock: (hash: string, minedAt: number) => Promise<void>,
): Promise<Window> {
  const cpu0 = node.cpuSeconds();
  const t0 = performance.now();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(node.memory().rss), 250);
  for (let i = 0; i < BLOCKS; i++) {
    await delay((seconds * 1000) / BLOCKS / 2);
    const minedAt = Date.now();
    const { hash } = await postJson<{ hash: string }>(`${node.url}/api/v1/mine`, {});
    await onBlock(hash, minedAt);
    const left = t0 + ((i + 1) * seconds * 1000) / BLOCKS - performance.now();
    if (left > 0) await delay(left);
  }
  clearInterval(sampler);
  const elapsed = (performance.now() - t0) / 1000;
  return { cpuPerSecond: (node.cpuSeconds() - cpu0) / elapsed, rss: median(rss) };
}

async function waitForAll(clients: readonly WsClient[], hash: string): Promise<number> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  while (!clients.every((c) => c.blocks.has(hash))) {
    if (Date.now() > deadline) {
      const have = clients.filter((c) => c.blocks.has(hash)).length;
      throw new Error(`block ${hash.slice(0, 12)} reached ${have} of ${clients.length} clients`);
    }
    await delay(10);
  }
  return Math.max(...clients.map((c) => c.blocks.get(hash)!));
}

export async function run(clientCount = 30, seconds = 6): Promise<Row[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hashline-classroom-'));
  const wsPort = await freePort();
  const node = await startNode({
    dataDir,
    args: ['--ws-port', String(wsPort), '--max-connections', String(clientCount + 18), '--min-peers', '0'],
  });
  const clients: WsClient[] = [];
  try {
    const status = await node.status();
    const genesis = (status as unknown as { genesis: string }).genesis;
    const wsAddr = status.p2p.addrs.find((a) => a.includes('/ws/'));
    if (!wsAddr) throw new Error('the node lists no WebSocket address');
    await delay(3_000); // past the start's own work

    progress(`node alone for ${seconds} s, ${BLOCKS} blocks mined`);
    const before = await measureWindow(node, seconds, async () => {});

    progress(`${clientCount} clients joining over WebSockets`);
    for (let i = 0; i < clientCount; i += JOIN_BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(JOIN_BATCH, clientCount - i) }, () =>
          startWsClient({ network: 'regtest', genesisHash: genesis }),
        ),
      );
      clients.push(...batch);
      await Promise.all(batch.map((c) => c.connect(wsAddr)));
      await delay(JOIN_PAUSE_MS);
    }
    await delay(2_000);

    progress(`node with ${clientCount} clients for ${seconds} s, ${BLOCKS} blocks mined`);
    const delivery: number[] = [];
    const withClass = await measureWindow(node, seconds, async (hash, minedAt) => {
      delivery.push((await waitForAll(clients, hash)) - minedAt);
    });
    const connected = clients.filter((c) => c.connected()).length;
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await delay(2_000);
    progress(`node alone again for ${seconds} s, ${BLOCKS} blocks mined`);
    const after = await measureWindow(node, seconds, async () => {});
    const alone: Window = {
      cpuPerSecond: (before.cpuPerSecond + after.cpuPerSecond) / 2,
      rss: (before.rss + after.rss) / 2,
    };

    const perClientCpu = (withClass.cpuPerSecond - alone.cpuPerSecond) / clientCount;
    const perClientRss = (withClass.rss - alone.rss) / clientCount;
    return [
      {
        name: `node CPU with ${clientCount} clients`,
        value: withClass.cpuPerSecond,
        unit: 'CPU s/s',
        baseline: `${formatNumber(alone.cpuPerSecond)} CPU s/s (alone)`,
        ratio: alone.cpuPerSecond > 0 ? withClass.cpuPerSecond / alone.cpuPerSecond : undefined,
        note: `${BLOCKS} blocks mined in each ${seconds} s window; alone before ${formatNumber(before.cpuPerSecond)}, after ${formatNumber(after.cpuPerSecond)}`,
      },
      {
        name: 'node CPU per connected client',
        value: perClientCpu * 1000,
        unit: 'ms CPU/s',
        baseline: `${formatNumber(alone.cpuPerSecond * 1000)} ms CPU/s (node alone)`,
      },
      {
        name: `node RSS with ${clientCount} clients`,
        value: withClass.rss / MB,
        unit: 'MB',
        baseline: `${formatNumber(alone.rss / MB)} MB (alone)`,
        ratio: withClass.rss / alone.rss,
        note: `alone before ${formatNumber(before.rss / MB)} MB, after ${formatNumber(after.rss / MB)} MB`,
      },
      {
        name: 'node RSS per connected client',
        value: perClientRss / MB,
        unit: 'MB',
        baseline: `${formatNumber(alone.rss / MB)} MB (node alone)`,
      },
      {
        name: `block mined → last of ${clientCount} clients (max of ${BLOCKS})`,
        value: Math.max(...delivery),
        unit: 'ms',
        goal: `every client gets every block within ${DELIVERY_TIMEOUT_MS / 1000} s`,
        met: delivery.length === BLOCKS && connected === clientCount,
        note: `each block: ${delivery.map((d) => formatNumber(d)).join(', ')} ms; ${connected}/${clientCount} still connected`,
      },
    ];
  } finally {
    await Promise.all(clients.map((c) => c.stop().catch(() => {})));
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await runAsScript(import.meta.url, 'classroom-load: a teacher node serving browser-protocol clients', () =>
  run(Number(process.argv[2] ?? 30), Number(process.argv[3] ?? 6)),
);
