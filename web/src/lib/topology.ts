// The network as this page can see it: our node and its peers, and the nodes the operator chose to ask
// (peers that say where their HTTP API is; their status is public, their peer list only when they grant
// it). Pure: the page does the fetching.

/** What one node says about itself and its peers (its /api/v1/status and /api/v1/peers). */
export interface NodeReport {
  readonly id: string;
  readonly height: number;
  readonly tip: string;
  readonly peers: ReadonlyArray<{ id: string; height: number; tipHash: string; api?: string }>;
}

export interface TopologyNode {
  readonly id: string;
  /** -1 when only a peer's word is known and it has not said its tip yet. */
  readonly height: number;
  readonly tip: string;
  /** Reported by the node itself (crawled), or only seen as someone's peer. */
  readonly crawled: boolean;
  readonly self: boolean;
  /** Same tip as ours. */
  readonly agrees: boolean;
}

export interface Topology {
  readonly nodes: readonly TopologyNode[];
  readonly edges: ReadonlyArray<readonly [string, string]>;
}

/**
 * Peers that tell an API URL and have not been asked yet, in the order they were first seen. The page asks
 * one only when the operator clicks for it: a URL comes from a peer, so fetching it unasked would show the
 * operator's address to whoever runs it and let peers aim the browser at any address.
 */
export function askablePeers(reports: readonly NodeReport[]): Array<{ id: string; api: string }> {
  const reported = new Set(reports.map((r) => r.id));
  const seen = new Map<string, string>();
  for (const r of reports) {
    for (const p of r.peers) if (p.api && !reported.has(p.id) && !seen.has(p.id)) seen.set(p.id, p.api);
  }
  return [...seen].map(([id, api]) => ({ id, api }));
}

/** The reports with `report` added, when it is the node that was asked (a node answering as another is not). */
export function withReport(
  reports: readonly NodeReport[],
  askedId: string,
  report: NodeReport | undefined,
): NodeReport[] {
  if (!report || report.id !== askedId || reports.some((r) => r.id === askedId)) return [...reports];
  return [...reports, report];
}

/** Nodes and undirected links from the reports, each node's own word first, then its peers'. */
export function topologyOf(self: NodeReport, reports: readonly NodeReport[]): Topology {
  const nodes = new Map<string, TopologyNode>();
  const put = (id: string, height: number, tip: string, crawled: boolean) =>
    nodes.set(id, { id, height, tip, crawled, self: id === self.id, agrees: tip !== '' && tip === self.tip });
  for (const r of reports) put(r.id, r.height, r.tip, true);
  const edges = new Map<string, readonly [string, string]>();
  for (const r of reports) {
    for (const p of r.peers) {
      if (!nodes.has(p.id)) put(p.id, p.height, p.tipHash, false);
      const pair = [r.id, p.id].sort() as [string, string];
      edges.set(pair.join(' '), pair);
    }
  }
  const ordered = [...nodes.values()].sort(
    (a, b) => Number(b.self) - Number(a.self) || a.id.localeCompare(b.id),
  );
  return { nodes: ordered, edges: [...edges.values()] };
}

/** Points on a circle for a drawing of `count` nodes, the first at the top. */
export function circleLayout(
  count: number,
  radius: number,
  cx: number,
  cy: number,
): Array<{ x: number; y: number }> {
  if (count === 1) return [{ x: cx, y: cy }];
  return Array.from({ length: count }, (_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / count;
    return { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
  });
}
