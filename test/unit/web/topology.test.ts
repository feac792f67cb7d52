import { describe, expect, it } from 'vitest';
import {
  askablePeers,
  circleLayout,
  type NodeReport,
  topologyOf,
  withReport,
} from '../../../web/src/lib/topology.js';

const TIP = 'aa'.repeat(32);
const OTHER = 'bb'.repeat(32);

const HEADS: Record<string, { height: number; tip: string }> = {
  a: { height: 5, tip: TIP },
  b: { height: 5, tip: TIP },
  c: { height: 4, tip: OTHER },
  d: { height: 5, tip: TIP },
};

/** A peer entry as /api/v1/peers gives it, for a node that tells its API. */
const p = (id: string) => ({ id, height: HEADS[id]!.height, tipHash: HEADS[id]!.tip, api: `http://${id}` });
const report = (id: string, peers: NodeReport['peers']): NodeReport => ({ id, ...HEADS[id]!, peers });

/** A ring a-b-c-d-a where every node tells its API, and e is d's peer that does not. */
const REPORTS: Record<string, NodeReport> = {
  a: report('a', [p('b'), p('d')]),
  b: report('b', [p('a'), p('c')]),
  c: report('c', [p('b'), p('d')]),
  d: report('d', [p('c'), p('a'), { id: 'e', height: 3, tipHash: OTHER }]),
};

describe('network topology', () => {
  it('draws our node and its peers before anything is asked, and offers the peers that tell their API', () => {
    const t = topologyOf(REPORTS.a!, [REPORTS.a!]);
    expect(t.nodes.map((n) => `${n.id}:${n.crawled}`)).toEqual(['a:true', 'b:false', 'd:false']);
    expect(askablePeers([REPORTS.a!])).toEqual([
      { id: 'b', api: 'http://b' },
      { id: 'd', api: 'http://d' },
    ]);
  });

  it('adds a node the operator asked, with its own word and links, and offers its peers next', () => {
    let reports = withReport([REPORTS.a!], 'd', REPORTS.d);
    const t = topologyOf(REPORTS.a!, reports);
    expect(t.nodes.find((n) => n.id === 'd')).toMatchObject({ crawled: true, height: 5, agrees: true });
    expect(t.nodes.find((n) => n.id === 'e')).toMatchObject({ crawled: false, height: 3, agrees: false });
    expect(t.edges).toHaveLength(4); // a-b, a-d, c-d, d-e
    // c tells its API through d; e does not, so it is never offered.
    expect(askablePeers(reports).map((p) => p.id)).toEqual(['b', 'c']);
    reports = withReport(reports, 'c', REPORTS.c);
    expect(topologyOf(REPORTS.a!, reports).nodes.find((n) => n.id === 'c')).toMatchObject({ agrees: false });
  });

  it('keeps a node that answers as someone else, or not at all, as its peers describe it', () => {
    expect(withReport([REPORTS.a!], 'b', REPORTS.c)).toEqual([REPORTS.a]);
    expect(withReport([REPORTS.a!], 'b', undefined)).toEqual([REPORTS.a]);
    expect(withReport([REPORTS.a!], 'a', REPORTS.a)).toEqual([REPORTS.a]);
  });

  it('puts nodes on a circle, the first at the top', () => {
    const pts = circleLayout(4, 10, 50, 50);
    expect(pts[0]).toEqual({ x: 50, y: 40 });
    expect(pts[2]!.y).toBeCloseTo(60);
    expect(circleLayout(1, 10, 50, 50)).toEqual([{ x: 50, y: 50 }]);
    expect(topologyOf(REPORTS.a!, [REPORTS.a!]).edges).toHaveLength(2);
  });
});
