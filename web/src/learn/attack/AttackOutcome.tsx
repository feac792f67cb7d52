// The end of an attack run (the reorganisation and the refused payment, or the attacker giving up and
// what it cost her) and the catch-up odds by confirmations.
import { formatAmount } from '../../lib/format.js';
import { plural } from '../../lib/plural.js';
import { type AttackRun, catchUpProbability } from '../lib/attack.js';

/** The paper's 10 % and 30 %, and the share chosen above. */
const oddsShares = (share: number) => [...new Set([0.1, 0.3, Math.round(share * 100) / 100])];
const percent = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;

export function AttackOutcome({ run, share }: { run: AttackRun; share: number }) {
  return (
    <div
      className={`learn-box ${run.outcome === 'double-spent' ? 'bad' : 'ok'}`}
      data-testid="attack-outcome"
      data-outcome={run.outcome}
      data-code={run.paymentCode}
    >
      {run.outcome === 'double-spent' && run.reorg ? (
        <>
          <strong>
            Reorganisation: {run.reorg.disconnected} blocks disconnected, {run.reorg.connected} connected.
          </strong>
          <span>
            The merchant's payment is gone from the chain, and it can never come back: checked against the new
            UTXO set it is refused with <span className="badge badge-bad">{run.paymentCode}</span> — its coin
            is spent. Mallory has the goods and her coin.
          </span>
          <span className="small">
            Cost to Mallory: nothing but the hashing — the rewards of her {plural(run.privateBlocks, 'block')}{' '}
            are hers on the winning branch. With {Math.round(share * 100)} % of the hash power she can do this
            at will.
          </span>
        </>
      ) : (
        <>
          <strong>Mallory gives up: the honest chain is too far ahead.</strong>
          <span>
            The payment stays confirmed. Mallory's {plural(run.privateBlocks, 'private block')}{' '}
            {run.privateBlocks === 1 ? 'is' : 'are'} worthless: she forfeited{' '}
            <strong data-testid="attack-forfeited">{formatAmount(run.forfeited)}</strong> of rewards she would
            have earned by mining honestly.
          </span>
        </>
      )}
    </div>
  );
}

export function OddsTable({ share }: { share: number }) {
  return (
    <section className="card learn-section learn-step" aria-labelledby="attack-why">
      <h2 id="attack-why">Why confirmations matter</h2>
      <p>
        An attacker with a share q &lt; ½ of the hash power falls behind on average; the chance she ever
        catches up from z blocks behind shrinks exponentially with z (the Bitcoin paper, section 11). With q ≥
        ½ she always wins eventually: no number of confirmations helps.
      </p>
      <div className="table-wrap">
        <table className="learn-table" data-testid="attack-odds">
          <thead>
            <tr>
              <th>z</th>
              {oddsShares(share).map((q) => (
                <th key={q} className="num">
                  q = {Math.round(q * 100)} %
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[0, 1, 2, 3, 4, 5, 6].map((z) => (
              <tr key={z}>
                <td>{z}</td>
                {oddsShares(share).map((q) => (
                  <td key={q} className="num">
                    {percent(catchUpProbability(q, z))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
