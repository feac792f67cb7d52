// Multisig and timelocks from the command line (README, "Multisig and timelocks"), on a real regtest node
// and the built `hashline` CLI: three wallets settle a 2-of-3 escrow through partially signed
// transactions signed in different wallets, and savings locked until a height are refused by the node
// (non-final) before it and accepted at it.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { psbtFromText, psbtToText } from '../../src/wallet/psbt.js';
import {
  cleanupNodesAfterAll,
  getJson,
  mine,
  type NodeProcess,
  runCli,
  startNode,
  tempDir,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const COIN = 100_000_000n;
let node: NodeProcess;
const env = { HASHLINE_WALLET_DIR: tempDir('hashline-wallet-policy-'), HASHLINE_WALLET_PASSWORD: 'pw' };

/** Runs `hashline wallet …` against the node; resolves to the result whatever the exit code. */
const wallet = (args: readonly string[]) =>
  runCli(['wallet', ...args, '--node', node.url], { env, timeoutMs: 90_000 });

/** Runs `hashline wallet … --json` and parses its output; fails the test on a non-zero exit. */
async function json(args: readonly string[]) {
  const r = await wallet([...args, '--json']);
  if (r.code !== 0) throw new Error(`wallet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const height = async (): Promise<number> => (await getJson(node.url, '/api/v1/status')).height;
const confirmed = async (address: string): Promise<bigint> =>
  BigInt((await getJson(node.url, `/api/v1/address/${address}`)).balance.confirmed);

const keys: Record<string, string> = {};
const receive: Record<string, string> = {};

beforeAll(async () => {
  node = await startNode();
  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    receive[name] = (await json(['create', '--wallet', name])).address;
    if (name !== 'dave') keys[name] = (await json(['pubkey', '--wallet', name])).publicKey;
  }
  await mine(node.url, 1, receive.alice);
  await mine(node.url, 1, receive.bob);
  await mine(node.url, 1, receive.dave); // matures the others' coinbases
}, 300_000);

describe('policy wallets from the CLI', () => {
  it('settles a 2-of-3 escrow: create, sign in two wallets, combine, send', async () => {
    const escrow = `multi(2,${keys.alice},${keys.bob},${keys.carol})`;
    const described = await json(['policy', 'address', escrow, '--watch', '--wallet', 'alice']);
    expect(described).toMatchObject({ text: escrow, keys: [keys.alice, keys.bob, keys.carol] });
    const funded = await json(['send', described.address, '10', '--wallet', 'alice']);
    await mine(node.url, 1, receive.dave);
    expect(await confirmed(described.address)).toBe(10n * COIN);

    const created = await json([
      'psbt',
      'create',
      '--from',
      described.address,
      '--to',
      receive.dave!,
      '--amount',
      '4',
      '--wallet',
      'alice',
    ]);
    expect(created.complete).toBe(false);

    const byAlice = await json(['psbt', 'sign', created.psbt, '--wallet', 'alice']);
    const byCarol = await json(['psbt', 'sign', created.psbt, '--wallet', 'carol']);
    expect([byAlice.added, byCarol.added, byAlice.complete]).toEqual([1, 1, false]);
    const notYet = await wallet(['psbt', 'send', byAlice.psbt, '--wallet', 'alice']);
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toMatch(/needs 1 more signature of 2 of 3/);
    // A copy claiming the coin holds more than it does would show a false fee: not signed.
    const lying = psbtFromText(created.psbt);
    const inflated = psbtToText({
      ...lying,
      inputs: lying.inputs.map((i) => ({ ...i, amount: i.amount + COIN })),
    });
    const refused = await wallet(['psbt', 'sign', inflated, '--wallet', 'carol']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/holds 11, but the node says 10: not signing/);
    const dave = await wallet(['psbt', 'sign', created.psbt, '--wallet', 'dave']);
    expect(dave.code).toBe(1);
    expect(dave.stderr).toMatch(/none of wallet "dave"'s keys signs this transaction/);

    const combined = await json(['psbt', 'combine', byCarol.psbt, byAlice.psbt, '--wallet', 'bob']);
    expect(combined.complete).toBe(true);
    const shown = await json(['psbt', 'show', combined.psbt, '--wallet', 'bob']);
    expect(shown.inputs[0].signedBy).toEqual([keys.alice, keys.carol].sort());
    const sent = await json(['psbt', 'send', combined.psbt, '--wallet', 'bob']);
    expect(sent.txid).toBe(created.txid);
    await mine(node.url, 1, receive.bob);
    const tx = await getJson(node.url, `/api/v1/tx/${sent.txid}`);
    expect(tx.confirmations).toBe(1);
    expect(await confirmed(receive.dave!)).toBeGreaterThanOrEqual(4n * COIN);
    expect(await confirmed(described.address)).toBe(6n * COIN - BigInt(created.fee));
    // Paying to a policy address takes a version 2 transaction; the spend reveals the policy.
    expect((await getJson(node.url, `/api/v1/tx/${funded.txid}`)).version).toBe(2);
    expect(tx.inputs[0].policy.text).toBe(escrow);
  }, 300_000);

  it('savings locked until a height: the node refuses the spend before it (non-final), takes it at it', async () => {
    const until = (await height()) + 4;
    const locked = await json(['lock', '--until', String(until), '--amount', '2', '--wallet', 'bob']);
    expect(locked.policy).toBe(`and(pk(${keys.bob}),after(${until}))`);
    await mine(node.url, 1, receive.dave);
    expect(await confirmed(locked.address)).toBe(2n * COIN);

    const created = await json([
      'psbt',
      'create',
      '--from',
      locked.address,
      '--to',
      receive.dave!,
      '--amount',
      '1.5',
      '--lock-time',
      String(until),
      '--wallet',
      'bob',
    ]);
    const signed = await json(['psbt', 'sign', created.psbt, '--wallet', 'bob']);
    expect(signed.complete).toBe(true);
    // The next block would be until − 2: not final yet.
    expect((await height()) + 1).toBe(until - 2);
    const early = await wallet(['psbt', 'send', signed.psbt, '--wallet', 'bob']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/non-final/);
    await mine(node.url, 1, receive.dave);
    expect((await wallet(['psbt', 'send', signed.psbt, '--wallet', 'bob'])).stderr).toMatch(/non-final/);

    await mine(node.url, 1, receive.dave); // the next block is `until`
    // Without --lock-time, a policy with an after(n) gets the next block's height as its lock time.
    const byDefault = await json([
      'psbt',
      'create',
      '--from',
      locked.address,
      '--to',
      receive.dave!,
      '--amount',
      '1',
      '--wallet',
      'bob',
    ]);
    expect((await json(['psbt', 'show', byDefault.psbt, '--wallet', 'bob'])).lockTime).toBe(until);
    const sent = await json(['psbt', 'send', signed.psbt, '--wallet', 'bob']);
    const [hash] = await mine(node.url, 1, receive.dave);
    const tx = await getJson(node.url, `/api/v1/tx/${sent.txid}`);
    expect(tx.block).toMatchObject({ hash, height: until });
    expect(tx.lockTime).toBe(until);
  }, 300_000);

  it('a hashed timelock: the recipient spends with the secret, and only with it', async () => {
    const secret = '5f'.repeat(32);
    const hash = createHash('sha256').update(Buffer.from(secret, 'hex')).digest('hex');
    const htlc = `or(and(pk(${keys.alice}),sha256(${hash})),and(pk(${keys.bob}),after(100000)))`;
    const { address } = await json(['policy', 'address', htlc, '--wallet', 'bob']);
    await json(['send', address, '1', '--wallet', 'bob']);
    await mine(node.url, 1, receive.dave);

    const created = await json([
      'psbt',
      'create',
      '--from',
      htlc,
      '--to',
      receive.alice!,
      '--amount',
      '0.5',
      '--wallet',
      'alice',
    ]);
    const without = await json(['psbt', 'sign', created.psbt, '--wallet', 'alice']);
    expect(without.complete).toBe(false);
    const shown = await json(['psbt', 'show', without.psbt, '--wallet', 'alice']);
    expect(shown.inputs[0].missing).toMatch(/either the preimage of/);
    const withSecret = await json(['psbt', 'sign', created.psbt, '--preimage', secret, '--wallet', 'alice']);
    expect(withSecret.complete).toBe(true);
    const sent = await json(['psbt', 'send', withSecret.psbt, '--wallet', 'alice']);
    await mine(node.url, 1, receive.dave);
    const tx = await getJson(node.url, `/api/v1/tx/${sent.txid}`);
    expect(tx.confirmations).toBe(1);
    expect(tx.inputs[0].witness).toContain(secret);
  }, 300_000);
});
