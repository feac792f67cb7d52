// Block and transaction propagation across nodes on separate hosts (Linux network namespaces joined by a
// bridge, test/support/netns.ts; needs root): the time from the originating node connecting a block (or
// accepting a transaction) to the last of N nodes doing so, p50 and p99, for N = 5 and N = 10, against the
// time to the one node the originator dialled (one hop) in the same samples. Arrival times are when each
// node's GET /api/v1/events announces the block or transaction to this process. Then the time a fresh node
// that knows one address takes to reach its minimum of peers, against its time to the first peer.
//
//   node --import tsx bench/propagation.ts [samples=30]
import '../src/polyfill.js';
import {
  cleanupNetns,
  type Host,
  NetLab,
  type NsNode,
  type NsNodeOptions,
  netnsUnavailable,
  startNsNode,
  waitUntil,
} from '../test/support/netns.js';
import { subscribeEvents } from '../test/support/node-process.js';
import { assertBuilt } from './lib/node-process.js';
import { percentile, progress, type Row, runAsScript } from './lib/report.js';

/** The minimum the issue asks of every node. */
const MIN_PEERS = 2;
const JOIN_TIMEOUT_MS = 20_000;

/** When each node announced each block hash / txid on its event stream (performance.now() of this process). */
class Arrivals {
  private readonly seen = new Map<string, Map<number, number>>();
  private readonly streams: Array<{ close: () => void }> = [];

  async watch(nodes: readonly NsNode[]): Promise<void> {
    for (const s of this.streams.splice(0)) s.close();
    for (const [i, node] of nodes.entries()) {
      const stream = subscribeEvents(node.url, (e) => {
        const id = e.event === 'block' ? e.data.hash : e.event === 'tx' ? e.data.txid : undefined;
        if (typeof id !== 'string') return;
        const byNode = this.seen.get(id) ?? new Map<number, number>();
        if (!byNode.has(i)) byNode.set(i, performance.now());
        this.seen.set(id, byNode);
      });
      this.streams.push(stream);
      await stream.opened;
    }
  }

  /** Waits until all `count` nodes announced `id`; the arrival times by node index. */
  all(id: string, count: number): Promise<Map<number, number>> {
    return waitUntil(
      async () => {
        const byNode = this.seen.get(id);
        return byNode && byNode.size >= count ? byNode : undefined;
      },
      `${id.slice(0, 12)} on all ${count} nodes`,
      20_000,
      2,
    );
  }

  close(): void {
    for (const s of this.streams.splice(0)) s.close();
  }
}

async function mineOn(n: NsNode): Promise<string> {
  const r = await n.post('/api/v1/mine');
  if (r.status !== 201) throw new Error(`mine: HTTP ${r.status} ${r.text}`);
  return r.body.hash;
}

async function pay(n: NsNode, recipient: string): Promise<string> {
  const r = await n.post('/transactions/new', { recipient, amount: 1_000 });
  if (r.status !== 201) throw new Error(`pay: HTTP ${r.status} ${r.text}`);
  return r.body.txid;
}

const peerCount = async (n: NsNode): Promise<number> => (await n.json('/api/v1/status')).peers;

/**
 * The hosts are one LAN (10.77.S.0/24): its nodes say so (`--local-subnet`), as a LAN's operators would,
 * so that each host counts as its own group; otherwise all of them are one /16 group, and a node takes
 * at most 8 inbound peers from one group (src/p2p/inbound-limits.ts).
 */
function lanNode(host: Host, peers: readonly string[]): NsNodeOptions {
  const lan = `${host.ip.split('.').slice(0, 3).join('.')}.0/24`;
  return { peers, args: ['--local-subnet', lan] };
}

/** Starts nodes on `hosts`, each given only the first node's address, and waits until each has a peer. */
async function join(hosts: readonly Host[], first: NsNode): Promise<NsNode[]> {
  const nodes = await Promise.all(hosts.map((h) => startNsNode(h, lanNode(h, [first.multiaddr]))));
  for (const n of nodes) await waitUntil(async () => (await peerCount(n)) > 0, `${n.host.ip} connected`);
  return nodes;
}

interface Latencies {
  last: number[];
  hop: number[];
}

/** `samples` blocks and as many transactions from the last node; latencies to the last node and one hop. */
async function measure(
  nodes: readonly NsNode[],
  samples: number,
): Promise<{ block: Latencies; tx: Latencies }> {
  const arrivals = new Arrivals();
  await arrivals.watch(nodes);
  const origin = nodes.length - 1;
  const recipient = (await nodes[0]!.json('/api/v1/status')).walletAddress;
  const block: Latencies = { last: [], hop: [] };
  const tx: Latencies = { last: [], hop: [] };
  const record = (into: Latencies, times: Map<number, number>) => {
    const t0 = times.get(origin)!;
    into.last.push(Math.max(...times.values()) - t0);
    into.hop.push(times.get(0)! - t0);
  };
  try {
    // Nodes that just joined sync first: a block mined on a stale tip would be a fork, not propagation.
    const tip = (await nodes[0]!.json('/api/v1/status')).tip;
    await waitUntil(
      async () => (await Promise.all(nodes.map((n) => n.json('/api/v1/status')))).every((s) => s.tip === tip),
      `all ${nodes.length} nodes at one tip`,
      60_000,
    );
    // Gossipsub builds its mesh on heartbeats; a first block also funds the origin.
    await arrivals.all(await mineOn(nodes[origin]!), nodes.length);
    await new Promise((r) => setTimeout(r, 2_000));
    for (let i = 0; i < samples; i++) {
      record(block, await arrivals.all(await mineOn(nodes[origin]!), nodes.length));
      record(tx, await arrivals.all(await pay(nodes[origin]!, recipient), nodes.length));
    }
  } finally {
    arrivals.close();
  }
  return { block, tx };
}

function latencyRows(kind: string, n: number, l: Latencies): Row[] {
  const last = [...l.last].sort((a, b) => a - b);
  const hop = [...l.hop].sort((a, b) => a - b);
  const hop50 = percentile(hop, 50);
  const note = `${last.length} samples (p99 of fewer than 100 is the slowest); one hop: the origin to the node it dialled`;
  return [50, 99].map((p) => ({
    name: `${kind} to the last of ${n} nodes, p${p}`,
    value: percentile(last, p),
    unit: 'ms',
    baseline: `${hop50.toFixed(1)} ms (one hop, p50)`,
    ratio: percentile(last, p) / hop50,
    note: p === 50 ? note : undefined,
  }));
}

/** A fresh node given one address: time from its start to its first peer and to MIN_PEERS peers. */
async function joinRows(host: Host, first: NsNode, networkSize: number): Promise<Row[]> {
  const t0 = performance.now();
  const fresh = await startNsNode(host, lanNode(host, [first.multiaddr]));
  const ready = performance.now() - t0;
  const firstPeer =
    (await waitUntil(async () => (await peerCount(fresh)) >= 1 && performance.now(), 'a peer')) - t0;
  const reached = await waitUntil(
    async () => (await peerCount(fresh)) >= MIN_PEERS && performance.now(),
    `${MIN_PEERS} peers`,
    JOIN_TIMEOUT_MS,
    20,
  ).catch(() => undefined);
  const peers = await peerCount(fresh);
  await fresh.stop();
  return [
    {
      name: `fresh node knowing one address: time to ${MIN_PEERS} peers`,
      value: reached === undefined ? Number.NaN : (reached - t0) / 1000,
      unit: 's',
      baseline: `${(firstPeer / 1000).toFixed(2)} s to its first peer (HTTP API up after ${(ready / 1000).toFixed(2)} s)`,
      ratio: reached === undefined ? undefined : (reached - t0) / firstPeer,
      goal: `${MIN_PEERS} peers within ${JOIN_TIMEOUT_MS / 1000} s`,
      met: reached !== undefined,
      note: `network of ${networkSize} nodes; ${
        reached === undefined
          ? `had ${peers} peer(s) after ${JOIN_TIMEOUT_MS / 1000} s`
          : 'from process start'
      }`,
    },
  ];
}

export async function runPropagationBench(samples = 30): Promise<Row[]> {
  assertBuilt();
  const reason = netnsUnavailable();
  if (reason) throw new Error(`needs network namespaces (run as root on Linux): ${reason}`);
  const rows: Row[] = [];
  try {
    const lab = NetLab.create();
    const hosts = Array.from({ length: 11 }, () => lab.addHost(0));
    progress('propagation: starting 5 nodes');
    const first = await startNsNode(hosts[0]!, lanNode(hosts[0]!, []));
    const nodes = [first, ...(await join(hosts.slice(1, 5), first))];
    for (const size of [5, 10]) {
      if (nodes.length < size) {
        progress(`propagation: growing to ${size} nodes`);
        nodes.push(...(await join(hosts.slice(nodes.length, size), first)));
      }
      progress(`propagation: ${samples} blocks and ${samples} transactions across ${size} nodes`);
      const { block, tx } = await measure(nodes, samples);
      rows.push(...latencyRows('block', size, block), ...latencyRows('transaction', size, tx));
    }
    progress('propagation: a fresh node joining');
    rows.push(...(await joinRows(hosts[10]!, first, nodes.length)));
  } finally {
    await cleanupNetns();
  }
  return rows;
}

// Stopped by bench/run.ts (SIGTERM on its timeout): exit normally so that the namespaces are deleted.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

await runAsScript(import.meta.url, 'propagation: blocks and transactions across nodes on namespaces', () =>
  runPropagationBench(Number(process.argv[2]) || undefined),
);
