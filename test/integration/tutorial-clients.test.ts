// The tutorials' own clients, with their exact bodies and field names, against a real node: the RSA-signed
// client (form fields sender_address, recipient_address, amount, signature, posted from its own origin) is
// told why it cannot spend here and what to do instead; its "view transactions" page can read the chain
// cross-origin; unknown fields are refused by name; confirmed transactions in /chain name sender and fee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  cleanupNodesAfterAll,
  mine,
  type NodeProcess,
  snapshot,
  startNode,
} from '../support/node-process.js';

cleanupNodesAfterAll();

let node: NodeProcess;
let wallet: string;

beforeAll(async () => {
  node = await startNode({ network: 'regtest' });
  wallet = (await snapshot(node.url)).walletAddress;
  await mine(node.url, 2);
});
afterAll(async () => {
  await node?.stop();
});

/** The client's RSA keys and signature are hex strings; these have the same shape. */
const RSA_FORM = {
  sender_address: '30819f300d06092a864886f70d010101050003818d0030818902818100c7'.padEnd(324, 'a'),
  recipient_address: '30819f300d06092a864886f70d010101050003818d0030818902818100d9'.padEnd(324, 'b'),
  amount: '5',
  signature: '7f'.repeat(128),
};

describe('the RSA-signed tutorial client', () => {
  it('is told, from its own origin, why its transaction cannot spend here and what to do', async () => {
    const before = await snapshot(node.url);
    const r = await api(node.url).post('/transactions/new', RSA_FORM, {
      form: true,
      headers: { origin: 'http://127.0.0.1:8081' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('rsa-signed-transaction');
    expect(r.body.message).toMatch(/Ed25519/);
    expect(r.body.message).toMatch(/without a sender/);
    expect(r.body.message).toMatch(/hashline wallet send/);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await snapshot(node.url)).toEqual(before);
  });

  it('gets the same answer with a JSON body, and even with a recipient added', async () => {
    const r = await api(node.url).post('/transactions/new', { ...RSA_FORM, recipient: wallet, amount: 5 });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('rsa-signed-transaction');
  });

  it('can read the chain and the pending transactions from its own origin', async () => {
    for (const path of ['/chain', '/transactions/get']) {
      const res = await fetch(`${node.url}${path}`, { headers: { origin: 'http://127.0.0.1:8081' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
  });
});

describe('classic routes refuse fields they do not take, by name', () => {
  it('/transactions/new', async () => {
    const before = await snapshot(node.url);
    const r = await api(node.url).post('/transactions/new', { recipient: wallet, amount: 1000, fee: 10 });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'unknown-field' });
    expect(r.body.message).toMatch(/"fee"/);
    expect(await snapshot(node.url)).toEqual(before);
  });

  it('/nodes/register', async () => {
    const r = await api(node.url).post('/nodes/register', { nodes: ['http://127.0.0.1:9'], node: 'x' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'unknown-field' });
    expect(r.body.message).toMatch(/"node"/);
    expect((await api(node.url).get('/api/v1/peers')).body.http).toEqual([]);
  });
});

describe('GET /chain', () => {
  it('names the sender, fee, and spent coins of every confirmed transaction', async () => {
    const sent = await api(node.url).post('/transactions/new', { recipient: wallet, amount: 250_000 });
    expect(sent.status).toBe(201);
    const pending = (await api(node.url).get('/transactions/get')).body.transactions[0];
    expect(pending.sender).toBe(wallet);
    await mine(node.url, 1);
    const chain = (await api(node.url).get('/chain')).body.chain as Array<{
      transactions: Array<{
        txid: string;
        sender: string | null;
        fee: string | null;
        inputs: { address: string; amount: string }[];
      }>;
    }>;
    const confirmed = chain.flatMap((b) => b.transactions).find((t) => t.txid === sent.body.txid)!;
    expect(confirmed.sender).toBe(wallet);
    expect(confirmed.fee).toBe(pending.fee);
    expect(confirmed.inputs.every((i) => i.address === wallet && /^\d+$/.test(i.amount))).toBe(true);
    for (const tx of chain.flatMap((b) => b.transactions)) {
      expect(tx.sender, tx.txid).not.toBeNull();
      expect(tx.fee, tx.txid).not.toBeNull();
    }
  });
});
