// The UTXO set as a table: who owns each unspent output, and how much it holds.
import { formatAmount, shortHash } from '../../lib/format.js';
import type { Ledger } from '../lib/utxo.js';

export function UtxoTable(props: { ledger: Ledger; names: Record<string, string>; testId: string }) {
  const coins = [...props.ledger.coins.values()];
  return (
    <div className="table-wrap">
      <table className="learn-table" data-testid={props.testId}>
        <thead>
          <tr>
            <th>Outpoint (txid:index)</th>
            <th>Owner</th>
            <th className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {coins.map((c) => (
            <tr key={`${c.txid}:${c.index}`} data-testid={`${props.testId}-row`}>
              <td>
                <code className="hash">
                  {shortHash(c.txid, 8, 4)}:{c.index}
                </code>
              </td>
              <td>{props.names[c.owner] ?? shortHash(c.owner, 10, 4)}</td>
              <td className="num">{formatAmount(c.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
