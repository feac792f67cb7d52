// GET and POST /api/v1/policy/decode on a real in-process node: a policy's text or bytes in, its
// canonical text, encoding, hash, address, keys, fragments and signature checks out; a policy that does
// not parse or decode is 400 bad-policy naming the position.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../src/api/client.js';
import { ApiError } from '../../../src/api/errors.js';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import { addressKind, decodeAddress } from '../../../src/crypto/address.js';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';

const dir = tempDir('hashline-policy-decode-');
let node: HashlineNode;
let app: FastifyInstance;

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path));
  app = node.api!;
});

afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

const key = (n: number) => toHex(new Uint8Array(32).fill(n));
const [A, B, C] = [key(0xa1), key(0xb2), key(0xc3)];
const H = toHex(sha256(new Uint8Array(32).fill(7)));
const MULTI = `multi(2,${A},${B},${C})`;

const get = (text: string) =>
  app.inject({ method: 'GET', url: `/api/v1/policy/decode?text=${encodeURIComponent(text)}` });
const post = (payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/api/v1/policy/decode', payload });

describe('GET /api/v1/policy/decode', () => {
  it('answers a 2-of-3 multisig: its encoding, the hash of it, the policy address of that hash', async () => {
    const r = await get(MULTI);
    expect(r.statusCode).toBe(200);
    const v = r.json();
    expect(v.text).toBe(MULTI);
    // tag 0x02, k, n, then the three keys
    expect(v.hex).toBe(`020203${A}${B}${C}`);
    expect(v.size).toBe(3 + 3 * 32);
    expect(v.hash).toBe(toHex(sha256(fromHex(v.hex))));
    const hash = decodeAddress(node.params.addressPrefix, v.address);
    expect(toHex(hash)).toBe(v.hash);
    expect(addressKind(hash)).toBe('policy');
    expect(v.depth).toBe(1);
    expect(v.keys).toEqual([A, B, C]);
    expect(v.fragments).toEqual([{ depth: 0, type: 'multi', text: MULTI }]);
    expect(v.sigChecks).toEqual({ min: 2, max: 2 });
  });

  it('lists nested fragments in pre-order with their levels, and the cheapest and dearest signature counts', async () => {
    const text = `thresh(2,pk(${A}),or(multi(2,${B},${C}),and(sha256(${H}),after(1000))),older(10))`;
    const v = (await get(text)).json();
    expect(v.fragments).toEqual([
      { depth: 0, type: 'thresh', text },
      { depth: 1, type: 'pk', text: `pk(${A})` },
      { depth: 1, type: 'or', text: `or(multi(2,${B},${C}),and(sha256(${H}),after(1000)))` },
      { depth: 2, type: 'multi', text: `multi(2,${B},${C})` },
      { depth: 2, type: 'and', text: `and(sha256(${H}),after(1000))` },
      { depth: 3, type: 'sha256', text: `sha256(${H})` },
      { depth: 3, type: 'after', text: 'after(1000)' },
      { depth: 1, type: 'older', text: 'older(10)' },
    ]);
    expect(v.depth).toBe(4);
    expect(v.keys).toEqual([A, B, C]);
    // cheapest: older + the hashlock branch (0); dearest: pk + multi (1 + 2)
    expect(v.sigChecks).toEqual({ min: 0, max: 3 });
  });

  it('prints the canonical text of a text with spaces and upper-case hex', async () => {
    const v = (await get(`multi( 2, ${A.toUpperCase()} , ${B},${C} )`)).json();
    expect(v.text).toBe(MULTI);
  });

  it('refuses text that does not parse with 400 bad-policy naming the character', async () => {
    const r = await get(`or(pk(${A}),after(0))`);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'bad-policy' });
    // after( starts right after `or(pk(<key>),`
    expect(r.json().message).toBe(`after at character ${`or(pk(${A}),`.length + 1}: n=0 is below 1`);
    const short = (await get('pk(abcd)')).json();
    expect(short).toMatchObject({ error: 'bad-policy' });
    expect(short.message).toMatch(/character 4.*4 hex digits/);
  });

  it('refuses text longer than 8,192 characters before parsing it', async () => {
    const r = await get(`pk(${A})${' '.repeat(8_200)}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe('bad-request');
    expect(r.json().message).toMatch(/8192/);
  });
});

describe('POST /api/v1/policy/decode', () => {
  it('decodes the encoding as the text decodes', async () => {
    const fromText = (await post({ text: MULTI })).json();
    const fromBytes = await post({ hex: fromText.hex });
    expect(fromBytes.statusCode).toBe(200);
    expect(fromBytes.json()).toEqual(fromText);
  });

  it('refuses bytes that are not a canonical policy with bad-policy naming the byte', async () => {
    const unknownTag = (await post({ hex: '09' })).json();
    expect(unknownTag).toMatchObject({ error: 'bad-policy' });
    expect(unknownTag.message).toMatch(/tag 0x09 at byte 0/);
    const duplicate = await post({ hex: `020202${A}${A}` });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json()).toMatchObject({ error: 'bad-policy' });
    expect(duplicate.json().message).toMatch(/repeats key 0/);
    const leftOver = await post({ hex: `01${A}00` });
    expect(leftOver.json()).toMatchObject({ error: 'bad-policy' });
  });

  it('refuses more than 1,024 bytes, hex that is not hex, and both or neither field', async () => {
    expect((await post({ hex: '06'.repeat(1_025) })).statusCode).toBe(400);
    const notHex = await post({ hex: 'zz' });
    expect(notHex.statusCode).toBe(400);
    expect(notHex.json().error).toBe('bad-request');
    expect((await post({ text: MULTI, hex: '00' })).json()).toMatchObject({ error: 'bad-request' });
    expect((await post({})).json()).toMatchObject({ error: 'bad-request' });
  });
});

describe('the typed client', () => {
  it('calls both routes by name, typed by the schemas, and throws bad-policy as an ApiError', async () => {
    const client = createApiClient({ baseUrl: node.url() });
    const byText = await client.decodePolicyText({ query: { text: MULTI } });
    expect(byText.keys).toEqual([A, B, C]);
    const byHex = await client.decodePolicy({ body: { hex: byText.hex } });
    expect(byHex.address).toBe(byText.address);
    const bad = await client.decodePolicy({ body: { text: 'pk(' } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiError);
    expect(bad).toMatchObject({ status: 400, code: 'bad-policy' });
  });
});
