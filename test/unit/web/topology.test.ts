import { describe, expect, it } from 'vitest';
import { circleLayout, crawl, type NodeReport, topologyOf } from '../../../web/src/lib/topology.js';

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

const fetcher = async (api: string) => REPORTS[api.slice('http://'.length)];

describe('network topology', () => {
  it('follows peers that tell their API, and links each pair once', async () => {
    const t = await crawl(REPORTS.a!, fetcher);
    expect(t.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(t.nodes[0]).toMatchObject({ id: 'a', self: true, agrees: true });
    expect(t.nodes.find((n) => n.id === 'c')).toMatchObject({ agrees: false, crawled: true, height: 4 });
    expect(t.nodes.find((n) => n.id === 'e')).toMatchObject({ crawled: false, height: 3, agrees: false });
    expect(t.edges.map((e) => e.join('-')).sort()).toEqual(['a-b', 'a-d', 'b-c', 'c-d', 'd-e']);
  });

  it('keeps a node it cannot reach, or that answers as someone else, as its peers describe it', async () => {
    const t = await crawl(REPORTS.a!, async (api) => (api === 'http://b' ? REPORTS.c : undefined));
    expect(t.nodes.map((n) => `${n.id}:${n.crawled}`)).toEqual(['a:true', 'b:false', 'd:false']);
    expect(t.edges).toHaveLength(2);
  });

  it('asks at most `max` other nodes', async () => {
    let asked = 0;
    await crawl(
      REPORTS.a!,
      async (api) => {
        asked++;
        return fetcher(api);
      },
      2,
    );
    expect(asked).toBe(2);
  });

  it('puts nodes on a circle, the first at the top', () => {
    const pts = circleLayout(4, 10, 50, 50);
    expect(pts[0]).toEqual({ x: 50, y: 40 });
    expect(pts[2]!.y).toBeCloseTo(60);
    expect(circleLayout(1, 10, 50, 50)).toEqual([{ x: 50, y: 50 }]);
    expect(topologyOf(REPORTS.a!, [REPORTS.a!]).edges).toHaveLength(2);
  });
});
