// Step 8: the subsidy halving as a chart, where fees go (the real connectBlock caps the coinbase), and
// coinbase maturity (the real isMature).
import { useMemo, useState } from 'react';
import { NETWORKS, type NetworkName } from '../../../../src/core/params.js';
import { LineChart } from '../../components/LineChart.js';
import { formatAmount, formatDuration } from '../../lib/format.js';
import { halvingEras, subsidyPoints, supplyPoints, totalSupply } from '../lib/subsidy.js';
import { useLearnParams } from '../useLearnParams.js';
import { FeesCard } from './FeesCard.js';
import { MaturityCard } from './MaturityCard.js';

const compact = (n: number) =>
  n >= 1e6
    ? `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`
    : n >= 1e3
      ? `${(n / 1e3).toFixed(0)}k`
      : n.toFixed(n < 1 ? 3 : 0);

const YEAR = 365.25 * 86_400;
const longDuration = (seconds: number) =>
  seconds >= 2 * YEAR ? `${Math.round(seconds / YEAR)} years` : formatDuration(seconds);

export function CoinbaseStep() {
  const nodeParams = useLearnParams();
  const [network, setNetwork] = useState<NetworkName>('main');
  const params = NETWORKS[network];
  const eras = useMemo(() => halvingEras(params), [params]);
  const supply = totalSupply(params);
  const paying = eras.filter((e) => e.subsidy > 0n).length;
  return (
    <>
      <section className="card learn-section learn-step" aria-labelledby="cb-halving">
        <h2 id="cb-halving">New coins, halving</h2>
        <p>
          The first transaction of every block, the <strong>coinbase</strong>, has no inputs: it creates the
          block's subsidy out of nothing and pays it to the miner. The subsidy halves every{' '}
          {params.halvingInterval.toLocaleString('en-US')} blocks, so the supply approaches a fixed total.
        </p>
        <div className="learn-controls">
          <div className="field">
            <label htmlFor="cb-network">Network</label>
            <select
              id="cb-network"
              value={network}
              onChange={(e) => setNetwork(e.target.value as NetworkName)}
              data-testid="cb-network"
            >
              {(Object.keys(NETWORKS) as NetworkName[]).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p data-testid="cb-summary">
          {formatAmount(params.initialSubsidy)} per block at first, halved {paying - 1} times, nothing from
          height {eras[eras.length - 1]!.startHeight.toLocaleString('en-US')} on (about{' '}
          {longDuration(eras[eras.length - 1]!.startHeight * params.targetSpacing)} of blocks). Total ever:{' '}
          <strong data-testid="cb-total">{formatAmount(supply)}</strong>.
        </p>
        <div className="charts">
          <LineChart
            title="Subsidy per block (HL)"
            points={subsidyPoints(params)}
            formatY={compact}
            testId="cb-subsidy-chart"
          />
          <LineChart
            title="Coins in existence (HL)"
            points={supplyPoints(params)}
            formatY={compact}
            testId="cb-supply-chart"
          />
        </div>
      </section>
      <FeesCard params={nodeParams} />
      <MaturityCard params={params} />
    </>
  );
}
