// Sharing a chain (README, "Share a chain"): `hashline chain export` from a node, `hashline chain import`
// into others, through real node processes. A 5,000-block chain of payments makes the round trip; damaged,
// cut and foreign files are refused before any block reaches the node; an import killed half-way (the
// importer, then the node) completes when run again; --pace spaces the blocks out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchKey, extendChain, openWriterChain, SpendChainGenerator } from '../../bench/lib/spend-chain.js';
import { chainFileChunks } from '../../src/chainfile/index.js';
import { blockHash, encodeBlock } from '../../src/core/block.js';
import { concatBytes } from '../../src/core/bytes.js';
import { genesisBlock } from '../../src/core/genesis.js';
import { NETWORKS } from '../../src/core/params.js';
import { encodeAddress } from '../../src/crypto/address.js';
import {
  cleanupNodesAfterAll,
  getJson,
  type NodeProcess,
  runCli,
  spawnCli,
  startNode,
  subscribeEvents,
  tempDir,
  waitFor,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const BLOCKS = 5_000;
const regtest = NETWORKS.regtest;
const dir = tempDir('hashline-export-');
const file = (name: string) => join(dir, name);

/** Every address the generated chain pays to. */
let addresses: string[] = [];
/** Node A holds the generated chain and listens beyond loopback (so its export needs the token). */
let a: NodeProcess;
let tokenFile: string;

/** B and C start empty: B takes the round trip, C the paced and the interrupted imports. */
let b: NodeProcess;
let c: NodeProcess;

/** The generated chain written into a data directory, then node A started on it. */
async function startNodeA(): Promise<NodeProcess> {
  const dataDir = tempDir('hashline-export-a-');
  const generator = new SpendChainGenerator({ txsPerBlock: 1, keys: 8 });
  const chain = await openWriterChain(join(dataDir, 'chain'), regtest);
  try {
    await extendChain(chain, generator, BLOCKS);
  } finally {
    await chain.store.close();
  }
  tokenFile = join(dataDir, '.cookie');
  return startNode({ dataDir, args: ['--host', '0.0.0.0'], readyTimeoutMs: 60_000 });
}

beforeAll(async () => {
  // The generator's keys are benchKey(0x40 + i): their addresses, and genesis's all-zero one.
  addresses = Array.from({ length: 8 }, (_, i) =>
    encodeAddress(regtest.addressPrefix, benchKey(0x40 + i).address),
  );
  addresses.push(encodeAddress(regtest.addressPrefix, new Uint8Array(20)));
  // Started together: most of a node's start is waiting, not computing.
  [a, b, c] = await Promise.all([startNodeA(), startNode(), startNode()]);
}, 120_000);

afterAll(async () => {
  await a?.stop();
});

/** Every unspent output of an address, a page of 1,000 at a time. */
async function utxosOf(url: string, address: string): Promise<unknown[]> {
  const utxos: unknown[] = [];
  for (let page = 0; page < 100; page++) {
    const info = await getJson(
      url,
      `/api/v1/address/${address}?limit=1&utxoLimit=1000&utxoOffset=${utxos.length}`,
    );
    utxos.push(...info.utxos);
    if (info.utxos.length === 0 || utxos.length >= info.utxoTotal) return utxos;
  }
  throw new Error(`${address} has more than 100 pages of coins`);
}

/** What must be equal between two nodes holding the same chain: tip, work, and every coin and balance. */
async function chainState(url: string) {
  const status = await getJson(url, '/api/v1/status');
  const coins: Record<string, { balance: unknown; total: number; history: unknown; utxos: unknown[] }> = {};
  for (const address of addresses) {
    const info = await getJson(url, `/api/v1/address/${address}?limit=5`);
    coins[address] = {
      balance: info.balance,
      total: info.total,
      history: info.history,
      utxos: await utxosOf(url, address),
    };
  }
  return { height: status.height, tip: status.tip, chainWork: status.chainWork, coins };
}

const importInto = (node: NodeProcess, path: string, extra: string[] = []) =>
  runCli(['chain', 'import', '--node', node.url, path, ...extra], { timeoutMs: 120_000 });

describe('hashline chain export', () => {
  it('refuses to export from an exposed node without its token, and writes nothing', async () => {
    const r = await runCli(['chain', 'export', '--node', a.url, file('no-token.hlchain')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unauthorized');
    expect(r.stderr).toContain('--token-file');
    expect(() => readFileSync(file('no-token.hlchain'))).toThrow();
  });

  it('writes the whole chain as a chain file, with the token', async () => {
    const r = await runCli(
      ['chain', 'export', '--node', a.url, '--token-file', tokenFile, file('all.hlchain')],
      {
        timeoutMs: 120_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${BLOCKS + 1} blocks of regtest (heights 0-${BLOCKS}`);
    const bytes = readFileSync(file('all.hlchain'));
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('HLCHAIN\n');
    const small = await runCli([
      'chain',
      'export',
      '--node',
      a.url,
      '--token-file',
      tokenFile,
      '--to',
      '4',
      file('first4.hlchain'),
    ]);
    expect(small.code, small.stderr).toBe(0);
  }, 120_000);
});

describe('hashline chain import refuses a bad file before submitting any block', () => {
  const expectRefused = async (path: string, code: string) => {
    const r = await importInto(b, path);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toContain(`is refused (${code})`);
    expect(r.stderr).toContain('Nothing was imported');
    expect((await getJson(b.url, '/api/v1/status')).height).toBe(0);
  };

  it('a file of another network', async () => {
    const dev = genesisBlock(NETWORKS.dev);
    const parts: Uint8Array[] = [];
    for await (const c of chainFileChunks(
      { network: 'dev', genesisHash: blockHash(dev), fromHeight: 0, count: 1 },
      [encodeBlock(dev)],
    ))
      parts.push(c);
    writeFileSync(file('dev.hlchain'), concatBytes(...parts));
    await expectRefused(file('dev.hlchain'), 'wrong-network');
  });

  it('a changed byte, a bad length, a cut, and garbage, each late enough that a careless importer would have begun', async () => {
    const good = readFileSync(file('all.hlchain'));
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length * 0.9)]! ^= 0x01;
    writeFileSync(file('flipped.hlchain'), flipped);
    const r = await importInto(b, file('flipped.hlchain'));
    expect(r.code).toBe(1);
    // Where the flipped byte lands decides which check sees it first: a body (checksum), a header (link), a length.
    expect(r.stderr).toMatch(/is refused \((bad-checksum|broken-link|bad-block|bad-length)\)/);
    expect((await getJson(b.url, '/api/v1/status')).height).toBe(0);

    const badLength = Buffer.from(good);
    // The first record's length field follows the 13 + 7 + 40 header bytes.
    badLength.writeUInt32LE(0xffffffff, 60);
    writeFileSync(file('length.hlchain'), badLength);
    await expectRefused(file('length.hlchain'), 'bad-length');

    writeFileSync(file('cut.hlchain'), good.subarray(0, Math.floor(good.length * 0.8)));
    await expectRefused(file('cut.hlchain'), 'truncated');

    writeFileSync(file('garbage.hlchain'), Buffer.alloc(4096, 0x5a));
    await expectRefused(file('garbage.hlchain'), 'not-a-chain-file');
  }, 120_000);

  it('and imports the good file into the same node: the same tip, coins and balances as the original', async () => {
    const r = await importInto(b, file('all.hlchain'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`1 already there, ${BLOCKS} connected`);
    const [imported, original] = [await chainState(b.url), await chainState(a.url)];
    expect(imported).toEqual(original);
    // Not equal by being empty: the chain's payments left many coins.
    const utxos = Object.values(original.coins).reduce((n, c) => n + c.utxos.length, 0);
    expect(utxos).toBeGreaterThan(BLOCKS);
    expect(original.height).toBe(BLOCKS);
  }, 150_000);
});

describe('an import cut short, and a paced one', () => {
  const PART = 600;
  const height = async () => (await getJson(c.url, '/api/v1/status')).height as number;

  it('spaces blocks by --pace, so a class sees the chain grow', async () => {
    const arrivals: number[] = [];
    const events = subscribeEvents(c.url, (e) => {
      if (e.event === 'block') arrivals.push(Date.now());
    });
    await events.opened;
    const r = await importInto(c, file('first4.hlchain'), ['--pace', '0.6']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => arrivals.length >= 4, 'four block events');
    events.close();
    expect(await height()).toBe(4);
    // Three gaps of at least 0.6 s (1.8 s); unpaced, the four blocks arrive within a few tens of ms.
    expect(arrivals[3]! - arrivals[0]!).toBeGreaterThanOrEqual(1_200);
  }, 60_000);

  it('completes when run again after the importer, then the node, was killed half-way', async () => {
    const exported = await runCli([
      'chain',
      'export',
      '--node',
      a.url,
      '--token-file',
      tokenFile,
      '--to',
      String(PART),
      file('part.hlchain'),
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const importer = () => spawnCli(['chain', 'import', '--node', c.url, file('part.hlchain')]);

    const first = importer();
    await waitFor(async () => (await height()) >= 150, 'the first 150 blocks', { timeoutMs: 60_000 });
    first.proc.kill('SIGKILL');
    await first.exit;
    const afterImporterKill = await height();
    expect(afterImporterKill).toBeLessThan(PART);

    const second = importer();
    await waitFor(async () => (await height()) >= afterImporterKill + 150, '150 more blocks', {
      timeoutMs: 60_000,
    });
    await c.kill('SIGKILL');
    const cut = await second.exit;
    expect(cut.code).toBe(1);
    expect(second.stderr()).toContain('Run the same command again');

    c = await startNode({ dataDir: c.dataDir });
    expect(await height()).toBeLessThan(PART);
    const last = await importInto(c, file('part.hlchain'));
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/\d+ already there, \d+ connected/);
    expect((await getJson(c.url, '/api/v1/status')).tip).toBe(
      (await getJson(a.url, `/api/v1/blocks/${PART}`)).hash,
    );
    await c.stop();
  }, 150_000);
});
