// A partially signed transaction that lies about the amounts its inputs spend (to hide a fee) cannot
// get a signature consensus accepts: every signature commits to every spent amount (the sighash), so
// signing a copy with a wrong amount, or two copies each wrong on another input (the attack on
// Bitcoin's per-input amounts), gives signatures that fail bad-signature against the real coins.
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/core/hash.js';
import { encodePolicy, policyHash } from '../../../src/core/policy/index.js';
import { outpointKey, publicKeyHash, type Tx } from '../../../src/core/tx.js';
import { type Coin, checkTxInputs, checkTxSanity, verifySigChecks } from '../../../src/core/validation.js';
import { type KeyPair, keyPairFromPrivate, verify } from '../../../src/crypto/ed25519.js';
import { createPsbt, finalizePsbt, type Psbt, type PsbtCoin, signPsbt } from '../../../src/wallet/psbt.js';
import { fakeTxid, params } from './helpers.js';

const key = (name: string): KeyPair => keyPairFromPrivate(sha256(new TextEncoder().encode(name)));
const alice = key('alice');
const payee = { amount: 90_000n, address: publicKeyHash(key('dave').publicKey) };
const policy = encodePolicy({ type: 'pk', key: alice.publicKey });
const real: PsbtCoin[] = [
  { txid: fakeTxid(1), index: 0, amount: 1_000_000n, address: policyHash(policy), policy },
  {
    txid: fakeTxid(2),
    index: 0,
    amount: 1_000_000n,
    address: publicKeyHash(alice.publicKey),
    publicKey: alice.publicKey,
  },
];

function verdict(tx: Tx): string {
  const sanity = checkTxSanity(tx);
  if (sanity) return sanity.code;
  const view = new Map<string, Coin>(
    real.map((c) => [
      outpointKey(c.txid as string, c.index),
      { amount: c.amount, address: c.address, height: 1, coinbase: false },
    ]),
  );
  const inputs = checkTxInputs(tx, view, 500, params);
  if (!inputs.ok) return inputs.error.code;
  return verifySigChecks(inputs.value.sigChecks, verify)?.code ?? 'ok';
}

/** The same transaction, stating `amounts` for its inputs. */
const claiming = (amounts: bigint[]): Psbt => {
  const psbt = createPsbt({ inputs: real, outputs: [payee] });
  return { ...psbt, inputs: psbt.inputs.map((input, n) => ({ ...input, amount: amounts[n]! })) };
};

describe('amounts in a partially signed transaction', () => {
  it('signed with the real amounts: valid', () => {
    expect(verdict(finalizePsbt(signPsbt(claiming([1_000_000n, 1_000_000n]), alice).psbt))).toBe('ok');
  });

  it('signed with an understated amount: the signatures fail against the real coin', () => {
    const signed = signPsbt(claiming([100_000n, 1_000_000n]), alice).psbt;
    expect(verdict(finalizePsbt(signed))).toBe('bad-signature');
  });

  it('two copies each wrong on another input: no mix of their signatures verifies', () => {
    const one = signPsbt(claiming([100_000n, 1_000_000n]), alice).psbt;
    const two = signPsbt(claiming([1_000_000n, 100_000n]), alice).psbt;
    const a = finalizePsbt(one);
    const b = finalizePsbt(two);
    // Input 0 from the copy where it was stated right, input 1 likewise.
    const mixed: Tx = { ...a, inputs: [b.inputs[0]!, a.inputs[1]!] };
    expect(verdict(mixed)).toBe('bad-signature');
  });
});
