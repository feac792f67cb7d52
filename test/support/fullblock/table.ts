// The full-block test table: an ordered list of blocks and what a correct node does with each.
// Read it top to bottom; each section says what it proves and draws its forks. Block names appear
// in the coinbase text. "(bN)" after a block means it spends the coinbase of block bN.

import {
  COIN,
  concatBytes,
  createCoinbase,
  decodeCoinbaseData,
  encodeBlock,
  encodeCoinbaseData,
  encodeHeader,
  MAX_FUTURE_SECONDS,
  MAX_MONEY,
  RULE_CODES,
  type RuleCode,
  sha256,
  sighash,
  type Tx,
  txid,
} from '../../../src/core/index.js';
import { RULE_SENTENCES } from '../../../src/core/rule-sentences.js';
import { sign } from '../../../src/crypto/ed25519.js';
import { corruptedCopies } from './copies.js';
import {
  type BlockOptions,
  coinbasePaysExtra,
  editCoinbase,
  editTx,
  FULLBLOCK_NOW,
  FullBlockGenerator,
  fillTo,
  type SpendableOut,
  setHeader,
  setTxs,
  sizedSpendTx,
  type TestInstance,
  unmine,
} from './generator.js';
import { policyTests } from './policy-table.js';

/** Codes the table must cover: every rule code except the mempool's policy codes (protocol.md's levels). */
export const CONSENSUS_CODES: readonly RuleCode[] = (Object.keys(RULE_CODES) as RuleCode[]).filter(
  (c) => RULE_SENTENCES[c].level !== 'mempool policy',
);

export function fullBlockTests(): TestInstance[] {
  const g = new FullBlockGenerator();
  const cb = (name: string): SpendableOut => g.coinbaseOut(name);

  /** A block on the tip that must be rejected; the tip then goes back to where it was. */
  const rejectOnTip = (
    name: string,
    code: RuleCode,
    opts: BlockOptions & { malleated?: boolean } = {},
  ): void => {
    const parent = g.tip.name;
    g.nextBlock(name, opts);
    g.reject(code, { malleated: opts.malleated ?? false });
    g.setTip(parent);
  };
  const acceptOnTip = (name: string, opts: BlockOptions = {}): void => {
    g.nextBlock(name, opts);
    g.accept();
  };

  // -------------------------------------------------------------------------------------------
  // A main chain, and coinbase maturity (3 on this network: an output of the coinbase at height
  // h can be spent from height h + 3).
  //
  //   genesis -> b1 -> b2 -> b3 -> b4(b1) -> b5(b2)
  //                            \-> b4-immature(b2)     b2's coinbase is 2 blocks old: rejected
  acceptOnTip('b1');
  acceptOnTip('b2');
  acceptOnTip('b3');
  rejectOnTip('b4-immature', 'immature-coinbase', { spends: [cb('b2')] });
  acceptOnTip('b4', { spends: [cb('b1')] });
  acceptOnTip('b5', { spends: [cb('b2')] });

  // -------------------------------------------------------------------------------------------
  // Fork choice: most cumulative work wins; on equal work the block seen first stays.
  //
  //   ... -> b4(b1) -> b5(b2)                 tip
  //                \-> b6(b2)                 equal work: side chain, b5 stays the tip
  g.setTip('b4');
  g.nextBlock('b6', { spends: [cb('b2')] });
  g.accept({ tip: 'b5' });

  //   ... -> b4(b1) -> b5(b2)
  //                \-> b6(b2) -> b7(b3)       more work: reorganise onto b7
  // (b5 and b6 spend the same output: the reorg must give it back before b6 takes it.)
  acceptOnTip('b7', { spends: [cb('b3')] });

  //   ... -> b4(b1) -> b5(b2) -> b8(b3) -> b9(b4)   more work again: back to the first branch
  //                \-> b6(b2) -> b7(b3)
  g.setTip('b5');
  g.nextBlock('b8', { spends: [cb('b3')] });
  g.accept({ tip: 'b7' });
  acceptOnTip('b9', { spends: [cb('b4')] });

  // -------------------------------------------------------------------------------------------
  // A reorganisation onto a branch whose new block breaks a rule found only when connecting:
  // the node must fall back to the branch it had.
  //
  //   ... -> b5(b2) -> b8(b3) -> b9(b4)                     tip, and stays the tip
  //      \-> b6(b2) -> b7(b3) -> b10(b4) -> b11(b6)x         b11's coinbase pays 1 too much
  //                                                 \-> b12  child of an invalid block
  g.setTip('b7');
  g.nextBlock('b10', { spends: [cb('b4')] });
  g.accept({ tip: 'b9' });
  g.nextBlock('b11', { spends: [cb('b6')], munge: coinbasePaysExtra(1n) });
  g.reject('bad-coinbase-amount');
  g.expectTip('b9');
  g.nextBlock('b12');
  g.reject('bad-prev-block');

  // -------------------------------------------------------------------------------------------
  // An invalid block in the middle of a branch. Arriving with equal work it is stored as a side
  // block, unchecked against the coins; the block that makes its branch heavier triggers the
  // reorganisation, which fails at b14: b14 is invalid for its own rule, b15 and anything built
  // on them for bad-prev-block, and the tip does not move.
  //
  //   ... -> b8(b3) -> b9(b4) -> b13(b5)                    tip
  //      \-> b7(b3) -> b10(b4) -> b14(b6)x -> b15 -> b16
  //                              (b14 pays out 1 more than it spends)
  g.setTip('b9');
  acceptOnTip('b13', { spends: [cb('b5')] });
  g.setTip('b10');
  g.nextBlock('b14', { spends: [cb('b6')], fee: 0n, munge: editTx(1, addToOutput(1n)) });
  g.accept({ tip: 'b13' });
  g.nextBlock('b15');
  g.reject('bad-prev-block');
  g.expectTip('b13');
  g.reject('overspend', { block: 'b14', as: 'b14 again' }); // known invalid, for its own reason
  g.nextBlock('b16');
  g.reject('bad-prev-block');

  // -------------------------------------------------------------------------------------------
  // An orphan: a block arrives before its parent, is held, and connects when the parent comes.
  //
  //   ... -> b13(b5) -> b17(b8) -> b18(b9)      b18 first (orphan), then b17: tip b18
  g.setTip('b13');
  g.nextBlock('b17', { spends: [cb('b8')] });
  g.nextBlock('b18', { spends: [cb('b9')] });
  g.orphan('b18');
  g.accept({ block: 'b17', tip: 'b18' });
  g.expectTip('b18');

  // -------------------------------------------------------------------------------------------
  // Malleated copies: a corrupted body under a good header is rejected without condemning the
  // hash, so the real block is accepted afterwards.
  //
  // Duplicate transactions (CVE-2012-2459): [coinbase, t1, t2] and [coinbase, t1, t2, t2] have
  // the same Merkle root. b20 (child of b19) arrives while only the bad copy was seen: an orphan.
  //
  //   ... -> b18(b9) -> b19(b13: t1, t2 spends t1) -> b20
  const t1 = g.spendTx([cb('b13')]);
  const t2 = g.spendTx([g.txOut(t1, 0)]);
  g.nextBlock('b19', { txs: [t1, t2] });
  g.corruptCopy('b19-duplicate-tx', 'b19', (b) => ({ ...b, txs: [...b.txs, b.txs[2]!] }));
  g.reject('duplicate-tx', { malleated: true });
  g.setTip('b19');
  g.nextBlock('b20');
  g.orphan('b20');
  g.accept({ block: 'b19', tip: 'b20' });

  // Other signatures under the same header: txids leave signatures out, but the coinbase's signature
  // root commits to them. A copy whose signature is swapped for another well-formed one (a real
  // signature of another message) is refused as malleated and not stored; the real block comes after.
  //
  //   ... -> b20 -> b21(b17)
  g.nextBlock('b21', { spends: [cb('b17')] });
  g.corruptCopy('b21-swapped-signature', 'b21', (b, gen) => ({
    ...b,
    txs: [b.txs[0]!, signOverAmounts(b.txs[1]!, [cb('b17').amount + 1n], gen)],
  }));
  g.reject('bad-sig-commitment', { malleated: true });
  g.accept({ block: 'b21' });

  // Bytes that do not decode: a trailing byte, a truncation, a non-canonical transaction count.
  //
  //   ... -> b21(b17) -> b22(b18)
  g.setTip('b21');
  const b22 = g.nextBlock('b22', { spends: [cb('b18')] });
  const b22Bytes = encodeBlock(b22);
  g.reject('bad-encoding', {
    malleated: true,
    as: 'b22-trailing-byte',
    raw: concatBytes(b22Bytes, new Uint8Array([0])),
  });
  g.reject('bad-encoding', {
    malleated: true,
    as: 'b22-truncated',
    raw: b22Bytes.subarray(0, b22Bytes.length - 1),
  });
  g.reject('bad-encoding', {
    malleated: true,
    as: 'b22-non-canonical-tx-count',
    raw: concatBytes(
      encodeHeader(b22.header),
      new Uint8Array([0xfd, b22.txs.length, 0]),
      b22Bytes.subarray(81),
    ),
  });
  g.accept();

  // A body missing a transaction: the Merkle root does not match.
  //
  //   ... -> b22(b18) -> b23(b19, b20)
  g.nextBlock('b23', { spends: [cb('b19'), cb('b20')] });
  g.corruptCopy('b23-missing-tx', 'b23', (b) => ({ ...b, txs: b.txs.slice(0, 2) }));
  g.reject('bad-merkle-root', { malleated: true });
  g.accept({ block: 'b23' });

  // A side block mined with a bad signature its signature root commits to: stored unchecked, it
  // fails when bad-sig-child makes its branch heavier. Both are dropped, not condemned (bad-signature
  // is kept malleated): the tip stays b24.
  //
  //   ... -> b23 -> b24                          tip until b26 is accepted
  //             |-> bad-sig(b21) -> bad-sig-child   a signature that does not verify, committed
  //             \-> b25(b21) -> b26                b25 first arrives with a corrupted signature
  g.setTip('b23');
  acceptOnTip('b24');
  g.setTip('b23');
  g.nextBlock('bad-sig', {
    spends: [cb('b21')],
    munge: editTx(1, flipSignatureBit, { resign: false }),
  });
  g.accept({ tip: 'b24' });
  g.nextBlock('bad-sig-child');
  g.reject('bad-prev-block', { malleated: true }); // built on a stored block that failed as malleated
  g.expectTip('b24');

  // A corrupted signature in a copy of a side block: refused before it is stored, so b26 waits as
  // an orphan until the real b25 comes, then both connect.
  g.setTip('b23');
  g.nextBlock('b25', { spends: [cb('b21')] });
  g.corruptCopy('b25-bad-signature', 'b25', (b) => ({ ...b, txs: [b.txs[0]!, flipSignatureBit(b.txs[1]!)] }));
  g.reject('bad-sig-commitment', { malleated: true });
  g.setTip('b25');
  g.nextBlock('b26');
  g.orphan();
  g.expectTip('b24');
  g.accept({ block: 'b25', tip: 'b26' });

  // -------------------------------------------------------------------------------------------
  // One block per rule, each built on the tip and breaking only that rule. b27 first splits two
  // coinbases into outputs the tests spend (plain outputs: no maturity).
  //
  //   ... -> b25(b21) -> b26 -> b27(b22 into 24 outputs, b23 into 12 outputs) -> ...
  const fanTx = g.spendTx([cb('b22')], { outputs: split(g, cb('b22').amount, 24) });
  const fillerTx = g.spendTx([cb('b23')], { outputs: split(g, cb('b23').amount, 12) });
  acceptOnTip('b27', { txs: [fanTx, fillerTx] });
  const fan = fanTx.outputs.map((_, i) => g.txOut(fanTx, i));
  const fillers = fillerTx.outputs.map((_, i) => g.txOut(fillerTx, i));
  const noSuchTx: SpendableOut = {
    txid: sha256(new TextEncoder().encode('no such tx')),
    index: 0,
    amount: 1000n,
  };

  // Versions.
  rejectOnTip('block-version-2', 'bad-version', { munge: setHeader({ version: 2 }) });
  rejectOnTip('tx-version-3', 'bad-version', {
    spends: [fan[0]!],
    munge: editTx(1, (tx) => ({ ...tx, version: 3 })),
  });

  // Outputs and amounts.
  rejectOnTip('tx-no-outputs', 'no-outputs', {
    spends: [fan[0]!],
    munge: editTx(1, (tx) => ({ ...tx, outputs: [] })),
  });
  rejectOnTip('coinbase-no-outputs', 'no-outputs', { munge: editCoinbase((tx) => ({ ...tx, outputs: [] })) });
  rejectOnTip('tx-zero-output', 'bad-amount', { spends: [fan[0]!], munge: editTx(1, setFirstAmount(0n)) });
  // A coinbase output may be worth 0: once the subsidy is 0, an empty block must still be possible.
  acceptOnTip('coinbase-zero-output', { munge: editCoinbase(setFirstAmount(0n)) });
  rejectOnTip('output-above-max-money', 'bad-amount', {
    munge: editCoinbase(setFirstAmount(MAX_MONEY + 1n)),
  });
  rejectOnTip('outputs-sum-above-max-money', 'bad-amount', {
    munge: editCoinbase((tx) => ({
      ...tx,
      outputs: [tx.outputs[0]!, { ...tx.outputs[0]!, amount: MAX_MONEY }],
    })),
  });

  // Sizes.
  rejectOnTip('data-1025-bytes', 'bad-data-size', {
    spends: [fan[0]!],
    munge: editTx(1, (tx) => ({ ...tx, data: new Uint8Array(1025) })),
  });
  rejectOnTip('tx-100001-bytes', 'tx-too-large', { txs: [sizedSpendTx(g, fan[0]!, 100_001)] });
  rejectOnTip('block-1000001-bytes', 'block-too-large', { munge: fillTo(fillers, 1_000_001) });

  // Inputs that do not exist.
  rejectOnTip('spends-unknown-tx', 'missing-inputs', {
    txs: [g.spendTx([noSuchTx], { key: g.minerKey, outputs: [{ amount: 1n, address: g.minerAddress }] })],
  });
  rejectOnTip('spends-spent-output', 'missing-inputs', { spends: [cb('b1')] });
  rejectOnTip('spends-own-coinbase', 'missing-inputs', {
    munge: (b, gen) => ({ ...b, txs: [b.txs[0]!, gen.spendTx([gen.txOut(b.txs[0]!, 0)])] }),
  });
  rejectOnTip('spends-side-chain-output', 'missing-inputs', { spends: [cb('b24')] });
  {
    const first = g.spendTx([fan[0]!]);
    const second = g.spendTx([g.txOut(first, 0)]);
    rejectOnTip('spends-later-tx-in-block', 'missing-inputs', { txs: [second, first] });
  }

  // Double spends: within one transaction (alone) and across two (against the coins).
  rejectOnTip('tx-spends-output-twice', 'double-spend', {
    txs: [g.spendTx([fan[0]!, fan[0]!], { outputs: [{ amount: fan[0]!.amount, address: g.minerAddress }] })],
  });
  rejectOnTip('two-txs-spend-one-output', 'double-spend', {
    txs: [g.spendTx([fan[0]!], { fee: 1n }), g.spendTx([fan[0]!], { fee: 2n })],
  });

  // Keys and signatures.
  const stranger = g.key('stranger');
  rejectOnTip('key-not-the-address-owner', 'bad-pubkey', { txs: [g.spendTx([fan[0]!], { key: stranger })] });
  rejectOnTip('signed-wrong-amounts', 'bad-signature', {
    spends: [fan[0]!],
    munge: editTx(1, (tx) => signOverAmounts(tx, [fan[0]!.amount + 1n], g), { resign: false }),
    malleated: true,
  });
  rejectOnTip('spends-more-than-inputs', 'overspend', {
    spends: [fan[0]!],
    fee: 0n,
    munge: editTx(1, addToOutput(1n)),
  });

  // The coinbase.
  rejectOnTip('no-transactions', 'bad-coinbase', { munge: setTxs(() => []) });
  rejectOnTip('coinbase-not-first', 'bad-coinbase', {
    spends: [fan[0]!],
    munge: setTxs((b) => [b.txs[1]!, b.txs[0]!]),
  });
  rejectOnTip('two-coinbases', 'bad-coinbase', {
    munge: setTxs((b) => [
      b.txs[0]!,
      createCoinbase({
        height: g.tip.height + 1,
        extraNonce: 1n,
        outputs: [{ amount: 1n, address: g.minerAddress }],
        txs: [],
      }),
    ]),
  });
  rejectOnTip('coinbase-data-11-bytes', 'bad-coinbase-data', {
    munge: editCoinbase((tx) => ({ ...tx, data: tx.data.slice(0, 11) })),
  });
  // A coinbase without a signature root (height and extra-nonce only), and one a byte short of it:
  // the txid covers the record, so this condemns the header (not malleated).
  rejectOnTip('coinbase-data-no-sig-root', 'bad-coinbase-data', {
    spends: [fan[0]!],
    munge: editCoinbase((tx) => ({ ...tx, data: tx.data.slice(0, 12) })),
  });
  rejectOnTip('coinbase-data-43-bytes', 'bad-coinbase-data', {
    spends: [fan[0]!],
    munge: editCoinbase((tx) => ({ ...tx, data: tx.data.slice(0, 43) })),
  });
  rejectOnTip('coinbase-data-101-bytes', 'bad-coinbase-data', {
    munge: editCoinbase((tx) => ({ ...tx, data: concatBytes(tx.data.slice(0, 44), new Uint8Array(57)) })),
  });
  // A mined block whose coinbase commits to other signatures than its own: no copy under this header
  // can match (it would take a SHA-256 preimage), but the code is malleated, so the hash is not condemned.
  rejectOnTip('wrong-sig-root', 'bad-sig-commitment', {
    spends: [fan[0]!],
    munge: editCoinbase((tx) => ({
      ...tx,
      data: concatBytes(
        tx.data.slice(0, 12),
        sha256(new TextEncoder().encode('not the root')),
        tx.data.slice(44),
      ),
    })),
    keepSigRoot: true,
    malleated: true,
  });
  rejectOnTip('coinbase-height-plus-1', 'bad-coinbase-height', { munge: editCoinbase(shiftHeight(+1)) });
  rejectOnTip('coinbase-height-minus-1', 'bad-coinbase-height', { munge: editCoinbase(shiftHeight(-1)) });
  rejectOnTip('coinbase-claims-fee-plus-1', 'bad-coinbase-amount', {
    spends: [fan[0]!],
    fee: 1000n,
    munge: coinbasePaysExtra(1n),
  });

  // The header: proof of work, bits, Merkle root, time.
  rejectOnTip('hash-above-target', 'bad-pow', { munge: unmine, keepNonce: true });
  rejectOnTip('bits-above-pow-limit', 'bad-bits', { munge: setHeader({ bits: 0x2100ffff }) });
  rejectOnTip('bits-negative', 'bad-bits', { munge: setHeader({ bits: 0x20ffffff }), keepNonce: true });
  rejectOnTip('bits-zero', 'bad-bits', { munge: setHeader({ bits: 0 }), keepNonce: true });
  rejectOnTip('bits-not-required', 'bad-bits', { munge: setHeader({ bits: 0x207ffffe }) });
  rejectOnTip('wrong-merkle-root', 'bad-merkle-root', {
    munge: setHeader({ merkleRoot: sha256(new TextEncoder().encode('not the root')) }),
    keepMerkleRoot: true,
    malleated: true,
  });
  rejectOnTip('same-tx-twice', 'duplicate-tx', {
    munge: (b, gen) => {
      const tx = gen.spendTx([fan[0]!]);
      return { ...b, txs: [b.txs[0]!, tx, tx] };
    },
    malleated: true,
  });
  rejectOnTip('time-2h-and-1s-ahead', 'time-too-new', {
    munge: setHeader({ time: FULLBLOCK_NOW + MAX_FUTURE_SECONDS + 1 }),
  });
  rejectOnTip('time-at-median-time-past', 'time-too-old', {
    munge: (b, gen) => setHeader({ time: gen.medianTimePast() })(b, gen),
  });

  // A child of a block that failed in context is invalid too.
  //
  //   ... -> b27 -> bad-height(x) -> bad-height-child
  {
    const parent = g.tip.name;
    g.nextBlock('bad-height', { munge: editCoinbase(shiftHeight(+1)) });
    g.reject('bad-coinbase-height');
    g.nextBlock('bad-height-child');
    g.reject('bad-prev-block');
    g.setTip(parent);
  }

  // -------------------------------------------------------------------------------------------
  // The limits themselves are allowed: each block below sits exactly on one.
  //
  //   ... -> b27 -> b28 -> b29(fan1) -> b30(fan2) -> b31(fillers) -> b32 -> b33 -> b34 -> b35
  acceptOnTip('b28', {
    munge: editCoinbase((tx, gen) => ({
      ...tx,
      data: encodeCoinbaseData(gen.tip.height + 1, 0n, new Uint8Array(32), new Uint8Array(56)),
    })),
  });
  acceptOnTip('b29', {
    spends: [fan[1]!],
    munge: editTx(1, (tx) => ({ ...tx, data: new Uint8Array(1024) })),
  });
  acceptOnTip('b30', { txs: [sizedSpendTx(g, fan[2]!, 100_000)] });
  acceptOnTip('b31', { munge: fillTo(fillers, 1_000_000) });
  acceptOnTip('b32', { munge: setHeader({ time: FULLBLOCK_NOW + MAX_FUTURE_SECONDS }) });
  acceptOnTip('b33', { munge: (b, gen) => setHeader({ time: gen.medianTimePast() + 1 })(b, gen) });
  acceptOnTip('b34', { spends: [fan[3]!], fee: 1000n }); // the coinbase claims subsidy plus the fee

  // Maturity once more at the edge: b35 may spend b32's coinbase (3 blocks old) but not b33's (2).
  rejectOnTip('b35-immature', 'immature-coinbase', { spends: [cb('b33')] });
  acceptOnTip('b35', { spends: [cb('b32')] });

  // -------------------------------------------------------------------------------------------
  // Corrupted copies of the next block, one per rule a body can break (copies.ts): each is refused
  // as malleated, and the real block is accepted after it.
  corruptedCopies(g, fan.slice(4), fillers);

  // -------------------------------------------------------------------------------------------
  // The first halving (every 150 blocks here): from height 150 the subsidy is 25 coins.
  for (let i = 36; g.tip.height < FULLBLOCK_HALVING - 1; i++) acceptOnTip(`b${i}`);
  rejectOnTip('claims-50-after-halving', 'bad-coinbase-amount', { munge: coinbasePaysExtra(25n * COIN) });
  acceptOnTip('halving');
  g.expectTip('halving');

  // -------------------------------------------------------------------------------------------
  // Version 2 and spending policies (policy-table.ts).
  policyTests(g, { acceptOnTip, rejectOnTip }, cb('b120'));

  return g.instances;
}

const FULLBLOCK_HALVING = 150;

/** `total` split into `n` equal outputs to the miner (the remainder is fee). */
function split(g: FullBlockGenerator, total: bigint, n: number) {
  return Array.from({ length: n }, () => ({ amount: total / BigInt(n), address: g.minerAddress }));
}

const setFirstAmount =
  (amount: bigint) =>
  (tx: Tx): Tx => ({ ...tx, outputs: tx.outputs.map((o, i) => (i === 0 ? { ...o, amount } : o)) });

const addToOutput =
  (delta: bigint) =>
  (tx: Tx): Tx => ({
    ...tx,
    outputs: tx.outputs.map((o, i) => (i === 0 ? { ...o, amount: o.amount + delta } : o)),
  });

const shiftHeight =
  (delta: number) =>
  (tx: Tx): Tx => {
    const { height, extraNonce, sigRoot, text } = decodeCoinbaseData(tx.data);
    return { ...tx, data: encodeCoinbaseData(height + delta, extraNonce, sigRoot, text) };
  };

function flipSignatureBit(tx: Tx): Tx {
  return {
    ...tx,
    inputs: tx.inputs.map((input, i) => {
      if (i > 0) return input;
      const signature = input.signature.slice();
      signature[10]! ^= 1;
      return { ...input, signature };
    }),
  };
}

/** Signs every input (all the miner's) over the sighash of other amounts: a valid signature of the wrong message. */
function signOverAmounts(tx: Tx, amounts: readonly bigint[], g: FullBlockGenerator): Tx {
  const message = sighash(txid(tx), amounts);
  return {
    ...tx,
    inputs: tx.inputs.map((input) => ({ ...input, signature: sign(message, g.minerKey.privateKey) })),
  };
}
