// Where fees go: the coinbase may claim subsidy plus the block's fees, and not one unit more.
import { useMemo, useState } from 'react';
import type { NetworkParams } from '../../../../src/core/params.js';
import { formatAmount } from '../../lib/format.js';
import { feeBlock } from '../lib/subsidy.js';
import { person, startLedger } from '../lib/utxo.js';
import { Verdict } from '../ui.js';

export function FeesCard({ params }: { params: NetworkParams }) {
  const [height, setHeight] = useState(params.halvingInterval + 1);
  const [extra, setExtra] = useState(0);
  const fb = useMemo(() => {
    const alice = person('Alice', params);
    return feeBlock(
      params,
      startLedger(alice),
      alice,
      person('Bob', params),
      person('Miner', params),
      height,
      BigInt(extra),
    );
  }, [params, height, extra]);
  return (
    <section className="card learn-section learn-step" aria-labelledby="cb-fees">
      <h2 id="cb-fees">Where fees go</h2>
      <p>
        A transaction's fee is what its inputs hold beyond its outputs. Nobody receives it directly: the miner
        who includes the transaction adds it to the coinbase. The node checks the coinbase pays at most
        subsidy + fees (connectBlock); try to claim one unit more.
      </p>
      <div className="learn-controls">
        <div className="field">
          <label htmlFor="cb-height">Block height</label>
          <input
            id="cb-height"
            type="number"
            min={1}
            value={height}
            onChange={(e) => setHeight(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
          />
        </div>
        <div className="field">
          <label htmlFor="cb-extra">Miner claims extra (units)</label>
          <input
            id="cb-extra"
            type="number"
            min={0}
            value={extra}
            onChange={(e) => setExtra(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            data-testid="cb-extra"
          />
        </div>
      </div>
      <table className="learn-table" data-testid="cb-fee-table">
        <tbody>
          <tr>
            <td>Subsidy at height {fb.height.toLocaleString('en-US')}</td>
            <td className="num">{formatAmount(fb.subsidy)}</td>
          </tr>
          {fb.fees.map((fee, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the payments of the block, by position.
            <tr key={i}>
              <td>Fee of payment {i + 1}</td>
              <td className="num">{formatAmount(fee)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <strong>Coinbase pays the miner</strong>
            </td>
            <td className="num">
              <strong>{formatAmount(fb.paid)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
      <Verdict
        ok={fb.result.ok}
        okText={fb.result.ok ? `block connects: fees ${formatAmount(fb.result.fees)} collected` : ''}
        code={fb.result.ok ? undefined : fb.result.code}
        message={fb.result.ok ? undefined : fb.result.message}
        testId="cb-fee-verdict"
      />
    </section>
  );
}
