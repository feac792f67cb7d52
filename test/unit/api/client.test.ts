// The typed client's request building and error mapping, against a recording fetch: URL parameters
// substituted and encoded, query fields sent or left out, JSON bodies, the token, and every way a call
// can fail turned into ApiError (or the caller's own abort, as it is).
import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, endpointPath } from '../../../src/api/client.js';
import { endpoints } from '../../../src/api/definitions/index.js';

interface Seen {
  readonly url: string;
  readonly method: string | undefined;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A fetch that records each request and answers `answer`. */
function recording(answer: () => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    seen.push({
      url: String(input),
      method: init?.method,
      headers: new Headers(init?.headers),
      body: init?.body,
    });
    return answer();
  };
  return { seen, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const rejection = async (p: Promise<unknown>): Promise<ApiError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
};

describe('endpointPath', () => {
  it('substitutes URL parameters, percent-encoded', () => {
    expect(endpointPath(endpoints.getBlock, { params: { id: '12' } })).toBe('/api/v1/blocks/12');
    expect(endpointPath(endpoints.removePeer, { params: { id: 'a b/c?d#e' } })).toBe(
      '/api/v1/peers/a%20b%2Fc%3Fd%23e',
    );
    expect(endpointPath(endpoints.unban, { params: { target: '::1' } })).toBe('/api/v1/bans/%3A%3A1');
  });

  it('sends the query fields given, encoded, and leaves out the undefined ones', () => {
    expect(
      endpointPath(endpoints.getAddress, {
        params: { address: 'x' },
        query: { offset: undefined, limit: '5' },
      }),
    ).toBe('/api/v1/address/x?limit=5');
    expect(endpointPath(endpoints.search, { query: { q: 'a&b=c d' } })).toBe('/api/v1/search?q=a%26b%3Dc+d');
    expect(endpointPath(endpoints.removeHttpPeer, { query: { url: 'http://h:1' } })).toBe(
      '/api/v1/http-peers?url=http%3A%2F%2Fh%3A1',
    );
    expect(endpointPath(endpoints.getStatus)).toBe('/api/v1/status');
  });

  it('refuses a call without a URL parameter the route needs', () => {
    // @ts-expect-error: the type requires params.txid; a caller without types gets the error.
    expect(() => endpointPath(endpoints.getTx, {})).toThrow(/"txid" is missing/);
    expect(() => endpointPath(endpoints.getTx, { params: { txid: '' } })).toThrow(TypeError);
  });
});

describe('createApiClient', () => {
  it('calls the base URL with the method, a JSON body only when there is one, and the token', async () => {
    const { seen, fetch } = recording(() => json({ txid: 'ab' }, 201));
    let token = 'first';
    const client = createApiClient({ baseUrl: 'http://node.test:5000/', fetch, token: () => token });
    expect(await client.submitTx({ body: { hex: 'beef' } })).toEqual({ txid: 'ab' });
    token = '';
    await client.stopMiner().catch(() => undefined);
    expect(seen[0]).toMatchObject({
      url: 'http://node.test:5000/api/v1/tx',
      method: 'POST',
      body: '{"hex":"beef"}',
    });
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer first');
    expect(seen[0]!.headers.get('content-type')).toBe('application/json');
    expect(seen[1]).toMatchObject({
      url: 'http://node.test:5000/api/v1/miner/stop',
      method: 'POST',
      body: undefined,
    });
    expect(seen[1]!.headers.get('authorization')).toBeNull();
    expect(seen[1]!.headers.get('content-type')).toBeNull();
  });

  it('sends a Uint8Array body as application/octet-stream, the bytes as they are', async () => {
    const { seen, fetch } = recording(() => json({ hash: 'ab', status: 'connected' }, 201));
    const client = createApiClient({ baseUrl: 'http://n', fetch });
    const bytes = Uint8Array.of(1, 2, 0xff);
    expect(await client.submitBlock({ body: bytes })).toEqual({ hash: 'ab', status: 'connected' });
    await client.submitBlock({ body: { hex: '0102ff' } });
    expect(seen[0]!.body).toBe(bytes);
    expect(seen[0]!.headers.get('content-type')).toBe('application/octet-stream');
    expect(seen[1]!.body).toBe('{"hex":"0102ff"}');
    expect(seen[1]!.headers.get('content-type')).toBe('application/json');
    // The types allow bytes only where the definition accepts them.
    // @ts-expect-error: POST /api/v1/tx takes JSON only
    await client.submitTx({ body: bytes });
  });

  it("uses the page's origin with an empty base URL", async () => {
    const { seen, fetch } = recording(() => json({ peers: [] }, 201));
    await createApiClient({ baseUrl: '', fetch }).addPeer({ body: { address: 'http://127.0.0.1:9' } });
    expect(seen[0]!.url).toBe('/api/v1/peers');
  });

  it('throws the answer {error, message} as ApiError with its status and code', async () => {
    const { fetch } = recording(() =>
      json({ error: 'bad-txns-inputs-missing', message: 'no such coin' }, 400),
    );
    const e = await rejection(createApiClient({ baseUrl: '', fetch }).submitTx({ body: { hex: '00' } }));
    expect(e).toMatchObject({ status: 400, code: 'bad-txns-inputs-missing', message: 'no such coin' });
  });

  it('reports an answer that is not JSON, or an error without {error, message}, as bad-response', async () => {
    const html = recording(() => new Response('<html>', { status: 502 }));
    const e = await rejection(createApiClient({ baseUrl: 'http://n', fetch: html.fetch }).getStatus());
    expect(e).toMatchObject({ status: 502, code: 'bad-response' });
    expect(e.message).toBe(
      'the node at http://n answered GET /api/v1/status with something that is not JSON (HTTP 502)',
    );
    const okHtml = recording(() => new Response('<html>', { status: 200 }));
    expect(await rejection(createApiClient({ baseUrl: '', fetch: okHtml.fetch }).getStatus())).toMatchObject({
      status: 200,
      code: 'bad-response',
    });
    const odd = recording(() => json({ oops: true }, 500));
    expect(await rejection(createApiClient({ baseUrl: '', fetch: odd.fetch }).getStatus())).toMatchObject({
      status: 500,
      code: 'bad-response',
    });
  });

  it('says when the node cannot be reached, or does not answer in time', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const e = await rejection(createApiClient({ baseUrl: 'http://n', fetch: down }).getStatus());
    expect(e).toMatchObject({ status: 0, code: 'unreachable', message: 'cannot reach the node at http://n' });
    // A fetch that answers only when aborted: the timeout aborts it.
    const silent: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const slow = await rejection(
      createApiClient({ baseUrl: 'http://n', fetch: silent, timeoutMs: 20 }).getStatus(),
    );
    expect(slow).toMatchObject({ status: 0, code: 'timeout' });
  });

  it("rethrows the caller's own abort as it is", async () => {
    const silent: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    const controller = new AbortController();
    const call = createApiClient({ baseUrl: '', fetch: silent }).getStatus(undefined, {
      signal: controller.signal,
    });
    controller.abort(new Error('left the page'));
    await expect(call).rejects.toThrow('left the page');
  });

  it('answers text for metrics and the open Response for the event stream', async () => {
    const text = recording(() => new Response('# HELP x\n', { status: 200 }));
    expect(await createApiClient({ baseUrl: '', fetch: text.fetch }).metrics()).toBe('# HELP x\n');
    const sse = recording(() => new Response('event: status\n', { status: 200 }));
    const response = await createApiClient({ baseUrl: '', fetch: sse.fetch }).events();
    expect(response).toBeInstanceOf(Response);
    expect(sse.seen[0]!.headers.get('accept')).toBe('text/event-stream');
    expect(await response.text()).toBe('event: status\n');
  });

  it('types each call from the schemas (checked by tsc; the calls below never run)', () => {
    const client = createApiClient({ baseUrl: '' });
    const calls = [
      // @ts-expect-error: getTx needs params.txid
      () => client.getTx(),
      // @ts-expect-error: submitTx's body is {hex}
      () => client.submitTx({ body: { hx: '00' } }),
      // @ts-expect-error: query values are strings, as in a URL
      () => client.getBlocks({ query: { limit: 5 } }),
      // @ts-expect-error: the answer of submitTx has no height
      async () => (await client.submitTx({ body: { hex: '00' } })).height,
      async (): Promise<number> => (await client.getStatus()).height,
      async (): Promise<string> => client.metrics(),
      async (): Promise<Response> => client.events(),
    ];
    expect(calls).toHaveLength(7);
  });
});
