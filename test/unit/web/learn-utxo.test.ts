// Step 6's helpers: a payment with change and a fee built by the wallet and accepted by the real
// checks; a txid blind to signatures; the same coin spent again refused with its rule code.
import { describe, expect, it } from 'vitest';
import { COIN, NETWORKS } from '../../../src/core/params.js';
import { outpointKey, txidHex } from '../../../src/core/tx.js';
import {
  applyTx,
  pay,
  person,
  respend,
  startLedger,
  tamperSignature,
  txidWithoutSignatures,
  validateTx,
} from '../../../web/src/learn/lib/utxo.js';

const params = NETWORKS.regtest;
const alice = person('Alice', params);
const bob = person('Bob', params);
const carol = person('Carol', params);
const codeOf = (r: ReturnType<typeof validateTx>) => r.checks.find((c) => c.status === 'fail')?.code;

describe('a payment on a tiny UTXO set', () => {
  const ledger = startLedger(alice);
  const built = pay(ledger, params, alice, bob, 24n * COIN, 10n);

  it('spends whole coins into the payment and change, the rest is the fee', () => {
    const inputTotal = built.inputs.reduce((s, c) => s + c.amount, 0n);
    const outputTotal = built.tx.outputs.reduce((s, o) => s + o.amount, 0n);
    expect(built.tx.outputs[0]!.amount).toBe(24n * COIN);
    expect(built.change?.amount).toBeGreaterThan(0n);
    expect(inputTotal - outputTotal).toBe(built.fee);
    expect(built.fee).toBe(10n * BigInt(built.size));
    const r = validateTx(built.tx, ledger, params);
    expect(r.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(r.fee).toBe(built.fee);
  });

  it('has a txid that ignores signatures, while a tampered signature fails verification', () => {
    const bad = tamperSignature(built.tx);
    expect(txidHex(bad)).toBe(txidHex(built.tx));
    expect(txidWithoutSignatures(built.tx)).toBe(txidHex(built.tx));
    const r = validateTx(bad, ledger, params);
    expect(codeOf(r)).toBe('bad-signature');
    expect(r.fee).toBeUndefined();
  });

  it('moves coins on confirmation, then refuses the spent coin: missing-inputs', () => {
    const after = applyTx(ledger, built.tx, params);
    for (const input of built.tx.inputs)
      expect(after.coins.has(outpointKey(input.prevTxid, input.prevIndex))).toBe(false);
    expect(after.coins.get(outpointKey(built.txid, 0))?.owner).toBe(bob.address);
    expect(after.height).toBe(ledger.height + 1);
    const again = respend(built, alice, carol);
    // Before the payment the same transaction would have been fine: only the UTXO set changed.
    expect(codeOf(validateTx(again, ledger, params))).toBeUndefined();
    expect(codeOf(validateTx(again, after, params))).toBe('missing-inputs');
  });

  it('refuses one coin listed twice in one transaction: double-spend', () => {
    const r = validateTx(respend(built, alice, carol, true), ledger, params);
    expect(codeOf(r)).toBe('double-spend');
    expect(r.checks.map((c) => c.status)).toEqual(['fail', 'not-reached', 'not-reached']);
  });

  it("refuses another person's coin: bad-pubkey", () => {
    const bobsLedger = applyTx(ledger, built.tx, params);
    const bobCoin = {
      ...built,
      inputs: [{ txid: built.txid, index: 0, amount: 24n * COIN, address: bob.address }],
    };
    const stolen = respend(
      {
        ...bobCoin,
        tx: {
          ...built.tx,
          inputs: [
            {
              ...built.tx.inputs[0]!,
              prevTxid: Uint8Array.from(Buffer.from(built.txid, 'hex')),
              prevIndex: 0,
            },
          ],
        },
      },
      alice,
      carol,
    );
    expect(codeOf(validateTx(stolen, bobsLedger, params))).toBe('bad-pubkey');
  });
});
