import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { NETWORKS } from '../../../src/core/params.js';
import { decodeTx, encodeTx, type Tx, txidHex } from '../../../src/core/tx.js';
import { checkTxInputs, checkTxSanity, verifySigChecks } from '../../../src/core/validation.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import { verify } from '../../../src/crypto/ed25519.js';
import { signNode, verifyNode } from '../../../src/crypto/ed25519-node.js';
import { type BuildTxOptions, buildTransaction, encodeDataRecord } from '../../../src/wallet/build-tx.js';
import { txSizeFor, type Utxo } from '../../../src/wallet/coin-select.js';
import { InsufficientFundsError, WalletError } from '../../../src/wallet/errors.js';
import { HdWallet } from '../../../src/wallet/keys.js';
import { coins, fakeTxid, keyFor, other, params, viewOf, wallet } from './helpers.js';

const SPEND_HEIGHT = 10;

function request(utxos: Utxo[], overrides: Partial<BuildTxOptions> = {}): BuildTxOptions {
  return {
    params,
    utxos,
    payments: [{ address: other.receiveAddress(0), amount: 250_000n }],
    feeRate: 2n,
    changeAddress: wallet.changeAddress(7),
    keyFor,
    ...overrides,
  };
}

/** What the node does with a transaction: sanity, inputs against the UTXO view, then the signatures. */
function nodeAccepts(tx: Tx, utxos: readonly Utxo[]) {
  const sanity = checkTxSanity(tx);
  if (sanity) return { ok: false as const, code: sanity.code };
  const inputs = checkTxInputs(tx, viewOf(utxos), SPEND_HEIGHT, params);
  if (!inputs.ok) return { ok: false as const, code: inputs.error.code };
  const noble = verifySigChecks(inputs.value.sigChecks, verify);
  const node = verifySigChecks(inputs.value.sigChecks, verifyNode);
  if (noble || node) return { ok: false as const, code: (noble ?? node)!.code, noble, node };
  return { ok: true as const, fee: inputs.value.fee };
}

const mapOutput = (tx: Tx, index: number, amount: bigint): Tx => ({
  ...tx,
  outputs: tx.outputs.map((o, i) => (i === index ? { ...o, amount } : o)),
});

describe('buildTransaction', () => {
  const utxos = coins([300_000n, 120_000n, 80_000n, 40_000n]);

  it('builds a transaction the node accepts and both Ed25519 implementations verify', () => {
    const built = buildTransaction(request(utxos));
    expect(built.inputs.map((c) => c.amount)).toEqual([300_000n]);
    const result = nodeAccepts(built.tx, utxos);
    expect(result).toEqual({ ok: true, fee: built.fee });
    expect(built.fee).toBe(2n * BigInt(built.size));
    expect(built.size).toBe(encodeTx(built.tx).length);
    expect(built.hex).toBe(toHex(built.bytes));
    expect(built.txid).toBe(txidHex(decodeTx(fromHex(built.hex))));
  });

  it('pays the recipients in order and puts the change last, to the change address', () => {
    const payments = [
      { address: other.receiveAddress(0), amount: 100_000n },
      { address: other.receiveAddress(1), amount: 150_000n },
    ];
    const built = buildTransaction(request(utxos, { payments }));
    const out = built.tx.outputs;
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({
      amount: 100_000n,
      address: decodeAddress(params.addressPrefix, payments[0]!.address),
    });
    expect(out[1]!.amount).toBe(150_000n);
    expect(built.change).toEqual({ index: 2, address: wallet.changeAddress(7), amount: out[2]!.amount });
    expect(out[2]!.address).toEqual(wallet.changeKey(7).hash);
    expect(built.inputs.reduce((t, c) => t + c.amount, 0n) - out.reduce((t, o) => t + o.amount, 0n)).toBe(
      built.fee,
    );
  });

  it('signs several inputs from receive and change addresses', () => {
    const built = buildTransaction(
      request(utxos, { payments: [{ address: other.receiveAddress(2), amount: 450_000n }] }),
    );
    expect(built.tx.inputs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(built.inputs.map((c) => c.address)).size).toBeGreaterThan(1);
    expect(nodeAccepts(built.tx, utxos)).toEqual({ ok: true, fee: built.fee });
  });

  it('carries a data record, text or bytes, and charges for it', () => {
    const text = buildTransaction(request(utxos, { data: 'hello, chain ✓' }));
    expect(new TextDecoder().decode(text.tx.data)).toBe('hello, chain ✓');
    expect(text.size).toBe(txSizeFor(1, 2, encodeDataRecord('hello, chain ✓').length));
    expect(nodeAccepts(text.tx, utxos).ok).toBe(true);
    const bytes = buildTransaction(request(utxos, { data: new Uint8Array(1024).fill(7) }));
    expect(bytes.tx.data).toHaveLength(1024);
    expect(nodeAccepts(bytes.tx, utxos).ok).toBe(true);
    expect(() => buildTransaction(request(utxos, { data: new Uint8Array(1025) }))).toThrow(/at most 1024/);
  });

  it('matches node:crypto signing byte for byte (Ed25519 is deterministic)', () => {
    const noble = buildTransaction(request(utxos));
    const node = buildTransaction(request(utxos, { sign: signNode }));
    expect(node.hex).toBe(noble.hex);
  });

  it('fails verification when an output is tampered with', () => {
    const built = buildTransaction(request(utxos));
    const tampered = mapOutput(built.tx, 0, built.tx.outputs[0]!.amount + 1n);
    const result = nodeAccepts(tampered, utxos);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ code: 'bad-signature' });
    if (!result.ok && 'noble' in result) {
      expect(result.noble?.code).toBe('bad-signature');
      expect(result.node?.code).toBe('bad-signature');
    }
  });

  it('fails verification when the spent amount differs from what was signed', () => {
    const built = buildTransaction(request(utxos));
    const lying = utxos.map((u) => ({ ...u, amount: u.amount + 1n }));
    expect(nodeAccepts(built.tx, lying)).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('fails verification when a signature is swapped for another input', () => {
    const built = buildTransaction(
      request(utxos, { payments: [{ address: other.receiveAddress(2), amount: 450_000n }] }),
    );
    const [a, b] = built.tx.inputs;
    const swapped: Tx = {
      ...built.tx,
      inputs: [
        { ...a!, signature: b!.signature },
        { ...b!, signature: a!.signature },
        ...built.tx.inputs.slice(2),
      ],
    };
    expect(nodeAccepts(swapped, utxos)).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('refuses coins it has no key for, addresses of another network and insufficient funds', () => {
    const foreign = [{ txid: fakeTxid(99), index: 0, amount: 1_000_000n, address: other.receiveAddress(3) }];
    expect(() => buildTransaction(request(foreign))).toThrow(
      expect.objectContaining({ code: 'unknown-key' }),
    );
    const mainWallet = HdWallet.fromSeed(new Uint8Array(32), NETWORKS.main);
    const wrongNet = request(utxos, { payments: [{ address: mainWallet.receiveAddress(0), amount: 1n }] });
    expect(() => buildTransaction(wrongNet)).toThrow(
      /payment 1: address prefix "hl" belongs to another network/,
    );
    expect(() => buildTransaction(request(utxos, { changeAddress: 'hlrt1qqqq' }))).toThrow(WalletError);
    expect(() =>
      buildTransaction(
        request(utxos, { payments: [{ address: other.receiveAddress(0), amount: 10n ** 9n }] }),
      ),
    ).toThrow(InsufficientFundsError);
  });
});

describe('buildTransaction properties', () => {
  const amount = fc.bigInt({ min: 1n, max: 2_000_000n });
  const scenario = fc.record({
    amounts: fc.array(amount, { minLength: 1, maxLength: 10 }),
    payments: fc.array(
      fc.record({ to: fc.nat({ max: 5 }), amount: fc.bigInt({ min: 1n, max: 3_000_000n }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    feeRate: fc.bigInt({ min: 0n, max: 20n }),
    data: fc.uint8Array({ maxLength: 40 }),
  });

  it('inputs − outputs = fee ≥ feeRate × size, and the node accepts the transaction', () => {
    fc.assert(
      fc.property(scenario, ({ amounts, payments, feeRate, data }) => {
        const utxos = coins(amounts);
        const opts = request(utxos, {
          payments: payments.map((p) => ({ address: other.receiveAddress(p.to), amount: p.amount })),
          feeRate,
          data,
        });
        const paymentTotal = payments.reduce((t, p) => t + p.amount, 0n);
        let built: ReturnType<typeof buildTransaction>;
        try {
          built = buildTransaction(opts);
        } catch (e) {
          if (!(e instanceof InsufficientFundsError)) throw e;
          // Even spending every coin without change would not be enough.
          const all = amounts.reduce((t, a) => t + a, 0n);
          expect(all).toBe(e.available);
          expect(
            all < paymentTotal + feeRate * BigInt(txSizeFor(amounts.length, payments.length, data.length)),
          ).toBe(true);
          return;
        }
        const inputTotal = built.inputs.reduce((t, c) => t + c.amount, 0n);
        const outputTotal = built.tx.outputs.reduce((t, o) => t + o.amount, 0n);
        expect(inputTotal - outputTotal).toBe(built.fee);
        expect(built.size).toBe(encodeTx(built.tx).length);
        expect(built.fee >= feeRate * BigInt(built.size)).toBe(true);
        if (built.change) {
          expect(built.change.amount >= 546n).toBe(true);
          expect(built.fee).toBe(feeRate * BigInt(built.size));
        } else {
          // The surplus over the fee is less than a change output's cost plus the dust threshold.
          expect(built.fee - feeRate * BigInt(built.size) < 546n + feeRate * 28n).toBe(true);
        }
        expect(nodeAccepts(built.tx, utxos)).toEqual({ ok: true, fee: built.fee });
      }),
      { numRuns: 150 },
    );
  });
});
