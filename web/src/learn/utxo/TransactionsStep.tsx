// Step 6: Alice pays Bob from her coins with change and a fee; the txid leaves the signatures out; the
// real validation confirms the payment, then refuses the same coin spent again, with its rule code.
import { useMemo, useState } from 'react';
import type { Tx } from '../../../../src/core/tx.js';
import type { BuiltTx } from '../../../../src/wallet/build-tx.js';
import { parseAmount } from '../../lib/format.js';
import { applyTx, pay, person, startLedger, tamperSignature, validateTx } from '../lib/utxo.js';
import { useLearnParams } from '../useLearnParams.js';
import { DoubleSpend } from './DoubleSpend.js';
import { PaymentView } from './PaymentView.js';
import { UtxoTable } from './UtxoTable.js';

export function TransactionsStep() {
  const params = useLearnParams();
  const people = useMemo(() => ['Alice', 'Bob', 'Carol'].map((n) => person(n, params)), [params]);
  const [alice, bob, carol] = people as [
    ReturnType<typeof person>,
    ReturnType<typeof person>,
    ReturnType<typeof person>,
  ];
  const names = Object.fromEntries(people.map((p) => [p.address, p.name]));
  const [ledger, setLedger] = useState(() => startLedger(alice));
  const [amountText, setAmountText] = useState('24');
  const [feeRateText, setFeeRateText] = useState('10');
  const [built, setBuilt] = useState<BuiltTx | null>(null);
  const [tampered, setTampered] = useState(false);
  const [confirmed, setConfirmed] = useState<typeof ledger | null>(null);
  const [error, setError] = useState('');

  const build = () => {
    try {
      setBuilt(pay(ledger, params, alice, bob, parseAmount(amountText), BigInt(Number(feeRateText) || 0)));
      setTampered(false);
      setError('');
    } catch (e) {
      setBuilt(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const tx: Tx | null = built ? (tampered ? tamperSignature(built.tx) : built.tx) : null;
  // Once confirmed, the payment is shown as it was judged: against the coins before its block.
  const result = tx ? validateTx(tx, confirmed ?? ledger, params) : null;
  const confirm = () => {
    if (!tx || !result?.fee) return;
    setConfirmed(ledger);
    setLedger(applyTx(ledger, tx, params));
  };
  const reset = () => {
    setLedger(startLedger(alice));
    setBuilt(null);
    setConfirmed(null);
    setTampered(false);
  };

  return (
    <>
      <section className="card learn-section learn-step" aria-labelledby="utxo-set">
        <h2 id="utxo-set">The UTXO set</h2>
        <p>
          There are no account balances. The chain keeps a set of unspent transaction outputs (UTXOs), each
          locked to an address. Alice's "balance" is just the sum of the outputs she holds the key for.
        </p>
        <UtxoTable ledger={ledger} names={names} testId="utxo-table" />
      </section>

      <section className="card learn-section learn-step" aria-labelledby="utxo-pay">
        <h2 id="utxo-pay">Alice pays Bob</h2>
        <p>
          A transaction consumes whole outputs and creates new ones: the payment, change back to Alice, and
          whatever is left over is the fee the miner collects. The wallet's coin selection picks the inputs.
        </p>
        <div className="learn-controls">
          <div className="field">
            <label htmlFor="utxo-amount">Amount (HL)</label>
            <input
              id="utxo-amount"
              value={amountText}
              onChange={(e) => setAmountText(e.target.value)}
              data-testid="utxo-amount"
            />
          </div>
          <div className="field">
            <label htmlFor="utxo-fee">Fee rate (units per byte)</label>
            <input
              id="utxo-fee"
              type="number"
              min={0}
              value={feeRateText}
              onChange={(e) => setFeeRateText(e.target.value)}
            />
          </div>
          <button
            type="button"
            className="btn btn-primary"
            onClick={build}
            disabled={confirmed !== null}
            data-testid="utxo-build"
          >
            Build and sign
          </button>
          <button type="button" className="btn" onClick={reset} data-testid="utxo-reset">
            Start over
          </button>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {built && tx && result && (
          <PaymentView
            built={built}
            tx={tx}
            result={result}
            names={names}
            confirmedHeight={confirmed ? ledger.height : null}
            onTamper={() => setTampered((t) => !t)}
            tampered={tampered}
            onConfirm={confirm}
          />
        )}
      </section>

      {built && confirmed && (
        <DoubleSpend
          built={built}
          owner={alice}
          to={carol}
          ledger={ledger}
          before={confirmed}
          params={params}
        />
      )}
    </>
  );
}
