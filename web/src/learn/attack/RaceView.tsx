// The race after the fork point: the public chain the merchant sees, and Mallory's private branch.
import type { SimChain, SimEntry } from '../lib/sim-chain.js';

function Row(props: {
  title: string;
  blocks: readonly SimEntry[];
  marked: string;
  markLabel: string;
  testId: string;
  dim?: boolean;
}) {
  return (
    <div
      className={`race-row${props.dim ? ' dim' : ''}`}
      data-testid={props.testId}
      data-blocks={props.blocks.length}
    >
      <div className="race-title">{props.title}</div>
      <div className="race-blocks">
        <span className="race-block fork">fork</span>
        {props.blocks.map((b) => (
          <span
            key={b.hash}
            className={`race-block${b.txids.includes(props.marked) ? ' marked' : ''}`}
            title={b.hash}
          >
            #{b.height}
            {b.txids.includes(props.marked) && <small>{props.markLabel}</small>}
          </span>
        ))}
      </div>
    </div>
  );
}

export function RaceView(props: {
  chain: SimChain;
  fork: SimEntry;
  publicTip: string;
  privateTip: string;
  payment: string;
  conflict: string;
  published: boolean;
}) {
  const after = (hash: string) => props.chain.branch(hash).slice(props.fork.height + 1);
  const pub = after(props.publicTip);
  const priv = after(props.privateTip);
  const pubWork = props.chain.get(props.publicTip)!.work;
  const privWork = props.chain.get(props.privateTip)!.work;
  return (
    <div className="race">
      <Row
        title={
          props.published ? 'Old public chain (now a side branch)' : 'Public chain — what the merchant sees'
        }
        blocks={pub}
        marked={props.payment}
        markLabel="pays merchant"
        testId="race-public"
        dim={props.published}
      />
      <Row
        title={props.published ? "Mallory's branch, published: the active chain" : "Mallory's private branch"}
        blocks={priv}
        marked={props.conflict}
        markLabel="coin back to Mallory"
        testId="race-private"
      />
      <p className="small muted">
        Work since the fork: public {pub.length} block{pub.length === 1 ? '' : 's'}, private {priv.length}
        {privWork > pubWork ? ' — the private branch has more work' : ''}.
      </p>
    </div>
  );
}
