// The full-block rows of version 2 and spending policies: policy outputs funded, then each new rule
// broken once and met once, on the exact boundary where it has one (a lock time at height n − 1 and
// n, a relative lock of n blocks at n − 1 and n blocks, 1,000 and 1,001 signature checks).
// Policies and witnesses are encoded by hand here, straight from docs/protocol.md, so these rows
// also check the policy module against the specification.
import {
  concatBytes,
  MAX_POLICY_SIZE,
  type RuleCode,
  SEQUENCE_FINAL,
  sha256,
  sighash,
  TX_VERSION_2,
  type Tx,
  type TxInput,
  txid,
} from '../../../src/core/index.js';
import { type KeyPair, sign } from '../../../src/crypto/ed25519.js';
import type { BlockOptions, FullBlockGenerator, SpendableOut } from './generator.js';

// Policy encodings (docs/protocol.md, "Policy encoding").
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};
const pk = (key: KeyPair) => concatBytes(Uint8Array.of(0x01), key.publicKey);
const multi = (k: number, keys: readonly KeyPair[]) =>
  concatBytes(Uint8Array.of(0x02, k, keys.length), ...keys.map((key) => key.publicKey));
const after = (n: number) => concatBytes(Uint8Array.of(0x03), u32(n));
const older = (n: number) => concatBytes(Uint8Array.of(0x04), u32(n));
const sha256Of = (hash: Uint8Array) => concatBytes(Uint8Array.of(0x05), hash);
const and = (x: Uint8Array, y: Uint8Array) => concatBytes(Uint8Array.of(0x06), x, y);

interface Steps {
  readonly acceptOnTip: (name: string, opts?: BlockOptions) => void;
  readonly rejectOnTip: (name: string, code: RuleCode, opts?: BlockOptions & { malleated?: boolean }) => void;
}

/** A policy output the rows spend: where it is, what it holds and the policy it locks to. */
interface PolicyCoin {
  readonly out: SpendableOut;
  readonly policy: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** A version 2 transaction spending policy coins to the miner, less `fee`. Witnesses come later. */
function policySpend(
  g: FullBlockGenerator,
  coins: readonly PolicyCoin[],
  opts: { sequence?: number; lockTime?: number; fee?: bigint; revealed?: Uint8Array } = {},
): Tx {
  const total = coins.reduce((s, c) => s + c.out.amount, 0n);
  return {
    version: TX_VERSION_2,
    inputs: coins.map(
      (c): TxInput => ({
        prevTxid: c.out.txid,
        prevIndex: c.out.index,
        sequence: opts.sequence ?? SEQUENCE_FINAL,
        publicKey: EMPTY,
        signature: EMPTY,
        policy: opts.revealed ?? c.policy,
        witness: EMPTY,
      }),
    ),
    outputs: [{ amount: total - (opts.fee ?? 1000n), address: g.minerAddress }],
    data: EMPTY,
    lockTime: opts.lockTime ?? 0,
  };
}

/** The sighash every signature of `tx` signs, the spent amounts taken from `coins`. */
const messageOf = (tx: Tx, coins: readonly PolicyCoin[]) =>
  sighash(
    txid(tx),
    coins.map((c) => c.out.amount),
  );

/** Sets input `i`'s witness to what `witness(message)` builds. */
function withWitness(tx: Tx, i: number, witness: Uint8Array): Tx {
  return { ...tx, inputs: tx.inputs.map((input, j) => (j === i ? { ...input, witness } : input)) };
}

export function policyTests(
  g: FullBlockGenerator,
  { acceptOnTip, rejectOnTip }: Steps,
  funding: SpendableOut,
): void {
  const a = g.key('policy a');
  const b = g.key('policy b');
  const c = g.key('policy c');
  const d = g.key('policy d');
  const twenty = Array.from({ length: 20 }, (_, i) => g.key(`policy signer ${i}`));
  const secret = new Uint8Array(32).fill(7);

  // -------------------------------------------------------------------------------------------
  // Funding: one version 2 transaction (a key spend of a coinbase) paying a policy output of each
  // kind, and 50 outputs locked to a 20-of-20 multi for the signature-check limit.
  const start = g.tip.height + 1;
  const afterHeight = start + 3;
  const policies = {
    multi: multi(2, [a, b, c]),
    after: and(pk(a), after(afterHeight)),
    older: and(pk(a), older(2)),
    hash: and(pk(b), sha256Of(sha256(secret))),
    many: multi(20, twenty),
  };
  const hashOf = (p: Uint8Array) => sha256(p);
  const each = funding.amount / 60n;
  const outputs = [
    { amount: each, address: hashOf(policies.multi) },
    { amount: each, address: hashOf(policies.after) },
    { amount: each, address: hashOf(policies.older) },
    { amount: each, address: hashOf(policies.hash) },
    ...Array.from({ length: 50 }, () => ({ amount: each, address: hashOf(policies.many) })),
  ];
  const fund = g.sign({
    version: TX_VERSION_2,
    inputs: [
      {
        prevTxid: funding.txid,
        prevIndex: funding.index,
        sequence: SEQUENCE_FINAL,
        publicKey: g.minerKey.publicKey,
        signature: new Uint8Array(64),
      },
    ],
    outputs,
    data: EMPTY,
    lockTime: 0,
  });
  acceptOnTip('p-fund', { txs: [fund] });
  const coin = (i: number, policy: Uint8Array): PolicyCoin => ({ out: g.txOut(fund, i), policy });
  const multiCoin = coin(0, policies.multi);
  const afterCoin = coin(1, policies.after);
  const olderCoin = coin(2, policies.older);
  const hashCoin = coin(3, policies.hash);
  const manyCoins = Array.from({ length: 50 }, (_, i) => coin(4 + i, policies.many));

  // -------------------------------------------------------------------------------------------
  // 2-of-3 multi: another policy revealed, one signature where two are needed, a signature by the
  // wrong key, then a and c settle.
  const multiWitness = (tx: Tx, mask: number, signers: readonly KeyPair[]) => {
    const message = messageOf(tx, [multiCoin]);
    return withWitness(tx, 0, concatBytes(u32(mask), ...signers.map((k) => sign(message, k.privateKey))));
  };
  const other = multi(2, [a, b, d]);
  const mismatch = policySpend(g, [multiCoin], { revealed: other });
  rejectOnTip('p-multi-other-policy', 'policy-hash-mismatch', {
    txs: [multiWitness(mismatch, 0b011, [a, b])],
  });
  const spend = policySpend(g, [multiCoin]);
  rejectOnTip('p-multi-one-signature', 'policy-unsatisfied', { txs: [multiWitness(spend, 0b001, [a])] });
  // A bad signature is refused as malleated (docs/protocol.md, "Malleated failures"), as for key spends.
  rejectOnTip('p-multi-wrong-signer', 'bad-signature', {
    txs: [multiWitness(spend, 0b101, [a, d])],
    malleated: true,
  });
  acceptOnTip('p-multi', { txs: [multiWitness(spend, 0b101, [a, c])] });

  // -------------------------------------------------------------------------------------------
  // after(n): lock time n, first valid in block n (one block before: non-final); a lock time
  // below n does not satisfy the policy; a final sequence does not either.
  const afterSpend = (lockTime: number, sequence = 0xfffffffe) => {
    const tx = policySpend(g, [afterCoin], { lockTime, sequence });
    return withWitness(tx, 0, sign(messageOf(tx, [afterCoin]), a.privateKey));
  };
  rejectOnTip('p-after-lock-below', 'policy-unsatisfied', { txs: [afterSpend(afterHeight - 1)] });
  rejectOnTip('p-after-final-sequence', 'policy-unsatisfied', {
    txs: [afterSpend(afterHeight, SEQUENCE_FINAL)],
  });
  while (g.tip.height < afterHeight - 2) acceptOnTip(`p-wait-${g.tip.height + 1}`);
  rejectOnTip('p-after-at-n-minus-1', 'non-final', { txs: [afterSpend(afterHeight)] });
  acceptOnTip(`p-wait-${g.tip.height + 1}`);
  acceptOnTip('p-after-at-n', { txs: [afterSpend(afterHeight)] });

  // -------------------------------------------------------------------------------------------
  // older(2): the sequence must say 2, and the block must be 2 past the coin's. The coin of p-fund
  // is long buried now: spending it (sequence 2) funds a fresh one under the same policy.
  const refund = {
    ...policySpend(g, [olderCoin], { sequence: 2 }),
    outputs: [{ amount: olderCoin.out.amount - 1000n, address: hashOf(policies.older) }],
  };
  const refundSigned = withWitness(refund, 0, sign(messageOf(refund, [olderCoin]), a.privateKey));
  acceptOnTip('p-older-fund', { txs: [refundSigned] });
  const fresh: PolicyCoin = { out: g.txOut(refundSigned, 0), policy: policies.older };
  const olderSpend = (sequence: number) => {
    const tx = policySpend(g, [fresh], { sequence });
    return withWitness(tx, 0, sign(messageOf(tx, [fresh]), a.privateKey));
  };
  rejectOnTip('p-older-sequence-1', 'policy-unsatisfied', { txs: [olderSpend(1)] });
  rejectOnTip('p-older-1-block', 'non-bip68-final', { txs: [olderSpend(2)] });
  acceptOnTip(`p-wait-${g.tip.height + 1}`);
  acceptOnTip('p-older-2-blocks', { txs: [olderSpend(2)] });

  // -------------------------------------------------------------------------------------------
  // sha256(H): a wrong preimage, then the secret.
  const hashSpend = (preimage: Uint8Array) => {
    const tx = policySpend(g, [hashCoin]);
    return withWitness(tx, 0, concatBytes(sign(messageOf(tx, [hashCoin]), b.privateKey), preimage));
  };
  rejectOnTip('p-hash-wrong-preimage', 'policy-unsatisfied', {
    txs: [hashSpend(new Uint8Array(32).fill(8))],
  });
  acceptOnTip('p-hash', { txs: [hashSpend(secret)] });

  // -------------------------------------------------------------------------------------------
  // Shapes the transaction alone breaks: a sequence that is neither a relative lock of at most
  // 65,535 blocks nor marked as none, a policy that does not decode, one above 1,024 bytes.
  const junk = (name: string, code: RuleCode, edit: (input: TxInput) => TxInput) => {
    const tx = policySpend(g, [manyCoins[0]!]);
    rejectOnTip(name, code, { txs: [{ ...tx, inputs: tx.inputs.map(edit) }] });
  };
  junk('p-bad-sequence', 'bad-sequence', (i) => ({ ...i, sequence: 0x1_0000 }));
  junk('p-bad-policy', 'bad-policy', (i) => ({ ...i, policy: Uint8Array.of(0x09) }));
  junk('p-policy-too-large', 'policy-too-large', (i) => ({
    ...i,
    policy: new Uint8Array(MAX_POLICY_SIZE + 1),
  }));

  // -------------------------------------------------------------------------------------------
  // Signature checks: 50 inputs of a 20-of-20 multi are 1,000 (valid); one key spend more makes
  // 1,001 (refused before any signature is verified). A block of nine transactions of 900 checks
  // each (8,100; their coins need not exist: the count is a sanity rule) passes 8,000.
  const allSign = (tx: Tx, coins: readonly PolicyCoin[]) => {
    const message = messageOf(tx, coins);
    const sigs = twenty.map((k) => sign(message, k.privateKey));
    return {
      ...tx,
      inputs: tx.inputs.map((input) => ({ ...input, witness: concatBytes(u32(0xfffff), ...sigs) })),
    };
  };
  const thousand = allSign(policySpend(g, manyCoins), manyCoins);
  const dummyKeySpend: TxInput = {
    prevTxid: new Uint8Array(32).fill(1),
    prevIndex: 0,
    sequence: SEQUENCE_FINAL,
    publicKey: a.publicKey,
    signature: new Uint8Array(64),
  };
  rejectOnTip('p-1001-sigchecks', 'too-many-sigchecks', {
    txs: [{ ...thousand, inputs: [...thousand.inputs, dummyKeySpend] }],
  });
  const fake = (n: number, inputs: number): Tx => {
    const input = thousand.inputs[0]!;
    return {
      ...thousand,
      inputs: Array.from({ length: inputs }, (_, i) => ({ ...input, prevTxid: sha256(u32(n * 100 + i)) })),
    };
  };
  rejectOnTip('p-8100-sigchecks', 'too-many-sigchecks', {
    txs: Array.from({ length: 9 }, (_, n) => fake(n, 45)),
  });
  acceptOnTip('p-1000-sigchecks', { txs: [thousand] });
  g.expectTip('p-1000-sigchecks');
}
