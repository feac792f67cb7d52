// The wallet against a real regtest node (in this process, on 127.0.0.1): the library path the web app
// uses, and the CLI.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWalletCommands } from '../../src/cli/wallet.js';
import { COIN, NETWORKS } from '../../src/core/params.js';
import { MIN_SCRYPT_N } from '../../src/crypto/keystore.js';
import { HashlineNode } from '../../src/node/node.js';
import { buildTransaction } from '../../src/wallet/build-tx.js';
import { NodeClient } from '../../src/wallet/client.js';
import { NodeApiError } from '../../src/wallet/errors.js';
import { HdWallet } from '../../src/wallet/keys.js';
import { scanWallet } from '../../src/wallet/scan.js';
import { inProcessNodeConfig } from '../support/in-process-node.js';

const params = NETWORKS.regtest;
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

describe('wallet with a real regtest node', () => {
  let dir: string;
  let node: HashlineNode;
  let client: NodeClient;
  let wallet: HdWallet;
  let payee: HdWallet;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hashline-wallet-node-'));
    node = await HashlineNode.start(inProcessNodeConfig(join(dir, 'node')));
    client = new NodeClient(node.url());
    wallet = await HdWallet.fromMnemonic(MNEMONIC, params);
    payee = await HdWallet.fromMnemonic(MNEMONIC, params, { passphrase: 'payee' });
  });
  afterAll(async () => {
    await node?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const addressAt = (chain: 0 | 1, index: number) => wallet.key(chain, index).address;

  it('spends a mined coin: the mempool accepts it and a block confirms it', async () => {
    await client.mine(wallet.receiveAddress(0));
    await client.mine(payee.receiveAddress(0)); // matures the first coinbase (regtest maturity 1)
    const before = await scanWallet(client, addressAt);
    expect(before.balance.spendable).toBe(50n * COIN);

    const built = buildTransaction({
      params,
      utxos: before.coins.filter((c) => c.spendable),
      payments: [{ address: payee.receiveAddress(1), amount: 12n * COIN }],
      feeRate: 2n,
      changeAddress: wallet.changeAddress(before.nextChangeIndex),
      data: 'hello from the wallet',
      keyFor: (a) => wallet.keyForAddress(a),
    });
    expect(await client.postTx(built.hex)).toEqual({ txid: built.txid });
    const pending = await scanWallet(client, addressAt);
    expect(pending.balance.unconfirmed).toBe(-(12n * COIN + built.fee));
    expect(pending.coins.map((c) => [c.amount, c.height])).toEqual([[38n * COIN - built.fee, null]]);

    const block = await client.mine(payee.receiveAddress(0));
    const tx = await client.tx(built.txid);
    expect(tx.block).toMatchObject({ height: block.height });
    const after = await scanWallet(client, addressAt);
    expect(after.balance).toMatchObject({ confirmed: 38n * COIN - built.fee, unconfirmed: 0n });
    expect(after.history.map((h) => h.delta)).toEqual([-(12n * COIN + built.fee), 50n * COIN]);
    expect(after.nextChangeIndex).toBe(1);
  });

  it('gets the rule code back when the node rejects a transaction', async () => {
    const scan = await scanWallet(client, addressAt);
    const built = buildTransaction({
      params,
      utxos: scan.coins,
      payments: [{ address: payee.receiveAddress(2), amount: COIN }],
      feeRate: 0n,
      changeAddress: wallet.changeAddress(scan.nextChangeIndex),
      keyFor: (a) => wallet.keyForAddress(a),
    });
    const error = await client.postTx(built.hex).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error).toMatchObject({ status: 400, apiCode: 'fee-too-low' });
  });

  it('runs the CLI: create, balance, send, history', async () => {
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      const program = new Command('hashline').exitOverride();
      program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
      registerWalletCommands(program, {
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        env: { HASHLINE_WALLET_DIR: join(dir, 'wallets'), HASHLINE_WALLET_PASSWORD: 'pw' },
        stdin: { isTTY: false } as NodeJS.ReadStream,
        scryptN: MIN_SCRYPT_N,
      });
      try {
        await program.parseAsync(['wallet', ...args, '--node', node.url(), '--json'], { from: 'user' });
      } catch (e) {
        if (!(e instanceof CommanderError)) throw e;
        throw new Error(`wallet ${args.join(' ')} failed: ${err}`);
      }
      expect(err).toBe('');
      return JSON.parse(out);
    };

    const created = await run(['create']);
    expect(created.network).toBe('regtest');
    await client.mine(created.address);
    await client.mine(payee.receiveAddress(0));
    expect((await run(['balance'])).balance).toMatchObject({
      confirmed: '5000000000',
      spendable: '5000000000',
    });

    const sent = await run(['send', payee.receiveAddress(3), '2.5', '--data', 'cli']);
    expect(sent).toMatchObject({ sent: true, amount: '250000000', feeRate: '1' });
    expect(node.mempool.size).toBe(1);
    await client.mine(payee.receiveAddress(0));
    const { history } = await run(['history']);
    expect(history.map((h: { delta: string }) => h.delta)).toEqual([
      String(-(250_000_000n + BigInt(sent.fee))),
      '5000000000',
    ]);

    // Fee bumping: a slow payment replaced by one paying more; the payment itself is unchanged.
    const slow = await run(['send', payee.receiveAddress(4), '1', '--fee-rate', 'slow']);
    expect(slow.feeRate).toBe('1'); // the estimate on an empty chain is the relay floor
    const spentBySlow = (await client.tx(slow.txid)).inputs.map((i) => `${i.prevTxid}:${i.prevIndex}`);
    const bumped = await run(['bump', slow.txid, '--fee-rate', '20']);
    expect(bumped).toMatchObject({ replaced: slow.txid, sent: true });
    expect(BigInt(bumped.fee)).toBeGreaterThanOrEqual(20n * BigInt(bumped.size));
    expect(node.mempool.has(slow.txid)).toBe(false);
    const replacement = await client.tx(bumped.txid);
    expect(replacement.outputs[0]).toMatchObject({ address: payee.receiveAddress(4), amount: '100000000' });
    expect(replacement.inputs.map((i) => `${i.prevTxid}:${i.prevIndex}`)).toEqual(spentBySlow);
    await client.mine(payee.receiveAddress(0));
    expect((await client.tx(bumped.txid)).confirmations).toBe(1);
    await expect(run(['bump', bumped.txid])).rejects.toThrow(/already in block/);
  });
});
