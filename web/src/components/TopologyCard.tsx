// The live topology: nodes (ours first), their links, each node's height, and whether its tip is ours.
// Other nodes are asked only when the operator clicks: their URLs come from peers.
import { useEffect, useState } from 'react';
import { createApiClient } from '../../../src/api/client.js';
import { api } from '../api/client.js';
import { askablePeers, circleLayout, type NodeReport, topologyOf, withReport } from '../lib/topology.js';
import { Card, Empty } from './ui.js';

const SIZE = 360;

async function ownReport(signal: AbortSignal): Promise<NodeReport> {
  const [status, peers] = await Promise.all([
    api.getStatus(undefined, { signal }),
    api.getPeers(undefined, { signal }),
  ]);
  return { id: status.p2p.peerId, height: status.height, tip: status.tip, peers: peers.peers };
}

/** Another node's own word: its public status, and its peers if it lets this page read them. */
async function remoteReport(base: string): Promise<NodeReport> {
  // Another node gets no token (it is the operator's for this node only) and no cookies.
  const other = createApiClient({
    baseUrl: base,
    timeoutMs: 3_000,
    fetch: (input, init) => fetch(input, { ...init, credentials: 'omit' }),
  });
  const status = await other.getStatus();
  const peers = await other.getPeers().then(
    (p) => p.peers,
    () => [],
  );
  return { id: status.p2p.peerId, height: status.height, tip: status.tip, peers };
}

const short = (id: string) => (id.length > 10 ? `…${id.slice(-6)}` : id);

export function TopologyCard({ version }: { version: number }) {
  const [self, setSelf] = useState<NodeReport | null>(null);
  const [others, setOthers] = useState<NodeReport[]>([]);
  const [asking, setAsking] = useState<Record<string, 'asking' | 'failed'>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the refresh trigger.
  useEffect(() => {
    const controller = new AbortController();
    ownReport(controller.signal)
      .then((r) => !controller.signal.aborted && setSelf(r))
      .catch(() => undefined);
    return () => controller.abort();
  }, [version]);
  if (!self)
    return (
      <Card title="Topology">
        <Empty>Looking at the network…</Empty>
      </Card>
    );
  const reports = [self, ...others.filter((o) => o.id !== self.id)];
  const topology = topologyOf(self, reports);
  const ask = (id: string, base: string) => {
    setAsking((a) => ({ ...a, [id]: 'asking' }));
    remoteReport(base)
      .then((r) => {
        setOthers((o) => withReport(o, id, r));
        setAsking((a) => ({ ...a, [id]: r.id === id ? 'asking' : 'failed' }));
      })
      .catch(() => setAsking((a) => ({ ...a, [id]: 'failed' })));
  };
  const points = circleLayout(topology.nodes.length, SIZE / 2 - 48, SIZE / 2, SIZE / 2);
  const at = new Map(topology.nodes.map((n, i) => [n.id, points[i]!]));
  return (
    <Card title="Topology">
      <p className="muted">
        {topology.nodes.length} node{topology.nodes.length === 1 ? '' : 's'}, {topology.edges.length} link
        {topology.edges.length === 1 ? '' : 's'}: green agrees with our tip, amber does not. Other nodes are
        asked for their own word only when you click.
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
      {askablePeers(reports).map(({ id, api: base }) => (
        <p key={id} className="row">
          <button
            type="button"
            className="btn"
            data-testid="topology-ask"
            disabled={asking[id] === 'asking'}
            onClick={() => ask(id, base)}
          >
            Ask {short(id)} at {base}
          </button>
          {asking[id] === 'failed' && <span className="muted"> it did not answer as {short(id)}</span>}
        </p>
      ))}
    </Card>
  );
}
