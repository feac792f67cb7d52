// A confirmed transaction's Merkle path, replayed in the browser against its block's header.
import { useNode } from '../../api/node.js';
import type { TxJson } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { replayMerkleProof } from '../../lib/merkle-path.js';
import { Badge, Empty, ErrorBox, Loading } from '../ui.js';

export function MerklePath({ tx }: { tx: TxJson }) {
  const { chainVersion } = useNode();
  const block = useApi(tx.block ? 'getBlock' : null, { params: { id: tx.block?.hash ?? '' } }, chainVersion);
  if (!tx.block || !tx.merkleProof)
    return <Empty>The Merkle proof exists once the transaction is in a block.</Empty>;
  const replay = replayMerkleProof(tx.txid, tx.merkleProof);
  const root = block.data?.merkleRoot;
  const ok = root !== undefined && root === replay.root;
  return (
    <div data-testid="merkle-proof">
      <p className="hint">
        Hash the txid with each sibling in turn (double SHA-256 of left‖right); the result must be the block's
        Merkle root.{' '}
        {tx.merkleProof.length === 0 && 'This is the only transaction in its block: its txid is the root.'}
      </p>
      <ol className="merkle-path">
        <li>
          <span className="step-label">txid</span>
          <code className="hash hash-full">{tx.txid}</code>
        </li>
        {replay.steps.map((s, i) => (
          // A proof is a fixed sequence: the step number is its identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <li key={i}>
            <span className="step-label">
              step {i + 1}: sibling on the {s.side}
            </span>
            <code className="hash hash-full sibling">{s.sibling}</code>
            <span className="step-label">→</span>
            <code className="hash hash-full">{s.result}</code>
          </li>
        ))}
      </ol>
      <p data-testid="merkle-verdict">
        {root === undefined ? (
          block.error ? (
            <ErrorBox error={block.error} title="Could not load the block's header" />
          ) : (
            <Loading what="Checking against the block header" />
          )
        ) : ok ? (
          <Badge kind="ok">✓ matches the Merkle root of block #{tx.block.height}</Badge>
        ) : (
          <Badge kind="bad">✗ does not match the block's Merkle root {root}</Badge>
        )}
      </p>
    </div>
  );
}
