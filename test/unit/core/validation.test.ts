// Unit checks of each validation function; whole-block rule coverage is in the full-block table
// (test/support/fullblock, run by test/unit/chain/fullblock*.test.ts).
import { describe, expect, it } from 'vitest';
import {
  attempt,
  BLOCK_VERSION,
  type Block,
  bitsToTarget,
  blockSubsidy,
  type Coin,
  type CoinView,
  checkBlockContext,
  checkBlockSanity,
  checkHeaderContext,
  checkTxInputs,
  checkTxSanity,
  commitSignatures,
  computeMerkleRoot,
  connectBlock,
  createCoinbase,
  decodeCoinbaseData,
  encodeCoinbaseData,
  fail,
  genesisBlock,
  hashMeetsTarget,
  headerHash,
  MAX_DATA_SIZE,
  MAX_MONEY,
  NETWORKS,
  outpointKey,
  publicKeyHash,
  RULE_CODES,
  RuleError,
  sha256,
  sighash,
  type Tx,
  toHex,
  txid,
  verifySigChecks,
} from '../../../src/core/index.js';
import { keyPairFromPrivate, sign, verify } from '../../../src/crypto/ed25519.js';
import { solve } from '../../support/fullblock/generator.js';

const regtest = NETWORKS.regtest;
const alice = keyPairFromPrivate(new Uint8Array(32).fill(1));
const aliceHash = publicKeyHash(alice.publicKey);
const prev = new Uint8Array(32).fill(0xab);

function coinAt(height: number, amount = 1000n, coinbase = false): Coin {
  return { amount, address: aliceHash, height, coinbase };
}

function viewOf(entries: Record<string, Coin>): CoinView {
  return { get: (key) => entries[key] };
}

/** A transaction spending outpoints `prev:i` owned by alice, signed over the given amounts. */
function spend(indices: number[], amounts: bigint[], outputs: bigint[], data = new Uint8Array()): Tx {
  const unsigned: Tx = {
    version: 1,
    inputs: indices.map((i) => ({
      prevTxid: prev,
      prevIndex: i,
      publicKey: alice.publicKey,
      signature: new Uint8Array(64),
    })),
    outputs: outputs.map((amount) => ({ amount, address: aliceHash })),
    data,
  };
  const message = sighash(txid(unsigned), amounts);
  return {
    ...unsigned,
    inputs: unsigned.inputs.map((i) => ({ ...i, signature: sign(message, alice.privateKey) })),
  };
}

/** A mined block of `txs`, its coinbase (if any) committing to their signatures. */
function blockOf(txs: readonly Tx[], time = regtest.genesis.time + 10): Block {
  const committed = commitSignatures({ header: genesisBlock(regtest).header, txs }).txs;
  return solve({
    header: {
      version: BLOCK_VERSION,
      prevHash: new Uint8Array(32),
      merkleRoot: computeMerkleRoot(committed),
      time,
      bits: regtest.powLimitBits,
      nonce: 0,
    },
    txs: committed,
  });
}

const coinbaseAt = (height: number, amount = blockSubsidy(regtest, height)) =>
  createCoinbase({ height, outputs: [{ amount, address: aliceHash }], txs: [] });

describe('checkTxSanity', () => {
  const ok = spend([0], [1000n], [900n]);

  it('accepts a well-formed transaction', () => {
    expect(checkTxSanity(ok)).toBeUndefined();
  });

  it.each<[string, Tx, string]>([
    ['version 0', { ...ok, version: 0 }, 'bad-version'],
    ['no outputs', { ...ok, outputs: [] }, 'no-outputs'],
    ['a zero output', spend([0], [1000n], [0n]), 'bad-amount'],
    ['an output above MAX_MONEY', spend([0], [1000n], [MAX_MONEY + 1n]), 'bad-amount'],
    ['outputs summing above MAX_MONEY', spend([0], [1000n], [MAX_MONEY, 1n]), 'bad-amount'],
    ['data one byte over', spend([0], [1000n], [1n], new Uint8Array(MAX_DATA_SIZE + 1)), 'bad-data-size'],
    ['the same outpoint twice', spend([0, 0], [1000n, 1000n], [1n]), 'double-spend'],
    ['a coinbase with 11 bytes of data', { ...coinbaseAt(1), data: new Uint8Array(11) }, 'bad-coinbase-data'],
    [
      'a coinbase with 43 bytes of data (no room for the signature root)',
      { ...coinbaseAt(1), data: new Uint8Array(43) },
      'bad-coinbase-data',
    ],
    [
      'a coinbase with 101 bytes of data',
      { ...coinbaseAt(1), data: new Uint8Array(101) },
      'bad-coinbase-data',
    ],
    ['3,572 outputs (100,029 bytes)', spend([0], [1000n], Array(3572).fill(1n)), 'tx-too-large'],
  ])('rejects %s', (_, tx, code) => {
    expect(checkTxSanity(tx)?.code).toBe(code);
  });

  it('accepts the limits exactly', () => {
    expect(checkTxSanity(spend([0], [1000n], [MAX_MONEY]))).toBeUndefined();
    expect(checkTxSanity(spend([0], [1000n], [1n], new Uint8Array(MAX_DATA_SIZE)))).toBeUndefined();
    expect(checkTxSanity({ ...coinbaseAt(1), data: new Uint8Array(44) })).toBeUndefined();
    expect(checkTxSanity({ ...coinbaseAt(1), data: new Uint8Array(100) })).toBeUndefined();
    // A coinbase's data is not held to the 1,024-byte data limit but to its own 100 bytes.
    expect(checkTxSanity({ ...coinbaseAt(1), data: new Uint8Array(1000) })?.code).toBe('bad-coinbase-data');
  });
});

describe('checkTxInputs', () => {
  const tx = spend([0, 1], [600n, 400n], [900n]);
  const coins = { [outpointKey(prev, 0)]: coinAt(5, 600n), [outpointKey(prev, 1)]: coinAt(5, 400n) };

  it('returns the fee, the spent coins and one signature check per input over the sighash', () => {
    const r = checkTxInputs(tx, viewOf(coins), 6, regtest, 3);
    if (!r.ok) throw r.error;
    expect(r.value.fee).toBe(100n);
    expect(r.value.spent.map((c) => c.amount)).toEqual([600n, 400n]);
    expect(r.value.sigChecks.map((c) => [c.txIndex, c.inputIndex])).toEqual([
      [3, 0],
      [3, 1],
    ]);
    const message = toHex(sighash(txid(tx), [600n, 400n]));
    for (const c of r.value.sigChecks) expect(toHex(c.message)).toBe(message);
    expect(verifySigChecks(r.value.sigChecks, verify)).toBeUndefined();
  });

  it('reports missing inputs, a wrong key and overspending', () => {
    const missing = checkTxInputs(tx, viewOf({ [outpointKey(prev, 0)]: coinAt(5, 600n) }), 6, regtest);
    expect(missing.ok ? undefined : missing.error.code).toBe('missing-inputs');
    const other = { ...coinAt(5, 600n), address: new Uint8Array(20) };
    const wrongKey = checkTxInputs(tx, viewOf({ ...coins, [outpointKey(prev, 0)]: other }), 6, regtest);
    expect(wrongKey.ok ? undefined : wrongKey.error.code).toBe('bad-pubkey');
    const over = checkTxInputs(spend([0, 1], [600n, 400n], [1001n]), viewOf(coins), 6, regtest);
    expect(over.ok ? undefined : over.error.code).toBe('overspend');
  });

  it('lets a coinbase output be spent exactly coinbaseMaturity blocks later', () => {
    const main = NETWORKS.main; // maturity 100
    const view = viewOf({ [outpointKey(prev, 0)]: coinAt(10, 1000n, true) });
    const one = spend([0], [1000n], [1000n]);
    const early = checkTxInputs(one, view, 109, main);
    expect(early.ok ? undefined : early.error.code).toBe('immature-coinbase');
    expect(checkTxInputs(one, view, 110, main).ok).toBe(true);
  });
});

describe('connectBlock', () => {
  it('spends, creates and chains outputs within a block without touching the view', () => {
    const parent = spend([0], [1000n], [700n, 300n]);
    const childUnsigned: Tx = {
      version: 1,
      inputs: [
        { prevTxid: txid(parent), prevIndex: 0, publicKey: alice.publicKey, signature: new Uint8Array(64) },
      ],
      outputs: [{ amount: 650n, address: aliceHash }],
      data: new Uint8Array(),
    };
    const child: Tx = {
      ...childUnsigned,
      inputs: [
        {
          ...childUnsigned.inputs[0]!,
          signature: sign(sighash(txid(childUnsigned), [700n]), alice.privateKey),
        },
      ],
    };
    const fees = 50n;
    const block = blockOf([coinbaseAt(7, blockSubsidy(regtest, 7) + fees), parent, child]);
    const coins = { [outpointKey(prev, 0)]: coinAt(2) };
    const r = connectBlock(block, block.txs.map(txid), 7, viewOf(coins), regtest);
    if (!r.ok) throw r.error;
    expect(r.value.fees).toBe(fees);
    expect(r.value.spent.map(([k]) => k)).toEqual([outpointKey(prev, 0)]);
    // parent:0 was spent inside the block: neither undo data nor a created coin.
    expect(r.value.created.map(([k]) => k).sort()).toEqual(
      [outpointKey(txid(parent), 1), outpointKey(txid(child), 0), outpointKey(txid(block.txs[0]!), 0)].sort(),
    );
    const coinbaseCoin = r.value.created.find(([k]) => k === outpointKey(txid(block.txs[0]!), 0))![1];
    expect(coinbaseCoin).toMatchObject({ coinbase: true, height: 7 });
    expect(r.value.sigChecks.map((c) => c.txIndex)).toEqual([1, 2]);
    expect(verifySigChecks(r.value.sigChecks, verify)).toBeUndefined();
    expect(Object.keys(coins)).toEqual([outpointKey(prev, 0)]);
  });

  it('reports the first failing signature check', () => {
    const good = { publicKey: alice.publicKey, message: new Uint8Array(32), signature: new Uint8Array(64) };
    const checks = [0, 1, 2].map((i) => ({ ...good, txIndex: i, inputIndex: 0 }));
    const calls: number[] = [];
    const err = verifySigChecks(checks, (_, __, ___) => {
      calls.push(calls.length);
      return calls.length < 2;
    });
    expect(err?.code).toBe('bad-signature');
    expect(err?.message).toMatch(/transaction 1/);
    expect(calls.length).toBe(2);
  });
});

describe('checkBlockSanity and checkBlockContext', () => {
  it('uses the encoded size the caller passes', () => {
    const block = blockOf([coinbaseAt(1)]);
    expect(checkBlockSanity(block, regtest, regtest.genesis.time).ok).toBe(true);
    const r = checkBlockSanity(block, regtest, regtest.genesis.time, 1_000_001);
    expect(r.ok ? undefined : r.error.code).toBe('block-too-large');
  });

  it('returns the block hash and txids', () => {
    const block = blockOf([coinbaseAt(1)]);
    const r = checkBlockSanity(block, regtest, regtest.genesis.time);
    if (!r.ok) throw r.error;
    expect(r.value.txids.map(toHex)).toEqual([toHex(txid(block.txs[0]!))]);
  });

  it('checks bits, then time, then coinbase height', () => {
    const block = blockOf([coinbaseAt(5)], 1000);
    const ctx = { height: 5, expectedBits: regtest.powLimitBits, medianTimePast: 999 };
    expect(checkBlockContext(block, ctx)).toBeUndefined();
    expect(checkBlockContext(block, { ...ctx, height: 6 })?.code).toBe('bad-coinbase-height');
    expect(checkBlockContext(block, { ...ctx, height: 6, medianTimePast: 1000 })?.code).toBe('time-too-old');
    expect(checkBlockContext(block, { ...ctx, height: 6, medianTimePast: 1000, expectedBits: 1 })?.code).toBe(
      'bad-bits',
    );
  });

  it('at a retarget height, refuses a time more than 600 s before the parent (time warp), after time-too-old', () => {
    const block = blockOf([coinbaseAt(5)], 1000);
    const ctx = { height: 5, expectedBits: regtest.powLimitBits, medianTimePast: 999 };
    expect(checkBlockContext(block, { ...ctx, retargetParentTime: 1600 })).toBeUndefined();
    expect(checkBlockContext(block, { ...ctx, retargetParentTime: 1601 })?.code).toBe('time-timewarp-attack');
    expect(checkHeaderContext(block.header, { ...ctx, retargetParentTime: 1601 })?.code).toBe(
      'time-timewarp-attack',
    );
    expect(checkBlockContext(block, { ...ctx, medianTimePast: 1000, retargetParentTime: 1601 })?.code).toBe(
      'time-too-old',
    );
  });

  // Known issue (docs/protocol.md, "Subsidy and halving"): from 33 halvings on the subsidy is 0, and
  // a block without fee-paying transactions has no valid coinbase: outputs must be at least 1 unit
  // and a coinbase needs an output. Fix: let coinbase outputs be worth 0 (in assertTxSanity, check
  // `out.amount <= 0n` only for non-coinbase transactions).
  it('a block can still be built once the subsidy is zero', () => {
    const height = 33 * regtest.halvingInterval;
    expect(blockSubsidy(regtest, height)).toBe(0n);
    const candidates = [
      createCoinbase({ height, outputs: [{ amount: 0n, address: aliceHash }], txs: [] }),
      createCoinbase({ height, outputs: [], txs: [] }),
    ];
    const valid = candidates.filter(
      (cb) => checkBlockSanity(blockOf([cb]), regtest, regtest.genesis.time).ok,
    );
    expect(valid.length).toBeGreaterThan(0);
  });
});

describe('checkBlockSanity: a corrupted copy is told from an invalid block', () => {
  const good = blockOf([coinbaseAt(1), spend([0], [1000n], [900n])]);
  const now = regtest.genesis.time;
  const codeOf = (b: Block, size?: number) => {
    const r = checkBlockSanity(b, regtest, now, size);
    return r.ok ? undefined : { code: r.error.code, malleated: r.error.malleated };
  };
  const withTx1 = (tx: Tx): Tx[] => [good.txs[0]!, tx];
  const bodies: Array<[string, Tx[], string]> = [
    ['a tx of version 3', withTx1({ ...good.txs[1]!, version: 3 }), 'bad-version'],
    ['a tx without outputs', withTx1({ ...good.txs[1]!, outputs: [] }), 'no-outputs'],
    ['a zero output', withTx1(spend([0], [1000n], [0n])), 'bad-amount'],
    ['too much data', withTx1(spend([0], [1000n], [1n], new Uint8Array(MAX_DATA_SIZE + 1))), 'bad-data-size'],
    ['a tx over the size limit', withTx1(spend([0], [1000n], Array(3572).fill(1n))), 'tx-too-large'],
    ['a tx spending one outpoint twice', withTx1(spend([0, 0], [1000n, 1000n], [1n])), 'double-spend'],
    [
      'short coinbase data',
      [{ ...good.txs[0]!, data: new Uint8Array(11) }, good.txs[1]!],
      'bad-coinbase-data',
    ],
    ['the coinbase second', [good.txs[1]!, good.txs[0]!], 'bad-coinbase'],
    ['no transactions', [], 'bad-coinbase'],
  ];

  it.each(bodies)('under the real header, %s is a root mismatch (malleated)', (_, txs) => {
    expect(codeOf({ ...good, txs })).toEqual({ code: 'bad-merkle-root', malleated: true });
  });

  it.each(bodies)('under its own header, %s breaks its rule for good', (_, txs, code) => {
    expect(codeOf(blockOf(txs))).toEqual({ code, malleated: false });
  });

  it('checks the size only once the root matches', () => {
    expect(codeOf({ ...good, txs: good.txs.slice(0, 1) }, 1_000_001)?.code).toBe('bad-merkle-root');
    expect(codeOf(good, 1_000_001)).toEqual({ code: 'block-too-large', malleated: false });
  });

  it('reports a repeated subtree under a matching root as duplicate-tx (CVE-2012-2459)', () => {
    const three = blockOf([coinbaseAt(1), spend([0], [1000n], [900n]), spend([1], [1000n], [900n])]);
    const repeated = { ...three, txs: [...three.txs, three.txs[2]!] };
    expect(toHex(computeMerkleRoot(repeated.txs))).toBe(toHex(three.header.merkleRoot));
    expect(codeOf(repeated)).toEqual({ code: 'duplicate-tx', malleated: true });
    expect(codeOf(three)).toBeUndefined();
  });

  it('refuses other signatures under the same header as bad-sig-commitment (malleated)', () => {
    const tx = good.txs[1]!;
    const other = sign(sha256(new TextEncoder().encode('another message')), alice.privateKey);
    const swapped = { ...tx, inputs: tx.inputs.map((i) => ({ ...i, signature: other })) };
    expect(toHex(txid(swapped))).toBe(toHex(txid(tx)));
    expect(codeOf({ ...good, txs: [good.txs[0]!, swapped] })).toEqual({
      code: 'bad-sig-commitment',
      malleated: true,
    });
    expect(codeOf(good)).toBeUndefined();
  });

  it('refuses a coinbase committing to other signatures, even under its own header', () => {
    const cb = good.txs[0]!;
    const d = decodeCoinbaseData(cb.data);
    const wrong = { ...cb, data: encodeCoinbaseData(d.height, d.extraNonce, new Uint8Array(32).fill(7)) };
    const txs = [wrong, good.txs[1]!];
    const mined = solve({ ...good, header: { ...good.header, merkleRoot: computeMerkleRoot(txs) }, txs });
    expect(codeOf(mined)).toEqual({ code: 'bad-sig-commitment', malleated: true });
  });

  it('leaves a coinbase too short for a signature root to bad-coinbase-data', () => {
    const cb = good.txs[0]!;
    for (const length of [12, 43]) {
      const txs = [{ ...cb, data: cb.data.slice(0, length) }, good.txs[1]!];
      expect(codeOf(blockOf(txs))).toEqual({ code: 'bad-coinbase-data', malleated: false });
    }
  });

  it('checks the header before the body', () => {
    const body = good.txs.slice(0, 1);
    const future = blockOf(good.txs, now + 7201);
    expect(codeOf({ ...future, txs: body })?.code).toBe('time-too-new');
    const v2 = solve({ ...good, header: { ...good.header, version: 2 } });
    expect(codeOf({ ...v2, txs: body })?.code).toBe('bad-version');
    const target = bitsToTarget(good.header.bits)!;
    let nonce = 0;
    while (hashMeetsTarget(headerHash({ ...good.header, nonce }), target)) nonce++;
    expect(codeOf({ header: { ...good.header, nonce }, txs: body })?.code).toBe('bad-pow');
  });
});

describe('RuleError', () => {
  it('is malleated exactly for failures that leave the header valid', () => {
    const malleated = Object.keys(RULE_CODES).filter(
      (c) => new RuleError(c as keyof typeof RULE_CODES).malleated,
    );
    expect(malleated.sort()).toEqual([
      'bad-encoding',
      'bad-merkle-root',
      'bad-sig-commitment',
      'bad-signature',
      'duplicate-tx',
    ]);
  });

  it('can mark any failure as malleated, whatever its code', () => {
    expect(new RuleError('bad-prev-block', 'parent was a corrupted copy', true).malleated).toBe(true);
    expect(new RuleError('bad-signature', 'no', false).malleated).toBe(false);
    expect(new RuleError('bad-prev-block').malleated).toBe(false);
  });

  it('carries the code, a default message and JSON', () => {
    const e = new RuleError('overspend');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('RuleError');
    expect(e.message).toBe(RULE_CODES.overspend);
    expect(e.toJSON()).toEqual({ error: 'overspend', message: RULE_CODES.overspend });
    expect(new RuleError('bad-pow', 'custom').message).toBe('custom');
  });

  it('attempt turns a RuleError into a result and lets other errors through', () => {
    expect(attempt(() => 5)).toEqual({ ok: true, value: 5 });
    const r = attempt(() => {
      throw new RuleError('bad-pow');
    });
    expect(r.ok ? undefined : r.error.code).toBe('bad-pow');
    expect(() =>
      attempt(() => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
    const f = fail('no-outputs', 'why');
    expect(f.ok ? undefined : [f.error.code, f.error.message]).toEqual(['no-outputs', 'why']);
  });
});

describe('genesis', () => {
  it('pays subsidy(0) to the all-zero address from a height-0 coinbase, at the network limit', () => {
    for (const p of Object.values(NETWORKS)) {
      const g = genesisBlock(p);
      expect(g.txs).toHaveLength(1);
      expect(g.txs[0]!.outputs).toEqual([{ amount: blockSubsidy(p, 0), address: new Uint8Array(20) }]);
      expect(toHex(g.header.prevHash)).toBe('00'.repeat(32));
      expect(g.header.bits).toBe(p.powLimitBits);
      expect(new TextDecoder().decode(g.txs[0]!.data.slice(44))).toBe(p.genesis.message);
      expect(genesisBlock(p)).toBe(g);
    }
  });
});
