// Partially signed transactions: what co-signers rely on. Each signer adds only its own signatures,
// copies combine in any order to the same bytes, the decoder refuses what is malformed or past its
// limits, and what finalizes is a transaction the node's consensus rules accept.
import { base64 } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter, concatBytes, toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import { encodePolicy, parsePolicy, policyHash } from '../../../src/core/policy/index.js';
import { encodeTx, outpointKey, publicKeyHash, TX_VERSION_2, type Tx } from '../../../src/core/tx.js';
import { type Coin, checkTxInputs, checkTxSanity, verifySigChecks } from '../../../src/core/validation.js';
import { type KeyPair, keyPairFromPrivate, verify } from '../../../src/crypto/ed25519.js';
import { WalletError } from '../../../src/wallet/errors.js';
import {
  addPreimage,
  combinePsbts,
  createPsbt,
  decodePsbt,
  encodePsbt,
  finalizePsbt,
  type Psbt,
  type PsbtCoin,
  psbtFromText,
  psbtStatus,
  psbtToText,
  signPsbt,
} from '../../../src/wallet/psbt.js';
import { MAX_PSBT_TEXT, PSBT_MAGIC } from '../../../src/wallet/psbt-codec.js';
import { QR_MAX_TEXT, qrcodeSvg, qrcodeTerminal } from '../../../src/wallet/qr.js';
import { fakeTxid, params } from './helpers.js';

const key = (name: string): KeyPair => keyPairFromPrivate(sha256(new TextEncoder().encode(name)));
const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map(key) as [
  KeyPair,
  KeyPair,
  KeyPair,
  KeyPair,
];
const hex = (k: KeyPair) => toHex(k.publicKey);
const payee = { amount: 90_000n, address: publicKeyHash(dave.publicKey) };

function policyCoin(text: string, n: number, extra: Partial<PsbtCoin> = {}): PsbtCoin {
  const policy = encodePolicy(parsePolicy(text));
  return { txid: fakeTxid(n), index: 0, amount: 100_000n, address: policyHash(policy), policy, ...extra };
}
const keyCoin = (k: KeyPair, n: number): PsbtCoin => ({
  txid: fakeTxid(n),
  index: 1,
  amount: 50_000n,
  address: publicKeyHash(k.publicKey),
  publicKey: k.publicKey,
});
const multi = () => `multi(2,${hex(alice)},${hex(bob)},${hex(carol)})`;

/** Consensus on the finished transaction: sanity, then the inputs against the coins, then every signature. */
function consensusVerdict(tx: Tx, coins: readonly PsbtCoin[]): string {
  const sanity = checkTxSanity(tx);
  if (sanity) return sanity.code;
  const view = new Map<string, Coin>(
    coins.map((c) => [
      outpointKey(c.txid as string, c.index),
      { amount: c.amount, address: c.address, height: 1, coinbase: false },
    ]),
  );
  const inputs = checkTxInputs(tx, view, 500, params);
  if (!inputs.ok) return inputs.error.code;
  return verifySigChecks(inputs.value.sigChecks, verify)?.code ?? 'ok';
}

const code = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return undefined;
};

describe('partially signed transactions', () => {
  it('a 2-of-3 multisig: signers sign independently, combine in any order, and finalize to a valid tx', () => {
    const coins = [policyCoin(multi(), 1)];
    const unsigned = createPsbt({ inputs: coins, outputs: [payee] });
    expect(unsigned.tx.version).toBe(TX_VERSION_2);
    const a = signPsbt(unsigned, alice);
    const c = signPsbt(unsigned, carol);
    expect([a.added, c.added]).toEqual([1, 1]);
    expect(code(() => finalizePsbt(a.psbt))).toBe('psbt-incomplete');

    const ac = combinePsbts(a.psbt, c.psbt);
    const ca = combinePsbts(c.psbt, a.psbt);
    expect(toHex(encodePsbt(ac))).toBe(toHex(encodePsbt(ca)));
    // Signing one after the other gives the same bytes as combining.
    expect(toHex(encodePsbt(signPsbt(c.psbt, alice).psbt))).toBe(toHex(encodePsbt(ac)));

    const tx = finalizePsbt(ac);
    expect(tx.inputs[0]!.witness!.length).toBe(4 + 2 * 64);
    expect(consensusVerdict(tx, coins)).toBe('ok');
  });

  it('signs only the inputs whose policy or key uses the signing key', () => {
    const coins = [policyCoin(multi(), 1), keyCoin(dave, 2), policyCoin(`pk(${hex(bob)})`, 3)];
    const unsigned = createPsbt({ inputs: coins, outputs: [payee] });
    const byAlice = signPsbt(unsigned, alice);
    expect(byAlice.added).toBe(1);
    expect(byAlice.psbt.inputs.map((i) => [...i.signatures.keys()])).toEqual([[hex(alice)], [], []]);
    const byBob = signPsbt(byAlice.psbt, bob);
    expect(byBob.psbt.inputs.map((i) => i.signatures.size)).toEqual([2, 0, 1]);
    expect(signPsbt(byBob.psbt, bob).added).toBe(0); // signed already
    const outsider = key('mallory');
    expect(signPsbt(unsigned, outsider).added).toBe(0);

    const done = signPsbt(byBob.psbt, dave).psbt;
    expect(psbtStatus(done).every((s) => s.complete)).toBe(true);
    const tx = finalizePsbt(done);
    expect(tx.inputs[1]!.signature.length).toBe(64);
    expect(consensusVerdict(tx, coins)).toBe('ok');
  });

  it('round-trips through the binary and text forms, canonically', () => {
    const coins = [policyCoin(multi(), 1), keyCoin(dave, 2)];
    const signed = signPsbt(
      signPsbt(createPsbt({ inputs: coins, outputs: [payee], lockTime: 7 }), carol).psbt,
      alice,
    ).psbt;
    const bytes = encodePsbt(signed);
    expect(bytes.subarray(0, 6)).toEqual(PSBT_MAGIC);
    const back = decodePsbt(bytes);
    expect(back).toEqual(signed);
    expect(toHex(encodePsbt(back))).toBe(toHex(bytes));
    const text = psbtToText(signed);
    expect(text).toMatch(/^hlpsbt:[A-Za-z0-9+/]+=*$/);
    expect(psbtFromText(`  ${text.slice(0, 30)}\n${text.slice(30)}\n`)).toEqual(signed);
    // The signatures are stored in key order whatever order they were added in.
    const order = [...back.inputs[0]!.signatures.keys()];
    expect(order).toEqual([hex(alice), hex(carol)].sort());
  });

  it('refuses to combine different transactions', () => {
    const a = createPsbt({ inputs: [policyCoin(multi(), 1)], outputs: [payee] });
    const b = createPsbt({ inputs: [policyCoin(multi(), 1)], outputs: [{ ...payee, amount: 80_000n }] });
    expect(code(() => combinePsbts(a, b))).toBe('psbt-mismatch');
  });

  it('finalize names each input and what it misses; a bad signature is reported, never used', () => {
    const coins = [policyCoin(multi(), 1), policyCoin(`and(pk(${hex(bob)}),after(100))`, 2)];
    let psbt = signPsbt(createPsbt({ inputs: coins, outputs: [payee] }), bob).psbt;
    let error: unknown;
    try {
      finalizePsbt(psbt);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WalletError);
    expect((error as Error).message).toMatch(/input 0 .* needs 1 more signature of 2 of 3/);
    expect((error as Error).message).toMatch(/input 1 .* needs after\(100\) needs .*sequence/);

    const forged = { ...psbt.inputs[0]!, signatures: new Map([[hex(alice), new Uint8Array(64).fill(7)]]) };
    psbt = {
      ...psbt,
      inputs: [
        { ...forged, signatures: new Map([...psbt.inputs[0]!.signatures, ...forged.signatures]) },
        psbt.inputs[1]!,
      ],
    };
    const status = psbtStatus(psbt)[0]!;
    expect(status).toMatchObject({ signedBy: [hex(bob)], badSignatures: [hex(alice)], complete: false });
  });

  it('a timelock finalizes only with a lock time that reaches it', () => {
    const coins = [policyCoin(`and(pk(${hex(bob)}),after(100))`, 2)];
    const early = signPsbt(createPsbt({ inputs: coins, outputs: [payee], lockTime: 99 }), bob).psbt;
    expect(psbtStatus(early)[0]!.missing).toMatch(/lock time of at least 100/);
    const ready = signPsbt(createPsbt({ inputs: coins, outputs: [payee], lockTime: 100 }), bob).psbt;
    const tx = finalizePsbt(ready);
    expect(tx.inputs[0]!.sequence).toBe(0xfffffffe);
    expect(consensusVerdict(tx, coins)).toBe('ok');
  });

  it('a hashlock takes the preimage; one that unlocks nothing is refused', () => {
    const secret = sha256(new TextEncoder().encode('swap secret'));
    const htlc = `or(and(pk(${hex(alice)}),sha256(${toHex(sha256(secret))})),and(pk(${hex(bob)}),after(1000)))`;
    const coins = [policyCoin(htlc, 4)];
    const psbt = signPsbt(createPsbt({ inputs: coins, outputs: [payee] }), alice).psbt;
    expect(psbtStatus(psbt)[0]!.missing).toMatch(/either the preimage of .*, or/);
    expect(code(() => addPreimage(psbt, new Uint8Array(32)))).toBe('bad-psbt');
    const withSecret = addPreimage(psbt, secret);
    expect(decodePsbt(encodePsbt(withSecret))).toEqual(withSecret);
    expect(consensusVerdict(finalizePsbt(withSecret), coins)).toBe('ok');
  });

  it('createPsbt checks each coin against its address', () => {
    const coin = policyCoin(multi(), 1);
    expect(
      code(() => createPsbt({ inputs: [{ ...coin, address: new Uint8Array(32) }], outputs: [payee] })),
    ).toBe('bad-coin');
    expect(
      code(() =>
        createPsbt({ inputs: [{ ...keyCoin(dave, 2), publicKey: alice.publicKey }], outputs: [payee] }),
      ),
    ).toBe('bad-coin');
    expect(code(() => createPsbt({ inputs: [coin, coin], outputs: [payee] }))).toBe('bad-coin');
    expect(code(() => createPsbt({ inputs: [], outputs: [payee] }))).toBe('bad-coin');
  });
});

describe('combining, as a property', () => {
  it('any copies signed by any signers combine, in any order, to the same bytes, which decode back', () => {
    const coins = [policyCoin(multi(), 1), policyCoin(`thresh(1,pk(${hex(bob)}),pk(${hex(dave)}))`, 2)];
    const unsigned = createPsbt({ inputs: coins, outputs: [payee] });
    const signers = [alice, bob, carol, dave];
    const signed = (mask: number): Psbt =>
      signers.reduce((p, k, i) => (mask & (1 << i) ? signPsbt(p, k).psbt : p), unsigned);
    const copy = fc.integer({ min: 0, max: 15 });
    fc.assert(
      fc.property(copy, copy, copy, (x, y, z) => {
        const [a, b, c] = [signed(x), signed(y), signed(z)];
        const left = encodePsbt(combinePsbts(combinePsbts(a, b), c));
        const right = encodePsbt(combinePsbts(c, combinePsbts(b, a)));
        expect(toHex(left)).toBe(toHex(right));
        expect(toHex(left)).toBe(toHex(encodePsbt(signed(x | y | z))));
        expect(toHex(encodePsbt(decodePsbt(left)))).toBe(toHex(left));
      }),
      { numRuns: 40 },
    );
  });
});

describe('decoding refuses', () => {
  const signed = (): Psbt =>
    signPsbt(createPsbt({ inputs: [policyCoin(multi(), 1), keyCoin(dave, 2)], outputs: [payee] }), alice)
      .psbt;
  const reason = (bytes: Uint8Array): string => {
    try {
      decodePsbt(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(WalletError);
      expect((e as WalletError).code).toBe('bad-psbt');
      return (e as Error).message;
    }
    throw new Error('decoded');
  };
  /** The binary form with the given input records after the transaction. */
  const assemble = (tx: Tx, records: Uint8Array): Uint8Array =>
    concatBytes(PSBT_MAGIC, Uint8Array.of(1), new ByteWriter().varBytes(encodeTx(tx)).finish(), records);

  it('another magic, an unknown version, a cut or extended copy', () => {
    const bytes = encodePsbt(signed());
    expect(reason(bytes.map((b, i) => (i === 0 ? 0x48 : b)))).toMatch(/does not start with "hlpsbt"/);
    expect(reason(bytes.map((b, i) => (i === 6 ? 2 : b)))).toMatch(/format version 2 is unknown/);
    expect(reason(bytes.subarray(0, bytes.length - 1))).toMatch(/malformed/);
    expect(reason(concatBytes(bytes, Uint8Array.of(0)))).toMatch(/trailing/);
  });

  it('signatures out of key order, twice by one key, or by a key that does not sign the input', () => {
    const psbt = signed();
    const sig = new Uint8Array(64);
    const [lo, hi] = [alice, bob].map((k) => k.publicKey).sort((x, y) => (toHex(x) < toHex(y) ? -1 : 1));
    const record = (keys: Uint8Array[]) => {
      const w = new ByteWriter().u64(100_000n).varint(keys.length);
      for (const k of keys) w.bytes(k).bytes(sig);
      return w.varint(0).u64(50_000n).varint(0).varint(0).finish();
    };
    expect(reason(assemble(psbt.tx, record([hi!, lo!])))).toMatch(/ascending key order/);
    expect(reason(assemble(psbt.tx, record([lo!, lo!])))).toMatch(/ascending key order/);
    expect(reason(assemble(psbt.tx, record([dave.publicKey])))).toMatch(/does not sign this input/);
    expect(reason(assemble(psbt.tx, record([lo!, hi!, carol.publicKey, dave.publicKey])))).toMatch(
      /4 signatures, but only 3 keys/,
    );
  });

  it('a transaction that is signed already, or of version 1', () => {
    const psbt = signed();
    const signedTx: Tx = {
      ...psbt.tx,
      inputs: [psbt.tx.inputs[0]!, { ...psbt.tx.inputs[1]!, signature: new Uint8Array(64).fill(1) }],
    };
    const records = encodePsbt(psbt).subarray(
      7 + new ByteWriter().varBytes(encodeTx(psbt.tx)).finish().length,
    );
    expect(reason(assemble(signedTx, records))).toMatch(/already signed/);
    const v1: Tx = {
      version: 1,
      inputs: [{ ...psbt.tx.inputs[1]!, sequence: undefined }],
      outputs: [payee],
      data: new Uint8Array(),
    };
    expect(reason(assemble(v1, records))).toMatch(/version 1, not 2/);
  });

  it('more than 1,000 inputs, and text past 512 KiB', () => {
    const policy = encodePolicy(parsePolicy(`pk(${hex(alice)})`));
    const inputs = Array.from({ length: 1001 }, (_, n) => ({
      prevTxid: sha256(Uint8Array.of(n >> 8, n & 255)),
      prevIndex: 0,
      sequence: 0xffffffff,
      publicKey: new Uint8Array(),
      signature: new Uint8Array(),
      policy,
      witness: new Uint8Array(),
    }));
    const tx: Tx = { version: 2, inputs, outputs: [payee], data: new Uint8Array(), lockTime: 0 };
    expect(reason(assemble(tx, new Uint8Array()))).toMatch(/1001 inputs: from 1 to 1000/);
    const big = `hlpsbt:${'A'.repeat(MAX_PSBT_TEXT)}`;
    expect(code(() => psbtFromText(big))).toBe('bad-psbt');
    expect(code(() => psbtFromText(`hlpsbt:${base64.encode(encodePsbt(signed())).slice(0, -3)}`))).toBe(
      'bad-psbt',
    );
    expect(code(() => psbtFromText(base64.encode(encodePsbt(signed()))))).toBe('bad-psbt');
  });
});

describe('QR codes', () => {
  it('draw a 2-of-3 spend; text past one code’s capacity is refused with a clear message', () => {
    const text = psbtToText(
      signPsbt(createPsbt({ inputs: [policyCoin(multi(), 1)], outputs: [payee] }), bob).psbt,
    );
    expect(text.length).toBeLessThan(QR_MAX_TEXT);
    expect(qrcodeSvg(text)).toMatch(/^<svg/);
    expect(qrcodeTerminal(text).split('\n').length).toBeGreaterThan(20);
    const tooLong = `hlpsbt:${'A'.repeat(QR_MAX_TEXT - 6)}`;
    expect(code(() => qrcodeSvg(tooLong))).toBe('too-large-for-qr');
    expect(() => qrcodeTerminal(tooLong)).toThrow(/one QR code holds at most 2953/);
    expect(qrcodeSvg(tooLong.slice(0, -1))).toMatch(/^<svg/); // exactly at capacity
  });
});
