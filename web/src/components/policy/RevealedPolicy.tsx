// A policy address's policy as a spend of one of its coins revealed it: the newest spend on the page
// of history shown (a negative change), looked up, and its input from this address read.
import type { HistoryEntryJson } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { href } from '../../lib/route.js';
import { HashLink } from '../ui.js';
import { PolicyTree } from './PolicyTree.js';

export function RevealedPolicy({
  address,
  history,
}: {
  address: string;
  history: readonly HistoryEntryJson[];
}) {
  const spend = history.find((h) => h.delta.startsWith('-'));
  const { data: tx } = useApi(spend ? 'getTx' : null, { params: { txid: spend?.txid ?? '' } });
  const policy = tx?.inputs.find((i) => i.address === address && i.policy?.text)?.policy;
  if (!spend || !tx || !policy) {
    return (
      <p className="muted small" data-testid="address-policy-unknown">
        No spend from this address is in the history shown, so its policy has not been revealed here.
      </p>
    );
  }
  return (
    <div data-testid="address-policy-revealed">
      <p className="small">
        Revealed by the spend <HashLink hash={tx.txid} to={href.tx(tx.txid)} />:
      </p>
      <code className="hash hash-full hash-wrap small" data-testid="address-policy-text">
        {policy.text}
      </code>
      <PolicyTree fragments={policy.fragments.map(({ used: _used, ...f }) => f)} />
    </div>
  );
}
