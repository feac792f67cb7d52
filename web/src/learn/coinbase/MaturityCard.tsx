// Coinbase maturity: new coins wait coinbaseMaturity blocks, in case their block is replaced by a fork.
import { useState } from 'react';
import type { NetworkParams } from '../../../../src/core/params.js';
import { isMature } from '../../../../src/core/validation.js';
import { firstSpendableHeight } from '../lib/subsidy.js';
import { Verdict } from '../ui.js';

export function MaturityCard({ params }: { params: NetworkParams }) {
  const mined = 10;
  const [spendAt, setSpendAt] = useState(mined + 1);
  const coin = { amount: params.initialSubsidy, address: new Uint8Array(20), height: mined, coinbase: true };
  const mature = isMature(coin, spendAt, params);
  const from = firstSpendableHeight(params, mined);
  return (
    <section className="card learn-section learn-step" aria-labelledby="cb-maturity">
      <h2 id="cb-maturity">Maturity</h2>
      <p>
        If a block is replaced by a competing branch, its coinbase never existed, and every payment built on
        it would vanish too. So coinbase outputs cannot be spent until {params.coinbaseMaturity} block
        {params.coinbaseMaturity === 1 ? '' : 's'} later on {params.name} (ordinary outputs are spendable at
        once).
      </p>
      <div className="learn-controls">
        <div className="field">
          <label htmlFor="cb-spend">
            Coinbase mined at height {mined}; spend it in a block at height {spendAt}
          </label>
          <input
            id="cb-spend"
            type="range"
            min={mined}
            max={mined + Math.max(4, params.coinbaseMaturity + 20)}
            value={spendAt}
            onChange={(e) => setSpendAt(Number(e.target.value))}
            data-testid="cb-spend"
          />
        </div>
      </div>
      <Verdict
        ok={mature}
        okText={`mature: spendable from height ${from}`}
        code="immature-coinbase"
        message={`spendable from height ${from}, ${from - spendAt} more block${from - spendAt === 1 ? '' : 's'}`}
        testId="cb-maturity-verdict"
      />
    </section>
  );
}
