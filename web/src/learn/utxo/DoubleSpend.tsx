// After the payment is confirmed, Alice tries to spend the same coin again: the real checks refuse it.
import { useState } from 'react';
import type { NetworkParams } from '../../../../src/core/params.js';
import type { BuiltTx } from '../../../../src/wallet/build-tx.js';
import { type Ledger, type Person, respend, type TxCheck, validateTx } from '../lib/utxo.js';
import { TxChecks } from './TxChecks.js';

export function DoubleSpend(props: {
  built: BuiltTx;
  owner: Person;
  to: Person;
  ledger: Ledger;
  before: Ledger;
  params: NetworkParams;
}) {
  const [again, setAgain] = useState<TxCheck[] | null>(null);
  const [twice, setTwice] = useState<TxCheck[] | null>(null);
  const { built, owner, to, params } = props;
  return (
    <section className="card learn-section learn-step" aria-labelledby="utxo-double">
      <h2 id="utxo-double">Spend the same coin twice</h2>
      <p>
        The payment is in a block: its inputs left the UTXO set and Bob's output joined it. Now Alice signs a
        new, perfectly valid-looking transaction giving the same coin to {to.name}.
      </p>
      <div className="learn-grid">
        <div className="learn-box">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setAgain(validateTx(respend(built, owner, to), props.ledger, params).checks)}
            data-testid="utxo-respend"
          >
            Pay {to.name} with the spent coin
          </button>
          {again && <TxChecks checks={again} testId="utxo-respend-checks" />}
          <p className="small muted">
            The signature is fine; the coin is simply no longer in the set. Whoever's transaction is in a
            block first wins — which is why a payment counts only once it is confirmed.
          </p>
        </div>
        <div className="learn-box">
          <button
            type="button"
            className="btn"
            onClick={() => setTwice(validateTx(respend(built, owner, to, true), props.before, params).checks)}
            data-testid="utxo-twice"
          >
            List one coin twice in one transaction
          </button>
          {twice && <TxChecks checks={twice} testId="utxo-twice-checks" />}
          <p className="small muted">Even before the payment, one transaction cannot spend a coin twice.</p>
        </div>
      </div>
    </section>
  );
}
