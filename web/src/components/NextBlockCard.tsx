// The projected next block (GET /api/v1/fees: the miner's own selection over the pool) and the fee
// estimates, on the miner page next to the mempool.
import { useNode } from '../api/node.js';
import { useApi } from '../api/use-api.js';
import { plural } from '../lib/plural.js';
import { Amount, Card, ErrorBox, Loading, Stat } from './ui.js';

const rate = (n: number) => n.toFixed(n >= 10 ? 0 : 2);

export function NextBlockCard() {
  const { chainVersion, mempoolVersion } = useNode();
  const fees = useApi('getFees', {}, chainVersion * 1_000_000 + mempoolVersion);
  const f = fees.data;
  const next = f?.projected[0];
  return (
    <Card title="Projected next block" testId="next-block">
      {fees.error && !f ? (
        <ErrorBox error={fees.error} />
      ) : !f ? (
        <Loading what="Loading fee estimates" />
      ) : (
        <>
          <div className="stats">
            <Stat label="Transactions" value={next ? next.count : 0} testId="next-block-count" />
            <Stat
              label="Total fees"
              value={<Amount value={next ? next.fees : '0'} />}
              testId="next-block-fees"
            />
            <Stat
              label="Fee rates"
              value={next ? `${rate(next.minFeeRate)} – ${rate(next.maxFeeRate)} units/byte` : '–'}
              testId="next-block-rates"
            />
            <Stat
              label="Still waiting after it"
              value={plural(Math.max(0, f.mempool.count - (next?.count ?? 0)), 'tx', 'txs')}
            />
          </div>
          <p className="muted" data-testid="fee-estimates">
            Fee rate to confirm within 1 block: <strong>{f.nextBlock}</strong>, 3 blocks:{' '}
            <strong>{f.within3Blocks}</strong>, 6 blocks: <strong>{f.within6Blocks}</strong> base units per
            byte (minimum relay {f.minFeeRate}; from the pool and the last{' '}
            {plural(f.history.blocks, 'block', 'blocks')}, {f.history.fullBlocks} full).
          </p>
        </>
      )}
    </Card>
  );
}
