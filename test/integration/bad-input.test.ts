// Malformed and malicious input against a real node: every bad body gets a 4xx JSON {error, message} and
// leaves the node's state (height, tip, mempool, balances) exactly as it was; random bodies never get a 5xx.
import { bech32m } from '@scure/base';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { MAX_MONEY } from '../../src/core/params.js';
import { encodeTx, publicKeyHash, TX_VERSION, type Tx } from '../../src/core/tx.js';
import { decodeAddress, encodeAddress } from '../../src/crypto/address.js';
import { signTx } from '../../src/wallet/build-tx.js';
import type { Utxo } from '../../src/wallet/coin-select.js';
import type { HdWallet, WalletKey } from '../../src/wallet/keys.js';
import {
  type ApiResponse,
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  type NodeSnapshot,
  snapshot,
  startNode,
} from '../support/node-process.js';
import { type Balance, balanceOf, payFrom, testWallet, utxosOf } from './helpers.js';

cleanupNodesAfterAll();

interface NodeState {
  readonly status: NodeSnapshot;
  readonly mempool: string[];
  readonly nodeBalance: Balance;
  readonly aliceBalance: Balance;
}

describe('bad input', () => {
  let node: NodeProcess;
  let wallet: HdWallet;
  let alice: WalletKey;
  let nodeAddress: string;
  /** Alice's confirmed coins, one coin each, set aside per test so tests do not interfere. */
  let coins: Utxo[];
  const takeCoin = (): Utxo => {
    const coin = coins.shift();
    if (!coin) throw new Error('the test ran out of coins: fund more in beforeAll');
    return coin;
  };

  const state = async (): Promise<NodeState> => ({
    status: await snapshot(node.url),
    mempool: (await getJson(node.url, '/api/v1/mempool')).txs.map((t: Json) => t.txid).sort(),
    nodeBalance: await balanceOf(node.url, nodeAddress),
    aliceBalance: await balanceOf(node.url, alice.address),
  });

  /** Sends a bad request; asserts a 4xx JSON error (with one of `codes`, when given) and that nothing changed. */
  async function rejected(
    send: () => Promise<ApiResponse>,
    status: number,
    codes?: string | readonly string[],
  ): Promise<{ error: string; message: string }> {
    const before = await state();
    const res = await send();
    expect(res.status, res.text).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(typeof res.body?.error, res.text).toBe('string');
    expect(typeof res.body?.message, res.text).toBe('string');
    expect(res.body.message.length).toBeGreaterThan(0);
    if (codes !== undefined) expect([codes].flat(), res.text).toContain(res.body.error);
    expect(await state()).toEqual(before);
    return res.body;
  }

  const postJson = (path: string, body: unknown) => () => api(node.url).post(path, body);
  const postRaw = (path: string, raw: string, contentType?: string) => () =>
    api(node.url).post(path, undefined, { raw, contentType });

  /** A transaction from Alice spending `coin`, signed unless `sign` is false, with `tweak` applied first. */
  function aliceTx(coin: Utxo, outputs: Tx['outputs'], tweak: (tx: Tx) => Tx = (tx) => tx): Tx {
    const unsigned: Tx = tweak({
      version: TX_VERSION,
      inputs: [
        {
          prevTxid: Uint8Array.from(Buffer.from(coin.txid, 'hex')),
          prevIndex: coin.index,
          publicKey: alice.publicKey,
          signature: new Uint8Array(64),
        },
      ],
      outputs,
      data: new Uint8Array(),
    });
    return signTx(
      unsigned,
      unsigned.inputs.map(() => ({ amount: coin.amount, keyPair: alice })),
    );
  }
  const hexOf = (tx: Tx) => toHex(encodeTx(tx));
  /** An output paying the node's wallet. */
  let payTo: (amount: bigint) => Tx['outputs'][number];

  beforeAll(async () => {
    node = await startNode();
    wallet = await testWallet();
    alice = wallet.receiveKey(0);
    nodeAddress = (await snapshot(node.url)).walletAddress;
    await mine(node.url, 2);
    // Twelve one-coin payments to Alice, then a block: twelve confirmed coins to misuse one by one.
    for (let i = 0; i < 12; i++) {
      const res = await api(node.url).post('/transactions/new', {
        recipient: alice.address,
        amount: 100_000_000,
      });
      expect(res.status, res.text).toBe(201);
    }
    await mine(node.url, 1);
    coins = await utxosOf(node.url, alice.address);
    expect(coins).toHaveLength(12);
    const nodeHash = decodeAddress('hlrt', nodeAddress);
    payTo = (amount) => ({ amount, address: nodeHash });
  });

  describe('POST /transactions/new', () => {
    it.each([
      ['truncated JSON', '{"recipient": "hlrt1', 'bad-json'],
      ['an empty body', '', 'bad-json'],
      ['a bare brace', '{', 'bad-json'],
      [
        'a prototype-pollution key',
        '{"__proto__": {"admin": true}, "recipient": "x", "amount": 1}',
        'bad-json',
      ],
      ['JSON null', 'null', 'bad-request'],
      ['a JSON array', '[1, 2]', 'bad-request'],
      ['a JSON string', '"pay me"', 'bad-request'],
      ['a JSON number', '42', 'bad-request'],
    ])('%s → 400', async (_what, raw, code) => {
      await rejected(postRaw('/transactions/new', raw), 400, code);
    });

    it('a body that is not JSON nor a form → 4xx', async () => {
      await rejected(postRaw('/transactions/new', 'recipient=x', 'text/plain'), 400);
      await rejected(postRaw('/transactions/new', '<xml/>', 'application/xml'), 415, 'bad-request');
    });

    it('a body over 2.1 MB → 413 body-too-large (JSON and form)', async () => {
      const huge = JSON.stringify({ recipient: 'x'.repeat(2_200_000), amount: 1 });
      await rejected(postRaw('/transactions/new', huge), 413, 'body-too-large');
      const form = `recipient=${'x'.repeat(2_200_000)}&amount=1`;
      await rejected(
        postRaw('/transactions/new', form, 'application/x-www-form-urlencoded'),
        413,
        'body-too-large',
      );
    });

    it.each([
      ['no fields', {}],
      ['no amount', { recipient: 'RECIPIENT' }],
      ['no recipient', { amount: 1000 }],
      ['an empty recipient', { recipient: '', amount: 1000 }],
    ])('missing values (%s) → 400 bad-request', async (_what, body) => {
      const res = await rejected(
        postJson('/transactions/new', JSON.parse(JSON.stringify(body).replace('RECIPIENT', alice.address))),
        400,
        'bad-request',
      );
      expect(res.message).toMatch(/recipient|amount/);
    });

    it.each([
      ['a number', 12345],
      ['an array of the address', ['ALICE']],
      ['an object', { address: 'ALICE' }],
      ['null', null],
      ['true', true],
    ])('recipient of the wrong type (%s) → 400', async (_what, recipient) => {
      const body = JSON.parse(JSON.stringify({ recipient, amount: 1000 }).replace('ALICE', alice.address));
      await rejected(postJson('/transactions/new', body), 400, ['bad-request', 'bad-address']);
    });

    it('unknown or invalid addresses → 400 bad-address', async () => {
      const hash = publicKeyHash(alice.publicKey);
      const flipped = alice.address.slice(0, -1) + (alice.address.endsWith('q') ? 'p' : 'q');
      for (const recipient of [
        'hello',
        'hlrt1',
        'hlrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
        flipped, // one character off: the checksum catches it
        encodeAddress('hl', hash), // Alice's key on main
        encodeAddress('hldev', hash), // and on dev
        bech32m.encode('hlrt', bech32m.toWords(hash.slice(0, 19))), // a 19-byte hash, well encoded
        `${alice.address}x`,
        ' '.repeat(10),
      ]) {
        await rejected(postJson('/transactions/new', { recipient, amount: 1000 }), 400, 'bad-address');
      }
    });

    it.each([
      ['negative', -5],
      ['negative string', '-5'],
      ['zero', 0],
      ['zero string', '0'],
      ['fractional', 1.5],
      ['fractional string', '1.5'],
      ['non-numeric', 'abc'],
      ['exponent string', '1e3'],
      ['hex string', '0x10'],
      ['NaN string', 'NaN'],
      ['Infinity string', 'Infinity'],
      ['boolean', true],
      ['null', null],
      ['array', [5]],
      ['object', { units: 5 }],
      ['absurdly large number', 1e30],
      ['absurdly large string', `1${'0'.repeat(40)}`],
      ['money supply + 1', (MAX_MONEY + 1n).toString()],
      ['2^64', (2n ** 64n).toString()],
    ])('amount %s → 400', async (_what, amount) => {
      const res = await rejected(
        postJson('/transactions/new', { recipient: alice.address, amount }),
        400,
        'bad-amount',
      );
      expect(res.message).toMatch(/amount/);
    });

    it('amount beyond 2^53 as a JSON number (not exact in a double) → 400 bad-amount', async () => {
      const raw = `{"recipient": "${alice.address}", "amount": 9007199254740993}`;
      await rejected(postRaw('/transactions/new', raw), 400, 'bad-amount');
    });

    it('more than the node wallet holds → 400 insufficient-funds', async () => {
      const res = await rejected(
        postJson('/transactions/new', {
          recipient: alice.address,
          amount: (1_000_000n * 100_000_000n).toString(),
        }),
        400,
        'insufficient-funds',
      );
      expect(res.message).toMatch(/\d/);
    });

    it('a data record over 1024 bytes → 400', async () => {
      await rejected(
        postJson('/transactions/new', { recipient: alice.address, amount: 1000, data: 'x'.repeat(1025) }),
        400,
      );
    });

    it('an unsigned tutorial transaction from a foreign sender → 400 not-your-key', async () => {
      const res = await rejected(
        postJson('/transactions/new', { sender: alice.address, recipient: nodeAddress, amount: 1000 }),
        400,
        'not-your-key',
      );
      expect(res.message).toContain(alice.address);
      // Also as a form, as the tutorials' HTML forms send it.
      await rejected(
        () =>
          api(node.url).post(
            '/transactions/new',
            { sender: alice.address, recipient: nodeAddress, amount: '1000' },
            { form: true },
          ),
        400,
        'not-your-key',
      );
    });

    it('a form with the amount given twice → 400', async () => {
      await rejected(
        postRaw(
          '/transactions/new',
          `recipient=${alice.address}&amount=1000&amount=5`,
          'application/x-www-form-urlencoded',
        ),
        400,
      );
    });
  });

  describe('POST /api/v1/tx', () => {
    it.each([
      ['no hex', {}, 'bad-request'],
      ['hex as a number', { hex: 1234 }, 'bad-request'],
      ['hex as null', { hex: null }, 'bad-request'],
      ['hex as an array', { hex: ['00'] }, 'bad-request'],
      ['non-hex characters', { hex: 'zz' }, 'bad-encoding'],
      ['an odd number of digits', { hex: 'abc' }, 'bad-encoding'],
      ['an empty string', { hex: '' }, 'bad-encoding'],
      ['four random bytes', { hex: 'deadbeef' }, 'bad-encoding'],
      ['a varint claiming 2^32 inputs', { hex: `01000000fe${'ff'.repeat(4)}` }, 'bad-encoding'],
      ['hex beyond the size limit', { hex: 'ab'.repeat(250_000) }, 'bad-request'],
    ])('%s → 400', async (_what, body, code) => {
      await rejected(postJson('/api/v1/tx', body), 400, code);
    });

    it('bad JSON and huge bodies → 400 bad-json / 413 body-too-large', async () => {
      await rejected(postRaw('/api/v1/tx', '{"hex": "00'), 400, 'bad-json');
      await rejected(
        postRaw('/api/v1/tx', JSON.stringify({ hex: '00'.repeat(1_100_000) })),
        413,
        'body-too-large',
      );
    });

    it('a valid transaction with a trailing byte → bad-encoding', async () => {
      const coin = takeCoin();
      const tx = aliceTx(coin, [payTo(coin.amount - 1000n)]);
      await rejected(postJson('/api/v1/tx', { hex: `${hexOf(tx)}00` }), 400, 'bad-encoding');
    });

    it('a double spend paying no more → 400 replacement-fee-rate-too-low naming the first transaction', async () => {
      const coin = takeCoin();
      const first = payFrom(alice, [coin], nodeAddress, 10_000_000n);
      const accepted = await api(node.url).post('/api/v1/tx', { hex: first.hex });
      expect(accepted.status, accepted.text).toBe(201);
      expect(accepted.body.txid).toBe(first.txid);
      // Same coin, another recipient and amount, the same fee rate: it cannot replace the first.
      const second = payFrom(alice, [coin], wallet.receiveAddress(5), 20_000_000n);
      expect(second.txid).not.toBe(first.txid);
      const res = await rejected(
        postJson('/api/v1/tx', { hex: second.hex }),
        400,
        'replacement-fee-rate-too-low',
      );
      expect(res.message).toContain(first.txid);
      // The same one again is already known, through either endpoint.
      await rejected(postJson('/api/v1/tx', { hex: first.hex }), 400, 'already-known');
      await rejected(postJson('/transactions/new', { hex: second.hex }), 400, 'replacement-fee-rate-too-low');
    });

    it('a bad signature → 400 bad-signature', async () => {
      const coin = takeCoin();
      const tx = aliceTx(coin, [payTo(coin.amount - 1000n)]);
      const signature = tx.inputs[0]!.signature.slice();
      signature[10]! ^= 0x01;
      const forged: Tx = { ...tx, inputs: [{ ...tx.inputs[0]!, signature }] };
      await rejected(postJson('/api/v1/tx', { hex: hexOf(forged) }), 400, 'bad-signature');
      // Signed for another amount than the coin holds: the signature does not cover this spend.
      const wrongAmount = signTx({ ...tx }, [{ amount: coin.amount + 1n, keyPair: alice }]);
      await rejected(postJson('/api/v1/tx', { hex: hexOf(wrongAmount) }), 400, 'bad-signature');
      // The coin is still Alice's to spend.
      const good = await api(node.url).post('/api/v1/tx', { hex: hexOf(tx) });
      expect(good.status, good.text).toBe(201);
    });

    it("someone else's key on Alice's coin → 400 bad-pubkey", async () => {
      const coin = takeCoin();
      const mallory = wallet.receiveKey(7);
      const unsigned = aliceTx(coin, [payTo(coin.amount - 1000n)]);
      const stolen = signTx(unsigned, [{ amount: coin.amount, keyPair: mallory }]);
      await rejected(postJson('/api/v1/tx', { hex: hexOf(stolen) }), 400, 'bad-pubkey');
    });

    it('outputs worth more than the inputs → 400 overspend', async () => {
      const coin = takeCoin();
      const tx = aliceTx(coin, [payTo(coin.amount + 1n)]);
      await rejected(postJson('/api/v1/tx', { hex: hexOf(tx) }), 400, 'overspend');
    });

    it('spending an output that does not exist → 400 missing-inputs', async () => {
      const coin = takeCoin();
      const ghost = { ...coin, txid: 'ab'.repeat(32) };
      await rejected(
        postJson('/api/v1/tx', { hex: payFrom(alice, [ghost], nodeAddress, 1000n).hex }),
        400,
        'missing-inputs',
      );
      const noSuchIndex = { ...coin, index: 7 };
      await rejected(
        postJson('/api/v1/tx', { hex: payFrom(alice, [noSuchIndex], nodeAddress, 1000n).hex }),
        400,
        'missing-inputs',
      );
    });

    it('spending an output already spent in a block → 400 missing-inputs', async () => {
      const coin = takeCoin();
      const spend = payFrom(alice, [coin], nodeAddress, 1000n);
      expect((await api(node.url).post('/api/v1/tx', { hex: spend.hex })).status).toBe(201);
      await mine(node.url, 1);
      const again = payFrom(alice, [coin], wallet.receiveAddress(3), 5000n);
      await rejected(postJson('/api/v1/tx', { hex: again.hex }), 400, 'missing-inputs');
      // And the confirmed one itself is already known.
      await rejected(postJson('/api/v1/tx', { hex: spend.hex }), 400, 'already-known');
    });

    it('consensus-invalid shapes: no outputs, zero amount, a coinbase, a zero fee, a bad version', async () => {
      const coin = takeCoin();
      await rejected(postJson('/api/v1/tx', { hex: hexOf(aliceTx(coin, [])) }), 400, 'no-outputs');
      await rejected(postJson('/api/v1/tx', { hex: hexOf(aliceTx(coin, [payTo(0n)])) }), 400, 'bad-amount');
      await rejected(
        postJson('/api/v1/tx', { hex: hexOf(aliceTx(coin, [payTo(MAX_MONEY + 1n)])) }),
        400,
        'bad-amount',
      );
      await rejected(
        postJson('/api/v1/tx', { hex: hexOf(aliceTx(coin, [payTo(coin.amount)])) }),
        400,
        'fee-too-low',
      );
      await rejected(
        postJson('/api/v1/tx', {
          hex: hexOf(aliceTx(coin, [payTo(1000n)], (tx) => ({ ...tx, version: 3 }))),
        }),
        400,
        'bad-version',
      );
      const coinbase: Tx = {
        version: TX_VERSION,
        inputs: [],
        outputs: [payTo(5_000_000_000n)],
        data: new Uint8Array(12),
      };
      await rejected(postJson('/api/v1/tx', { hex: hexOf(coinbase) }), 400, 'non-final');
      const twice = aliceTx(coin, [payTo(1000n)], (tx) => ({
        ...tx,
        inputs: [tx.inputs[0]!, tx.inputs[0]!],
      }));
      await rejected(postJson('/api/v1/tx', { hex: hexOf(twice) }), 400, 'double-spend');
    });
  });

  describe('random bodies (fast-check)', () => {
    const isHexTxid = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

    /** 2xx, or a 4xx with a JSON {error, message}; never a 5xx. */
    function expectSane(res: ApiResponse, sent: string): void {
      const where = `sent ${sent.slice(0, 300)} → HTTP ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, where).toBeLessThan(500);
      if (res.status >= 200 && res.status < 300) {
        expect(isHexTxid(res.body?.txid), where).toBe(true);
        return;
      }
      expect(res.status, where).toBeGreaterThanOrEqual(400);
      expect(typeof res.body?.error, where).toBe('string');
      expect(typeof res.body?.message, where).toBe('string');
    }

    const amountArb = () =>
      fc.oneof(
        fc.integer(),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double(),
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
        fc.nat().map(String),
        fc.string(),
        fc.constantFrom('1', '0', '-1', '1.5', '1e3', ' 7 ', '00012', '', '１２'),
        fc.constant(null),
        fc.boolean(),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
      );

    it('POST /transactions/new: 150 random bodies, never a 5xx, the node stays up', async () => {
      const flipped = alice.address.slice(0, -1) + (alice.address.endsWith('q') ? 'p' : 'q');
      const recipientArb = fc.oneof(
        fc.constant(alice.address),
        fc.constant(nodeAddress),
        fc.constant(flipped),
        fc.constant(encodeAddress('hl', publicKeyHash(alice.publicKey))),
        fc.string(),
        fc.integer(),
        fc.constant(null),
      );
      const bodyArb = fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record(
            {
              recipient: recipientArb,
              amount: amountArb(),
              sender: fc.oneof(
                fc.constant(nodeAddress),
                fc.constant(alice.address),
                fc.string(),
                fc.integer(),
              ),
              data: fc.oneof(
                fc.string({ maxLength: 50 }),
                fc.integer(),
                fc.string({ minLength: 1020, maxLength: 1100 }),
              ),
              hex: fc.oneof(
                fc.string({ maxLength: 20 }),
                fc.uint8Array({ maxLength: 40 }).map(toHex),
                fc.integer(),
              ),
            },
            { requiredKeys: [] },
          ),
        },
        // Plausible payments: a good recipient and an amount of any type.
        {
          weight: 3,
          arbitrary: fc.record(
            {
              recipient: fc.constantFrom(alice.address, nodeAddress),
              amount: amountArb(),
              sender: fc.constant(nodeAddress),
            },
            { requiredKeys: ['recipient', 'amount'] },
          ),
        },
        {
          weight: 2,
          arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), {
            maxKeys: 6,
          }),
        },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      );
      const requestArb = fc.oneof(
        { weight: 6, arbitrary: bodyArb.map((body) => ({ kind: 'json' as const, body })) },
        {
          weight: 2,
          arbitrary: fc
            .dictionary(
              fc.constantFrom('recipient', 'amount', 'sender', 'data', 'hex', 'x'),
              fc.oneof(
                fc.string({ maxLength: 30 }),
                amountArb().map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
                fc.constant(alice.address),
              ),
            )
            .map((body) => ({ kind: 'form' as const, body })),
        },
        {
          weight: 1,
          arbitrary: fc.string({ maxLength: 200 }).map((raw) => ({ kind: 'raw' as const, body: raw })),
        },
      );
      const codes = new Set<string>();
      await fc.assert(
        fc.asyncProperty(requestArb, async (req) => {
          let res: ApiResponse;
          let sent: string;
          if (req.kind === 'form') {
            sent = new URLSearchParams(req.body).toString();
            res = await api(node.url).post('/transactions/new', req.body, { form: true });
          } else {
            sent = req.kind === 'raw' ? (req.body as string) : JSON.stringify(req.body);
            res = await api(node.url).post('/transactions/new', undefined, { raw: sent ?? 'null' });
          }
          expectSane(res, sent ?? 'undefined');
          codes.add(res.status < 300 ? String(res.status) : res.body.error);
        }),
        { numRuns: 150, seed: 0x5eed, endOnFailure: true },
      );
      // The generator reaches the success path and many distinct rejections, not just one kind of 400.
      expect(codes.has('201'), [...codes].join(' ')).toBe(true);
      expect(codes.size, [...codes].join(' ')).toBeGreaterThanOrEqual(5);
      expect(node.exited).toBe(false);
      expect((await api(node.url).get('/api/v1/status')).status).toBe(200);
    });

    it('POST /api/v1/tx: 150 random bodies and mutated transactions, never a 5xx, the node stays up', async () => {
      const coin = takeCoin();
      const valid = hexOf(aliceTx(coin, [payTo(coin.amount - 5000n)]));
      const mutated = fc
        .tuple(
          fc.nat({ max: valid.length / 2 - 1 }),
          fc.integer({ min: 1, max: 255 }),
          fc.constantFrom('flip', 'cut', 'grow'),
        )
        .map(([at, xor, how]) => {
          const bytes = Buffer.from(valid, 'hex');
          if (how === 'cut') return bytes.subarray(0, at).toString('hex');
          if (how === 'grow') return Buffer.concat([bytes, Buffer.alloc(at % 64, xor)]).toString('hex');
          bytes[at]! ^= xor;
          return bytes.toString('hex');
        });
      const hexArb = fc.oneof(
        { weight: 4, arbitrary: mutated },
        { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map(toHex) },
        { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
      );
      const bodyArb = fc.oneof(
        { weight: 6, arbitrary: hexArb.map((hex) => ({ hex })) },
        {
          weight: 1,
          arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
            maxKeys: 4,
          }),
        },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
      );
      let accepted = 0;
      const codes = new Set<string>();
      await fc.assert(
        fc.asyncProperty(bodyArb, async (body) => {
          const sent = JSON.stringify(body) ?? 'null';
          const res = await api(node.url).post('/api/v1/tx', undefined, { raw: sent });
          expectSane(res, sent);
          if (res.status === 201) accepted++;
          else codes.add(res.body.error);
        }),
        { numRuns: 150, seed: 0x7e57, endOnFailure: true },
      );
      // A mutation may, rarely, leave the transaction valid (e.g. a flipped bit in the data varint is
      // caught, but none changes the spend and keeps the signature): at most the original spend gets in.
      expect(accepted).toBeLessThanOrEqual(1);
      for (const code of ['bad-encoding', 'bad-signature', 'bad-request']) expect([...codes]).toContain(code);
      expect(node.exited).toBe(false);
      expect((await api(node.url).get('/api/v1/status')).status).toBe(200);
    });
  });
});
