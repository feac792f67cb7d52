// A node stopped and started again on the same data directory is the same node: same chain, same pending
// transactions, same wallet key and balance. A wallet made with the CLI keeps working across the restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type CliResult,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  runCli,
  startNode,
  tempDir,
} from '../support/node-process.js';
import { balanceOf } from './helpers.js';

cleanupNodesAfterAll();

const PASSWORD = 'correct horse battery staple';

interface Observed {
  readonly status: { height: number; tip: string; walletAddress: string; minerAddress: string };
  readonly mempool: string[];
  readonly nodeBalance: { confirmed: bigint; unconfirmed: bigint };
}

async function observe(url: string): Promise<Observed> {
  const s = await getJson(url, '/api/v1/status');
  const mempool = (await getJson(url, '/api/v1/mempool')).txs.map((t: Json) => t.txid as string).sort();
  return {
    status: { height: s.height, tip: s.tip, walletAddress: s.walletAddress, minerAddress: s.minerAddress },
    mempool,
    nodeBalance: await balanceOf(url, s.walletAddress),
  };
}

describe('restart', () => {
  let node: NodeProcess;
  let dataDir: string;
  let walletDir: string;
  let cliAddress: string;
  let nodeAddress: string;
  const pendingFromNode: string[] = [];
  let pendingFromCli: string;
  let before: Observed;
  let cliBalanceBefore: Json;

  /** `hashline wallet <args> --json` against the current node. */
  async function wallet(...args: string[]): Promise<CliResult & { json: Json }> {
    const r = await runCli(['wallet', ...args, '--wallet-dir', walletDir, '--node', node.url, '--json'], {
      env: { HASHLINE_WALLET_PASSWORD: PASSWORD },
      timeoutMs: 60_000,
    });
    let json: Json;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = undefined;
    }
    return { ...r, json };
  }

  beforeAll(async () => {
    node = await startNode();
    dataDir = node.dataDir;
    walletDir = tempDir('hashline-wallets-');
    nodeAddress = (await getJson(node.url, '/api/v1/status')).walletAddress;
    await mine(node.url, 2);
  });

  afterAll(async () => {
    await node?.stop();
  });

  it('a wallet created with the CLI receives coins', async () => {
    const created = await wallet('create');
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.network).toBe('regtest');
    expect(created.json.mnemonic.split(' ')).toHaveLength(12);
    cliAddress = created.json.address;
    expect(cliAddress).toMatch(/^hlrt1/);
    const paid = await api(node.url).post('/transactions/new', {
      recipient: cliAddress,
      amount: 500_000_000,
    });
    expect(paid.status, paid.text).toBe(201);
    await mine(node.url, 1);
    const balance = await wallet('balance');
    expect(balance.code, balance.stderr).toBe(0);
    expect(balance.json.balance.confirmed).toBe('500000000');
    expect(balance.json.height).toBe(3);
  });

  it('pending transactions: a chain of node-wallet payments and a CLI wallet send', async () => {
    // Each payment spends the change of the one before: on reload, parents must come before children.
    for (let i = 0; i < 5; i++) {
      const res = await api(node.url).post('/transactions/new', {
        recipient: cliAddress,
        amount: 1_000_000 * (i + 1),
      });
      expect(res.status, res.text).toBe(201);
      pendingFromNode.push(res.body.txid);
    }
    const sent = await wallet('send', nodeAddress, '1.25', '--data', 'sent before the restart');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.json.sent).toBe(true);
    pendingFromCli = sent.json.txid;
    before = await observe(node.url);
    expect(before.mempool).toEqual([...pendingFromNode, pendingFromCli].sort());
    const cli = await wallet('balance');
    expect(cli.code, cli.stderr).toBe(0);
    cliBalanceBefore = cli.json;
  });

  it('SIGTERM stops the node cleanly; a restart keeps chain, mempool and wallet', async () => {
    const oldUrl = node.url;
    expect((await node.stop()).code).toBe(0);
    node = await startNode({ dataDir });
    expect(node.url).not.toBe(oldUrl); // new ports: nothing was kept in memory anywhere
    const after = await observe(node.url);
    expect(after.status).toEqual(before.status);
    expect(after.nodeBalance).toEqual(before.nodeBalance);
    expect(after.mempool).toEqual(before.mempool);
    const tx = await getJson(node.url, `/api/v1/tx/${pendingFromCli}`);
    expect(tx.data.text).toBe('sent before the restart');
    expect(tx.confirmations).toBe(0);
  });

  it('the CLI wallet sees the same balance and can send after the restart', async () => {
    const balance = await wallet('balance');
    expect(balance.code, balance.stderr).toBe(0);
    expect(balance.json).toEqual(cliBalanceBefore);

    const sent = await wallet('send', nodeAddress, '0.5');
    expect(sent.code, sent.stderr).toBe(0);
    const mempool = (await getJson(node.url, '/api/v1/mempool')).txs.map((t: Json) => t.txid);
    expect(mempool).toContain(sent.json.txid);

    const [hash] = await mine(node.url, 1);
    const block = await getJson(node.url, `/api/v1/blocks/${hash}`);
    const confirmed = (block.txs as Json[]).map((t) => t.txid);
    for (const id of [...pendingFromNode, pendingFromCli, sent.json.txid]) expect(confirmed).toContain(id);
    expect((await getJson(node.url, '/api/v1/mempool')).count).toBe(0);

    const final = await wallet('balance');
    const received = 500_000_000n + pendingFromNode.reduce((t, _, i) => t + 1_000_000n * BigInt(i + 1), 0n);
    const first = await getJson(node.url, `/api/v1/tx/${pendingFromCli}`);
    const spent = 125_000_000n + BigInt(first.fee) + 50_000_000n + BigInt(sent.json.fee);
    expect(BigInt(final.json.balance.confirmed)).toBe(received - spent);
    expect(final.json.balance.unconfirmed).toBe('0');
  });

  it('after SIGKILL too, acknowledged transactions and blocks are all there', async () => {
    const res = await api(node.url).post('/transactions/new', { recipient: cliAddress, amount: 7_000_000 });
    expect(res.status).toBe(201);
    const snapshotBefore = await observe(node.url);
    const exit = await node.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    node = await startNode({ dataDir });
    const after = await observe(node.url);
    expect(after).toEqual(snapshotBefore);
    expect(after.mempool).toEqual([res.body.txid]);
  });
});
