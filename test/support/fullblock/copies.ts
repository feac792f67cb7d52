// Corrupted copies of a valid block, one per rule a body can break on its own: each copy keeps the
// real block's header (so its hash) and breaks the rule in its body. The header's Merkle root does
// not commit to that body, so the copy says nothing against the header: it must be refused as
// malleated, and the real block accepted when it comes. Part of the table in table.ts.
import type { RuleCode, Tx } from '../../../src/core/index.js';
import {
  editCoinbase,
  editTx,
  type FullBlockGenerator,
  fillTo,
  type Munger,
  type SpendableOut,
  setTxs,
  sizedSpendTx,
} from './generator.js';

interface CopyCase {
  /** Names the blocks of the case. */
  readonly label: string;
  readonly rule: RuleCode;
  /** Breaks `rule` in the body of a block [coinbase, a spend of `out`], leaving the header alone. */
  readonly corrupt: (out: SpendableOut) => Munger;
}

const setFirstAmount = (amount: bigint) => (tx: Tx) => ({
  ...tx,
  outputs: tx.outputs.map((o, i) => (i === 0 ? { ...o, amount } : o)),
});

function copyCases(fillers: readonly SpendableOut[]): CopyCase[] {
  return [
    {
      label: 'data-size',
      rule: 'bad-data-size',
      corrupt: () => editTx(1, (tx) => ({ ...tx, data: new Uint8Array(1025) })),
    },
    { label: 'tx-version', rule: 'bad-version', corrupt: () => editTx(1, (tx) => ({ ...tx, version: 3 })) },
    { label: 'no-outputs', rule: 'no-outputs', corrupt: () => editTx(1, (tx) => ({ ...tx, outputs: [] })) },
    { label: 'zero-amount', rule: 'bad-amount', corrupt: () => editTx(1, setFirstAmount(0n)) },
    {
      label: 'tx-too-large',
      rule: 'tx-too-large',
      corrupt: (out) => setTxs((b, g) => [b.txs[0]!, sizedSpendTx(g, out, 100_001)]),
    },
    {
      label: 'spends-twice',
      rule: 'double-spend',
      corrupt: (out) =>
        setTxs((b, g) => [
          b.txs[0]!,
          g.spendTx([out, out], { outputs: [{ amount: out.amount, address: g.minerAddress }] }),
        ]),
    },
    {
      label: 'coinbase-data',
      rule: 'bad-coinbase-data',
      corrupt: () => editCoinbase((tx) => ({ ...tx, data: tx.data.slice(0, 11) })),
    },
    { label: 'coinbase-second', rule: 'bad-coinbase', corrupt: () => setTxs((b) => [b.txs[1]!, b.txs[0]!]) },
    { label: 'block-too-large', rule: 'block-too-large', corrupt: () => fillTo(fillers, 1_000_001) },
  ];
}

/**
 * For each case, on the tip: the corrupted body under a header of its own (refused for the rule,
 * for good: the body really breaks it), then under the real block's header (refused as malleated),
 * then the real block (accepted). `outs` are unspent outputs, one per case; `fillers` fill a block.
 *
 *   tip -> real-data-size -> real-tx-version -> ... -> real-block-too-large -> ...
 *      \-> data-size-mined(x)   \-> tx-version-mined(x)
 */
export function corruptedCopies(
  g: FullBlockGenerator,
  outs: readonly SpendableOut[],
  fillers: readonly SpendableOut[],
): void {
  const cases = copyCases(fillers);
  if (outs.length < cases.length) throw new Error(`corrupted copies need ${cases.length} outs`);
  cases.forEach((c, i) => {
    const out = outs[i]!;
    const parent = g.tip.name;
    const real = `real-${c.label}`;
    g.nextBlock(real, { spends: [out] });
    g.setTip(parent);
    g.nextBlock(`${c.label}-mined`, { spends: [out], munge: c.corrupt(out) });
    g.reject(c.rule);
    g.corruptCopy(`${c.label}-copy`, real, c.corrupt(out));
    g.reject('bad-merkle-root', { malleated: true });
    if (i === 0) g.reject('bad-merkle-root', { malleated: true, as: `${c.label}-copy again` });
    g.setTip(real);
    g.accept();
  });

  // A child of a block refused for its own rule is refused too, without waiting as an orphan.
  const tip = g.tip.name;
  g.setTip('coinbase-data-mined');
  g.nextBlock('child-of-coinbase-data-mined');
  g.reject('bad-prev-block');

  // A child of a block seen so far only as a corrupted copy waits as an orphan for the real one.
  //
  //   ... -> real-block-too-large -> real-after-copy -> child-of-real-after-copy
  g.setTip(tip);
  g.nextBlock('real-after-copy');
  g.corruptCopy('real-after-copy-copy', 'real-after-copy', (b) => ({ ...b, txs: [b.txs[0]!, b.txs[0]!] }));
  g.reject('bad-merkle-root', { malleated: true });
  g.setTip('real-after-copy');
  g.nextBlock('child-of-real-after-copy');
  g.orphan();
  g.accept({ block: 'real-after-copy', tip: 'child-of-real-after-copy' });
}
