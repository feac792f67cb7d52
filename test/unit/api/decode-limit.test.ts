// POST /api/v1/decode runs at most MAX_DECODES_IN_FLIGHT at once over all callers; the next gets 503
// `busy` at once, and a slot frees when a decode finishes.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { DecodeContext } from '../../../src/api/decode/index.js';
import { errorHandler } from '../../../src/api/errors.js';
import { MAX_DECODES_IN_FLIGHT, rawRoutes } from '../../../src/api/impl/raw.js';
import { toHex } from '../../../src/core/bytes.js';
import { NETWORKS } from '../../../src/core/params.js';
import { encodeTx } from '../../../src/core/tx.js';

const txHex = toHex(
  encodeTx({
    version: 1,
    inputs: [
      {
        prevTxid: new Uint8Array(32),
        prevIndex: 0,
        publicKey: new Uint8Array(32),
        signature: new Uint8Array(64),
      },
    ],
    outputs: [{ amount: 1n, address: new Uint8Array(20) }],
    data: new Uint8Array(0),
  }),
);

describe('decode concurrency', () => {
  it('refuses the decode past the limit with 503 busy, and takes one again once a slot frees', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started = 0;
    const decode = {
      params: NETWORKS.regtest,
      describeTx: async () => ({ known: null, confirmations: 0, spent: [] }),
      checkTx: async () => {
        started++;
        await gate;
      },
    } as unknown as DecodeContext;
    const raw = { blockBytes: async () => undefined, txBytes: async () => undefined };
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    for (const r of rawRoutes({ raw, decode })) app.route({ ...r, handler: r.handler as never });
    const post = () => app.inject({ method: 'POST', url: '/api/v1/decode', payload: { hex: txHex } });

    const waiting = Array.from({ length: MAX_DECODES_IN_FLIGHT }, post);
    for (let i = 0; i < 100 && started < MAX_DECODES_IN_FLIGHT; i++)
      await new Promise((r) => setImmediate(r));
    expect(started).toBe(MAX_DECODES_IN_FLIGHT);
    const refused = await post();
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error).toBe('busy');

    release();
    for (const r of await Promise.all(waiting)) expect(r.statusCode).toBe(200);
    const again = await post();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ kind: 'tx', valid: true });
    await app.close();
  });
});
