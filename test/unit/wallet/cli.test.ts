import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWalletCommands } from '../../../src/cli/wallet.js';
import { COIN } from '../../../src/core/params.js';
import { MIN_SCRYPT_N } from '../../../src/crypto/keystore.js';
import { txSizeFor } from '../../../src/wallet/coin-select.js';
import { HdWallet } from '../../../src/wallet/keys.js';
import { FakeNode } from './fake-node.js';
import { other, params } from './helpers.js';

/** A terminal that types one answer per prompt. */
class FakeTty extends EventEmitter {
  readonly isTTY = true;
  rawMode = false;
  constructor(private readonly answers: string[]) {
    super();
  }
  setRawMode(on: boolean): this {
    this.rawMode = on;
    return this;
  }
  resume(): this {
    const answer = this.answers.shift();
    if (answer !== undefined) setImmediate(() => this.emit('data', Buffer.from(answer)));
    return this;
  }
  pause(): this {
    return this;
  }
}

interface Run {
  out: string;
  err: string;
  code: number;
  errorCode?: string;
}

describe('hashline wallet (CLI)', () => {
  let node: FakeNode;
  let dir: string;
  let mnemonic: string;
  let hd: HdWallet;

  async function run(
    args: string[],
    env: Record<string, string | undefined> = {},
    stdin: NodeJS.ReadStream = { isTTY: false } as NodeJS.ReadStream,
    // New wallets use the lowest scrypt work factor, so that tests stay quick; null: the real default.
    scryptN: number | null = MIN_SCRYPT_N,
  ): Promise<Run> {
    const result: Run = { out: '', err: '', code: 0 };
    const program = new Command('hashline').exitOverride();
    program.configureOutput({ writeOut: (s) => (result.out += s), writeErr: (s) => (result.err += s) });
    registerWalletCommands(program, {
      stdout: (s) => (result.out += s),
      stderr: (s) => (result.err += s),
      env: { HASHLINE_WALLET_DIR: dir, HASHLINE_NODE: node.url, HASHLINE_WALLET_PASSWORD: 'pw', ...env },
      stdin,
      scryptN: scryptN ?? undefined,
    });
    try {
      await program.parseAsync(['wallet', ...args], { from: 'user' });
    } catch (e) {
      if (!(e instanceof CommanderError)) throw e;
      result.code = e.exitCode;
      result.errorCode = e.code;
    }
    return result;
  }

  const json = async (args: string[], env?: Record<string, string | undefined>) => {
    const r = await run([...args, '--json'], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out);
  };

  beforeAll(async () => {
    node = await FakeNode.start(params);
    dir = await mkdtemp(join(tmpdir(), 'hashline-cli-'));
  });
  afterAll(async () => {
    await node.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists no wallets at first', async () => {
    expect((await run(['list'])).out).toBe(`No wallets in ${dir}\n`);
  });

  it('creates a wallet for the node’s network and prints the mnemonic once', async () => {
    const human = await run(['create', '--wallet', 'shown', '--words', '24'], {}, undefined, null);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/Created wallet "shown" for regtest \(the node at http:\/\/127\.0\.0\.1:\d+\)/);
    expect(human.out).toMatch(/Write down these 24 words/);
    expect(human.out).toMatch(/ 24\. [a-z]+/);
    expect(human.out).toMatch(/Receive address: hlrt1/);

    const created = await json(['create']);
    mnemonic = created.mnemonic;
    expect(mnemonic.split(' ')).toHaveLength(12);
    hd = await HdWallet.fromMnemonic(mnemonic, params);
    expect(created).toMatchObject({ wallet: 'default', network: 'regtest', address: hd.receiveAddress(0) });
    const text = await readFile(created.file, 'utf8');
    expect(text).not.toContain(`${mnemonic.split(' ')[0]} `);
    expect(JSON.parse(text).keystore.kdf).toMatchObject({ N: MIN_SCRYPT_N, r: 8, p: 1 });
    const shown = JSON.parse(await readFile(join(dir, 'shown.json'), 'utf8'));
    expect(shown.keystore.kdf).toMatchObject({ N: 32768, r: 8, p: 1 });
    expect((await stat(created.file)).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite a wallet', async () => {
    const r = await run(['create']);
    expect(r.code).toBe(1);
    expect(r.errorCode).toBe('hashline.wallet.wallet-exists');
    expect(r.err).toMatch(/^error: a wallet "default" already exists/);
    // Checked before asking for a password.
    expect((await run(['create'], { HASHLINE_WALLET_PASSWORD: undefined })).errorCode).toBe(
      'hashline.wallet.wallet-exists',
    );
  });

  it('shows the receive address without a password, and moves on with --new', async () => {
    const noPassword = { HASHLINE_WALLET_PASSWORD: undefined };
    expect((await run(['address'], noPassword)).out).toBe(`${hd.receiveAddress(0)}\n`);
    expect(await json(['address', '--new'], noPassword)).toMatchObject({
      address: hd.receiveAddress(1),
      index: 1,
      path: "m/44'/9999'/0'/0'/1'",
    });
    expect((await run(['address', '--index', '7', '--change'], noPassword)).out).toBe(
      `${hd.changeAddress(7)}\n`,
    );
    const list = await json(['address', '--list'], noPassword);
    expect(list.addresses.map((a: { address: string }) => a.address)).toEqual([
      hd.receiveAddress(0),
      hd.receiveAddress(1),
    ]);
  });

  it('shows the balance found on the node', async () => {
    node.fund(hd.receiveAddress(0), 2n * COIN);
    node.fund(hd.receiveAddress(1), COIN / 2n);
    const balance = await json(['balance'], { HASHLINE_WALLET_PASSWORD: undefined });
    expect(balance).toMatchObject({
      network: 'regtest',
      balance: { confirmed: '250000000', unconfirmed: '0', spendable: '250000000' },
      coins: 2,
      receiveAddress: hd.receiveAddress(2),
    });
    const human = await run(['balance', '--addresses']);
    expect(human.out).toMatch(/confirmed {4}2\.5\n/);
    expect(human.out).toMatch(/receive #1 +hlrt1\w+ {2}0\.5 {2}\(1 tx\)/);
  });

  it('sends coins: the node accepts the transaction and the fee is feeRate × size', async () => {
    const to = other.receiveAddress(0);
    const sent = await json(['send', to, '1.25', '--fee-rate', '3', '--data', 'thanks']);
    const size = txSizeFor(1, 2, 6);
    expect(sent).toMatchObject({
      sent: true,
      to,
      amount: '125000000',
      feeRate: '3',
      size,
      fee: String(3 * size),
      inputs: 1,
    });
    expect(sent.change).toMatchObject({
      index: 1,
      address: hd.changeAddress(0),
      amount: String(2n * COIN - 125_000_000n - 3n * BigInt(size)),
    });
    const posted = node.txs.at(-1)!;
    expect(posted.txid).toBe(sent.txid);
    expect(new TextDecoder().decode(posted.data)).toBe('thanks');
    expect(posted.outputs[0]).toEqual({ address: to, amount: 125_000_000n });
  });

  it('uses a fresh change address for the next payment', async () => {
    node.mine();
    const sent = await json(['send', other.receiveAddress(1), '0.1']);
    expect(sent.change.address).toBe(hd.changeAddress(1));
    expect(sent.feeRate).toBe('1');
    node.mine();
  });

  it('lists the history, newest first, with net amounts', async () => {
    const { history } = await json(['history']);
    expect(history).toHaveLength(4);
    expect(history[0].delta).toBe(String(-(COIN / 10n) - BigInt(txSizeFor(1, 2))));
    expect(
      history
        .slice(2)
        .map((h: { delta: string }) => h.delta)
        .sort(),
    ).toEqual(['200000000', '50000000']);
    const human = await run(['history', '--limit', '2']);
    expect(human.out.split('\n')[0]).toMatch(/^height +time \(UTC\) +amount {2}txid$/);
    expect(human.out).toMatch(/-0\.10000195/);
    expect(human.out).toMatch(/\(older entries not shown\)/);
  });

  it('signs without sending on --dry-run', async () => {
    const count = node.txs.length;
    const r = await run(['send', other.receiveAddress(2), '0.01', '--data-hex', 'cafe', '--dry-run']);
    expect(r.out).toMatch(/^Signed, not sent \(--dry-run\): 0\.01 to hlrt1/);
    expect(r.out).toMatch(/ {2}hex {5}01000000/);
    expect(node.txs).toHaveLength(count);
  });

  it('explains insufficient funds, a wrong password, bad input and a missing password', async () => {
    const poor = await run(['send', other.receiveAddress(0), '100']);
    expect(poor.errorCode).toBe('hashline.wallet.insufficient-funds');
    expect(poor.err).toMatch(
      /^error: insufficient funds: [\d.]+ available, 100\.00000299 needed \(100 to pay plus a fee of 0\.00000299\)$/m,
    );

    const wrong = await run(['send', other.receiveAddress(0), '0.1'], { HASHLINE_WALLET_PASSWORD: 'nope' });
    expect(wrong.err).toBe('error: wrong password or corrupted keystore\n');
    expect(wrong.code).toBe(1);

    const none = await run(['send', other.receiveAddress(0), '0.1'], { HASHLINE_WALLET_PASSWORD: undefined });
    expect(none.err).toMatch(/HASHLINE_WALLET_PASSWORD/);

    expect((await run(['send', other.receiveAddress(0), '0.123456789'])).err).toMatch(/up to 8 decimals/);
    expect((await run(['send', 'hl1qqqq', '1'])).errorCode).toBe('hashline.wallet.bad-address');
    expect((await run(['send', other.receiveAddress(0), '1', '--fee-rate', '1.5'])).errorCode).toBe(
      'hashline.wallet.bad-fee-rate',
    );
  });

  it('reads the password from a file', async () => {
    const file = join(dir, 'password.txt');
    await writeFile(file, 'pw\n');
    const r = await run(['send', other.receiveAddress(0), '0.001', '--dry-run', '--password-file', file], {
      HASHLINE_WALLET_PASSWORD: 'wrong',
    });
    expect(r.code).toBe(0);
  });

  it('asks for the password without echo on a terminal', async () => {
    const noEnv = { HASHLINE_WALLET_PASSWORD: undefined };
    const tty = new FakeTty(['secreX\u007fT\r', 'secreT\r']);
    const created = await run(['create', '--wallet', 'tty'], noEnv, tty as unknown as NodeJS.ReadStream);
    expect(created.code).toBe(0);
    expect(created.err).toBe('New wallet password: \nRepeat the password: \n');
    expect(tty.rawMode).toBe(false);
    // An address beyond the cache needs the keys: the password is asked for then.
    const far = await run(['address', '--wallet', 'tty', '--index', '250'], {
      HASHLINE_WALLET_PASSWORD: 'secreT',
    });
    expect(far.code).toBe(0);
    expect(far.out).toMatch(/^hlrt1\w+\n$/);

    const differ = await run(
      ['create', '--wallet', 'tty2'],
      noEnv,
      new FakeTty(['a\r', 'b\r']) as unknown as NodeJS.ReadStream,
    );
    expect(differ.err).toMatch(/error: the two passwords differ/);
    const cancelled = await run(
      ['create', '--wallet', 'tty3'],
      noEnv,
      new FakeTty(['ab\u0003']) as unknown as NodeJS.ReadStream,
    );
    expect(cancelled.errorCode).toBe('hashline.wallet.cancelled');
  });

  it('says how to start a node when none answers, and refuses a node of another network', async () => {
    const down = await run(['balance', '--node', 'http://127.0.0.1:9']);
    expect(down.err).toBe(
      'error: cannot reach the node at http://127.0.0.1:9: is it running? start one with `hashline node`\n',
    );
    node.network = 'dev';
    const mismatch = await run(['balance']);
    node.network = 'regtest';
    expect(mismatch.errorCode).toBe('hashline.wallet.network-mismatch');
    expect(mismatch.err).toMatch(/is for regtest but the node at .* runs dev/);
    expect((await run(['balance', '--network', 'main'])).errorCode).toBe('hashline.wallet.network-mismatch');
  });

  it('imports a mnemonic and finds the coins', async () => {
    const imported = await json(['import', '--wallet', 'restored'], {
      HASHLINE_WALLET_MNEMONIC: ` ${mnemonic.toUpperCase()} `,
    });
    expect(imported.network).toBe('regtest');
    expect(imported.address).toBe(hd.receiveAddress(2));
    const original = await json(['balance']);
    expect(await json(['balance', '--wallet', 'restored'])).toMatchObject({ balance: original.balance });
    const bad = await run(['import', '--wallet', 'typo'], {
      HASHLINE_WALLET_MNEMONIC: mnemonic.replace(/\w+$/, 'zzz'),
    });
    expect(bad.err).toMatch(/^error: invalid mnemonic: not in the BIP39 English word list: zzz/);
    expect((await run(['list'])).out).toMatch(
      /^default +regtest +hlrt1\w+\nrestored +regtest +hlrt1\w+\nshown /,
    );
  });
});
