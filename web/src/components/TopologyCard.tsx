// The live topology: nodes (ours first), their links, each node's height, and whether its tip is ours.
import { useEffect, useState } from 'react';
import { createApiClient } from '../../../src/api/client.js';
import { api } from '../api/client.js';
import { circleLayout, crawl, type NodeReport, type Topology } from '../lib/topology.js';
import { Card, Empty } from './ui.js';

const SIZE = 360;

async function reportOf(base: string, signal?: AbortSignal): Promise<NodeReport> {
  // Another node gets no token: it is the operator's for this node only.
  const client = base === '' ? api : createApiClient({ baseUrl: base, timeoutMs: 3_000 });
  const [status, peers] = await Promise.all([
    client.getStatus(undefined, { signal }),
    client.getPeers(undefined, { signal }),
  ]);
  return { id: status.p2p.peerId, height: status.height, tip: status.tip, peers: peers.peers };
}

const short = (id: string) => (id.length > 10 ? `…${id.slice(-6)}` : id);

export function TopologyCard({ version }: { version: number }) {
  const [topology, setTopology] = useState<Topology | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the refresh trigger.
  useEffect(() => {
    const controller = new AbortController();
    reportOf('', controller.signal)
      .then((self) => crawl(self, (base) => reportOf(base)))
      .then((t) => !controller.signal.aborted && setTopology(t))
      .catch(() => undefined);
    return () => controller.abort();
  }, [version]);
  if (!topology)
    return (
      <Card title="Topology">
        <Empty>Looking at the network…</Empty>
      </Card>
    );
  const points = circleLayout(topology.nodes.length, SIZE / 2 - 48, SIZE / 2, SIZE / 2);
  const at = new Map(topology.nodes.map((n, i) => [n.id, points[i]!]));
  return (
    <Card title="Topology">
      <p className="muted">
        {topology.nodes.length} node{topology.nodes.length === 1 ? '' : 's'}, {topology.edges.length} link
        {topology.edges.length === 1 ? '' : 's'}: green agrees with our tip, amber does not. Nodes that tell
        their API address are asked for their own peers.
      </p>
      <svg
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        className="topology"
        role="img"
        aria-label="network topology"
        data-testid="topology"
      >
        {topology.edges.map(([a, b]) => (
          <line
            key={`${a} ${b}`}
            x1={at.get(a)!.x}
            y1={at.get(a)!.y}
            x2={at.get(b)!.x}
            y2={at.get(b)!.y}
            className="topology-link"
          />
        ))}
        {topology.nodes.map((n) => (
          <g
            key={n.id}
            transform={`translate(${at.get(n.id)!.x} ${at.get(n.id)!.y})`}
            data-testid="topology-node"
          >
            <circle
              r={n.self ? 16 : 12}
              className={`topology-node ${n.agrees ? 'agrees' : 'differs'} ${n.crawled ? '' : 'hearsay'}`}
            >
              <title>{n.id}</title>
            </circle>
            <text y={n.self ? 30 : 26} textAnchor="middle" className="topology-label">
              {n.self ? 'this node' : short(n.id)} · {n.height >= 0 ? `#${n.height}` : '?'}
            </text>
          </g>
        ))}
      </svg>
    </Card>
  );
}
