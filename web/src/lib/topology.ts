// The network as this page can see it: our node, and every node reachable by following peers that say
// where their HTTP API is (public reads, allowed cross-origin). Pure: the crawl is given a fetcher.

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

export const MAX_CRAWL = 32;

/**
 * Follows peers breadth-first from `self`, fetching at most `max` other nodes through `fetchReport`
 * (a failed fetch leaves that node known by its peers' word only).
 */
export async function crawl(
  self: NodeReport,
  fetchReport: (api: string) => Promise<NodeReport | undefined>,
  max = MAX_CRAWL,
): Promise<Topology> {
  const reports = new Map<string, NodeReport>([[self.id, self]]);
  const queue = [...self.peers];
  const tried = new Set<string>([self.id]);
  while (queue.length > 0 && tried.size <= max) {
    const peer = queue.shift()!;
    if (tried.has(peer.id) || !peer.api) continue;
    tried.add(peer.id);
    const report = await fetchReport(peer.api).catch(() => undefined);
    if (!report || report.id !== peer.id) continue;
    reports.set(report.id, report);
    queue.push(...report.peers);
  }
  return topologyOf(self, [...reports.values()]);
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
