import { createServer } from 'node:http';
import type { AddressInfo as SocketAddress } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeClient } from '../../../src/wallet/client.js';
import { NodeApiError, WalletError } from '../../../src/wallet/errors.js';
import { FakeNode } from './fake-node.js';
import { other, params, wallet } from './helpers.js';

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as SocketAddress;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function rejection(p: Promise<unknown>): Promise<WalletError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WalletError);
    return e as WalletError;
  }
  throw new Error('expected a rejection');
}

describe('NodeClient', () => {
  let node: FakeNode;
  let client: NodeClient;
  beforeAll(async () => {
    node = await FakeNode.start(params);
    client = new NodeClient(`${node.url}/`);
  });
  afterAll(() => node.close());

  it('reads the status', async () => {
    const status = await client.status();
    expect(status).toMatchObject({ network: 'regtest', height: node.height, mempool: { minFeeRate: 1 } });
    expect(client.baseUrl).toBe(node.url);
  });

  it('reads an address with amounts as bigint', async () => {
    const address = wallet.receiveAddress(40);
    const txid = node.fund(address, 12_345_678_901_234_567n);
    const info = await client.address(address, { limit: 5 });
    expect(info.balance.confirmed).toBe(12_345_678_901_234_567n);
    expect(info.utxos).toEqual([
      {
        txid,
        index: 0,
        amount: 12_345_678_901_234_567n,
        height: node.height,
        coinbase: false,
        confirmations: 1,
        spendable: true,
        spentBy: null,
      },
    ]);
    expect(info.history).toEqual([
      { txid, height: node.height, time: expect.any(Number), delta: 12_345_678_901_234_567n },
    ]);
    expect(info.total).toBe(1);
  });

  it('turns API errors into NodeApiError with the rule code', async () => {
    const e = await rejection(client.postTx('00'));
    expect(e).toBeInstanceOf(NodeApiError);
    expect(e).toMatchObject({ code: 'node-error', status: 400, apiCode: 'bad-encoding' });
    expect(e.message).toBe('bad-encoding: cannot decode the transaction');
    expect(await rejection(client.tx('ff'.repeat(32)))).toMatchObject({ status: 404, apiCode: 'not-found' });
  });

  it('mines through the API', async () => {
    const before = node.height;
    const block = await client.mine(other.receiveAddress(0));
    expect(block.height).toBe(before + 1);
  });

  it('says how to start a node when none answers', async () => {
    const url = await closedPortUrl();
    const e = await rejection(new NodeClient(url).status());
    expect(e.code).toBe('node-unreachable');
    expect(e.message).toBe(
      `cannot reach the node at ${url}: is it running? start one with \`hashline node\``,
    );
  });

  it('accepts host:port and rejects what is not a node URL', () => {
    expect(() => new NodeClient('http://local host:5000')).toThrow(WalletError);
    expect(() => new NodeClient('ftp://127.0.0.1:5000')).toThrow(WalletError);
    expect(new NodeClient('localhost:5000').baseUrl).toBe('http://localhost:5000');
    expect(new NodeClient('127.0.0.1:5001').baseUrl).toBe('http://127.0.0.1:5001');
  });

  it('sends JSON bodies and the bearer token; reports non-JSON answers', async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), init });
      return new Response(seen.length === 1 ? '{"txid":"ab"}' : '<html>', {
        status: seen.length === 1 ? 201 : 502,
      });
    };
    const withToken = new NodeClient('http://node.test:5000', { fetch: fakeFetch, token: 'secret' });
    expect(await withToken.postTx('beef')).toEqual({ txid: 'ab' });
    expect(seen[0]!.url).toBe('http://node.test:5000/api/v1/tx');
    expect(seen[0]!.init?.body).toBe('{"hex":"beef"}');
    expect(new Headers(seen[0]!.init!.headers).get('authorization')).toBe('Bearer secret');
    expect(await rejection(withToken.status())).toMatchObject({ apiCode: 'bad-response', status: 502 });
  });
});
